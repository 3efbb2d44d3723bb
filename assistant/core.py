"""The one core API: an Assistant over an index folder; ask(question, reports) -> Answer.

Every front end (web chat, CLI, batch, tests) goes through this class. The model and index load
once per process and lazily; after a rebuild of the same folder the next call sees the new index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answer import Answer

_DEFAULT: Assistant | None = None
_DEFAULT_LOCK = threading.Lock()


class Assistant:
    """Answers questions over one index folder.

    Public methods (the contract the chat, batch and CLI rely on):
    - ask(question, reports=None, previous=None) -> Answer   (previous: the conversation's earlier
      questions, oldest first, or the previous one; a follow-up inherits what it leaves out)
    - ask_many(questions, reports=None) -> list[Answer]   (questions embedded in batches)
    - explain(question, reports=None, top=5) -> list[dict]   (candidates, features, contributions)
    - list_reports() -> list[dict]   keys: name, title, publisher, date, country, pages, chunks, facts
    - list_facts(report=None, unit=None, sector=None, text=None, limit=None) -> list[dict]
    - page_text(report, page) -> str
    - add_files(paths, progress=None) -> BuildSummary   (indexes files into this index, then reloads)
    - remove_reports(names) -> BuildSummary   (a new generation without them; the rest is copied)
    - indexed_as(sha256) -> name or None   (the same bytes already indexed under some name)
    - page_preview(report, page, quote="", figure="") -> dict   (the cited page: a PNG with the figure
      boxed for a PDF, the page text with the sentence marked otherwise; indexed reports only)
    """

    def __init__(self, index_dir: str | Path | None = None, model: str | None = None):
        from assistant.engine import Engine

        self._engine = Engine(index_dir, model)

    @property
    def index_dir(self) -> Path:
        return self._engine.index_dir

    def ask(self, question: str, reports: Sequence[str] | None = None,
            previous: str | Sequence[str] | None = None) -> Answer:
        return self._engine.ask(question, reports, previous)

    def ask_many(self, questions: Sequence[str], reports: Sequence[str] | None = None) -> list[Answer]:
        return self._engine.ask_many(questions, reports)

    def explain(self, question: str, reports: Sequence[str] | None = None, top: int = 5) -> list[dict]:
        """The top candidate facts with each feature and its contribution to the score."""
        return self._engine.explain(question, reports, top)

    def list_reports(self) -> list[dict]:
        return self._engine.list_reports()

    def list_facts(self, report: str | None = None, unit: str | None = None, sector: str | None = None,
                   text: str | None = None, limit: int | None = None) -> list[dict]:
        return self._engine.list_facts(report=report, unit=unit, sector=sector, text=text, limit=limit)

    def page_text(self, report: str, page: int) -> str:
        return self._engine.page_text(report, page)

    def add_files(self, paths: Sequence[str | Path], progress: Callable[[float, str], None] | None = None):
        return self._engine.add_files(paths, progress)

    def remove_reports(self, names: Sequence[str]):
        return self._engine.remove_reports(names)

    def indexed_as(self, sha256: str) -> str | None:
        return self._engine.indexed_as(sha256)

    def page_preview(self, report: str, page: int, quote: str = "", figure: str = "") -> dict:
        return self._engine.page_preview(report, page, quote, figure)

    def warm(self) -> None:
        """Load the model and index now (the first question would otherwise pay for it)."""
        self._engine.warm()


def default_assistant() -> Assistant:
    """The process-wide assistant over the default index (REPORTQA_INDEX or ./index)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Assistant()
        return _DEFAULT


def ask(question: str, reports: Sequence[str] | None = None) -> Answer:
    """Answer one question over the default index."""
    return default_assistant().ask(question, reports)
