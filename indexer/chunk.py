"""Pages -> Chunks: sentence-aware passages of ~100-250 words, and one chunk per table row.

Prose chunks follow sentence boundaries, carry a small overlap (the last sentence of the previous
chunk) and may run across a page break, never across reports. A table row becomes its own chunk
with the table's heading and column headers repeated, so a number-only row can still be found by
what it counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from indexer.records import Chunk, Page, Report
from vocabulary.sentences import PASSAGE_BREAK

MIN_WORDS = 100
MAX_WORDS = 175  # the model reads 256 word pieces (~1.4 a word in these reports): keep chunks whole
OVERLAP_WORDS = 40

_CELL_SPLIT = re.compile(r"\t+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Piece:
    """A sentence, heading or table row located on a page."""

    page: int
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "heading" | "row"


def is_heading(line: str) -> bool:
    """A short line without final punctuation, in capitals or Title Case."""
    s = line.strip().strip("*#").strip()
    if not s or len(s) > 90 or s[-1] in ".,;:" or "\t" in s:
        return False
    words = s.split()
    if len(words) > 12 or not any(c.isalpha() for c in s):
        return False
    if s.isupper():
        return True
    caps = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
    if len(words) <= 4 and s[0].isupper():
        return True
    return caps / len(words) >= 0.6 and len(words) <= 8


def cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]


def is_table_row(line: str) -> bool:
    return len(cells(line)) >= 3


def pieces(page: Page) -> Iterator[Piece]:
    """Split one page into headings, table rows and sentences, with offsets into page.text."""
    text = page.text
    pos = 0
    para_start = None
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if is_table_row(body) or is_heading(body) or not body.strip():
            if para_start is not None:
                yield from _sentences(page.number, text, para_start, line_start)
                para_start = None
            if body.strip():
                kind = "row" if is_table_row(body) else "heading"
                lead = len(body) - len(body.lstrip())
                yield Piece(page.number, line_start + lead, line_start + len(body.rstrip()),
                            body.strip(), kind)
        elif para_start is None:
            para_start = line_start
    if para_start is not None:
        yield from _sentences(page.number, text, para_start, len(text))


def _sentences(page: int, text: str, start: int, end: int) -> Iterator[Piece]:
    block = text[start:end]
    cut = 0
    for m in PASSAGE_BREAK.finditer(block):
        yield from _piece(page, text, start + cut, start + m.start())
        cut = m.end()
    yield from _piece(page, text, start + cut, end)


def _piece(page: int, text: str, start: int, end: int) -> Iterator[Piece]:
    """A sentence; one longer than MAX_WORDS (a text without full stops) in runs of MAX_WORDS words,
    so that no passage outgrows what the model reads."""
    words = list(_WORD.finditer(text, start, end))
    for i in range(0, len(words), MAX_WORDS):
        run = words[i:i + MAX_WORDS]
        a, b = run[0].start(), run[-1].end()
        yield Piece(page, a, b, text[a:b], "sentence")


def _squash(text: str) -> str:
    return " ".join(text.split())


def chunk_report(report: Report) -> list[Chunk]:
    """All chunks of one report, prose and table rows, in reading order."""
    return list(_chunks(report.name, report.pages))


def _chunks(name: str, pages: Sequence[Page]) -> Iterator[Chunk]:
    heading = buf_heading = ""
    buf: list[Piece] = []
    words = 0
    table_header: list[str] | None = None
    table_caption = ""
    for page in pages:
        for p in pieces(page):
            if p.kind == "heading":
                heading = p.text
                table_header = None
                # headings and key-figure lines ("REFUGEES AND MIGRANTS IN PERU", "1.043M") are
                # content too: they stay in the passage text so they can be found
            if p.kind == "row":
                row = cells(p.text)
                if table_header is None and _is_header_row(row):
                    table_header, table_caption = row, heading
                    continue
                header = " | ".join(table_header) if table_header else ""
                lines = [x for x in (table_caption or heading, header, " | ".join(row)) if x]
                yield Chunk(name, p.page, p.page, p.start, p.end, "\n".join(lines), "table_row",
                            table_caption or heading)
                continue
            table_header = None
            n = len(_WORD.findall(p.text))
            if buf and words + n > MAX_WORDS and words >= MIN_WORDS // 2:
                yield _make(name, buf, buf_heading)
                buf, words = _overlap(buf)
            if _overlap_only(buf):
                buf_heading = heading
            buf.append(p)
            words += n
            if words >= MAX_WORDS:
                yield _make(name, buf, buf_heading)
                buf, words = _overlap(buf)
    if buf and not _overlap_only(buf):
        yield _make(name, buf, buf_heading)


def _is_header_row(row: list[str]) -> bool:
    numeric = sum(1 for c in row if re.fullmatch(r"[-–—\d.,%$ MKk]+", c))
    return numeric <= len(row) // 4


def _overlap(buf: list[Piece]) -> tuple[list[Piece], int]:
    """Keep the last sentence(s), up to OVERLAP_WORDS, to open the next chunk."""
    keep: list[Piece] = []
    words = 0
    for p in reversed(buf):
        n = len(_WORD.findall(p.text))
        if words + n > OVERLAP_WORDS:
            break
        keep.insert(0, p)
        words += n
    return [Piece(**{**p.__dict__, "kind": "overlap"}) for p in keep], words


def _overlap_only(buf: list[Piece]) -> bool:
    return all(p.kind == "overlap" for p in buf)


def _make(name: str, buf: list[Piece], heading: str) -> Chunk:
    text = " ".join(_squash(p.text) for p in buf)
    return Chunk(name, buf[0].page, buf[-1].page, buf[0].start, buf[-1].end, text, "text", heading)
