"""Scale benchmark: corpus copied 1x, 10x, 30x -> build s/passage, ask p50/p95, RSS, as ratios to 1x.

Usage: python bench/scale.py [--sizes 1,10,30] [--rounds 2] [--work DIR] [--source DIR ...] [--keep] [--reuse]
                             [--build-only]

Each size is a corpus of that many distinct copies of the source reports (default: corpus/ plus
../shared/reports/reliefweb/): copy i of a file has i newline bytes appended, so its content hash
(and name) differs but its text does not, as in report series that repeat themselves. Each corpus
is indexed from scratch in this process with one loaded model (its load time is not counted);
build seconds are divided by the passages indexed. `--keep` keeps the corpora and indexes in --work,
with each build's figures (`build-<n>x.json`); `--reuse` then takes a kept index that the current code
can load (its manifest's format and settings) instead of building it again, and reports the build
figures kept with it: the ask and memory columns measure the code, the build columns the build kept.
`--build-only` builds (or reuses) and prints the build table, without the ask and memory runs.

Build time, honestly: the copies have the same text, and a build embeds each distinct passage text once,
so every size embeds the same texts (~470) and "seconds per passage" falls with the size (reading and
writing are per passage, embedding is not). The build table therefore splits a build's wall time into the
time inside the model's encode calls (`embed s/text`: seconds per text embedded) and the rest (`rest
s/passage`: reading, fact extraction, the word tables, the vector indexes and writing, per passage read),
each with its ratio to 1x. The first says nothing of embedding a corpus of distinct texts at scale (no
such corpus is at hand: it is the same ~470 texts at every size); the second is the per-passage cost
that does grow with the corpus. Reading runs in forked worker processes while the main one embeds, so
the split is of wall time and the two overlap on a multi-core machine.

Ask latency: warm `ask()` of the development questions on every size's index in one process,
interleaved question by question (so a busy neighbour slows all sizes alike), `--rounds` times; also the
process's CPU time a question (`time.process_time`, the model's threads included), which waiting for a
core shared with other jobs does not stretch: on a busy machine its ratio moves less from run to run.
Resident memory: for each size a fresh process loads the index and the model, answers every question
once and reports its RSS; growth per fact is (RSS(Nx) - RSS(1x)) / (facts(Nx) - facts(1x)), also
shown net of the vectors (fact and passage vectors, 4 bytes a dimension).

The targets (issue #12, at 30x): p50 <= 1.25x, p95 <= 1.5x, growth <= ~1 KB a fact beyond its
vectors, build time per passage within 10% of 1x.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SHARED, offline, percentile, table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ask import load_questions  # noqa: E402

SUFFIXES = (".pdf", ".txt", ".md")


def make_corpus(sources: list[Path], out: Path, copies: int) -> int:
    """`copies` distinct copies of every report under `sources` in `out` (with their sidecars)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    n = 0
    for src in sources:
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.suffix.lower() in SUFFIXES)
        dest = out / (src.stem if src.is_dir() else "files")
        dest.mkdir(exist_ok=True)
        meta = src / "metadata.jsonl" if src.is_dir() else None
        sidecar = []
        if meta and meta.is_file():
            sidecar = [json.loads(line) for line in meta.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = []
        for f in files:
            data = f.read_bytes()
            for i in range(copies):
                name = f.name if i == 0 else f"{f.stem}__c{i}{f.suffix}"
                (dest / name).write_bytes(data + b"\n" * i)
                n += 1
                for row in sidecar:
                    named = row.get("files") or [row.get("file")]
                    if f.name in named:
                        rows.append({**{k: v for k, v in row.items() if k not in ("file", "files")}, "file": name})
        if rows:
            (dest / "metadata.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return n


class TimedEmbedder:
    """An embedder that adds up the wall time spent in its encode calls (`seconds`), for the build's split."""

    def __init__(self, embedder):
        self._embedder = embedder
        self.seconds = 0.0

    def _timed(self, name: str):
        call = getattr(self._embedder, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
        return timed

    def __getattr__(self, name: str):
        if name in ("encode", "encode_spans"):
            return self._timed(name)
        return getattr(self._embedder, name)


def build(corpus: Path, index: Path, embedder) -> dict:
    from indexer.build import build_index

    if index.exists():
        shutil.rmtree(index)
    timed = TimedEmbedder(embedder)
    t0 = time.perf_counter()
    s = build_index([corpus], index, rebuild=True, embedder=timed, say=lambda m: None)
    secs = time.perf_counter() - t0
    from indexer.store import read_manifest

    m = read_manifest(index)
    return {"seconds": secs, "embed_seconds": timed.seconds, "reports": s.reports, "chunks": s.chunks,
            "facts": s.facts, "embedded": s.embedded, "dim": m["dim"], "indexes": m["indexes"]}


def build_rows(sizes: list[int], built: dict[int, dict]) -> list[list[str]]:
    """The build table: seconds per passage, and that time split into embedding (per text embedded) and the rest
    (per passage read), each with its ratio to 1x; "" where a kept build did not time its embedding."""
    def split(b: dict) -> tuple[float, float, float] | None:
        if "embed_seconds" not in b:
            return None
        return (b["seconds"] / max(1, b["chunks"]), b["embed_seconds"] / max(1, b["embedded"]),
                (b["seconds"] - b["embed_seconds"]) / max(1, b["chunks"]))

    rows = [["size", "passages", "texts embedded", "build s", "s/passage", "ratio", "embed s", "embed s/text",
             "ratio", "rest s/passage", "ratio"]]
    one = split(built[1])
    for n in sizes:
        b = built[n]
        spp = b["seconds"] / max(1, b["chunks"])
        row = [f"{n}x", f"{b['chunks']:,}", f"{b['embedded']:,}", f"{b['seconds']:.1f}", f"{spp:.4f}",
               f"{spp / (built[1]['seconds'] / max(1, built[1]['chunks'])):.2f}"]
        got = split(b)
        if got is None or one is None:
            row += ["", "", "", "", ""]
        else:
            row += [f"{b['embed_seconds']:.1f}", f"{got[1]:.4f}", f"{got[1] / one[1]:.2f}", f"{got[2]:.4f}",
                    f"{got[2] / one[2]:.2f}"]
        rows.append(row)
    return rows


def reusable(index: Path, kept: Path) -> dict | None:
    """The figures of a kept build of `index` when the current code loads it as it is (same format and
    settings), else None."""
    from indexer.build import settings
    from indexer.config import INDEX_FORMAT
    from indexer.store import read_manifest

    if not kept.is_file():
        return None
    try:
        m = read_manifest(index)
    except (OSError, ValueError):  # an unreadable manifest: build again
        return None
    if not m or m.get("format") != INDEX_FORMAT or m.get("settings") != settings():
        return None
    return json.loads(kept.read_text())


def rss_child(index: Path, questions_file: Path) -> dict:
    """RSS of a fresh process that loaded this index and the model and answered every question."""
    code = (
        "import json, sys, psutil\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from assistant.core import Assistant\n"
        f"a = Assistant({str(index)!r}); a.warm()\n"
        "p = psutil.Process(); loaded = p.memory_info().rss\n"
        f"qs = json.load(open({str(questions_file)!r}))\n"
        "for q in qs: a.ask(q)\n"
        "print(json.dumps({'loaded': loaded, 'answered': p.memory_info().rss}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,30", help="copies of the corpus (default 1,10,30; 1 comes first)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "reportqa-bench-scale")
    ap.add_argument("--source", type=Path, action="append", default=[])
    ap.add_argument("--questions", type=Path, action="append", default=[])
    ap.add_argument("--keep", action="store_true", help="keep the corpora and indexes in --work")
    ap.add_argument("--reuse", action="store_true",
                    help="use an index kept in --work by an earlier --keep run when it is current (no rebuild)")
    ap.add_argument("--build-only", action="store_true", help="build (or reuse) and print the build table only")
    args = ap.parse_args()
    offline()
    sizes = sorted({int(x) for x in args.sizes.split(",")} | {1})
    sources = args.source or [ROOT / "corpus"] + [d for d in [SHARED / "reports" / "reliefweb"] if d.is_dir()]
    questions, qsource = load_questions(args.questions)
    args.work.mkdir(parents=True, exist_ok=True)
    qfile = args.work / "questions.json"
    qfile.write_text(json.dumps(questions))

    from assistant.core import Assistant
    from indexer.embed import Embedder

    embedder = Embedder()
    embedder.encode(["warm up"])
    built: dict[int, dict] = {}
    for n in sizes:
        corpus, index = args.work / f"corpus-{n}x", args.work / f"index-{n}x"
        kept = args.work / f"build-{n}x.json"
        b = reusable(index, kept) if args.reuse else None
        if b is None:
            files = make_corpus(sources, corpus, n)
            b = build(corpus, index, embedder)
            kept.write_text(json.dumps({**b, "files": files}))
        else:
            files = b["files"]
            print(f"{n}x: reusing {index} (built {b['seconds']:.1f} s)")
        built[n] = b
        print(f"{n}x: {files} files -> {b['reports']} reports, {b['chunks']} passages, {b['facts']} facts, "
              f"{b['seconds']:.1f} s ({b['embedded']} texts embedded); indexes {b['indexes']}", flush=True)
    print("\nbuild (the copies' text is embedded once: embed s/text is not embedding at scale, rest s/passage is"
          " the per-passage cost)")
    print(table(build_rows(sizes, built)), flush=True)
    if args.build_only:
        return 0

    assistants = {}
    for n in sizes:
        a = Assistant(args.work / f"index-{n}x")
        a._engine._embedder = embedder
        a.warm()
        assistants[n] = a
    lat: dict[int, list[float]] = {n: [] for n in sizes}
    cpu: dict[int, list[float]] = {n: [] for n in sizes}  # this process's CPU time, which other jobs do not stretch
    for q in questions:  # a first pass, not timed: every size answers each question once
        for n in sizes:
            assistants[n].ask(q)
    for _ in range(args.rounds):
        for q in questions:
            for n in sizes:
                t0, c0 = time.perf_counter(), time.process_time()
                assistants[n].ask(q)
                lat[n].append(1000 * (time.perf_counter() - t0))
                cpu[n].append(1000 * (time.process_time() - c0))
    del assistants
    mem = {n: rss_child(args.work / f"index-{n}x", qfile) for n in sizes}

    one = built[1]
    rows = [["size", "reports", "facts", "build s/passage", "ratio", "ask p50 ms", "ratio", "p95 ms", "ratio",
             "CPU p50 ms", "ratio", "RSS MB", "KB/fact added", "beyond vectors"]]
    for n in sizes:
        b, m = built[n], mem[n]
        spp = b["seconds"] / max(1, b["chunks"])
        p50, p95 = percentile(lat[n], 50), percentile(lat[n], 95)
        grow = beyond = ""
        if n != 1 and b["facts"] > one["facts"]:
            added = b["facts"] - one["facts"]
            per = (m["answered"] - mem[1]["answered"]) / added
            vec = 4 * b["dim"] * ((b["facts"] + b["chunks"]) - (one["facts"] + one["chunks"])) / added
            grow, beyond = f"{per / 1024:.2f}", f"{(per - vec) / 1024:.2f}"
        rows.append([f"{n}x", str(b["reports"]), f"{b['facts']:,}", f"{spp:.4f}",
                     f"{spp / (one['seconds'] / max(1, one['chunks'])):.2f}", f"{p50:.1f}",
                     f"{p50 / percentile(lat[1], 50):.2f}", f"{p95:.1f}", f"{p95 / percentile(lat[1], 95):.2f}",
                     f"{percentile(cpu[n], 50):.1f}", f"{percentile(cpu[n], 50) / percentile(cpu[1], 50):.2f}",
                     f"{m['answered'] / 2**20:.0f}", grow, beyond])
    print(f"\nquestions: {len(questions)} from {qsource}; {args.rounds} timed rounds, sizes interleaved")
    print(table(rows))
    if not args.keep and not args.reuse:
        for n in sizes:
            shutil.rmtree(args.work / f"corpus-{n}x", ignore_errors=True)
            shutil.rmtree(args.work / f"index-{n}x", ignore_errors=True)
            (args.work / f"build-{n}x.json").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
