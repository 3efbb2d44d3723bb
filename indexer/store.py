"""The index folder: FAISS vectors + SQLite tables + manifest, built beside the old one and swapped.

Layout of DIR:
  current -> gen-XXXX/      symlink to the live generation, replaced atomically at the end of a build
  gen-XXXX/manifest.json    model, dimension, settings, versions, each report's content hash
  gen-XXXX/reportqa.sqlite  reports, pages, chunks (+ FTS5 full-text index), facts (+ an inverted
                            index of their words, word counts per report for IDF, acronyms, country
                            mentions: what answering looks facts up by, so it never scans them), each
                            fact's matcher entry and its words' nearness to its number (marshal
                            records), both FTS5 indexes' postings per
                            term (`indexer.postings`: BM25 in numpy)
  gen-XXXX/chunks.faiss     passage vectors, row i = chunk id i (exact or HNSW by size: indexer.ann)
  gen-XXXX/facts.faiss      fact vectors, row i = fact id i (likewise)
  gen-XXXX/facts.npy        the same fact vectors as an array (what incremental builds copy)
  .build.lock               held by the one build allowed at a time

The manifest records each data file's size and SHA-256: a reader refuses a generation whose files
do not match (IndexCorrupt, saying what to run), and a build rebuilds it from the corpus.

A build killed at any point leaves `current` pointing at the previous, complete generation.
The assistant reads the index only through `indexer.reader.IndexReader`, so the format has one owner:
no module outside store.py, reader.py and postings.py holds an SQL statement (tests/test_imports.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from indexer.config import INDEX_FORMAT
from indexer.errors import IndexBusy, ReportQAError
from indexer.lexicon import report_lexicon
from indexer.records import Chunk, Fact, Report, Span

CURRENT = "current"
DB = "reportqa.sqlite"
CHUNKS_FAISS = "chunks.faiss"
FACTS_FAISS = "facts.faiss"
FACT_VECTORS = "facts.npy"
MANIFEST = "manifest.json"
LOCK = ".build.lock"

CHUNK_TOKENIZER = "porter unicode61"
FACT_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '-'"

SCHEMA = f"""
CREATE TABLE reports(
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, path TEXT, sha256 TEXT,
    title TEXT, publisher TEXT, date TEXT, period TEXT, country TEXT, number TEXT,
    doc_type TEXT, url TEXT, n_pages INTEGER,
    first_chunk INTEGER, n_chunks INTEGER, first_fact INTEGER, n_facts INTEGER, n_docs INTEGER);
CREATE TABLE pages(
    report_id INTEGER NOT NULL, number INTEGER NOT NULL, label TEXT, "offset" INTEGER, text TEXT,
    PRIMARY KEY(report_id, number));
CREATE TABLE chunks(
    id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, page INTEGER, page_end INTEGER,
    start INTEGER, "end" INTEGER, kind TEXT, heading TEXT, text TEXT);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, heading, content='chunks', content_rowid='id', tokenize="{CHUNK_TOKENIZER}");
CREATE TABLE facts(
    id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, page INTEGER, value REAL, value_max REAL,
    text TEXT, start INTEGER, "end" INTEGER,
    qualifier TEXT, qualifier_start INTEGER, qualifier_end INTEGER,
    unit TEXT, unit_start INTEGER, unit_end INTEGER, unit_norm TEXT, unit_kind TEXT,
    label TEXT, sentence TEXT, sentence_start INTEGER, heading TEXT, sector TEXT, kind TEXT,
    row_header TEXT, col_header TEXT);
CREATE INDEX facts_report ON facts(report_id, page);
CREATE VIRTUAL TABLE fact_words USING fts5(words, content='', tokenize="{FACT_TOKENIZER}");
CREATE TABLE fact_entries(
    id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, words TEXT, fact BLOB, entry BLOB, near BLOB);
CREATE TABLE fact_df(word TEXT NOT NULL, report_id INTEGER NOT NULL, n INTEGER, PRIMARY KEY(word, report_id))
    WITHOUT ROWID;
CREATE TABLE word_df(word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE acronyms(ord INTEGER PRIMARY KEY, acronym TEXT UNIQUE NOT NULL, head TEXT, expansion TEXT);
CREATE INDEX acronyms_head ON acronyms(head);
CREATE TABLE mentions(country TEXT NOT NULL, report_id INTEGER NOT NULL, n INTEGER, PRIMARY KEY(country, report_id))
    WITHOUT ROWID;
CREATE INDEX facts_unit ON facts(unit_norm);
CREATE TABLE postings(fts TEXT NOT NULL, term TEXT NOT NULL, ids BLOB, counts BLOB, PRIMARY KEY(fts, term))
    WITHOUT ROWID;
CREATE TABLE fts_rows(fts TEXT PRIMARY KEY, n_rows INTEGER, n_tokens INTEGER, lengths BLOB);
CREATE TABLE fact_columns(name TEXT PRIMARY KEY, data BLOB);
CREATE INDEX chunks_report ON chunks(report_id);
"""

DATA_FILES = (DB, CHUNKS_FAISS, FACTS_FAISS, FACT_VECTORS)

META_FIELDS = ("title", "publisher", "date", "period", "country", "number", "doc_type", "url")


def _records_key(records: Sequence[bytes]) -> bytes:
    """A digest of a fact's stored records (fact, entry, nearness): equal for equal records."""
    h = hashlib.blake2b(digest_size=20)
    for r in records:
        h.update(len(r).to_bytes(8, "little"))
        h.update(r)
    return h.digest()


def generation(index_dir: Path) -> Path | None:
    """The live generation folder of an index, or None when there is none."""
    link = Path(index_dir) / CURRENT
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    return target if (target / MANIFEST).is_file() else None


def index_exists(index_dir: str | Path) -> bool:
    return generation(Path(index_dir)) is not None


def read_manifest(index_dir: str | Path) -> dict | None:
    gen = generation(Path(index_dir))
    return json.loads((gen / MANIFEST).read_text()) if gen else None


_HELD: set[int] = set()  # descriptors of the build locks this process holds


def _drop_held_locks() -> None:
    """In a forked child: close the inherited lock descriptors. An flock belongs to the open file,
    which a fork shares, so a child keeping its copy would keep the lock after its parent died."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_held_locks)


@contextmanager
def build_lock(index_dir: Path, wait: float = 600.0, say=print) -> Iterator[None]:
    """Hold the index's build lock; a second build waits (saying so), then refuses."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / LOCK, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise ReportQAError(f"Cannot write an index in {index_dir} ({exc.strerror or exc}): pick a folder you "
                            "can write with --index or REPORTQA_INDEX") from None
    with fh:
        _HELD.add(fh.fileno())
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            say(f"Another build of {index_dir} is running ({holder}); waiting for it to finish...")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexBusy(
                            f"Another build of {index_dir} is still running ({holder}); "
                            "try again when it has finished") from None
                    time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            _HELD.discard(fh.fileno())
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


class IndexWriter:
    """Writes one new generation folder; `commit()` swaps it in as DIR/current."""

    def __init__(self, index_dir: Path, model: str, dim: int, settings: dict, versions: dict):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.path = self.index_dir / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6}.building"
        self.path.mkdir()
        self.db = sqlite3.connect(self.path / DB)
        self.db.executescript(SCHEMA)
        self.manifest = {"format": INDEX_FORMAT, "model": model, "dim": dim, "settings": settings,
                         "versions": versions, "reports": {}}
        # vectors go to disk as they come (a build holds no corpus-wide list of them)
        # each fact's stored records by digest, to find the copies of a fact at commit (`_contents`)
        self.db.execute("CREATE TEMP TABLE fact_keys(id INTEGER PRIMARY KEY, key BLOB)")
        self._chunk_fh = open(self.path / "chunks.f32", "wb")
        self._fact_fh = open(self.path / "facts.f32", "wb")
        self.dim = dim
        self.n_chunks = 0
        self.n_facts = 0

    def add(self, report: Report, chunks: Sequence[Chunk], chunk_vecs: np.ndarray,
            facts: Sequence[Fact], fact_vecs: np.ndarray) -> None:
        lex = report_lexicon(facts, report.pages)
        cur = self.db.cursor()
        m = report.meta
        cur.execute(
            "INSERT INTO reports(name, path, sha256, title, publisher, date, period, country, number,"
            " doc_type, url, n_pages, first_chunk, n_chunks, first_fact, n_facts, n_docs)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (report.name, report.path, report.sha256, *(getattr(m, f) for f in META_FIELDS),
             len(report.pages), self.n_chunks, len(chunks), self.n_facts, len(facts), lex.n_docs))
        rid = cur.lastrowid
        cur.executemany("INSERT INTO fact_words(rowid, words) VALUES (?,?)",
                        [(self.n_facts + i, w) for i, w in enumerate(lex.words)])
        cur.executemany("INSERT INTO fact_entries(id, report_id, words, fact, entry, near) VALUES (?,?,?,?,?,?)",
                        [(self.n_facts + i, rid, w, *records)
                         for i, (w, records) in enumerate(zip(lex.words, lex.entries, strict=True))])
        cur.executemany("INSERT INTO temp.fact_keys(id, key) VALUES (?,?)",
                        [(self.n_facts + i, _records_key(records)) for i, records in enumerate(lex.entries)])
        cur.executemany("INSERT INTO fact_df(word, report_id, n) VALUES (?,?,?)",
                        [(w, rid, n) for w, n in lex.df.items()])
        # the first report to define an acronym gives its expansion (reports in index order)
        cur.executemany("INSERT OR IGNORE INTO acronyms(acronym, head, expansion) VALUES (?,?,?)",
                        [(a, x[0], " ".join(x)) for a, x in lex.acronyms.items()])
        cur.executemany("INSERT INTO mentions(country, report_id, n) VALUES (?,?,?)",
                        [(c, rid, n) for c, n in lex.mentions.items()])
        cur.executemany('INSERT INTO pages(report_id, number, label, "offset", text) VALUES (?,?,?,?,?)',
                        [(rid, p.number, p.label, p.offset, p.text) for p in report.pages])
        first = self.n_chunks
        cur.executemany(
            'INSERT INTO chunks(id, report_id, page, page_end, start, "end", kind, heading, text)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(first + i, rid, c.page, c.page_end, c.start, c.end, c.kind, c.heading, c.text)
             for i, c in enumerate(chunks)])
        cur.executemany(
            "INSERT INTO facts(id, report_id, page, value, value_max, text, start, \"end\", qualifier,"
            " qualifier_start, qualifier_end, unit, unit_start, unit_end, unit_norm, unit_kind, label, sentence,"
            " sentence_start, heading, sector, kind, row_header, col_header)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(self.n_facts + i, rid, f.page, f.value, f.value_max, f.text, f.start, f.end,
              *_span_cols(f.qualifier), *_span_cols(f.unit), f.unit_norm, f.unit_kind, f.label, f.sentence,
              f.sentence_start, f.heading, f.sector, f.kind, f.row_header, f.col_header)
             for i, f in enumerate(facts)])
        if len(chunks):
            self._chunk_fh.write(np.ascontiguousarray(chunk_vecs, dtype=np.float32).reshape(-1, self.dim).tobytes())
        if len(facts):
            self._fact_fh.write(np.ascontiguousarray(fact_vecs, dtype=np.float32).reshape(-1, self.dim).tobytes())
        self.n_chunks += len(chunks)
        self.n_facts += len(facts)
        self.manifest["reports"][report.name] = {
            "sha256": report.sha256, "path": report.path, "pages": len(report.pages),
            "chunks": len(chunks), "facts": len(facts)}

    def _contents(self) -> None:
        """The `content` column: each fact's content id, the id of the first fact whose three stored records
        (`indexer.entries.entry_record`) are the same bytes (its own id when none before it is; a report series
        repeating its boilerplate, the same file under two names). Answering shares one decoded `Content` among
        the copies of a fact and reads the rows of a content it holds no more (`assistant.match.FactMatcher.leads`).
        Found by sorting the records' digests in SQLite (a build holds no corpus-wide table of them)."""
        content = np.arange(self.n_facts, dtype=np.int32)
        key, first = None, 0
        for fid, k in self.db.execute("SELECT id, key FROM temp.fact_keys ORDER BY key, id"):
            if k != key:
                key, first = k, fid
            content[fid] = first
        self.db.execute("INSERT INTO fact_columns(name, data) VALUES ('content', ?)", (content.tobytes(),))
        self.db.execute("DROP TABLE temp.fact_keys")

    def commit(self) -> Path:
        """Finish the files, then atomically point DIR/current at the new generation."""
        from indexer import ann

        self.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
        self.db.execute("INSERT INTO word_df(word, n) SELECT word, SUM(n) FROM fact_df GROUP BY word")
        self.db.execute("INSERT INTO fact_words(fact_words) VALUES ('optimize')")
        from indexer import postings  # what FTS5 indexed, per term, so that BM25 is a numpy sum

        postings.write(self.db, "chunks_fts", self.n_chunks)
        postings.write(self.db, "fact_words", self.n_facts)
        self._contents()
        self.db.commit()
        self.db.close()
        specs = {}
        for name, fh, out in (("chunks", self._chunk_fh, CHUNKS_FAISS), ("facts", self._fact_fh, FACTS_FAISS)):
            fh.close()
            raw = Path(fh.name)
            vecs = np.fromfile(raw, dtype=np.float32).reshape(-1, self.dim)
            specs[name] = ann.write(self.path / out, vecs, self.dim)
            if name == "facts":
                np.save(self.path / FACT_VECTORS, vecs)
            del vecs
            raw.unlink()
        self.manifest["indexes"] = specs
        self.manifest["files"] = {name: _checksum(self.path / name) for name in DATA_FILES}
        self.manifest["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.manifest["counts"] = {"reports": len(self.manifest["reports"]), "chunks": self.n_chunks,
                                   "facts": self.n_facts}
        _write_atomic(self.path / MANIFEST, json.dumps(self.manifest, indent=1))
        _fsync_dir(self.path)
        final = self.path.with_suffix("")
        self.path.rename(final)
        self.path = final
        tmp = self.index_dir / f"{CURRENT}.{os.getpid()}.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(final.name, tmp)
        os.replace(tmp, self.index_dir / CURRENT)
        _fsync_dir(self.index_dir)
        prune(self.index_dir)
        return final

    def abort(self) -> None:
        try:
            self._chunk_fh.close()
            self._fact_fh.close()
            self.db.close()
        finally:
            shutil.rmtree(self.path, ignore_errors=True)


def prune(index_dir: Path, keep: int = 2) -> None:
    """Drop unfinished and old generations (the live one and the one before it stay)."""
    live = generation(index_dir)
    gens = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    finished = [p for p in gens if not p.name.endswith(".building")]
    for p in gens:
        if p.name.endswith(".building") or (p != live and p not in finished[-keep:]):
            shutil.rmtree(p, ignore_errors=True)
    for link in index_dir.glob(f"{CURRENT}.*.tmp"):  # a swap killed between its two steps
        if link.name != f"{CURRENT}.{os.getpid()}.tmp":
            link.unlink(missing_ok=True)


def _checksum(path: Path) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def verify(gen: Path, manifest: dict, deep: bool = False) -> str:
    """Why a generation's files cannot be trusted, or "": each data file against its size and
    checksum in the manifest (indexes from before checksums: that it exists), and with `deep`,
    SQLite's own `PRAGMA integrity_check`."""
    for name in DATA_FILES:
        path = gen / name
        want = manifest.get("files", {}).get(name)
        try:
            if want is None:
                if not path.is_file():
                    return f"{name} is missing"
            elif path.stat().st_size != want["bytes"]:
                return f"{name} has {path.stat().st_size:,} bytes, not the {want['bytes']:,} it was written with"
            elif _checksum(path)["sha256"] != want["sha256"]:
                return f"{name} has changed since it was written (checksum mismatch)"
        except OSError as exc:
            return f"{name} cannot be read ({exc.strerror or exc})"
    if deep:
        try:
            db = sqlite3.connect(f"file:{gen / DB}?mode=ro", uri=True)
            try:
                rows = db.execute("PRAGMA integrity_check").fetchall()
            finally:
                db.close()
        except sqlite3.Error as exc:
            return f"{DB} is not a readable SQLite database ({exc})"
        if rows != [("ok",)]:
            return f"{DB} fails its integrity check ({rows[0][0]})"
        if "files" not in manifest:  # no checksums to go by: the vector files must at least load
            try:
                import faiss

                faiss.read_index(str(gen / CHUNKS_FAISS))
                np.load(gen / FACT_VECTORS, mmap_mode="r")
            except (RuntimeError, ValueError, OSError) as exc:
                return f"the vector files do not load ({type(exc).__name__})"
    return ""


def _span_cols(span: Span | None) -> tuple:
    return (span.text, span.start, span.end) if span else (None, None, None)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    for f in [*path.iterdir(), path] if path.is_dir() else [path]:
        if f.is_file() or f == path:
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
