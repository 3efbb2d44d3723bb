"""`Line`s -> a table's body: rows of labels and figures (`_Row`), the column intervals their figures
line up in, and the block of lines [first, last] they make."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.layout.headers import _TITLE
from indexer.layout.records import Line, Seg
from indexer.layout.values import _DATE, _YEAR, _is_value, is_number


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


def _col_of(seg: Seg, cols: list[tuple[float, float]]) -> int | None:
    """The column a value segment falls in (None: none, which `_columns`' own values never are)."""
    for k, (a, b) in enumerate(cols):
        if seg.x0 < b + 0.5 and seg.x1 > a - 0.5:
            return k
    return None


def _block(lines: list[Line], i: int) -> tuple[int, int] | None:
    """The lines [i, j] of a table body starting at line i: rows whose figures line up, with label-only
    lines in between (row groups, wrapped labels): two, or more within 4 lines' height of the last row."""
    row = _as_row(lines[i])
    if row is None:
        return None
    rows = [row]
    last = i
    ref = i  # the last row, or the last line of notes skipped after it
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
            cols = _columns([*rows, r])
            if cols is None or len(cols) > max(len(x.values) for x in [*rows, r]) + 1 \
                    and not _filled(lines, j, cols):
                break
            rows.append(r)
            gap = lines[last].y - lines[j].y if gap is None else min(gap, lines[last].y - lines[j].y)
            last = ref = j
        elif j - ref > 2 and lines[ref].y - lines[j].y > 4.0 * lines[ref].size or len(lines[j].text) > 80 \
                or _TITLE.match(lines[j].text):
            nxt = _after_notes(lines, j, rows)
            if nxt is not None:
                ref = j = nxt  # notes under a row, then a row on the same columns: the table goes on
                continue
            break  # label lines between rows: a label over three lines, groups; not a caption or a paragraph
        j += 1
    cols = _columns(rows)
    if cols is None:
        return None
    width = max(len(r.values) for r in rows)
    if len(rows) >= 2 and width >= 2 or len(rows) >= 3 and width >= 1:
        return i, last
    if single_row(rows):
        return i, i  # one row of figures, each named by the header over it (`tables._table` needs one over each)
    return None


def _filled(lines: list[Line], j: int, cols: list[tuple[float, float]]) -> bool:
    """Whether a row in the lines after j (within 30) has a figure in all but one of these columns, on
    them: a sparse table (a budget whose rows fill one or two of its columns) whose fuller rows come
    later, not a table with other columns below this one."""
    for k in range(j + 1, min(len(lines), j + 30)):
        w = _as_row(lines[k])
        if w is None or len(w.values) + 1 < len(cols):
            continue
        hit = [_col_of(v, cols) for v in w.values]
        if None not in hit and len(set(hit)) == len(hit):
            return True
    return False


def single_row(rows: list[_Row]) -> bool:
    """A table of one unlabelled row: three or more figures standing apart ("24  2,500  75  1.7 million"
    under "No. of districts affected | No. of villages affected | ..."), not a chart's evenly stepped axis."""
    if len(rows) != 1 or rows[0].labels or len(rows[0].values) < 3:
        return False
    if not all(is_number(v.text) for v in rows[0].values):
        return False
    vals = [float(re.sub(r"[^\d.]", "", v.text.replace(",", "")) or "nan") for v in rows[0].values]
    return len({round(b - a, 6) for a, b in zip(vals, vals[1:], strict=False)}) > 1


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


def notes(lines: list[Line], first: int, last: int) -> set[int]:
    """The lines in [first, last] that are notes, not labels: a paragraph (a line of more than 80
    characters that is no row) and the lines continuing it (starting where it starts, at its leading)."""
    out: set[int] = set()
    k = first
    while k <= last:
        if _as_row(lines[k]) is None and len(lines[k].text) > 80:
            out.add(k)
            x0 = lines[k].segs[0].x0
            while k + 1 <= last and _prose(lines[k + 1]) and lines[k + 1].segs \
                    and abs(lines[k + 1].segs[0].x0 - x0) <= 1.5 \
                    and lines[k].y - lines[k + 1].y <= 1.6 * max(lines[k].size, lines[k + 1].size):
                k += 1
                out.add(k)
        k += 1
    return out


def _prose(line: Line) -> bool:
    """No row, or a line of prose that ends in a figure ("case is decreased ... compared with Epi-week
    50 of  2024"): words of a sentence, or one figure after words that start in lower case."""
    r = _as_row(line)
    return r is None or any(len(s.text) > 40 for s in r.labels) \
        or len(r.values) == 1 and bool(r.labels) and r.labels[0].text[:1].islower()


def _after_notes(lines: list[Line], j: int, rows: list[_Row]) -> int | None:
    """Where a table goes on after lines that are not its rows (notes written under each row, a
    section's name): the next row when it stands on the table's columns (every figure in a column its
    rows already have, in the same type size, its labels where theirs are), and every line before it
    is a note paragraph or a label left of the figures. None otherwise (a header, a caption, text over
    the columns, or no such row within 12 lines: the table ends)."""
    cols = _columns(rows)
    if cols is None:
        return None
    left = min(a for a, _ in cols)
    size = rows[0].line.size
    end = min(len(lines), j + 12)
    skip = notes(lines, j, end - 1)
    if any(len(s.text) > 40 for q in rows for s in q.labels):
        return None  # rows labelled by lines of prose: figures beside a text column, no register
    across = False  # a note runs on under the table's figures: written under its row, across the table
    # or, between records (rows with a date among their labels), no note at all: a few short labels
    # (a section's name, "See details in the article")
    records = short = any(_DATE.match(s.text) for q in rows for s in q.labels[1:])
    for k in range(j, end):
        r = _as_row(lines[k]) if k not in skip else None  # (a note's line may end in a figure)
        if r is not None:
            if k == j or abs(lines[k].size - size) > 0.25 * size or not r.labels or _crosses(rows, r):
                return None
            more = _columns([*rows, r])
            if more is None or len(more) > max(len(x.values) for x in [*rows, r]) + 1:
                return None  # (a figure in a column the rows above left empty, as `_block` reads rows)
            if not (across or short and k - j <= 3) or any(len(s.text) > 40 for s in r.labels):
                return None
            if not across and (r.labels[0].text[:1].islower() or r.labels[-1].text.endswith(".")):
                return None  # a line of prose ending in a figure, not a row
            # (a record, a register's row, starts with whichever of its text columns it has on its line:
            # its country's or event's name may stand on the lines around its figures)
            starts = [q.labels[0].x0 for q in rows if q.labels]
            if not records and (not starts or not min(starts) - 2 * size <= r.labels[0].x0 <= max(starts) + 2 * size):
                return None
            return k
        if k in skip:
            across = across or any(s.x1 > cols[0][1] for s in lines[k].segs)
            continue
        over = [s for s in lines[k].segs if s.x1 > left - 1.0]
        if over and all(_is_value(s.text) and not is_number(s.text) for s in over):
            continue  # a row of empty marks ("-") over the columns: a row without figures
        short = short and len(lines[k].text) <= 40
        if _TITLE.match(lines[k].text) or over:
            return None  # a caption, or words over the columns (a header): another table
    return None
