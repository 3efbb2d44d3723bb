"""Copies of a fact (the same stored records in other reports: a report series repeats its boilerplate, the
same file under two names repeats everything) share one `Content`, decoded once, and what depends on the fact
alone is computed once for them: the candidates, features, scores and answers are those of making every copy
on its own (`match.SHARE_COPIES` False), to the last bit.

The index is built here from three copies of the shipped Peru report (distinct files, the same text), as
bench/scale.py builds its 30x corpus."""

from __future__ import annotations

import pytest

from assistant import compose, match
from assistant.compose import Composer
from assistant.question import parse_question
from indexer.entries import Content, Lead, entry_from_record, fact_from_record, near_from_record
from tests.conftest import PERU

COPIES = 3
QUESTIONS = ["How many persons received hygiene kits?", "How many calls did the MIMP receive?",
             "How much funding was received?", "What percentage of the plan was funded?",
             "How many refugees and migrants live in Peru?", "How many children were assisted with education?",
             "How many food kits were distributed in Lima in October 2020?",
             "How much money did the Health sector require?", "How many people did the Integration sector reach?",
             "How many Venezuelans were reached by RMRP partners with cash transfers?",
             "What is the name of the national helpline?"]


@pytest.fixture(scope="module")
def copies_index(tmp_path_factory, embedder):
    from indexer.build import build_index

    corpus = tmp_path_factory.mktemp("copies_corpus")
    data = PERU.read_bytes()
    for i in range(COPIES):
        (corpus / (PERU.name if i == 0 else f"{PERU.stem}__c{i}{PERU.suffix}")).write_bytes(data + b"\n" * i)
    index = tmp_path_factory.mktemp("copies_index")
    build_index([corpus], index, say=lambda m: None, embedder=embedder)
    return index


def _assistant(index, embedder):
    from assistant.core import Assistant

    a = Assistant(index)
    a._engine._embedder = embedder
    a.warm()
    return a


@pytest.fixture(scope="module")
def shared(copies_index, embedder):
    return _assistant(copies_index, embedder)


def test_copies_share_one_content_and_make_the_same_facts_and_entries(shared):
    loaded = shared._engine._state()
    m = loaded.matcher
    assert m.n_facts > 30 and m.n_facts % COPIES == 0
    leads = m.leads(range(m.n_facts))
    assert len(leads) == m.n_facts
    contents = {id(lead.content) for lead in leads}
    assert len(contents) == m.n_facts // COPIES  # each fact's three copies share one
    records = {fid: (rid, fact_rec, entry_rec, near_rec)
               for fid, rid, _, fact_rec, entry_rec, near_rec in loaded.reader.fact_records(range(m.n_facts))}
    for lead in leads:
        rid, fact_rec, entry_rec, near_rec = records[lead.id]
        assert isinstance(lead.content, Content) and lead.report_id == rid
        want = fact_from_record(m.names[rid], fact_rec)
        assert lead.fact == want and lead.fact.__dict__ == want.__dict__ and lead.fact.extra is not want.extra
        near, context = near_from_record(near_rec)
        assert lead.near == near and lead.context == context
        assert lead == Lead(lead.id, rid, want, near, context, entry_rec, None, lead.content)
        e = m.entry(lead)
        assert e.__dict__ == entry_from_record(lead.id, rid, want, entry_rec, near, context).__dict__
    names = {lead.fact.report for lead in leads}
    assert len(names) == COPIES  # each copy's fact names its own report


def _answer(a, question) -> dict:
    out = a.ask(question).to_dict()
    out.pop("latency_ms")  # the time it took: the only field that may differ
    return out


def _candidates(a, question):
    loaded = a._engine._state()
    q = parse_question(question, loaded.catalogue)
    qvec = a._engine.embedder.encode([question])[0]
    hits = loaded.retriever.search(question, qvec, k=8)
    return [(sc, e.id, e.report_id, feats) for sc, e, feats in Composer(loaded).candidates(q, qvec, None, hits)]


@pytest.mark.parametrize("pool", [compose.POOL, 5])
def test_candidates_and_answers_with_shared_copies_are_those_of_each_copy_alone(copies_index, embedder, shared,
                                                                               pool, monkeypatch):
    """Every candidate (score, id, report, every feature) and every answer are equal, `==`, with the copies'
    work shared and with each copy made on its own (a matcher that never shares: its own process state)."""
    monkeypatch.setattr(compose, "POOL", pool)
    got = {q: (_candidates(shared, q), _answer(shared, q)) for q in QUESTIONS}
    monkeypatch.setattr(match, "SHARE_COPIES", False)
    alone = _assistant(copies_index, embedder)
    want = {q: (_candidates(alone, q), _answer(alone, q)) for q in QUESTIONS}
    leads = alone._engine._state().matcher.leads(range(alone._engine._state().matcher.n_facts))
    assert len({id(lead.content) for lead in leads}) == len(leads)  # the reference shares nothing
    copies = 0
    for q in QUESTIONS:
        assert got[q] == want[q], q
        ids = {i for _, i, _, _ in got[q][0]}
        copies += len({r for _, _, r, _ in got[q][0]}) == COPIES and len(ids) >= COPIES
    assert copies >= len(QUESTIONS) // 2  # the candidates are copies, in every report: the sharing is exercised


def test_what_depends_on_the_fact_is_computed_once_for_its_copies(copies_index, embedder, monkeypatch):
    """The scope filter (the noise rules) runs once a content, not once a copy, and so do the pool features of
    the copies in the composer's pool: what the sharing saves."""
    calls: list[str] = []
    pooled: list[str] = []
    scope, pool = match._scope_filter, compose.pool_features
    monkeypatch.setattr(match, "_scope_filter", lambda q, f: calls.append(f.report) or scope(q, f))
    monkeypatch.setattr(compose, "pool_features", lambda q, e, *a: pooled.append(e.fact.report) or pool(q, e, *a))
    question = "How many persons received hygiene kits?"
    _candidates(_assistant(copies_index, embedder), question)
    once, pooled_once = len(calls), len(pooled)
    calls.clear()
    pooled.clear()
    monkeypatch.setattr(match, "SHARE_COPIES", False)
    _candidates(_assistant(copies_index, embedder), question)
    assert once and len(calls) == COPIES * once
    # the pool: POOL candidates, each fact there with its three copies (the last one's cut at POOL)
    assert len(pooled) == compose.POOL and pooled_once == -(-compose.POOL // COPIES)


def test_a_copy_of_a_content_held_is_made_without_reading_its_row(copies_index, embedder, monkeypatch):
    """The build gives each fact the id of the first fact with the same stored records (its content id), so a
    copy of a content the matcher holds is made from it with no row read: the same fact, words and report as
    made from its own row."""
    loaded = _assistant(copies_index, embedder)._engine._state()
    m, reader = loaded.matcher, loaded.reader
    contents, reports = reader.fact_contents()
    rows = {fid: (rid, tuple(recs)) for fid, rid, _, *recs in reader.fact_records(range(m.n_facts))}
    first: dict[tuple, int] = {}
    for fid, (rid, recs) in rows.items():
        assert contents[fid] == first.setdefault(recs, fid) and reports[fid] == rid
    n = m.n_facts // COPIES
    assert len(first) == n and sorted(set(contents.tolist())) == list(range(n))  # the first copy's ids
    read: list[int] = []
    records = reader.fact_records
    monkeypatch.setattr(reader, "fact_records", lambda ids: read.extend(ids) or records(ids))
    m._cache.clear()
    m._contents.clear()
    m.leads(range(n))
    assert sorted(read) == list(range(n))  # the first copy: every row read
    read.clear()
    leads = m.leads(range(n, m.n_facts))
    assert read == [] and len(leads) == m.n_facts - n  # the other copies: none
    for lead in leads:
        rid, (fact_rec, entry_rec, near_rec) = rows[lead.id]
        want = fact_from_record(m.names[rid], fact_rec)
        assert lead.report_id == rid and lead.fact.__dict__ == want.__dict__ and rid != reports[0]
        assert (lead.near, lead.context) == near_from_record(near_rec) and lead.record == entry_rec
        assert m.entry(lead).__dict__ == entry_from_record(lead.id, rid, want, entry_rec, *near_from_record(near_rec)
                                                           ).__dict__
