"""The build's read-and-embed pipeline: files read in worker processes, facts' vectors from the
passage pass (late chunking), key figures and unplaced facts embedded apart."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from indexer import pipeline
from indexer.build import build_index
from indexer.facts import extract_pages
from indexer.pipeline import EmbedCache, EmbedQueue, fact_text, passage_text, place
from indexer.reader import IndexReader
from indexer.records import Chunk, Fact, Page

from .conftest import ROOT
from .pdfs import write_pdf
from .test_build import add_bad_files, make_corpus, quiet

TWO_FACTS = ("In an increasingly dynamic protection environment, the GTRM assisted almost 5,000 refugees and "
             "migrants with general protection orientation, while another 2,000 received legal counsel.")


def corpus_with_pdfs(d):
    corpus = make_corpus(d)
    for i in range(4):
        write_pdf(corpus / f"update{i}.pdf", [
            f"SITUATION UPDATE No.{i}\nPartners reached {1000 + i:,} people with food.",
            f"Some {20 + i} health posts reopened in district {i}."])
    add_bad_files(corpus)
    return corpus


def table(db: str, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_reading_in_workers_builds_the_same_index(tmp_path, fake_embedder):
    corpus = corpus_with_pdfs(tmp_path / "corpus")
    one = build_index([corpus], tmp_path / "one", embedder=fake_embedder, say=quiet, workers=1)
    two = build_index([corpus], tmp_path / "two", embedder=fake_embedder, say=quiet, workers=2)
    assert sorted(one.skipped) == sorted(two.skipped) and len(one.skipped) == 5
    assert (one.reports, one.pages, one.chunks, one.facts) == (two.reports, two.pages, two.chunks, two.facts)
    dbs = [str(IndexReader(d).path / "reportqa.sqlite") for d in (tmp_path / "one", tmp_path / "two")]
    for sql in ("SELECT name, title, publisher, date FROM reports ORDER BY id",
                "SELECT report_id, page, start, text FROM chunks ORDER BY id",
                "SELECT report_id, page, start, value, text, label FROM facts ORDER BY id"):
        assert table(dbs[0], sql) == table(dbs[1], sql)
    a, b = IndexReader(tmp_path / "one"), IndexReader(tmp_path / "two")
    ids = [r[0] for r in a.query("SELECT id FROM chunks ORDER BY id")]
    assert np.allclose(a.chunk_vectors(ids), b.chunk_vectors(ids))
    assert np.allclose(a.fact_vectors, b.fact_vectors)


def test_a_dead_worker_costs_nothing(tmp_path, fake_embedder, monkeypatch):
    corpus = corpus_with_pdfs(tmp_path / "corpus")
    parent, real_read = os.getpid(), pipeline.read

    def dies_in_a_worker(path, *a):
        if os.getpid() != parent and path.name == "update2.pdf":
            os._exit(1)  # a worker killed mid-file (out of memory, a crash in a C library)
        return real_read(path, *a)

    monkeypatch.setattr(pipeline, "read", dies_in_a_worker)
    s = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet, workers=2)
    assert "update2.pdf" in s.indexed and len(s.indexed) == 8
    assert {n for n, _ in s.skipped} == {"corrupt.pdf", "locked.pdf", "scanned.pdf", "empty.txt", "table.xlsx"}


def test_build_leaves_the_garbage_collector_as_it_found_it(tmp_path, fake_embedder):
    build_index([make_corpus(tmp_path / "corpus")], tmp_path / "index", embedder=fake_embedder, say=quiet)
    assert gc.get_freeze_count() == 0


def test_progress_only_goes_forward_and_ends_done(tmp_path, fake_embedder):
    seen: list[float] = []
    build_index([corpus_with_pdfs(tmp_path / "corpus")], tmp_path / "index", embedder=fake_embedder,
                say=quiet, progress=lambda f, _msg: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 5


def page_facts(text: str, page: int = 1) -> list[Fact]:
    return extract_pages([Page(page, text)], report="r")


def test_place_finds_the_clause_in_the_earliest_passage_on_its_page():
    facts = page_facts(TWO_FACTS)
    two = next(f for f in facts if f.value == 2000)
    late = Chunk("r", 1, 1, 0, 10, "Earlier text on something else. " + TWO_FACTS, heading="Protection")
    early = Chunk("r", 1, 1, 0, 10, TWO_FACTS)
    other_page = Chunk("r", 2, 2, 0, 10, TWO_FACTS)
    chunks = [other_page, late, early]
    k, ranges, weight = place(two, chunks, [passage_text(c).lower() for c in chunks])
    assert k == 2 and weight > 0
    lo, hi = ranges[0]
    assert early.text[lo:hi].lower() == "another 2,000 received legal counsel"
    assert place(two, [other_page], [other_page.text.lower()]) is None


def test_place_falls_back_to_the_number_when_the_clause_is_not_written_as_such():
    fact = Fact(value=26, text="26%", start=0, end=3, page=3, report="r", sentence="26%\t59%\t15%")
    c = Chunk("r", 3, 3, 0, 20, "Shelter damage\nHouses | 26% | 59% | 15%", "table_row", "Shelter damage")
    _, ranges, _ = place(fact, [c], [c.text.lower()])
    assert c.text[slice(*ranges[0])] == "26%"


def test_passage_vectors_are_the_models_own(embedder):
    texts = [TWO_FACTS, "Short line.", "word " * 400]
    got = embedder.encode_spans(texts, [(0, [(0, 20)], 0.5), (2, [(1900, 1950)], 0.5), (1, [(0, 5)], 0.0)])
    vecs, spans = got
    assert np.allclose(vecs, embedder.encode(texts), atol=1e-5)
    assert spans[1] is None  # past the model's 256 word pieces
    assert all(abs(np.linalg.norm(v) - 1) < 1e-5 for v in (spans[0], spans[2]))


def test_a_fact_vector_means_its_own_clause(embedder):
    """Two figures in one sentence get vectors that tell them apart: each nearer its own question."""
    facts = page_facts(TWO_FACTS)
    chunk = Chunk("r", 1, 1, 0, len(TWO_FACTS), TWO_FACTS)
    q = EmbedQueue(embedder, 16)
    q.add("r", [chunk], facts)
    assert q.finish() == []  # both placed in the passage: nothing to embed apart
    q.embed_loose()
    _, fvecs = q.vectors("r", embedder.dim)
    by_value = {f.value: fvecs[i] for i, f in enumerate(facts)}
    legal, orientation = embedder.encode(["How many people received legal counsel?",
                                          "How many people received general protection orientation?"])
    assert by_value[2000] @ legal > by_value[5000] @ legal
    assert by_value[5000] @ orientation > by_value[2000] @ orientation


def test_key_figures_are_embedded_apart_with_their_label(embedder):
    facts = page_facts("FUNDING SITUATION\n36% FUNDED: 54M\nREQUIREMENT: $148.6 M\n\n" + TWO_FACTS)
    keys = [f for f in facts if f.kind == "key_figure"]
    assert keys, "the key-figure lines give key figures"
    text = "\n".join(f.sentence for f in keys) + "\n" + TWO_FACTS
    q = EmbedQueue(embedder, 16)
    q.add("r", [Chunk("r", 1, 1, 0, len(text), text)], facts)
    loose = q.finish()
    assert sorted(loose) == sorted({fact_text(f) for f in keys})
    q.embed_loose()
    _, fvecs = q.vectors("r", embedder.dim)
    for i, f in enumerate(facts):
        if f.kind == "key_figure":
            assert np.allclose(fvecs[i], embedder.encode([fact_text(f)])[0], atol=1e-5)


def test_without_token_positions_every_fact_is_embedded_apart(fake_embedder):
    facts = page_facts(TWO_FACTS)
    q = EmbedQueue(fake_embedder, 16)
    q.add("r", [Chunk("r", 1, 1, 0, 10, TWO_FACTS)], facts)
    assert sorted(q.finish()) == sorted({fact_text(f) for f in facts})
    q.embed_loose()
    _, fvecs = q.vectors("r", fake_embedder.dim)
    assert fvecs.shape == (len(facts), fake_embedder.dim)


@pytest.mark.parametrize("n", [1, 40])
def test_queue_keeps_each_reports_vectors_in_order(fake_embedder, n):
    q = EmbedQueue(fake_embedder, 16)
    texts = {name: [f"{name} passage number {i} about topic {i % 7}" for i in range(n)] for name in ("a", "b")}
    for name, ts in texts.items():
        q.add(name, [Chunk(name, 1, 1, 0, 1, t) for t in ts], [])
        while q.ready():
            q.step()
    q.finish()
    for name, ts in texts.items():
        vecs, _ = q.vectors(name, fake_embedder.dim)
        assert np.allclose(vecs, fake_embedder.encode(ts))


def test_batches_are_formed_by_token_count(embedder):
    """A passage of figures has many more word pieces than its characters suggest: batches are cut
    by what the model reads, so a batch pads little."""
    figures = "12,345 6,789 10,111 " * 8  # short in characters, long in word pieces
    words = "people received food assistance in the district " * 4
    counts = embedder.token_counts([figures, words, "word " * 1000])
    assert counts[0] > counts[1] and len(figures) < len(words)
    assert counts[2] == embedder.model.max_seq_length
    q = EmbedQueue(embedder, 1)
    q.add("r", [Chunk("r", 1, 1, 0, 1, figures), Chunk("r", 1, 1, 0, 1, words)], [])
    assert q.sizes == counts[:2]
    q.step()  # the batch of one takes the longest in word pieces: the figures
    assert q.reports["r"].vecs[0] is not None and q.reports["r"].vecs[1] is None


RUN_ON = [  # (name, text): shapes of large text that made extraction or passages grow without bound
    ("no-full-stops", "partners distributed 2,140 hygiene kits to refugees and migrants " * 3000),
    ("soft-wrapped", "partners distributed 2,140 hygiene kits to\nrefugees and migrants in\n" * 3000),
    ("one-figure-a-line", "12,500\n" * 20000),
]


@pytest.mark.parametrize("name, text", RUN_ON, ids=[r[0] for r in RUN_ON])
def test_a_run_on_text_is_read_in_bounded_sentences_and_passages(tmp_path, name, text):
    # every number looks at its sentence and every fact at its passage: unbounded, both were quadratic
    from indexer import chunk, facts, parse

    path = tmp_path / f"{name}.txt"
    path.write_text(text)
    report = parse.parse_file(path, sidecar={})
    found = facts.extract_pages(report.pages, report=report.name)
    assert len(found) >= 3000
    assert max(len(f.sentence) for f in found) <= facts.MAX_SENTENCE_CHARS
    assert max(len(c.text.split()) for c in chunk.chunk_report(report)) <= chunk.MAX_WORDS


@pytest.mark.e2e  # a real process (the model, a kill, a memory measurement)
def test_building_from_repeated_lines_stays_in_bounded_memory(tmp_path):
    # a file of one line repeated piles every fact onto passages that all look alike; the build (the
    # real model, in its own process) must stay far below what a server can give: measured, not assumed
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    line = "In Lima, partners distributed 2,140 hygiene kits to refugees and migrants.\n"
    (corpus / "repeated.txt").write_text(line * (256_000 // len(line)))
    # the child samples its own RSS: its ru_maxrss would count the forked copy of this (large) process
    code = ("import os, sys, threading, time\n"
            "peak = [0]\n"
            "def watch():\n"
            "    while True:\n"
            "        pages = int(open('/proc/self/statm').read().split()[1])\n"
            "        peak[0] = max(peak[0], pages * os.sysconf('SC_PAGE_SIZE'))\n"
            "        time.sleep(0.01)\n"
            "threading.Thread(target=watch, daemon=True).start()\n"
            "from indexer.build import build_index\n"
            "s = build_index([sys.argv[1]], sys.argv[2], say=lambda m: None)\n"
            "time.sleep(0.05)\n"
            "print(s.facts, peak[0] >> 20)\n")
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(tmp_path / "index")], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    n_facts, peak_mb = map(int, out.stdout.split())
    assert n_facts >= 3000
    assert peak_mb < 1500, f"peak {peak_mb} MB"


def test_a_passage_text_seen_before_is_embedded_once(embedder):
    """Report series repeat their boilerplate, and a file may be indexed under two names: each distinct
    passage text takes one forward pass, and its copies (and their facts) get the same vectors."""
    facts = page_facts(TWO_FACTS)
    other = "Partners reached 1,200 people with food in the north."
    chunks = [Chunk("a", 1, 1, 0, len(TWO_FACTS), TWO_FACTS)]
    q = EmbedQueue(embedder, 16)
    assert q.add("a", chunks, facts) == 1
    assert q.add("b", chunks + [Chunk("b", 1, 1, 0, len(other), other)], facts) == 1
    assert q.reused == 1
    q.finish()
    q.embed_loose()
    assert q.embedded == 2
    (av, af), (bv, bf) = q.vectors("a", embedder.dim), q.vectors("b", embedder.dim)
    assert np.allclose(av[0], bv[0]) and np.allclose(af, bf)
    alone = EmbedQueue(embedder, 16)
    alone.add("a", chunks, facts)
    alone.finish()
    alone.embed_loose()
    assert np.allclose(alone.vectors("a", embedder.dim)[1], af, atol=1e-6)


def test_a_copied_file_is_not_embedded_again(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    one = build_index([corpus], tmp_path / "one", embedder=fake_embedder, say=quiet)
    peru = next(corpus.glob("*.txt"))
    (corpus / "copy.txt").write_bytes(peru.read_bytes() + b"\n")
    s = build_index([corpus], tmp_path / "two", embedder=fake_embedder, say=quiet)
    assert s.chunks > one.chunks and s.embedded == one.embedded


def test_a_passage_text_repeated_within_one_report_is_embedded_once(embedder):
    """The same passage text twice in one report (a repeated box, a file of repeated lines): the copy
    rides on the first one's pass, even though neither was queued before the report."""
    text = "Partners reached 1,200 people with food in the north."
    chunks = [Chunk("a", 1, 1, 0, len(text), text), Chunk("a", 2, 2, 0, len(text), text)]
    q = EmbedQueue(embedder, 16)
    assert q.add("a", chunks, []) == 1
    q.finish()
    vecs = q.reports["a"].vecs
    assert vecs[0] is not None and vecs[1] is not None and np.allclose(vecs[0], vecs[1])


def test_a_passage_an_earlier_queue_of_the_build_embedded_comes_from_its_cache(embedder):
    """A build embeds its reports in several queues sharing one cache: a passage (and its facts) that an
    earlier queue embedded takes its vectors from the cache, and nothing is embedded again."""
    facts = page_facts(TWO_FACTS)
    chunks = [Chunk("a", 1, 1, 0, len(TWO_FACTS), TWO_FACTS)]
    cache = EmbedCache()
    first = EmbedQueue(embedder, 16, cache=cache)
    assert first.add("a", chunks, facts) == 1
    first.finish()
    first.embed_loose()
    second = EmbedQueue(embedder, 16, cache=cache)
    assert second.add("b", chunks, facts) == 0 and second.reused == 1
    second.finish()
    second.embed_loose()
    assert second.embedded == 0
    (av, af), (bv, bf) = first.vectors("a", embedder.dim), second.vectors("b", embedder.dim)
    assert np.allclose(av, bv) and np.allclose(af, bf)
