"""Answer records: what `ask()` returns to every front end (chat, CLI, batch, tests)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Source:
    """A cited passage: which report and page, the quote, and where the number sits in it."""

    report: str  # the report's file name (its key in the index)
    title: str
    publisher: str
    date: str
    page: int
    page_label: str
    quote: str
    highlight: tuple[int, int] | None = None  # the cited number's span inside `quote`
    score: float = 0.0

    def citation(self) -> str:
        """'Title (Publisher, date), p. 3' for display."""
        bits = ", ".join(b for b in (self.publisher, self.date) if b)
        head = self.title or self.report
        page = f"p. {self.page_label or self.page}"
        return f"{head} ({bits}), {page}" if bits else f"{head}, {page}"


@dataclass(frozen=True)
class FactDetail:
    """A figure answered from one fact: which fact, of what kind (prose, table_cell, key_figure), its label."""

    fact_id: int
    fact_kind: str
    label: str


@dataclass(frozen=True)
class Update:
    """One report's figure in an answer that gives figures over time."""

    report: str
    date: str
    value: float


@dataclass(frozen=True)
class UpdatesDetail:
    """Figures over time, newest first."""

    updates: tuple[Update, ...]


@dataclass(frozen=True)
class ComputedDetail:
    """A figure computed from facts (a sum): the operation and its operands, each a cited fact's value."""

    operation: str
    operands: tuple[float, ...]


@dataclass(frozen=True)
class AggregateDetail:
    """'Which X had the most Y': the name found, the operation (argmax / argmin), how many rows were compared."""

    name: str
    operation: str
    compared: int


@dataclass(frozen=True)
class SentenceDetail:
    """A non-numeric answer: the chosen sentence's score and the kind of answer found in it (date, person...)."""

    sentence_score: float
    answer_type: str


Detail = FactDetail | UpdatesDetail | ComputedDetail | AggregateDetail | SentenceDetail


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    `text` is a short sentence with the figure as the report writes it; `figure` is that figure
    ("almost 10,000"). When `abstained` is true, `text` says the reports don't say and `sources`
    hold the closest evidence.
    """

    question: str
    text: str
    abstained: bool
    confidence: float = 0.0
    value: float | None = None
    unit: str = ""  # as written in the report ("persons", "USD")
    unit_norm: str = ""
    qualifier: str = ""
    figure: str = ""
    kind: str = ""  # expected answer kind: count, money, percent, date, duration, name, text
    sources: tuple[Source, ...] = ()  # citations, the main one first
    passages: tuple[Source, ...] = ()  # other passages consulted
    reason: str = ""  # why it abstained, or how it was computed
    assumed: str = ""  # what a follow-up took from the previous question ("about X in Y, as in ...")
    detail: Detail | None = None  # how the answer was made; None for an abstention
    latency_ms: float | None = None  # this answer's own time (`ask_many` shares a batch's time)
    asked_as: str = ""  # a follow-up: the question as answered ("How many calls in October 2020?")

    def to_dict(self) -> dict:
        """The answer as JSON-ready data; `detail` carries its type's name.

        >>> a = Answer("q", "3 kits", False, detail=ComputedDetail("sum", (1.0, 2.0)))
        >>> a.to_dict()["detail"]
        {'type': 'ComputedDetail', 'operation': 'sum', 'operands': (1.0, 2.0)}
        """
        out = asdict(self)
        if self.detail is not None:
            out["detail"] = {"type": type(self.detail).__name__, **out["detail"]}
        return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_text(text: str) -> str:
    """Text that can be tokenized, shown and written as UTF-8: a lone surrogate (a JSON "\\ud800"
    escape, undecodable bytes on a command line) becomes U+FFFD.

    >>> plain_text("How many\\ud800 kits?")
    'How many\ufffd kits?'
    """
    return _SURROGATE.sub("\ufffd", text)
