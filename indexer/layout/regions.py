"""A page's `Line`s -> regions read apart (a gutter with text on other baselines each side) and the x
where tables standing side by side in one region begin (bands)."""

from __future__ import annotations

import re

from indexer.layout.lines import _lines
from indexer.layout.records import Line
from indexer.layout.values import _is_value, is_number, is_range


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
    """Rows whose figures run on across x: the nearest segments on both sides are figures, or a figure
    of a row with a label and another figure stands across x itself (a column of figures set centred or
    right under a wide header: a cut there would part the column, not two tables)."""
    n = 0
    for ln in lines:
        left = [s for s in ln.segs if s.x1 <= x]
        right = [s for s in ln.segs if s.x0 >= x]
        if left and right and len(left) + len(right) == len(ln.segs) \
                and is_number(left[-1].text) and is_number(right[0].text):
            n += 1
        elif any(s.x0 < x < s.x1 and is_number(s.text) for s in ln.segs) \
                and sum(is_number(s.text) for s in ln.segs) >= 2 and not _is_value(ln.segs[0].text):
            n += 1
    return n


def _band_lines(lines: list[Line], lo: float, hi: float) -> list[Line]:
    out = []
    for ln in lines:
        segs = tuple(s for s in ln.segs if lo <= s.x0 < hi)
        if segs:
            out.append(Line(ln.y, max(s.size for s in segs), segs))
    return out


def _regions(lines: list[Line], depth: int = 0) -> list[list[Line]]:
    """The page's lines as regions read apart: where a gutter runs down a stretch of lines (no
    segment crosses it) with text on both sides whose baselines mostly differ (a text column beside
    a table, tables of other row heights side by side), each side's segments make lines of their own.
    A table's own columns share their rows' baselines, so a gap between them is never such a gutter."""
    if depth > 4 or len(lines) < 6:
        return [lines] if lines else []
    xs = sorted(s.x0 for ln in lines for s in ln.segs)
    cands: list[tuple[float, bool]] = []  # (gutter x, whether the column beside it ends there)
    i = 0
    while i < len(xs):  # left edges shared by 4+ segments: where a column of text starts
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[i] < 2.0:
            j += 1
        if j - i >= 3:
            cands.append((xs[i] - 1.0, False))
        i = j + 1
    ends = sorted(s.x1 for ln in lines for s in ln.segs if len(s.text.split()) >= 6)
    i = 0
    while i < len(ends):  # right edges shared by 4+ lines of prose: where a justified column of text ends
        j = i
        while j + 1 < len(ends) and ends[j + 1] - ends[i] < 8.0:
            j += 1
        if j - i >= 3:
            cands.append((ends[j] + 1.0, True))
        i = j + 1
    for c, right_edge in cands:
        i = 0
        while i < len(lines):
            j, left, right, both = i, 0, 0, 0
            while j < len(lines) and not any(s.x0 < c < s.x1 for s in lines[j].segs):
                lft = any(s.x1 <= c for s in lines[j].segs)
                rgt = any(s.x0 >= c for s in lines[j].segs)
                left, right, both = left + lft, right + rgt, both + (lft and rgt)
                j += 1
            # the column's own edge must be in the stretch (4 segments starting there, or ending within
            # 8 units before it: justified text), and the stretch long enough on both sides that a
            # table's header beside a caption is no gutter
            starts = sum(c - 9.0 <= s.x1 <= c and len(s.text.split()) >= 6 if right_edge
                         else abs(s.x0 - c - 1.0) < 2.0 for ln in lines[i:j] for s in ln.segs)
            if j - i >= 8 and min(left, right) >= 4 and both <= 0.5 * min(left, right) and starts >= 4:
                lo = [s for ln in lines[i:j] for s in ln.segs if s.x1 <= c]
                hi = [s for ln in lines[i:j] for s in ln.segs if s.x0 >= c]
                return [*_regions(lines[:i], depth + 1), *_regions(_lines(lo), depth + 1),
                        *_regions(_lines(hi), depth + 1), *_regions(lines[j:], depth + 1)]
            i = j + 1
    return [lines]
