"""Unit vectors -> a FAISS index chosen by their number; question vector + scope -> nearest ids.

Up to EXACT_MAX vectors the index is exact (IndexFlatIP: a scan is cheaper than a graph at that
size); beyond it, an HNSW graph (IndexHNSWFlat; recall ~0.99 at the top 150 on MiniLM-like data,
~0.3 ms a search at 50,000 vectors, ~4 s to build them on 2 cores). Row i of the index is the
vector of id i (chunk or fact ids are dense from 0), so no id map is needed. The kind is recorded in
the manifest (`spec`), so a reader knows what it loads.

A scoped search (the reports a question may use, as id ranges: each report's rows are contiguous)
is exact over those rows when they are few, and a filtered graph search otherwise: its cost follows
the scope, not the corpus.

>>> spec_for(10)["kind"], spec_for(EXACT_MAX + 1)["kind"]
('flat', 'hnsw')
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

EXACT_MAX = 20_000  # vectors; above this the index is a graph
EXACT_SCOPE = 4_096  # a scope of at most this many rows is scanned exactly
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 256

Ranges = Sequence[tuple[int, int]]  # [lo, hi) id ranges

_THREADS = threading.Lock()
_LIMITED = {"depth": 0, "limit": None}  # the BLAS limit held while any search runs (`one_thread`)
_CONTROLLER: list = []  # threadpoolctl's controller of the BLAS libraries loaded, made on first use


@contextmanager
def one_thread():
    """A search's matrix-vector products on the calling thread alone, without BLAS worker threads (numpy's
    and faiss's OpenBLAS). A question's exact scan is a product of at most ~12,500 x 384 (a few hundred
    microseconds on one core); past ~1,200 rows OpenBLAS splits it over its threads, and on a machine whose
    cores are busy the caller then waits for a worker to be scheduled: measured on this 2-core machine
    under load, 1,200 rows 8 ms wall (4 ms of CPU spinning) against 0.02 ms on one thread. A corpus of
    37 reports never reaches that size, so the cost grew with the corpus. The products are those of the
    threads to float rounding (tests/test_ann.py); their last bits may differ (where a thread's rows
    start), so of two copies of one passage (the same vector) another may rank first: at 30 copies of
    the corpus 5 of 1,054 answers list another copy of the same passage among their evidence passages,
    the development answers are the same (bench/accuracy.py).

    Not faiss's own OpenMP threads: its flat search computes other last bits on one thread than on two,
    and the passages found would change (24 ms against 0.3 ms under load too, but only a question
    searching every report of a flat index takes that path).

    The first search that starts sets the limit and the last that ends lifts it (numpy's OpenBLAS holds one
    limit for the process; a library built on OpenMP holds it for the thread that set it)."""
    with _THREADS:
        if _LIMITED["depth"] == 0:
            if not _CONTROLLER:
                try:
                    from threadpoolctl import ThreadpoolController
                    _CONTROLLER.append(ThreadpoolController())
                except ImportError:  # not installed: the BLAS keeps its threads
                    _CONTROLLER.append(None)
            if _CONTROLLER[0] is not None:
                _LIMITED["limit"] = _CONTROLLER[0].limit(limits=1, user_api="blas")
        _LIMITED["depth"] += 1
    try:
        yield
    finally:
        with _THREADS:
            _LIMITED["depth"] -= 1
            if _LIMITED["depth"] == 0 and _LIMITED["limit"] is not None:
                _LIMITED["limit"].restore_original_limits()
                _LIMITED["limit"] = None


def spec_for(n: int) -> dict:
    """Which index `n` vectors get (recorded in the manifest)."""
    if n <= EXACT_MAX:
        return {"kind": "flat", "n": n}
    return {"kind": "hnsw", "n": n, "M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION,
            "ef_search": HNSW_EF_SEARCH}


def write(path: Path, vectors: np.ndarray, dim: int) -> dict:
    """Build the index for `vectors` (row i = id i), write it to `path`; return its spec."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    spec = spec_for(len(vectors))
    if spec["kind"] == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, spec["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["ef_construction"]
    if len(vectors):
        index.add(vectors)
    faiss.write_index(index, str(path))
    return spec


class VectorIndex:
    """One index file, loaded on first use."""

    def __init__(self, path: Path, spec: dict, dim: int):
        self.path = Path(path)
        self.spec = spec
        self.dim = dim
        self._index = None
        self._xb: np.ndarray | None = None

    def _load(self):
        if self._index is None:
            import faiss

            index = faiss.read_index(str(self.path))
            flat = index if self.spec["kind"] == "flat" else faiss.downcast_index(index.storage)
            n = int(flat.ntotal)
            # the stored vectors, seen in place (no copy): row i is id i
            self._xb = faiss.rev_swig_ptr(flat.get_xb(), n * self.dim).reshape(n, self.dim) if n else \
                np.zeros((0, self.dim), np.float32)
            self._index = index
        return self._index

    @property
    def ntotal(self) -> int:
        return int(self._load().ntotal)

    @property
    def vectors(self) -> np.ndarray:
        """All vectors, row i = id i (a view into the index: do not write)."""
        self._load()
        return self._xb

    def search(self, q: np.ndarray, k: int, scope: Ranges | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The `k` nearest ids (best first) and their inner products; `scope` limits to id ranges. On one
        thread (`one_thread`)."""
        with one_thread():
            return self._search(q, k, scope)

    def _search(self, q: np.ndarray, k: int, scope: Ranges | None = None) -> tuple[np.ndarray, np.ndarray]:
        index = self._load()
        q = np.ascontiguousarray(q, dtype=np.float32).reshape(1, -1)
        n = int(index.ntotal)
        if n == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if scope is not None:
            scope = [(max(0, lo), min(n, hi)) for lo, hi in scope if hi > lo]
            size = sum(hi - lo for lo, hi in scope)
            if size == 0:
                return np.zeros(0, np.int64), np.zeros(0, np.float32)
            if size <= EXACT_SCOPE or self.spec["kind"] == "flat":
                return self._exact(q[0], k, scope)
        params = None
        if self.spec["kind"] == "hnsw":
            import faiss

            params = faiss.SearchParametersHNSW()
            params.efSearch = max(self.spec.get("ef_search", HNSW_EF_SEARCH), 2 * k)
            if scope is not None:
                params.sel = faiss.IDSelectorBatch(np.concatenate([np.arange(lo, hi) for lo, hi in scope]))
        sims, ids = index.search(q, min(k, n), params=params)
        keep = ids[0] >= 0
        if scope is not None and keep.sum() < min(k, size):  # a narrow filter can starve the graph walk
            return self._exact(q[0], k, scope)
        return ids[0][keep].astype(np.int64), sims[0][keep]

    def _exact(self, q: np.ndarray, k: int, scope: Ranges) -> tuple[np.ndarray, np.ndarray]:
        xb = self.vectors
        ids = np.concatenate([np.arange(lo, hi, dtype=np.int64) for lo, hi in scope])
        sims = np.concatenate([xb[lo:hi] @ q for lo, hi in scope])
        if len(ids) > k:
            top = np.argpartition(-sims, k - 1)[:k]
            ids, sims = ids[top], sims[top]
        order = np.argsort(-sims, kind="stable")
        return ids[order], sims[order]
