"""Vector search without BLAS worker threads (`indexer.ann.one_thread`): the same nearest vectors and inner
products (to float rounding) as with them; the limit set within a search and lifted when the last one ends."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from indexer import ann

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """An exact index of 16,000 unit vectors (past the size at which OpenBLAS splits a product over its
    threads), the second 8,000 copies of the first (as a corpus of report copies holds)."""
    rng = np.random.default_rng(7)
    xb = rng.standard_normal((8_000, 48)).astype(np.float32)
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    path = tmp_path_factory.mktemp("ann") / "v.faiss"
    spec = ann.write(path, np.concatenate([xb, xb]), 48)
    assert spec["kind"] == "flat"
    return ann.VectorIndex(path, spec, 48), rng


def _scores(vi, q, scope):
    ids, sims = vi.search(q, 16_000, scope)
    out = np.full(16_000, np.nan, np.float32)
    out[ids] = sims
    return out


def test_one_thread_gives_the_threads_products_to_float_rounding(index, monkeypatch):
    """The same products as with OpenBLAS's threads, to float rounding (the last bits may differ: where a
    thread's rows start), and the same nearest ids where no two products are within that rounding."""
    vi, rng = index
    scopes = [[(0, 16_000)], [(100, 4_000), (8_100, 12_000)], [(0, 3), (7, 15_999)], [(5, 9)]]
    for q in rng.standard_normal((5, 48)).astype(np.float32):
        for scope in scopes:
            got = _scores(vi, q, scope)
            ids = vi.search(q, 10, scope)[0]
            with monkeypatch.context() as m:
                m.setattr(ann, "one_thread", contextlib.nullcontext)  # BLAS threads as they are
                want = _scores(vi, q, scope)
                want_ids = vi.search(q, 10, scope)[0]
            assert np.allclose(got, want, rtol=0, atol=1e-6, equal_nan=True)
            assert set(ids % 8_000) == set(want_ids % 8_000)  # the same vectors (of two copies, either)


def test_the_limit_holds_while_any_search_runs_and_is_lifted_after():
    before = _blas_threads()
    with ann.one_thread():
        assert set(_blas_threads()) == {1}
        with ann.one_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {1}  # the outer search still runs
    assert _blas_threads() == before
    with ann.one_thread():  # a search that fails lifts the limit too
        with pytest.raises(ZeroDivisionError):
            with ann.one_thread():
                raise ZeroDivisionError
        assert set(_blas_threads()) == {1}
    assert ann._LIMITED["depth"] == 0 and _blas_threads() == before
