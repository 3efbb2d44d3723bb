"""Corpus files -> the same index as `indexer.build`, read and embedded on Ray (`reportqa index --engine ray`).

- Reading (parse, chunk, facts: `indexer.pipeline.read`, the very function the local build runs) is
  a Ray Data `map`, one task a file, on any node.
- Embedding is `map_batches` over an actor pool: each actor loads the model once and embeds a batch
  of reports with the local build's `EmbedQueue` (token-sorted batches, facts' vectors from the
  passage pass, one embedding per distinct passage text in the batch).
- Each embedded report is a Parquet shard named by its file's content hash, under
  INDEX/.shards/: a checkpoint. A run that stops (a node lost, the driver killed) starts again
  where it was: files whose shard exists are neither read nor embedded again.
- The driver merges the shards, in corpus order, with the local build's `IndexWriter`: the same
  index format, the same atomic swap, and `reportqa ask` cannot tell the engines apart.

Locally it runs with `ray.init(num_cpus=2)` by default: an actor pool that takes every CPU starves
the readers. Against a cluster, pass its address (`--ray-address`); the nodes need this package
installed (`pip install -e '.[ray]'`, or a runtime_env). Optional: `pip install -e '.[ray]'`.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from indexer import parse
from indexer.build import (
    BuildSummary,
    _count,
    _reason,
    _relative,
    _root_of,
    corpus_roots,
    settings,
    sha256_file,
    versions,
)
from indexer.config import PROJECT_ROOT, default_index_dir, default_model
from indexer.embed import BATCH_SIZE
from indexer.errors import ReportQAError, SkipFile
from indexer.store import IndexWriter, build_lock

SHARDS = ".shards"
REPORTS_PER_BATCH = 8  # reports an actor embeds together (its passages are batched by token count)


def _read_row(row: dict) -> dict:
    """One file -> its parsed report, passages and facts (pickled), or why it was skipped."""
    from indexer.pipeline import read

    root = Path(row["root"]) if row["root"] else None
    try:
        got = read(Path(row["path"]), root, pickle.loads(row["sidecar"]))
    except SkipFile as exc:
        return {**row, "read": b"", "skip": _reason(exc, Path(row["path"]).name)}
    return {**row, "read": pickle.dumps(got), "skip": ""}


class _Embed:
    """A Ray actor: loads the model once, embeds batches of reports, writes each as a Parquet shard."""

    def __init__(self, model: str, shards: str):
        from indexer.embed import Embedder

        self.embedder = Embedder(model)
        self.shards = Path(shards)

    def __call__(self, batch: dict) -> dict:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from indexer.pipeline import EmbedQueue

        queue = EmbedQueue(self.embedder, BATCH_SIZE)
        reads = {}
        for name, blob, skip in zip(batch["name"], batch["read"], batch["skip"], strict=True):
            if not skip:
                reads[name] = pickle.loads(blob)
                queue.add(name, reads[name].chunks, reads[name].facts)
        queue.finish()
        queue.embed_loose()
        dim = self.embedder.dim
        for name, sha, blob, skip in zip(batch["name"], batch["sha256"], batch["read"], batch["skip"], strict=True):
            cvecs, fvecs = queue.vectors(name, dim) if not skip else (np.zeros((0, dim), np.float32),) * 2
            table = pa.table({"name": [name], "sha256": [sha], "read": [blob], "skip": [skip], "dim": [dim],
                              "chunk_vecs": [cvecs.astype(np.float32).tobytes()],
                              "fact_vecs": [fvecs.astype(np.float32).tobytes()]})
            tmp = self.shards / f"{sha}.parquet.tmp"
            pq.write_table(table, tmp)
            os.replace(tmp, self.shards / f"{sha}.parquet")  # a shard is there whole or not at all
        return {"sha256": list(batch["sha256"])}


def _ray_init(address: str | None, num_cpus: int) -> bool:
    """Start or join Ray; True when this call started it (and so should shut it down)."""
    try:
        import ray
    except ImportError as exc:
        raise ReportQAError("Ray is not installed: pip install -e '.[ray]' (or use --engine local)") from exc
    if ray.is_initialized():
        return False
    env = {"env_vars": {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
                        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}}
    if address:
        ray.init(address=address, runtime_env=env, log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, runtime_env=env, log_to_driver=False)
    return True


def build_index_ray(paths: Sequence[str | Path] | None = None, index_dir: str | Path | None = None,
                    model: str | None = None, address: str | None = None, num_cpus: int = 2,
                    actors: int = 1, say: Callable[[str], None] = print,
                    lock_wait: float = 600.0) -> BuildSummary:
    """Index the files under `paths` into `index_dir` on Ray (a full build; shards are reused)."""
    t0 = time.perf_counter()
    index_dir = Path(index_dir or default_index_dir())
    roots = corpus_roots(paths, index_dir)
    model = model or default_model()
    summary = BuildSummary(index_dir=str(index_dir))
    files = parse.find_files(roots)
    rows, seen, sidecars = [], set(), {}
    for f in files:
        name = f.name if f.name not in seen else _relative(f, roots)
        seen.add(name)
        try:
            sha = sha256_file(f)
        except OSError as exc:
            summary.skipped.append((f.name, f"cannot read: {exc.strerror or exc}"))
            continue
        if f.parent not in sidecars:
            sidecars[f.parent] = pickle.dumps(parse.load_sidecar(f.parent))
        root = _root_of(f, roots)
        rows.append({"name": name, "path": str(f), "root": str(root) if root else "", "sha256": sha,
                     "sidecar": sidecars[f.parent]})
    with build_lock(index_dir, wait=lock_wait, say=say):
        shards = index_dir / SHARDS / f"{model.replace('/', '_')}-{_settings_key()}"
        shards.mkdir(parents=True, exist_ok=True)
        todo = [r for r in rows if not (shards / f"{r['sha256']}.parquet").is_file()]
        if todo:
            started = _ray_init(address, num_cpus)
            try:
                import ray

                ds = ray.data.from_items(todo, override_num_blocks=max(1, len(todo)))
                ds = ds.map(_read_row, num_cpus=1)
                ds = ds.map_batches(_Embed, fn_constructor_args=(model, str(shards)), batch_size=REPORTS_PER_BATCH,
                                    concurrency=actors, num_cpus=1)
                ds.materialize()
            finally:
                if started:
                    ray.shutdown()
        summary.embedded = len(todo)
        _merge(rows, shards, index_dir, model, summary, say)
    summary.seconds = time.perf_counter() - t0
    return summary


def _settings_key() -> str:
    import hashlib
    import json

    return hashlib.sha1(json.dumps(settings(), sort_keys=True).encode()).hexdigest()[:12]


def _merge(rows: list[dict], shards: Path, index_dir: Path, model: str, summary: BuildSummary, say) -> None:
    """The shards, in corpus order, into one new index generation (the local build's writer)."""
    import pyarrow.parquet as pq

    writer = None
    try:
        for r in rows:
            t = pq.read_table(shards / f"{r['sha256']}.parquet").to_pylist()[0]
            if t["skip"]:
                summary.skipped.append((Path(r["path"]).name, t["skip"]))
                say(f"skipped {Path(r['path']).name}: {t['skip']}")
                continue
            got = pickle.loads(t["read"])
            if got.warning:
                say(got.warning)
            report = got.report
            if report.name != r["name"]:
                report = type(report)(report.path, r["name"], report.sha256, report.meta, report.pages)
            dim = t["dim"]
            if writer is None:
                writer = IndexWriter(index_dir, model, dim, settings(), versions())
            writer.add(report, got.chunks, np.frombuffer(t["chunk_vecs"], np.float32).reshape(-1, dim),
                       got.facts, np.frombuffer(t["fact_vecs"], np.float32).reshape(-1, dim))
            writer.manifest["reports"][r["name"]]["file"] = str(Path(r["path"]).resolve())
            summary.indexed.append(r["name"])
        if writer is None:
            raise ReportQAError("Nothing to index: no readable report under the paths given")
        writer.manifest["engine"] = "ray"
        writer.commit()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    _count(summary, writer.manifest, list(writer.manifest["reports"]))
