"""Fact -> the clause of its sentence that carries the number: what is embedded and what answers say."""

from __future__ import annotations

import re

from indexer.records import Fact

# "and" separates clauses only when a number follows closely ("..., and 470 benefited from");
# "hot and cold meals" is one noun phrase
# a number written in words ("and ten damaged") bounds a clause as digits do; "one" is too often no number
_WORDS = (r"(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen"
          r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b")
_SEP = re.compile(rf";|,\s|\.\s|:\s|\s(?:while|whereas|but)\s|\sand\s(?=(?:[^\W\d]+\s+){{0,3}}(?:\d|{_WORDS}))")
_DIGITS = re.compile(rf"\d[\d,.]*|\b{_WORDS}")


def clause(f: Fact) -> str:
    """The clause of the fact's sentence that carries its number (a table cell: its headers)."""
    if f.kind == "table_cell":
        what = f.label or f.heading or "value"
        where = ", ".join(x for x in (f.col_header, f.row_header) if x)
        return f"{what} ({where}): {f.text}" if where else f"{what}: {f.text}"
    s = f.sentence
    left, right, lo, hi = clause_bounds(f)
    text = " ".join(s[left:right].split()).strip(" ,;:.")
    text = re.sub(r"^(?:and|but|while|whereas)\s+", "", text, flags=re.I)
    if len(text.split()) > 40:  # no separator near: a window around the number, whole words only
        text = " ".join(s[_word_start(s, max(left, lo - 80)):_word_end(s, hi + 120)].split())
    return text[:1].upper() + text[1:] if text else f.text


def _word_start(s: str, i: int) -> int:
    """`i` moved back to the start of the word it falls in ("290,000" is never cut to "90,000")."""
    while 0 < i < len(s) and not s[i - 1].isspace():
        i -= 1
    return i


def _word_end(s: str, i: int) -> int:
    while 0 < i < len(s) and not s[i].isspace():
        i += 1
    return i


def clause_bounds(f: Fact) -> tuple[int, int, int, int]:
    """(clause start, clause end, number start, number end) as offsets into `f.sentence`."""
    s = f.sentence
    near = f.start - f.sentence_start
    spots = [m.start() for m in re.finditer(re.escape(f.text), s)] or [max(0, near)]
    lo = min(spots, key=lambda i: abs(i - near))
    hi = lo + len(f.text)
    if f.qualifier:
        q = s.rfind(f.qualifier.text, 0, lo + 1)
        lo = q if q >= 0 and lo - q <= len(f.qualifier.text) + 3 else lo
    # the clause runs from the first separator after the previous number (or the one before it)
    # to the last separator before the next number
    seps = [m for m in _SEP.finditer(s)]
    prev = [m.end() for m in _DIGITS.finditer(s, 0, lo)]
    nxt = [m.start() for m in _DIGITS.finditer(s, hi)]
    left = 0
    if prev:
        after = [m.end() for m in seps if prev[-1] <= m.start() and m.end() <= lo]
        before = [m.end() for m in seps if m.end() <= prev[-1]]
        left = after[-1] if after else (before[-1] if before else 0)
    if lo > 0 and s[lo - 1].isalpha() and f.kind != "table_cell":
        # "Received Appropriate Treatment571 Children 24-59 Months": a layout glued the figure to its label;
        # the clause is that label, from the previous figure on
        return (prev[-1] if prev else left), hi, lo, hi
    right = len(s)
    if nxt:
        between = [m.start() for m in seps if hi <= m.start() and m.end() <= nxt[0]]
        right = between[-1] if between else len(s)
    return left, right, lo, hi
