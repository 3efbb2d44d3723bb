"""Question vector + words -> passages: dense (FAISS) and lexical (SQLite FTS5, BM25), fused by RRF."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from indexer.postings import single_tokens
from indexer.store import CHUNK_TOKENIZER, IndexReader
from vocabulary.stopwords import SEARCH_STOPWORDS

RRF_K = 60
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")


@dataclass(frozen=True)
class Hit:
    """A retrieved passage."""

    chunk_id: int
    report_id: int
    page: int
    page_end: int
    start: int
    end: int
    kind: str
    heading: str
    text: str
    score: float  # fused RRF score
    dense: float = 0.0  # cosine similarity to the question


class Retriever:
    """Hybrid search over one index generation."""

    def __init__(self, reader: IndexReader):
        self.reader = reader

    def dense(self, qvec: np.ndarray, k: int, allowed: Collection[int] | None) -> list[tuple[int, float]]:
        """The k passages nearest the question; `allowed` (report ids) searches only their passages."""
        scope = None if allowed is None else self.reader.id_ranges("chunks", allowed)
        ids, sims = self.reader.chunk_index.search(qvec, k, scope)
        return [(int(c), float(s)) for c, s in zip(ids, sims, strict=True)]

    def lexical(self, question: str, k: int, allowed: Collection[int] | None) -> list[tuple[int, float]]:
        terms = [t for t in _TOKEN.findall(question.lower()) if t not in SEARCH_STOPWORDS]
        if not terms:
            return []
        terms = list(dict.fromkeys(terms))
        scope = None
        if allowed is not None:
            scope = self.reader.id_ranges("chunks", allowed)
            if not scope:
                return []
        tokens = single_tokens(CHUNK_TOKENIZER, terms)
        if tokens is not None:  # FTS5's ranking from its postings (indexer.postings), without a bm25() call a row
            return self.reader.postings("chunks_fts").top(tokens, k, scope)
        match = " OR ".join(f'"{t}"' for t in terms)
        # the passages' own ids, no join: a report's passages are an id range
        sql = "SELECT rowid AS id, bm25(chunks_fts) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
        params: list = [match]
        if scope is not None:
            if len(scope) <= 16:
                sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in scope) + ")"
                params += [x for lo, hi in scope for x in (lo, hi - 1)]
            else:  # many ranges: one lookup a match rather than a test per range
                sql += f" AND rowid IN (SELECT id FROM chunks WHERE report_id IN ({','.join('?' * len(allowed))}))"
                params += list(allowed)
        sql += " ORDER BY s LIMIT ?"
        params.append(k)
        return [(int(r["id"]), -float(r["s"])) for r in self.reader.query(sql, params)]

    def mentions(self, word: str) -> bool:
        """Whether any passage of the index has the word (case and accents folded by FTS5)."""
        term = word.replace('"', "")
        if not term:
            return True
        rows = self.reader.query("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", [f'"{term}"'])
        return bool(rows)

    def search(self, question: str, qvec: np.ndarray, k: int = 8,
               allowed: Collection[int] | None = None, pool: int = 40) -> list[Hit]:
        """Top-k passages; `allowed` restricts to report ids (None: all)."""
        if allowed is not None and not allowed:
            return []
        dense = self.dense(qvec, pool, allowed)
        lexical = self.lexical(question, pool, allowed)
        fused: dict[int, float] = {}
        for ranked in (dense, lexical):
            for rank, (cid, _) in enumerate(ranked):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        cos = dict(dense)
        top = sorted(fused, key=fused.get, reverse=True)[:k]
        if not top:
            return []
        rows = {r["id"]: r for r in self.reader.query(
            f"SELECT * FROM chunks WHERE id IN ({','.join('?' * len(top))})", top)}
        missing = [c for c in top if c not in cos]
        if missing:
            vecs = self.reader.chunk_vectors(missing)
            cos.update({c: float(v @ qvec) for c, v in zip(missing, vecs, strict=True)})
        return [Hit(c, rows[c]["report_id"], rows[c]["page"], rows[c]["page_end"], rows[c]["start"],
                    rows[c]["end"], rows[c]["kind"], rows[c]["heading"] or "", rows[c]["text"], fused[c],
                    cos[c]) for c in top]
