"""An index generation -> typed reads: reports, pages, passages, facts and the words they are found by.

The read side of the store (`indexer.store` writes): every query answering makes is a method here,
returning plain values, frozen records (`StoredChunk`, `indexer.records.Fact`) or the stored matcher
records, so the SQLite schema has one owner and the assistant holds no SQL (tests/test_imports.py).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from indexer.config import INDEX_FORMAT
from indexer.errors import IndexCorrupt, IndexIncompatible, IndexMissing
from indexer.records import Chunk, Fact, Page, Report, ReportMeta, Span
from indexer.store import CHUNKS_FAISS, DB, FACT_VECTORS, FACTS_FAISS, MANIFEST, META_FIELDS, generation, verify

# a lookup of many ranges of ids tests each row against every range: beyond this many, one report lookup
_RANGES_INLINE = 16



@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report as the index holds it: its metadata ("" where unknown) and where its rows lie."""

    id: int
    name: str
    path: str
    sha256: str
    title: str
    publisher: str
    date: str
    period: str
    country: str
    number: str
    doc_type: str
    url: str
    n_pages: int
    first_chunk: int
    n_chunks: int
    first_fact: int
    n_facts: int
    n_docs: int

    def meta(self) -> ReportMeta:
        return ReportMeta(**{f: getattr(self, f) for f in META_FIELDS})


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A passage as the index holds it (offsets into page texts, as in `indexer.records.Chunk`)."""

    id: int
    report_id: int
    page: int
    page_end: int
    start: int
    end: int
    kind: str
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class FactUnit:
    """What a fact's unit is, as stored: all a question's unit filter reads of a fact (`FactUnit.fact`)."""

    unit: str | None  # as written, None when the fact has none
    unit_norm: str
    unit_kind: str
    kind: str  # prose, table_cell, key_figure, ...

    def fact(self) -> Fact:
        """A fact with this unit and nothing else, for the filters that read a fact's unit only."""
        f = Fact(value=0.0, text="", start=0, end=0, page=0, report="", unit=Span(self.unit, 0, len(self.unit))
                 if self.unit is not None else None, unit_norm=self.unit_norm, kind=self.kind)
        object.__setattr__(f, "unit_kind", self.unit_kind)  # as stored, not made again
        return f


def _marks(items: Sequence) -> str:
    return ",".join("?" * len(items))


def _chunks_matching(terms: Sequence[str], scope: list[tuple[int, int]] | None,
                     report_ids: Iterable[int]) -> tuple[str, list]:
    """The SQL of the passages holding any of the terms, with FTS5's BM25 (`id`, `s`), in the id ranges
    `scope` (those of `report_ids`; None: everywhere)."""
    # the passages' own ids, no join: a report's passages are an id range
    sql = "SELECT rowid AS id, bm25(chunks_fts) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
    params: list = [" OR ".join(f'"{t}"' for t in terms)]
    if scope is not None:
        if len(scope) <= _RANGES_INLINE:
            sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in scope) + ")"
            params += [x for lo, hi in scope for x in (lo, hi - 1)]
        else:  # many ranges: one lookup a match rather than a test per range
            rids = list(report_ids)
            sql += f" AND rowid IN (SELECT id FROM chunks WHERE report_id IN ({_marks(rids)}))"
            params += rids
    return sql, params


class IndexReader:
    """Read access to one generation: SQLite tables, chunk FAISS index, fact vectors."""

    def __init__(self, index_dir: str | Path, model: str | None = None, deep: bool = False):
        self.index_dir = Path(index_dir)
        gen = generation(self.index_dir)
        if gen is None:
            raise IndexMissing(f"No index at {self.index_dir}: run `reportqa index` to build one")
        self.path = gen
        try:
            self.manifest = json.loads((gen / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"The index at {self.index_dir} has an unreadable manifest ({exc}): "
                               "run `reportqa index --rebuild`") from None
        if self.manifest.get("format") != INDEX_FORMAT:
            raise IndexIncompatible(
                f"The index at {self.index_dir} has format {self.manifest.get('format')}, this version "
                f"reads format {INDEX_FORMAT}: run `reportqa index --rebuild`")
        if model and model != self.manifest["model"]:
            raise IndexIncompatible(
                f"The index at {self.index_dir} was built with model {self.manifest['model']!r}, not "
                f"{model!r}: run `reportqa index --rebuild --model {model}` or drop --model")
        why = verify(gen, self.manifest, deep=deep)
        if why:
            raise IndexCorrupt(f"The index at {self.index_dir} is damaged: {why}; run `reportqa index` "
                               "to rebuild it from the reports")
        self._db = sqlite3.connect(f"file:{gen / DB}?mode=ro", uri=True, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        from indexer.ann import VectorIndex

        dim, specs = self.manifest["dim"], self.manifest["indexes"]
        self.chunk_index = VectorIndex(gen / CHUNKS_FAISS, specs["chunks"], dim)
        self.fact_index = VectorIndex(gen / FACTS_FAISS, specs["facts"], dim)
        self._spans: dict[int, tuple[int, int, int, int]] | None = None
        self._postings: dict = {}
        self._units: tuple[np.ndarray, list[FactUnit]] | None = None
        self._contents: tuple[np.ndarray, np.ndarray] | None = None

    def postings(self, fts: str):
        """BM25 over an FTS5 table's postings (`indexer.postings`): "chunks_fts" or "fact_words"."""
        if fts not in self._postings:
            from indexer.postings import Postings

            self._postings[fts] = Postings(self.query, fts)
        return self._postings[fts]

    @property
    def model(self) -> str:
        return self.manifest["model"]

    def query(self, sql: str, params: Sequence = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def fact_records(self, ids: Sequence[int]) -> list[tuple[int, int, str, bytes, bytes, bytes]]:
        """(id, report_id, words, fact record, entry record, nearness record) of these facts, as the build
        stored them (`indexer.entries.entry_record`); plain tuples, read without a row factory."""
        if not len(ids):
            return []
        with self._lock:
            cur = self._db.cursor()
            cur.row_factory = None
            return cur.execute("SELECT id, report_id, words, fact, entry, near FROM fact_entries"
                               f" WHERE id IN ({','.join('?' * len(ids))})", list(ids)).fetchall()

    def fact_contents(self) -> tuple[np.ndarray, np.ndarray]:
        """Every fact's content id and report id as columns (int32, row i = fact id i; 8 bytes a fact held, read
        once a generation): facts of one content id have the same stored records (`IndexWriter._contents`), so
        a reader holding one of them decoded needs no row of the others."""
        with self._lock:
            if self._contents is None:
                cur = self._db.cursor()
                cur.row_factory = None
                blob = cur.execute("SELECT data FROM fact_columns WHERE name = 'content'").fetchone()
                content = np.frombuffer(blob[0], np.int32) if blob else np.zeros(0, np.int32)
                spans = cur.execute("SELECT id, n_facts FROM reports ORDER BY first_fact").fetchall()
                report = np.repeat(np.array([r for r, _ in spans], np.int32), [n for _, n in spans])
                self._contents = (content, report)
            return self._contents

    def fact_units(self) -> tuple[np.ndarray, list[FactUnit]]:
        """Every fact's unit as a column: (codes, units), fact id i has the unit `units[codes[i]]`. Read once
        a generation (one scan of the facts table: ~50 ms at 49,000 facts, 4 bytes a fact held), so that a
        fact whose unit cannot answer the question is dropped before its row is read (`FactMatcher`)."""
        with self._lock:
            if self._units is None:
                cur = self._db.cursor()
                cur.row_factory = None
                rows = cur.execute("SELECT unit, unit_norm, unit_kind, kind FROM facts ORDER BY id").fetchall()
                at: dict[tuple, int] = {}
                codes = np.fromiter((at.setdefault(r, len(at)) for r in rows), dtype=np.int32, count=len(rows))
                units = [FactUnit(u, n or "", k, kind or "prose") for u, n, k, kind in at]
                self._units = (codes, units)
            return self._units

    @property
    def fact_vectors(self) -> np.ndarray:
        """Every fact's vector, row i = fact id i (a view into the loaded index)."""
        return self.fact_index.vectors

    def chunk_vectors(self, ids: Sequence[int]) -> np.ndarray:
        if not len(ids):
            return np.zeros((0, self.manifest["dim"]), np.float32)
        return self.chunk_index.vectors[np.asarray(ids, dtype=np.int64)]

    def reports(self) -> list[StoredReport]:
        unset = {f.name: ("" if f.type == "str" else 0) for f in fields(StoredReport)}  # NULL in the table
        return [StoredReport(**{k: r[k] if r[k] is not None else unset[k] for k in r.keys()})
                for r in self.query("SELECT * FROM reports ORDER BY id")]

    def id_ranges(self, kind: str, report_ids: Iterable[int]) -> list[tuple[int, int]]:
        """The [lo, hi) chunk or fact id ranges of these reports (a report's rows are contiguous)."""
        if self._spans is None:
            self._spans = {r["id"]: (r["first_chunk"], r["n_chunks"], r["first_fact"], r["n_facts"])
                           for r in self.query("SELECT id, first_chunk, n_chunks, first_fact, n_facts FROM reports")}
        at = 0 if kind == "chunks" else 2
        spans = sorted((s[at], s[at] + s[at + 1]) for rid in set(report_ids)
                       if (s := self._spans.get(rid)) and s[at + 1])
        out: list[tuple[int, int]] = []
        for lo, hi in spans:  # reports next to each other in the index make one range
            if out and out[-1][1] == lo:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- what answering reads: typed, one method a question the read path asks ------------------

    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        """The passages with these ids, by id."""
        if not len(ids):
            return {}
        rows = self.query(f"SELECT * FROM chunks WHERE id IN ({_marks(ids)})", list(ids))
        return {r["id"]: StoredChunk(r["id"], r["report_id"], r["page"], r["page_end"], r["start"], r["end"],
                                     r["kind"], r["heading"] or "", r["text"]) for r in rows}

    def chunk_bm25(self, terms: Sequence[str], k: int, scope: list[tuple[int, int]] | None,
                   report_ids: Iterable[int] = ()) -> list[tuple[int, float]]:
        """FTS5's own BM25 over the passages holding any of the terms: (chunk id, score) best first, in
        the id ranges `scope` (those of `report_ids`; None: everywhere). What `postings` ranks when the
        terms are not single tokens of the passage tokenizer."""
        sql, params = _chunks_matching(terms, scope, report_ids)
        sql += " ORDER BY s LIMIT ?"
        params.append(k)
        return [(int(r["id"]), -float(r["s"])) for r in self.query(sql, params)]

    def phrase_bm25(self, term: str, scope: list[tuple[int, int]] | None,
                    report_ids: Iterable[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """The passages holding one term that FTS5 reads as a phrase of several tokens ("OCHA's"), in the id
        ranges `scope` (those of `report_ids`), ascending, and FTS5's BM25 of that term alone for each, negated:
        its share of a query's score, as `indexer.postings.Postings.top` adds it (`bm25()` runs on the rows
        holding the phrase only, not on every row holding one of the query's other words)."""
        sql, params = _chunks_matching([term], scope, report_ids)
        with self._lock:
            cur = self._db.cursor()
            cur.row_factory = None
            rows = cur.execute(sql + " ORDER BY id", params).fetchall()
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        return ids, -np.fromiter((r[1] for r in rows), np.float64, len(rows))

    def passages_have(self, term: str) -> bool:
        """Whether any passage holds the term (case and accents folded by FTS5)."""
        return bool(self.query("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", [f'"{term}"']))

    def fact_bm25(self, terms: Sequence[str], k: int, scope: list[tuple[int, int]] | None,
                  report_ids: Iterable[int] = ()) -> list[int]:
        """Up to k facts whose words hold any of the terms, best by FTS5's BM25, in the id ranges `scope`
        (those of `report_ids`; None: everywhere)."""
        sql = "SELECT rowid FROM fact_words WHERE fact_words MATCH ?"
        params: list = [" OR ".join(f'"{t}"' for t in terms)]
        if scope is not None and len(scope) <= _RANGES_INLINE:
            sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in scope) + ")"
            params += [x for lo, hi in scope for x in (lo, hi - 1)]
        elif scope is not None:  # many ranges: one lookup a match rather than a test per range
            rids = sorted(report_ids)
            sql += f" AND rowid IN (SELECT id FROM facts WHERE report_id IN ({_marks(rids)}))"
            params += rids
        sql += " ORDER BY bm25(fact_words) LIMIT ?"
        return [r["rowid"] for r in self.query(sql, [*params, k])]

    def word_df(self, words: Sequence[str], report_ids: Sequence[int] | None = None) -> dict[str, int]:
        """In how many sentences each of the words occurs, over every report (None) or those given;
        words in none are left out."""
        if not len(words) or (report_ids is not None and not len(report_ids)):
            return {}
        if report_ids is None:
            rows = self.query(f"SELECT word, n FROM word_df WHERE word IN ({_marks(words)})", list(words))
        else:
            rows = self.query(f"SELECT word, SUM(n) AS n FROM fact_df WHERE word IN ({_marks(words)})"
                              f" AND report_id IN ({_marks(report_ids)}) GROUP BY word", [*words, *report_ids])
        return {r["word"]: r["n"] for r in rows}

    def table_cells(self, ids: Sequence[int]) -> set[int]:
        """Which of these facts are table cells."""
        if not len(ids):
            return set()
        return {r["id"] for r in self.query(
            f"SELECT id FROM facts WHERE id IN ({_marks(ids)}) AND kind = 'table_cell'", list(ids))}

    def key_figures(self, report_ids: Iterable[int]) -> list[int]:
        """The ids of these reports' key figures (their panels' figures)."""
        ids = list(report_ids)
        if not ids:
            return []
        return [r["id"] for r in self.query(
            f"SELECT id FROM facts WHERE report_id IN ({_marks(ids)}) AND kind = 'key_figure'", ids)]

    def table_of(self, report_id: int, page: int, heading: str) -> list[int]:
        """The ids of the table cells under one heading of a report's page (one table), in id order."""
        return [r["id"] for r in self.query(
            "SELECT id FROM facts WHERE report_id = ? AND page = ? AND heading IS ? AND kind = 'table_cell'"
            " ORDER BY id", (report_id, page, heading))]

    def fact_places(self, report_id: int, page: int, page_end: int) -> list[tuple[int, int, int]]:
        """(page, start, sentence_start) of the facts on these pages of a report, in id order."""
        return [(r["page"], r["start"], r["sentence_start"]) for r in self.query(
            "SELECT page, start, sentence_start FROM facts WHERE report_id = ? AND page BETWEEN ? AND ? ORDER BY id",
            (report_id, page, page_end))]

    def facts(self, report_id: int | None = None, unit_norm: str | None = None,
              sector: str | None = None) -> list[tuple[int, int, Fact]]:
        """(fact id, report id, fact) of every fact, or those of a report, a normalised unit, a sector;
        in id order."""
        sql, params = "SELECT * FROM facts WHERE 1", []
        for column, value in (("report_id", report_id), ("unit_norm", unit_norm), ("sector", sector)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        names = {r["id"]: r["name"] for r in self.query("SELECT id, name FROM reports")}
        return [(r["id"], r["report_id"], row_to_fact(r, names[r["report_id"]]))
                for r in self.query(sql + " ORDER BY id", params)]

    def page_text(self, report_id: int, page: int) -> str | None:
        """A page's text, or None when the report has no such page."""
        rows = self.query("SELECT text FROM pages WHERE report_id = ? AND number = ?", (report_id, page))
        return rows[0]["text"] if rows else None

    def page_label(self, report_id: int, page: int) -> str | None:
        """A page's printed label ("iv", "12"), or None when the report has no such page."""
        rows = self.query("SELECT label FROM pages WHERE report_id = ? AND number = ?", (report_id, page))
        return rows[0]["label"] if rows else None

    def report_text(self, report_id: int) -> str:
        """A report's pages, joined by newlines."""
        rows = self.query("SELECT text FROM pages WHERE report_id = ? ORDER BY number", (report_id,))
        return "\n".join(r["text"] for r in rows)

    def mentions(self) -> dict[int, dict[str, int]]:
        """Report id -> country -> how often the report names it (counted at build time)."""
        out: dict[int, dict[str, int]] = {}
        for r in self.query("SELECT country, report_id, n FROM mentions"):
            out.setdefault(r["report_id"], {})[r["country"]] = r["n"]
        return out

    def acronyms(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Acronym -> rooted expansion, of the acronyms the reports define that the words name or
        whose expansion starts with one of them; in the order the build met them."""
        if not len(words):
            return {}
        rows = self.query(f"SELECT acronym, expansion FROM acronyms WHERE acronym IN ({_marks(words)})"
                          f" OR head IN ({_marks(words)}) ORDER BY ord", [*words, *words])
        return {r["acronym"]: tuple(r["expansion"].split(" ")) for r in rows}

    # -- whole reports, for incremental builds that copy what did not change --------------------

    def load_report(self, name: str) -> tuple[Report, list[Chunk], np.ndarray, list[Fact], np.ndarray]:
        r = self.query("SELECT * FROM reports WHERE name = ?", (name,))[0]
        pages = tuple(Page(p["number"], p["text"], p["label"], p["offset"]) for p in self.query(
            'SELECT number, text, label, "offset" FROM pages WHERE report_id = ? ORDER BY number',
            (r["id"],)))
        meta = ReportMeta(**{f: r[f] or "" for f in META_FIELDS})
        report = Report(r["path"], r["name"], r["sha256"], meta, pages)
        crow = self.query("SELECT * FROM chunks WHERE report_id = ? ORDER BY id", (r["id"],))
        chunks = [Chunk(name, c["page"], c["page_end"], c["start"], c["end"], c["text"], c["kind"],
                        c["heading"]) for c in crow]
        cvecs = self.chunk_vectors([c["id"] for c in crow])
        frows = self.query("SELECT * FROM facts WHERE report_id = ? ORDER BY id", (r["id"],))
        facts = [row_to_fact(f, name) for f in frows]
        fvecs = np.load(self.path / FACT_VECTORS, mmap_mode="r")[[f["id"] for f in frows]] if frows else np.zeros(
            (0, self.manifest["dim"]), np.float32)
        return report, chunks, cvecs, facts, fvecs


def row_to_fact(f: sqlite3.Row, report: str) -> Fact:
    def span(prefix: str) -> Span | None:
        text = f[prefix]
        return Span(text, f[f"{prefix}_start"], f[f"{prefix}_end"]) if text is not None else None

    return Fact(value=f["value"], text=f["text"], start=f["start"], end=f["end"], page=f["page"],
                report=report, value_max=f["value_max"], qualifier=span("qualifier"), unit=span("unit"),
                unit_norm=f["unit_norm"] or "", label=f["label"] or "", sentence=f["sentence"] or "",
                sentence_start=f["sentence_start"] or 0, heading=f["heading"] or "",
                sector=f["sector"] or "", kind=f["kind"] or "prose", row_header=f["row_header"] or "",
                col_header=f["col_header"] or "")

