"""Positioned text runs of one PDF page -> tables (cells with row and column headers) and key-figure panels.

pypdf's text loses the columns of a table; the runs its `visitor_text` reports keep their place on
the page. From them: lines (runs on one baseline), segments (runs close enough to read as one cell),
tables (blocks of lines whose numbers line up in columns, with the header lines above them: a header
over one column names it, one over several spans them, wrapped header lines join), and panels (a
figure with a short label just above or below it, boxes side by side). A cell is only given headers
it certainly has: a number that does not sit in one column under a header, or a column whose header
is ambiguous, gives no cell (no fact beats a mislabelled one).

In reading order: records.py (Run, Seg, Line, Cell, Table) -> values.py (what a cell holds) ->
lines.py (runs -> lines and segments) -> regions.py (text blocks side by side, table bands) ->
rows.py (a table's body and columns) -> headers.py (header lines, caption, column names) ->
tables.py (cells with their headers, units) -> panels.py (key figures) -> page.py (`read_page`).
"""

from indexer.layout.lines import lines_of
from indexer.layout.page import read_page
from indexer.layout.records import Cell, Line, Run, Seg, Table
from indexer.layout.values import is_number, is_range

__all__ = ["Cell", "Line", "Run", "Seg", "Table", "is_number", "is_range", "lines_of", "read_page"]
