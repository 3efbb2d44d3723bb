"""The loaded state behind Assistant: model, index reader, retriever and fact matcher.

Loads lazily and once; when the index folder's live generation changes (a rebuild or an upload),
the next call swaps in the new one while calls already running finish on the old one.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from assistant.answer import Answer, plain_text
from assistant.compose import Composer
from assistant.followup import Turn, resolve, resolve_history
from assistant.match import FactMatcher, expand_acronyms, root
from assistant.question import Catalogue, content_words
from assistant.retrieve import Retriever
from assistant.vocab import PUBLISHERS
from indexer.config import default_index_dir
from indexer.embed import Embedder
from indexer.reader import IndexReader
from indexer.store import generation
from vocabulary.countries import COUNTRIES

COUNTRY_SET = frozenset(COUNTRIES)

MAX_QUESTION_CHARS = 2000


@functools.lru_cache(maxsize=256)
def _sha256_cached(path: str, mtime_ns: int, size: int) -> str:
    from indexer.build import sha256_file

    return sha256_file(Path(path))


def _naming_text(r) -> str:
    """What a user may name a report by: title, publisher, type, number, country, its date's month and year."""
    date = r.date
    mm = int(date[5:7]) if date[5:7].isdigit() else 0
    month = calendar.month_name[mm] if 0 < mm < 13 else ""
    return " ".join(str(getattr(r, k)) for k in ("title", "publisher", "doc_type", "number", "country", "name")) \
        + f" {month} {date[:4]}"


# names a title lists together: "Floods (Assam and Manipur)", "Haiti, Jamaica and Cuba" (`Loaded.report_lists`)
_LISTED_NAMES = re.compile(r"[A-Z][\w'’-]+(?:\s*,\s*[A-Z][\w'’-]+)*,?\s+(?:and|&)\s+[A-Z][\w'’-]+")


class _TitleScores(Mapping):
    """report id -> `Loaded.title_match` of one question, each computed on first look-up."""

    def __init__(self, loaded: Loaded, words: set[str], total: float):
        self._s, self._words, self._total = loaded, words, total
        self._memo: dict[int, float | None] = {}

    def _score(self, rid: int) -> float | None:
        if rid not in self._memo:
            shared = self._words & self._s._title_words[rid] if self._total and rid in self._s._title_words else None
            self._memo[rid] = sum(self._s._title_idf[w] for w in shared) / self._total if shared else None
        return self._memo[rid]

    def __getitem__(self, rid: int) -> float:
        got = self._score(rid)
        if got is None:
            raise KeyError(rid)
        return got

    def __iter__(self) -> Iterator[int]:
        rids = {rid for w in self._words for rid in self._s._title_posts[w]} if self._total else set()
        return iter([rid for rid in rids if self._score(rid) is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Loaded:
    """One index generation, ready to answer."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        self.retriever = Retriever(reader)
        self.reports = {r.id: r for r in reader.reports()}
        self.by_name = {r.name: rid for rid, r in self.reports.items()}
        self.catalogue = Catalogue((r.name, r.meta()) for r in self.reports.values())
        self.matcher = FactMatcher(reader, {rid: r.name for rid, r in self.reports.items()})
        self._title_words = {rid: frozenset(content_words(_naming_text(r), stemmed=True))
                             for rid, r in self.reports.items()}
        # names a question may use for a report without the text using them: words of its title,
        # publisher and file name, and every alias of the publishers the vocabulary knows ("IMC", "R4V")
        self._naming_names = {w.lower() for r in self.reports.values() for w in re.findall(r"[^\W_]+", _naming_text(r))}
        self._naming_names |= {w.lower() for k, aliases in PUBLISHERS.items() for a in (k, *aliases)
                               for w in re.findall(r"[^\W_]+", a)}
        self._title_posts: dict[str, list[int]] = {}
        for rid, ws in self._title_words.items():
            for w in ws:
                self._title_posts.setdefault(w, []).append(rid)
        self._title_idf = {w: math.log(1 + len(self.reports) / len(rids)) for w, rids in self._title_posts.items()}
        self._mentions = reader.mentions()
        self._report_words: dict[int, frozenset[str]] = {}
        self._report_lists: dict[int, tuple[frozenset[str], ...]] = {}
        self._covering: dict[str, frozenset[int]] = {}

    def title_match(self, question: str) -> Mapping[int, float]:
        """How much of the question names each report: the IDF-weighted share of the question's words
        that are words of the report's title, publisher, type, country and dates ("OCHA's January
        2016 Lake Chad Basin overview"). Reports that share no word are left out (0). Computed for a
        report when it is looked up: a word every copy of a series shares names hundreds of reports,
        and the matcher asks for its candidates' few."""
        words = {w for w in content_words(question, stemmed=True) if w in self._title_idf}
        return _TitleScores(self, words, sum(self._title_idf[w] for w in words))

    def report_words(self, rid: int) -> frozenset[str]:
        """The rooted words of a report's title, publisher and file name (what the `names` feature leaves
        out of a question's proper names), made once a report."""
        if rid not in self._report_words:
            r = self.reports[rid]
            self._report_words[rid] = frozenset(
                root(w) for w in content_words(f"{r.title} {r.publisher} {r.name}"))
        return self._report_words[rid]

    def own_words(self, names: set[str], question: str = "") -> Callable[[int], frozenset[str]]:
        """For a question with these proper names (rooted words), each report's words that name it
        (`report_words`) less the names its title lists with others when the question names only some of
        them: "the 2017 Manipur floods" asks for a figure about Manipur of "Floods (Assam and Manipur)";
        and less those of a list it names whole that the `question` writes twice: "how many died in
        Manipur, per the DREF final report for Assam and Manipur" still asks about Manipur."""
        made: dict[int, frozenset[str]] = {}
        seen = [root(w) for w in content_words(question)]
        again = {w for w in names if seen.count(w) > 1}

        def own(rid: int) -> frozenset[str]:
            if rid not in made:
                words = self.report_words(rid)
                for group in self.report_lists(rid):
                    words = words - (group & (names if not group <= names else again))
                made[rid] = words
            return made[rid]
        return own

    def report_lists(self, rid: int) -> tuple[frozenset[str], ...]:
        """The names a report's title lists together, each list as its rooted words ("Floods (Assam and
        Manipur)": {assam, manipur}): each names only part of what the report covers."""
        if rid not in self._report_lists:
            self._report_lists[rid] = tuple(
                frozenset(root(w) for w in content_words(m.group(0))) for m in _LISTED_NAMES.finditer(
                    self.reports[rid].title))
        return self._report_lists[rid]

    def mentions(self, rid: int, country: str) -> int:
        """How often a report names a country (counted at build time, as `text.lower().count`)."""
        if country in COUNTRY_SET:
            return self._mentions.get(rid, {}).get(country, 0)
        return self.report_text(rid).lower().count(country.lower())

    def covering(self, country: str) -> frozenset[int]:
        """The reports about a country (it is in their country or title) or naming it at least three times:
        those a question about it may read (`Composer.scope`). Made once a country, not once a question
        (it looks at every report)."""
        got = self._covering.get(country)
        if got is None:
            low = country.lower()
            got = frozenset(rid for rid, r in self.reports.items()
                            if low in f"{r.country} {r.title}".lower() or self.mentions(rid, country) >= 3)
            if len(self._covering) >= 4096:
                self._covering.clear()
            self._covering[country] = got
        return got

    def expand_acronyms(self, words: Sequence[str]) -> list[str]:
        """`assistant.match.expand_acronyms` over the acronyms the reports define, looked up in the
        index: only those the words name, or whose expansion starts with one of them."""
        words = list(words)
        if not words:
            return []
        return expand_acronyms(words, self.reader.acronyms(words))

    def fact_places(self, report_id: int, page: int, page_end: int) -> list[tuple[int, int, int]]:
        """(page, start, sentence_start) of the facts on these pages of a report."""
        return self.reader.fact_places(report_id, page, page_end)

    def knows_name(self, name: str) -> bool:
        """Whether the index knows a name: a report's text, title, publisher or file name uses it."""
        parts = re.findall(r"[^\W_]+", name.lower())
        return all(p in self._naming_names for p in parts) or self.retriever.mentions(name)

    def report_text(self, rid: int) -> str:
        return self.reader.report_text(rid)


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

    def ask(self, question: str, reports: Sequence[str] | None = None,
            previous: str | Sequence[str] | Turn | None = None) -> Answer:
        return self.ask_many([question], reports, previous=previous)[0]

    def turn(self, question: str, previous: str | Sequence[str] | Turn | None = None) -> Turn:
        """The question as it will be answered: a follow-up takes what it leaves out from `previous`
        (the previous question, the earlier questions oldest first, or the previous Turn)."""
        catalogue = self._state().catalogue
        if isinstance(previous, str):
            previous = resolve_history([previous], catalogue)
        elif previous is not None and not isinstance(previous, Turn):
            previous = resolve_history(list(previous), catalogue)
        return resolve(question, previous, catalogue)

    def ask_many(self, questions: Sequence[str], reports: Sequence[str] | None = None,
                 previous: str | Sequence[str] | Turn | None = None) -> list[Answer]:
        """Answers in input order; each carries its own latency in `latency_ms` (its share
        of the batch's embedding plus its own matching). `previous` applies to every question."""
        state = self._state()
        clean = [" ".join(plain_text(str(q)).split()) for q in questions]
        ok = [i for i, q in enumerate(clean) if q and len(q) <= MAX_QUESTION_CHARS]
        t0 = time.perf_counter()
        turns = {i: self.turn(clean[i], previous) if previous else Turn(clean[i], clean[i]) for i in ok}
        vecs = self.embedder.encode([turns[i].question for i in ok]) if ok else np.zeros((0, 1), np.float32)
        shared_ms = (time.perf_counter() - t0) * 1000 / max(1, len(ok))
        vec_of = dict(zip(ok, vecs, strict=True))
        composer = Composer(state, self.embedder.encode)
        out = []
        for i, q in enumerate(clean):
            if i not in vec_of:
                why = "the question is empty" if not q else (
                    f"the question is too long ({len(q):,} characters; the limit is {MAX_QUESTION_CHARS:,})")
                out.append(Answer(question=q[:200], text=f"No answer: {why}.", abstained=True, reason=why))
                continue
            t1 = time.perf_counter()
            turn = turns[i]
            scope = reports
            if turn.assumed and turn.reports:
                # a report the follow-up inherited narrows the chosen scope (unless it lies outside it)
                inside = [n for n in turn.reports if not reports or n in reports]
                scope = inside or reports
            answer = composer.answer(turn.question, vec_of[i], scope)
            latency = shared_ms + (time.perf_counter() - t1) * 1000
            out.append(dataclasses.replace(answer, question=q, assumed=turn.assumed, latency_ms=round(latency, 2),
                                           asked_as=turn.question if turn.assumed else ""))
        return out

    def explain(self, question: str, reports: Sequence[str] | None = None, top: int = 5) -> list[dict]:
        clean = " ".join(str(question).split())
        return Composer(self._state()).explain(clean, self.embedder.encode([clean])[0], reports, top)

    # -- browsing --------------------------------------------------------------------------------

    def list_reports(self) -> list[dict]:
        out = []
        for r in self._state().reports.values():
            out.append({"name": r.name, "title": r.title, "publisher": r.publisher,
                        "date": r.date, "period": r.period, "country": r.country,
                        "number": r.number, "doc_type": r.doc_type, "pages": r.n_pages,
                        "chunks": r.n_chunks, "facts": r.n_facts})
        return out

    def list_facts(self, report: str | None = None, unit: str | None = None, sector: str | None = None,
                   text: str | None = None, limit: int | None = None) -> list[dict]:
        state = self._state()
        out = []
        needle = (text or "").lower().strip()
        if report and report not in state.by_name:
            return []
        for fid, rid, f in state.reader.facts(state.by_name[report] if report else None, unit or None,
                                              sector or None):
            r = state.reports[rid]
            if needle and needle not in f"{f.label} {f.sentence} {f.text}".lower():
                continue
            out.append({"id": fid, "report": f.report, "page": f.page, "value": f.value,
                        "value_max": f.value_max, "text": f.text, "start": f.start, "end": f.end,
                        "qualifier": f.qualifier.text if f.qualifier else "",
                        "unit": f.unit.text if f.unit else "", "unit_norm": f.unit_norm,
                        "label": f.label, "sector": f.sector, "kind": f.kind, "row_header": f.row_header,
                        "col_header": f.col_header, "heading": f.heading, "sentence": f.sentence,
                        "title": r.title, "publisher": r.publisher, "date": r.date,
                        "country": r.country})
            if limit and len(out) >= limit:
                break
        return out

    def page_text(self, report: str, page: int) -> str:
        state = self._state()
        rid = state.by_name.get(report)
        text = None if rid is None else state.reader.page_text(rid, page)
        return text or ""

    def report_file(self, report: str) -> Path | None:
        """The file an indexed report was read from, when it is still there unchanged; else None.
        Only reports in the index are looked up, by their name in it (never a path from outside)."""
        state = self._state()
        entry = state.reader.manifest["reports"].get(report)
        if entry is None:
            return None
        for candidate in (entry.get("file"), entry.get("path")):
            if candidate and Path(candidate).is_file():
                path = Path(candidate)
                stat = path.stat()
                if _sha256_cached(str(path), stat.st_mtime_ns, stat.st_size) == entry.get("sha256"):
                    return path
        return None

    def page_preview(self, report: str, page: int, quote: str = "", figure: str = "") -> dict:
        """The cited page of an indexed report: {"kind": "image", "png": bytes, ...} for a PDF whose
        file is at hand, else {"kind": "text", "html": ...} (the page text, the sentence marked).
        Raises KeyError for a report or page that is not in the index."""
        from assistant.preview import mark_text_page, render_pdf_page

        state = self._state()
        if report not in state.by_name:
            raise KeyError(f"{report} is not in the index")
        text = state.reader.page_text(state.by_name[report], int(page))
        if text is None:
            raise KeyError(f"{report} has no page {page} in the index")
        path = self.report_file(report)
        if path is not None and path.suffix.lower() == ".pdf":
            pv = render_pdf_page(str(path), int(page), quote, figure)
            return {"kind": "image", "png": pv.png, "width": pv.width, "height": pv.height,
                    "figure_boxes": [vars(b) for b in pv.figure_boxes],
                    "sentence_boxes": [vars(b) for b in pv.sentence_boxes]}
        return {"kind": "text", "html": mark_text_page(text, quote, figure)}

    def indexed_as(self, sha256: str) -> str | None:
        """The name under which a file with these bytes is already indexed, or None."""
        for name, entry in self._state().reader.manifest["reports"].items():
            if entry.get("sha256") == sha256:
                return name
        return None

    def remove_reports(self, names: Sequence[str]):
        from indexer.build import remove_reports

        summary = remove_reports(list(names), self.index_dir, say=lambda m: None)
        self._state()
        return summary

    def add_files(self, paths: Sequence[str | Path], progress: Callable[[float, str], None] | None = None):
        from indexer.build import build_index

        # read in this process: forking a server that runs other threads (the chat's) is not safe
        summary = build_index(list(paths), self.index_dir, model=self._model_name, keep_existing=True,
                              progress=progress, say=lambda m: None, embedder=self._embedder, workers=1)
        self._state()
        return summary
