"""A fact -> its matcher entry (rooted tokens, word positions, clause, unit words), the records the build
stores of both and the entry made back from them; a `Lead` is a fact before its entry is made.

Part of the index format: the build makes each fact's entry with vocabulary/'s word model and stores
it (indexer/lexicon.py), the matcher (assistant/match.py) reads it back, so the two sides share one
definition of a fact's words and the indexer imports nothing from the assistant."""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field

from indexer.clause import clause_bounds
from indexer.records import Fact, Span
from indexer.unitkind import PEOPLE
from vocabulary.roots import phrase_words, root
from vocabulary.stopwords import STOPWORDS
from vocabulary.words import content_words

_TOK = re.compile(r"[^\W\d_]+|\d[\d,.]*")
_NUMTOK = re.compile(r"\d")
IN_CONTEXT = 0.8  # a word of the fact's label, unit, headers, sector or heading, wherever its sentence has it
OTHER_CLAUSE = 0.6  # a word in another clause of the sentence than the number's counts less
BETWEEN = 0.45  # each number between a word and the fact's number multiplies its nearness by this
_UNSAFE = re.compile(r"[^\w-]")
# words that follow a bare number without being what it counts ("Some 100 received ...")
_NOT_NOUNS = frozenset("""received receive benefit benefited got were was are is have has had took take more
people's were who which that in on at for from to of with by and or as per across million billion thousand
hundred percent per cent mln bn usd""".split())  # the question's rarest word is nowhere near the fact


@dataclass(frozen=True)
class FactEntry:
    """A fact with what matching needs precomputed; frozen, like every record between stages (its lists
    and dicts are read, never changed: the matcher caches entries across questions and threads)."""

    id: int
    fact: Fact
    report_id: int
    tokens: list[str]  # stemmed tokens of the sentence
    is_num: list[bool]
    num_index: int  # token index of the number in the sentence
    context: set[str]  # stemmed words of label, unit, headers, sector, heading
    positions: dict[str, list[int]] = field(default_factory=dict)  # word -> token indexes
    num_before: list[int] = field(default_factory=list)  # numbers among tokens[:i]
    unit_words: frozenset[str] = frozenset()
    people_unit: bool = False
    where: str = ""  # lowercase label + sentence + heading, for country mentions
    next_noun: str = ""  # rooted word right after the number when it looks like a noun ("10 soup-kitchens")
    in_clause: list[bool] = field(default_factory=list)  # token i lies in the clause that carries the number
    clause: str = ""  # that clause (empty for a table cell)
    near: dict[str, float] = field(default_factory=dict)  # rooted word -> its nearness to the number (`nearness`)


def fts_term(word: str) -> str:
    """A rooted word as the inverted index stores it (one token of SQLite's unicode61 tokenizer).

    >>> fts_term("asylum-seek"), fts_term("o'brien")
    ('asylum-seek', 'obrien')
    """
    return _UNSAFE.sub("", word)


def tokenize(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _TOK.finditer(text)]


def make_entry(fid: int, fact: Fact, report_id: int) -> FactEntry:
    toks = tokenize(fact.sentence)
    rel = fact.start - fact.sentence_start
    num_index = 0
    for i, (t, pos) in enumerate(toks):
        if pos <= rel < pos + len(t) or pos >= rel:
            num_index = i
            break
    words = [("" if t.lower() in STOPWORDS else root(t)) if not _NUMTOK.match(t) else "#" for t, _ in toks]
    for start, end, word in phrase_words(fact.sentence):  # "lost their lives": its last word says "death"
        last = max((i for i, (_, pos) in enumerate(toks) if start <= pos < end), default=None)
        if last is not None:
            words[last] = word
    positions: dict[str, list[int]] = {}
    num_before = [0]
    for i, w in enumerate(words):
        if w and w != "#":
            positions.setdefault(w, []).append(i)
        num_before.append(num_before[-1] + (w == "#"))
    unit_words, people = fact_unit(fact)
    after = toks[num_index + 1][0].lower() if num_index + 1 < len(toks) else ""
    next_noun = root(after) if after.isalpha() and len(after) > 2 and after not in STOPWORDS \
        and after not in _NOT_NOUNS \
        and not after.endswith(("ed", "ing", "ly")) else ""
    if fact.kind == "table_cell":
        in_clause, clause = [True] * len(toks), ""
    else:
        left, right, _, _ = clause_bounds(fact)
        in_clause, clause = [left <= pos < right for _, pos in toks], fact.sentence[left:right]
    context = fact_context(fact)
    return FactEntry(fid, fact, report_id, words, [w == "#" for w in words], num_index,
                     context, positions, num_before, unit_words, people,
                     f"{fact.label} {fact.sentence} {fact.heading}".lower(), next_noun, in_clause, clause,
                     nearness(context, positions, num_index, num_before, in_clause))


def nearness(context: set[str], positions: dict[str, list[int]], num_index: int, num_before: list[int],
             in_clause: list[bool]) -> dict[str, float]:
    """Each rooted word of a fact (its sentence's and its context's) -> how near it is to the number, the
    factor a question word found there counts for in the `words` feature (`assistant.match.word_share`):
    1 next to the number, less with every word between (1 / (1 + (distance - 2) / 10)), times BETWEEN a
    number between, times OTHER_CLAUSE in another clause; IN_CONTEXT for a context word when no place in
    the sentence is nearer. Made once, at build time, and stored (`near_record`), so that a fact's
    `words` is known from its record before its entry is made (the matcher bounds its leads with it)."""
    out = dict.fromkeys(context, IN_CONTEXT)
    for w, at in positions.items():
        best = out.get(w, 0.0)
        for i in at:
            lo, hi = (i, num_index) if i < num_index else (num_index, i)
            between = num_before[hi] - num_before[lo + 1]
            near = 1.0 / (1.0 + max(0, hi - lo - 2) / 10.0)
            if between:
                near *= BETWEEN ** between
            if not in_clause[i]:
                near *= OTHER_CLAUSE  # "..., while another 2,000 received legal counsel"
            best = max(best, near)
        out[w] = best
    return out


def fact_context(fact: Fact) -> set[str]:
    """An entry's `context`: the rooted words of the fact's label, unit, headers, sector and heading."""
    text = " ".join(filter(None, (fact.label, fact.unit.text if fact.unit else "", fact.row_header,
                                  fact.col_header, fact.sector, fact.heading)))
    return {root(w) for w in content_words(text)}


def fact_unit(fact: Fact) -> tuple[frozenset[str], bool]:
    """An entry's `unit_words` and `people_unit`: the rooted words of the fact's unit, and whether it counts
    people (its stored unit kind)."""
    unit_text = fact.unit.text.lower() if fact.unit else ""
    if unit_text.startswith(("per ", "/")):
        unit_text = "per"  # "3 million per household" is a rate: it counts no households
    unit_words = {root(w) for w in re.findall(r"[^\W\d_]+", unit_text)}
    if fact.unit_norm:
        unit_words.add(root(fact.unit_norm))
    return frozenset(unit_words if fact.unit else ()), fact.unit_kind == PEOPLE


def entry_record(e: FactEntry) -> tuple[bytes, bytes, bytes, str]:
    """What `make_entry` derives from a fact, and the fact itself, as the build stores them: three
    `marshal` records (the fact's fields; the entry's: tokens, positions, numbers before each token,
    clause flags and unit words; its words' nearness to the number and its context words), so that
    answering makes an entry with a C call and a constructor instead of tokenizing, stemming and parsing
    clauses again, and knows a fact's `words` and `headers` from the third, small record alone. Also
    returns what the fact is found by (its sentence's words and its context words, space-separated)."""
    f = e.fact
    q, u = ((s.text, s.start, s.end) if s else None for s in (f.qualifier, f.unit))
    fact = (f.value, f.text, f.start, f.end, f.page, f.value_max, q, u, f.unit_norm, f.unit_kind,
            f.label, f.sentence, f.sentence_start, f.heading, f.sector, f.kind, f.row_header, f.col_header)
    clause_at = (0, 0) if f.kind == "table_cell" else clause_bounds(f)[:2]
    entry = (e.tokens, e.num_index, e.positions, e.num_before, sorted(e.unit_words),
             e.people_unit, e.next_noun, e.in_clause, *clause_at)
    words = " ".join(sorted({fts_term(w) for w in set(e.positions) | e.context} - {""}))
    return marshal.dumps(fact, 4), marshal.dumps(entry, 4), near_record(e.near, e.context), words


def near_record(near: dict[str, float], context: set[str]) -> bytes:
    """A fact's stored nearness (`nearness`) and context words: (words, nearness, how many of the words
    are context words), the context words first."""
    ctx = sorted(context)
    rest = sorted(set(near) - context)
    return marshal.dumps((ctx + rest, [near[w] for w in ctx + rest], len(ctx)), 4)


def near_from_record(record: bytes) -> tuple[dict[str, float], frozenset[str]]:
    """The (nearness, context words) of a stored `near_record`."""
    words, near, n_ctx = marshal.loads(record)
    return dict(zip(words, near, strict=True)), frozenset(words[:n_ctx])


def fact_from_record(report: str, record: bytes) -> Fact:
    """The fact of a stored `entry_record`.

    Made without `Fact.__init__`, which sets its 19 fields of a frozen dataclass one `object.__setattr__`
    at a time (~5x the cost) and makes the unit kind again: a question reads a few hundred of these, and
    the kind is the one stored. The same object, field for field (tests/test_match.py compares them with
    the facts table)."""
    (value, text, start, end, page, value_max, q, u, unit_norm, unit_kind, label, sentence, sentence_start, heading,
     sector, kind, row_header, col_header) = marshal.loads(record)
    f = object.__new__(Fact)
    f.__dict__.update(value=value, text=text, start=start, end=end, page=page, report=report, value_max=value_max,
                      qualifier=Span(*q) if q else None, unit=Span(*u) if u else None, unit_norm=unit_norm,
                      unit_kind=unit_kind,
                      label=label, sentence=sentence, sentence_start=sentence_start, heading=heading, sector=sector,
                      kind=kind, row_header=row_header, col_header=col_header, extra={})
    return f


def entry_from_record(fid: int, report_id: int, fact: Fact, record: bytes, near: dict[str, float],
                      context: frozenset[str]) -> FactEntry:
    """`make_entry(fid, fact, report_id)`, from its stored `entry_record` and `near_record`
    (`near_from_record`).

    Made without the frozen dataclass's `__init__` (16 `object.__setattr__` calls, ~1 us an entry, as
    `fact_from_record` does for the fact): the same object, field for field (tests/test_match.py)."""
    (tokens, num_index, positions, num_before, unit_words, people, next_noun, in_clause, c_start,
     c_end) = marshal.loads(record)
    e = object.__new__(FactEntry)
    e.__dict__.update(id=fid, fact=fact, report_id=report_id, tokens=tokens, is_num=[w == "#" for w in tokens],
                      num_index=num_index, context=set(context), positions=positions, num_before=num_before,
                      unit_words=frozenset(unit_words), people_unit=people,
                      where=f"{fact.label} {fact.sentence} {fact.heading}".lower(), next_noun=next_noun,
                      in_clause=in_clause, clause=fact.sentence[c_start:c_end], near=near)
    return e


class Content:
    """What the copies of one stored fact share: the same three records (a report series repeats its
    boilerplate; the same file under two names repeats every fact), decoded once. A copy differs only by
    its id and its report: `fact` and `entry` make the copy's from the shared fields, and what depends
    on the fact alone (the scope filter, a lead's feature ranges, its features but the passage boost)
    is computed once a content by the matcher and the composer, keyed by this object (`Lead.content`).

    Its fields, lists, sets and dicts are shared by every copy's fact and entry: read, never changed
    (as a cached entry's are)."""

    __slots__ = ("fields", "near", "context", "record", "words", "_entry", "__weakref__")

    def __init__(self, fact_record: bytes, entry_record: bytes, near_record: bytes, words: str):
        probe = fact_from_record("", fact_record)
        self.fields = probe.__dict__  # every field, `report` and `extra` set again for each copy
        self.near, self.context = near_from_record(near_record)
        self.record = entry_record
        self.words = frozenset(words.split(" "))
        self._entry: dict | None = None

    def fact(self, report: str) -> Fact:
        """The copy's fact (in `report`): `fact_from_record(report, record)`, field for field."""
        f = object.__new__(Fact)
        f.__dict__.update(self.fields)
        f.__dict__["report"] = report
        f.__dict__["extra"] = {}
        return f

    def entry(self, fid: int, report_id: int, fact: Fact) -> FactEntry:
        """The copy's entry: `entry_from_record(fid, report_id, fact, record, near, context)`, field for
        field, its entry record decoded once for every copy."""
        if self._entry is None:
            made = entry_from_record(fid, report_id, fact, self.record, self.near, self.context)
            self._entry = {k: v for k, v in made.__dict__.items() if k not in ("id", "fact", "report_id")}
            return made
        e = object.__new__(FactEntry)
        e.__dict__.update(id=fid, fact=fact, report_id=report_id)
        e.__dict__.update(self._entry)
        return e


@dataclass(frozen=True)
class Lead:
    """A fact that may become a candidate, before its entry is made: its fact and its stored words."""

    id: int
    report_id: int
    fact: Fact
    near: dict[str, float]  # its rooted words (sentence and context) -> nearness to the number (`nearness`)
    context: frozenset[str] | set[str]  # the rooted words of its label, unit, headers, sector, heading
    record: bytes | None  # its stored entry record, or None when `entry` is already made
    entry: FactEntry | None = None
    content: Content | None = None  # what it shares with every copy of its fact (None: no copy known)

    @staticmethod
    def of(fid: int, report_id: int, fact: Fact, content: Content, record: bytes) -> Lead:
        """`Lead(fid, report_id, fact, content.near, content.context, record, None, content)`, without the
        frozen dataclass's `__init__` (8 `object.__setattr__` calls: a question at scale makes a few hundred)."""
        lead = object.__new__(Lead)
        lead.__dict__.update(id=fid, report_id=report_id, fact=fact, near=content.near, context=content.context,
                             record=record, entry=None, content=content)
        return lead

    def has(self, word: str) -> bool:
        """Whether a rooted word is in the fact's sentence or context (its entry's `positions` or `context`)."""
        return word in self.near


def found_by(e: FactEntry) -> str:
    """The words an entry is found by, as `entry_record` stores them."""
    return " ".join(sorted({fts_term(w) for w in set(e.positions) | e.context} - {""}))
