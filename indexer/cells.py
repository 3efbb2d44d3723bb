"""A page's layout tables and panels (`Page.tables`) -> table_cell and key_figure `Fact`s, placed in the page text.

Each cell of a `layout.Table` becomes a fact with its row header, column header (levels joined by
" / "), the table's title as its heading and the unit its headers give. The fact's offsets are
where the figure is in the page text: searched after its row header, else the only place on the
page the figure is written; a figure that cannot be placed gives no fact. `merge` lets these
facts replace what the text reading found at the same place (a number read from a flattened row
has no headers, or the wrong ones).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from indexer.layout import Cell, Table
from indexer.numbers import CURRENCIES, decimal_comma, find_numbers
from indexer.records import Fact, Page

_UNIT_NORM = {"%": "percent", "MT": "tonnes", "mt": "tonnes", "Mt": "tonnes", "tonnes": "tonnes",
              "people": "people", "persons": "people", "HH": "households", "households": "households",
              "cases": "cases"}


_MINUS = re.compile(r"^\s*[-−–]\s?\d")
_GAP = re.compile(r"[\s:–-]{0,4}")  # what may stand between a panel's label and its figure in the page text


def _pattern(text: str) -> re.Pattern:
    """The figure as a regex that tolerates the page text's spacing ("4 571" / "4571", "12 %")."""
    parts = [re.escape(ch) for ch in re.sub(r"\s+", "", text)]
    body = r"\s?".join(parts)
    # a minus sign parts a figure from the one before it even when the text glues them ("7,995-2,199")
    before = r"(?<![.,])" if _MINUS.match(text) else r"(?<![\w.,])"
    return re.compile(rf"{before}{body}(?![\d]|[.,]\d)")


def _word_pattern(label: str) -> re.Pattern | None:
    words = re.findall(r"\w+", label)[:6]
    if not words:
        return None
    return re.compile(r"\W*".join(re.escape(w) for w in words), re.I)


def locate(text: str, cell: Cell, after: int = 0, along: int = -1, panel: bool = False) -> tuple[int, int] | None:
    """Where the cell's figure is in the page text: next along its row (`along`: where the row's
    previous cell ended), else (a panel figure) just before or after its label ("2 cases", "Deaths
    1": the page text often puts a box's figure first), else the first place after its row header
    (from `after`), within the next 600 characters; else its only place on the page."""
    pat = _pattern(cell.text)
    if along >= 0:
        hit = pat.search(text, along, along + 300)
        if hit:
            return hit.span()
    lab = _word_pattern(cell.row)
    if lab is None and not panel and " | " in cell.line:
        # a row without a label (a one-row table named by its columns): where the row's figures are written in turn
        seq = re.compile(r"[\s|]*".join(_pattern(p).pattern for p in cell.line.split(" | ")))
        row = seq.search(text, after) or seq.search(text)
        if row:
            hit = pat.search(text, row.start(), row.end())
            if hit:
                return hit.span()
    if panel and lab is not None:
        # as written (case and word ends): "returnees" in a sentence is not the box's "Returnees"
        exact = re.compile(r"(?<!\w)" + lab.pattern + r"(?!\w)")
        for m in exact.finditer(text):
            hit = pat.search(text, max(0, m.start() - len(cell.text) - 8), m.start())
            if hit and _GAP.fullmatch(text, hit.end(), m.start()):
                return hit.span()
            hit = pat.match(text, _GAP.match(text, m.end()).end())
            if hit:
                return hit.span()
    if lab is not None:
        for m in lab.finditer(text, after):
            hit = pat.search(text, m.end(), m.end() + 600)
            if hit:
                return hit.span()
    hits = list(pat.finditer(text))
    if len(hits) == 1:
        return hits[0].span()
    return None


def _line_at(text: str, a: int, b: int) -> tuple[str, int]:
    s = text.rfind("\n", 0, a) + 1
    e = text.find("\n", b)
    e = len(text) if e < 0 else e
    return text[s:e], s


def _unit_norm(unit: str, col: str, row: str) -> str:
    if unit in _UNIT_NORM:
        return _UNIT_NORM[unit]
    if unit in CURRENCIES:
        return CURRENCIES[unit]
    from indexer.facts import _label_norm  # the word list that names units lives there

    return _label_norm(col) or _label_norm(row) or ""


def table_facts(page: Page, report: str, heading: str) -> list[Fact]:
    """Facts of the page's layout tables and panels."""
    from indexer.facts import _sector

    text = page.text
    comma = decimal_comma(text)
    out: list[Fact] = []
    for table in page.tables:
        cursor = 0
        prev: tuple[Cell, int] | None = None
        for cell in table.cells:
            along = prev[1] if prev and prev[0].line == cell.line and prev[0].row == cell.row else -1
            where = locate(text, cell, cursor, along, table.kind == "panel")
            if where is None:
                continue
            a, b = where
            nums = find_numbers(cell.text, comma)
            if not nums:
                continue
            n = nums[0]
            value = n.value * (cell.scale if not n.percent and not n.scaled else 1.0)
            if _MINUS.match(cell.text):
                value = -value  # a table's change or variance column: "- 660", "-2,199"
            unit = "%" if n.percent else cell.unit
            sentence, s0 = _line_at(text, a, b)
            title = table.title or heading
            panel = table.kind == "panel"
            label = cell.row if panel else " ".join(x for x in (cell.group, cell.col, cell.row) if x)
            out.append(Fact(
                value=value, text=text[a:b], start=a, end=b, page=page.number, report=report,
                unit_norm=_unit_norm(unit, cell.col, cell.row),
                label=label, sentence=sentence, sentence_start=s0, heading=title,
                sector=_sector(cell.col) or _sector(cell.row) or _sector(title),
                kind="key_figure" if panel else "table_cell",
                row_header=cell.row, col_header=cell.col,
                extra={"table": table.title, "group": cell.group, "layout": True},
            ))
            if not panel:
                cursor = s0
                prev = (cell, b)
    return out


def _demoted(f: Fact) -> Fact:
    """A cell the text reading aligned by counting cells: on a PDF page the layout knows better, so
    it keeps its row's label but names no column (its column may be another table's)."""
    if f.kind != "table_cell":
        return f
    return replace(f, kind="prose", label=f.row_header, col_header="", row_header="")


def merge(text_facts: Sequence[Fact], layout_facts: Sequence[Fact]) -> list[Fact]:
    """A PDF page's facts: the layout's cells and panel figures, and the text reading's facts at
    other places (its own table cells demoted to plain figures), in page order."""
    taken = {(f.start, f.end) for f in layout_facts}
    spans = sorted(taken)
    out = list(layout_facts)
    seen = set()
    for f in text_facts:
        if (f.start, f.end) in taken or any(a < f.end and f.start < b for a, b in spans):
            continue
        out.append(_demoted(f))
    uniq = []
    for f in sorted(out, key=lambda f: (f.start, f.end)):
        if (f.start, f.end) in seen:
            continue
        seen.add((f.start, f.end))
        uniq.append(f)
    return uniq


__all__ = ["Table", "locate", "merge", "table_facts"]
