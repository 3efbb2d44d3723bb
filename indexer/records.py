"""The frozen records that flow through the write path: Report -> Page -> Chunk / Fact."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.unitkind import UnitKind, unit_kind


@dataclass(frozen=True)
class ReportMeta:
    """What a report is: the fields questions use to name it ("OCHA's Flash Update 5")."""

    title: str = ""
    publisher: str = ""
    date: str = ""  # ISO date "2025-11-10" when known (the report's "as of" / publication date)
    period: str = ""  # free text period when the report covers one ("October 2020", "Jan - May 2026")
    country: str = ""
    number: str = ""  # the report's own number ("5" in "Flash Update No.5"), as written
    doc_type: str = ""  # "flash update", "situation report", "country brief", ...
    url: str = ""


@dataclass(frozen=True)
class Page:
    """One page of cleaned text.

    `number` is the physical page (1-based); `label` the printed page label when the PDF defines
    one, else str(number). `offset` is where the page starts in the original file for text files
    (0 for PDF pages, whose offsets are into `text` itself). For text files the cleaning keeps
    lengths (markup becomes spaces), so `offset + i` is the position in the original file.
    """

    number: int
    text: str
    label: str = ""
    offset: int = 0
    # layout.Tables read from a PDF page's positions (None: a text page, no positions)
    tables: tuple | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Report:
    """A parsed report: its file, content hash, metadata and pages."""

    path: str  # path as given / relative to the corpus root
    name: str  # file name, the report's stable key in the index
    sha256: str
    meta: ReportMeta
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: never spans two reports. Offsets are into page texts."""

    report: str  # Report.name
    page: int  # first page
    page_end: int  # last page
    start: int  # offset in the first page's text
    end: int  # offset in the last page's text (exclusive)
    text: str  # the text that is embedded and searched
    kind: str = "text"  # "text" | "table_row"
    heading: str = ""


@dataclass(frozen=True)
class Span:
    """A piece of text as written and where it is in its page (end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """One numeric fact with its provenance.

    Offsets are into the page's text (`Page.text`); add `Page.offset` for positions in a text
    file. `value` is in base units ("1.043M" -> 1043000.0, "36%" -> 36.0). `unit_kind` (money,
    percent, people, count: `indexer.unitkind`) is made from the number and its unit whenever a fact
    is made, and stored with it: answering reads it, never the unit's text.
    """

    value: float
    text: str  # the number exactly as written
    start: int
    end: int
    page: int = 1
    report: str = ""
    value_max: float | None = None  # upper end of a range ("10 to 20")
    qualifier: Span | None = None
    unit: Span | None = None
    unit_norm: str = ""  # people, USD, percent, households, tonnes, ... or "" (a bare count)
    label: str = ""  # short phrase saying what is counted
    sentence: str = ""  # the sentence or table row it came from
    sentence_start: int = 0  # offset of `sentence` in the page text
    heading: str = ""
    sector: str = ""
    kind: str = "prose"  # "prose" | "key_figure" | "table_cell"
    row_header: str = ""
    col_header: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    unit_kind: UnitKind = field(init=False, default="count")

    def __post_init__(self) -> None:
        # derived, never passed: a fact made again with another unit (dataclasses.replace) gets its own
        object.__setattr__(self, "unit_kind", unit_kind(self.text, self.unit.text if self.unit else "", self.unit_norm))
