"""Chunking: sentence-aware sizes, overlap, page spans, offsets, table rows as their own chunks."""

from __future__ import annotations

import pytest

from indexer.chunk import MAX_WORDS, chunk_report, is_heading
from indexer.parse import parse_file
from indexer.records import Page, Report, ReportMeta

from .conftest import PERU


def report(*pages: str) -> Report:
    pages_ = tuple(Page(i + 1, t, str(i + 1)) for i, t in enumerate(pages))
    return Report("r.txt", "r.txt", "", ReportMeta(), pages_)


def sentences(n: int, start: int = 0) -> str:
    return " ".join(f"Sentence number {start + i} talks about shelter kits and water points in the north."
                    for i in range(n))


def test_long_text_is_cut_on_sentence_boundaries_with_overlap():
    chunks = chunk_report(report(sentences(80)))
    assert len(chunks) > 3
    for c in chunks:
        assert len(c.text.split()) <= MAX_WORDS + 20
        assert c.text.endswith("north.")
        assert c.text.startswith("Sentence number")
    # consecutive chunks share their boundary sentence
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.text.split(". ")[-1] in b.text


def test_chunks_span_pages_and_keep_page_range():
    chunks = chunk_report(report(sentences(6), sentences(6, 6)))
    assert chunks[0].page == 1 and chunks[0].page_end == 2


def test_offsets_point_into_page_text():
    r = report(sentences(30))
    for c in chunk_report(r):
        assert r.pages[0].text[c.start:c.end].startswith("Sentence number")


def test_table_row_is_own_chunk_with_headers():
    text = ("Sector results\n"
            "\tEducation\tHealth\tWASH\n"
            "People reached\t902\t11,390\t1,478\n")
    chunks = chunk_report(report(text))
    rows = [c for c in chunks if c.kind == "table_row"]
    assert len(rows) == 1
    assert "Education | Health | WASH" in rows[0].text
    assert "11,390" in rows[0].text and "Sector results" in rows[0].text


@pytest.mark.parametrize("line, expected", [
    pytest.param("Situation", True, id="single-word"),
    pytest.param("FUNDING SITUATION", True, id="caps"),
    pytest.param("Key Figures And Response", True, id="title-case"),
    pytest.param("Partners distributed 30,000 meals.", False, id="sentence"),
    pytest.param("the response continues in the north of the country", False, id="lower-prose"),
])
def test_is_heading(line, expected):
    assert is_heading(line) is expected


def test_peru_report_chunks_cover_all_sections():
    r = parse_file(PERU)
    chunks = chunk_report(r)
    text = " ".join(c.text for c in chunks)
    for needle in ("hygiene kits", "11,390", "23,111", "Centros de Emergencia Mujer", "homologation"):
        assert needle in text
    assert all(c.report == r.name for c in chunks)
    assert sum(c.kind == "table_row" for c in chunks) == 2
