"""Query + fact table -> candidate facts with named features: meaning, words near the number, unit, scope.

Hard filters (a unit that cannot answer, a table cell under another sector or group) drop a fact;
every other candidate gets the features of `assistant.rank.FEATURES`, among them
- meaning: cosine between the question and the fact's label (embedded at index time);
- words: question words found in the fact's sentence, weighted by rarity (IDF) and by how close
  they sit to the number (words across another number count less), plus its label and headers;
- passage: whether the fact's sentence is in a passage the hybrid retriever ranked high;
- unit: the expected answer (count, money, percent) rules out incompatible units;
- scope: sector and population group (table row/column headers) when the question names them.

A fact's entry is made in indexer/entries.py (the build stores it, with each of its words' nearness to the
number, so that `words` and `headers` are known before the entry is made), the candidates' feature ranges
before their entries in bounds.py, words are rooted by vocabulary/roots.py, units fitted in units.py.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.bounds import Bounds, LeadBounds, _in_parens, norm_group, share_context, share_near
from assistant.question import Query
from assistant.roots import expand_acronyms, query_words
from assistant.text import proper_names
from assistant.units import (
    MONEY_UNITS,
    NON_COUNT_UNITS,
    UnitColumn,
    dimension_fits,
    is_percent,
    unit_fit,
    unit_fits,
    wanted_unit,
)
from indexer.ann import one_thread
from indexer.entries import (
    Content,
    FactEntry,
    Lead,
    entry_from_record,
    entry_record,
    fact_context,
    fact_from_record,
    fact_unit,
    found_by,
    fts_term,
    make_entry,
    tokenize,
)
from indexer.noise import noise
from indexer.postings import single_tokens
from indexer.records import Fact
from indexer.store import FACT_TOKENIZER
from vocabulary.months import MONTH_WORDS
from vocabulary.roots import find_acronyms, root, synonyms
from vocabulary.roots import month_roots as _month_roots
from vocabulary.units import PEOPLE_UNITS, PEOPLE_WORDS

# what other modules import from here: its own names, and those defined in indexer/entries.py,
# vocabulary/roots.py, roots.py and units.py since issue #15 (they were here before)
__all__ = [
    "MONEY_UNITS", "NON_COUNT_UNITS", "PEOPLE_UNITS", "PEOPLE_WORDS", "Candidate", "FactEntry", "FactMatcher",
    "Lead", "Prune", "entry_from_record", "entry_record", "expand_acronyms", "fact_context", "fact_from_record",
    "fact_unit", "find_acronyms", "found_by", "is_percent", "make_entry", "month_fit", "norm_group", "query_words",
    "root", "synonyms", "tokenize", "unit_fit", "unit_fits", "wanted_unit",
]

SEM_ALONE = 0.7  # a fact sharing no word with the question needs this much meaning
SEM_POOL = 150  # facts closest in meaning always scored, whatever their words
PANEL_REPORTS = 4  # a question searching this many reports or fewer scores all their key figures
LEX_POOL = 400  # facts sharing a word with the question scored, the best by BM25 over their words
TABLE_SCAN = 4096  # facts nearest the question searched for the table a sum or a "which most" reads
ENTRY_CACHE = 2048  # fact entries kept between questions (a few KB each): a bound, not a share of the corpus
SHARE_COPIES = True  # copies of a fact (the same stored records) share one `Content`; False: each row its own
EVENT_WEIGHT = 1.5  # what happened to those counted ("displaced", "affected", "died") weighs more
_EVENT = re.compile(r"(?:[^e]ed|died|dead)$")
# a question about how many there are (a population), and clauses that say what was done
_STOCK = re.compile(r"\b(?:live|lives|living|reside|resides|residing|hosts?|hosted|hosting|are there|there are|"
                    r"stay|stayed|staying)\b", re.I)
_ACTION = re.compile(r"\b(?:assisted|received|reached|supported|provided|distributed|benefit(?:t?ed)?|served|"
                     r"treated|trained|referred|helped|got|given|delivered)\b", re.I)


# (leads with their meaning, their features' ranges (`assistant.bounds`: made when asked, a row a lead), the
# candidates made so far) -> the leads to make, lazily: compose.py takes those that can still reach its pool
Prune = Callable[[list[tuple[Lead, float]], Callable[[list[tuple[Lead, float]]], Bounds], list["Candidate"]],
                 Iterable[tuple[Lead, float]]]


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
        rows = reader.reports()
        self.n_facts = sum(r.n_facts for r in rows)
        self.n_docs = {r.id: r.n_docs for r in rows}
        self.default_idf = math.log(1 + max(1, sum(self.n_docs.values())))
        self._cache: OrderedDict[int, tuple[FactEntry, Content | None]] = OrderedDict()
        self._contents: OrderedDict[int, Content] = OrderedDict()  # by content id (`IndexReader.fact_contents`)
        self._lock = threading.Lock()
        self._units = UnitColumn(reader)

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

    def leads(self, ids: Iterable[int], keep: Callable[[Lead], bool] | None = None,
              must_share: tuple[Collection[str], Collection[int]] = ((), ())) -> list[Lead]:
        """`entries` before the entries are made: each fact with its stored record and the words it is
        found by (an entry is most of a row's cost: `entry` makes it when it is needed). In id order,
        each id once.

        The copies of a fact (the same stored records in other reports, `Content`) share what is decoded
        from their records and the `keep` decision: `keep` must depend on the fact alone, not its report
        or id (it is called once a content)."""
        ids = [int(i) for i in ids]
        words, check = set(must_share[0]), set(must_share[1])
        terms = {fts_term(w) for w in words}
        with self._lock:
            have = {i: self._cache[i] for i in ids if i in self._cache}
            for i in have:
                self._cache.move_to_end(i)
        decided: dict[Content, bool] = {}

        def kept(lead: Lead) -> bool:
            if keep is None:
                return True
            if lead.content is None:
                return keep(lead)
            if lead.content not in decided:
                decided[lead.content] = keep(lead)
            return decided[lead.content]

        out = {}
        for i, (e, c) in have.items():
            if i in check and not (words & e.context or any(w in e.positions for w in words)):
                continue
            lead = Lead(i, e.report_id, e.fact, e.near, e.context, None, e, c)
            if kept(lead):
                out[i] = lead
        missing = [i for i in dict.fromkeys(ids) if i not in have]
        content_of: dict[int, int] = {}
        if SHARE_COPIES and missing:  # a copy of a content held (among the ENTRY_CACHE recent ones): no row read
            contents, reports = self.reader.fact_contents()
            at = np.asarray(missing, dtype=np.int64)
            content_of = dict(zip(missing, contents[at].tolist(), strict=True))
            report_of = dict(zip(missing, reports[at].tolist(), strict=True))
            unread = []
            with self._lock:
                held = []
                for i in missing:
                    c = self._contents.get(content_of[i])
                    if c is None:
                        unread.append(i)
                    else:
                        self._contents.move_to_end(content_of[i])
                        held.append((i, c))
            for i, c in held:
                if i in check and terms.isdisjoint(c.words) or decided.get(c) is False:
                    continue  # (a content `keep` dropped: its copies are not made)
                rid = report_of[i]
                lead = Lead.of(i, rid, c.fact(self.names[rid]), c, c.record)
                if kept(lead):
                    out[i] = lead
            missing = unread
        for lo in range(0, len(missing), 500):
            part = missing[lo:lo + 500]
            for fid, rid, words_of, fact_rec, entry_rec, near_rec in self.reader.fact_records(part):
                c = self.content(content_of.get(fid, -1), fact_rec, entry_rec, near_rec, words_of)
                if fid in check and terms.isdisjoint(c.words):
                    continue
                lead = Lead.of(fid, rid, c.fact(self.names[rid]), c, entry_rec)
                if kept(lead):
                    out[fid] = lead
        return [out[i] for i in dict.fromkeys(ids) if i in out]

    def content(self, key: int, fact_rec: bytes, entry_rec: bytes, near_rec: bytes, words: str) -> Content:
        """The `Content` of these stored records, whose content id is `key` (`IndexReader.fact_contents`): the
        one already made for a copy of the fact when it is among the ENTRY_CACHE recent ones (`SHARE_COPIES`),
        else a new one."""
        if not SHARE_COPIES:
            return Content(fact_rec, entry_rec, near_rec, words)
        with self._lock:
            c = self._contents.get(key)
            if c is not None:
                self._contents.move_to_end(key)
                return c
        c = Content(fact_rec, entry_rec, near_rec, words)
        with self._lock:
            c = self._contents.setdefault(key, c)
            while len(self._contents) > ENTRY_CACHE:
                self._contents.popitem(last=False)
        return c

    def entry(self, lead: Lead) -> FactEntry:
        """The lead's entry, made from its stored record (and kept in the bounded cache)."""
        if lead.entry is not None:
            return lead.entry
        if lead.content is not None:
            e = lead.content.entry(lead.id, lead.report_id, lead.fact)
        else:
            e = entry_from_record(lead.id, lead.report_id, lead.fact, lead.record, lead.near, lead.context)
        with self._lock:
            self._cache[lead.id] = (e, lead.content)
            while len(self._cache) > ENTRY_CACHE:
                self._cache.popitem(last=False)
        return e

    def fitting(self, ids: np.ndarray, expected: str, head: str | None, people: bool | None) -> np.ndarray:
        """Which of the ids have a unit that can answer the question (a mask), from the index's unit column
        before any row is read (`assistant.units.UnitColumn`)."""
        return self._units.fitting(ids, expected, head, people)

    def idf_for(self, reports: Collection[int] | None, words: Iterable[str]) -> dict[str, float]:
        """IDF of `words` over the sentences of `reports` (all when None)."""
        words = list(dict.fromkeys(words))
        if not words:
            return {}
        if reports is None:
            n = max(1, sum(self.n_docs.values()))
            got = self.reader.word_df(words)
        else:
            rids = [r for r in reports if r in self.n_docs]
            n = max(1, sum(self.n_docs[r] for r in rids))
            got = self.reader.word_df(words, rids)
        return {w: math.log(1 + n / got[w]) if got.get(w) else math.log(1 + n) for w in words}

    def lexical(self, words: Iterable[str], scope: list[tuple[int, int]] | None, k: int,
                reports: Collection[int] | None = None) -> list[int]:
        """Up to `k` facts sharing a word with the question (FTS5, best by BM25), in the id ranges `scope`
        (those of `reports`)."""
        terms = sorted({fts_term(w) for w in words} - {""})
        if not terms or k <= 0:
            return []
        tokens = single_tokens(FACT_TOKENIZER, terms)
        if tokens is not None:  # FTS5's ranking from its postings (indexer.postings)
            return [i for i, _ in self.reader.postings("fact_words").top(tokens, k, scope)]
        return self.reader.fact_bm25(terms, k, scope, reports or ())

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
            cells = self.reader.table_cells(part)
            for e in self.entries(i for i in part if i in cells):
                if accept(e):
                    table = self.reader.table_of(e.report_id, e.fact.page, e.fact.heading)
                    return [c for c in self.entries(table) if accept(c)]
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
    def word_share(weighted: list[tuple[str, float]], e: FactEntry) -> float:
        """The `words` feature: the IDF share of these words near the fact's number (synonyms count)."""
        return share_near([(idf, synonyms(w)) for w, idf in weighted], e.near)

    def candidates(self, q: Query, qvec: np.ndarray, allowed_reports: set[int] | None,
                   passage_boost: dict[tuple[int, int, int], float],
                   extra_words: Sequence[str] = (), prune: Prune | None = None,
                   weighted: list[tuple[str, float]] | None = None) -> list[Candidate]:
        """Facts that may answer the question (hard filters passed), each with its FEATURES. With
        `prune`, only the candidates it takes (`Prune`): the others cannot rank where it looks.
        `weighted`: the question's words and IDFs (`weighted()`), when the caller has them already."""
        if not self.n_facts:
            return []
        scope = None if allowed_reports is None else self.reader.id_ranges("facts", allowed_reports)
        if scope == []:
            return []
        if weighted is None:
            weighted = self.weighted(q, extra_words, allowed_reports)
        # score only facts close in meaning, or sharing a word with the question (the best by BM25)
        near = self.index.search(qvec, SEM_POOL, scope)[0]
        lex = self.lexical((a for w, _ in weighted for a in synonyms(w)), scope, LEX_POOL, allowed_reports)
        # a few reports searched: their key figures too, whatever their rank (a panel's label of a word or
        # two, "DEATHS" over "1193", is close to no question in meaning and under longer matches in BM25)
        panels = self.reader.key_figures(allowed_reports) if allowed_reports and len(allowed_reports) <= PANEL_REPORTS \
            else []
        idx = np.unique(np.concatenate([near, np.asarray(lex, dtype=np.int64), np.asarray(panels, dtype=np.int64)]))
        with one_thread():  # (a product of a few hundred rows: no BLAS threads, `indexer.ann.one_thread`)
            sem = self.vectors[idx] @ qvec if len(idx) else np.zeros(0, np.float32)
        head, people = wanted_unit(q) if q.expected in ("count", "duration") else (None, None)
        # a fact whose unit cannot answer is dropped before its row is read (the loop below would drop it);
        # `sem` is taken over the whole pool first, so that every meaning is the same to the last bit
        fits = self.fitting(idx, q.expected, head, people)
        idx, sem = idx[fits], sem[fits]
        # what the loop below would drop whatever its words, dropped before its row is made an entry:
        # a fact far in meaning that shares no word, and one the scope filters rule out
        far = idx[(sem < SEM_ALONE) & ~np.isin(idx, np.asarray(lex, dtype=np.int64))].tolist()
        # the lead's content (`Content`: every copy of its fact) -> `_scope_filter`: the noise rules run once a fact
        scoped: dict[Content | int, float | None] = {}

        def scope_of(lead: Lead) -> float | None:
            key = lead.content if lead.content is not None else lead.id
            if key not in scoped:
                scoped[key] = _scope_filter(q, lead.fact)
            return scoped[key]

        leads = self.leads(idx, keep=lambda lead: scope_of(lead) is not None,
                           must_share=([w for w, _ in weighted], far))
        # (`idx` is sorted and holds every lead's id)
        sem = np.asarray(sem[np.searchsorted(idx, np.fromiter((lead.id for lead in leads), np.int64, len(leads)))],
                         dtype=np.float32)
        want_group = q.group
        qw = [w for w, _ in weighted]
        qwords = set(qw)
        alts = [(idf, synonyms(w)) for w, idf in weighted]  # each question word's IDF and its synonyms
        bigrams = list(zip(qw, qw[1:], strict=False))
        # the rarest word of the question that is no name (the indicator: "unemployment", "evacuated");
        # "Melissa", "WFP" or "Haiti" say where or whose, and a figure's clause seldom repeats them
        named = {root(w) for n in proper_names(q.text) for w in re.findall(r"[^\W\d_]+", n.lower())}
        indicator = [t for t in weighted if t[0] not in named]
        key = max(indicator, key=lambda t: t[1])[0] if indicator else None
        months = [m for m in MONTH_WORDS if m in q.period_text.lower()]
        stock = bool(_STOCK.search(q.text)) and not _ACTION.search(q.text)
        out = []
        if prune is None:
            order = zip(leads, sem, strict=True)
        else:  # the entries made are those `prune` takes, in its order, reading the candidates made so far
            bounds = LeadBounds(q, alts, bigrams, key, months, stock, not _COMPARISON.search(q.text), head, people,
                                qwords, passage_boost, scope_of, SEM_ALONE)
            order = prune(list(zip(leads, sem, strict=True)), bounds, out)
        # a lead's features but its passage boost are its fact's: made once for the copies of a fact (`Content`)
        # of the same meaning, the passage boost (its report's passages) for each copy
        made: dict[tuple[Content | int, float], dict[str, float] | None] = {}

        def features(e: FactEntry, s: float, lead: Lead) -> dict[str, float] | None:
            f = e.fact
            sector = scope_of(lead)
            if sector is None:
                return None
            lex = share_near(alts, e.near)
            if lex == 0.0 and s < SEM_ALONE:
                return None  # shares no word with the question and is not close enough in meaning
            fit = unit_fit(head, people, e)
            if fit is None:
                return None  # "how many people" is never answered by a count of kitchens
            return {
                "meaning": float(s),
                "words": lex,
                "bigrams": float(self._bigrams(bigrams, e)),
                "passage": passage_boost.get((e.report_id, f.page, f.sentence_start), 0.0),
                "headers": share_context(alts, e.context),
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

        for lead, s in order:
            e = self.entry(lead)
            same = (lead.content if lead.content is not None else lead.id, s)
            if same not in made:
                made[same] = features(e, s, lead)
            if made[same] is None:
                continue
            feats = dict(made[same])
            f = e.fact
            feats["passage"] = passage_boost.get((e.report_id, f.page, f.sentence_start), 0.0)
            out.append(Candidate(e, feats, lead.content))
        if prune is not None:
            out.sort(key=lambda c: c.entry.id)  # the order of the ids, as without pruning
        return out



# a clause that gives a figure for comparison ("compared with 4,300 in June", "last week", "previous")
_COMPARISON = re.compile(r"\b(?:compared\s+(?:with|to)|previous(?:ly)?|last\s+(?:week|month|year)|earlier|"
                         r"same\s+period|a\s+year\s+ago|pre-\w+|before\s+the|baseline|from\s+\d[\d,.]*\s+to)\b", re.I)


def _scope_filter(q: Query, f: Fact) -> float | None:
    """None when the fact cannot answer (its unit, a plan group or sector it is not under), else the
    `sector` feature."""
    want_group = q.group
    if not unit_fits(q.expected, f) or not dimension_fits(q.text, f):
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
    """A fact that may answer a question, with its named features (and what it shares with the copies of its
    fact, `Content`, when it is known: the composer computes what depends on the fact alone once for them)."""

    entry: FactEntry
    feats: dict[str, float]
    content: Content | None = None



def month_fit(months: list[str], e: FactEntry) -> float:
    """Bonus when the named month sits next to the number; a malus when only other months do. A month
    written right after another number ("from almost 25,000 in September to some 19,000") is that
    number's: it is not this one's, and the sentence's other month ("October 2020 saw a decrease")
    is this one's however far.

    The bonus needs the month among the fact's words, so the bound the pruning takes holds."""
    months = [root(m) for m in months]
    toks, at, names = e.tokens, e.num_index, _month_roots()
    owner = {j: j - 2 for j, t in enumerate(toks) if t in names and j >= 2 and toks[j - 1] == "" and toks[j - 2] == "#"}
    own = [toks[j] for j, o in owner.items() if o == at]
    if own:
        return 0.25 if any(t in months for t in own) else -0.15
    free = [j for j, t in enumerate(toks) if t in names and j not in owner]
    if any(toks[j] in months and (abs(j - at) <= 6 or owner) for j in free):
        return 0.25
    if any(t in names for t in toks):
        return -0.15
    return 0.0


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a2, b2 = a.lower().replace(".", ""), b.lower().replace(".", "")
    return a2 == b2 or a2 in b2.split(" / ") or b2.startswith(a2) or a2.startswith(b2)
