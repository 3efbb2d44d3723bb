"""Question vector + words -> passages: dense (FAISS) and lexical (SQLite FTS5, BM25), fused by RRF."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import astuple, dataclass

import numpy as np

from indexer.postings import query_tokens
from indexer.reader import IndexReader, StoredChunk
from indexer.store import CHUNK_TOKENIZER
from vocabulary.stopwords import SEARCH_STOPWORDS

RRF_K = 60
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")


@dataclass(frozen=True)
class Hit(StoredChunk):
    """A retrieved passage: the stored chunk, its fused RRF score and its cosine to the question."""

    score: float = 0.0
    dense: float = 0.0


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
        # FTS5's ranking from its postings (indexer.postings), without a bm25() call a row; a term FTS5 reads
        # as a phrase ("OCHA's", "Port-au-Prince") is scored by FTS5 alone, on the rows holding it
        tokens = query_tokens(CHUNK_TOKENIZER, terms)
        if not all(tokens):
            return self.reader.chunk_bm25(terms, k, scope, allowed or ())
        phrases = [" ".join(t) for t in tokens]
        given = {}
        for term, t, p in zip(terms, tokens, phrases, strict=True):
            if len(t) > 1 and p not in given:
                given[p] = self.reader.phrase_bm25(term, scope, allowed or ())
        return self.reader.postings("chunks_fts").top(phrases, k, scope, given)

    def mentions(self, word: str) -> bool:
        """Whether any passage of the index has the word (case and accents folded by FTS5)."""
        term = word.replace('"', "")
        if not term:
            return True
        return self.reader.passages_have(term)

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
        rows = self.reader.chunks(top)
        missing = [c for c in top if c not in cos]
        if missing:
            vecs = self.reader.chunk_vectors(missing)
            cos.update({c: float(v @ qvec) for c, v in zip(missing, vecs, strict=True)})
        return [Hit(*astuple(rows[c]), score=fused[c], dense=cos[c]) for c in top]
