"""pypdf text callbacks -> `layout.Run`s in page space, form XObjects placed where the page draws them.

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

    def visit_op(self, op, _operands, cm, _tm) -> None:
        if op == b"Do":
            self.last_cm = tuple(float(v) for v in cm)  # type: ignore[assignment]

    def add(self, text: str, x: float, y: float, size: float, m: Matrix) -> None:
        """A run at (x, y) of the current content stream, whose text space is scaled by `m`."""
        if not text.strip():
            return
        a, b, c, d, e, f = m
        if abs(b) > 0.1 * abs(a) or abs(c) > 0.1 * abs(d):
            return  # rotated or skewed text: not part of a table's lines
        t = self.stack[-1]
        if t is not IDENTITY:
            x, y = x * t[0] + y * t[2] + t[4], x * t[1] + y * t[3] + t[5]
            size *= math.hypot(t[0], t[1])
        self.runs.append(Run(text, x, y, size))


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


@contextmanager
def collecting(col: Collector) -> Iterator[Collector]:
    """Runs of form XObjects read while active land in page space in `col`."""
    _install()
    token = _CURRENT.set(col)
    try:
        yield col
    finally:
        _CURRENT.reset(token)
