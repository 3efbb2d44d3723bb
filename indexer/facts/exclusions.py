"""A number in its sentence in, the name of the rule that drops it out ("" when it is a fact).

Dates, years, ages, codes, footnote marks, phone numbers, section numbers and numbers in names are
not facts. Each rule is a named test in a table read top to bottom (the first that holds drops the
number), so a number missing from the facts can be traced to its rule:

>>> dropped_numbers("On 26 July, 1,200 children under 5 were screened (COVID-19).")
[('26', 'month'), ('5', 'age'), ('19', 'code-or-day-range')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from indexer.facts.units import _plural
from indexer.facts.words import _COUNT_NOUNS, _GLUED_UNITS, _SENT_STARTERS
from indexer.numbers import CURRENCIES, CURRENCY_BEFORE_RE, Num, find_numbers
from vocabulary.months import MONTHS

_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?[\s*_,]*(?:of\s+)?(?:{MONTHS})\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?[\s*_]*$", re.I)
_DAY_RANGE_AFTER = re.compile(rf"^\s?[-–]\s?\d{{1,2}}(?:st|nd|rd|th)?[\s,]*(?:of\s+)?(?:{MONTHS})\b", re.I)
# the first days of a list or range of dates: "On 26, 27 and 28 July", "from 1 to 31 July"
_DAY_LIST_AFTER = re.compile(
    rf"^(?:\s?(?:,|-|–|to|and|&)\s?\d{{1,2}}(?:st|nd|rd|th)?){{1,4}}[\s,]*(?:of\s+)?(?:{MONTHS})\b", re.I
)
_MONTH_DAY_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}\s?[-–]\s?$", re.I)  # "September 10-23"
# ages are who is counted, not counts: "children under five", "aged 6-59 months", "a four-year-old"
_AGE_BEFORE = re.compile(
    r"(?:\b(?:aged?|ages)\s+(?:of\s+)?(?:between\s+|from\s+|under\s+|below\s+|over\s+|above\s+)?|"
    r"\bage\s+of\s+|\b(?:children|child|infants|girls|boys|adolescents|those|population)\s+(?:aged\s+)?"
    r"(?:under|below|over|above|older\s+than|younger\s+than)\s+)(?:\d+\s*(?:-|–|to|and)\s*)?$",
    re.I,
)
_AGE_AFTER = re.compile(
    r"^(?:[\s-]*(?:years?|months?)[\s-]+old\b|\s+(?:years?|yrs)\s+(?:and|or)\s+(?:above|older|over|younger)\b)",
    re.I,
)
_CHILD_MONTHS = re.compile(r"\b(?:children|child|infants)\s+(?:of\s+)?(?:\d+\s*[-–]\s*)?$", re.I)
# a number in a list after a naming word: "Camps 8W, 9, 10 and 8E", "grades 2 and 4", "Phase 3 or 4"
_LABEL_LIST_BEFORE = re.compile(
    r"\b(?P<w>camps?|regions?|grades?|phases?|weeks?|figures?|tables?|annex(?:es)?|sections?|zones?|blocks?|"
    r"wards?|outcomes?|levels?|rounds?|quarters?|districts?|sectors?)"
    r"(?:\s+(?:[\w]{1,4}\s*(?:,|&|and|or|to|-|–)\s*){0,8}|\s*\((?:[\w]{1,4}\s*(?:,|&|and|or|to|-|–)\s*){1,8})$",
    re.I,
)
# words after which a number names something rather than counts it ("Camp 3", "Decree 010", "No.5")
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:camps?|phase|week|epi-?week|round|figure|fig|table|page|pp?|section|chapter|annex|annexe|"
    r"appendix|decree|resolution|law|article|art|level|grade|zone|block|ward|cluster|wave|cycle|"
    r"step|item|para|paragraph|no|nos|number|num|sitrep|update|report|bulletin|edition|issue|vol|"
    r"volume|version|ipc|covid|route|road|highway|stage|goal|sdg|tier|fy|figures|tables|charts?|graphs?|"
    r"maps?|per|quarter|q|outcome|objective)\.?|#|№)[\s*_]*$",
    re.I,
)
_FOOTNOTE_BEFORE = re.compile(r"[A-Za-z)\]”\"’'][.;:)”\"’]$")
_URL_RE = re.compile(r"<?(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_CAPITAL_AFTER = re.compile(r" +[A-Z]")
_NOTE_LINE = re.compile(r"(?m)^(\d{1,2})\s+[A-Z]")  # a footnote: "1 Source: ..."
_MARK_LINE = re.compile(r"(?m)[A-Za-z] (\d{1,2})[ \t]*$")  # a line ending in its mark: "... affected 1"


class PageMarks:
    """What the rules need to know about the whole page, found once per page (searching the page for
    each number is quadratic on a long text): URLs, and the footnotes: the last "1 Source: ..." line
    of each number, and the first "... affected 1" line end."""

    def __init__(self, text: str):
        self.text = text
        self.urls = [m.span() for m in _URL_RE.finditer(text)]
        self._url_starts = [u0 for u0, _ in self.urls]
        self.notes_at: dict[str, int] = {m[1]: m.start() for m in _NOTE_LINE.finditer(text)}
        self.marks_at: dict[str, int] = {}
        for m in _MARK_LINE.finditer(text):
            self.marks_at.setdefault(m[1], m.end())

    def in_url(self, a: int) -> bool:
        k = bisect_right(self._url_starts, a) - 1
        return k >= 0 and a < self.urls[k][1]  # URLs do not overlap: only the last one starting before can hold it


@dataclass(frozen=True)
class Around:
    """A number and what the rules look at: up to 40 characters before it and 30 after, in its sentence."""

    n: Num
    raw: str  # the number as written
    a: int  # its offsets in the page
    b: int
    before: str
    after: str
    page: PageMarks


Rule = tuple[str, Callable[[Around], bool]]


# ---- numbers written in words ("one", "half", "five")

def _pronoun_one(x: Around) -> bool:
    return x.raw.lower() == "one" and bool(
        re.search(r"\b(?:no|any|every|some|the)[\s-]$", x.before, re.I)
        or re.match(r"^\s+(?:another|of|or|to\s+one|should|would|can|could|may|must)\b|^-|^\)", x.after)
    )


def _half_a_period(x: Around) -> bool:
    return x.raw.lower() == "half" and bool(re.search(r"\b(?:first|second|a|the)\s$", x.before, re.I))


def _age_in_words(x: Around) -> bool:
    return bool(_AGE_BEFORE.search(x.before) or _AGE_AFTER.match(x.after))


WORD_RULES: list[Rule] = [
    ("in-url", lambda x: x.page.in_url(x.a)),
    ("pronoun-one", _pronoun_one),  # "no one", "one of", "one another"
    ("half-a-period", _half_a_period),  # "the first half of 2021"
    ("age", _age_in_words),  # "children under five", "a four-year-old"
    ("after-hyphenated-word", lambda x: bool(re.search(r"[A-Za-z]-$", x.before))),  # "COVID-nineteen"
]


# ---- numbers written in digits

def _age(x: Around) -> bool:
    return not x.n.percent and bool(
        _AGE_BEFORE.search(x.before)
        or _AGE_AFTER.match(x.after)
        or (_CHILD_MONTHS.search(x.before) and re.match(r"^(?:\s*[-–]\s*\d+)?\s*months\b", x.after))
    )


def _numbered_list(x: Around) -> bool:
    lm = None if x.n.percent else _LABEL_LIST_BEFORE.search(x.before)
    return bool(lm and (
        re.match(r"^(?:\s*(?:[,;&).]|and\b|or\b)|\s*$)", x.after)  # more of the list follows
        or re.search(r"(?:\bor|\bto|[-–])\s*$", x.before)
        or (lm.group("w").lower().endswith("s") and re.search(r"(?:\band|&)\s*$", x.before))
    ))


def _footnote_mark_at_line_end(x: Around) -> bool:
    text, a, b = x.page.text, x.a, x.b
    if re.fullmatch(r"\d{1,2}", x.raw) and _LINE_END.match(text, b) and re.search(r"[A-Za-z] $", x.before):
        line_start = text.rfind("\n", 0, a) + 1
        return bool(re.match(r"\s*(?:[$€£]|US\$|USD)?\s*\d", text[line_start:a])) or x.page.notes_at.get(x.raw, -1) >= b
    return False


def _footnote_line(x: Around) -> bool:
    text, a = x.page.text, x.a
    return bool(re.fullmatch(r"\d{1,2}", x.raw) and (a == 0 or text[a - 1] == "\n") and _CAPITAL_AFTER.match(text, x.b)
                and x.page.marks_at.get(x.raw, a + 1) < a)


def _glued_after_word(x: Around) -> bool:
    """A number glued to the word before it is part of a name or code ("Lima1", "FY20", "H1N1"), unless
    a layout glued a figure to a lowercase word ("Treatment571", "displaced12,500"): three digits or more;
    or a figure grouped in thousands to an acronym ("Vaccinated with OCV48,242"): no code is written so."""
    before = x.before
    if re.search(r"(?:^|[^A-Za-z])[A-Z]?[a-z]{3,}$", before) and re.fullmatch(r"\d{3,}|\d{1,3}(?:,\d{3})+", x.raw):
        return False
    if re.search(r"(?:^|[^A-Za-z])[A-Z]{2,}$", before) and re.fullmatch(r"\d{1,3}(?:,\d{3})+", x.raw):
        return False
    return bool(before and (before[-1].isalpha() or before[-1] in "+#№") and not CURRENCY_BEFORE_RE.search(before))


def _word_after(after: str) -> str:
    """The word glued to a number's end ("15µg" -> "µg", "3-D" -> "D"), or "" when a letter does not follow."""
    # any letters, not only ASCII: "15µg/m³", "25ºC" (a bare `[A-Za-z]` match crashed on them)
    if after and (after[0].isalpha() or after[0] == "-" and len(after) > 1 and after[1].isalpha()):
        wm = re.match(r"-?([^\W_]+)", after)
        return wm.group(1) if wm else ""
    return ""


def _ordinal(x: Around) -> bool:
    return _word_after(x.after).lower() in ("st", "nd", "rd", "th")


def _letters_after(x: Around) -> bool:
    after = x.after
    if not (after and (after[0].isalpha() or after[0] == "-" and len(after) > 1 and after[1].isalpha())):
        return False
    word = _word_after(after)
    glued_ok = word in _GLUED_UNITS or word in CURRENCIES or (len(word) > 3 and word.isalpha())
    return after[0] != "-" and not glued_ok


def _year(x: Around) -> bool:
    if not re.fullmatch(r"(?:19|20)\d\d", x.raw):
        return False
    nxt = re.match(r"^[\s*_]+([A-Za-z]+)", x.after)
    return not (nxt and nxt.group(1).lower() in _COUNT_NOUNS)


def _item_number(x: Around) -> bool:
    n, raw, before, after = x.n, x.raw, x.before, x.after
    return bool((not before.strip(" *_") or re.search(r"[.:]\s+$", before)) and (
        re.match(r"^(?:\.\s|\)\s|\s+[A-Z][a-z])", after)
        and not n.percent
        and not n.scaled
        and ("." in raw or re.match(r"^[.)]", after))
    ))


def _in_a_name(x: Around) -> bool:
    n, raw = x.n, x.raw
    cap = re.search(r"(?<![\w.])([^\W\d_a-z][^\W\d_A-Z]+)[ ]$", x.before)
    if (
        cap
        and n.value < 1000
        and "," not in raw
        and not n.percent
        and not n.scaled
        and n.value == int(n.value)
        and cap.group(1).lower() not in _SENT_STARTERS
        and cap.group(1) not in CURRENCIES
    ):
        nxt = re.match(r"^[\s*_]+([A-Za-z]+)", x.after)
        return not (nxt and _plural(nxt.group(1).lower()))
    return False


_PHONE_BEFORE = re.compile(r"(?:tel|phone|mobile|whatsapp|hotline|fax|call)[\s.:]*[+(]?[\d\s()-]*$|\+\d[\d\s()-]*$",
                           re.I)

DIGIT_RULES: list[Rule] = [
    ("in-url", lambda x: x.page.in_url(x.a)),
    ("time-or-slash-date", lambda x: not x.n.percent and bool(
        re.match(r"^\s?(?::\d|/\d|(?:am|pm|hrs?|h)\b)", x.after, re.I))),  # "22/10/2020", "10:30"
    ("dotted-date", lambda x: bool(re.match(r"^\.\d", x.after) and re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?", x.raw))),
    ("code-or-day-range", lambda x: bool(re.search(r"\d[/:]$|\d\.$|[A-Za-z][-–]\s?$", x.before)
                                         or _DAY_RANGE_AFTER.match(x.after))),  # "COVID-19", "7-13 December"
    ("day-list", lambda x: bool(re.fullmatch(r"\d{1,2}", x.raw) and (
        _DAY_LIST_AFTER.match(x.after) or _MONTH_DAY_BEFORE.search(x.before)))),  # "26, 27 and 28 July"
    ("age", _age),  # "aged 6-59 months", "children under 5", "18 years and above"
    ("numbered-list", _numbered_list),  # "Camps 8W, 9, 10 and 8E", "grades 2 and 4"; not "camp 27 and 5 from ..."
    ("footnote-mark-at-line-end", _footnote_mark_at_line_end),  # "4.1 million Total people affected 1"
    ("footnote-line", _footnote_line),  # the footnote itself: "2 Estimated figures are based on ..."
    ("footnote-after-year", lambda x: bool(re.fullmatch(r"(?:19|20)\d\d\.\d{1,3}", x.raw)
                                           and re.match(r"^(?:\s+[A-Z]|[,;]|\s*$)", x.after))),  # "2009.7 Furthermore"
    ("footnote-after-comma", lambda x: bool(re.search(r"[A-Za-z)\]],$", x.before) and re.fullmatch(r"\d{1,3}", x.raw)
                                            and not re.match(r"^,?\d", x.after))),  # "the only access,21 and"
    ("footnote-after-word", lambda x: x.raw.startswith(".") and bool(re.search(r"[A-Za-z)\]”\"’']$", x.before))),
    ("code-with-dashes", lambda x: bool(re.match(r"^[-–]\d+[-–]", x.after)
                                        or (not x.n.percent and re.match(r"^-[A-Z]{2,}\b", x.after)))),  # 010-2020-IN
    ("glued-after-word", _glued_after_word),  # "Lima1", "FY20", "H1N1", phone "+51"
    ("footnote-after-punctuation",  # "expired.2", ").165"
     lambda x: bool(_FOOTNOTE_BEFORE.search(x.before)) and not x.n.percent),
    ("ordinal", _ordinal),  # ordinals are dates or ranks
    ("letters-after", _letters_after),  # "1E", "8W", "3D"
    ("month", lambda x: bool(_MONTH_AFTER.match(x.after) or _MONTH_BEFORE.search(x.before))),
    ("year", _year),  # a year, unless it counts something: "2020 households"
    ("naming-word-before", lambda x: bool(_LABEL_BEFORE.search(x.before))),  # "Camp 3", "Decree 010", "No.5"
    ("phone", lambda x: bool(_PHONE_BEFORE.search(x.before))),
    ("section-number", lambda x: bool(re.fullmatch(r"\d{1,2}\.\d{1,2}", x.raw)
                                      and re.match(r"^\s+[A-Z][a-z]*\b(?<!s)", x.after))),  # "4.1 In the reporting"
    ("heading-number", lambda x: not x.before.strip(" *_[(") and bool(re.match(r"^\s+[A-Z]{3,}\b", x.after))
                                 and not x.n.percent),  # "4 LASSA FEVER"
    ("item-number", _item_number),  # "1. Context"
    ("in-a-name", _in_a_name),  # "Kilo 16", "Hangar 3" (a capitalised word that is not a sentence opener)
]


def dropped_by(page: PageMarks, n: Num, s: int, e: int) -> str:
    """The name of the first rule that drops number `n` of the sentence page.text[s:e], or ""."""
    text = page.text
    a, b = s + n.start, s + n.end
    x = Around(n, text[a:b], a, b, text[max(s, a - 40) : a], text[b : min(e, b + 30)], page)
    for name, test in WORD_RULES if n.words else DIGIT_RULES:
        if test(x):
            return name
    return ""


def dropped_numbers(text: str) -> list[tuple[str, str]]:
    """Every number of a one-sentence text that a rule drops, as written, with the rule's name."""
    page = PageMarks(text)
    out = []
    for n in find_numbers(text):
        rule = dropped_by(page, n, 0, len(text))
        if rule:
            out.append((text[n.start : n.end], rule))
    return out
