"""Text runs with positions: rows pypdf reads as one string split where their strings stand apart."""

from __future__ import annotations

import io

from pypdf import PdfReader

from indexer.facts import extract_pages
from indexer.parse import extract_page, parse_file
from indexer.pdfstream import fast_text_extraction
from indexer.positions import Collector
from tests.pdfs import make_stream_pdf

# A table whose header cells are separate text objects and whose rows are each drawn in one go:
# one TJ array with kerning gaps (EDUCATION), Td moves inside one BT (HEALTH, Total). pypdf reads
# each row as one string ("EDUCATION 11,753,684 6,641,907"); the layout needs its cells.
ROWS = """BT /F1 10 Tf 1 0 0 1 50 740 Tm (Table 4: Requirements by sector) Tj ET
BT /F1 10 Tf 1 0 0 1 190 720 Tm (CHAD) Tj ET
BT /F1 10 Tf 1 0 0 1 262 720 Tm (NIGER) Tj ET
BT /F1 10 Tf 1 0 0 1 50 700 Tm [(EDUCATION) -8000 (11,753,684) -2000 (6,641,907)] TJ ET
BT /F1 10 Tf 1 0 0 1 50 685 Tm (HEALTH) Tj 138.9 0 Td (1,234) Tj 69.9 0 Td (567) Tj ET
BT /F1 10 Tf 1 0 0 1 50 670 Tm (Total) Tj 124.9 0 Td (11,754,918) Tj 70 0 Td (6,642,474) Tj ET
BT /F1 10 Tf 1 0 0 1 50 640 Tm [(In 2016 ) -400 (3,000 people ) -300 (were displaced.)] TJ ET"""


def _runs(stream: str) -> list:
    col = Collector()
    with fast_text_extraction():
        extract_page(PdfReader(io.BytesIO(make_stream_pdf([stream]))).pages[0], col)
    return col.runs


def test_kerned_and_moved_strings_split_into_cells():
    runs = {(r.text, round(r.x)) for r in _runs(ROWS)}
    assert {("EDUCATION", 50), ("11,753,684", 189), ("6,641,907", 259)} <= runs
    assert {("HEALTH", 50), ("1,234", 189), ("567", 259)} <= runs


def test_word_spaces_and_justification_stay_one_run():
    # a space drawn, then a gap: justification, not a column
    assert "In 2016 3,000 people were displaced." in {r.text for r in _runs(ROWS)}


def test_run_ends_from_font_widths():
    (run,) = [r for r in _runs(ROWS) if r.text == "EDUCATION"]
    assert run.x1 is not None and 105 < run.x1 < 112  # Helvetica's widths, not a guess


def test_rows_drawn_in_one_go_become_cells(tmp_path):
    pdf = tmp_path / "rows.pdf"
    pdf.write_bytes(make_stream_pdf([ROWS]))
    report = parse_file(pdf, sidecar={})
    facts = extract_pages(report.pages, report=report.name)
    cells = {(f.row_header, f.col_header, f.text) for f in facts if f.kind == "table_cell"}
    assert ("EDUCATION", "NIGER", "6,641,907") in cells
    assert ("HEALTH", "CHAD", "1,234") in cells
    assert ("Total", "NIGER", "6,642,474") in cells
    assert not any(f.kind == "table_cell" and f.text == "3,000" for f in facts)
