"""The loaded state behind Assistant: model, index reader, retriever and fact matcher.

Loads lazily and once; when the index folder's live generation changes (a rebuild or an upload),
the next call swaps in the new one while calls already running finish on the old one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.answer import Answer, plain_text
from assistant.compose import Composer
from assistant.match import FactMatcher, find_acronyms, make_entry
from assistant.retrieve import Retriever
from indexer.config import default_index_dir
from indexer.embed import Embedder
from indexer.records import ReportMeta
from indexer.store import META_FIELDS, IndexReader, generation, row_to_fact

MAX_QUESTION_CHARS = 2000


class Loaded:
    """One index generation, ready to answer."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        self.retriever = Retriever(reader)
        self.reports = {r["id"]: r for r in reader.reports()}
        self.by_name = {r["name"]: rid for rid, r in self.reports.items()}
        self.catalogue = [(r["name"], ReportMeta(**{f: r[f] or "" for f in META_FIELDS}))
                          for r in self.reports.values()]
        rows = reader.query("SELECT * FROM facts ORDER BY id")
        names = {rid: r["name"] for rid, r in self.reports.items()}
        entries = [make_entry(r["id"], row_to_fact(r, names[r["report_id"]]), r["report_id"]) for r in rows]
        vecs = reader.fact_vectors
        if len(rows) and rows[-1]["id"] + 1 != len(vecs):
            vecs = vecs[[r["id"] for r in rows]]
        self.matcher = FactMatcher(entries, vecs)
        self.facts_by_report: dict[int, list] = {}
        for e in entries:
            self.facts_by_report.setdefault(e.report_id, []).append(e)
        self._text_cache: dict[int, str] = {}
        self.acronyms = find_acronyms(self.report_text(rid) for rid in self.reports)

    def report_text(self, rid: int) -> str:
        if rid not in self._text_cache:
            rows = self.reader.query("SELECT text FROM pages WHERE report_id = ? ORDER BY number", (rid,))
            self._text_cache[rid] = "\n".join(r["text"] for r in rows)
        return self._text_cache[rid]


class Engine:
    def __init__(self, index_dir: str | Path | None = None, model: str | None = None):
        self.index_dir = Path(index_dir or default_index_dir())
        self._model_name = model
        self._embedder: Embedder | None = None
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    # -- loading ---------------------------------------------------------------------------------

    def _state(self) -> Loaded:
        gen = generation(self.index_dir)
        loaded = self._loaded
        if loaded is not None and gen == loaded.reader.path:
            return loaded
        with self._lock:
            if self._loaded is None or generation(self.index_dir) != self._loaded.reader.path:
                reader = IndexReader(self.index_dir, self._model_name)
                self._loaded = Loaded(reader)
            return self._loaded

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self._state().reader.model)
        return self._embedder

    def warm(self) -> None:
        self._state()
        self.embedder.encode(["warm up"])

    # -- answering -------------------------------------------------------------------------------

    def ask(self, question: str, reports: Sequence[str] | None = None) -> Answer:
        return self.ask_many([question], reports)[0]

    def ask_many(self, questions: Sequence[str], reports: Sequence[str] | None = None) -> list[Answer]:
        state = self._state()
        clean = [" ".join(plain_text(str(q)).split()) for q in questions]
        ok = [i for i, q in enumerate(clean) if q and len(q) <= MAX_QUESTION_CHARS]
        vecs = self.embedder.encode([clean[i] for i in ok]) if ok else np.zeros((0, 1), np.float32)
        vec_of = dict(zip(ok, vecs, strict=True))
        composer = Composer(state)
        out = []
        for i, q in enumerate(clean):
            if i not in vec_of:
                why = "the question is empty" if not q else (
                    f"the question is too long ({len(q):,} characters; the limit is {MAX_QUESTION_CHARS:,})")
                out.append(Answer(question=q[:200], text=f"No answer: {why}.", abstained=True, reason=why))
            else:
                out.append(composer.answer(q, vec_of[i], reports))
        return out

    # -- browsing --------------------------------------------------------------------------------

    def list_reports(self) -> list[dict]:
        out = []
        for r in self._state().reports.values():
            out.append({"name": r["name"], "title": r["title"], "publisher": r["publisher"],
                        "date": r["date"], "period": r["period"], "country": r["country"],
                        "number": r["number"], "doc_type": r["doc_type"], "pages": r["n_pages"],
                        "chunks": r["n_chunks"], "facts": r["n_facts"]})
        return out

    def list_facts(self, report: str | None = None, unit: str | None = None, sector: str | None = None,
                   text: str | None = None, limit: int | None = None) -> list[dict]:
        state = self._state()
        out = []
        needle = (text or "").lower().strip()
        for e in state.matcher.entries:
            f = e.fact
            if report and f.report != report:
                continue
            if unit and (f.unit_norm or "") != unit:
                continue
            if sector and (f.sector or "") != sector:
                continue
            if needle and needle not in f"{f.label} {f.sentence} {f.text}".lower():
                continue
            r = state.reports[e.report_id]
            out.append({"id": e.id, "report": f.report, "page": f.page, "value": f.value,
                        "value_max": f.value_max, "text": f.text, "start": f.start, "end": f.end,
                        "qualifier": f.qualifier.text if f.qualifier else "",
                        "unit": f.unit.text if f.unit else "", "unit_norm": f.unit_norm,
                        "label": f.label, "sector": f.sector, "kind": f.kind, "row_header": f.row_header,
                        "col_header": f.col_header, "heading": f.heading, "sentence": f.sentence,
                        "title": r["title"], "publisher": r["publisher"], "date": r["date"],
                        "country": r["country"]})
            if limit and len(out) >= limit:
                break
        return out

    def page_text(self, report: str, page: int) -> str:
        state = self._state()
        rid = state.by_name.get(report)
        rows = state.reader.query("SELECT text FROM pages WHERE report_id = ? AND number = ?", (rid, page))
        return rows[0]["text"] if rows else ""

    def add_files(self, paths: Sequence[str | Path], progress: Callable[[float, str], None] | None = None):
        from indexer.build import build_index

        # read in this process: forking a server that runs other threads (the chat's) is not safe
        summary = build_index(list(paths), self.index_dir, model=self._model_name, keep_existing=True,
                              progress=progress, say=lambda m: None, embedder=self._embedder, workers=1)
        self._state()
        return summary
