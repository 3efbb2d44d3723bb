"""Text -> words as both sides compare them: lowercase tokens, light plural stems (`stem`) and content
words (stopwords and numbers left out). The indexer stores each fact's words made by these, and the
questions are read with the same, so the two sides never disagree on what a word is.
"""

from __future__ import annotations

import re

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


def tokens(text: str) -> list[str]:
    """Lowercase words, possessives dropped and apostrophes splitting ("OCHA's" -> "ocha")."""
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
    words = [w for w in tokens(text) if w not in STOPWORDS and len(w) > 1]
    return tuple(stem(w) for w in words) if stemmed else tuple(words)
