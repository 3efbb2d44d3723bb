"""Where sentences end: text and a span in, sentence spans out; and the passage breaks of chunking.

Two splitters with two jobs, kept side by side: a fact's sentence (`sentence_spans`: a full stop,
question or exclamation mark before a capital or digit, not after an abbreviation or a single
letter) and a passage's pieces (`PASSAGE_BREAK`: also after ; and :, at blank lines and list items,
so that chunks break at clause ends). The answer composer's clause splitter lives with it
(assistant/text.py).

>>> text = "Approx. 5 kits were given, e.g. to U.S. partners. Then 3 more."
>>> [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
['Approx. 5 kits were given, e.g. to U.S. partners.', 'Then 3 more.']
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset({
    "no", "nos", "approx", "e.g", "i.e", "vs", "mr", "mrs", "dr", "st", "fig", "est", "p", "pp", "u.s", "jan",
    "feb", "aug", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "art", "para", "vol",
})
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z0-9“\"(¹²³-])")
PASSAGE_BREAK = re.compile(r"(?<=[.!?;:])[\"'”’)]*\s+(?=[A-Z0-9\"“‘(*\-•])|\n\s*\n|\n(?=\s*[-•*]\s)")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of text[start:end] as (start, end) offsets into `text`."""
    out = []
    s = start
    for m in SENTENCE_END.finditer(text, start, end):
        word = re.search(r"([\w.]+)[.!?][\"”’)]*$", text[s : m.start() + 1])
        if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        out.append((s, m.start() + 1))
        s = m.end()
    if s < end:
        out.append((s, end))
    return out
