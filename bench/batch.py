"""Batch benchmark: an index over corpus/ (+ ../shared/reports/reliefweb) and N questions in; wall time,
questions/s, peak RSS and the score out.

Usage: python bench/batch.py [-n 1000] [--index DIR] [--threads 2] [--batch-size 32] [--rebuild]

The index is built once into --index (default: $REPORTQA_BENCH_INDEX or <tmp>/reportqa-bench-index,
never the working tree) and reused; the build is incremental, so later runs only check hashes.
Questions cycle through examples/questions.jsonl, ../shared/questions/seed-dev.jsonl (when present)
and a few about the shared reports, varied in wording so the embedder sees N distinct strings.
The target: 1,000 questions in <= 30 s on 2 CPU cores (model load included).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
TARGET_S = 30.0

EXTRA = [  # questions over the shared reports (no gold: they only add load)
    "How many people were affected by Hurricane Melissa in Haiti?",
    "How many people were displaced by Tropical Storm Melissa?",
    "How many confirmed Marburg cases were reported in Ethiopia?",
    "How many contacts of Marburg cases are being followed up?",
    "How many people did WFP assist in Haiti in October 2025?",
    "How many health facilities were damaged in Jamaica?",
    "What rainfall is forecast for Eastern Africa for March to May 2025?",
    "How many people are in IPC Phase 3 or above in Haiti?",
]
VARIANTS = [
    "{q}",
    "According to the reports, {l}",
    "{q} Please cite the page.",
    "Quick question: {l}",
    "{q} (as of the latest report)",
    "Do the reports say: {l}",
    "I need to know — {l}",
    "{Q}",
]


def _base_questions() -> list[dict]:
    rows = []
    for f in (ROOT / "examples" / "questions.jsonl", SHARED / "questions" / "seed-dev.jsonl"):
        if f.exists():
            rows += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows += [{"question": q} for q in EXTRA]
    seen: set[str] = set()
    return [r for r in rows if not (r["question"] in seen or seen.add(r["question"]))]


def make_questions(n: int) -> list[dict]:
    """n questions: the base list cycled, each round in a different wording; gold kept."""
    base = _base_questions()
    out = []
    for i in range(n):
        row, round_ = base[i % len(base)], i // len(base)
        q = row["question"]
        text = VARIANTS[round_ % len(VARIANTS)].format(q=q, l=q[0].lower() + q[1:], Q=q.upper())
        if round_ >= len(VARIANTS):
            text += f" [{round_}]"  # keep every string distinct past the variant list
        gold = {k: row[k] for k in ("value", "unit", "text", "abstain") if k in row}
        out.append({"id": f"q{i + 1:04d}", "question": text, **gold})
    return out


def _limit_cpus(threads: int) -> str:
    """Pin the process to `threads` cores (when the OS allows) and size the thread pools to match."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TOKENIZERS_PARALLELISM"):
        os.environ.setdefault(var, "false" if var == "TOKENIZERS_PARALLELISM" else str(threads))
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) > threads:
        os.sched_setaffinity(0, cores[:threads])
        cores = cores[:threads]
    return f"{len(cores) or '?'} cores, {threads} threads"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="number of questions (default 1000)")
    ap.add_argument("--index", type=Path,
                    default=Path(os.environ.get("REPORTQA_BENCH_INDEX",
                                                Path(tempfile.gettempdir()) / "reportqa-bench-index")))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    args = ap.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    cpus = _limit_cpus(args.threads)

    import torch

    torch.set_num_threads(args.threads)
    from assistant import batch
    from assistant.core import Assistant
    from indexer.build import build_index

    sources = [ROOT / "corpus"] + [p for p in [SHARED / "reports" / "reliefweb"] if p.exists()]
    t0 = time.perf_counter()
    summary = build_index(sources, index_dir=args.index, rebuild=args.rebuild, say=lambda _msg: None)
    t_index = time.perf_counter() - t0
    print(f"index: {args.index} over {', '.join(str(s) for s in sources)} ({t_index:.1f} s build/check)")
    if hasattr(summary, "text"):
        print("  " + summary.text().replace("\n", "\n  "))

    work = Path(tempfile.mkdtemp(prefix="reportqa-bench-batch-"))
    qfile, out = work / "questions.jsonl", work / "answers.jsonl"
    qfile.write_text("".join(json.dumps(q) + "\n" for q in make_questions(args.n)), encoding="utf-8")

    t0 = time.perf_counter()
    assistant = Assistant(args.index)
    assistant.warm()
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = batch.answer_file(assistant, qfile, out, progress=False, batch_size=args.batch_size)
    t_answer = time.perf_counter() - t1
    total = t_load + t_answer
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

    abstained = sum(r["abstained"] for r in result.rows)
    print(f"questions: {len(result.rows)} ({abstained} abstained), batch size {args.batch_size}, {cpus}")
    print(f"load: {t_load:.1f} s   answer: {t_answer:.1f} s   total: {total:.1f} s   "
          f"{len(result.rows) / t_answer:.1f} questions/s   peak RSS: {rss:.0f} MB")
    verdict = "OK" if total <= TARGET_S * args.n / 1000 else "OVER"
    print(f"target: 1,000 questions in <= {TARGET_S:.0f} s -> {verdict}")
    if result.score:
        s = result.score
        print(f"accuracy on the varied gold questions: {100 * (s['accuracy'] or 0):.1f}% "
              f"({s['correct']}/{s['judged']}); latency p50 {s['latency_ms']['p50']:.1f} ms, "
              f"p95 {s['latency_ms']['p95']:.1f} ms")
    print(f"answers: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
