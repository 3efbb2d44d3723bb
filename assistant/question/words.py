"""Words of a question: the scanner that finds the phrases of a long word list (countries, sectors,
publishers) in a text (tokens, stems and content words: vocabulary/words.py).
"""

from __future__ import annotations

import re

from assistant.vocab import CASED

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
        if not cased and w in CASED:  # "Chad", and a table's header in capitals: "CHAD", not "chad"
            esc = f"(?-i:{esc}|{re.escape(w.upper())})"
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
