"""The `Run`s of one PDF page -> its `Table`s and panels: lines, then regions, then tables band by
band, then the panels among the lines left.

>>> runs = [Run("Region", 50, 700, 10), Run("Cases", 200, 700, 10), Run("Deaths", 300, 700, 10),
...         Run("North", 50, 686, 10), Run("1,234", 200, 686, 10), Run("12", 300, 686, 10),
...         Run("South", 50, 672, 10), Run("567", 200, 672, 10), Run("3", 300, 672, 10)]
>>> [(c.row, c.col, c.text) for c in read_page(runs)[0].cells]
[('North', 'Cases', '1,234'), ('North', 'Deaths', '12'), ('South', 'Cases', '567'), ('South', 'Deaths', '3')]
"""

from __future__ import annotations

from indexer.layout.lines import lines_of
from indexer.layout.panels import _panels
from indexer.layout.records import Line, Run, Table
from indexer.layout.regions import _band_lines, _bands, _regions
from indexer.layout.rows import _block
from indexer.layout.tables import _table


def read_page(runs: list[Run]) -> list[Table]:
    """Tables and panels of one page: read one region at a time (blocks of text standing side by
    side on their own baselines), and within a region, tables side by side one band at a time."""
    return [t for region in _regions(lines_of(runs)) for t in _read_region(region)]


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
