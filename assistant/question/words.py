"""Words of a question: text in, lowercase tokens, light stems and content words out; and the
scanner that finds the phrases of a long word list (countries, sectors, publishers) in a text.
"""

from __future__ import annotations

import re

from assistant.vocab import CASED
from vocabulary.stopwords import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_IRREGULAR = {
    "people": "person",
    "persons": "person",
    "children": "child",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "data": "data",
    "media": "media",
    "criteria": "criterion",
}
_KEEP_S = ("ss", "us", "is", "os", "as", "ics", "news")


def stem(word: str) -> str:
    """Light plural stripping, enough for word overlap.

    >>> [stem(w) for w in ("kits", "persons", "activities", "boxes", "children", "access", "status")]
    ['kit', 'person', 'activity', 'box', 'child', 'access', 'status']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.endswith(_KEEP_S):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def _tokens(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        if w.endswith("'s"):
            w = w[:-2]
        out.extend(p for p in w.split("'") if p)
    return out


def content_words(text: str, stemmed: bool = False) -> tuple[str, ...]:
    """Lowercase words minus stopwords and numbers (optionally stemmed), in order.

    >>> content_words("How many hygiene kits were received in 2020?")
    ('hygiene', 'kits', 'received')
    >>> content_words("OCHA's 5 flash updates", stemmed=True)
    ('ocha', 'flash', 'update')
    """
    words = [w for w in _tokens(text) if w not in STOPWORDS and len(w) > 1]
    return tuple(stem(w) for w in words) if stemmed else tuple(words)


_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _firsts(words) -> frozenset[str]:
    """Lowercase first words of the phrases an alternation matches: where a match can start."""
    return frozenset(m.group(0).lower() for w in words if (m := _FIRST_WORD.search(w)))


def _scan(rx: re.Pattern, firsts: frozenset[str], text: str):
    """rx.finditer(text), trying only at words that can start a match: a 300-way alternation
    tried at every character costs ~0.1 ms a question; this costs a few microseconds."""
    pos = 0
    for w in _FIRST_WORD.finditer(text):
        if w.start() < pos or w.group(0).lower() not in firsts:
            continue
        m = rx.match(text, w.start())
        if m:
            yield m
            pos = m.end()


_ENGLISH = {"reach", "care", "echo", "plan", "hope", "impact", "alert", "start", "relief", "mercy"}


def _alt(words, cased=False) -> str:
    parts = []
    for w in sorted(words, key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]")
        if not cased and w in CASED:
            esc = f"(?-i:{esc})"
        elif not cased and w.isupper():  # "WHO", "REACH", "CARE" are words too; "Unicef" is not
            title = w.title() if len(w) >= 5 and w.lower() not in _ENGLISH else ""
            esc = f"(?-i:{esc}|{re.escape(title)})" if title else f"(?-i:{esc})"
        parts.append(esc)
    return "|".join(parts)


def _lookup_ci(table: dict[str, str], key: str) -> str | None:
    key = re.sub(r"\s+", " ", key).lower().replace("’", "'")
    for k, v in table.items():
        if k.lower() == key:
            return v
    return None
