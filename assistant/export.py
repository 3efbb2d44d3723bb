"""Cells for CSV files people open in a spreadsheet: text that would run as a formula is neutralised.

OWASP's CSV injection rule: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
is prefixed with a single quote, so `=HYPERLINK(...)` in a report or a question stays text.
Numbers are left alone (`-5` as a number is not a formula).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """
    >>> csv_cell('=HYPERLINK("http://x", "click")')
    '\\'=HYPERLINK("http://x", "click")'
    >>> csv_cell("-"), csv_cell(-5.0), csv_cell("2,140 persons")
    ("'-", -5.0, '2,140 persons')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(cell: str) -> str:
    """What `csv_cell` was given, for a file read back (`batch --resume` matches ids).

    >>> cell_value(csv_cell("-3")), cell_value("'quoted")
    ('-3', "'quoted")
    """
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_STARTS else cell
