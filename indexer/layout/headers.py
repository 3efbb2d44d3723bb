"""The `Line`s above a table body -> its header lines, caption and one name per column (levels joined
by " / "; "" where the header is unclear)."""

from __future__ import annotations

import re

from indexer.layout.records import Line, Seg
from indexer.layout.values import _YEAR, is_number

_TITLE = re.compile(r"(?i)^(?:table|tab\.|annex|figure|fig\.)\s*\d*")


def _header(lines: list[Line], first: int, cols: list[tuple[float, float]], size: float,
            starts: list[float], pitch: float = 0.0, one_row: bool = False,
            inner: tuple[tuple[float, float], ...] = ()) -> tuple[list[Line], int, list[int]] | None:
    """Header lines above a table body (top to bottom) and the index of the topmost: short pieces
    of text over the columns, tightly spaced. A caption ("Table 2: ..."), a sentence, or text
    running from the row labels' side into the columns ends the header. None when the header goes
    on higher than we read. `inner`: where the rows' text columns after their first stand (a
    register's event, grade and dates): a line over those alone heads them, not the figures."""
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
        # (over a lone row of figures without a label, a header over the first column may stand out left
        # of it: only one reaching on into the second column is a title)
        reach = cols[1][0] if one_row and len(cols) > 1 else left
        if any(s.x0 < start + 1.0 * s.size and s.x1 > reach + 1.0 * s.size for s in ln.segs):
            break  # runs from the labels' side into the columns: a title or a sentence
        # over the columns; text beyond the last one is a text column's ("State(s): 3"), not a header
        right = [s for s in ln.segs if s.x1 > left - 2.0 and s.x0 < cols[-1][1] + 1.0 * s.size]
        if not right and ln.segs and all(any(s.x0 < b and a < s.x1 for a, b in inner) for s in ln.segs):
            below = ln.y  # over a text column between the row headers and the figures ("End of / reporting
            top = k  # period" over a register's dates): that column's header, not the figures'
            k -= 1
            continue
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


def _spanned(s: Seg, below: list[Line], cols: list[tuple[float, float]], edge: float,
             every: tuple[Seg, ...]) -> list[int]:
    """The columns an outer header spans by the headers under it: it reaches over the inner headers of
    two or more neighbouring columns and stands centred over them ("CONFIRMED CASES" over "TOTAL" and
    "NEW", "DEATHS" over "TOTAL" and "NEW"), though their figures, set right, leave one column's middle
    outside it. [] when it does not: a wrapped label over its own column reaches over no other's."""
    inner = [(t, c[0]) for ln in below for t in ln.segs if t.x0 < s.x1 and t.x1 > s.x0
             if len(c := _columns_under(t, cols, edge, every)) == 1]
    spanned = sorted({c for _, c in inner})
    if len(spanned) < 2 or spanned[-1] - spanned[0] != len(spanned) - 1:
        return []
    lo, hi = min(t.x0 for t, _ in inner), max(t.x1 for t, _ in inner)
    tol = 0.3 * s.size
    if s.x0 < lo - tol or s.x1 > hi + tol or abs((s.x0 + s.x1) / 2 - (lo + hi) / 2) > 0.15 * (hi - lo):
        return []
    return spanned


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
            if len(over) == 1 and li < len(header) - 1:
                over = _spanned(s, header[li + 1:], cols, edge, every) or over
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
