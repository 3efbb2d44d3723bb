"""Large-text benchmark: MB/s of parsing and fact extraction on big .txt files, and the peak memory
of a whole build from a file of one line repeated.

Usage: python bench/large_text.py [--mb 10] [--build-mb 1]

Texts (written to a temp dir): `report` (the shipped Peru report repeated to --mb), `repeated` (one
sentence with a figure, repeated), `run-on` (no full stops at all), `figures` (one figure a line).
Parsing and fact extraction run in this process, one core; the build (the real model, passages
embedded on every core) runs in a child process on --build-mb of `repeated`, and its peak RSS is
the child's own. Targets: --mb 10 of `report` parsed + facts in under 60 s; build peak < 1.5 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, offline, table

LINE = "In Lima, partners distributed 2,140 hygiene kits to refugees and migrants.\n"
SHAPES = {
    "report": lambda: (ROOT / "corpus" / "r4v-peru-2020-10.txt").read_text(encoding="utf-8") + "\n\n",
    "repeated": lambda: LINE,
    "run-on": lambda: "partners distributed 2,140 hygiene kits to refugees and migrants ",
    "figures": lambda: "12,500\n",
}
# The child samples its own RSS every 10 ms: its ru_maxrss would count the forked copy of this process.
BUILD = """
import os, sys, threading, time
peak = [0]
def watch():
    while True:
        peak[0] = max(peak[0], int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
        time.sleep(0.01)
threading.Thread(target=watch, daemon=True).start()
from indexer.build import build_index
t = time.perf_counter()
s = build_index([sys.argv[1]], sys.argv[2], say=lambda m: None)
time.sleep(0.05)
print(s.chunks, s.facts, round(time.perf_counter() - t, 1), peak[0] >> 20)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of each text for parsing and facts (default 10)")
    ap.add_argument("--build-mb", type=float, default=1.0, help="size of the repeated-lines file built (default 1)")
    args = ap.parse_args()
    offline()
    from indexer import facts, parse

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, unit in SHAPES.items():
            piece = unit()
            size = int(args.mb * 1e6)
            path = Path(tmp) / f"{name}.txt"
            path.write_text((piece * (size // len(piece) + 1))[:size], encoding="utf-8")
            t0 = time.perf_counter()
            report = parse.parse_file(path, sidecar={})
            t1 = time.perf_counter()
            found = facts.extract_pages(report.pages, report=report.name)
            t2 = time.perf_counter()
            mb = path.stat().st_size / 1e6
            rows.append([name, f"{mb:.1f}", f"{t1 - t0:.1f}", f"{mb / (t1 - t0):.2f}", f"{t2 - t1:.1f}",
                         f"{mb / (t2 - t1):.2f}", f"{t2 - t0:.1f}", f"{len(found):,}"])
            print(*rows[-1], flush=True)
        print(table([["text", "MB", "parse s", "parse MB/s", "facts s", "facts MB/s", "total s", "facts"], *rows]))

        corpus = Path(tmp) / "build"
        corpus.mkdir()
        size = int(args.build_mb * 1e6)
        (corpus / "repeated.txt").write_text(LINE * (size // len(LINE)), encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", BUILD, str(corpus), str(Path(tmp) / "index")], cwd=ROOT,
                             capture_output=True, text=True)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return 1
        chunks, n_facts, seconds, peak = out.stdout.split()
        print(f"build of {args.build_mb:g} MB of repeated lines: {chunks} chunks, {n_facts} facts, {seconds} s, "
              f"peak RSS {peak} MB (target < 1500)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
