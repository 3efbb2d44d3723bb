"""A report's facts and pages -> the words the matcher finds them by, computed once at build time.

- `entries[i]`: fact i and what the matcher derives from it (`indexer.entries.entry_record`), so
  that answering reads it instead of deriving it again;
- `words[i]`: the rooted words of fact i (its sentence's words and its label, unit, headers, sector
  and heading), what the inverted index over facts holds: a fact shares a word with a question
  exactly when the index returns it for that word;
- `df`, `n_docs`: in how many of the report's sentences each word occurs (the IDF of a word among
  the reports a question searches is summed from these, never from a scan of the facts);
- `acronyms`: the acronyms the report defines ("Cash-Based Interventions (CBI)");
- `mentions`: how often the report names each country.

The words are the matcher's own (`indexer.entries.make_entry`, `vocabulary.roots.root`), so a
candidate's features are computed from the very words it was found by: the word model lives in
vocabulary/, which both sides import, and the indexer imports nothing from the assistant.
LEXICON_VERSION goes into the index settings: change it with the word model and indexes rebuild.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.entries import entry_record, make_entry
from indexer.records import Fact, Page
from vocabulary.countries import COUNTRIES
from vocabulary.roots import find_acronyms

LEXICON_VERSION = 4  # 2: British and American spellings made one (vocabulary/spelling.py); 3: -ation ~ -ated;
# 4: adverbs as their adjective ("cumulatively" ~ "cumulative")


@dataclass(frozen=True)
class ReportLexicon:
    words: list[str]  # per fact: its words, space-separated, for the inverted index
    entries: list[tuple[bytes, bytes, bytes]]  # per fact: its fact, entry and nearness records (entries.entry_record)
    df: Counter  # word -> sentences of the report holding it
    n_docs: int  # distinct sentences
    acronyms: dict[str, tuple[str, ...]]
    mentions: dict[str, int]  # country -> times the report names it


def report_lexicon(facts: Sequence[Fact], pages: Sequence[Page]) -> ReportLexicon:
    words: list[str] = []
    entries: list[tuple] = []
    df: Counter = Counter()
    seen: set[str] = set()
    for f in facts:
        e = make_entry(0, f, 0)
        fact_rec, entry_rec, near_rec, found_by = entry_record(e)
        entries.append((fact_rec, entry_rec, near_rec))
        words.append(found_by)
        if f.sentence not in seen:  # a sentence counts once, with its first fact's headers
            seen.add(f.sentence)
            df.update(w for w in set(e.tokens) | e.context if w and w != "#")
    text = "\n".join(p.text for p in pages)
    low = text.lower()
    mentions = {c: n for c in COUNTRIES if (n := low.count(c.lower()))}
    return ReportLexicon(words, entries, df, len(seen), find_acronyms([text]), mentions)
