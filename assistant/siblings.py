"""The candidates kept for a question in, `sibling_gap` out: how much better the question names another cell
of a table cell's own row (by its column) or of its own column (by its row) than this cell's.

A cell's `cell_cover` counts only the header words it has: a "Total" column writes no word a question must
name, so it covers anything asked of its row fully. When the question does name one of the row's other
columns ("IDPs in Borno staying in camps or camp-like settings": the "Camp/Camp-Like Settings" column beside
"Total"), the total is not what it asks; likewise a "Total" row when the question names another row of that
column. The gap is measured among the kept candidates only (the cells of the table the question reaches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Cover = Callable[[str, str], float | None]  # (header, the cell's own figure) -> share the question writes


def sibling_gaps(cands: list[tuple[float, Any, dict[str, float]]], cover: Cover) -> None:
    """Set `sibling_gap` on every candidate: for a table cell, the best column cover among the other kept cells
    of its row (the same table and row header) minus its own, or the same for rows down its column, whichever
    is larger; 0 when no sibling is named better, and for other facts. A table is its report, page and title.

    >>> from types import SimpleNamespace as N
    >>> def cell(row, col, text="1"):
    ...     fact = N(kind="table_cell", report="r", page=1, heading="", row_header=row, col_header=col, text=text)
    ...     return (0.0, N(fact=fact), {})
    >>> words = {"camp": 1.0, "total": None, "borno": 1.0, "adamawa": 0.0}
    >>> cands = [cell("BORNO", "total"), cell("BORNO", "camp"), cell("ADAMAWA", "camp")]
    >>> sibling_gaps(cands, lambda h, own: words[h.lower()])
    >>> [f["sibling_gap"] for _, _, f in cands]
    [1.0, 0.0, 1.0]
    """
    rows: dict[tuple, list[tuple[str, float]]] = {}
    cols: dict[tuple, list[tuple[str, float]]] = {}
    own: list[tuple[tuple, tuple, float, float] | None] = []
    for _, e, _ in cands:
        f = e.fact
        if f.kind != "table_cell" or not f.row_header or not f.col_header:
            own.append(None)
            continue
        col_cover = cover(f.col_header, f.text) or 0.0
        row_cover = cover(f.row_header, f.text) or 0.0
        table = (f.report, f.page, f.heading)  # a cell's heading is its table's title
        rk, ck = (*table, f.row_header), (*table, f.col_header)
        rows.setdefault(rk, []).append((f.col_header, col_cover))
        cols.setdefault(ck, []).append((f.row_header, row_cover))
        own.append((rk, ck, col_cover, row_cover))
    for (_, e, feats), mine in zip(cands, own, strict=True):
        if mine is None:
            feats["sibling_gap"] = 0.0
            continue
        rk, ck, col_cover, row_cover = mine
        f = e.fact
        by_col = max((c for h, c in rows[rk] if h != f.col_header), default=0.0)
        by_row = max((c for h, c in cols[ck] if h != f.row_header), default=0.0)
        feats["sibling_gap"] = max(0.0, by_col - col_cover, by_row - row_cover)
