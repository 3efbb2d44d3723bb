"""Fact matching from the index: stored entries equal the matcher's own, and the candidates found
through FAISS and FTS5 are the ones a scan of every fact gives (the reference), features and all."""

from __future__ import annotations

import pytest

from assistant import match
from assistant.compose import Composer
from assistant.match import make_entry
from assistant.question import parse_question
from indexer.store import row_to_fact

QUESTIONS = ["How many persons received hygiene kits?", "How many calls did the MIMP receive?",
             "How much funding was received?", "What percentage of the plan was funded?",
             "How many refugees and migrants live in Peru?", "How many children were assisted with education?"]


@pytest.fixture(scope="module")
def loaded(peru_assistant):
    peru_assistant.warm()
    return peru_assistant._engine._state()


def test_stored_entries_are_the_matchers_own(loaded):
    rows = loaded.reader.query("SELECT id, report_id FROM facts ORDER BY id")
    assert rows
    entries = loaded.matcher.entries(r["id"] for r in rows)
    assert len(entries) == len(rows)
    for e in entries:
        row = loaded.reader.query("SELECT * FROM facts WHERE id = ?", (e.id,))[0]
        assert e == make_entry(e.id, row_to_fact(row, e.fact.report), e.report_id)


def reference(loaded, q, qvec, boosts, extra):
    """The scan: every fact in scope, kept when among the SEM_POOL nearest or sharing a word."""
    m = loaded.matcher
    n = m.n_facts
    every = m.entries(range(n))
    weighted = m.weighted(q, extra, None)
    words = {w for w, _ in weighted}
    sem = m.vectors[:n] @ qvec
    near = set(sorted(range(n), key=lambda i: -sem[i])[:match.SEM_POOL])
    keep = {e.id for e in every if e.id in near or words & e.context or any(w in e.positions for w in words)}
    pools = (match.SEM_POOL, match.LEX_POOL)
    match.SEM_POOL, match.LEX_POOL = n, n  # everything is a candidate: the loop's own filters decide
    try:
        got = m.candidates(q, qvec, None, boosts, extra_words=extra)
    finally:
        match.SEM_POOL, match.LEX_POOL = pools
    return {c.entry.id: c.feats for c in got if c.entry.id in keep}


@pytest.mark.parametrize("sem_pool", [match.SEM_POOL, 10])
@pytest.mark.parametrize("question", QUESTIONS)
def test_candidates_from_the_indexes_are_the_scans(loaded, peru_assistant, question, sem_pool, monkeypatch):
    monkeypatch.setattr(match, "SEM_POOL", sem_pool)  # 10: fewer than the facts, the word index matters
    assert loaded.matcher.n_facts > 10
    q = parse_question(question, loaded.catalogue)
    qvec = peru_assistant._engine.embedder.encode([question])[0]
    hits = loaded.retriever.search(question, qvec, k=8)
    boosts = Composer(loaded)._boosts(hits)
    extra = loaded.expand_acronyms(match.query_words(q))
    got = {c.entry.id: c.feats for c in loaded.matcher.candidates(q, qvec, None, boosts, extra_words=extra)}
    want = reference(loaded, q, qvec, boosts, extra)
    assert got.keys() == want.keys()
    for i, feats in got.items():  # a dot product over another set of rows may differ in its last bits
        assert feats == pytest.approx(want[i], abs=1e-6)
