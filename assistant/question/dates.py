"""Dates and periods a text names: text in, `_Date` mentions out (bounds, span, precision and the
word that leads them: "in", "since", "until"), in reading order.

>>> [(d.y1, d.m1, d.d1, d.y2, d.m2, d.d2, d.lead) for d in find_dates("since 22-24 October 2025")]
[(2025, 10, 22, 2025, 10, 24, 'since')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from vocabulary.months import ENGLISH_MONTH_NAMES, MONTH_NUMBERS

_MON = rf"(?:{ENGLISH_MONTH_NAMES})\.?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_D1 = rf"(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON})|(?P<m1b>{_MON})\s+(?P<d1b>{_DAY})(?![\d:]))"
_D2 = rf"(?:(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})|(?P<m2b>{_MON})\s+(?P<d2b>{_DAY})(?![\d:]))"
_SEP = r"\s*(?:-|–|—|to|until|till|through|and)\s*"
_DATE_PATTERNS = [
    # "Q3 2025", "the second quarter of 2025", "the first half of 2026", "the first week of November 2025"
    (
        "part",
        re.compile(
            rf"\b(?:Q(?P<q>[1-4])\s*(?P<qy>{_YEAR})|(?P<nth>first|second|third|fourth|last|final)\s+"
            rf"(?P<unit>quarter|half|week)\s+of\s+(?:(?P<wm>{_MON})\s*,?\s*)?(?P<py>{_YEAR})?)",
            re.I,
        ),
    ),
    # day range inside a month: "22-24 October 2025"
    (
        "dayrange",
        re.compile(rf"(?P<da>{_DAY})\s*(?:-|–|to|and)\s*(?P<db>{_DAY})\s+(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?", re.I),
    ),
    # "between 1 December 2025 and 4 February 2026", "from May to September 2020", "Jan - May 2026"
    (
        "range",
        re.compile(
            rf"(?:(?P<kw>between|from)\s+)?(?:{_D1}|(?P<ma>{_MON}))(?:,?\s+(?P<ya>{_YEAR}))?{_SEP}"
            rf"(?:{_D2}|(?P<mb>{_MON}))(?:,?\s+(?P<yb>{_YEAR}))?",
            re.I,
        ),
    ),
    ("iso", re.compile(rf"(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)")),
    ("slash", re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)(?![\d/])")),
    ("day", re.compile(rf"{_D1}(?:,?\s+(?P<y>{_YEAR}))?(?![\d])", re.I)),
    ("month", re.compile(rf"(?P<m>{_MON})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?", re.I)),
    ("year", re.compile(rf"(?<![\d/.,-])(?P<y>{_YEAR})(?![\d/-]|\.\d|,\d)")),
]
_PERIOD_LEAD = re.compile(
    r"(?:\b(?P<lead>in|on|during|since|from|after|before|until|till|by|as\s+of|of|for|between)"
    r"\s+(?:the\s+)?(?:(?:month|week|year)\s+of\s+)?)?$",
    re.I,
)


@dataclass(frozen=True)
class _Date:
    """A date mention: start/end are (year|None, month, day) bounds; span in the text."""

    y1: int | None
    m1: int
    d1: int
    y2: int | None
    m2: int
    d2: int
    start: int
    end: int
    precision: str  # "day" | "month" | "year" | "range"
    lead: str = ""


def _d(s: str | None) -> int | None:
    return int(re.match(r"\d+", s).group(0)) if s else None


def _mon(s: str | None) -> int | None:
    return MONTH_NUMBERS.get(s.lower().rstrip(".")) if s else None


def _last_day(y: int | None, m: int) -> int:
    return calendar.monthrange(y or 2024, m)[1]  # a leap year when the year is unknown


_MONTH_WORD = re.compile(rf"\b{_MON}", re.I)
_YEAR_RE = re.compile(_YEAR)


_NTH: dict[str, int | None] = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": None, "final": None}


def _part(g: dict, start: int, end: int) -> _Date | None:
    """A quarter, half or week: "Q3 2025", "first half of 2026", "last week of October" (the nth
    part; None for the last)."""
    if g["q"]:
        y, n, unit = int(g["qy"]), int(g["q"]), "quarter"
    else:
        y, n, unit = _d(g["py"]), _NTH[g["nth"].lower()], g["unit"].lower()
    if unit == "week":
        mo = _mon(g["wm"])
        if mo is None:
            return None
        last = _last_day(y, mo)
        d1 = last - 6 if n is None else 7 * (n - 1) + 1
        return _Date(y, mo, d1, y, mo, last if n is None else d1 + 6, start, end, "range")
    if y is None or g["wm"]:
        return None
    size = 3 if unit == "quarter" else 6
    count = 12 // size
    n = count if n is None else n
    if n > count:
        return None
    m1, m2 = (n - 1) * size + 1, n * size
    return _Date(y, m1, 1, y, m2, _last_day(y, m2), start, end, "range")


def find_dates(text: str) -> list[_Date]:
    """Date mentions in reading order, each with its lead word ("in", "on", "since"...)."""
    has_month = bool(_MONTH_WORD.search(text))
    if not has_month and not _YEAR_RE.search(text):
        return []
    taken = [False] * len(text)
    out: list[_Date] = []
    for kind, rx in _DATE_PATTERNS:
        if not has_month and kind not in ("iso", "slash", "year", "part"):
            continue
        for m in rx.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            g = m.groupdict()
            date = None
            if kind == "dayrange":
                mo, y = _mon(g["m"]), _d(g["y"])
                da, db = _d(g["da"]), _d(g["db"])
                if da < db:
                    date = _Date(y, mo, da, y, mo, db, m.start(), m.end(), "range")
            elif kind == "range":
                ma = _mon(g["m1"] or g["m1b"] or g["ma"])
                mb = _mon(g["m2"] or g["m2b"] or g["mb"])
                da, db = _d(g["d1"] or g["d1b"]), _d(g["d2"] or g["d2b"])
                yb = _d(g["yb"])
                ya = _d(g["ya"]) or (yb if yb and (ma, da or 1) <= (mb, db or 31) else (yb - 1 if yb else None))
                if g["kw"] or g["ya"] or yb or (da and db):
                    date = _Date(ya, ma, da or 1, yb, mb, db or _last_day(yb, mb), m.start(), m.end(), "range")
            elif kind == "part":
                date = _part(g, m.start(), m.end())
            elif kind == "iso":
                y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "slash":
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                mo, d = (a, b) if a <= 12 and (b > 12 or True) else (b, a)
                if a > 12:
                    mo, d = b, a
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "day":
                mo, d, y = _mon(g["m1"] or g["m1b"]), _d(g["d1"] or g["d1b"]), _d(g["y"])
                if d <= _last_day(y, mo):
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "month":
                token = m.group("m").rstrip(".")
                # "May" and "march" are also words: a bare lowercase one is not a month
                if not g["y"] and (token[0].islower() or token.lower() in ("may", "mar")):
                    if token.lower() in ("may", "mar", "march") or token[0].islower():
                        continue
                mo, y = _mon(token), _d(g["y"])
                date = _Date(y, mo, 1, y, mo, _last_day(y, mo), m.start(), m.end(), "month")
            else:
                y = int(g["y"])
                date = _Date(y, 1, 1, y, 12, 31, m.start(), m.end(), "year")
            if date is None:
                continue
            lead = _PERIOD_LEAD.search(text[max(0, m.start() - 30) : m.start()])
            lead_word = (lead.group("lead") or "").lower() if lead else ""
            date = _Date(
                date.y1,
                date.m1,
                date.d1,
                date.y2,
                date.m2,
                date.d2,
                date.start,
                date.end,
                date.precision,
                re.sub(r"\s+", " ", lead_word),
            )
            out.append(date)
            for i in range(m.start(), m.end()):
                taken[i] = True
    return sorted(out, key=lambda d: d.start)


def _iso(y: int | None, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"


def _months_between(y1: int, m1: int, y2: int, m2: int) -> list[tuple[int, int]]:
    out, y, m = [], y1, m1
    while (y, m) <= (y2, m2) and len(out) < 36:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
