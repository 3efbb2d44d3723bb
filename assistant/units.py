"""A question and a fact -> whether the fact's unit can answer it: money and people units, "how many
<noun>" and the fit of a fact's unit to it, percentages."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from assistant.question import Query
from indexer.entries import fact_unit
from indexer.records import Fact
from indexer.unitkind import MONEY, MONEY_UNITS, NON_COUNT_UNITS, PERCENT
from vocabulary.roots import root, synonyms
from vocabulary.units import PEOPLE_WORDS
from vocabulary.words import stem

if TYPE_CHECKING:
    from indexer.entries import FactEntry
    from indexer.reader import IndexReader

__all__ = ["MONEY_UNITS", "NON_COUNT_UNITS", "UnitColumn", "dimension_fits", "is_percent", "points_back", "unit_fit",
           "unit_fits", "wanted_unit"]
UNIT_QUESTIONS = 256  # kinds of question (expected kind, "how many <head>") whose unit decisions are kept
_PEOPLE_ROOTS = frozenset(root(w) for w in PEOPLE_WORDS)

_HOW_MANY = re.compile(r"\bhow\s+many\s+", re.I)
_NUMBER_OF = re.compile(r"\b(?:number|count|total|tally)\s+of\s+(?:the\s+)?", re.I)
_TOLL = re.compile(r"\b(?:death|casualty|human)\s+toll\b", re.I)
# words that end the noun phrase after "how many"
_PLURALS = frozenset({"people", "children", "women", "men", "staff", "personnel", "livestock", "cattle", "police"})
_PHRASE_END = frozenset("""were was are is did do does have has had received receive got get benefit benefited
benefitted reached reach live lived died die will would could can of in on at from for by with across since per
still remain remained remaining according there under outside within aged between who that which were""".split())


@dataclass(frozen=True)
class _Unit:
    """What `unit_fit` reads of an entry when the fact has a unit."""

    unit_words: frozenset[str]
    people_unit: bool



def wanted_unit(q: Query) -> tuple[str | None, bool | None]:
    """The head noun of "how many <noun phrase>" (rooted) and whether it counts people."""
    m = _HOW_MANY.search(q.text) or _NUMBER_OF.search(q.text)
    if not m:
        if _TOLL.search(q.text):
            return "death", True  # "what was the death toll"
        return None, None
    words = []
    for tok in re.findall(r"[\w'’-]+|[^\w\s]", q.text[m.end():]):
        if not re.match(r"[^\W\d_]", tok) or tok.lower() in _PHRASE_END or len(words) >= 5:
            break
        words.append(tok)
    if not words:
        return None, None
    # the head is the first plural noun ("confirmed Marburg cases", "days without a new case")
    plural = next((w for w in words if w.lower() in _PLURALS or (
        w.lower().endswith("s") and not w.lower().endswith(("ss", "us", "is")) and len(w) > 3)), None)
    head = plural or words[-1]
    upto = words[:words.index(head) + 1]
    return root(head), any(stem(w.lower()) in PEOPLE_WORDS for w in upto)


# what is read as a figure's unit but points back to the figure before it: "more than 160 homes, while
# 80 others were completely destroyed", "10,574 houses damaged, and 1,325 completely destroyed"
_ANAPHORIC = frozenset(root(w) for w in """other others more additional further completely totally partially
fully respectively""".split())


def points_back(unit_words: frozenset[str]) -> bool:
    """The unit read is a word that points back to the figure before ("80 others", "1,325 completely")."""
    return bool(unit_words) and unit_words <= _ANAPHORIC


def unit_fit(head: str | None, people: bool | None, e: FactEntry | _Unit) -> float | None:
    """How well a fact's unit answers "how many <head>"; None when its own unit is something else. A
    unit that points back ("80 others") is the unit of the figure before it in the sentence."""
    if head is None:
        return 0.0
    if points_back(e.unit_words):
        if isinstance(e, _Unit):
            return 0.0  # kept: its entry decides
        prev = [i for i in range(e.num_index) if e.is_num[i]]  # the noun after the sentence's figure before
        if prev and any(a in e.tokens[prev[-1] + 1:prev[-1] + 3] for a in synonyms(head)):
            return 0.2
    elif e.unit_words:
        if head == "person":  # "how many people": any count of people fits, none better than another
            return 0.05 if e.people_unit else None
        if any(a in e.unit_words for a in synonyms(head)):
            return 0.2
        return 0.03 if people and e.people_unit else None
    near = e.tokens[max(0, e.num_index - 4):e.num_index] + e.tokens[e.num_index + 1:e.num_index + 5]
    if head != "person" and any(a in near for a in synonyms(head)):
        return 0.08
    if e.next_noun and people and stem(e.next_noun) not in PEOPLE_WORDS and e.next_noun not in _PEOPLE_ROOTS:
        return -0.2  # "10 soup-kitchens" does not count people
    return 0.0 if people else -0.06  # "Some 100 received ..." leaves the people implicit


def is_percent(f: Fact) -> bool:
    return f.unit_kind == PERCENT


def unit_fits(expected: str, f: Fact) -> bool:
    """Whether a fact's unit kind (stored with it at index time) can answer the expected kind."""
    if expected == "money":  # a table or panel figure may leave its currency to the page ("REQUIREMENT BY SECTOR")
        return f.unit_kind == MONEY or (f.unit_kind != PERCENT and not f.unit_norm and f.kind != "prose")
    if expected == "percent":
        return f.unit_kind == PERCENT
    if expected in ("count", "duration"):
        return f.unit_kind not in (MONEY, PERCENT)
    return True


# what a question measures and what a unit measures: "how far did the winds reach" is a length, never a
# speed ("15 km/h"); "what were the maximum sustained winds" a speed, never a length
_ASKED_DIMENSION = (
    ("length", re.compile(r"(?i)\bhow\s+far\b|\bdistance\b|\bradius\b")),
    ("speed", re.compile(r"(?i)\bhow\s+fast\b|\bspeed\b|\bwinds?\b|\bgusts?\b")),
    ("pressure", re.compile(r"(?i)\bpressure\b")),
)
_UNIT_DIMENSION = (
    ("speed", re.compile(r"(?i)(?:\bkm|\bm|\bmi)\s*/\s*h(?:r|our)?\b|\b(?:kph|kmph|mph|knots?|kt)\b")),
    ("pressure", re.compile(r"(?i)\b(?:hpa|mb|mbar|millibars?)\b")),
    ("length", re.compile(r"(?i)\b(?:km|kilomet(?:er|re)s?|miles?)\b")),
)


def _dimension(text: str, table: tuple) -> str | None:
    return next((name for name, rx in table if rx.search(text)), None)


@lru_cache(maxsize=1024)
def _asked_dimension(question: str) -> str | None:
    """What the question measures, read once a question (the scope filter asks it for every fact)."""
    return _dimension(question, _ASKED_DIMENSION)


def dimension_fits(question: str, f: Fact) -> bool:
    """A fact whose unit measures another thing than the question never answers it.

    >>> from indexer.records import Fact, Span
    >>> speed = Fact(value=15.0, text="15", start=0, end=2, unit=Span("km/h", 3, 7))
    >>> dimension_fits("How far from its centre did the winds reach?", speed)
    False
    >>> dimension_fits("What were the maximum sustained winds?", speed)
    True
    """
    asked = _asked_dimension(question)
    own = _dimension(f.unit.text, _UNIT_DIMENSION) if asked and f.unit else None
    return own is None or own == asked


class UnitColumn:
    """The index's unit column (`IndexReader.fact_units`) -> which facts' units can answer a question, decided
    before their rows are read: those that `unit_fits` (the scope filter's first rule) and `unit_fit` would
    drop, whatever the rest of the fact, are left out. Each distinct unit is decided once for a kind of
    question (a corpus has a few hundred units, a question's pool a few dozen)."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        self._lock = threading.Lock()
        # (expected kind, head noun, counts people) -> unit code -> whether that unit can answer
        self._ok: OrderedDict[tuple, dict[int, bool]] = OrderedDict()
        self._facts: dict[int, tuple[Fact, _Unit | None]] = {}

    def fitting(self, ids: np.ndarray, expected: str, head: str | None, people: bool | None) -> np.ndarray:
        """Which of the ids have a unit that can answer the question (a mask in their order)."""
        if not len(ids):
            return np.zeros(0, dtype=bool)
        codes, units = self.reader.fact_units()
        at = codes[ids]
        key = (expected, head, people)
        with self._lock:
            ok = self._ok.pop(key, None) or {}
            self._ok[key] = ok
            while len(self._ok) > UNIT_QUESTIONS:
                self._ok.popitem(last=False)
            for c in np.unique(at).tolist():
                if c not in ok:
                    if c not in self._facts:
                        f = units[c].fact()
                        words, people_unit = fact_unit(f)
                        self._facts[c] = (f, _Unit(words, people_unit) if words else None)
                    f, unit = self._facts[c]
                    ok[c] = unit_fits(expected, f) and (unit is None or unit_fit(head, people, unit) is not None)
            return np.fromiter((ok[c] for c in at.tolist()), dtype=bool, count=len(at))
