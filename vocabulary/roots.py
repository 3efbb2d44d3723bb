"""A word -> its root as the matcher compares words: stems, verb endings, lemmas, synonyms, month roots,
and the acronyms reports define ("Cash-Based Interventions (CBI)").

The one word model of both sides: the build roots every fact's words with it (indexer/entries.py) and
the matcher roots the question's, so a fact is found by exactly the words it is scored on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from vocabulary.months import MONTH_WORDS
from vocabulary.spelling import american
from vocabulary.words import stem

# verbs questions use for what reports write as nouns ("how many people died" ~ "deaths")
_LEMMAS = {"died": "death", "die": "death", "dead": "death", "deceased": "death", "fatalities": "death",
           "fatality": "death", "toll": "death", "perished": "death", "perish": "death"}
# phrases that say a word: "46 people lost their lives" counts deaths (`phrase_words`)
_PHRASES = ((re.compile(r"(?i)\b(?:lost\s+(?:their|his|her)\s+li(?:ves|fe)|passed\s+away)\b"), "death"),)


def phrase_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, root) of the phrases in a text that say one word's root.

    >>> phrase_words("46 people lost their lives, 250,000 were affected")
    [(10, 26, 'death')]
    """
    return [(m.start(), m.end(), word) for rx, word in _PHRASES for m in rx.finditer(text)]


# words reports and questions use for the same thing, as roots: a question word matches any of its group
_SYNONYM_GROUPS = (
    ("hous", "hom", "dwell"),  # "homes destroyed" ~ "houses destroyed"
    ("injur", "injury", "wound", "hurt"),  # "how many were hurt" ~ "injured"
    ("death", "kill"),  # "how many were killed" ~ "deaths"
    ("person", "individu"),
    ("build", "structur"),  # "buildings damaged" ~ "840,000 structures were damaged"
    ("student", "pupil", "learner", "schoolchildren"),
    ("boat", "vessel"),
    ("spend", "spent", "expend", "expenditur", "utiliz"),  # "how much was spent" ~ "the operation utilized CHF"
    ("evacuat", "evacuation", "evacue"),
    ("flood", "inundat", "submerg"),  # "houses flooded" ~ "houses inundated"
    ("rain", "rainfall", "precipitat"),  # "how much rain fell" ~ "rainfall surpassed 400 mm"
    # a measure written out or as its symbol: "how many hectares" ~ "15 ha of maize"
    ("hectar", "ha"),
    ("kilometer", "km"),
    ("millimeter", "mm"),
    ("kilogram", "kg"),
    ("tonn", "ton", "mt"),
)
_SYNONYMS = {w: group for group in _SYNONYM_GROUPS for w in group}


def synonyms(word: str) -> tuple[str, ...]:
    """A rooted word and the roots that mean the same (itself first).

    >>> synonyms("hom")
    ('hom', 'hous', 'dwell')
    >>> synonyms("kits")
    ('kits',)
    >>> synonyms(root("hectares"))
    ('hectar', 'ha')
    """
    group = _SYNONYMS.get(word)
    return (word,) if group is None else (word, *(w for w in group if w != word))


# adjective endings whose adverb in -ly is read as the adjective (not "family", "weekly", "only")
_ADVERB_OF = ("ive", "al", "ed", "ful", "ous", "ent", "ant", "ate", "ic")


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """Stem plus common verb endings, so "funding" ~ "funded" ~ "fund" when matching words, in one
    spelling ("centre" ~ "center": vocabulary/spelling.py), a verb's noun with it ("allocation" ~
    "allocated": a panel's "DREF Allocation" answers "how much was allocated").

    >>> [root(w) for w in ("funding", "funded", "allocation", "allocated", "distributions", "distribute")]
    ['fund', 'fund', 'allocat', 'allocat', 'distribut', 'distribut']
    >>> [root(w) for w in ("centres", "center", "station", "nation")]
    ['center', 'center', 'station', 'nation']
    >>> [root(w) for w in ("cumulatively", "cumulative", "additionally", "family", "weekly", "only")]
    ['cumulativ', 'cumulativ', 'addition', 'family', 'weekly', 'only']
    """
    w = american(stem(word.lower()))
    # "cumulatively" ~ "Cumulative", "reportedly" ~ "reported"
    if len(w) > 6 and w.endswith("ly") and w[:-2].endswith(_ADVERB_OF):
        w = w[:-2]
    if w in _LEMMAS:
        return _LEMMAS[w]
    if w.endswith(("ation", "ution")) and len(w) >= 8:  # "allocation" ~ "allocated", "distribution" ~ "distributed"
        return w[:-3]
    for suffix in ("ment", "ing", "ed", "al"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


_ACRONYM = re.compile(r"((?:[A-Za-z][\w'’-]*\s+){1,8})\(([A-Z][A-Za-z]{1,7})\)")
_LINKS = frozenset({"of", "and", "for", "the", "de", "la", "del", "des", "du", "on", "in", "to"})


def find_acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Acronyms the reports define ("Cash-Based Interventions (CBI)") -> rooted expansion words."""
    out: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for m in _ACRONYM.finditer(text):
            acr = m.group(2)
            letters = [c for c in acr if c.isupper()]
            words = [w for w in re.findall(r"[^\W\d_]+", m.group(1)) if w.lower() not in _LINKS]
            if len(letters) < 2 or len(words) < len(letters):
                continue
            tail = words[-len(letters):]
            if [w[0].upper() for w in tail] != letters:
                continue
            out.setdefault(root(acr), tuple(root(w) for w in tail))
    return out


@lru_cache(maxsize=1)
def month_roots() -> frozenset[str]:
    """The roots of the month names ("januari" for "January", as `root` makes them)."""
    return frozenset(root(m) for m in MONTH_WORDS)
