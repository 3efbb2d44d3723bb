"""An FTS5 table's index -> per-term postings (ids, counts) and row lengths; query terms -> its BM25 top k.

SQLite's FTS5 ranks a MATCH by calling `bm25()` once for every row that matches, so `ORDER BY
bm25(...) LIMIT k` costs a few microseconds for each row sharing a word with the question: the
postings of a common word grow with the corpus (30 copies of the corpus: ~50 ms for "assistance"
over the facts). The build copies what FTS5 indexed (its own tokens, read back through `fts5vocab`,
so no tokenizer is re-implemented) into one row per term: the ids of the rows holding it and how
often. Answering reads the rows of the question's terms and computes the very BM25 of FTS5
(`fts5_aux.c`: k1 = 1.2, b = 0.75, IDF = ln((N - n + 0.5) / (n + 0.5)), 1e-6 when not positive,
the same float operations in the same order) in numpy, and breaks ties as SQLite does (lower rowid
first). `tests/test_postings.py` checks ids, order and scores against FTS5 itself.

A query term is tokenized by FTS5 too (an in-memory table with the same tokenizer, cached per
word). A term that is several tokens is a phrase to FTS5 ("OCHA's": "ocha s"; "Port-au-Prince"): the
postings hold no positions, so FTS5 scores that phrase alone, over the rows that hold it only, and its
share is added in its place (`top`'s `given`): FTS5's bm25() sums a query's phrases one by one, so the
whole query's scores are the same to the last bit, without a bm25() call for every row holding one of
the other, common, words.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence

import numpy as np

K1, B = 1.2, 0.75
DENSE = 16  # the rows matching are found with a mask over every row when the postings hold 1/DENSE of the rows
TOKEN_CACHE = 8192  # query words whose tokens are remembered (a word a few dozen bytes)


def write(db: sqlite3.Connection, fts: str, n_rows: int) -> None:
    """Copy the postings of FTS5 table `fts` (rowids 0..n_rows-1) into the tables `postings` and
    `fts_rows` (`indexer.store.SCHEMA`)."""
    db.execute(f"CREATE VIRTUAL TABLE temp.vocab_{fts} USING fts5vocab(main, '{fts}', 'instance')")
    lengths = np.zeros(n_rows, np.int64)
    rows = []
    term, ids, counts = None, [], []
    for t, doc, n in db.execute(f"SELECT term, doc, COUNT(*) FROM temp.vocab_{fts} GROUP BY term, doc"
                                " ORDER BY term, doc"):
        if t != term:
            if term is not None:
                rows.append((fts, term, np.asarray(ids, np.int32).tobytes(), np.asarray(counts, np.int32).tobytes()))
            term, ids, counts = t, [], []
        ids.append(doc)
        counts.append(n)
        lengths[doc] += n
    if term is not None:
        rows.append((fts, term, np.asarray(ids, np.int32).tobytes(), np.asarray(counts, np.int32).tobytes()))
    db.executemany("INSERT INTO postings(fts, term, ids, counts) VALUES (?,?,?,?)", rows)
    db.execute("INSERT INTO fts_rows(fts, n_rows, n_tokens, lengths) VALUES (?,?,?,?)",
               (fts, n_rows, int(lengths.sum()), lengths.astype(np.int32).tobytes()))
    db.execute(f"DROP TABLE temp.vocab_{fts}")


class Tokens:
    """Query words -> FTS5's tokens for them under one tokenizer (cached)."""

    def __init__(self, tokenize: str):
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize={tokenize!r})")
        self._db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        self._cache: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def __call__(self, words: Sequence[str]) -> list[tuple[str, ...]]:
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._cache]
            if new:
                self._db.execute("DELETE FROM t")
                self._db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(new)))
                got: dict[int, list[str]] = {}
                for doc, term in self._db.execute("SELECT doc, term FROM v ORDER BY doc, \"offset\""):
                    got.setdefault(doc, []).append(term)
                if len(self._cache) + len(new) > TOKEN_CACHE:
                    self._cache.clear()
                for i, w in enumerate(new):
                    self._cache[w] = tuple(got.get(i, ()))
            return [self._cache[w] for w in words]


class Postings:
    """BM25 over one FTS5 table's postings, as FTS5 ranks it."""

    def __init__(self, query, fts: str):
        self._query = query  # IndexReader.query-like: (sql, params) -> rows
        self.fts = fts
        row = query("SELECT n_rows, n_tokens, lengths FROM fts_rows WHERE fts = ?", (fts,))
        self.n_rows = int(row[0][0]) if row else 0
        self.avgdl = row[0][1] / self.n_rows if row and self.n_rows else 0.0
        self.lengths = np.frombuffer(row[0][2], np.int32).astype(np.float64) if row else np.zeros(0)

    def top(self, phrases: Sequence[str], k: int, scope: Sequence[tuple[int, int]] | None = None,
            given: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> list[tuple[int, float]]:
        """The `k` rows matching any of `phrases` (single FTS5 tokens, in query order), best BM25
        first, ties by rowid; `scope` keeps only rows in these [lo, hi) ranges. Scores are FTS5's
        bm25() negated (higher is better). `given`: a phrase that is not one token (its tokens
        space-separated, "ocha s") -> the rows holding it (ascending) and its share of their score, FTS5's
        bm25() of that phrase alone negated (`IndexReader.phrase_bm25`), added in its place."""
        if not phrases or k <= 0 or not self.n_rows:
            return []
        given = given or {}
        terms = [t for t in dict.fromkeys(phrases) if t not in given]
        got = {t: (np.frombuffer(ids, np.int32), np.frombuffer(counts, np.int32)) for t, ids, counts in self._query(
            f"SELECT term, ids, counts FROM postings WHERE fts = ? AND term IN ({','.join('?' * len(terms))})",
            [self.fts, *terms])} if terms else {}
        rows = [ids for ids, _ in got.values()] + [ids for ids, _ in given.values() if len(ids)]
        if not rows:
            return []
        union = self._union(rows, scope)
        if not len(union):
            return []
        score = np.zeros(len(union), np.float64)
        n = self.n_rows
        for p in phrases:  # fts5_aux.c fts5Bm25Function, phrase by phrase
            if p in given:  # FTS5's own share for a phrase of several tokens (0.0 + idf * tf, as it sums)
                ids, share = given[p]
                at = np.searchsorted(union, ids)
                inside = (at < len(union)) & (union[np.minimum(at, len(union) - 1)] == ids)
                score[at[inside]] += share[inside]
                continue
            if p not in got:
                continue
            ids, counts = got[p]
            idf = math.log((n - len(ids) + 0.5) / (len(ids) + 0.5))
            if idf <= 0.0:
                idf = 1e-6
            at = np.searchsorted(union, ids)
            inside = (at < len(union)) & (union[np.minimum(at, len(union) - 1)] == ids)
            at, f, d = at[inside], counts[inside].astype(np.float64), self.lengths[ids[inside]]
            score[at] += idf * ((f * (K1 + 1.0)) / (f + K1 * ((1 - B) + B * d / self.avgdl)))
        if len(union) > k:  # the k best, and every row tied with the k-th (rowid decides among them)
            kth = np.partition(-score, k - 1)[k - 1]
            near = -score <= kth
            union, score = union[near], score[near]
        order = np.lexsort((union, -score))[:k]
        return [(int(union[i]), float(score[i])) for i in order]


    def _union(self, postings: list[np.ndarray], scope: Sequence[tuple[int, int]] | None) -> np.ndarray:
        """The rows in any of these postings (and in `scope`), ascending. Common words' postings are long
        (at 30 copies of a corpus a question's words match ~40,000 facts): past 1/DENSE of the rows a mask
        over every row is cheaper than sorting them (`np.unique`: ~1 ms there), and gives the same rows."""
        n = len(self.lengths)  # every id indexes it
        if DENSE * sum(len(ids) for ids in postings) >= n:
            mask = np.zeros(n, bool)
            for ids in postings:
                mask[ids] = True
            if scope is not None:
                inside = np.zeros(n, bool)
                for lo, hi in scope:
                    inside[max(0, lo):max(0, hi)] = True
                mask &= inside
            return np.flatnonzero(mask)
        union = np.unique(np.concatenate(postings))
        if scope is not None:
            keep = np.zeros(len(union), bool)
            for lo, hi in scope:
                keep[np.searchsorted(union, lo):np.searchsorted(union, hi)] = True
            union = union[keep]
        return union


_TOKENS: dict[str, Tokens] = {}
_TOKENS_LOCK = threading.Lock()


def query_tokens(tokenize: str, words: Sequence[str]) -> list[tuple[str, ...]]:
    """FTS5's tokens for each word under `tokenize` (several: a phrase to FTS5)."""
    with _TOKENS_LOCK:
        tokens = _TOKENS.get(tokenize) or _TOKENS.setdefault(tokenize, Tokens(tokenize))
    return tokens(words)


def single_tokens(tokenize: str, words: Sequence[str]) -> list[str] | None:
    """FTS5's one token for each word under `tokenize`, or None when some word is not exactly one
    token (a phrase: FTS5 must match it itself)."""
    out = query_tokens(tokenize, words)
    return None if any(len(t) != 1 for t in out) else [t[0] for t in out]
