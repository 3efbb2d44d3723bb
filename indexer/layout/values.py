"""A cell's text -> what it holds: a figure (`is_number`), a range naming a row (`is_range`), an empty mark."""

from __future__ import annotations

import re

from indexer.numbers import NUMBER_RE

_EMPTY = {"-", "–", "—", "n/a", "N/A", "NA", "na", "..", "…", "nil", "Nil"}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a date in a cell: "7-Jan-25", "31/12/2024", "1 May 2024", "2024-01-31"
_DATE = re.compile(r"^(?:\d{1,2}[-/. ](?:\d{1,2}|[A-Za-z]{3,9}\.?)[-/. ]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})$")
# a row label without letters that still names a row: a range or bound ("0-14", "45 - 54", "> 64", "65+")
_RANGE = re.compile(r"^\(?(?:[<>≤≥]=?\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*[-–]\s*\d+(?:\.\d+)?|\d+\s*\+)\)?"
                    r"(?:\s*(?:yrs?|years?|months?))?$", re.I)


def is_range(text: str) -> bool:
    """A label naming a range of values rather than a figure.

    >>> [is_range(t) for t in ("0-14", "45 - 54", "> 64", "65+", "<5 years", "1,234", "12", "2-3%")]
    [True, True, True, True, True, False, False, False]
    """
    return bool(_RANGE.match(text.strip()))


def is_number(text: str) -> bool:
    """A cell holding one figure: "1,234", "12.5%", "US$ 4.5M", "(23)", "4 571"."""
    t = text.strip().strip("*").strip()
    t = re.sub(r"^\(([^()]*)\)$", r"\1", t)
    t = re.sub(r"^(?:US\$|USD|CHF|EUR|\$|€|£)\s?", "", t)
    if not t or not t[0].isdigit() and t[0] not in ".-+−":
        return False
    t = re.sub(r"^[+\-−]\s?(?=\d)", "", t)  # a sign, set apart or not ("- 660", "-2,199")
    m = NUMBER_RE.match(t)
    return bool(m) and m.end() == len(t) and not m.group("words")


def _is_value(text: str) -> bool:
    return is_number(text) or text.strip() in _EMPTY
