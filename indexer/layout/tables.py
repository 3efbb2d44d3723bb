"""A table body's lines -> a `Table`: each figure a `Cell` with its row header (wrapped labels joined,
row groups), its column header and the unit and scale its headers or title give."""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.layout.headers import _column_names, _header, _title
from indexer.layout.records import Cell, Line, Seg, Table
from indexer.layout.rows import _as_row, _col_of, _columns, notes, single_row
from indexer.layout.values import _DATE, _is_value, is_number, is_range

_UNIT = re.compile(
    r"\((?P<u>US\s?\$|USD|CHF|EUR|€|\$|%|MT|mt|tonnes|Mt|people|persons|HH|households|cases)\)"
    r"|(?P<pct>%|\bper\s?cent\b)|\b(?P<cur>US\$|USD|CHF|EUR)\b"
)
_SCALE = re.compile(r"(?i)\(?in\s*(?:'000|’000|000s|thousands)\)?|\('000\)|\((?:US\$\s?)?(?P<m>millions?|m)\)")


def _table(lines: list[Line], first: int, last: int) -> Table | None:
    prose = notes(lines, first, last)  # a note's line that ends in a figure is no row
    body = [(k, _as_row(lines[k]) if k not in prose else None) for k in range(first, last + 1)]
    rows = [r for _, r in body if r is not None]
    cols = _columns(rows)
    if cols is None:
        return None
    left = min(c[0] for c in cols)
    # a row's label must end left of the first column: a label reaching into it is a layout we misread
    for k, r in body:
        if r is not None and r.labels and r.labels[-1].x1 > left + 1.0 and _col_of(r.labels[-1], cols) is not None:
            if k == first:
                return None
            return _table(lines, first, k - 1)
    size = max(lines[k].size for k in range(first, last + 1))
    ys = [lines[k].y for k, r in body if r is not None]
    pitch = min((a - b for a, b in zip(ys, ys[1:], strict=False)), default=0.0)
    single = single_row(rows)
    inner = tuple((a, b) for r in rows if r.labels for a, b, _ in _label_parts(r.labels)[1:])
    found = _header(lines, first, cols, size, [r.labels[0].x0 for r in rows if r.labels], pitch, single, inner)
    if found is None:
        return None
    header, top, pre = found
    title = _title(lines, top, last, size)
    edge = max((r.labels[-1].x1 for r in rows if r.labels), default=left)
    names = _column_names(header, cols, edge)
    if names is None:
        return None
    if single and not (header and all(names)) or single and any(lines[first].size > 1.35 * h.size for h in header):
        # a lone row of figures is a table only when a header names every one of them; figures set
        # larger than their labels are key figures side by side (the panels' reading)
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
        r = _as_row(lines[k]) if k not in prose else None
        if r is None or k not in labels:
            continue
        label, group = labels[k]
        loose = re.findall(r"\d+", re.sub(r"\([^()]*\)|\b(?:19|20)\d\d\b", "", label))  # not "(week 1-5)", "2021"
        if single:
            label, group = "", ""  # its figures are named by their columns alone
        elif not (re.search(r"[A-Za-z]", label) or is_range(label)) or len(loose) > 2:
            continue  # no label, or figures read as one: a row we cannot name
        row_text = " | ".join(s.text for s in lines[k].segs)
        for v in r.values:
            if not is_number(v.text):
                continue
            c = _col_of(v, cols)
            if c is None or not names[c] and not listing:
                continue
            unit, scale = _unit_of(names[c])
            if not unit:
                unit, scale = table_unit, table_scale
            if scale == 1.0 and table_scale != 1.0:
                scale = table_scale
            cells.append(Cell(v.text, label, names[c], unit, scale, group, row_text))
    y0 = lines[first].y
    head = tuple(Line(h.y - y0, h.size, tuple(replace(g, y=g.y - y0) for g in h.segs)) for h in header)
    return Table(title, tuple(cells), top=top, head=head, cols=tuple(cols), rows_y=tuple(ys))


def _row_labels(lines: list[Line], pre: list[int], first: int, last: int, left: float) -> dict[int, tuple[str, str]]:
    """Row k -> (row header, group). A label-only line belongs to the nearest figures row when that
    row has no label of its own (a label centred on two lines, figures on one), or is a wrapped part
    of a labelled row's when it sits within about a line of it and clearly nearer to it than to any
    other; otherwise it names a group of the rows below it ("Contact tracing")."""
    skip = notes(lines, first, last)  # a paragraph written under a row is no label, nor a row
    rows = {k: r for k in range(first, last + 1) if k not in skip and (r := _as_row(lines[k])) is not None}
    order = sorted(rows)
    parts: dict[int, list[tuple[float, str]]] = {}
    groups: dict[int, str] = {}
    records: dict[int, list[tuple[float, float, list[tuple[float, str]]]]] = {}
    for k in order:
        cut = _label_parts(rows[k].labels) if rows[k].labels else []
        if _record([t for _, _, t in cut]):  # its label columns, each with the lines wrapped in it
            records[k] = [(a, b, [(lines[k].y, t)]) for a, b, t in cut if not _DATE.match(t)]
        own, outer = _row_label(rows[k].labels) if rows[k].labels else ("", "")
        parts[k] = [(lines[k].y, own)] if own else []
        if outer:
            groups[k] = outer
    group_at: list[tuple[int, str]] = []  # (line, group text) in order
    for k in [*pre, *range(first, last + 1)]:
        if k in skip or k in rows or not lines[k].segs or lines[k].segs[0].x0 >= left - 1.0:
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
        elif near is not None and near in records and dn <= 1.3 * size and dn < 0.7 * df:
            _wrap(records[near], lines[k], left, y)
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
        if k in records:  # a record: its text columns from the left name it, each with its wrapped lines
            texts = [" ".join(t for _, t in sorted(c[2], key=lambda p: -p[0])) for c in sorted(records[k])]
            label = " ".join(texts)
        out[k] = (label, group)
    return out


def _wrap(columns: list[tuple[float, float, list[tuple[float, str]]]], line: Line, left: float, y: float) -> None:
    """A record's label line wrapped above or below its row: each piece joins the label column it
    stands in (a new one when it stands in none), so an event's name on two lines stays the event's."""
    for s in line.segs:
        if s.x1 > left + 1.0:
            continue
        hit = next((c for c in columns if s.x0 < c[1] and c[0] < s.x1), None)
        if hit is None:
            columns.append((s.x0, s.x1, [(y, s.text)]))
        else:
            hit[2].append((y, s.text))


def _label_parts(labels: list[Seg]) -> list[tuple[float, float, str]]:
    """A row's label columns (x0, x1, text): label pieces closer than 1.5 em are one label; a tick
    ("x") in a plan's calendar is none."""
    parts: list[list[Seg]] = [[labels[0]]]
    for s in labels[1:]:
        if s.x0 - parts[-1][-1].x1 < 1.5 * s.size:
            parts[-1].append(s)
        else:
            parts.append([s])
    out = [(p[0].x0, p[-1].x1, " ".join(s.text for s in p)) for p in parts]
    return [q for q in out if len(q[2].strip()) > 1]


def _row_label(labels: list[Seg]) -> tuple[str, str]:
    """The row header (the innermost label column) and the outer levels before it ("Ha Tinh" |
    "Ky Long"). A row with a date among its labels is a record (a register of events: country,
    event, grade, dates, then figures), not levels of a hierarchy: its row header is its text
    columns read from the leftmost ("Angola Cholera Grade 3"), and a date is never part of it."""
    texts = [t for _, _, t in _label_parts(labels)]
    if not texts:
        return "", ""
    if _record(texts):
        return " ".join(t for t in texts if not _DATE.match(t)), ""
    return texts[-1], " ".join(texts[:-1])


def _record(texts: list[str]) -> bool:
    """Whether a row's label columns make a record: two or more, one of them a date, the first not."""
    return len(texts) >= 2 and not _DATE.match(texts[0]) and any(_DATE.match(t) for t in texts[1:])


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
