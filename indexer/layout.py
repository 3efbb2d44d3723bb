"""Positioned text runs of one PDF page -> tables (cells with row and column headers) and key-figure panels.

pypdf's text loses the columns of a table; the runs its `visitor_text` reports keep their place on
the page. From them: lines (runs on one baseline), segments (runs close enough to read as one cell),
tables (blocks of lines whose numbers line up in columns, with the header lines above them: a header
over one column names it, one over several spans them, wrapped header lines join), and panels (a
figure with a short label just above or below it, boxes side by side). A cell is only given headers
it certainly has: a number that does not sit in one column under a header, or a column whose header
is ambiguous, gives no cell (no fact beats a mislabelled one).

>>> runs = [Run("Region", 50, 700, 10), Run("Cases", 200, 700, 10), Run("Deaths", 300, 700, 10),
...         Run("North", 50, 686, 10), Run("1,234", 200, 686, 10), Run("12", 300, 686, 10),
...         Run("South", 50, 672, 10), Run("567", 200, 672, 10), Run("3", 300, 672, 10)]
>>> [(c.row, c.col, c.text) for c in read_page(runs)[0].cells]
[('North', 'Cases', '1,234'), ('North', 'Deaths', '12'), ('South', 'Cases', '567'), ('South', 'Deaths', '3')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.numbers import NUMBER_RE

# Average glyph widths in em (Helvetica's): pypdf does not report where a run ends.
_NARROW = set(" ,.:;'!|()[]ijlrtfI-")
_WIDE = set("%MWmw@")


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


# --- lines and segments ---------------------------------------------------------------------------


def _width(text: str, size: float) -> float:
    em = 0.0
    for ch in text:
        if ch.isdigit():
            em += 0.556
        elif ch in _NARROW:
            em += 0.278
        elif ch in _WIDE:
            em += 0.86
        elif ch.isupper():
            em += 0.667
        else:
            em += 0.5
    return em * size


@dataclass(frozen=True)
class Line:
    y: float
    size: float
    segs: tuple[Seg, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


def lines_of(runs: list[Run]) -> list[Line]:
    """Runs grouped into lines (top to bottom), each line's runs merged into segments (left to right)."""
    return _lines([s for g in _by_baseline(runs) for s in _segments(g)])


def _by_baseline(items: list) -> list[list]:
    """Items (runs or segments: anything with x, y and size) grouped by baseline, top to bottom."""
    items = sorted((r for r in items if r.text.strip()), key=lambda r: (-r.y, _x(r)))
    groups: list[list] = []
    for r in items:
        g = groups[-1] if groups else None
        if g and abs(g[0].y - r.y) <= 0.35 * max(min(g[0].size, r.size), 1.0):
            g.append(r)
        else:
            groups.append([r])
    return groups


def _x(item) -> float:
    return item.x0 if isinstance(item, Seg) else item.x


def _segments(g: list[Run]) -> list[Seg]:
    """One line's runs merged into segments (runs close enough to read as one cell), left to right."""
    g = sorted(g, key=lambda r: r.x)
    segs: list[Seg] = []
    guess = 0.0  # where the last segment ends by the estimate
    for r in g:
        text = " ".join(r.text.split())
        x0 = r.x + _width(r.text[: len(r.text) - len(r.text.lstrip())], r.size)
        x1 = est = x0 + _width(text, r.size)
        if r.x1 is not None and 0.6 * (est - x0) <= r.x1 - x0 <= 1.6 * (est - x0):
            x1 = r.x1  # the font's own widths, when they look like a width
        prev = segs[-1] if segs else None
        # a gap under ~0.8 em is a space between words; a column gap is wider. The gap is the
        # wider of the measured and the estimated one: two runs drawn apart whose measured gap is
        # a word space are still two header cells when their letters read wider apart
        gap = x0 - min(prev.x1, guess) if prev is not None else 0.0
        figures = prev is not None and (prev.text[-1:].isdigit() or prev.text.endswith("%")) and \
            (text[:1].isdigit() or text[:1] in "$€£")
        # strings that touch are one word whatever drew them ("202" "5" is 2025)
        touch = prev is not None and r.x1 is not None and abs(x0 - prev.x1) < 0.1 * min(prev.size, r.size)
        if prev is not None and (touch or not r.apart and gap < (0.15 if figures else 0.8) * min(prev.size, r.size)):
            sep = "" if x0 - prev.x1 < 0.1 * r.size and not r.text[:1].isspace() else " "
            segs[-1] = Seg(prev.text + sep + text, prev.x0, max(prev.x1, x1), prev.y, max(prev.size, r.size))
            guess = max(guess, est)
        else:
            segs.append(Seg(text, x0, x1, r.y, r.size))
            guess = est
    return [p for s in segs for p in _split_glued_all(s)]


def _lines(segs: list[Seg]) -> list[Line]:
    """Segments grouped into lines. A line's size is the size most of its letters are set in (a
    footnote mark or a big figure beside a row does not make the row another type size). A line
    of figures only that sits less than ~2/3 em off the line above and beside (never under) its
    segments, or the line above of figures only, is the same row drawn on a loose baseline (a label
    centred in a tall cell, its figures not)."""
    out: list[Line] = []
    for g in _by_baseline(segs):
        g.sort(key=lambda s: s.x0)
        prev = out[-1] if out else None
        if prev is not None and prev.y - g[0].y <= 0.65 * min(prev.size, _size(g)) \
                and (all(_is_value(s.text) for s in g) or all(_is_value(s.text) for s in prev.segs)) \
                and not any(s.x0 < p.x1 and p.x0 < s.x1 for s in g for p in prev.segs):
            g = sorted([*prev.segs, *g], key=lambda s: s.x0)
            out[-1] = Line(prev.y, _size(g), tuple(g))
            continue
        out.append(Line(g[0].y, _size(g), tuple(g)))
    return out


def _size(segs) -> float:
    weight: dict[float, int] = {}
    for s in segs:
        weight[s.size] = weight.get(s.size, 0) + len(s.text)
    return max(weight, key=lambda k: (weight[k], k))


_GLUED = re.compile(r"^(?P<label>.*[A-Za-z)][^\d]*?)\s*(?P<num>(?:[$€£]\s?)?\d[\d,.'’\u202f ]*\d%?|\d%?)$")


def _split_glued_all(seg: Seg) -> list[Seg]:
    """"Treatment 571" or "Treatment571" read as one segment: the label and the figure, when the
    figure is a whole number form (a label may not end in a letter glued to a digit like "COVID19")."""
    m = _GLUED.match(seg.text)
    if not m or not is_number(m["num"]):
        return [seg]
    label = m["label"].rstrip()
    if not label or re.search(r"[A-Za-z]\d*$", label) is None or len(label) < 2:
        return [seg]
    if re.search(r"(?i)(?:covid|week|wk|epi|phase|camp|no\.?|round|q[1-4]?|h[12]|sdg)$", label):
        return [seg]
    if re.fullmatch(r"\d", m["num"].strip()) and re.fullmatch(r"[A-Za-z]+", label):
        return [seg]  # one word and one digit is a name ("Grade 2", "Protracted 2", "Level 3"), not a count
    num = m["num"].strip()
    w = _width(num, seg.size)
    return [Seg(label, seg.x0, max(seg.x0, seg.x1 - w - 0.3 * seg.size), seg.y, seg.size),
            Seg(num, seg.x1 - w, seg.x1, seg.y, seg.size)]


# --- what a cell holds ------------------------------------------------------------------------------

_EMPTY = {"-", "–", "—", "n/a", "N/A", "NA", "na", "..", "…", "nil", "Nil"}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a row label without letters that still names a row: a range or bound ("0-14", "45 - 54", "> 64", "65+")
_RANGE = re.compile(r"^\(?(?:[<>≤≥]=?\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*[-–]\s*\d+(?:\.\d+)?|\d+\s*\+)\)?"
                    r"(?:\s*(?:yrs?|years?|months?))?$", re.I)


def is_range(text: str) -> bool:
    """A label naming a range of values rather than a figure.

    >>> [is_range(t) for t in ("0-14", "45 - 54", "> 64", "65+", "<5 years", "1,234", "12", "2-3%")]
    [True, True, True, True, True, False, False, False]
    """
    return bool(_RANGE.match(text.strip()))


def is_number(text: str) -> bool:
    """A cell holding one figure: "1,234", "12.5%", "US$ 4.5M", "(23)", "4 571"."""
    t = text.strip().strip("*").strip()
    t = re.sub(r"^\(([^()]*)\)$", r"\1", t)
    t = re.sub(r"^(?:US\$|USD|CHF|EUR|\$|€|£)\s?", "", t)
    if not t or not t[0].isdigit() and t[0] not in ".-+−":
        return False
    t = re.sub(r"^[+\-−]\s?(?=\d)", "", t)  # a sign, set apart or not ("- 660", "-2,199")
    m = NUMBER_RE.match(t)
    return bool(m) and m.end() == len(t) and not m.group("words")


def _is_value(text: str) -> bool:
    return is_number(text) or text.strip() in _EMPTY


# --- tables ----------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: Line
    labels: list[Seg]
    values: list[Seg]


def _as_row(line: Line) -> _Row | None:
    """A line as a table row: label segments, then value segments (a glyph like an arrow between
    values is skipped). None when text follows the figures or there are no figures."""
    labels: list[Seg] = []
    values: list[Seg] = []
    for s in line.segs:
        if _is_value(s.text):
            values.append(s)
        elif values:
            if len(s.text) <= 3 and not any(c.isdigit() for c in s.text):
                continue  # trend arrows drawn with a symbol font
            break  # text after the figures (a note column): the row ends there
        else:
            labels.append(s)
    if not values or not any(is_number(v.text) for v in values):
        return None
    if not labels and all(_YEAR.match(v.text) or re.fullmatch(r"\d{1,2}", v.text) for v in values):
        return None  # years on their own: part of a label ("2021 / Cumulative") or a header ("2016  2017")
    if sum(len(s.text) for s in labels) > 120:
        return None
    return _Row(line, labels, values)


def _columns(rows: list[_Row]) -> list[tuple[float, float]] | None:
    """Column intervals from the value segments of the rows (overlapping segments share a column),
    or None when two values of one row fall in one column."""
    spans = sorted((v.x0, v.x1) for r in rows for v in r.values)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 0.5:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    out = [(a, b) for a, b in cols]
    for r in rows:
        hit = [_col_of(v, out) for v in r.values]
        if len(set(hit)) != len(hit):
            return None
    return out


def _col_of(seg: Seg, cols: list[tuple[float, float]]) -> int:
    for k, (a, b) in enumerate(cols):
        if seg.x0 < b + 0.5 and seg.x1 > a - 0.5:
            return k
    return -1


def _bands(lines: list[Line]) -> list[float]:
    """Where tables standing side by side begin: the x of a label that follows figures on its line,
    found at the same place (within 1 em) on at least two lines, unless more rows have figures running
    on across that place than lines show it (one table's rows: the labels were a form's fields above
    it, "Timeframe: 26 Aug 17   Subsector:")."""
    starts: list[float] = []
    for ln in lines:
        seen_value = False
        for s in ln.segs:
            if _is_value(s.text):
                seen_value = True
            elif seen_value and (len(s.text) > 3 and re.search(r"[A-Za-z]{3}", s.text) or is_range(s.text)):
                starts.append(s.x0)
                seen_value = False
    starts.sort()
    out: list[float] = []
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] - starts[i] < 10.0:
            j += 1
        if j > i and _through(lines, starts[i] - 2.0) <= j - i + 1:
            out.append(starts[i] - 2.0)
        i = j + 1
    return out


def _through(lines: list[Line], x: float) -> int:
    """Rows whose figures run on across x: the nearest segments on both sides are figures."""
    n = 0
    for ln in lines:
        left = [s for s in ln.segs if s.x1 <= x]
        right = [s for s in ln.segs if s.x0 >= x]
        if left and right and len(left) + len(right) == len(ln.segs) \
                and is_number(left[-1].text) and is_number(right[0].text):
            n += 1
    return n


def _band_lines(lines: list[Line], lo: float, hi: float) -> list[Line]:
    out = []
    for ln in lines:
        segs = tuple(s for s in ln.segs if lo <= s.x0 < hi)
        if segs:
            out.append(Line(ln.y, max(s.size for s in segs), segs))
    return out


def read_page(runs: list[Run]) -> list[Table]:
    """Tables and panels of one page: read one region at a time (blocks of text standing side by
    side on their own baselines), and within a region, tables side by side one band at a time."""
    return [t for region in _regions(lines_of(runs)) for t in _read_region(region)]


def _read_region(lines: list[Line]) -> list[Table]:
    cuts = _bands(lines)
    if not cuts:
        return _read_lines(lines)
    tables: list[Table] = []
    edges = [-1e9, *cuts, 1e9]
    for lo, hi in zip(edges, edges[1:], strict=False):
        tables.extend(t for t in _read_lines(_band_lines(lines, lo, hi)) if t.kind == "table")
    taken = {(c.text, c.row) for t in tables for c in t.cells}
    panels = [t for t in _read_lines(lines) if t.kind == "panel"]
    for t in panels:
        cells = tuple(c for c in t.cells if (c.text, c.row) not in taken)
        if cells:
            tables.append(Table(t.title, cells, "panel"))
    return tables


def _regions(lines: list[Line], depth: int = 0) -> list[list[Line]]:
    """The page's lines as regions read apart: where a gutter runs down a stretch of lines (no
    segment crosses it) with text on both sides whose baselines mostly differ (a text column beside
    a table, tables of other row heights side by side), each side's segments make lines of their own.
    A table's own columns share their rows' baselines, so a gap between them is never such a gutter."""
    if depth > 4 or len(lines) < 6:
        return [lines] if lines else []
    xs = sorted(s.x0 for ln in lines for s in ln.segs)
    cands: list[float] = []
    i = 0
    while i < len(xs):  # left edges shared by 4+ segments: where a column of text starts
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[i] < 2.0:
            j += 1
        if j - i >= 3:
            cands.append(xs[i] - 1.0)
        i = j + 1
    for c in cands:
        i = 0
        while i < len(lines):
            j, left, right, both = i, 0, 0, 0
            while j < len(lines) and not any(s.x0 < c < s.x1 for s in lines[j].segs):
                lft = any(s.x1 <= c for s in lines[j].segs)
                rgt = any(s.x0 >= c for s in lines[j].segs)
                left, right, both = left + lft, right + rgt, both + (lft and rgt)
                j += 1
            # the column's own left edge must be in the stretch (4 segments starting there), and the
            # stretch long enough on both sides that a table's header beside a caption is no gutter
            starts = sum(abs(s.x0 - c - 1.0) < 2.0 for ln in lines[i:j] for s in ln.segs)
            if j - i >= 8 and min(left, right) >= 4 and both <= 0.5 * min(left, right) and starts >= 4:
                lo = [s for ln in lines[i:j] for s in ln.segs if s.x1 <= c]
                hi = [s for ln in lines[i:j] for s in ln.segs if s.x0 >= c]
                return [*_regions(lines[:i], depth + 1), *_regions(_lines(lo), depth + 1),
                        *_regions(_lines(hi), depth + 1), *_regions(lines[j:], depth + 1)]
            i = j + 1
    return [lines]


def _read_lines(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        block = _block(lines, i)
        if block is None:
            i += 1
            continue
        first, last = block
        table = _table(lines, first, last)
        if table is not None and table.cells:
            tables.append(table)
            used.update(range(min(first, table.top if table.top >= 0 else first), last + 1))
            i = last + 1
        else:
            i += 1
    tables.extend(_panels(lines, used))
    return tables


def _block(lines: list[Line], i: int) -> tuple[int, int] | None:
    """The lines [i, j] of a table body starting at line i: rows whose figures line up, with label-only
    lines in between (row groups, wrapped labels): two, or more within 4 lines' height of the last row."""
    row = _as_row(lines[i])
    if row is None:
        return None
    rows = [row]
    last = i
    j = i + 1
    gap = None
    while j < len(lines):
        step = lines[j - 1].y - lines[j].y
        limit = 3.2 * max(lines[j].size, lines[j - 1].size) if gap is None else max(2.6 * gap, 2.4 * lines[j].size)
        if step > limit and not (gap is None and step <= 4.5 * lines[j].size and _evenly(lines, j, step)):
            break  # (tall rows evenly spaced are rows still: a table with room around its figures)
        r = _as_row(lines[j])
        if r is not None and abs(lines[j].size - lines[i].size) > 0.25 * lines[i].size:
            break  # another type size: a key figure or a chart below the table
        if r is not None:
            if _crosses(rows, r):
                break  # figures under the labels above, or a label over their figures: another table
            if _columns([*rows, r]) is None or len(_columns([*rows, r])) > max(len(x.values) for x in [*rows, r]) + 1:
                break
            rows.append(r)
            gap = lines[last].y - lines[j].y if gap is None else min(gap, lines[last].y - lines[j].y)
            last = j
        elif j - last > 2 and lines[last].y - lines[j].y > 4.0 * lines[last].size or len(lines[j].text) > 80 \
                or _TITLE.match(lines[j].text):
            break  # label lines between rows: a label over three lines, groups; not a caption or a paragraph
        j += 1
    cols = _columns(rows)
    if cols is None:
        return None
    width = max(len(r.values) for r in rows)
    if len(rows) >= 2 and width >= 2 or len(rows) >= 3 and width >= 1:
        return i, last
    return None


def _crosses(rows: list[_Row], r: _Row) -> bool:
    """Whether row r's figures sit under the labels of the rows above, or its labels over their figures."""
    def over(a: list[Seg], b: list[Seg]) -> bool:
        return any(x.x0 < y.x1 - 1.0 and y.x0 < x.x1 - 1.0 for x in a for y in b)

    return any(over(r.values, q.labels) or over(r.labels, q.values) for q in rows)


def _evenly(lines: list[Line], j: int, step: float) -> bool:
    """Whether the rows at j and after it follow at the same pitch as `step` (within 15%)."""
    if j + 1 >= len(lines) or _as_row(lines[j]) is None or _as_row(lines[j + 1]) is None:
        return False
    return abs((lines[j].y - lines[j + 1].y) - step) <= 0.15 * step


_UNIT = re.compile(
    r"\((?P<u>US\s?\$|USD|CHF|EUR|€|\$|%|MT|mt|tonnes|Mt|people|persons|HH|households|cases)\)"
    r"|(?P<pct>%|\bper\s?cent\b)|\b(?P<cur>US\$|USD|CHF|EUR)\b"
)
_SCALE = re.compile(r"(?i)\(?in\s*(?:'000|’000|000s|thousands)\)?|\('000\)|\((?:US\$\s?)?(?P<m>millions?|m)\)")
_TITLE = re.compile(r"(?i)^(?:table|tab\.|annex|figure|fig\.)\s*\d*")


def _table(lines: list[Line], first: int, last: int) -> Table | None:
    body = [(k, _as_row(lines[k])) for k in range(first, last + 1)]
    rows = [r for _, r in body if r is not None]
    cols = _columns(rows)
    if cols is None:
        return None
    left = min(c[0] for c in cols)
    # a row's label must end left of the first column: a label reaching into it is a layout we misread
    for k, r in body:
        if r is not None and r.labels and r.labels[-1].x1 > left + 1.0 and _col_of(r.labels[-1], cols) >= 0:
            if k == first:
                return None
            return _table(lines, first, k - 1)
    size = max(lines[k].size for k in range(first, last + 1))
    ys = [lines[k].y for k in range(first, last + 1) if _as_row(lines[k]) is not None]
    pitch = min((a - b for a, b in zip(ys, ys[1:], strict=False)), default=0.0)
    found = _header(lines, first, cols, size, [r.labels[0].x0 for r in rows if r.labels], pitch)
    if found is None:
        return None
    header, top, pre = found
    title = _title(lines, top, last, size)
    edge = max((r.labels[-1].x1 for r in rows if r.labels), default=left)
    names = _column_names(header, cols, edge)
    if names is None:
        return None
    # a list of labels and figures with no header over its one column: each figure is named by its label
    # (a paragraph further above than a header would stand is no header)
    listing = not header and len(cols) == 1 and not any(
        s.x0 < cols[0][1] and cols[0][0] < s.x1 for k in range(max(0, top - 3), top) for s in lines[k].segs
        if lines[k].y - lines[top].y < 3.0 * max(size, lines[k].size))
    table_unit, table_scale = _unit_of(title)
    labels = _row_labels(lines, pre, first, last, left)
    cells: list[Cell] = []
    for k in range(first, last + 1):
        r = _as_row(lines[k])
        if r is None or k not in labels:
            continue
        label, group = labels[k]
        loose = re.findall(r"\d+", re.sub(r"\([^()]*\)|\b(?:19|20)\d\d\b", "", label))  # not "(week 1-5)", "2021"
        if not (re.search(r"[A-Za-z]", label) or is_range(label)) or len(loose) > 2:
            continue  # no label, or figures read as one: a row we cannot name
        row_text = " | ".join(s.text for s in lines[k].segs)
        for v in r.values:
            if not is_number(v.text):
                continue
            c = _col_of(v, cols)
            if c < 0 or not names[c] and not listing:
                continue
            unit, scale = _unit_of(names[c])
            if not unit:
                unit, scale = table_unit, table_scale
            if scale == 1.0 and table_scale != 1.0:
                scale = table_scale
            cells.append(Cell(v.text, label, names[c], unit, scale, group, row_text))
    return Table(title, tuple(cells), top=top)


def _row_labels(lines: list[Line], pre: list[int], first: int, last: int, left: float) -> dict[int, tuple[str, str]]:
    """Row k -> (row header, group). A label-only line belongs to the nearest figures row when that
    row has no label of its own (a label centred on two lines, figures on one), or is a wrapped part
    of a labelled row's when it sits within about a line of it and clearly nearer to it than to any
    other; otherwise it names a group of the rows below it ("Contact tracing")."""
    rows = {k: r for k in range(first, last + 1) if (r := _as_row(lines[k])) is not None}
    order = sorted(rows)
    parts: dict[int, list[tuple[float, str]]] = {}
    groups: dict[int, str] = {}
    for k in order:
        own, outer = _row_label(rows[k].labels) if rows[k].labels else ("", "")
        parts[k] = [(lines[k].y, own)] if own else []
        if outer:
            groups[k] = outer
    group_at: list[tuple[int, str]] = []  # (line, group text) in order
    for k in [*pre, *range(first, last + 1)]:
        if k in rows or not lines[k].segs or lines[k].segs[0].x0 >= left - 1.0:
            continue  # a figures row, or a stray line among the columns
        first_only = not any(_is_value(o.text) for o in lines[k].segs)  # a label reaching over the columns
        text = " ".join(s.text for s in lines[k].segs
                        if s.x1 < left + 1.0 or first_only and s is lines[k].segs[0] and s.x0 < left - s.size)
        if not text:
            continue
        y = lines[k].y
        above = [j for j in order if j < k]
        below = [j for j in order if j > k]
        a = above[-1] if above else None
        b = below[0] if below else None
        da = lines[a].y - y if a is not None else 1e9
        db = y - lines[b].y if b is not None else 1e9
        near, dn, df = (a, da, db) if da < db else (b, db, da)
        size = lines[k].size
        other = (a if near == b else b) if a is not None and b is not None else None
        if near is not None and not rows[near].labels and (other is None or dn <= df or rows[other].labels):
            parts[near].append((y, text))
        elif near is not None and rows[near].labels and dn <= 1.3 * size and dn < 0.7 * df:
            parts[near].append((y, text))
        else:
            group_at.append((k, text))
    # a label centred on the last row over three lines: its last line is below the table's last row
    k = order[-1]
    above = [y for y, _ in parts[k][1:] if y > lines[k].y]
    if above and last + 1 < len(lines) and lines[last + 1].segs and _as_row(lines[last + 1]) is None:
        ln = lines[last + 1]
        text = " ".join(s.text for s in ln.segs if s.x1 < left + 1.0)
        if text and len(text) == len(ln.text) and abs((lines[k].y - ln.y) - (min(above) - lines[k].y)) < 0.3 * ln.size:
            parts[k].append((ln.y, text))
    out: dict[int, tuple[str, str]] = {}
    for k in order:
        label = " ".join(t for _, t in sorted(parts[k], key=lambda p: -p[0]))
        group = groups.get(k) or next((g for j, g in reversed(group_at) if j < k), "")
        out[k] = (label, group)
    return out


def _row_label(labels: list[Seg]) -> tuple[str, str]:
    """The row header (the innermost label column) and the outer levels before it ("Ha Tinh" |
    "Ky Long"); label pieces closer than 1.5 em are one label."""
    parts: list[list[Seg]] = [[labels[0]]]
    for s in labels[1:]:
        if s.x0 - parts[-1][-1].x1 < 1.5 * s.size:
            parts[-1].append(s)
        else:
            parts.append([s])
    texts = [" ".join(s.text for s in p) for p in parts]
    texts = [t for t in texts if len(t.strip()) > 1]  # a tick ("x") in a plan's calendar
    if not texts:
        return "", ""
    return texts[-1], " ".join(texts[:-1])


def _header(lines: list[Line], first: int, cols: list[tuple[float, float]], size: float,
            starts: list[float], pitch: float = 0.0) -> tuple[list[Line], int, list[int]] | None:
    """Header lines above a table body (top to bottom) and the index of the topmost: short pieces
    of text over the columns, tightly spaced. A caption ("Table 2: ..."), a sentence, or text
    running from the row labels' side into the columns ends the header. None when the header goes
    on higher than we read."""
    out: list[Line] = []
    k = first - 1
    below = lines[first].y
    top = first
    skipped = 0
    pre: list[int] = []
    left = cols[0][0]
    start = min(starts, default=left)
    while k >= 0:
        ln = lines[k]
        limit = 3.0 if not out else 1.9
        if ln.y - below > limit * max(size, ln.size) and (out or ln.y - below > 1.2 * pitch):
            break  # (the first header line may stand as far above the rows as they stand apart)
        # five header lines, or more within 8 lines' height (staggered headers of 1-4 lines); a header
        # going on above that is one we cannot read whole, and part of a name is a wrong name
        if len(out) >= 10 or len(out) >= 5 and ln.y - lines[first].y > 10.0 * size:
            if any(s.x1 > left for s in ln.segs) and not any(is_number(s.text) for s in ln.segs):
                return None
            break
        texts = [s for s in ln.segs if not _YEAR.match(s.text) and not re.fullmatch(r"\d{1,2}", s.text)]
        if any(is_number(s.text) for s in texts) or _TITLE.match(ln.text):
            break
        if ln.size > 1.6 * max([size, *(h.size for h in out)]) or out and len(ln.segs) == 1 \
                and ln.size > 1.3 * out[0].size and len(re.findall(r"[A-Za-z]{2,}", ln.text)) >= 4:
            break  # set much larger than the table, or one line larger than the header below it: a caption
        if any(len(s.text) > 60 or s.text.endswith(".") and len(s.text) > 25 for s in ln.segs):
            break  # a paragraph
        if not out and ln.segs and all(s.x0 < left - 1.0 * s.size and any(abs(s.x0 - x) < s.size for x in starts)
                                       for s in ln.segs) \
                and below - ln.y < 1.5 * max(size, ln.size):
            # text starting where the row labels start, just above the first row: the first line of its label
            # ("CAMP COORDINATION AND" over "MANAGEMENT  11,560,000"), however far it reaches
            pre.append(k)
            skipped += 1
            if skipped > 1:
                break
            below = ln.y
            k -= 1
            continue
        if any(s.x0 < start + 1.0 * s.size and s.x1 > left + 1.0 * s.size for s in ln.segs):
            break  # runs from the labels' side into the columns: a title or a sentence
        # over the columns; text beyond the last one is a text column's ("State(s): 3"), not a header
        right = [s for s in ln.segs if s.x1 > left - 2.0 and s.x0 < cols[-1][1] + 1.0 * s.size]
        if not right:  # only a label on the left: the first row's label, the row headers' name, or a title
            if not out:
                pre.append(k)
            skipped += 1
            if skipped > 1:
                break
            if out:
                below = ln.y  # the row headers' name among the header lines: the header goes on above it
            k -= 1
            continue
        out.insert(0, ln)
        below = ln.y
        top = k
        k -= 1
    return out, top, sorted(pre)


def _title(lines: list[Line], top: int, bottom: int, size: float) -> str:
    """The caption: a line saying "Table ..." just above (or else just below) the table, or else
    the nearest line above."""
    for k in [*range(top - 1, max(-1, top - 4), -1), *range(bottom + 1, min(len(lines), bottom + 3))]:
        text = lines[k].text.strip()
        if _TITLE.match(text):
            return text
    if top > 0 and lines[top - 1].y - lines[top].y < 3.0 * max(size, lines[top - 1].size) \
            and len(lines[top - 1].text) < 150:
        return lines[top - 1].text.strip()
    return ""


def _columns_under(s: Seg, cols: list[tuple[float, float]], edge: float, others: tuple[Seg, ...] = ()) -> list[int]:
    """The columns a header segment names: those whose middle it covers; else the one it overlaps;
    else the nearest one when the segment sits in the gap just left of it (a left-aligned header
    over right-aligned figures), unless another header piece (of `others`) stands over that column
    and not over this one: then this one heads a column without figures. `edge` is where the row
    labels end."""
    tol = 0.3 * s.size
    over = [c for c, (a, b) in enumerate(cols) if s.x0 - tol <= (a + b) / 2 <= s.x1 + tol]
    if over:
        return over
    over = [c for c, (a, b) in enumerate(cols) if s.x0 < b and s.x1 > a]
    if len(over) == 1:
        return over
    if over:
        return []
    for c, (a, b) in enumerate(cols):
        if s.x1 <= a:
            prev_end = cols[c - 1][1] if c else edge
            if s.x0 >= prev_end and a - s.x1 < s.x0 - prev_end:
                owners = [o for o in others if o is not s and o.x0 < b and o.x1 > a]
                if owners and not any(o.x0 < s.x1 and o.x1 > s.x0 for o in owners):
                    return []
                return [c]
            return []
    return []


_CODE = re.compile(r"^\(?[A-H]\)?(?:\s*[-+=/x*]\s*\(?[A-H]\)?)*$")  # a budget's column codes: "A", "B", "A - B"


def _column_names(header: list[Line], cols: list[tuple[float, float]], edge: float) -> list[str] | None:
    """One name per column: header segments stacked over the column, a segment over several
    columns an outer level. A column whose header is unclear gets "" (its cells are not kept)."""
    levels: list[list[str]] = [[] for _ in cols]  # per column: levels, outer first
    wrap: list[bool] = [False] * len(cols)  # last header piece of this column was single-column text
    placed: list[tuple[float, list[int]]] = []  # (x0, columns) of the pieces placed so far
    mids = [(a + b) / 2 for a, b in cols]
    header = [Line(ln.y, ln.size, kept) for ln in header
              if (kept := tuple(s for s in ln.segs if not _CODE.match(s.text)))]
    every = tuple(s for ln in header for s in ln.segs)
    for li, ln in enumerate(header):
        pieces: list[tuple[Seg, list[int]]] = []
        for si, s in enumerate(ln.segs):
            if s.x1 <= edge + 0.5 * s.size and s.x1 < cols[0][0]:
                continue  # the row headers' own name ("State", "Sector")
            over = _columns_under(s, cols, edge, every)
            if len(over) == 1 and li < len(header) - 1:
                # an outer header centred over the gap between two columns spans both ("2025" over
                # "Week 30  Week 31"), though it covers only one's middle
                mid = (s.x0 + s.x1) / 2
                for c in (over[0] - 1, over[0]):
                    if 0 <= c < len(cols) - 1 and s.x1 - s.x0 < mids[c + 1] - mids[c] \
                            and s.x0 <= cols[c][1] + 0.3 * s.size and s.x1 >= cols[c + 1][0] - 0.3 * s.size \
                            and abs(mid - (mids[c] + mids[c + 1]) / 2) < 0.2 * (mids[c + 1] - mids[c]):
                        over = [c, c + 1]
            if not over:  # the next line of a left-aligned header above
                over = next((c for x0, c in reversed(placed) if abs(x0 - s.x0) < 0.5 * s.size), [])
            if not over and li < len(header) - 1:
                # a short outer header ("2016") centred over the columns it spans: it reaches halfway
                # to its neighbours on its line, and at most 5 em beyond itself
                lo = (ln.segs[si - 1].x1 + s.x0) / 2 if si else s.x0 - 3 * s.size
                hi = (s.x1 + ln.segs[si + 1].x0) / 2 if si + 1 < len(ln.segs) else s.x1 + 3 * s.size
                lo, hi = max(lo, s.x0 - 5 * s.size, edge), min(hi, s.x1 + 5 * s.size)
                over = [c for c, m in enumerate(mids) if lo <= m <= hi]
                if len(over) < 2:
                    over = []
            if over:
                pieces.append((s, over))
                placed.append((s.x0, over))
        # a line with a header over several columns is a level of its own: its other pieces too
        level_line = any(len(over) > 1 for _, over in pieces)
        for s, over in pieces:
            if len(over) == 1 and not level_line:
                c = over[0]
                if wrap[c] and levels[c]:
                    levels[c][-1] += " " + s.text
                else:
                    levels[c].append(s.text)
                wrap[c] = True
            else:
                if any(wrap[c] for c in over) and not all(wrap[c] for c in over):
                    return None  # a spanning header below a column's own: a layout we misread
                for c in over:
                    levels[c].append(s.text)
                    wrap[c] = False
    names = [" / ".join(x.strip() for x in lv if x.strip()) for lv in levels]
    # a name needs a word ("A", "A - B" are a budget's column codes; "No" counts) or a year
    return [n if re.search(r"[A-Za-z]{3}|[A-Z][a-z]\b|%|(?:19|20)\d\d", n) and not re.search(r"\d+%?\s*,", n)
            and not any(len(d) >= 3 and not _YEAR.match(d) for d in re.findall(r"\d[\d,.]*", n)) else ""
            for n in names]


def _unit_of(text: str) -> tuple[str, float]:
    unit = ""
    m = _UNIT.search(text)
    if m:
        unit = (m["u"] or m["pct"] or m["cur"] or "").replace(" ", "")
        if unit.lower() in ("per cent", "percent"):
            unit = "%"
    scale = 1.0
    s = _SCALE.search(text)
    if s:
        scale = 1e6 if s["m"] else 1e3
    return unit, scale


# --- panels ----------------------------------------------------------------------------------------


def _panels(lines: list[Line], used: set[int]) -> list[Table]:
    """Key figures: a figure alone in its place with a short label just below or just above it that
    overlaps it horizontally, or a label alone before it on its line. In a stack of labels and
    figures the stack's ends say which way its labels read: a stack that starts with a label and
    ends with a figure has its labels above the figures; one that starts with a figure, below."""
    cells: list[Cell] = []
    for k, ln in enumerate(lines):
        if k in used or _axis(ln):
            continue
        for s in ln.segs:
            fig = _panel_figure(s.text)
            if not fig or not _alone(ln, s):
                continue
            edge = k in (0, len(lines) - 1) and re.fullmatch(r"\d{1,3}", fig)  # a page number
            label = _panel_label(lines, k, s, used) or ("" if edge else _beside(ln, s))
            if label.lower() in _BARE or not _clean_label(label):
                continue
            if label:
                cells.append(Cell(fig, label, "", line=s.text))
    return [Table("", tuple(cells), "panel")] if cells else []


_TRAILER = re.compile(r"^(?P<num>[^()]+?)\s*(?:\([^()]*\)|\*)$")  # "405,916 (2,569)", "11,622 (Total)", "216*"


def _panel_figure(text: str) -> str:
    """The figure a panel item shows ("405,916" of "405,916 (2,569)"); "" for a year or no figure."""
    t = text.strip()
    if not is_number(t):
        m = _TRAILER.match(t)
        if not m or not is_number(m["num"]):
            return ""
        t = m["num"]
    return "" if _YEAR.match(t.strip("*")) else t


def _axis(ln: Line) -> bool:
    """A chart's axis: four or more figures on a line, evenly stepped (0K 20K 40K 60K)."""
    vals = []
    for s in ln.segs:
        nums = NUMBER_RE.findall(s.text) if is_number(s.text) else []
        if nums:
            try:
                vals.append(float(re.sub(r"[^\d.]", "", s.text.replace(",", "")) or "nan"))
            except ValueError:
                return False
    if len(vals) < 4:
        return False
    steps = {round(b - a, 6) for a, b in zip(vals, vals[1:], strict=False)}
    return len(steps) == 1


def _alone(ln: Line, s: Seg) -> bool:
    """Nothing else within 1.5 em to the figure's left or right on its line."""
    return not any(o is not s and (0 <= s.x0 - o.x1 < 1.5 * s.size or 0 <= o.x0 - s.x1 < 1.5 * s.size)
                   for o in ln.segs)


def _over(lines: list[Line], j: int, s: Seg) -> Seg | None:
    """The one segment of line j over or under the figure s."""
    hit = [o for o in lines[j].segs if o.x0 < s.x1 + 0.5 * s.size and o.x1 > s.x0 - 0.5 * s.size]
    return hit[0] if len(hit) == 1 else None


def _stack(lines: list[Line], k: int, s: Seg, used: set[int], step: int) -> list[tuple[str, str]]:
    """The items ("L" label | "F" figure, text) stacked above (step -1) or below (+1) line k's figure."""
    out: list[tuple[str, str]] = []
    j = k + step
    while 0 <= j < len(lines) and j not in used and len(out) < 12:
        o = _over(lines, j, s)
        if o is None or abs(lines[j].y - lines[j - step].y) > 1.9 * max(lines[j].size, lines[j - step].size):
            break
        if _words(o.text):
            if o.size > 1.6 * s.size:
                break  # set much larger than the figure: a section's title, not its label
            out.append(("L", o.text))
        elif _panel_figure(o.text) and _alone(lines[j], o):
            out.append(("F", o.text))
        else:
            break
        j += step
    return out


def _panel_label(lines: list[Line], k: int, s: Seg, used: set[int]) -> str:
    above = _stack(lines, k, s, used, -1)
    below = _stack(lines, k, s, used, 1)
    up = _leading(above)
    down = _leading(below)
    # more label lines than a label has: a paragraph beside a figure, not its label
    up, down = (up if len(up) <= 3 else []), (down if len(down) <= 2 else [])
    if up and down:
        chain = [*reversed(above), ("F", s.text), *below]
        if chain[0][0] == "L" and chain[-1][0] == "F":
            down = []
        elif chain[0][0] == "F" and chain[-1][0] == "L":
            up = []
        else:
            return ""  # a label between two figures, and nothing says whose it is
    if down:
        return " ".join(down)
    if up:
        # labels above read with a stack that starts with a label; a lone label line above a figure
        # that a label below could also name is the figure above's (handled by the figure above)
        chain = [*reversed(above), ("F", s.text)]
        if any(kind == "F" for kind, _ in chain[:-1]) and chain[0][0] != "L":
            return ""
        return " ".join(reversed(up))
    return ""


def _words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", text)) and not re.search(r"\d", text) and len(text.split()) <= 8


def _leading(items: list[tuple[str, str]]) -> list[str]:
    out = []
    for kind, text in items:
        if kind != "L":
            break
        out.append(text)
    return out


_BARE = {"yes", "no", "value", "none", "other", "others", "n/a"}  # a legend's key, not what is counted
_DANGLING = re.compile(r"(?i)(?:[,.;]|\b(?:the|a|an|and|or|of|in|to|for|with|by|from|on|at|as|is|are|was|were))$")


def _beside(ln: Line, s: Seg) -> str:
    """A label alone before the figure on its line ("Case Fatality Rate   0.07%"): the figure ends the
    line, and what is before it is words (a year may be part of them: "Deaths in 2026")."""
    if s is not ln.segs[-1] or len(ln.segs) < 2:
        return ""
    before = [o.text for o in ln.segs[:-1]]
    text = " ".join(before)
    if not all(_words(t) or _YEAR.match(t) or t in (":", "-") for t in before) \
            or not _words(re.sub(r"\b(?:19|20)\d\d\b", "", text)):
        return ""
    return text.rstrip(" :-")


def _clean_label(text: str) -> bool:
    """Not a piece of prose cut at a line's end ("access to", "the"), a sentence, an unclosed
    bracket or a contact line."""
    return not (_DANGLING.search(text) or ". " in text or "@" in text or text.count("(") != text.count(")"))
