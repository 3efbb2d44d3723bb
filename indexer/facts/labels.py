"""A number in its clause in, what it counts out: the label in the clause's own words, and the sector a
sentence or heading names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.facts.text import _clean
from indexer.facts.words import _LABEL_LEAD
from indexer.records import Fact, Span
from vocabulary.sectors import SECTOR_RES
from vocabulary.stopwords import PHRASE_STOPS

# where a clause ends, for labels: punctuation, brackets, " - ", and a conjunction that starts a new
# counted clause ("... and another 2,000", "... and almost USD 1 million") or a new predicate
# ("... academic degrees and provided support")
_LEAD_Q = (
    r"(?:another|almost|nearly|over|some|about|around|approximately|roughly|only|(?:more|less|fewer)\s+than|"
    r"at\s+least|up\s+to|a\s+further|an?\s+(?:additional|estimated|total\s+of))"
)
_CLAUSE_END = re.compile(
    r"[,;:](?:\s|$)|[()\[\]]|\.(?:\s|$)|\s[-–—]\s|"
    rf"\s+(?:and|while|whereas|but)\s+(?=(?:{_LEAD_Q}\s+)?(?:[$€£]|US\$\s?|USD\s?)?\d|"
    r"(?:has|have|had|was|were|also)?\s*[a-z]+ed\b)"
)
# an aside between the counted noun and its predicate: "100 persons, including host community, benefited"
_ASIDE = re.compile(
    r"(?:including|such\s+as|among\s+(?:them|whom)|of\s+whom|mostly|mainly|notably|especially|"
    r"in\s+particular|i\.e\.|e\.g\.|both|all\s+of\s+them)\b",
    re.I,
)
_SHORT_PAREN = re.compile(r"\([^()\d\n]{1,40}\)")  # "(CBI)", "(MIMP)": part of the clause
_MAX_LABEL_WORDS = 13


def _clause_ends(text: str, lo: int, hi: int) -> list[re.Match]:
    """Clause separators in text[lo:hi], bracketed acronyms ("(CBI)") not counted."""
    out = []
    for m in _CLAUSE_END.finditer(text, lo, hi):
        c = m.group(0)
        if c == "(" and _SHORT_PAREN.match(text, m.start()):
            continue
        if c == ")" and any(p.end() == m.end() for p in _SHORT_PAREN.finditer(text, max(lo, m.end() - 42), m.end())):
            continue
        out.append(m)
    return out


def _words(text: str, a: int, b: int) -> list[str]:
    return _clean(re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text[a:b])).split()


def _label(text: str, s: int, e: int, lead: int, a1: int, unit: Span | None, prev: Fact | None, nxt: int) -> str:
    """What is counted, in the words of this number's own clause (never reaching a neighbour number).

    The counted noun and the predicate after it ("persons received hygiene kits"), and the predicate
    before it when the number is an object ("GTRM provided primary health assistance to" [10,000]
    "persons from the host"). A number after another one in the same clause takes the words between
    them ("meals to daily support" [1,700] "refugees"), or, in "from A to B", the clause opening.
    """
    # right part: from the unit (or the number) to the clause end or the next number
    r0 = unit.start if unit is not None and unit.start >= a1 else a1
    ends = _clause_ends(text, max(r0, unit.end if unit is not None else a1), e)
    r1 = min(ends[0].start() if ends else e, nxt)
    right = _words(text, r0, r1)
    if ends and r1 == ends[0].start() and ends[0].group(0).startswith(":") and len(right) <= 3 \
            and re.match(r"\s*[$€£]?\d", text[ends[0].end():e]) \
            and re.search(r":[\s*_]*$", text[max(s, lead - 3):lead]):
        right = []  # "State(s): 3 LGA(s): 5": the words before the next colon name the next figure
    if ends and r1 == ends[0].start() and ends[0].group(0).startswith(","):
        # "100 persons, including host community, benefited from ...": step over the aside
        rest = _words(text, a1 if unit is None or unit.start < a1 else unit.end, r1)
        if not rest and _ASIDE.match(text, ends[0].end()):
            more = _clause_ends(text, ends[0].end(), e)
            if more and more[0].group(0).startswith(","):
                later = _clause_ends(text, more[0].end(), e)
                right += _words(text, more[0].end(), min(later[0].start() if later else e, nxt))
    right = _trim_words(right[:10])
    if lead > s and text[lead - 1].isalpha() and len(_words(text, max(s, lead - 40), lead)) >= 2:
        right = []  # "Vaccinated with OCV48,242 Cholera Cases ...": a layout glued the figure to its label
    # left part: from the clause start (or the previous number) to the number and its qualifier
    seps = [m for m in _clause_ends(text, s, a1) if m.end() <= lead]  # separators look ahead
    l0 = seps[-1].end() if seps else s
    if prev is not None and prev.end > l0:
        from_m = re.search(rf"\bfrom[\s*_]+(?:{_LEAD_Q}[\s*_]+)?$", text[l0 : prev.start], re.I)
        start_of_prev = prev.qualifier.start if prev.qualifier and prev.qualifier.start < prev.start else prev.start
        from_m = from_m or re.search(r"\bfrom[\s*_]+$", text[l0:start_of_prev], re.I)
        if from_m:  # "a decrease in calls from almost 25,000 in September to some 19,000"
            left = _words(text, l0, l0 + from_m.start())
        else:
            p_end = max(prev.end, prev.unit.end if prev.unit is not None else prev.end)
            left = _words(text, min(p_end, lead), lead)
    else:
        left = _words(text, l0, lead)
        if nxt < e and re.search(rf"\bto[\s*_]+(?:{_LEAD_Q}[\s*_]+)?$", text[a1:nxt], re.I):
            # "from almost 25,000 in September to some 19,000": the first number drops the "from"
            while left and left[-1].lower() == "from":
                left = left[:-1]
    if not left and not right and seps and seps[-1].group(0).startswith(":") and not text[seps[-1].end():lead].strip():
        # "People in shelters*: 15 155": the words before the colon say what is counted
        left = _words(text, seps[-2].end() if len(seps) > 1 else s, seps[-1].start())
        digits = [i for i, w in enumerate(left) if re.search(r"\d", w)]
        left = left[digits[-1] + 1:] if digits else left  # the field's name, not the figures before it
    # a unit written before the number: "USD 1 million", "households (75 per cent)"
    unit_words = unit.text.split() if unit is not None and unit.end <= a1 else []
    if not (left or right or unit_words) and seps and seps[-1].group(0) == "(":
        # "the vast majority (98 percent)": the words the bracket belongs to
        left = _words(text, seps[-2].end() if len(seps) > 1 else s, seps[-1].start())
    left = left[-max(3, _MAX_LABEL_WORDS - len(right) - len(unit_words)) :]
    while left and left[0].lower() in _LABEL_LEAD:
        left = left[1:]
    words = left + unit_words + right
    while words and not any(c.isalnum() for c in words[0]):
        words = words[1:]  # list marks and symbols: "- dead", "> °C"
    while words and not any(c.isalnum() for c in words[-1]):
        words = words[:-1]
    if not words and unit is not None:
        words = unit.text.split()
    return " ".join(words)


def _trim_words(words: list[str]) -> list[str]:
    """Drop the function words a clipped phrase ends with ("... in support of more than")."""
    while words and (words[-1].lower() in PHRASE_STOPS or words[-1].lower() in _LABEL_LEAD):
        words = words[:-1]
    return words


@lru_cache(maxsize=4096)
def _named_sector(text: str) -> str:
    """`_sector(text)` for headings and headers, which repeat."""
    return _sector(text)


def _sector(text: str, near: int | None = None) -> str:
    """The sector named in `text`; with `near`, the mention closest to that offset."""
    best, best_d = "", None
    for name, rx in SECTOR_RES:
        for m in rx.finditer(text):
            if near is None:
                return name
            d = abs(m.start() - near)
            if best_d is None or d < best_d:
                best, best_d = name, d
    return best
