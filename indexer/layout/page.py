"""The `Run`s of one PDF page -> its `Table`s and panels: lines, then regions, then tables band by
band, then the panels among the lines left.

>>> runs = [Run("Region", 50, 700, 10), Run("Cases", 200, 700, 10), Run("Deaths", 300, 700, 10),
...         Run("North", 50, 686, 10), Run("1,234", 200, 686, 10), Run("12", 300, 686, 10),
...         Run("South", 50, 672, 10), Run("567", 200, 672, 10), Run("3", 300, 672, 10)]
>>> [(c.row, c.col, c.text) for c in read_page(runs)[0].cells]
[('North', 'Cases', '1,234'), ('North', 'Deaths', '12'), ('South', 'Cases', '567'), ('South', 'Deaths', '3')]
"""

from __future__ import annotations

from dataclasses import replace

from indexer.layout.lines import lines_of
from indexer.layout.panels import _panels
from indexer.layout.records import Line, Run, Table
from indexer.layout.regions import _band_lines, _bands, _regions
from indexer.layout.rows import _as_row, _block, _col_of, _prose
from indexer.layout.tables import _table
from indexer.layout.values import _is_value


def read_page(runs: list[Run], carry: Table | None = None) -> list[Table]:
    """Tables and panels of one page: read one region at a time (blocks of text standing side by
    side on their own baselines), and within a region, tables side by side one band at a time.
    `carry`: the previous page's last table (`carried`); rows that go on under its columns at the
    top of this page, under no header of their own, are read under its header."""
    lines = lines_of(runs)
    cut = _continues(lines, carry) if carry is not None else None
    if cut is None:
        return _captioned([t for region in _regions(lines) for t in _read_region(region)])
    k, head = cut
    before = [t for region in _regions(lines[:k]) for t in _read_region(region)]
    after = [t for region in _regions([*head, *lines[k:]]) for t in _read_region(region)]
    named = {c.col for c in carry.cells}
    for i, t in enumerate(after):  # the carried table going on (read under its columns' names): its caption
        if t.kind == "table" and not t.title and named & {c.col for c in t.cells}:
            after[i] = replace(t, title=carry.title)
            break
    return _captioned(before + after)


def _captioned(tables: list[Table]) -> list[Table]:
    """A table with no caption of its own that stands on the very baselines of a captioned one, its
    header lines at the same heights, is that table's other part (a wide table a gutter cut into two
    regions: "Table 1: Effects of the floods in Assam" over its first six columns only): it takes
    that caption.

    >>> a = Table("Table 1: Floods in Assam", (), head=(Line(12.0, 9, ()),), rows_y=(100.0, 88.0))
    >>> b = Table("", (), head=(Line(12.0, 9, ()), Line(3.0, 9, ())), rows_y=(100.0, 88.0))
    >>> [t.title for t in _captioned([a, b])]
    ['Table 1: Floods in Assam', 'Table 1: Floods in Assam']
    >>> [t.title for t in _captioned([a, replace(b, rows_y=(100.0, 80.0))])]
    ['Table 1: Floods in Assam', '']
    """
    def beside(t: Table, u: Table) -> bool:  # the same rows' baselines; the header's first line as high
        return len(t.rows_y) == len(u.rows_y) and bool(t.head and u.head) \
            and abs(max(h.y for h in t.head) - max(h.y for h in u.head)) < 1.0 \
            and all(abs(a - b) < 1.0 for a, b in zip(t.rows_y, u.rows_y, strict=True))
    out = []
    for t in tables:
        if t.kind == "table" and not t.title and t.rows_y:
            twin = next((u for u in tables if u is not t and u.kind == "table" and u.title and beside(t, u)), None)
            if twin is not None:
                t = replace(t, title=twin.title)
        out.append(t)
    return out


def carried(tables: list[Table]) -> Table | None:
    """The table a next page may go on with: the page's last, when it is a table of three or more
    columns of figures with a header."""
    last = tables[-1] if tables else None
    return last if last is not None and last.kind == "table" and last.head and len(last.cols) >= 3 else None


def _continues(lines: list[Line], carry: Table) -> tuple[int, list[Line]] | None:
    """Where this page goes on with the carried table, and its header placed over it: the first row
    of two or more figures or empty marks (a running header's page number or year, or a paragraph's
    figure, is none) stands with every one in its own carried column, with a label of its own left of
    them, and no line above it heads those columns (two or more short words standing over them: the
    page's own header). Its label's lines wrapped just above it go with it. None: no such row."""
    cols = list(carry.cols)
    left = cols[0][0]
    # a column the page before left empty has its header but no figures: this page's may fill it
    cols += _empty_columns(carry, cols)

    def on_columns(r) -> bool:  # every figure in a column of its own, its label left of them
        hit = [_col_of(v, cols) for v in r.values]
        return None not in hit and len(set(hit)) == len(hit) and bool(r.labels) and r.labels[-1].x1 <= left

    for k, ln in enumerate(lines):
        over = [s for s in ln.segs if s.x1 > left - 1.0 and len(s.text) <= 40 and not _is_value(s.text)]
        if len({_col_of(s, cols) for s in over} - {None}) >= 2:
            return None  # a header of this page's own over the columns
        r = _as_row(ln)
        if r is None or _prose(ln) or len(r.values) < 2:
            continue  # no row, a line of prose ending in a figure, a figure alone (a running header's year)
        if not on_columns(r):
            return None
        first = k
        # its label's wrapped lines, and rows of one figure on the columns ("Total Diana  220"), just above
        while first > 0 and lines[first - 1].segs:
            above = lines[first - 1]
            row = _as_row(above)
            if row is None and all(s.x1 <= left for s in above.segs) and above.y - lines[first].y <= 1.3 * ln.size \
                    or row is not None and not _prose(above) and on_columns(row) \
                    and above.y - lines[first].y <= 2.0 * ln.size:
                first -= 1
                continue
            break
        base = lines[first].y + 1.2 * ln.size - min(h.y for h in carry.head)
        head = [Line(h.y + base, h.size, tuple(replace(g, y=g.y + base) for g in h.segs)) for h in carry.head]
        return first, head
    return None


def _empty_columns(carry: Table, cols: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The spans of the carried header's pieces that stand over none of its columns of figures: columns
    the page before left empty ("People displaced" with no one displaced there yet), which a page going
    on may fill. Pieces over one another are one column."""
    spans: list[tuple[float, float]] = []
    for h in carry.head:
        for g in h.segs:
            if g.x0 > cols[0][0] and not any(g.x0 < b + 0.5 and g.x1 > a - 0.5 for a, b in cols):
                spans.append((g.x0, g.x1))
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _read_region(lines: list[Line]) -> list[Table]:
    cuts = _bands(lines)
    if not cuts:
        return _read_lines(lines)
    tables: list[Table] = []
    edges = [-1e9, *cuts, 1e9]
    for lo, hi in zip(edges, edges[1:], strict=False):
        tables.extend(t for t in _read_lines(_band_lines(lines, lo, hi)) if t.kind == "table")
    taken = {(c.text, c.row) for t in tables for c in t.cells}
    panels = [t for t in _read_lines(lines) if t.kind == "panel"]
    for t in panels:
        cells = tuple(c for c in t.cells if (c.text, c.row) not in taken)
        if cells:
            tables.append(Table(t.title, cells, "panel"))
    return tables


def _read_lines(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        block = _block(lines, i)
        if block is None:
            i += 1
            continue
        first, last = block
        table = _table(lines, first, last)
        if table is not None and table.cells:
            tables.append(table)
            used.update(range(min(first, table.top if table.top >= 0 else first), last + 1))
            i = last + 1
        else:
            i += 1
    tables.extend(_panels(lines, used))
    return tables
