"""A number in its sentence in, its unit out: the counted noun phrase after or before it, currencies,
rates, percentages of a whole, and the unit's normal form.
"""

from __future__ import annotations

import re

from indexer.facts.words import (
    _ED_NOUNS,
    _GLUED_UNITS,
    _ING_NOUNS,
    _IRREG_PLURAL,
    _LABEL_LEAD,
    _MODAL_LIKE,
    UNIT_NORM,
)
from indexer.numbers import CURRENCIES, ONES, TENS, Num
from indexer.records import Span
from vocabulary.months import MONTHS
from vocabulary.stopwords import PHRASE_STOPS

_WORD_AT = re.compile(r"[ \t\n\u00a0*_]*(?P<w>[A-Za-z](?:[\w'’/-]*\w)?|&)")


def _unit_after(text: str, pos: int, end: int, glued_ok: bool = True, max_words: int = 6) -> Span | None:
    """The counted noun phrase right after a number ("refugees and migrants", "hygiene kits")."""
    words: list[tuple[int, int, str]] = []
    i = pos
    glued = glued_ok and pos < end and text[pos].isalpha()
    while len(words) < max_words:
        m = _WORD_AT.match(text, i, end)
        if not m or (
            m.start("w") == m.start() and m.start() != pos and text[m.start() - 1 : m.start()] not in (" ", "\t", "\n")
        ):
            break
        if glued and not words:
            w = m.group("w")
            if w in _GLUED_UNITS or w.lower() in _GLUED_UNITS:
                of = _MEASURE_OF.match(text, m.end("w"), end)  # "60kg of rice"
                return Span(
                    text[m.start("w") : of.end() if of else m.end("w")], m.start("w"), of.end() if of else m.end("w")
                )
            return None
        w = m.group("w")
        lw = w.lower()
        nxt = _WORD_AT.match(text, m.end(), end)
        nxt_w = nxt.group("w").lower() if nxt else ""
        nxt_ok = bool(nxt) and nxt_w not in PHRASE_STOPS and nxt_w not in ONES and nxt_w not in TENS and nxt_w != "and"
        if lw in ("and", "&"):
            if not words or not nxt_ok or (len(words) > 2):
                break
            words.append((m.start("w"), m.end("w"), lw))
            i = m.end()
            continue
        if lw == "per" and words and nxt and nxt_ok:
            words.append((m.start("w"), m.end("w"), lw))
            words.append((nxt.start("w"), nxt.end("w"), nxt_w))
            break
        if (lw in PHRASE_STOPS and not (lw in _NP_OPEN and not words and nxt_ok)) or lw in ONES or lw in TENS:
            break  # "of the total population" keeps "total"
        if re.fullmatch(MONTHS, lw):
            break
        prev = words[-1][2] if words else ""
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS:
            if not ((not words or prev.endswith("ly") or prev in _MODAL_LIKE) and nxt_ok):
                break
        if lw.endswith("ing") and len(lw) > 5 and lw not in _ING_NOUNS:
            if words or not nxt_ok or not _plural(nxt_w):
                break
        words.append((m.start("w"), m.end("w"), lw))
        i = m.end()
        if _plural(lw) and nxt_w not in ("and", "&", "per"):
            break
    while words and words[-1][2] in ("and", "&", "per"):
        words.pop()
    if not words:
        return None
    u0, u1 = words[0][0], words[-1][1]
    fm = re.search(r"[A-Za-z]{3}(\d{1,3})$", text[u0:u1])
    if fm and len(words) >= 1:  # a footnote mark glued to the noun: "people1", "adolescents5"
        u1 -= len(fm.group(1))
    first = words[0][2]
    if first in _MEASURES or first in _GLUED_UNITS:
        u1 = words[0][1]  # "120 km east of Tripoli": the measure alone ...
        of = _MEASURE_OF.match(text, u1, end)
        if of:  # ... or what is measured: "60kg of rice", "35 liters of safe water"
            u1 = of.end()
    elif (m := _PER_BASE.match(text, u1, end)) or (m := _ACRONYM.match(text, u1, end)):
        u1 = m.end()  # "beds per 1,000 population", "internally displaced persons (IDPs)"
    elif words[-1][2] != "per" and (ag := _WHO_TAIL.match(text, u1, end)):
        u1 = ag.end()  # who is counted: "children under five", "boys and girls aged 6-59 months", "women at risk"
    elif words[-1][2] != "per" and (of := _OF_WORD.match(text, u1, end)):
        tail = _np_end(text, of.end(), end)  # what is counted: "cases of severe acute malnutrition"
        if tail is not None:
            u1 = tail
    return Span(text[u0:u1], u0, u1)


_AGE_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen)"
_WHO_TAIL = re.compile(
    rf"[ \t\n]+(?:(?:under|below)[ \t\n]+(?:the[ \t\n]+age[ \t\n]+of[ \t\n]+)?{_AGE_NUM}"
    rf"(?:[ \t\n]+(?:years?|months?)(?:[ \t\n]+(?:of[ \t\n]+age|old))?)?|"
    rf"(?:aged|of)[ \t\n]+{_AGE_NUM}(?:[ \t\n]*[-–][ \t\n]*{_AGE_NUM}|[ \t\n]+to[ \t\n]+{_AGE_NUM})?"
    r"[ \t\n]+(?:years?|months?)|aged[ \t\n]+\d{1,2}|at[ \t\n]+risk)\b",
    re.I,
)
# a change over a period written after a percentage is its unit ("m-o-m", "y-o-y", "year-on-year")
_PERIOD_CHANGE = re.compile(r"[ \t\n]+([a-z]+-on?-[a-z]+|[a-z]-om)\b", re.I)
_PART_OF = re.compile(
    r"[ \t\n]+of[ \t\n]+(?:(?:the|these|those|this|all|its|their)[ \t\n]+)?(?:\d[\d,.]*[ \t\n]+)?", re.I
)
_PER_RATE = re.compile(r"[ \t\n]+(per[ \t\n]+(?:\d[\d,.]*[ \t\n]+)?(?!cent\b)[A-Za-z][\w-]*)")
_LIST_GAP = re.compile(r"[\s*_]*(?:,|,?[\s*_]*(?:and|or|&|to))[\s*_]*")
# two figures each with its own modifier of one noun: "105 suspected and 35 confirmed leptospirosis cases"
_PAIR_GAP = re.compile(r"[\s*_]+((?!and\b|or\b|were\b|was\b|are\b|is\b|have\b|had\b)[a-z]+)[\s*_]+(?:and|or)[\s*_]+")
_OF_WORD = re.compile(r"[ \t\n]+of[ \t\n]+")
_NP_DETERMINERS = {"the", "a", "an"}


def _np_end(text: str, pos: int, end: int, max_words: int = 5) -> int | None:
    """Where the noun phrase at `pos` ends: its adjectives and nouns up to a verb, preposition,
    conjunction, number or punctuation mark ("severe acute malnutrition", "dengue fever")."""
    last = None
    i, n = pos, 0
    while n < max_words:
        m = _WORD_AT.match(text, i, end)
        if not m or (m.start("w") != m.start() and not text[m.start() : m.start("w")].strip(" \t\n") == ""):
            break
        lw = m.group("w").lower()
        if lw in ("and", "&"):
            nxt = _WORD_AT.match(text, m.end(), end)
            if last is None or not nxt or nxt.group("w").lower() in PHRASE_STOPS or n + 1 >= max_words:
                break
            i, n = m.end(), n + 1
            continue
        if lw in PHRASE_STOPS or lw in ONES or lw in TENS or re.fullmatch(MONTHS, lw):
            break
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS:
            break
        if lw.endswith("ing") and len(lw) > 5 and lw not in _ING_NOUNS:
            break
        last = m.end("w")
        i, n = m.end(), n + 1
    if last is None:
        return None
    if am := _ACRONYM.match(text, last, end):
        last = am.end()
        # the noun an acronym's words qualify: "Medical Officer of Health (MOH) areas"
        more = _np_end(text, last, end, max_words - n) if n < max_words else None
        last = more if more is not None else last
    return last


_MEASURES = {"liters", "litres", "tons", "tonnes", "kilograms", "kilometres", "kilometers", "metres", "meters"}
_MEASURE_OF = re.compile(
    r"[ \t\n]+of[ \t\n]+(?!the\b|a\b|an\b|their\b|its\b)[A-Za-z][\w'’-]*"
    r"(?:[ \t\n]+(?!(?:and|or|in|to|for|with|per|from|at|on|by|were|was|are|is|of)\b)[a-z][\w'’-]*)?"
)
_PER_BASE = re.compile(r"[ \t\n]+per[ \t\n]+\d[\d,.]*[ \t\n]+[A-Za-z][\w-]*")
_ACRONYM = re.compile(r"[ \t\n]*\([A-Z][A-Za-z]{1,9}\)")


def _unit_before(text: str, s: int, pos: int) -> Span | None:
    """The plural noun right before a parenthesis: "households (75 per cent)"."""
    m = re.search(r"([A-Za-z][\w'’-]*)\s*$", text[s:pos])
    if not (m and _plural(m.group(1).lower()) and m.group(1).lower() not in PHRASE_STOPS):
        return None
    u0 = s + m.start(1)
    for _ in range(2):  # its modifiers: "returnees’ households", "surveyed vendors"
        w = re.search(r"([A-Za-z][\w'’-]*)[ ]+$", text[s:u0])
        if not w or w.group(1).lower() in PHRASE_STOPS or w.group(1).lower() in ONES or w.group(1) in ("and", "&"):
            break
        u0 = s + w.start(1)
    # a share of a population ("among returnees (76 percent)", "the majority of households (75 per cent)",
    # "one in four households (23.0%)"), not an item of a list ("wells (10%)", "lack of doctors (70.2%)")
    intro = re.search(r"([A-Za-z]+)[\s*_]+(?:the[\s*_]+)?$", text[s:u0])
    if intro and intro.group(1) == "and":  # "among returnees (41 percent) and residents (37 percent)"
        pm = re.search(r"\(\s*[\d.,]+\s*(?:%|per\s?cent)\s*\)[\s*_]*$", text[s : s + intro.start(1)])
        if pm and _unit_before(text, s, s + pm.start()) is not None:
            return Span(text[u0 : s + m.end(1)], u0, s + m.end(1))
        return None
    if not intro or intro.group(1).lower() not in _SHARE_INTRO:
        return None
    if intro.group(1).lower() == "of" and re.search(
        r"\b(?:lack|shortage|fees|cost|price|prices)[\s*_]+$", text[s : s + intro.start(1)]
    ):
        return None
    return Span(text[u0 : s + m.end(1)], u0, s + m.end(1))


_RATE_NAME = re.compile(r"\(([A-Z]{2,6})(?:,[ \t]*|[ \t]*[=:][ \t]*|[ \t]+)$")
# a sentence that opens with the whole its numbers are parts of: "Of the 360 children screened, 3 ..."
_WHOLE_FIRST = re.compile(
    r"(?:out[ \t\n]+of|of|among)[ \t\n]+(?:(?:the|these|those|all)[ \t\n]+)?(?:\d[\d,.]*[ \t\n]+)?", re.I
)
_SHARE_INTRO = {"among", "amongst", "of", "all", "some", "than", "four", "five", "ten", "three", "most", "many"}
_SUBJECT_VERB = re.compile(
    r"[ \t\n]+(?:(?:is|was|are|were|remains?|remained|stood|stands|reached)(?:[ \t\n]+(?:at|now|still))?|of|"
    r"(?:(?:has|have|had)[ \t\n]+)?(?:increased|decreased|declined|rose|risen|fell|fallen|dropped|grew|grown|"
    r"dipped|jumped|surged|soared)(?:[ \t\n]+(?:by|to))?|rising[ \t\n]+to|(?:projected|expected)[ \t\n]+to[ \t\n]+"
    r"(?:rise|reach|fall)[ \t\n]+to)[ \t\n]+$"
)


def _np_before(text: str, s: int, pos: int, max_words: int = 6) -> Span | None:
    """The noun phrase that ends at `pos`, read leftwards up to a determiner, preposition,
    verb or punctuation mark: "[The] average price", "[a] case fatality rate", "cost of pulses"."""
    words: list[re.Match] = []
    i = pos
    while len(words) < max_words:
        m = _WORD_BEFORE.search(text, max(s, i - 40), i)
        if not m:
            break
        lw = m.group("w").lower()
        if lw == "of" and words and len(words) < max_words - 1:
            prev = _WORD_BEFORE.search(text, max(s, m.start() - 40), m.start())
            if prev and prev.group("w").lower() not in PHRASE_STOPS:
                words.append(m)
                i = m.start()
                continue
            break
        if lw in _NP_OPEN:
            words.append(m)
            break
        if lw in PHRASE_STOPS or lw in ONES or lw in TENS or lw in _LABEL_LEAD or lw in _CONJ or \
                re.fullmatch(MONTHS, lw):
            if lw in _PREPOSITIONS:
                return None  # "cases in Nigeria decreased": a place, not what is measured
            break
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS and not words:
            break
        words.append(m)
        i = m.start()
    while words and words[-1].group("w").lower() == "of":
        words.pop()
    if not words or words[0].group("w").lower() in _CHANGE_NOUNS:
        return None  # "a decrease of 20%": the change, not what changed
    if len(words) > 2 and words[-1].group("w").lower() == "number" and words[-2].group("w").lower() == "of":
        words = words[:-2]  # "the number of people receiving health services"
    u0, u1 = words[-1].start("w"), words[0].end("w")
    return Span(text[u0:u1], u0, u1)


_NP_OPEN = {"total", "overall"}  # read leftwards, these open the noun phrase: "total test positivity rate"
_CONJ = {"though", "although", "because", "whether", "whereas", "while", "since", "unless"}
_PREPOSITIONS = {"in", "at", "on", "from", "across", "among", "for", "with", "by", "to", "into", "within", "between"}
_CHANGE_NOUNS = {"increase", "decrease", "reduction", "drop", "decline", "rise", "fall", "growth", "change", "cut"}
_WORD_BEFORE = re.compile(r"(?P<w>[A-Za-z](?:[\w'’/-]*\w)?)[ \t\n]*$")


def _span_of(text: str, s: int, n: Num) -> Span:
    return Span(text[s + n.start : s + n.end], s + n.start, s + n.end)


def _plural(w: str) -> bool:
    return w in _IRREG_PLURAL or (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")))


def _norm(unit: str) -> str:
    low = " ".join(unit.lower().split())
    if low in UNIT_NORM:
        return UNIT_NORM[low]
    if unit in CURRENCIES:
        return CURRENCIES[unit]
    head = re.split(r"\s+per\s+", low)[0].split()
    for w in reversed(head):
        if w in UNIT_NORM:
            return UNIT_NORM[w]
    return ""


def _label_norm(label: str) -> str:
    """A unit implied by a key figure's or table's label ("PEOPLE REACHED" -> people)."""
    if re.search(r"\bfund|requirement|required|appeal|budget", label, re.I):
        return "USD"
    for w in re.findall(r"[a-z-]+", label.lower()):
        if w in UNIT_NORM and w not in ("case", "t", "l"):
            return UNIT_NORM[w]
    return ""


def _is_currency(unit: str) -> bool:
    return unit in CURRENCIES


def _inherits(text: str, a0: int, a1: int, e: int) -> bool:
    """A bare number in a list after a counted one takes its unit ("1,463 in April and 1,054 in March")."""
    after = text[a1:e]
    return (
        bool(re.match(r"^[\s*_]*(?:\)|in\b|during\b|,\s|and\b|;|\.|$)", after))
        or text[max(0, a0 - 1) : a0] == "("
        # "65 patients were referred, 50 were discharged": the noun is left out, not changed
        or bool(re.match(r"^[\s*_]+(?:were|was|are|is|have|had|has|remain|remained)\b", after))
        or bool(_OF_THESE.match(after))
        # "11,900 houses were flooded, 176 destroyed, and 4,257 damaged": a list of what befell one noun
        or bool(re.search(r"(?:,|\band)[\s*_]*$", text[max(0, a0 - 6):a0]) and (m := _STATE_AFTER.match(after))
                and m.group(1).lower() not in _BEFALL_PEOPLE)
    )


_STATE_AFTER = re.compile(r"^[\s*_]+([a-z]+ed)\b(?![\s*_]+(?:by|to|from|with|for|in|at|on)\b[\s*_]+\d)")
# what befalls people, not the houses or schools listed before: "100 houses destroyed, 5 killed"
_BEFALL_PEOPLE = frozenset(
    "killed injured wounded rescued evacuated displaced hospitalized hospitalised infected vaccinated treated "
    "recovered died deceased affected reached assisted registered screened tested admitted discharged "
    "referred confirmed suspected isolated traced trained employed".split())


# "150,000 houses were affected, with 2,300 of these completely destroyed": the unit of the one before
_OF_THESE = re.compile(r"[\s*_]+of\s+(?:these|them|those|which|whom)\b", re.I)
