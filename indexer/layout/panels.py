"""The `Line`s no table took -> key figures: a figure alone in its place with its short label above,
below or before it (one "panel" `Table`)."""

from __future__ import annotations

import re

from indexer.layout.records import Cell, Line, Seg, Table
from indexer.layout.values import _YEAR, is_number
from indexer.numbers import NUMBER_RE


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
            label = _panel_label(lines, k, s, used) or ("" if edge else _beside(lines, k, s, used))
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


def _over(lines: list[Line], j: int, s: Seg) -> list[Seg]:
    """The segments of line j over or under the figure s."""
    return [o for o in lines[j].segs if o.x0 < s.x1 + 0.5 * s.size and o.x1 > s.x0 - 0.5 * s.size]


def _stack(lines: list[Line], k: int, s: Seg, used: set[int], step: int) -> list[tuple[str, str]]:
    """The items ("L" label | "F" figure, text) stacked above (step -1) or below (+1) line k's figure.
    A figure the stack cannot read ("1,013 (0) – 1.9% CFR") ends it as "X": a figure all the same
    when the stack's ends say which way its labels read."""
    out: list[tuple[str, str]] = []
    j = k + step
    while 0 <= j < len(lines) and j not in used and len(out) < 12:
        hit = _over(lines, j, s)
        if len(hit) != 1 or abs(lines[j].y - lines[j - step].y) > 1.9 * max(lines[j].size, lines[j - step].size):
            break
        o = hit[0]
        if _words(o.text):
            if o.size > 1.35 * s.size:
                break  # set larger than the figure: a section's or a chart's title, not its label
            out.append(("L", o.text))
        elif _panel_figure(o.text) and _alone(lines[j], o):
            out.append(("F", o.text))
        else:
            if re.match(r"[$€£]?\d", o.text):
                out.append(("X", o.text))
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
        if chain[0][0] == "L" and chain[-1][0] in "FX":
            down = []
        elif chain[0][0] in "FX" and chain[-1][0] == "L":
            up = []
        else:
            return ""  # a label between two figures, and nothing says whose it is
    if down:
        return " ".join(down)
    if up:
        # labels above read with a stack that starts with a label; a lone label line above a figure
        # that a label below could also name is the figure above's (handled by the figure above)
        chain = [*reversed(above), ("F", s.text)]
        if any(kind in "FX" for kind, _ in chain[:-1]) and chain[0][0] != "L":
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


_QUALIFIER = re.compile(r"^[\[(][^\[\]()]*[\])]$")  # "[Week32, 2026]", "(as of 15 Aug)": part of a label


def _beside(lines: list[Line], k: int, s: Seg, used: set[int]) -> str:
    """A label alone before the figure on its line ("Case Fatality Rate   0.07%"): the figure ends the
    line, and what is before it is words (a year may be part of them: "Deaths in 2026"). The label
    may run over two lines: a line of its own just above or below it (within 1.5 em, in the same type
    size), standing where the label stands and not over the figure, is its other line when the two
    read as one: the lower line a bracketed qualifier ("Average Mid-night Total" over "[Week32, 2026]
    1133"), or the upper one cut mid-phrase ("Children under" / "five  120"). A heading over a label
    ("Key figures" over "Deaths reported  12") reads on its own. A bracketed qualifier is part of a
    label, never all of it."""
    ln = lines[k]
    if s is not ln.segs[-1] or len(ln.segs) < 2:
        return ""
    own = list(ln.segs[:-1])
    x0, x1 = min(o.x0 for o in own), max(o.x1 for o in own)
    pieces = [o.text for o in own]
    for j in (k - 1, k + 1):
        if not 0 <= j < len(lines) or j in used or len(lines[j].segs) != 1:
            continue
        o = lines[j].segs[0]
        if abs(lines[j].y - ln.y) <= 1.5 * max(o.size, s.size) and abs(o.size - own[0].size) <= 0.15 * own[0].size \
                and o.x0 < x1 and x0 < o.x1 and o.x1 < s.x0 and not _panel_figure(o.text) \
                and (_words(o.text) or _QUALIFIER.match(o.text)):
            upper, lower = (o.text, " ".join(pieces)) if j < k else (" ".join(pieces), o.text)
            if _QUALIFIER.match(lower) or _DANGLING.search(upper) or upper.endswith("-") or lower[:1].islower():
                pieces = [o.text, *pieces] if j < k else [*pieces, o.text]
                break
    text = " ".join(pieces)
    if not all(_words(t) or _YEAR.match(t) or _QUALIFIER.match(t) or t in (":", "-") for t in pieces) \
            or not _words(re.sub(r"\b(?:19|20)\d\d\b", "", " ".join(t for t in pieces if not _QUALIFIER.match(t)))):
        return ""
    return text.rstrip(" :-")


def _clean_label(text: str) -> bool:
    """Not a piece of prose cut at a line's end ("access to", "the"), a sentence, an unclosed
    bracket or a contact line."""
    return not (_DANGLING.search(text) or ". " in text or "@" in text or text.count("(") != text.count(")"))
