"""Corpus files -> a new index generation: parse, chunk, extract facts, embed, store, swap.

Incremental by content hash: a report whose file is unchanged is copied from the live index with
its vectors (nothing re-embedded); a changed file is re-indexed; a file no longer in the corpus is
dropped. Files that cannot be read are reported by name with the reason and skipped.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from indexer import chunk as chunking
from indexer import facts as facts_mod
from indexer import parse
from indexer.config import default_corpus, default_index_dir, default_model, default_uploads_dir
from indexer.embed import BATCH_SIZE, Embedder
from indexer.errors import IndexCorrupt, IndexIncompatible, ReportQAError, SkipFile
from indexer.lexicon import LEXICON_VERSION
from indexer.pipeline import EmbedCache, EmbedQueue, Reader
from indexer.reader import IndexReader
from indexer.records import Report
from indexer.store import IndexWriter, build_lock, generation, prune

Progress = Callable[[float, str], None]
WINDOW = 256  # reports read, embedded and written together: what a build holds in memory at a time


@dataclass
class BuildSummary:
    """What a build did; `text()` is the end-of-run summary printed by the CLI."""

    index_dir: str = ""
    indexed: list[str] = field(default_factory=list)  # parsed and embedded this run
    reused: list[str] = field(default_factory=list)  # unchanged, copied from the previous index
    dropped: list[str] = field(default_factory=list)  # in the previous index, gone from the corpus
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    reports: int = 0
    pages: int = 0
    chunks: int = 0
    facts: int = 0
    embedded: int = 0  # texts embedded this run (chunks + fact labels)
    changed: bool = True
    seconds: float = 0.0

    def text(self) -> str:
        lines = [f"Index {self.index_dir}: {self.reports} reports, {self.pages} pages, "
                 f"{self.chunks} chunks, {self.facts} facts ({self.seconds:.1f} s)"]
        if not self.changed:
            lines[0] += " - up to date, nothing re-indexed"
        else:
            lines.append(f"  indexed {len(self.indexed)}, unchanged {len(self.reused)}, "
                         f"dropped {len(self.dropped)}, skipped {len(self.skipped)}")
        for name, reason in self.skipped:
            lines.append(f"  skipped {name}: {reason}")
        return "\n".join(lines)


def settings() -> dict:
    return {"chunk_min_words": chunking.MIN_WORDS, "chunk_max_words": chunking.MAX_WORDS,
            "chunk_overlap_words": chunking.OVERLAP_WORDS,
            "facts_version": getattr(facts_mod, "FACTS_VERSION", 1),
            "parse_version": getattr(parse, "PARSE_VERSION", 1), "fact_text_version": 3, "chunk_version": 3,
            "lexicon_version": LEXICON_VERSION}


def versions() -> dict:
    out = {}
    for pkg in ("reportqa", "sentence-transformers", "faiss-cpu", "pypdf", "torch"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """Keep the collector off what exists already (a loaded model is ~1M objects): reading PDFs
    makes millions of short-lived objects, and each full collection would walk the model too."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _quiet() -> bool:
    return bool(os.environ.get("CI")) or not sys.stderr.isatty()


def corpus_roots(paths: Sequence[str | Path] | None, index_dir: Path, keep_existing: bool = False) -> list[Path]:
    """The folders and files a build reads: `paths` (default: corpus/), each checked to exist, plus the
    web app's uploads, which are part of the index whatever else it holds (unless the build only adds)."""
    roots = [Path(p) for p in (paths or [default_corpus()])]
    for root in roots:
        if not root.exists():
            raise ReportQAError(f"No such file or folder: {root}")
    uploads = default_uploads_dir(index_dir)
    if not keep_existing and uploads.is_dir() and not any(_within(uploads, r) for r in roots):
        roots.append(uploads)
    return roots


def build_index(paths: Sequence[str | Path] | None = None, index_dir: str | Path | None = None,
                model: str | None = None, rebuild: bool = False, keep_existing: bool = False,
                progress: Progress | None = None, say: Callable[[str], None] = print,
                embedder: Embedder | None = None, lock_wait: float = 600.0,
                workers: int | None = None) -> BuildSummary:
    """Index the files under `paths` (default: corpus/) into `index_dir` (default: index/).

    keep_existing: keep reports already in the index that are not among `paths` (uploads);
    otherwise the index mirrors `paths` and reports no longer there are dropped.
    workers: processes reading files (default: one per CPU when there are 3 PDFs or more, on Linux).
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir or default_index_dir())
    roots = corpus_roots(paths, index_dir, keep_existing)
    uploads = default_uploads_dir(index_dir)
    if not keep_existing and uploads in roots and not any(Path(p) == uploads for p in (paths or ())):
        say(f"including the reports uploaded to {uploads}")
    files, passed_over = parse.walk(roots)
    summary = BuildSummary(index_dir=str(index_dir))
    summary.skipped += [(readable(n), reason) for n, reason in passed_over]
    with build_lock(index_dir, wait=lock_wait, say=say):
        prune(index_dir)  # what a killed build left: its unfinished generation, a half-done swap
        old = _open_old(index_dir, model, rebuild, say)
        model = model or (old.model if old else default_model())
        old_reports = old.manifest["reports"] if old else {}
        sidecars: dict[Path, dict] = {}
        wanted: list[tuple[str, Path, str]] = []  # (name, path, sha)
        seen_names: set[str] = set()
        for f in files:
            name = readable(f.name) if readable(f.name) not in seen_names else readable(_relative(f, roots))
            seen_names.add(name)
            try:
                wanted.append((name, f, sha256_file(f)))
            except OSError as exc:
                summary.skipped.append((name, f"cannot read: {exc.strerror or exc}"))
        reuse = [n for n, _, sha in wanted if old_reports.get(n, {}).get("sha256") == sha]
        fresh = [(n, f) for n, f, sha in wanted if n not in reuse]
        wanted_names = {n for n, _, _ in wanted}
        keep = [n for n in old_reports if n not in wanted_names] if keep_existing else []
        summary.dropped = [] if keep_existing else [n for n in old_reports if n not in wanted_names]
        if old and not fresh and not summary.dropped:
            summary.changed = False
            summary.reused = reuse + keep
            _count(summary, old.manifest, summary.reused)
            summary.seconds = time.perf_counter() - t0
            old.close()
            return summary

        embedder = embedder or Embedder(model)
        ebar = _bar(0, "Embedding", "passage", grows=bool(fresh))
        shown = [0.0, 0, 0]  # progress shown so far (never goes back), reports read, passages embedded

        def show(note: str) -> None:
            if progress:
                shown[0] = max(shown[0], 0.3 * shown[1] / max(1, len(fresh))
                               + 0.65 * shown[2] / max(1, ebar.total))
                progress(shown[0], note)

        def tick(n: int) -> None:
            ebar.update(n)
            shown[2] += n
            show(f"Embedding {shown[2]}/{ebar.total}")

        for _, f in fresh:
            if f.parent not in sidecars:
                sidecars[f.parent] = parse.load_sidecar(f.parent)
        jobs = [(f, _root_of(f, roots), sidecars[f.parent]) for _, f in fresh]
        # PDFs take a while to read: read several at once on every core (Linux: forked workers)
        if workers is None:
            pdfs = sum(f.suffix.lower() == ".pdf" for _, f in fresh)
            workers = min(os.cpu_count() or 1, pdfs) if sys.platform.startswith("linux") and pdfs >= 3 else 1
        dim = embedder.dim if fresh or not old else old.manifest["dim"]
        writer = IndexWriter(index_dir, model, dim, settings(), versions())
        cache = EmbedCache()
        indexed: list[str] = []
        try:
            order = {n: i for i, (n, _, _) in enumerate(wanted)}
            for name in sorted(reuse, key=order.get) + keep:
                writer.add(*old.load_report(name))
            bar = _bar(len(fresh), "Reading", "report")
            # a window of reports at a time: read on every core, embed on every core, write, forget
            for lo in range(0, len(jobs), WINDOW):
                window = list(range(lo, min(len(jobs), lo + WINDOW)))
                queue = EmbedQueue(embedder, BATCH_SIZE, tick=tick, cache=cache)
                read_ok: dict[int, Report] = {}  # by position in `fresh`: the index keeps the corpus order
                with _quiet_gc():
                    for k, got in Reader([jobs[i] for i in window], workers).reads():
                        i = window[k]
                        name, f = fresh[i]
                        shown[1] += 1
                        show(f"Read {name}")
                        if isinstance(got, SkipFile):
                            summary.skipped.append((name, _reason(got, f.name)))
                            say(f"skipped {name}: {readable(_reason(got, f.name))}")
                        else:
                            if got.warning:
                                say(got.warning)
                            report = got.report
                            if report.name != name or report.path != readable(report.path):
                                report = Report(readable(report.path), name, report.sha256, report.meta,
                                                report.pages)
                            read_ok[i] = report
                            ebar.total += queue.add(name, got.chunks, got.facts)
                            while queue.ready() and workers == 1:  # reading here: embed as we go
                                queue.step()
                        bar.update(1)
                    ebar.total += len(queue.finish())
                    queue.embed_loose()
                summary.embedded += queue.embedded
                for i in sorted(read_ok):
                    r = read_ok[i]
                    chunk_vecs, fact_vecs = queue.vectors(r.name, dim)
                    writer.add(r, queue.reports[r.name].chunks, chunk_vecs, queue.reports[r.name].facts, fact_vecs)
                    indexed.append(r.name)
                del queue, read_ok
            bar.close()
            ebar.close()
            # where each report's file is, so the chat can show its pages (the path above is relative)
            for n, f, _ in wanted:
                if n in writer.manifest["reports"]:
                    writer.manifest["reports"][n]["file"] = str(f.resolve())
            for n in keep:
                if old_reports[n].get("file"):
                    writer.manifest["reports"][n]["file"] = old_reports[n]["file"]
            if progress:
                progress(0.97, "Saving the index")
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        finally:
            if old:
                old.close()
        summary.indexed = indexed
        summary.reused = reuse + keep
        _count(summary, writer.manifest, list(writer.manifest["reports"]))
        summary.seconds = time.perf_counter() - t0
        if progress:
            progress(1.0, "Done")
        return summary


def remove_reports(names: Sequence[str], index_dir: str | Path | None = None, lock_wait: float = 600.0,
                   say: Callable[[str], None] = print) -> BuildSummary:
    """A new generation without the named reports; the others are copied with their vectors (nothing
    is re-embedded). Names not in the index are ignored; queries see the old index until the swap."""
    t0 = time.perf_counter()
    index_dir = Path(index_dir or default_index_dir())
    summary = BuildSummary(index_dir=str(index_dir))
    with build_lock(index_dir, wait=lock_wait, say=say):
        old = IndexReader(index_dir)
        try:
            reports = old.manifest["reports"]
            gone = [n for n in names if n in reports]
            keep = [n for n in reports if n not in gone]
            if not gone:
                summary.changed = False
                summary.reused = keep
                _count(summary, old.manifest, keep)
                return summary
            writer = IndexWriter(index_dir, old.model, old.manifest["dim"], old.manifest["settings"],
                                 old.manifest["versions"])
            try:
                for n in keep:
                    writer.add(*old.load_report(n))
                    if reports[n].get("file"):
                        writer.manifest["reports"][n]["file"] = reports[n]["file"]
                writer.commit()
            except BaseException:
                writer.abort()
                raise
        finally:
            old.close()
    summary.dropped, summary.reused = gone, keep
    _count(summary, writer.manifest, keep)
    summary.seconds = time.perf_counter() - t0
    return summary


def _open_old(index_dir: Path, model: str | None, rebuild: bool, say) -> IndexReader | None:
    if rebuild or generation(index_dir) is None:
        return None
    try:
        old = IndexReader(index_dir, deep=True)
    except IndexIncompatible as exc:
        say(f"Rebuilding from scratch: {exc}")
        return None
    except IndexCorrupt as exc:
        say(f"Rebuilding from scratch: {str(exc).split('; run')[0]}")
        return None
    if (model and model != old.model) or old.manifest.get("settings") != settings():
        say("Rebuilding from scratch: the model or index settings changed")
        old.close()
        return None
    return old


def _count(summary: BuildSummary, manifest: dict, names: list[str]) -> None:
    reports = manifest["reports"]
    summary.reports = len(names)
    summary.pages = sum(reports[n]["pages"] for n in names)
    summary.chunks = sum(reports[n]["chunks"] for n in names)
    summary.facts = sum(reports[n]["facts"] for n in names)


def _reason(exc: Exception, name: str) -> str:
    msg = str(exc)
    return readable(msg[len(name) + 2:] if msg.startswith(f"{name}: ") else msg)


def readable(name: str) -> str:
    """A file name as text: a name that is not UTF-8 on disk (Linux keeps its bytes as surrogates,
    which SQLite, JSON and a terminal refuse) is read as cp1252, the usual origin of such names.

    >>> readable(os.fsdecode(b"informe-a\\xf1o.txt"))
    'informe-año.txt'
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("cp1252", errors="replace")


def _within(path: Path, root: Path) -> bool:
    return root.is_dir() and path.resolve().is_relative_to(root.resolve())


def _root_of(f: Path, roots: list[Path]) -> Path | None:
    for r in roots:
        if r.is_dir() and f.resolve().is_relative_to(r.resolve()):
            return r
    return None


def _relative(f: Path, roots: list[Path]) -> str:
    root = _root_of(f, roots)
    return str(f.resolve().relative_to(root.resolve())) if root else str(f)


class _NoBar:
    total = 0

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, desc: str, unit: str, grows: bool = False):
    if _quiet() or (total == 0 and not grows):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False)

