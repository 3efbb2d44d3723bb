"""BM25 from the stored postings (indexer.postings) is FTS5's own: the same rows, in the same order
(ties by rowid), with the same scores, over passages and facts, scoped or not; a passage query's phrases
("cash-based", "women's") scored by FTS5 alone and added in their place give FTS5's scores of the whole
query; a fact query's phrases fall back."""

from __future__ import annotations

import shutil

import pytest

from assistant.match import root
from assistant.retrieve import _TOKEN
from indexer import postings
from indexer.build import build_index
from indexer.entries import fts_term
from indexer.postings import query_tokens, single_tokens
from indexer.reader import IndexReader
from indexer.store import CHUNK_TOKENIZER, FACT_TOKENIZER
from vocabulary.stopwords import SEARCH_STOPWORDS as _STOP

QUESTIONS = ["How many persons received hygiene kits?", "How many calls did the MIMP receive?",
             "How much funding was received?", "What percentage of the plan was funded?",
             "How many refugees and migrants live in Peru?", "How many children were assisted with education?",
             "Venezuelan refugees and migrants in Lima receiving cash-based interventions",
             "the the of", "COVID-19 cases reported by the Ministry of Health", "zzzz qqqq",
             "How many women's and children's kits did UNHCR's partners give?", "Follow-up and follow-ups in Lima",
             "women's women's-group cash-based", "What did the GTRM's partners give in cash-based interventions?"]


@pytest.fixture(scope="module")
def reader(peru_corpus, tmp_path_factory, embedder):
    """Three copies of the Peru report: every score is tied three ways, and scopes have ranges."""
    corpus = tmp_path_factory.mktemp("copies")
    src = next(p for p in peru_corpus.iterdir() if p.suffix == ".txt")
    for i in range(3):
        shutil.copy(src, corpus / f"{src.stem}-{i}{src.suffix}")
        (corpus / f"{src.stem}-{i}{src.suffix}").write_bytes(src.read_bytes() + b"\n" * i)
    index = tmp_path_factory.mktemp("idx") / "index"
    build_index([corpus], index, say=lambda m: None, embedder=embedder, workers=1)
    r = IndexReader(index)
    yield r
    r.close()


def fts5(reader, table, terms, k, scope):
    sql = f"SELECT rowid, bm25({table}) AS s FROM {table} WHERE {table} MATCH ?"
    params: list = [" OR ".join(f'"{t}"' for t in terms)]
    if scope is not None:
        sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in scope) + ")"
        params += [x for lo, hi in scope for x in (lo, hi - 1)]
    return [(r["rowid"], -r["s"]) for r in reader.query(sql + " ORDER BY s LIMIT ?", [*params, k])]


@pytest.mark.parametrize("dense", [0, 10**9])  # the matching rows sorted (np.unique), or a mask over every row
@pytest.mark.parametrize("k", [1, 5, 40, 400])
@pytest.mark.parametrize("scoped", [False, True])
@pytest.mark.parametrize("question", QUESTIONS)
def test_postings_rank_as_fts5(reader, question, k, scoped, dense, monkeypatch):
    monkeypatch.setattr(postings, "DENSE", dense)
    chunk_terms = list(dict.fromkeys(t for t in _TOKEN.findall(question.lower()) if t not in _STOP))
    fact_terms = sorted({fts_term(root(w)) for w in question.split()} - {""})
    for table, tokenizer, terms, kind in (("chunks_fts", CHUNK_TOKENIZER, chunk_terms, "chunks"),
                                          ("fact_words", FACT_TOKENIZER, fact_terms, "facts")):
        if not terms:
            continue
        scope = reader.id_ranges(kind, [1, 3]) if scoped else None
        given = {}
        if kind == "chunks":  # a phrase of several tokens: its share of the score from FTS5 (assistant.retrieve)
            tokens = [" ".join(t) for t in query_tokens(tokenizer, terms)]
            for term, phrase in zip(terms, tokens, strict=True):
                if " " in phrase and phrase not in given:
                    given[phrase] = reader.phrase_bm25(term, scope, [1, 3])
        else:
            tokens = single_tokens(tokenizer, terms)
            if tokens is None:  # a phrase: FTS5 answers it (the matcher's fallback)
                assert any(not t.isalnum() for t in terms)
                continue
        got = reader.postings(table).top(tokens, k, scope, given)
        want = fts5(reader, table, terms, k, scope)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert [s for _, s in got] == [s for _, s in want]  # bit for bit: the same float operations


def test_phrases_are_left_to_fts5():
    assert single_tokens(CHUNK_TOKENIZER, ["women's"]) is None
    assert single_tokens(CHUNK_TOKENIZER, ["received", "covid-"]) == ["receiv", "covid"]
    assert single_tokens(FACT_TOKENIZER, ["asylum-seek", "refuge"]) == ["asylum-seek", "refuge"]


def test_phrase_questions_are_ranked_from_postings(reader):
    """The questions above with a phrase to the passage tokenizer are ranked by the postings path (not a
    test that cannot fail: each has a phrase, and the FTS5 share of it is not empty)."""
    for question in ("What did the GTRM's partners give in cash-based interventions?",
                     "women's women's-group cash-based"):
        terms = list(dict.fromkeys(t for t in _TOKEN.findall(question.lower()) if t not in _STOP))
        phrases = [t for t in query_tokens(CHUNK_TOKENIZER, terms) if len(t) > 1]
        assert phrases
        assert any(len(reader.phrase_bm25(t, None)[0]) for t in terms if len(query_tokens(CHUNK_TOKENIZER, [t])[0]) > 1)
