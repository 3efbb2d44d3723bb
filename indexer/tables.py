"""Table rows as text -> cells with offsets, and value cells aligned to their column headers.

Text files and cleaned PDF pages write a table row as cells separated by tabs or runs of 2+
spaces. `split_cells(line)` gives (text, start) pairs; `align(header, row)` says which header each
value cell belongs to, or None when the counts do not line up (a number is never attached to a
header it may not belong to).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.numbers import NUMBER_RE

_SEP = re.compile(r"\t|[ \u00a0]{2,}")
_CELL = re.compile(r"[^\t]+")
_EMPTY = {"-", "–", "—", "n/a", "N/A", "na", "NA", "..", "…"}
_MERGED = re.compile(r"^(?P<label>.*[A-Za-z].*?)\s+(?P<num>[$€£]?\d[\d.,]*\s?(?:%|[KMk]|bn)?)$")


@dataclass(frozen=True)
class Cell:
    text: str  # stripped cell text
    start: int  # offset of text in the line


def is_table_row(line: str) -> bool:
    """A line of cells: tab-separated, or 3+ short space-separated cells of which half are numbers."""
    if "\t" in line:
        return len([c for c in split_cells(line) if c.text]) >= 2
    cells = split_cells(line)
    if len(cells) < 2 or any(len(c.text.split()) > 4 for c in cells) or line.rstrip().endswith("."):
        return False
    values = sum(is_value(c.text) for c in cells)
    return len(cells) >= 3 or values >= 1


def split_cells(line: str) -> list[Cell]:
    """Cells with their offsets; a tab-separated row keeps empty cells (the header's corner)."""
    if "\t" in line:
        cells = []
        pos = 0
        for part in line.split("\t"):
            stripped = part.strip(" *\u00a0")
            offset = part.find(stripped) if stripped else 0
            cells.append(Cell(stripped, pos + offset))
            pos += len(part) + 1
        return cells
    cells = []
    pos = 0
    for m in _SEP.finditer(line):
        _add(cells, line, pos, m.start())
        pos = m.end()
    _add(cells, line, pos, len(line))
    return cells


def _add(cells: list[Cell], line: str, a: int, b: int) -> None:
    part = line[a:b]
    stripped = part.strip(" *\u00a0")
    if stripped:
        cells.append(Cell(stripped, a + part.find(stripped)))


def is_value(text: str) -> bool:
    """A cell that is one number (or the "no value" dash)."""
    if text in _EMPTY:
        return True
    m = NUMBER_RE.search(text)
    return bool(m) and m.start() <= 1 and len(text) - m.end() <= 1 and not m.group("words")


@dataclass(frozen=True)
class Row:
    """A data row split into its header labels and its value cells."""

    labels: list[Cell]  # leading non-numeric cells ("PEOPLE REACHED*", "RMRP")
    values: list[Cell]  # the value cells in column order ("-" kept: it holds a column's place)


def split_row(cells: list[Cell]) -> Row | None:
    """Leading label cells, then value cells; a merged "LABEL 902" cell splits into label + value."""
    cells = [c for c in cells if c.text]
    labels: list[Cell] = []
    i = 0
    while i < len(cells) and not is_value(cells[i].text):
        m = _MERGED.match(cells[i].text)
        if m and i + 1 < len(cells) and is_value(cells[i + 1].text):
            labels.append(Cell(m.group("label").strip(), cells[i].start))
            values_start = Cell(m.group("num"), cells[i].start + m.start("num"))
            rest = cells[i + 1 :]
            if all(is_value(c.text) for c in rest):
                return Row(labels, [values_start, *rest])
            return None
        labels.append(cells[i])
        i += 1
    values = cells[i:]
    if not values or not all(is_value(c.text) for c in values):
        return None
    return Row(labels, values)


def header_names(cells: list[Cell]) -> list[Cell]:
    """Column names of a header row: its non-empty cells (an empty corner cell is dropped)."""
    return [c for c in cells if c.text]


def is_header_row(cells: list[Cell]) -> bool:
    names = header_names(cells)
    return len(names) >= 2 and not any(is_value(c.text) for c in names)


def align(header: list[Cell], row: Row) -> list[tuple[Cell, Cell]] | None:
    """(column header, value cell) pairs, or None when the value cells do not line up with columns.

    The header may name the row-label column too ("Sector  Reached  Target"): then it has one more
    name than there are values and the first is skipped.
    """
    names = header_names(header)
    if len(names) == len(row.values):
        return list(zip(names, row.values, strict=True))
    if len(names) == len(row.values) + len(row.labels) and row.labels:
        return list(zip(names[len(row.labels) :], row.values, strict=True))
    return None


def is_empty(text: str) -> bool:
    return text in _EMPTY
