"""The records of a page's layout: `Run`s in (as pypdf reports them), `Seg`s and `Line`s while reading,
`Cell`s and `Table`s out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """One text run as pypdf reports it: text, start x, baseline y, font size (page units), and
    where it ends when the font's widths say so (else estimated from its letters)."""

    text: str
    x: float
    y: float
    size: float
    x1: float | None = None
    apart: bool = False  # drawn apart from the text before it in one run: a cell of its own


@dataclass(frozen=True)
class Seg:
    """Runs of one line close enough to be one cell."""

    text: str
    x0: float
    x1: float
    y: float
    size: float

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Line:
    y: float
    size: float
    segs: tuple[Seg, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


@dataclass(frozen=True)
class Cell:
    """One figure of a table or panel with the headers that give it its meaning."""

    text: str  # the figure as printed ("1,234", "12%")
    row: str  # row header ("Lagos", "Total") or a panel figure's label
    col: str  # column header, levels outer to inner joined by " / " ("2016 / Funded (US$)"); "" for a panel
    unit: str = ""  # a unit the headers or title give ("%", "US$", "CHF"), as written
    scale: float = 1.0  # "in '000" -> 1000
    group: str = ""  # a row group above the row ("North-West") or a panel's box title
    line: str = ""  # the row as read, cells joined by " | "


@dataclass(frozen=True)
class Table:
    """A table or panel found on a page: its title and its cells."""

    title: str
    cells: tuple[Cell, ...]
    kind: str = "table"  # "table" | "panel"
    top: int = field(default=-1, compare=False)  # index of its first (header) line, while reading
    # its header lines placed over a first row at y = 0, and its columns: what a page that goes on with
    # its rows under no header of their own is read with (`page.read_page`'s `carry`)
    head: tuple[Line, ...] = field(default=(), compare=False, repr=False)
    cols: tuple[tuple[float, float], ...] = field(default=(), compare=False, repr=False)
    # the baselines of its rows of figures: a table split by a gutter into two regions stands on the same ones
    rows_y: tuple[float, ...] = field(default=(), compare=False, repr=False)
