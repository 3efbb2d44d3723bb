"""`reportqa index --engine ray`: the same reports, passages and facts as the local build, from Ray
Data tasks and an embedding actor pool, with Parquet shards as checkpoints. Skipped without Ray."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

pytest.importorskip("ray")
pytest.importorskip("pyarrow")

from indexer.build import build_index  # noqa: E402
from indexer.ray_engine import SHARDS, build_index_ray  # noqa: E402
from indexer.reader import IndexReader  # noqa: E402

from .test_build import add_bad_files, make_corpus, quiet  # noqa: E402

TABLES = ("SELECT name, sha256, title, publisher, date, period, country, number, doc_type, n_pages,"
          " first_chunk, n_chunks, first_fact, n_facts, n_docs FROM reports ORDER BY id",
          "SELECT report_id, number, label, \"offset\", text FROM pages ORDER BY report_id, number",
          "SELECT id, report_id, page, page_end, start, \"end\", kind, heading, text FROM chunks ORDER BY id",
          "SELECT * FROM facts ORDER BY id",
          "SELECT word, report_id, n FROM fact_df ORDER BY word, report_id",
          "SELECT acronym, expansion FROM acronyms ORDER BY ord")


def rows(reader: IndexReader, sql: str) -> list[tuple]:
    con = sqlite3.connect(reader.path / "reportqa.sqlite")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_both_engines_give_the_same_index(tmp_path, embedder):
    corpus = make_corpus(tmp_path / "corpus")
    add_bad_files(corpus)
    local = build_index([corpus], tmp_path / "local", embedder=embedder, say=quiet)
    ray = build_index_ray([corpus], tmp_path / "ray", say=quiet)
    assert (ray.reports, ray.pages, ray.chunks, ray.facts) == (local.reports, local.pages, local.chunks, local.facts)
    assert sorted(ray.skipped) == sorted(local.skipped)
    a, b = IndexReader(tmp_path / "local"), IndexReader(tmp_path / "ray")
    for sql in TABLES:
        assert rows(a, sql) == rows(b, sql), sql
    assert b.manifest["engine"] == "ray" and b.manifest["settings"] == a.manifest["settings"]
    ids = [r[0] for r in rows(a, "SELECT id FROM chunks")]
    assert np.allclose(a.chunk_vectors(ids), b.chunk_vectors(ids), atol=1e-4)
    assert np.allclose(a.fact_vectors, b.fact_vectors, atol=1e-4)

    # the shards are checkpoints: a second run reads and embeds nothing, and gives the same index
    assert len(list((tmp_path / "ray" / SHARDS).rglob("*.parquet"))) == ray.reports + len(ray.skipped)
    again = build_index_ray([corpus], tmp_path / "ray", say=quiet)
    assert again.embedded == 0 and again.facts == local.facts
