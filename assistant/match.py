"""Query + fact table -> candidate facts with named features: meaning, words near the number, unit, scope.

Hard filters (a unit that cannot answer, a table cell under another sector or group) drop a fact;
every other candidate gets the features of `assistant.rank.FEATURES`, among them
- meaning: cosine between the question and the fact's label (embedded at index time);
- words: question words found in the fact's sentence, weighted by rarity (IDF) and by how close
  they sit to the number (words across another number count less), plus its label and headers;
- passage: whether the fact's sentence is in a passage the hybrid retriever ranked high;
- unit: the expected answer (count, money, percent) rules out incompatible units;
- scope: sector and population group (table row/column headers) when the question names them.
"""

from __future__ import annotations

import marshal
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.question import STOPWORDS, Query, content_words, stem
from indexer.clause import clause_bounds
from indexer.noise import noise
from indexer.numbers import CURRENCIES
from indexer.postings import single_tokens
from indexer.records import Fact, Span
from indexer.store import FACT_TOKENIZER

_TOK = re.compile(r"[^\W\d_]+|\d[\d,.]*")
_NUMTOK = re.compile(r"\d")

SEM_ALONE = 0.7  # a fact sharing no word with the question needs this much meaning
SEM_POOL = 150  # facts closest in meaning always scored, whatever their words
LEX_POOL = 400  # facts sharing a word with the question scored, the best by BM25 over their words
TABLE_SCAN = 4096  # facts nearest the question searched for the table a sum or a "which most" reads
ENTRY_CACHE = 2048  # fact entries kept between questions (a few KB each): a bound, not a share of the corpus
OTHER_CLAUSE = 0.6  # a question word in another clause of the sentence than the number's counts less
EVENT_WEIGHT = 1.5  # what happened to those counted ("displaced", "affected", "died") weighs more
_EVENT = re.compile(r"(?:[^e]ed|died|dead)$")
# a question about how many there are (a population), and clauses that say what was done
_STOCK = re.compile(r"\b(?:live|lives|living|reside|resides|residing|hosts?|hosted|hosting|are there|there are|"
                    r"stay|stayed|staying)\b", re.I)
_ACTION = re.compile(r"\b(?:assisted|received|reached|supported|provided|distributed|benefit(?:t?ed)?|served|"
                     r"treated|trained|referred|helped|got|given|delivered)\b", re.I)
# words that follow a bare number without being what it counts ("Some 100 received ...")
_NOT_NOUNS = frozenset("""received receive benefit benefited got were was are is have has had took take more
people's were who which that in on at for from to of with by and or as per across million billion thousand
hundred percent per cent mln bn usd""".split())  # the question's rarest word is nowhere near the fact

# every currency code the extractor normalises to, so that a fact in SYP or NGN answers "how much money"
MONEY_UNITS = frozenset(CURRENCIES.values()) | {"HTG", "PEN", "money"}
NON_COUNT_UNITS = MONEY_UNITS | {"percent"}
_CURRENCY_WORDS = frozenset({"euro", "dollar", "franc", "pound", "shilling", "naira", "gourde", "birr", "rupee",
                             "taka", "sol", "peso", "real", "lira", "dinar", "cedi", "kwacha", "rand"})


@dataclass
class FactEntry:
    """A fact with what matching needs precomputed."""

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
    return FactEntry(fid, fact, report_id, words, [w == "#" for w in words], num_index,
                     fact_context(fact), positions, num_before, unit_words, people,
                     f"{fact.label} {fact.sentence} {fact.heading}".lower(), next_noun, in_clause, clause)


def fact_context(fact: Fact) -> set[str]:
    """An entry's `context`: the rooted words of the fact's label, unit, headers, sector and heading."""
    text = " ".join(filter(None, (fact.label, fact.unit.text if fact.unit else "", fact.row_header,
                                  fact.col_header, fact.sector, fact.heading)))
    return {root(w) for w in content_words(text)}


def fact_unit(fact: Fact) -> tuple[frozenset[str], bool]:
    """An entry's `unit_words` and `people_unit`: the rooted words of the fact's unit, and whether it counts people."""
    unit_text = fact.unit.text.lower() if fact.unit else ""
    unit_words = {root(w) for w in re.findall(r"[^\W\d_]+", unit_text)}
    if fact.unit_norm:
        unit_words.add(root(fact.unit_norm))
    people = (fact.unit_norm or "") in PEOPLE_UNITS or bool(
        {stem(w) for w in re.findall(r"[^\W\d_]+", unit_text)} & PEOPLE_WORDS)
    return frozenset(unit_words if fact.unit else ()), people


def entry_record(e: FactEntry) -> tuple[bytes, bytes, str]:
    """What `make_entry` derives from a fact, and the fact itself, as the build stores them: two
    `marshal` records (the fact's fields; the entry's: tokens, positions, numbers before each token,
    clause flags, context and unit words), so that answering makes an entry with a C call and a
    constructor instead of tokenizing, stemming and parsing clauses again. Also returns what the
    fact is found by (its sentence's words and its context words, space-separated)."""
    from assistant.lexicon import fts_term

    f = e.fact
    q, u = ((s.text, s.start, s.end) if s else None for s in (f.qualifier, f.unit))
    fact = (f.value, f.text, f.start, f.end, f.page, f.value_max, q, u, f.unit_norm,
            f.label, f.sentence, f.sentence_start, f.heading, f.sector, f.kind, f.row_header, f.col_header)
    clause_at = (0, 0) if f.kind == "table_cell" else clause_bounds(f)[:2]
    entry = (e.tokens, e.num_index, sorted(e.context), e.positions, e.num_before, sorted(e.unit_words),
             e.people_unit, e.next_noun, e.in_clause, *clause_at)
    words = " ".join(sorted({fts_term(w) for w in set(e.positions) | e.context} - {""}))
    return marshal.dumps(fact, 4), marshal.dumps(entry, 4), words


def fact_from_record(report: str, record: bytes) -> Fact:
    """The fact of a stored `entry_record`.

    Made without `Fact.__init__`, which sets its 19 fields of a frozen dataclass one `object.__setattr__`
    at a time (~5x the cost): a question reads a few hundred of these. The same object, field for field
    (tests/test_match.py compares them with the facts table)."""
    (value, text, start, end, page, value_max, q, u, unit_norm, label, sentence, sentence_start, heading, sector,
     kind, row_header, col_header) = marshal.loads(record)
    f = object.__new__(Fact)
    f.__dict__.update(value=value, text=text, start=start, end=end, page=page, report=report, value_max=value_max,
                      qualifier=Span(*q) if q else None, unit=Span(*u) if u else None, unit_norm=unit_norm,
                      label=label, sentence=sentence, sentence_start=sentence_start, heading=heading, sector=sector,
                      kind=kind, row_header=row_header, col_header=col_header, extra={})
    return f


def entry_from_record(fid: int, report_id: int, fact: Fact, record: bytes) -> FactEntry:
    """`make_entry(fid, fact, report_id)`, from its stored `entry_record`."""
    (tokens, num_index, context, positions, num_before, unit_words, people, next_noun, in_clause, c_start,
     c_end) = marshal.loads(record)
    return FactEntry(fid, fact, report_id, tokens, [w == "#" for w in tokens], num_index, set(context), positions,
                     num_before, frozenset(unit_words), people,
                     f"{fact.label} {fact.sentence} {fact.heading}".lower(), next_noun, in_clause,
                     fact.sentence[c_start:c_end])


@dataclass(frozen=True)
class _Unit:
    """What `unit_fit` reads of an entry when the fact has a unit."""

    unit_words: frozenset[str]
    people_unit: bool


@dataclass(frozen=True)
class Lead:
    """A fact that may become a candidate, before its entry is made: its fact and the words it is found by."""

    id: int
    report_id: int
    fact: Fact
    words: str  # its rooted words as the inverted index holds them, space-separated, with a space before and after
    record: bytes | None  # its stored entry record, or None when `entry` is already made
    entry: FactEntry | None = None

    def has(self, word: str) -> bool:
        """Whether a rooted word may be in the fact's sentence or context (never False when it is)."""
        term = _padded_term(word)
        return not term or term in self.words


def _terms(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(_padded_term(w) for w in words)


def _present(terms: tuple[str, ...], words: str) -> bool:
    """Whether one of the terms may be among a lead's words (a word with no term always may)."""
    return any(not t or t in words for t in terms)


@lru_cache(maxsize=8192)
def _padded_term(word: str) -> str:
    from assistant.lexicon import fts_term

    term = fts_term(word)
    return f" {term} " if term else ""


def found_by(e: FactEntry) -> str:
    """The words an entry is found by, as `entry_record` stores them."""
    from assistant.lexicon import fts_term

    return " ".join(sorted({fts_term(w) for w in set(e.positions) | e.context} - {""}))


# (leads with their meaning, each lead's feature ranges (None: dropped whatever its entry), the candidates
# made so far) -> the leads to make, lazily: compose.py takes those that can still reach its pool
Prune = Callable[[list[tuple[Lead, float]], Callable[[Lead, float], dict[str, tuple[float, float]] | None],
                  list["Candidate"]], Iterable[tuple[Lead, float]]]


class FactMatcher:
    """Finds and scores the facts of one index generation.

    Nothing is held per fact: the candidates for a question come from the index's fact vectors (the
    SEM_POOL nearest in meaning, FAISS) and its inverted index of fact words (the LEX_POOL best by
    BM25 among the facts sharing a word with the question, SQLite FTS5), in the scope asked; only
    their rows are read, into a bounded cache of entries. Word rarity (IDF) is summed from the word
    counts the build stored per report, among the reports a question searches ("food" is common
    across Haiti reports, rare in the Peru one).
    """

    def __init__(self, reader, report_names: dict[int, str]):
        self.reader = reader
        self.index = reader.fact_index
        self.names = report_names
        rows = reader.query("SELECT id, n_facts, n_docs FROM reports")
        self.n_facts = sum(r["n_facts"] or 0 for r in rows)
        self.n_docs = {r["id"]: r["n_docs"] or 0 for r in rows}
        self.default_idf = math.log(1 + max(1, sum(self.n_docs.values())))
        self._cache: OrderedDict[int, FactEntry] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def vectors(self) -> np.ndarray:
        """Fact vectors, row i = fact id i (a view into the loaded index)."""
        return self.index.vectors

    def entries(self, ids: Iterable[int], keep: Callable[[Fact], bool] | None = None,
                must_share: tuple[Collection[str], Collection[int]] = ((), ())) -> list[FactEntry]:
        """The facts with these ids, in that order, read from the index (recent ones cached). With
        `keep`, only the facts it keeps; with `must_share` (words, ids), those of the ids that share
        none of the words are left out too (a fact left out is never made an entry)."""
        ids = [int(i) for i in ids]
        made = {lead.id: self.entry(lead) for lead in self.leads(ids, keep, must_share)}
        return [made[i] for i in ids if i in made]

    def leads(self, ids: Iterable[int], keep: Callable[[Fact], bool] | None = None,
              must_share: tuple[Collection[str], Collection[int]] = ((), ())) -> list[Lead]:
        """`entries` before the entries are made: each fact with its stored record and the words it is
        found by (an entry is most of a row's cost: `entry` makes it when it is needed). In id order,
        each id once."""
        from assistant.lexicon import fts_term

        ids = [int(i) for i in ids]
        words, check = set(must_share[0]), set(must_share[1])
        terms = {fts_term(w) for w in words}
        with self._lock:
            have = {i: self._cache[i] for i in ids if i in self._cache}
            for i in have:
                self._cache.move_to_end(i)
        dropped = {i for i, e in have.items() if (keep is not None and not keep(e.fact)) or (
            i in check and not (words & e.context or any(w in e.positions for w in words)))}
        out = {i: Lead(i, e.report_id, e.fact, f" {found_by(e)} ", None, e)
               for i, e in have.items() if i not in dropped}
        missing = [i for i in dict.fromkeys(ids) if i not in out and i not in dropped]
        for lo in range(0, len(missing), 500):
            part = missing[lo:lo + 500]
            for fid, rid, words_of, fact_rec, entry_rec in self.reader.fact_records(part):
                if fid in check and terms.isdisjoint(words_of.split(" ")):
                    continue
                f = fact_from_record(self.names[rid], fact_rec)
                if keep is None or keep(f):
                    out[fid] = Lead(fid, rid, f, f" {words_of} ", entry_rec)
        return [out[i] for i in dict.fromkeys(ids) if i in out]

    def entry(self, lead: Lead) -> FactEntry:
        """The lead's entry, made from its stored record (and kept in the bounded cache)."""
        if lead.entry is not None:
            return lead.entry
        e = entry_from_record(lead.id, lead.report_id, lead.fact, lead.record)
        with self._lock:
            self._cache[lead.id] = e
            while len(self._cache) > ENTRY_CACHE:
                self._cache.popitem(last=False)
        return e

    def idf_for(self, reports: Collection[int] | None, words: Iterable[str]) -> dict[str, float]:
        """IDF of `words` over the sentences of `reports` (all when None)."""
        words = list(dict.fromkeys(words))
        if not words:
            return {}
        marks = ",".join("?" * len(words))
        if reports is None:
            n = max(1, sum(self.n_docs.values()))
            rows = self.reader.query(f"SELECT word, n FROM word_df WHERE word IN ({marks})", words)
        else:
            rids = [r for r in reports if r in self.n_docs]
            n = max(1, sum(self.n_docs[r] for r in rids))
            rows = self.reader.query(
                f"SELECT word, SUM(n) AS n FROM fact_df WHERE word IN ({marks})"
                f" AND report_id IN ({','.join('?' * len(rids))}) GROUP BY word", [*words, *rids]) if rids else []
        got = {r["word"]: r["n"] for r in rows}
        return {w: math.log(1 + n / got[w]) if got.get(w) else math.log(1 + n) for w in words}

    def lexical(self, words: Iterable[str], scope: list[tuple[int, int]] | None, k: int,
                reports: Collection[int] | None = None) -> list[int]:
        """Up to `k` facts sharing a word with the question (FTS5, best by BM25), in the id ranges `scope`
        (those of `reports`)."""
        from assistant.lexicon import fts_term

        terms = sorted({fts_term(w) for w in words} - {""})
        if not terms or k <= 0:
            return []
        tokens = single_tokens(FACT_TOKENIZER, terms)
        if tokens is not None:  # FTS5's ranking from its postings (indexer.postings)
            return [i for i, _ in self.reader.postings("fact_words").top(tokens, k, scope)]
        sql = "SELECT rowid FROM fact_words WHERE fact_words MATCH ?"
        params: list = [" OR ".join(f'"{t}"' for t in terms)]
        if scope is not None and len(scope) <= 16:
            sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in scope) + ")"
            params += [x for lo, hi in scope for x in (lo, hi - 1)]
        elif scope is not None:  # many ranges: one lookup a match rather than a test per range
            rids = sorted(reports or ())
            sql += f" AND rowid IN (SELECT id FROM facts WHERE report_id IN ({','.join('?' * len(rids))}))"
            params += rids
        sql += " ORDER BY bm25(fact_words) LIMIT ?"
        return [r["rowid"] for r in self.reader.query(sql, [*params, k])]

    def nearest(self, qvec: np.ndarray, allowed_reports: Collection[int] | None, k: int) -> np.ndarray:
        """Ids of the `k` facts closest in meaning, in the scope, best first."""
        scope = None if allowed_reports is None else self.reader.id_ranges("facts", allowed_reports)
        return self.index.search(qvec, k, scope)[0]

    def best_table(self, qvec: np.ndarray, allowed_reports: Collection[int] | None,
                   accept: Callable[[FactEntry], bool]) -> list[FactEntry]:
        """The accepted table cells of the one table (report, page, heading) whose accepted cell is the
        closest in meaning to the question: table cells are read nearest first until one is accepted,
        among the TABLE_SCAN facts nearest the question (all of them in a smaller corpus)."""
        ids = self.nearest(qvec, allowed_reports, TABLE_SCAN)
        for lo in range(0, len(ids), 256):
            part = [int(i) for i in ids[lo:lo + 256]]
            cells = {r["id"] for r in self.reader.query(
                f"SELECT id FROM facts WHERE id IN ({','.join('?' * len(part))}) AND kind = 'table_cell'", part)}
            for e in self.entries(i for i in part if i in cells):
                if accept(e):
                    rows = self.reader.query(
                        "SELECT id FROM facts WHERE report_id = ? AND page = ? AND heading IS ? AND kind = 'table_cell'"
                        " ORDER BY id", (e.report_id, e.fact.page, e.fact.heading))
                    return [c for c in self.entries(r["id"] for r in rows) if accept(c)]
        return []

    def weighted(self, q: Query, extra_words: Sequence[str] = (),
                 reports: Collection[int] | None = None) -> list[tuple[str, float]]:
        """The question's words with their IDF weights among the reports searched."""
        words = query_words(q)
        words += [w for w in extra_words if w not in words]
        events = {root(w) for w in q.measure_words if _EVENT.search(w)}
        idf = self.idf_for(reports, words)
        return [(w, idf.get(w, self.default_idf) * (EVENT_WEIGHT if w in events else 1.0)) for w in words]

    @staticmethod
    def _bigrams(bigrams: list[tuple[str, str]], e: FactEntry) -> float:
        """How many adjacent question word pairs ("food kits") are adjacent in the sentence."""
        hits = 0
        for a, b in bigrams:
            for i in e.positions.get(a, ()):
                nxt = next((t for t in e.tokens[i + 1:i + 3] if t), None)
                if nxt == b:
                    hits += 1
                    break
        return min(2, hits)

    @staticmethod
    def _words(weighted: list[tuple[str, float]], e: FactEntry) -> float:
        total = got = 0.0
        for w, idf in weighted:
            total += idf
            alts = synonyms(w)
            best = 0.8 if any(a in e.context for a in alts) else 0.0
            for i in (i for a in alts for i in e.positions.get(a, ())):
                lo, hi = (i, e.num_index) if i < e.num_index else (e.num_index, i)
                between = e.num_before[hi] - e.num_before[lo + 1]
                near = 1.0 / (1.0 + max(0, hi - lo - 2) / 10.0)
                if between:
                    near *= 0.45 ** between
                if not e.in_clause[i]:
                    near *= OTHER_CLAUSE  # "..., while another 2,000 received legal counsel"
                best = max(best, near)
            got += idf * best
        return got / total if total else 0.0

    def candidates(self, q: Query, qvec: np.ndarray, allowed_reports: set[int] | None,
                   passage_boost: dict[tuple[int, int, int], float],
                   extra_words: Sequence[str] = (), prune: Prune | None = None) -> list[Candidate]:
        """Facts that may answer the question (hard filters passed), each with its FEATURES. With
        `prune`, only the candidates it takes (`Prune`): the others cannot rank where it looks."""
        if not self.n_facts:
            return []
        scope = None if allowed_reports is None else self.reader.id_ranges("facts", allowed_reports)
        if scope == []:
            return []
        weighted = self.weighted(q, extra_words, allowed_reports)
        # score only facts close in meaning, or sharing a word with the question (the best by BM25)
        near = self.index.search(qvec, SEM_POOL, scope)[0]
        lex = self.lexical((a for w, _ in weighted for a in synonyms(w)), scope, LEX_POOL, allowed_reports)
        idx = np.unique(np.concatenate([near, np.asarray(lex, dtype=np.int64)]))
        sem = self.vectors[idx] @ qvec if len(idx) else np.zeros(0, np.float32)
        # what the loop below would drop whatever its words, dropped before its row is made an entry:
        # a fact far in meaning that shares no word, and one the scope filters rule out
        lexed = set(lex)
        far = [int(i) for i, x in zip(idx, sem, strict=True) if x < SEM_ALONE and int(i) not in lexed]
        # id(fact) -> (fact, `_scope_filter`): the noise rules run once a fact (held, so that its id stays its own)
        scoped: dict[int, tuple[Fact, float | None]] = {}

        def scope_of(f: Fact) -> float | None:
            if id(f) not in scoped:
                scoped[id(f)] = (f, _scope_filter(q, f))
            return scoped[id(f)][1]

        leads = self.leads(idx, keep=lambda f: scope_of(f) is not None, must_share=([w for w, _ in weighted], far))
        at = {int(i): k for k, i in enumerate(idx)}
        sem = np.array([sem[at[lead.id]] for lead in leads], dtype=np.float32)
        want_group = q.group
        qw = [w for w, _ in weighted]
        qwords = set(qw)
        bigrams = list(zip(qw, qw[1:], strict=False))
        head, people = wanted_unit(q) if q.expected in ("count", "duration") else (None, None)
        # the rarest word of the question (often the indicator: "unemployment", "evacuated")
        key = max(weighted, key=lambda t: t[1])[0] if weighted else None
        months = [m for m in _MONTH_WORDS if m in q.period_text.lower()]
        stock = bool(_STOCK.search(q.text)) and not _ACTION.search(q.text)
        out = []
        if prune is None:
            order = zip(leads, sem, strict=True)
        else:  # the entries made are those `prune` takes, in its order, reading the candidates made so far
            total = sum(idf for _, idf in weighted)
            # the question's words as the stored words write them (`Lead.words`), per word its synonyms'
            word_terms = [(idf, _terms(synonyms(w))) for w, idf in weighted]
            pair_terms = [(_terms([a]), _terms([b])) for a, b in bigrams]
            key_terms = _terms(synonyms(key)) if key else ()
            month_terms, asked_terms = _terms(_month_roots()), _terms(root(m) for m in months)
            compared = float(not _COMPARISON.search(q.text))
            units: dict[tuple, tuple] = {}  # (unit, unit_norm) -> (unit_fit range or None, unit_named)

            def unit_ranges(f: Fact) -> tuple:
                at = (f.unit.text if f.unit else None, f.unit_norm)
                if at not in units:
                    unit_words, people_unit = fact_unit(f)
                    if head is None:
                        fit = (0.0, 0.0)
                    elif unit_words:  # the unit decides (`unit_fit`)
                        exact = unit_fit(head, people, _Unit(unit_words, people_unit))
                        fit = None if exact is None else (exact, exact)
                    else:  # the words around the number decide
                        fit = (-0.2, 0.0 if head == "person" else 0.08)
                    units[at] = (fit, float(any(a in unit_words for w in qwords for a in synonyms(w))))
                return units[at]

            def upper(lead: Lead, s: float) -> dict[str, tuple[float, float]] | None:
                """The least and the most each feature below can be for a lead whose entry is not made:
                exact where its fact decides, else what its words allow (tests/test_match.py checks it);
                None when the loop drops it whatever its entry."""
                f, words = lead.fact, lead.words
                fit, unit_named = unit_ranges(f)
                if fit is None:
                    return None  # the loop drops it (`unit_fit`)
                share = sum(idf for idf, ts in word_terms if _present(ts, words)) / total if total else 0.0
                cell = f.kind == "table_cell"
                if not months or not _present(month_terms, words):
                    month = (0.0, 0.0)
                else:
                    month = (-0.15, 0.25 if _present(asked_terms, words) else 0.0)
                named = bool(q.countries) and any(c.lower() in f"{f.label} {f.sentence} {f.heading}".lower()
                                                  for c in q.countries)
                return {
                    "meaning": (float(s),) * 2,
                    "words": (0.0, share),
                    "bigrams": (0.0, float(min(2, sum(_present(a, words) and _present(b, words)
                                                      for a, b in pair_terms)))),
                    "passage": (passage_boost.get((lead.report_id, f.page, f.sentence_start), 0.0),) * 2,
                    "headers": (0.0, share),
                    "sector": (scope_of(f),) * 2,
                    "group_cell": (float(bool(want_group) and cell),) * 2,
                    "group_prose": (float(bool(want_group) and not cell),) * 2,
                    "group_unasked": (float(not want_group and cell
                                            and norm_group(f.row_header) in ("RMRP", "NO RMRP")),) * 2,
                    "month": month,
                    "key_missing": (0.0, 0.0) if not key
                    else (1.0, 1.0) if not _present(key_terms, words) else (0.0, 1.0),
                    "flow_for_stock": (0.0, float(stock)),
                    "unit_fit": fit,
                    "key_figure": (float(f.kind == "key_figure"),) * 2,
                    "table_cell": (float(cell),) * 2,
                    "country_named": (float(named),) * 2,
                    "qualifier": (float(f.qualifier is not None),) * 2,
                    "unit_named": (unit_named,) * 2,
                    "no_currency": (float(q.expected == "money" and not f.unit_norm),) * 2,
                    "in_parens": (float(_in_parens(f)),) * 2,
                    "comparison": (0.0, compared),
                }
            order = prune(list(zip(leads, sem, strict=True)), upper, out)
        for e, s in ((self.entry(lead), s) for lead, s in order):
            f = e.fact
            sector = scope_of(f)
            if sector is None:
                continue
            lex = self._words(weighted, e)
            if lex == 0.0 and s < SEM_ALONE:
                continue  # shares no word with the question and is not close enough in meaning
            fit = unit_fit(head, people, e)
            if fit is None:
                continue  # "how many people" is never answered by a count of kitchens
            feats = {
                "meaning": float(s),
                "words": lex,
                "bigrams": float(self._bigrams(bigrams, e)),
                "passage": passage_boost.get((e.report_id, f.page, f.sentence_start), 0.0),
                "headers": self._headers(weighted, e),
                "sector": sector,
                "group_cell": float(bool(want_group) and f.kind == "table_cell"),
                "group_prose": float(bool(want_group) and f.kind != "table_cell"),
                "group_unasked": float(not want_group and f.kind == "table_cell"
                                       and norm_group(f.row_header) in ("RMRP", "NO RMRP")),
                "month": month_fit(months, e) if months else 0.0,
                "key_missing": float(bool(key) and not any(a in e.context or a in e.positions
                                                           for a in synonyms(key))),
                "flow_for_stock": float(stock and bool(_ACTION.search(e.clause))),
                "unit_fit": fit,
                "key_figure": float(f.kind == "key_figure"),
                "table_cell": float(f.kind == "table_cell"),
                "country_named": float(bool(q.countries) and any(c.lower() in e.where for c in q.countries)),
                "qualifier": float(f.qualifier is not None),
                "unit_named": float(any(a in e.unit_words for w in qwords for a in synonyms(w))),
                "no_currency": float(q.expected == "money" and not f.unit_norm),
                "in_parens": float(_in_parens(f)),
                "comparison": float(bool(_COMPARISON.search(e.clause)) and not _COMPARISON.search(q.text)),
            }
            out.append(Candidate(e, feats))
        if prune is not None:
            out.sort(key=lambda c: c.entry.id)  # the order of the ids, as without pruning
        return out

    @staticmethod
    def _headers(weighted: list[tuple[str, float]], e: FactEntry) -> float:
        total = sum(idf for _, idf in weighted)
        return sum(idf for w, idf in weighted if any(a in e.context for a in synonyms(w))) / total if total else 0.0


# a clause that gives a figure for comparison ("compared with 4,300 in June", "last week", "previous")
_COMPARISON = re.compile(r"\b(?:compared\s+(?:with|to)|previous(?:ly)?|last\s+(?:week|month|year)|earlier|"
                         r"same\s+period|a\s+year\s+ago|pre-\w+|before\s+the|baseline|from\s+\d[\d,.]*\s+to)\b", re.I)


def _in_parens(f: Fact) -> bool:
    """The number sits inside brackets in its sentence ("40% of households (double the 20% before)")."""
    rel = f.start - f.sentence_start
    before = f.sentence[:max(0, rel)]
    return before.count("(") > before.count(")")


def _scope_filter(q: Query, f: Fact) -> float | None:
    """None when the fact cannot answer (its unit, a plan group or sector it is not under), else the
    `sector` feature."""
    want_group = q.group
    if not unit_fits(q.expected, f):
        return None
    why = noise(f)
    if why and not (why == "compound_adjective" and q.expected == "duration"):
        return None  # an axis tick, the day of a date, the "five" of "a five-day period"
    if want_group and f.kind == "table_cell" and norm_group(f.row_header) != want_group:
        return None
    if want_group and f.kind != "table_cell" and want_group.split()[-1].lower() not in f.sentence.lower():
        return None  # the question asks for a plan's group; this figure says nothing of it
    sector = 0.0
    if q.sector:
        if _same(q.sector, f.sector) or _same(q.sector, f.col_header):
            sector = 1.0
        elif f.kind == "table_cell":
            return None  # a table cell under another sector never answers
    return sector


@dataclass(frozen=True)
class Candidate:
    """A fact that may answer a question, with its named features."""

    entry: FactEntry
    feats: dict[str, float]


_MONTH_WORDS = ("january february march april may june july august september october november "
                "december").split()
PEOPLE_WORDS = frozenset(stem(w) for w in """people persons individuals refugees migrants children women
men girls boys adolescents caregivers survivors students households families patients residents
beneficiaries asylum-seekers displaced deportees returnees pupils workers staff volunteers deaths fatalities
casualties victims injured evacuees arrivals""".split())  # a death toll counts people: "how many people died"
PEOPLE_UNITS = frozenset({"people", "persons", "children", "women", "households", "families", "refugees",
                          "migrants", "individuals", "students", "patients", "girls", "boys", "men"})


_PEOPLE_ROOTS = frozenset()  # filled below, once root() exists


def query_words(q: Query) -> list[str]:
    """Stemmed question words that say what is counted, plus month names of a named period."""
    words = [root(w) for w in q.measure_words if w]
    low = q.period_text.lower()
    words += [m for m in _MONTH_WORDS if m in low]
    return list(dict.fromkeys(words))


_HOW_MANY = re.compile(r"\bhow\s+many\s+", re.I)
_NUMBER_OF = re.compile(r"\b(?:number|count|total|tally)\s+of\s+(?:the\s+)?", re.I)
_TOLL = re.compile(r"\b(?:death|casualty|human)\s+toll\b", re.I)
# words that end the noun phrase after "how many"
_PLURALS = frozenset({"people", "children", "women", "men", "staff", "personnel", "livestock", "cattle", "police"})
_PHRASE_END = frozenset("""were was are is did do does have has had received receive got get benefit benefited
benefitted reached reach live lived died die will would could can of in on at from for by with across since per
still remain remained remaining according there under outside within aged between who that which were""".split())


@lru_cache(maxsize=1)
def _month_roots() -> frozenset[str]:
    return frozenset(root(m) for m in _MONTH_WORDS)


# verbs questions use for what reports write as nouns ("how many people died" ~ "deaths")
_LEMMAS = {"died": "death", "die": "death", "dead": "death", "deceased": "death", "fatalities": "death",
           "fatality": "death", "toll": "death"}


# words reports and questions use for the same thing, as roots: a question word matches any of its group
_SYNONYM_GROUPS = (
    ("hous", "hom", "dwell"),  # "homes destroyed" ~ "houses destroyed"
    ("injur", "injury", "wound", "hurt"),  # "how many were hurt" ~ "injured"
    ("death", "kill"),  # "how many were killed" ~ "deaths"
    ("person", "individu"),
    ("evacuat", "evacuation", "evacue"),
)
_SYNONYMS = {w: group for group in _SYNONYM_GROUPS for w in group}


def synonyms(word: str) -> tuple[str, ...]:
    """A rooted word and the roots that mean the same (itself first).

    >>> synonyms("hom")
    ('hom', 'hous', 'dwell')
    >>> synonyms("kits")
    ('kits',)
    """
    group = _SYNONYMS.get(word)
    return (word,) if group is None else (word, *(w for w in group if w != word))


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """Stem plus common verb endings, so "funding" ~ "funded" ~ "fund" when matching words."""
    w = stem(word.lower())
    if w in _LEMMAS:
        return _LEMMAS[w]
    for suffix in ("ment", "ing", "ed", "al"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


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


def unit_fit(head: str | None, people: bool | None, e: FactEntry) -> float | None:
    """How well a fact's unit answers "how many <head>"; None when its own unit is something else."""
    if head is None:
        return 0.0
    if e.unit_words:
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


def month_fit(months: list[str], e: FactEntry) -> float:
    """Bonus when the named month sits next to the number; a malus when only other months do."""
    months = [root(m) for m in months]
    near = [i for i, t in enumerate(e.tokens) if t in months and abs(i - e.num_index) <= 6]
    if near:
        return 0.25
    if any(t in _month_roots() for t in e.tokens):
        return -0.15
    return 0.0


def is_percent(f: Fact) -> bool:
    t = f.text.lower()
    return f.unit_norm == "percent" or "%" in t or "per cent" in t or "percent" in t


def unit_fits(expected: str, f: Fact) -> bool:
    u = f.unit_norm or ""
    if expected == "money":  # a table or panel figure may leave its currency to the page ("REQUIREMENT BY SECTOR")
        named = bool(f.unit) and f.unit.text.lower().rstrip("s") in _CURRENCY_WORDS  # "36 million Euro"
        return (u in MONEY_UNITS or named or (not u and f.kind != "prose")) and not is_percent(f)
    if expected == "percent":
        return is_percent(f)
    if expected in ("count", "duration"):
        money = bool(f.unit) and f.unit.text.lower().rstrip("s") in _CURRENCY_WORDS
        return u not in NON_COUNT_UNITS and not is_percent(f) and not money
    return True


def norm_group(header: str) -> str | None:
    h = re.sub(r"[^a-z ]", " ", header.lower())
    h = " ".join(h.split())
    if not h:
        return None
    if re.search(r"\b(no|non|not|outside)\b.*rmrp|\bnon rmrp\b", h):
        return "NO RMRP"
    if "rmrp" in h:
        return "RMRP"
    return h.upper()


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a2, b2 = a.lower().replace(".", ""), b.lower().replace(".", "")
    return a2 == b2 or a2 in b2.split(" / ") or b2.startswith(a2) or a2.startswith(b2)


_PEOPLE_ROOTS = frozenset(root(w) for w in PEOPLE_WORDS)
