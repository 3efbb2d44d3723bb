"""pypdf text callbacks -> `layout.Run`s in page space, form XObjects placed where the page draws them.

pypdf joins the strings a line is drawn with into one run ("EDUCATION 11,753,684 6,641,907"): the
gaps a `TJ` array's kerning or a `Td` move leaves between them are read as spaces, so a table row
loses its columns. `collecting()` also wraps pypdf's `Tj` handler to note where each string starts
and ends (pypdf's own glyph widths, the pen's advance); a run whose strings stand a column gap apart
is split there, each part at its own place.

pypdf reads the text of a form XObject (a table pasted from a spreadsheet is often one) in the
form's own coordinates: its `/Matrix` and the page's transformation at the `Do` that draws it are
not applied. `collecting()` wraps pypdf's form reader while a page is read, so each run the
visitor reports is put through the transformations of the forms it sits in.
"""

from __future__ import annotations

import contextvars
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from indexer.layout import Run

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


class Collector:
    """Collects one page's runs; `visit_text` and `visit_op` are pypdf's visitor callbacks."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.stack: list[Matrix] = [IDENTITY]
        self.last_cm: Matrix = IDENTITY
        self.pieces: list[tuple[str, float, float, float]] = []  # strings drawn since the last run: text, x0, x1, y
        self.offsetting = False  # inside pypdf's reading of a TJ gap

    def piece(self, text: str, tm, cm, w0: float, w1: float) -> None:
        """A string drawn with text matrix `tm` after `w0` (and up to `w1`) thousandths of text space."""
        a, b, e, f = tm[0] / 1000, tm[1] / 1000, tm[4], tm[5]
        tx0, ty0, tx1 = a * w0 + e, b * w0 + f, a * w1 + e
        self.pieces.append((text, cm[0] * tx0 + cm[2] * ty0 + cm[4], cm[0] * tx1 + cm[2] * (b * w1 + f) + cm[4],
                            cm[1] * tx0 + cm[3] * ty0 + cm[5]))

    def visit_op(self, op, _operands, cm, _tm) -> None:
        if op == b"Do":
            self.last_cm = tuple(float(v) for v in cm)  # type: ignore[assignment]

    def add(self, text: str, x: float, y: float, size: float, m: Matrix) -> None:
        """A run at (x, y) of the current content stream, whose text space is scaled by `m`."""
        pieces, self.pieces = self.pieces, []
        if not text.strip():
            return
        a, b, c, d, e, f = m
        if abs(b) > 0.1 * abs(a) or abs(c) > 0.1 * abs(d):
            return  # rotated or skewed text: not part of a table's lines
        t = self.stack[-1]
        scale = math.hypot(t[0], t[1]) if t is not IDENTITY else 1.0
        for n, (part, px, py, px1) in enumerate(_split(text, x, y, size, pieces)):
            if t is not IDENTITY:
                px, py, px1 = px * t[0] + py * t[2] + t[4], px * t[1] + py * t[3] + t[5], \
                    (px1 * t[0] + py * t[2] + t[4] if px1 is not None else None)
            self.runs.append(Run(part, px, py, size * scale, px1, apart=n > 0))


# em: a gap between two strings of one run wider than two word spaces (a space is 0.2-0.3 em) is a
# column gap; between two figures ("600 3,000") too, where a thin space inside a figure is narrower
_GAP = 0.4
_GAP_AFTER_SPACE = 0.8  # after a space the string drew itself, a gap is justification up to 0.8 em


def _split(text: str, x: float, y: float, size: float, pieces: list[tuple[str, float, float, float]]):
    """A run as (text, x, y, x_end) parts: the strings it was drawn with, grouped where they follow each
    other closely; a string on another baseline or drawn back to the left starts a part of its own. The
    run whole (end unknown) when its strings do not spell it (pypdf reordered right-to-left text)."""
    pieces = [p for p in pieces if p[0]]
    if not pieces:
        return [(text, x, y, None)]
    if len(pieces) == 1 or not _any_cut(pieces, size):  # most runs: a line of prose
        inked = [q for q in pieces if q[0].strip()]
        end = inked[-1][2] if inked and text.rstrip()[-1:] == inked[-1][0].rstrip()[-1:] else None
        return [(text, x, y, end if end is not None and end > x else None)]
    if "".join("".join(p[0].split()) for p in pieces) != "".join(text.split()):
        return [(text, x, y, None)]
    groups: list[list[tuple[str, float, float, float]]] = []
    for p in pieces:
        if not p[0].strip():
            if groups:
                groups[-1].append(p)
            continue
        prev = groups[-1][-1] if groups else None
        if prev is None:
            groups.append([p])
            continue
        last = next(q for q in reversed(groups[-1]) if q[0].strip())
        # a space drawn (in either string or on its own): a wider gap is justification
        spaced = last[0][-1:].isspace() or p[0][:1].isspace() or not prev[0].strip()
        if p[1] - last[2] > (_GAP_AFTER_SPACE if spaced else _GAP) * size or abs(p[3] - last[3]) > 0.35 * size \
                or p[1] < last[1] - 0.1 * size:  # drawn back to the left: another cell
            groups.append([p])
        else:
            groups[-1].append(p)
    out = []
    for g in groups:
        words = g[0][0]
        for prev, p in zip(g, g[1:], strict=False):
            gap = p[1] - prev[2]
            words += p[0] if gap < 0.1 * size or p[0][:1].isspace() or prev[0][-1:].isspace() else " " + p[0]
        inked = [q for q in g if q[0].strip()]
        out.append((" ".join(words.split()), inked[0][1], g[0][3], inked[-1][2]))
    return out


def _any_cut(pieces: list[tuple[str, float, float, float]], size: float) -> bool:
    """Whether `_split` would cut the run anywhere (the same tests, without building the parts)."""
    last = None
    gap, wide, rise, back = _GAP * size, _GAP_AFTER_SPACE * size, 0.35 * size, 0.1 * size
    blank = False
    for p in pieces:
        t = p[0]
        if t.isspace():
            blank = True
            continue
        if last is not None:
            spaced = blank or last[0][-1].isspace() or t[0].isspace()
            if p[1] - last[2] > (wide if spaced else gap) or abs(p[3] - last[3]) > rise or p[1] < last[1] - back:
                return True
        last, blank = p, False
    return False


_CURRENT: contextvars.ContextVar[Collector | None] = contextvars.ContextVar("positions_collector", default=None)
_LOCK = threading.Lock()
_installed = False


def _install() -> None:
    global _installed
    with _LOCK:
        if _installed:
            return
        _installed = True
        from pypdf import PageObject

        original = getattr(PageObject, "_extract_text__xform", None)
        if not callable(original):
            return  # another pypdf: forms keep their own coordinates

        def extract_xform(self, *args, **kwargs):
            col = _CURRENT.get()
            if col is None:
                return original(self, *args, **kwargs)
            matrix = IDENTITY
            try:
                form = kwargs["resources_dict"]["/XObject"][kwargs["operands"][0]]
                matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))  # type: ignore[assignment]
                if len(matrix) != 6:
                    matrix = IDENTITY
            except Exception:  # noqa: BLE001 - pypdf reports a bad form itself; identity is a fair guess
                matrix = IDENTITY
            col.stack.append(mult(mult(matrix, col.last_cm), col.stack[-1]))
            try:
                return original(self, *args, **kwargs)
            finally:
                col.stack.pop()

        extract_xform.__wrapped__ = original
        PageObject._extract_text__xform = extract_xform

        try:
            from pypdf._text_extraction._text_extractor import TextExtraction
        except ImportError:
            return  # another pypdf: runs stay whole
        show = getattr(TextExtraction, "_handle_tj_operation", None)
        if not callable(show):
            return

        def handle_tj(self, operands):
            col = _CURRENT.get()
            if col is None or col.offsetting:  # a space pypdf puts for a TJ gap is no drawn string
                return show(self, operands)
            n0, w0 = len(self.text), self._actual_str_size["str_widths"]
            out = show(self, operands)
            text = self.text[n0:] if len(self.text) > n0 else ""
            col.piece(text, self.tm_matrix, self.cm_matrix, w0, self._actual_str_size["str_widths"])
            return out

        handle_tj.__wrapped__ = show
        TextExtraction._handle_tj_operation = handle_tj
        offset = getattr(TextExtraction, "process_tj_offset", None)
        if not callable(offset):
            return

        def tj_offset(self, *args, **kwargs):
            col = _CURRENT.get()
            if col is None:
                return offset(self, *args, **kwargs)
            col.offsetting = True
            try:
                return offset(self, *args, **kwargs)
            finally:
                col.offsetting = False

        tj_offset.__wrapped__ = offset
        TextExtraction.process_tj_offset = tj_offset


@contextmanager
def collecting(col: Collector) -> Iterator[Collector]:
    """Runs of form XObjects read while active land in page space in `col`."""
    _install()
    token = _CURRENT.set(col)
    try:
        yield col
    finally:
        _CURRENT.reset(token)
