"""Fact matching from the index: stored entries equal the matcher's own, and the candidates found
through FAISS and FTS5 are the ones a scan of every fact gives (the reference), features and all."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import compose, match
from assistant import rank as ranking
from assistant.compose import Composer
from assistant.match import make_entry, root
from assistant.question import content_words, parse_question
from indexer.reader import row_to_fact

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
    with pytest.raises(dataclasses.FrozenInstanceError):  # cached across questions: never changed
        entries[0].num_index = 0


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


MORE = QUESTIONS + ["How many food kits were distributed in Lima in October 2020?",
                    "How much money did the Health sector require?",
                    "How many people did the Integration sector reach?",
                    "What share of survivors were assisted through the Centros de Emergencia Mujer?",
                    "How many Venezuelans were reached by RMRP partners with cash transfers?"]


def _ask_parts(loaded, assistant, question):
    q = parse_question(question, loaded.catalogue)
    qvec = assistant._engine.embedder.encode([question])[0]
    return q, qvec, loaded.retriever.search(question, qvec, k=8)


@pytest.mark.parametrize("pool", [compose.POOL, 12, 3])
@pytest.mark.parametrize("question", MORE)
def test_pruned_pool_is_the_pool_of_every_entry(loaded, peru_assistant, question, pool, monkeypatch):
    """Entries made only for the candidates that can reach the pool (and settle each gap's best) give
    the very candidates, scores and features of making every entry; with a small pool some are left out."""
    monkeypatch.setattr(compose, "POOL", pool)
    comp = Composer(loaded)
    q, qvec, hits = _ask_parts(loaded, peru_assistant, question)
    made = []
    entry = loaded.matcher.entry
    monkeypatch.setattr(loaded.matcher, "entry", lambda lead: made.append(lead.id) or entry(lead))
    got = [(sc, e.id, feats) for sc, e, feats in comp.candidates(q, qvec, None, hits)]
    pruned = len(made)
    monkeypatch.setattr(comp, "_prune", lambda ask, titles, keep, own_of: None)
    made.clear()
    want = [(sc, e.id, feats) for sc, e, feats in comp.candidates(q, qvec, None, hits)]
    assert got == want
    assert pruned <= len(made)


@pytest.mark.parametrize("question", MORE)
def test_feature_ranges_hold_the_features(loaded, peru_assistant, question):
    """What `prune` is told of a lead before its entry is made (each feature's least and most) holds
    the feature the entry gives, for every candidate."""
    q, qvec, hits = _ask_parts(loaded, peru_assistant, question)
    comp = Composer(loaded)
    ranges = {}

    most, holds = {}, {}

    def every(leads, bounds, out):
        b = bounds(leads)
        upper = ranking.load().order_upper(b.names, b.lo, b.hi)
        for i, (lead, s) in enumerate(leads):
            ranges[lead.id], most[lead.id] = b.ranges(i), upper[i]
            holds[lead.id] = lambda feats, b=b, i=i: b.holds(i, feats)
            yield lead, s

    extra = loaded.expand_acronyms(match.query_words(q))
    cands = loaded.matcher.candidates(q, qvec, None, comp._boosts(hits), extra_words=extra, prune=every)
    assert cands
    for c in cands:
        r = ranges[c.entry.id]
        assert r is not None
        assert r.keys() == c.feats.keys()
        for k, v in c.feats.items():
            assert r[k][0] - 1e-9 <= v <= r[k][1] + 1e-9, (k, v, r[k])
        assert ranking.load().order_score(c.feats) <= most[c.entry.id] + 1e-9  # the most its order score can be
        assert holds[c.entry.id](c.feats)  # what the pruning checks a made candidate with


def test_facts_from_records_are_the_facts(loaded):
    """`fact_from_record` (made without `Fact.__init__`) gives the facts the table holds, every field."""
    from dataclasses import fields

    rows = loaded.reader.query("SELECT id, report_id FROM facts ORDER BY id")
    for fid, rid, _, fact_rec, _, _ in loaded.reader.fact_records([r["id"] for r in rows]):
        got = match.fact_from_record(loaded.matcher.names[rid], fact_rec)
        row = loaded.reader.query("SELECT * FROM facts WHERE id = ?", (fid,))[0]
        want = row_to_fact(row, got.report)
        assert got == want and type(got) is type(want)
        assert got.unit_kind == row["unit_kind"]  # the kind stored at index time, in the record and the table
        assert all(getattr(got, f.name) == getattr(want, f.name) for f in fields(want))


@pytest.mark.parametrize("question", MORE + ["How much money is required?", "How many days did the response last?"])
def test_unit_column_drops_what_the_filters_drop(loaded, question):
    """`FactMatcher.fitting` (the unit column, before any row is read) keeps exactly the facts whose unit
    the scope filter (`unit_fits`) and `unit_fit` let through, read from each fact and its entry."""
    import numpy as np

    from assistant.units import unit_fit, unit_fits, wanted_unit

    m = loaded.matcher
    q = parse_question(question, loaded.catalogue)
    head, people = wanted_unit(q) if q.expected in ("count", "duration") else (None, None)
    every = m.entries(range(m.n_facts))
    want = [e.id for e in every if unit_fits(q.expected, e.fact) and unit_fit(head, people, e) is not None]
    assert 0 < len(want) < len(every) or q.expected not in ("count", "money", "percent")
    ids = np.arange(m.n_facts, dtype=np.int64)
    assert ids[m.fitting(ids, q.expected, head, people)].tolist() == want
    back = ids[::-1].copy()
    assert back[m.fitting(back, q.expected, head, people)].tolist() == want[::-1]  # decided once, kept


def test_unit_column_is_the_facts_units(loaded):
    """`IndexReader.fact_units`: fact i's unit, unit kind and kind are those its row holds."""
    codes, units = loaded.reader.fact_units()
    rows = loaded.reader.query("SELECT id, unit, unit_norm, unit_kind, kind FROM facts ORDER BY id")
    assert len(codes) == len(rows) and len(units) < len(rows)
    for r in rows:
        u = units[codes[r["id"]]]
        assert (u.unit, u.unit_norm, u.unit_kind, u.kind) == (r["unit"], r["unit_norm"] or "", r["unit_kind"],
                                                               r["kind"] or "prose")
        f = u.fact()
        assert (f.unit.text if f.unit else None, f.unit_norm, f.unit_kind, f.kind) == (u.unit, u.unit_norm,
                                                                                        u.unit_kind, u.kind)


@pytest.mark.parametrize("question", MORE)
def test_candidates_without_the_unit_column_are_the_same(loaded, peru_assistant, question, monkeypatch):
    """Dropping by the unit column changes no candidate, score or feature (to the last bit): the loop
    dropped them anyway."""
    import numpy as np

    comp = Composer(loaded)
    q, qvec, hits = _ask_parts(loaded, peru_assistant, question)
    got = [(sc, e.id, feats) for sc, e, feats in comp.candidates(q, qvec, None, hits)]
    monkeypatch.setattr(loaded.matcher, "fitting", lambda ids, *a: np.ones(len(ids), dtype=bool))
    want = [(sc, e.id, feats) for sc, e, feats in comp.candidates(q, qvec, None, hits)]
    assert got == want and got


def _share_from_positions(weighted, e) -> float:
    """The `words` feature as the matcher computed it from an entry's positions before the nearness was
    stored (session 6): the reference the stored nearness must give to the last bit."""
    total = got = 0.0
    for w, idf in weighted:
        total += idf
        alts = match.synonyms(w)
        best = 0.8 if any(a in e.context for a in alts) else 0.0
        for i in (i for a in alts for i in e.positions.get(a, ())):
            lo, hi = (i, e.num_index) if i < e.num_index else (e.num_index, i)
            between = e.num_before[hi] - e.num_before[lo + 1]
            near = 1.0 / (1.0 + max(0, hi - lo - 2) / 10.0)
            if between:
                near *= 0.45 ** between
            if not e.in_clause[i]:
                near *= 0.6
            best = max(best, near)
        got += idf * best
    return got / total if total else 0.0


def test_stored_nearness_is_what_the_entry_computes(loaded):
    """Every fact's stored nearness record holds each of its words (sentence and context, no other) with the
    factor the `words` feature computed from the entry's positions, and its context words: equal, not close."""
    from indexer.entries import near_from_record

    rows = loaded.reader.query("SELECT id FROM facts ORDER BY id")
    records = loaded.reader.fact_records([r["id"] for r in rows])
    assert len(records) == len(rows) > 50
    entries = {e.id: e for e in loaded.matcher.entries(r["id"] for r in rows)}
    near_words = 0
    for fid, _, _, _, _, near_rec in records:
        e = entries[fid]
        near, context = near_from_record(near_rec)
        assert context == e.context
        assert near.keys() == set(e.positions) | e.context
        for w, v in near.items():
            assert v == _share_from_positions([(w, 1.0)], e), (fid, w)
            near_words += v not in (0.8, 1.0)  # the distance, the numbers between, the clause all weigh
        assert near == e.near
    assert near_words > 3 * len(rows)


@pytest.mark.parametrize("question", MORE)
def test_words_and_headers_from_the_stored_nearness(loaded, question):
    """For every fact, `words` and `headers` made from its stored record (what a lead is bounded with) are
    those made from its entry's positions and context, to the last bit."""
    m = loaded.matcher
    q = parse_question(question, loaded.catalogue)
    weighted = m.weighted(q, loaded.expand_acronyms(match.query_words(q)), None)
    alts = [(idf, match.synonyms(w)) for w, idf in weighted]
    total = sum(idf for _, idf in weighted)
    leads = m.leads(range(m.n_facts))
    assert len(leads) == m.n_facts
    shared = 0
    for lead in leads:
        e = m.entry(lead)
        want = _share_from_positions(weighted, e)
        assert match.share_near(alts, lead.near) == want == m.word_share(weighted, e)
        shared += want > 0
        heads = sum(idf for w, idf in weighted if any(a in e.context for a in match.synonyms(w))) / total
        assert match.share_context(alts, lead.context) == heads
    assert shared


def test_estimated_is_a_word_a_label_and_a_question_share():
    """"How many pregnant women are estimated to be affected?" shares "estimated" with the box "58,900 Estimated
    pregnant women": a word to match, not one to drop (it was a stopword, and the box lost to "26 affected
    pregnant women" of a sentence in every round that asked for it)."""
    q = parse_question("How many pregnant women are estimated to be affected, per UNFPA's regional sitrep 2?", [])
    assert root("estimated") in match.query_words(q)
    assert root("estimated") in {root(w) for w in content_words("58,900 Estimated pregnant women")}
