"""Text in, text out, for answers: a fact's figure and clause, quotes tidied and located, the proper
names of a question, sentence splitting and the kind of answer a sentence holds, and `check_numbers`,
which holds every number of an answer to its quotes."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

from indexer.clause import clause
from indexer.entries import FactEntry
from indexer.records import Fact

_NUM_IN_TEXT = re.compile(r"\d(?:[\d,.\s]*\d)?")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][¹²³⁴⁵⁶⁷⁸⁹⁰]))\s+(?=[A-Z\"“(-])|\n+|\s+-\s+(?=[A-Z0-9])"
                         r"|\s*[•▪●■◆►➢✓]\s*")


def number_key(text: str) -> str:
    """'11,390' / '11 390' / '11390' -> '11390'; keeps the decimal part ('1.043' -> '1.043')."""
    t = re.sub(r"[\s,]", "", text)
    return t.rstrip(".")


def traced(text: str, f: Fact, quote: str) -> bool:
    """Every number of a fact's answer is in its quote or its own headers: a cell's answer names its row and
    column, whose numbers ("2023 Cumulative (week 1-18)") are the fact's, not figures missing from the quote.

    >>> cell = Fact(value=5218, text="5218", start=0, end=4, page=1, report="r", label="", sentence="5218 929",
    ...             kind="table_cell", row_header="Suspected cases", col_header="2023 Cumulative (week 1-18)")
    >>> traced("Suspected cases, 2023 Cumulative (week 1-18): 5218", cell, "5218 929")
    True
    >>> traced("Suspected cases, 2023 Cumulative (week 1-18): 5281", cell, "5218 929")
    False
    """
    return check_numbers(text, [quote, f.row_header or "", f.col_header or "", f.label or ""])


def check_numbers(text: str, quotes: Sequence[str], computed: Sequence[str] = ()) -> bool:
    """True when every number in `text` appears in one of the quotes (or is a computed figure)."""
    text = _ISO_DATE.sub(" ", text)
    pool = " ".join(quotes)
    have = {number_key(m.group(0)) for m in _NUM_IN_TEXT.finditer(pool)}
    have |= {number_key(tok) for q in quotes for tok in re.findall(r"\d[\d,.]*", q)}
    allowed = have | {number_key(c) for c in computed}
    for m in _NUM_IN_TEXT.finditer(text):
        key = number_key(m.group(0))
        if key in allowed:
            continue
        # "1,700 2,140" may be read as one run: check each token
        if all(number_key(t) in allowed for t in re.findall(r"\d[\d,.]*\d|\d", m.group(0))):
            continue
        return False
    return True


_WORD_AT = re.compile(r"[^\W\d_][\w'’.-]*")
_NOT_NAMES = frozenset(m.lower() for m in calendar.month_name[1:] + calendar.day_name[:])


def proper_names(question: str) -> list[str]:
    """Capitalised words inside the question (not opening a sentence): the places, agencies and
    events it is about, each word on its own, possessives and trailing dots dropped.

    >>> proper_names("What was the weather in Paris in November 2025, per OCHA's (PAHO) count?")
    ['Paris', 'OCHA', 'PAHO']
    >>> proper_names("How many IDPs in Grand'Anse, per the donors' report?")
    ['IDPs', "Grand'Anse"]
    """
    out = []
    for m in _WORD_AT.finditer(question):
        w = re.sub(r"['’]s?$", "", m.group(0).strip(".-")).strip(".-")  # "OCHA's": OCHA; "Grand'Anse" whole
        before = question[:m.start()].rstrip(" (\"“")
        if not before or before[-1] in ".?!:" or not w[:1].isupper() or len(w) < 3:
            continue
        if w.lower() not in _NOT_NAMES and w not in out:
            out.append(w)
    return out


def tidy(text: str) -> str:
    """Quotes read as prose: one space between words, none before punctuation."""
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))


def locate(quote: str, text: str, near: int) -> tuple[int, int] | None:
    """Span of `text` in `quote`, the occurrence closest to offset `near` (quotes may be squashed)."""
    spots = [m.start() for m in re.finditer(re.escape(text), quote)]
    if not spots:
        return None
    lo = min(spots, key=lambda i: abs(i - near))
    return lo, lo + len(text)


def figure_text(e: FactEntry) -> str:
    f = e.fact
    bits = [f.qualifier.text] if f.qualifier else []
    bits.append(f.text)
    if f.unit and f.unit.start >= f.end and f.unit.start - f.end <= 2:
        bits.append(f.unit.text)
    elif f.unit and f.unit.end <= f.start and f.start - f.unit.end <= 2:
        bits.insert(len(bits) - 1, f.unit.text)
    return " ".join(bits)


def phrase(e: FactEntry) -> str:
    """The answer sentence: the clause of the source sentence that carries the number."""
    return clause(e.fact)



def _header_is(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a2, b2 = a.lower().strip(" .*"), b.lower().strip(" .*")
    return a2 == b2 or b2.startswith(a2) or a2.startswith(b2)


def _format_like(value: float, example: str) -> str:
    if float(value).is_integer():
        sep = "," if "," in example else ""
        return f"{int(value):,}".replace(",", sep)
    return f"{value:,.2f}"


_DURATION = re.compile(r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+)[\s-]+"
                       r"(?:year|month|week|day|hour)s?\b", re.I)
_DATE = re.compile(r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
                   r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                   r"\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.I)


def _kind_bonus(expected: str, sent: str) -> float | None:
    """A bonus for sentences that hold the kind of answer asked for; None rules a sentence out."""
    if expected == "duration":
        return 0.15 if _DURATION.search(sent) else None
    if expected == "date":
        return 0.15 if _DATE.search(sent) else None
    return 0.0
