"""What surrounds a figure that a question's words can be about: the places a question asks about (and whether a
figure's clause carries them), and the sentence leading a figure's, which says what "a total of" counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from assistant.question import content_words
from vocabulary.months import MONTHS
from vocabulary.roots import root, synonyms
from vocabulary.sentences import sentence_spans

if TYPE_CHECKING:
    from indexer.entries import FactEntry

# a name run: capitalised words joined by spaces or the small words inside names ("Directorate of Civil")
NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|de|du|des|la|le|the|d'|al)\s+)?[A-Z][\w'’-]*)*")
NAME_PART = re.compile(r"[^\W\d_]+")

# a name the question asks about as a place: "in Manipur", "at Cornwall Hospital", "Colombo district"
_PLACE_LEAD = re.compile(r"\b(?:in|at|from|across|within)\s+(?:the\s+)?$")
_PLACE_NOUN = re.compile(r"\s+(?:district|province|state|county|region|department|commune|LGA|municipality|city|town"
                         r"|village|neighbou?rhood|camp|site|zone|woreda|parish|island)s?\b", re.I)
# a name followed by what makes it a body or a report: "in WFP's analysis", "in the R4V update"
_NOT_PLACE = re.compile(r"['’]s\b|\s*\d|\s+(?:update|report|sitrep|situation|bulletin|brief|overview|plan|appeal"
                        r"|analysis|factsheet|snapshot|monitor|outlook|response|operation|dref|flash)\b", re.I)


def asked_places(text: str, names: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Of the question's names (`name_parts`), those it asks about as places: written after "in", "at",
    "from" ("deaths in Manipur") or before a place noun ("Colombo district"). A figure that does not carry
    such a place is about somewhere else, or everywhere (a national total)."""
    found = set()
    for run in NAME_RUN.finditer(text):
        name = run.group(0)
        if _NOT_PLACE.match(text, run.end()) or re.search(r"['’]s$", name) or all(
                w.isupper() or re.search(r"\d", w) for w in name.split()):
            continue  # "in WFP's analysis", "in the R4V update": a body or a report
        if _PLACE_LEAD.search(text[max(0, run.start() - 12):run.start()]) or _PLACE_NOUN.match(text, run.end()):
            found |= {root(p.lower()) for p in NAME_PART.findall(name)}
    return tuple(n for n in names if set(n) <= found)


def place_missing(e: FactEntry, places: Sequence[tuple[str, ...]], own: frozenset[str]) -> bool:
    """A place the question asks about (`asked_places`), not one naming the fact's report, is nowhere in the
    number's clause or headers."""
    return any(not all(p in e.context or any(e.in_clause[i] for i in e.positions.get(p, ())) for p in n)
               for n in places if not own.issuperset(n))


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_DATE_NEAR = re.compile(rf"(?i)\b(?:{MONTHS})\.?\s*$|^\s*(?:{MONTHS})\b")  # a day: "January 8", "28 October"


def place_elsewhere(e: FactEntry, places: Sequence[tuple[str, ...]], own: frozenset[str]) -> bool:
    """A place the question asks about is in the figure's sentence, but another number of it sits nearer the
    place: "63 drinking water systems damaged (17 in the South, 24 in South-East)" gives South-East 24, not 63;
    "176 health facilities ... Grand'Anse (42)" gives Grand'Anse 42. Days and years are no such numbers; table
    cells have their row for it."""
    f = e.fact
    if f.kind == "table_cell" or not places:
        return False
    s = f.sentence
    words = [(root(m.group(0).lower()), m.start(), m.end()) for m in NAME_PART.finditer(s)]
    mine = (f.start - f.sentence_start, f.end - f.sentence_start)
    numbers = [mine] + [(m.start(), m.end()) for m in _NUMBER.finditer(s) if not mine[0] <= m.start() < mine[1]
                        and not _DATE_NEAR.search(s[max(0, m.start() - 10):m.start()])
                        and not _DATE_NEAR.match(s[m.end():m.end() + 10])
                        and not re.fullmatch(r"(?:19|20)\d\d", m.group(0))]
    for n in places:
        if own.issuperset(n):
            continue
        at = [(words[k][1], words[k + len(n) - 1][2]) for k in range(len(words) - len(n) + 1)
              if tuple(w for w, _, _ in words[k:k + len(n)]) == n]
        if not at:
            continue
        a, b = at[0]
        near = min(numbers, key=lambda span: _apart(s, (a, b), span))
        if near != mine:
            return True
    return False


def _apart(s: str, place: tuple[int, int], number: tuple[int, int]) -> int:
    """Characters between a place and a number, a list's separator (",", ";", a bracket) counting as 50."""
    lo, hi = (number[1], place[0]) if number[1] <= place[0] else (place[1], number[0])
    gap = s[lo:hi] if lo < hi else ""
    return len(gap) + 50 * len(re.findall(r"[,;()\[\]]", gap))


def lead_sentence(page_text: str, at: int) -> str:
    """The sentence before the one at offset `at` of a page, in the same paragraph or bullet: "The CERF
    Anticipatory Action Framework has been activated." leads "A total of US$4 million has been allocated..."."""
    block = page_text[:at].rstrip()
    block = block[block.rfind("\n") + 1:].lstrip("-•●▪* ")  # the bullet's mark is no word of it
    if not block:
        return ""
    start, end = sentence_spans(block, 0, len(block))[-1]
    return block[start:end]


# a sentence that says what it counts by pointing back: "A total of", "Of these", "This", "It", "Including"
_ANAPHOR = re.compile(r"(?i)\s*(?:a\s+total|in\s+total|of\s+(?:these|them|which|those|this)|this|these|that|those|it|"
                      r"they|its|their|the\s+(?:same|latter|former)|including|among\s+(?:them|these|those)|"
                      r"in\s+addition|additionally|altogether|overall|so\s+far|to\s+date|such)\b")


def lead_share(weighted: Sequence[tuple[str, float]], e: FactEntry,
               page_text: Callable[[int, int], str | None]) -> float:
    """The IDF share of the question's words (`weighted`, those not naming the report) that the sentence leading
    the fact's (`lead_sentence`, on its page's text) holds and the fact's own sentence does not, when that
    sentence says what it counts by pointing back ("A total of", "Of these", "It")."""
    if not _ANAPHOR.match(e.fact.sentence):
        return 0.0
    lead = lead_sentence(page_text(e.report_id, e.fact.page) or "", e.fact.sentence_start)
    total = sum(idf for _, idf in weighted)
    if not lead or not total:
        return 0.0
    toks = {root(w) for w in content_words(lead)}
    own = {root(w) for w in content_words(e.fact.sentence)}
    return sum(idf for w, idf in weighted if any(a in toks and a not in own for a in synonyms(w))) / total
