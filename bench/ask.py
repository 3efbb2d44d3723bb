"""Ask benchmark: an index and questions in; load time, warm per-question latency (p50/p95/mean) and peak RSS out.

Usage: python bench/ask.py [--index DIR] [--questions FILE ...] [--rounds 3] [--threads default,2,1]
                           [--busy-core] [--profile N] [--profile-anyway]

--index: an existing index (built there first if it holds none). Without it, an index over corpus/
plus ../shared/reports/reliefweb/ (when present) is built into a temp dir and deleted at the end.
Questions: bench/questions/*.jsonl + ../shared/questions/seed-dev.jsonl when present (JSONL with a
"question" field, or plain lines), else a built-in list. Each question is asked on its own with
`Assistant.ask()`, --rounds times, after the model and index are loaded (their load time is
reported apart). Timed once per torch thread setting; the target is p50 <= 50 ms on 2 CPU cores.
--busy-core repeats the timing with a CPU-bound neighbour process on one core (a second user, the
web server, a build): with OpenMP's default spin-wait a 2-thread torch can stall badly then, and
OMP_WAIT_POLICY=PASSIVE in the environment is the usual cure. When the 2-thread p50 misses the
target, the first N questions (default 50) run under cProfile and the top entries are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SHARED, Stopwatch, default_sources, offline, peak_rss_mb, percentile, rss_mb, table

TARGET_P50_MS = 50.0
TARGET_THREADS = 2

GENERIC = [  # used only when no question file is found; any humanitarian corpus can answer some
    "How many people were affected?",
    "How many people were displaced?",
    "How many people need humanitarian assistance?",
    "How many people were reached with assistance?",
    "How much funding is required?",
    "What percentage of the appeal is funded?",
    "How many children were reached?",
    "How many deaths were reported?",
    "How many confirmed cases were reported?",
    "How many health facilities were damaged?",
    "How many houses were destroyed?",
    "How many people received food assistance?",
    "How many schools were affected?",
    "How many people are in IPC Phase 3 or above?",
    "How many refugees and migrants are there?",
    "What is the date of the report?",
    "Which organisation published the report?",
    "How many shelters are open?",
    "How many people have access to safe water?",
    "How many tonnes of food were distributed?",
]


def load_questions(files: list[Path]) -> tuple[list[str], str]:
    """Distinct question strings from the files (JSONL 'question' fields or plain lines) and where from."""
    if not files:
        files = sorted((ROOT / "bench" / "questions").glob("*.jsonl"))
        files += [f for f in [SHARED / "questions" / "seed-dev.jsonl"] if f.exists()]
    out: list[str] = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            q = json.loads(line).get("question", "") if line.startswith("{") else line
            if q:
                out.append(q)
    out = list(dict.fromkeys(out))
    if out:
        return out, ", ".join(str(f) for f in files)
    return list(GENERIC), "the built-in generic list"


def time_asks(assistant, questions: list[str], rounds: int) -> list[list[float]]:
    """Latency in ms of each ask(), one list per round."""
    out = []
    for _ in range(rounds):
        lat = []
        for q in questions:
            t0 = time.perf_counter()
            assistant.ask(q)
            lat.append(1000 * (time.perf_counter() - t0))
        out.append(lat)
    return out


def stats(ms: list[float]) -> dict[str, float]:
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "mean": sum(ms) / len(ms),
            "max": max(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="index folder (default: build one in a temp dir)")
    ap.add_argument("--questions", type=Path, action="append", default=[], help="question file (repeatable)")
    ap.add_argument("--rounds", type=int, default=3, help="times each question is asked (default 3)")
    ap.add_argument("--threads", default="default,2,1",
                    help="torch thread settings to time, comma-separated (default: default,2,1)")
    ap.add_argument("--busy-core", action="store_true", help="time again with a CPU-bound neighbour process")
    ap.add_argument("--profile", type=int, default=50, help="questions to profile when p50 misses (default 50)")
    ap.add_argument("--profile-anyway", action="store_true", help="profile even when the target is met")
    args = ap.parse_args()
    offline()
    questions, source = load_questions(args.questions)

    with tempfile.TemporaryDirectory(prefix="reportqa-bench-ask-") as tmp:
        index_dir = args.index or Path(tmp) / "index"
        return run(args, index_dir, questions, source)


def run(args, index_dir: Path, questions: list[str], source: str) -> int:
    with Stopwatch() as imports:
        import torch

        from assistant.core import Assistant
        from indexer.store import generation
    default_threads = torch.get_num_threads()

    if generation(index_dir) is None:
        # in a child process, so the build's memory and model load do not colour the figures below
        sources = [str(p) for p in default_sources()]
        print(f"building an index over {', '.join(sources)} into {index_dir} (child process) ...")
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from indexer.build import build_index; "
                "print(build_index(sys.argv[3:], index_dir=sys.argv[2]).text())")
        with Stopwatch() as build:
            done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(index_dir), *sources],
                                  capture_output=True, text=True)
        if done.returncode:
            print(done.stdout + done.stderr)
            return 1
        print("  " + done.stdout.strip().replace("\n", "\n  ") + f" ({build.wall:.1f} s wall, apart from below)")

    rss_before = peak_rss_mb()
    assistant = Assistant(index_dir)
    with Stopwatch() as load_index:
        reports = assistant.list_reports()  # opens the index: manifest, vectors, facts, retriever
    with Stopwatch() as load_model:
        assistant.warm()  # the embedding model, and one encode
    rss_loaded = peak_rss_mb()

    print(f"index:     {index_dir if args.index else '<temp dir, deleted>'} ({len(reports)} reports)")
    print(f"questions: {len(questions)} distinct from {source}; {args.rounds} rounds, one ask() at a time")
    print(f"machine:   {os.cpu_count()} CPUs; torch {torch.__version__}, default {default_threads} threads, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}")
    print(f"load:      imports {imports.wall:.2f} s, index {load_index.wall:.2f} s, model + first encode "
          f"{load_model.wall:.2f} s (total {imports.wall + load_index.wall + load_model.wall:.2f} s); "
          f"peak RSS {rss_before:.0f} MB before, {rss_loaded:.0f} MB after")
    print()

    settings: list[int] = []
    for item in args.threads.split(","):
        n = default_threads if item.strip() == "default" else int(item)
        if n not in settings:
            settings.append(n)
    # each question's first ask pays one-off costs (per-report text caches...): time it apart, so
    # that the thread settings below all compare warm
    first = stats(time_asks(assistant, questions, 1)[0])
    rows = [["torch threads", "asks", "p50 ms", "p95 ms", "mean ms", "max ms", "others"]]
    rows.append([f"{default_threads}, first ask", str(len(questions)), f"{first['p50']:.1f}", f"{first['p95']:.1f}",
                 f"{first['mean']:.1f}", f"{first['max']:.0f}", ""])
    results: dict[int, dict[str, float]] = {}
    passes = [(n, False) for n in settings] + ([(n, True) for n in settings] if args.busy_core else [])
    for n, busy in passes:
        torch.set_num_threads(n)
        neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            with Stopwatch() as sw:
                flat = [x for r in time_asks(assistant, questions, args.rounds) for x in r]
        finally:
            if neighbour:
                neighbour.kill()
                neighbour.wait()
        s = stats(flat)
        if not busy:
            results[n] = s
        label = f"{n}" + (" (default)" if n == default_threads else "") + (", core busy" if busy else "")
        rows.append([label, str(len(flat)), f"{s['p50']:.1f}", f"{s['p95']:.1f}", f"{s['mean']:.1f}",
                     f"{s['max']:.0f}", sw.note()])
    print(table(rows))
    print("(first ask = each question asked once, before the timed rounds; others = share of the CPUs other "
          "processes used meanwhile)")
    rss_end = peak_rss_mb()
    now = rss_mb()
    print(f"peak RSS: {rss_end:.0f} MB" + (f" (current {now:.0f} MB)" if now else ""))

    torch.set_num_threads(TARGET_THREADS)
    engine = getattr(assistant, "_engine", None)  # a look inside, only to split off the query embedding
    embedder = getattr(engine, "embedder", None)
    if embedder is not None:
        enc = []
        for q in questions:
            t0 = time.perf_counter()
            embedder.encode([q])
            enc.append(1000 * (time.perf_counter() - t0))
        print(f"of which the query embedding alone ({TARGET_THREADS} threads): p50 {percentile(enc, 50):.1f} ms, "
              f"p95 {percentile(enc, 95):.1f} ms, mean {sum(enc) / len(enc):.1f} ms")

    key = TARGET_THREADS if TARGET_THREADS in results else settings[-1]
    p50 = results[key]["p50"]
    ok = "OK" if p50 <= TARGET_P50_MS else "OVER"
    print(f"target: p50 <= {TARGET_P50_MS:.0f} ms on {TARGET_THREADS} cores -> {p50:.1f} ms at {key} threads: {ok}")
    print()
    s = results[key]
    print(f"README: warm ask() latency over {len(reports)} reports, {len(questions)} questions x {args.rounds}, "
          f"{key} torch threads: p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, mean {s['mean']:.0f} ms; "
          f"load {imports.wall + load_index.wall + load_model.wall:.1f} s (index {load_index.wall:.1f} s, "
          f"model {load_model.wall:.1f} s); peak RSS {rss_end:.0f} MB")

    if p50 > TARGET_P50_MS or args.profile_anyway:
        subset = questions[:args.profile]
        prof = cProfile.Profile()
        prof.enable()
        for q in subset:
            assistant.ask(q)
        prof.disable()
        for order, top in (("cumulative", 15), ("tottime", 15)):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(order).print_stats(top)
            body = buf.getvalue()
            body = body[body.find("   ncalls"):] if "   ncalls" in body else body
            print(f"\ncProfile, {len(subset)} questions at {TARGET_THREADS} threads, top {top} by {order}:")
            print(body.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
