"""Numbers that are not facts a question can ask for, each rule named so a dropped number says why.

The extractor keeps every number it reads; these rules mark those that only look like figures:
the ticks of a chart's axis, the day of a date written with a hyphen, a number inside a compound
adjective ("a five-day period", "the five-year average"). The matcher drops a marked fact (a
duration question keeps the compound adjectives: "how long was the training?" -> "five-day").

>>> from indexer.records import Fact
>>> def fact(sentence, text):
...     i = sentence.index(text)
...     return Fact(value=0.0, text=text, start=i, end=i + len(text), sentence=sentence)
>>> noise(fact("Active Cases by PROVINCE 0 200 400 600 800 1000 Active Cases", "400"))
'axis_ticks'
>>> noise(fact("(2) are records as at 16-January 2021", "16"))
'date_part'
>>> noise(fact("Over a five-day period, rainfall surpassed 400 mm.", "five"))
'compound_adjective'
>>> noise(fact("Over a five-day period, rainfall surpassed 400 mm.", "400")) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.records import Fact
from vocabulary.months import ENGLISH_MONTH_NAMES

_NUM = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)([KkMm%]?)(?![\w.,]*\d)")
# "Sept" before "Sep" in the shared list; the word boundary after it makes the order moot here
_DATE_AFTER = re.compile(rf"\s*[-/]\s*(?:{ENGLISH_MONTH_NAMES})\b[\s,.-]*(?:\d{{2,4}})?", re.I)
_COMPOUND = re.compile(r"^-(?:day|week|month|year|hour|minute)s?\b(?![\s-]*(?:old|of)\b)", re.I)


# four numbers with only spaces between them (`_NUM` matches can't touch): what an axis needs, found in one
# C-level search before the sentence's numbers are walked in Python
_FOUR_IN_A_ROW = re.compile(r"\d[KkMm%]?\s+\d[\d.,]*[KkMm%]?\s+\d[\d.,]*[KkMm%]?\s+\d")


def _axis_ticks(f: Fact) -> bool:
    """Four or more numbers in a row at equal steps, the fact among them: a chart's axis."""
    if not _FOUR_IN_A_ROW.search(f.sentence):
        return False
    nums = [(m.start(), m.end(), m.group(1), m.group(2)) for m in _NUM.finditer(f.sentence)]
    rel = f.start - f.sentence_start
    run: list[float] = []
    run_spans: list[tuple[int, int]] = []
    last_end, last_suffix = -1, None
    best: list[tuple[int, int]] = []
    for start, end, digits, suffix in nums:
        try:
            v = float(digits.replace(",", ""))
        except ValueError:
            continue
        gap = f.sentence[last_end:start] if last_end >= 0 else ""
        joined = last_end >= 0 and not gap.strip() and suffix == last_suffix
        step_ok = len(run) < 2 or abs((v - run[-1]) - (run[-1] - run[-2])) < 1e-9
        if joined and step_ok and (len(run) < 1 or v > run[-1]):
            run.append(v)
            run_spans.append((start, end))
        else:
            if len(run) >= 4:
                best += run_spans
            run, run_spans = [v], [(start, end)]
        last_end, last_suffix = end, suffix
    if len(run) >= 4:
        best += run_spans
    return any(s <= rel < e for s, e in best)


def _date_part(f: Fact) -> bool:
    """The day of a date written "16-January 2021" or "16/Jan"."""
    return bool(_DATE_AFTER.match(f.sentence, f.end - f.sentence_start)) and "." not in f.text


def _compound_adjective(f: Fact) -> bool:
    """A number inside "five-day period", "the 30-year average": it qualifies a noun, it is no count."""
    return bool(_COMPOUND.match(f.sentence[f.end - f.sentence_start:]))


# "EPI-WEEK: 12", "epidemiological week 5", "Week no. 31": the number names a week; "cases this week: 45" counts
_WEEK_BEFORE = re.compile(r"(?i)(?:^|(?P<word>[^\W\d_]+)[\s-]+)(?:epi(?:demiological)?[\s-]*)?week"
                          r"(?:\s*(?:no\.?|number|#))?\s*[:.-]?\s*$")
_WEEK_OF = frozenset({"this", "per", "last", "current", "the", "a", "each", "past", "previous", "that", "every",
                      "next", "one", "same"})


def _week_number(f: Fact) -> bool:
    """The number of a week ("EPI-WEEK: 12", "in epidemiological week 5"): it names a week, it counts nothing.

    >>> from indexer.records import Fact
    >>> [_week_number(Fact(value=0.0, text="12", start=s.index("12"), end=s.index("12") + 2, sentence=s))
    ...  for s in ("EPI-WEEK: 12", "In week 12, cases fell", "Cases this week: 12", "Week 31: 12 cases")]
    [True, True, False, False]
    """
    m = _WEEK_BEFORE.search(f.sentence[:f.start - f.sentence_start])
    return bool(m) and (m.group("word") or "").lower() not in _WEEK_OF


RULES: dict[str, Callable[[Fact], bool]] = {
    "axis_ticks": _axis_ticks,
    "date_part": _date_part,
    "compound_adjective": _compound_adjective,
    "week_number": _week_number,
}


def noise(f: Fact) -> str | None:
    """The name of the first rule that marks this fact as no figure, or None."""
    rel = f.start - f.sentence_start
    if f.kind == "table_cell" or f.sentence[rel:rel + len(f.text)] != f.text:
        return None  # a table cell's row is rebuilt from its headers: no sentence around the number
    for name, rule in RULES.items():
        if rule(f):
            return name
    return None
