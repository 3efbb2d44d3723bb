"""Reports -> passage and fact vectors, a batch at a time, the facts' vectors from the passages' pass.

A fact is embedded as what its clause means in its passage: the passage batch that gives the
passage vectors also gives, from the same token vectors, a vector for each fact whose clause the
passage contains (`Embedder.encode_spans`). Key figures (whose passage is a box of unrelated
figures) and the few facts no passage holds are embedded apart, as `fact_text`, at the end; so are
all facts when the embedder cannot place tokens (another model, the tests' stand-in).

`Reader` reads the files, in forked worker processes when there are several PDFs.
"""

from __future__ import annotations

import hashlib
import os
import signal
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer import chunk as chunking
from indexer import facts as facts_mod
from indexer import parse
from indexer.clause import clause
from indexer.errors import SkipFile
from indexer.records import Chunk, Fact, Report

Ranges = list[tuple[int, int]]
PASSAGE_WEIGHT = 0.5  # how much of its passage's meaning a fact's vector carries


def passage_text(c: Chunk) -> str:
    """What is embedded for a passage: a prose chunk with its heading on top."""
    if c.kind == "text" and c.heading:
        return f"{c.heading}\n{c.text}"
    return c.text


def fact_text(f: Fact) -> str:
    """The text embedded for a fact on its own: the clause that carries it, what it counts, its heading."""
    text = clause(f)
    bits = [text]
    for extra in _extras(f, text):
        bits.append(extra)
    return " | ".join(bits)


def _extras(f: Fact, text: str) -> list[str]:
    low = text.lower()
    return [x for x in (f.label, f.sector, f.heading[:80]) if x and x.lower() not in low]


def place(f: Fact, chunks: Sequence[Chunk], lowered: Sequence[str],
          near: Sequence[int] | None = None) -> tuple[int, Ranges, float] | None:
    """Where a fact's clause is in the report's passages: (chunk index, [clause range, context
    ranges...], passage weight) in the earliest position of any passage on its page (the model
    reads 256 word pieces; what comes early is what it sees), or None. A clause that is not in a
    passage as written (a table line's cells) falls back to the number itself. `near`: the indexes
    of the passages to look in (default: all)."""
    text = clause(f)
    near = range(len(chunks)) if near is None else near
    found = _earliest(f, chunks, lowered, text.lower() if f.kind != "table_cell" else f.text.lower(), near)
    if found is None:
        found = _earliest(f, chunks, lowered, f.text.lower(), near)
    if found is None:
        return None
    k, pos, size = found
    ranges = [(pos, pos + size)]
    for extra in _extras(f, text):
        x = extra.lower()
        hits = _find_all(lowered[k], x)
        if hits:
            at = min(hits, key=lambda i: abs(i - pos))
            ranges.append((at, at + len(x)))
    return k, ranges, PASSAGE_WEIGHT


def _earliest(f: Fact, chunks: Sequence[Chunk], lowered: Sequence[str], needle: str,
              near: Sequence[int]) -> tuple[int, int, int] | None:
    best: tuple[int, int, int] | None = None
    for k in near:
        c = chunks[k]
        if c.page <= f.page <= c.page_end:
            pos = lowered[k].find(needle)
            if pos >= 0 and (best is None or pos < best[1]):
                best = (k, pos, len(needle))
    return best


class Nearby:
    """The passages around a place on a page: those starting or ending within REACH characters of
    it. A PDF page is a few thousand characters, so that is the whole page; a text file is one page,
    and looking through every passage of a 10 MB page for every fact would be quadratic."""

    REACH = 10_000

    def __init__(self, chunks: Sequence[Chunk]):
        spots: dict[int, list[tuple[int, int, int]]] = {}  # page -> sorted (start, end, chunk index)
        for k, c in enumerate(chunks):
            for page in range(c.page, c.page_end + 1):
                lo = c.start if page == c.page else 0
                hi = c.end if page == c.page_end else 1 << 62
                spots.setdefault(page, []).append((lo, hi, k))
        self.spots = {p: sorted(v) for p, v in spots.items()}
        self.starts = {p: [lo for lo, _, _ in v] for p, v in self.spots.items()}

    def around(self, page: int, start: int, end: int) -> list[int]:
        spots = self.spots.get(page, [])
        if not spots:
            return []
        starts = self.starts[page]
        lo = bisect_left(starts, start - 2 * self.REACH)  # passages are far shorter than REACH
        hi = bisect_right(starts, end + self.REACH)
        return sorted(k for a, b, k in spots[lo:hi] if b >= start - self.REACH)


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _span_key(where: tuple[Ranges, float]) -> tuple:
    ranges, weight = where
    return tuple(tuple(r) for r in ranges), weight


def _loose_key(text: str) -> bytes:
    return b"fact:" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


class EmbedCache:
    """Vectors of the passages a build has embedded: sha1(text) -> (vector, {fact span: vector}),
    the most recent `size` kept. A later report with the same passage text (and its facts at the same
    places in it) takes them instead of another forward pass."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self._d: OrderedDict[bytes, tuple[np.ndarray, dict]] = OrderedDict()

    def get(self, key: bytes) -> tuple[np.ndarray, dict] | None:
        hit = self._d.get(key)
        if hit is not None:
            self._d.move_to_end(key)
        return hit

    def put(self, key: bytes, vec: np.ndarray, spans: dict) -> None:
        self._d[key] = (vec, spans)
        self._d.move_to_end(key)
        while len(self._d) > self.size:
            self._d.popitem(last=False)


@dataclass
class _Report:
    chunks: list[Chunk]
    facts: list[Fact]
    first: int  # id of its first passage in the queue
    vecs: list[np.ndarray | None] = field(default_factory=list)
    fact_vecs: list[np.ndarray | None] = field(default_factory=list)


class EmbedQueue:
    """Passages queued report by report, embedded in batches of similar length (little padding).

    `add` a report's passages and facts; `step` embeds one batch when a few are waiting (so a
    caller can keep the model busy while reports are still being read); `finish` embeds the rest,
    `embed_loose` the facts no passage placed; `vectors(name)` gives a report's vectors.
    """

    def __init__(self, embedder, batch_size: int, tick: Callable[[int], None] | None = None,
                 cache: EmbedCache | None = None):
        self.embedder = embedder
        self.cache = cache  # vectors from earlier queues of the same build
        self.batch = batch_size
        self.tick = tick or (lambda n: None)
        self.late = callable(getattr(embedder, "encode_spans", None))
        self.reports: dict[str, _Report] = {}
        self.texts: list[str] = []
        self.owner: list[tuple[str, int]] = []  # passage id -> (report, index in report)
        # passage id -> (report, fact index, (ranges, passage weight))
        self.spans: dict[int, list[tuple[str, int, tuple[Ranges, float]]]] = {}
        self.waiting: list[int] = []
        self.sizes: list[int] = []  # passage id -> tokens the model will read (characters if unknown)
        self.embedded = 0
        # one embedding per distinct passage text: a text seen before (report series repeat their
        # boilerplate; the same file under two names) rides on the first passage's forward pass
        self.first: dict[bytes, int] = {}  # sha1 of a passage text -> the passage id that embeds it
        self.riders: dict[int, list[tuple[str, int]]] = {}  # that passage id -> (report, index) of the copies
        self.reused = 0
        self.key_of: dict[int, bytes] = {}  # queued passage id -> sha1 of its text
        self._loose: list[tuple[str, int]] = []
        self._loose_texts: list[str] = []

    def add(self, name: str, chunks: Sequence[Chunk], facts: Sequence[Fact]) -> int:
        """Queue a report; returns how many of its passages will be embedded (not seen before)."""
        texts = [passage_text(c) for c in chunks]
        rep = _Report(list(chunks), list(facts), len(self.texts), [None] * len(texts), [None] * len(facts))
        self.reports[name] = rep
        spots: dict[int, list[tuple[int, tuple[Ranges, float]]]] = {}  # passage index -> (fact, where)
        if self.late:
            lowered = [t.lower() for t in texts]
            nearby = Nearby(chunks)
            for j, f in enumerate(facts):
                if f.kind == "key_figure":
                    continue  # its passage is a box of unrelated figures: embedded apart, with its label
                spot = place(f, chunks, lowered, nearby.around(f.page, f.start, f.end))
                if spot:
                    spots.setdefault(spot[0], []).append((j, spot[1:]))
        rides: dict[int, int] = {}  # index in this report -> passage id that embeds the same text
        cached: set[int] = set()  # indexes in this report whose vectors the build's cache gave
        keys = [hashlib.sha1(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
        for i, key in enumerate(keys):
            if key in self.first and self._waiting(self.first[key]):
                rides[i] = self.first[key]
                continue
            hit = self.cache.get(key) if self.cache is not None else None
            if hit is not None and all(_span_key(w) in hit[1] for _, w in spots.get(i, ())):
                rep.vecs[i] = hit[0]  # embedded earlier in this build, with these very fact spans
                for j, w in spots.get(i, ()):
                    rep.fact_vecs[j] = hit[1][_span_key(w)]
                cached.add(i)
                continue
            self.first[key] = rep.first + i
            self.key_of[rep.first + i] = key
        count = getattr(self.embedder, "token_counts", None)
        fresh = [t for i, t in enumerate(texts) if i not in rides and i not in cached]
        sizes = iter(count(fresh) if callable(count) and fresh else [len(t) for t in fresh])
        for i, t in enumerate(texts):
            self.owner.append((name, i))
            if i in rides or i in cached:
                self.texts.append("")
                self.sizes.append(0)
                if i in rides:
                    self.riders.setdefault(rides[i], []).append((name, i))
                self.reused += 1
            else:
                self.texts.append(t)
                self.sizes.append(next(sizes))
                self.waiting.append(rep.first + i)
        for i, found in spots.items():
            if i in cached:
                continue
            at = rides.get(i, rep.first + i)  # the same text, the same ranges: its pass gives the vector
            self.spans.setdefault(at, []).extend((name, j, where) for j, where in found)
        return len(texts) - len(rides) - len(cached)

    def _waiting(self, pid: int) -> bool:
        """The passage is queued and not embedded yet (a copy can still ride on its pass)."""
        if pid >= len(self.owner):
            return True  # a passage of the report being added, the same text met again within it
        name, k = self.owner[pid]
        return self.reports[name].vecs[k] is None

    def ready(self) -> bool:
        """Enough waiting to pick a batch of similar lengths from."""
        return len(self.waiting) >= 2 * self.batch

    def step(self) -> None:
        """Embed one batch: the longest passages waiting, which pad the least against each other
        (by token count: characters say little of how many word pieces a passage of figures is)."""
        if not self.waiting:
            return
        self.waiting.sort(key=lambda i: self.sizes[i])
        ids, self.waiting = self.waiting[-self.batch:], self.waiting[:-self.batch]
        texts = [self.texts[i] for i in ids]
        got = None
        if self.late:
            spans = [(k, *where) for k, i in enumerate(ids) for _, _, where in self.spans.get(i, [])]
            got = self.embedder.encode_spans(texts, spans)
            if got is None:
                self.late = False  # this model cannot place tokens: facts are embedded apart
        if got is None:
            vecs, span_vecs = self.embedder.encode(texts, batch_size=self.batch), []
        else:
            vecs, span_vecs = got
        owners = [(name, j) for i in ids for name, j, _ in self.spans.get(i, [])] if got else []
        for (name, j), v in zip(owners, span_vecs, strict=True):
            self.reports[name].fact_vecs[j] = v
        for i, v in zip(ids, vecs, strict=True):
            for name, k in [self.owner[i], *self.riders.pop(i, ())]:
                self.reports[name].vecs[k] = v
        if self.cache is not None:
            done = iter(span_vecs)
            for i, v in zip(ids, vecs, strict=True):
                spans = {_span_key(where): next(done) for _, _, where in (self.spans.get(i, []) if got else [])}
                self.cache.put(self.key_of[i], v, spans)
        for i in ids:  # what is embedded is not needed again (a build holds one window of text)
            self.texts[i] = ""
            self.key_of.pop(i, None)
        self.embedded += len(ids)
        self.tick(len(ids))

    def finish(self) -> list[str]:
        """Embed every passage still waiting; return the texts of the facts no passage placed,
        for `embed_loose` (a caller may want to count them first)."""
        while self.waiting:
            self.step()
        self._loose = [(name, j) for name, r in self.reports.items() for j, v in enumerate(r.fact_vecs) if v is None]
        self._loose_texts = [fact_text(self.reports[name].facts[j]) for name, j in self._loose]
        return sorted(set(self._loose_texts))

    def embed_loose(self) -> None:
        """Embed the facts `finish` returned, each distinct text once (and once a build, with a cache)."""
        row: dict[str, np.ndarray] = {}
        unique = []
        for t in sorted(set(self._loose_texts)):
            hit = self.cache.get(_loose_key(t)) if self.cache is not None else None
            if hit is not None:
                row[t] = hit[0]
            else:
                unique.append(t)
        if unique:
            vecs = self.embedder.encode(unique, batch_size=self.batch, progress=self.tick)
            for i, t in enumerate(unique):
                row[t] = vecs[i]
                if self.cache is not None:
                    self.cache.put(_loose_key(t), vecs[i], {})
        for (name, j), t in zip(self._loose, self._loose_texts, strict=True):
            self.reports[name].fact_vecs[j] = row[t]
        self.embedded += len(unique)

    def vectors(self, name: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
        r = self.reports[name]
        chunk_vecs = np.vstack(r.vecs).astype(np.float32) if r.vecs else np.zeros((0, dim), np.float32)
        fact_vecs = np.vstack(r.fact_vecs).astype(np.float32) if r.fact_vecs else np.zeros((0, dim), np.float32)
        return chunk_vecs, fact_vecs


@dataclass
class Read:
    """One file read: the report, its passages and facts, and a warning to pass on, if any."""

    report: Report
    chunks: list[Chunk]
    facts: list[Fact]
    warning: str = ""


def read(path: Path, root: Path | None, sidecar: dict) -> Read:
    """Parse, chunk and extract facts from one file (raises SkipFile when it cannot be read).
    A bug in fact extraction costs the report its facts, never the build."""
    report = parse.parse_file(path, root=root, sidecar=sidecar)
    try:
        facts = facts_mod.extract_pages(report.pages, report=report.name)
        warning = ""
    except Exception as exc:  # noqa: BLE001 - reported, and the passages still get indexed
        facts, warning = [], f"warning: no facts extracted from {report.name}: {type(exc).__name__}: {exc}"
    return Read(report, chunking.chunk_report(report), facts, warning)


class Reader:
    """Reads files, in `workers` forked processes when there are several (PDFs are slow to read,
    and reading them all first on every core, then embedding on every core, beats reading beside
    the model: two busy model threads and a reader on two cores slow each other down).

    `reads()` yields (index, Read) as files are done, or (index, SkipFile) for a file that cannot
    be read. If a worker dies, what is left is read in this process.
    """

    def __init__(self, jobs: Sequence[tuple[Path, Path | None, dict]], workers: int = 1):
        self.jobs = list(jobs)
        self.workers = workers if len(self.jobs) > 1 else 1

    def reads(self) -> Iterator[tuple[int, Read | SkipFile]]:
        left = list(range(len(self.jobs)))
        if self.workers > 1:
            left = yield from self._in_workers(left)
        for i in left:
            yield i, self._read(i)

    def _read(self, i: int) -> Read | SkipFile:
        try:
            return read(*self.jobs[i])
        except SkipFile as exc:
            return exc

    def _in_workers(self, todo: list[int]) -> Generator[tuple[int, Read | SkipFile], None, list[int]]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        try:
            pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_die_with, initargs=(os.getpid(),))
        except (OSError, ValueError):  # no fork here, or no processes left
            return todo
        left = set(todo)
        clean = False
        try:
            # the biggest first, so that no worker is left reading one big file at the end
            biggest = sorted(todo, key=lambda i: -_size(self.jobs[i][0]))
            futures = {pool.submit(_read_here, *self.jobs[i]): i for i in biggest}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    got: Read | SkipFile = fut.result()
                except SkipFile as exc:
                    got = exc
                left.discard(i)
                yield i, got
            clean = True
        except BrokenProcessPool:  # a worker died: the files it had not done are read here
            pass
        finally:
            if clean:
                pool.shutdown(wait=True)
            else:  # joining a broken or abandoned pool can hang: stop what is left of it instead
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.terminate()
        return sorted(left)


def _die_with(parent: int) -> None:
    """In a worker: be killed when the build that forked it dies, however it dies (kill -9 too).
    A worker outliving its build would read on for nothing, and keep what the build held."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux; elsewhere there are no forked workers
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the line above ran
        os._exit(1)


def _read_here(path: Path, root: Path | None, sidecar: dict) -> Read:
    """`read`, looked up when called (what a worker runs: the forked copy of this module)."""
    return read(path, root, sidecar)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
