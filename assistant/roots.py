"""A question -> its counted words, rooted; the acronyms it names -> their expansions (and the reverse).
The word model itself (root, synonyms, month roots, acronyms found in reports) is vocabulary/roots.py's."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.question import Query
from vocabulary.months import MONTH_WORDS
from vocabulary.roots import phrase_words, root


def query_words(q: Query) -> list[str]:
    """Stemmed question words that say what is counted, plus month names of a named period."""
    words = [root(w) for w in q.measure_words if w]
    words += [w for _, _, w in phrase_words(q.text)]  # "how many lost their lives" asks for deaths
    low = q.period_text.lower()
    words += [m for m in MONTH_WORDS if m in low]
    return list(dict.fromkeys(words))


def expand_acronyms(words: Sequence[str], acronyms: dict[str, tuple[str, ...]]) -> list[str]:
    """Extra words: an acronym's expansion when the question names it, and the reverse."""
    have = set(words)
    extra: list[str] = []
    for acr, expansion in acronyms.items():
        if acr in have:
            extra += [w for w in expansion if w not in have]
        elif expansion and all(w in have for w in expansion):
            extra.append(acr)
    return extra
