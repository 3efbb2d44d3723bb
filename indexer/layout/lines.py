"""`Run`s -> `Line`s: runs on one baseline make a line, runs close enough to read as one cell a `Seg`
(a label and the figure glued to it are split)."""

from __future__ import annotations

import re

from indexer.layout.records import Line, Run, Seg
from indexer.layout.values import _is_value, is_number

# Average glyph widths in em (Helvetica's): pypdf does not report where a run ends.
_NARROW = set(" ,.:;'!|()[]ijlrtfI-")
_WIDE = set("%MWmw@")


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


# After the label's last letter (or ")"): non-digits, then the figure, to the end. Matched from the
# last letter on, this is `^(?P<label>.*[A-Za-z)][^\d]*?)\s*(?P<num>...)$` over the whole text (the
# greedy label tries the last letter first, and no earlier letter can succeed where it failed: the
# figure holds no letter and nothing between may be a digit), without that pattern's quadratic
# backtracking on a long line of prose (it cost most of the layout reading's time).
_GLUED_TAIL = re.compile(r"(?P<mid>[^\d]*?)\s*(?P<num>(?:[$€£]\s?)?\d[\d,.'’\u202f ]*\d%?|\d%?)$")
_LAST_LETTER = re.compile(r"[A-Za-z)][^A-Za-z)]*$")


def _glued(text: str) -> tuple[str, str] | None:
    """(label, figure) of a label with a figure glued to its end, or None.

    >>> _glued("Treatment571"), _glued("Total $ 500"), _glued("in 2020-2021"), _glued("1,234")
    (('Treatment', '571'), ('Total', '$ 500'), None, None)
    """
    if not text[-1:].isdigit() and not (text.endswith("%") and text[-2:-1].isdigit()):
        return None  # the figure ends the text: a digit, or a digit and "%"
    last = _LAST_LETTER.search(text)
    if last is None:
        return None
    m = _GLUED_TAIL.match(text, last.start() + 1)
    if m is None:
        return None
    return text[:last.start() + 1] + m["mid"], m["num"]


def _split_glued_all(seg: Seg) -> list[Seg]:
    """"Treatment 571" or "Treatment571" read as one segment: the label and the figure, when the
    figure is a whole number form (a label may not end in a letter glued to a digit like "COVID19")."""
    glued = _glued(seg.text)
    if glued is None or not is_number(glued[1]):
        return [seg]
    label = glued[0].rstrip()
    if not label or re.search(r"[A-Za-z]\d*$", label) is None or len(label) < 2:
        return [seg]
    if re.search(r"(?i)(?:covid|week|wk|epi|phase|camp|no\.?|round|q[1-4]?|h[12]|sdg)$", label):
        return [seg]
    if re.fullmatch(r"\d", glued[1].strip()) and re.fullmatch(r"[A-Za-z]+", label):
        return [seg]  # one word and one digit is a name ("Grade 2", "Protracted 2", "Level 3"), not a count
    num = glued[1].strip()
    w = _width(num, seg.size)
    return [Seg(label, seg.x0, max(seg.x0, seg.x1 - w - 0.3 * seg.size), seg.y, seg.size),
            Seg(num, seg.x1 - w, seg.x1, seg.y, seg.size)]
