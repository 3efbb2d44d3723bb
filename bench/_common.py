"""Shared helpers for the benchmarks: repo paths, the default corpus, peak memory, percentiles."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def offline() -> None:
    """The bundled model is local: make sure nothing reaches for a model hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def default_sources() -> list[Path]:
    """corpus/ plus ../shared/reports/reliefweb/ when it is there."""
    extra = SHARED / "reports" / "reliefweb"
    return [ROOT / "corpus"] + ([extra] if extra.is_dir() else [])


def corpora(cache: Path, embedder) -> tuple[Path, Path]:
    """(Re)build two indexes under `cache`: the default corpus alone ("peru"), and the default corpus
    with every shared report PDF ("all": ReliefWeb and more/, their README and sidecars not indexed
    as reports). Unchanged files are copied, not re-embedded."""
    from indexer.build import build_index

    small, large = cache / "peru", cache / "all"
    build_index([ROOT / "corpus"], small, say=lambda m: None, embedder=embedder)
    files = [ROOT / "corpus"]
    for sub in ("reliefweb", "more"):
        folder = SHARED / "reports" / sub
        if folder.is_dir():
            files += sorted(folder.glob("*.pdf"))
    build_index(files, large, say=lambda m: None, embedder=embedder)
    return small, large


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, in MB, of this process (or, with RUSAGE_CHILDREN, of the largest
    finished child process); ru_maxrss is KB on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_mb() -> float | None:
    """Current RSS in MB when psutil is installed (a test extra), else None."""
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / (1024 * 1024)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100].

    >>> percentile([1, 2, 3, 4], 50)
    2.5
    >>> percentile([5.0], 95)
    5.0
    """
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as aligned columns; the first row is the header."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _system_busy() -> float | None:
    """CPU-seconds all processes have used since boot (Linux /proc/stat; steal counts as busy)."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Stopwatch:
    """`with Stopwatch() as sw:` -> sw.wall, sw.cpu (this process, all threads), sw.others.

    `others` is the share of the machine's CPUs other processes used meanwhile (None off Linux):
    the benchmarks share the machine, and a busy neighbour shows up here rather than as a mystery.
    """

    wall = cpu = 0.0
    others: float | None = None

    def __enter__(self) -> Stopwatch:
        self._busy = _system_busy()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        busy = _system_busy()
        if busy is not None and self._busy is not None and self.wall > 0:
            self.others = max(0.0, busy - self._busy - self.cpu) / (self.wall * (os.cpu_count() or 1))

    def __iadd__(self, other: Stopwatch) -> Stopwatch:
        """Add up several timed calls (others: weighted by wall time)."""
        if other.others is not None:
            mine = (self.others or 0.0) * self.wall
            self.others = (mine + other.others * other.wall) / max(1e-9, self.wall + other.wall)
        self.wall += other.wall
        self.cpu += other.cpu
        return self

    def note(self) -> str:
        return "" if self.others is None else f"{100 * self.others:.0f}%"
