"""Tables and key-figure panels read from the positions of text runs, on PDFs the tests build."""

from __future__ import annotations

import pytest

from indexer.facts import extract_pages
from indexer.layout import Run, is_number, read_page
from indexer.parse import parse_file
from tests.pdfs import make_placed_pdf

# A budget table with a spanning header ("2016" over two columns), a two-line header, a unit in
# the header, a row group and a total row; a caption above.
SPANNING = [
    (50, 760, "Table 3: Funding by sector"),
    (220, 735, "2016"), (335, 735, "2017"),
    (160, 722, "Required"), (240, 722, "Funded"), (330, 722, "Required"),
    (160, 711, "(US$)"), (240, 711, "(US$)"), (330, 711, "(US$)"),
    (50, 690, "Health"), (170, 690, "1,200,000"), (250, 690, "800,000"), (340, 690, "1,500,000"),
    (50, 676, "Education"), (170, 676, "600,000"), (265, 676, "90,000"), (350, 676, "700,000"),
    (50, 662, "Total"), (170, 662, "1,800,000"), (250, 662, "890,000"), (340, 662, "2,200,000"),
]

# Two key-figure boxes side by side: the figure above its label.
PANEL = [
    (60, 600, "12,500"), (260, 600, "36%"),
    (60, 586, "people displaced"), (260, 586, "funded"),
]


def _cells(runs):
    return {(c.row, c.col, c.text) for t in read_page([Run(s, x, y, 10) for x, y, s in runs]) for c in t.cells}


def test_spanning_header_and_total_row():
    cells = _cells(SPANNING)
    assert ("Health", "2016 / Required (US$)", "1,200,000") in cells
    assert ("Education", "2016 / Funded (US$)", "90,000") in cells
    assert ("Total", "2017 / Required (US$)", "2,200,000") in cells
    assert len(cells) == 9


def test_table_title_and_unit():
    (table,) = [t for t in read_page([Run(s, x, y, 10) for x, y, s in SPANNING]) if t.kind == "table"]
    assert table.title == "Table 3: Funding by sector"
    assert {c.unit for c in table.cells} == {"US$"}


def test_panel_label_below_figure():
    cells = _cells(PANEL)
    assert ("people displaced", "", "12,500") in cells
    assert ("funded", "", "36%") in cells


def test_ambiguous_header_gives_no_cell():
    # one header over the middle of two columns: which one it names is unclear, so neither is named
    runs = [(150, 722, "Cases and deaths"),
            (50, 700, "North"), (150, 700, "10"), (200, 700, "2"),
            (50, 686, "South"), (150, 686, "30"), (200, 686, "4")]
    cells = _cells(runs)
    assert all(col == "Cases and deaths" for _, col, _ in cells)  # spans both: an outer level, never one column's


@pytest.mark.parametrize("text, ok", [("1,234", True), ("4 571", True), ("12.5%", True), ("US$ 4.5M", True),
                                      ("(23)", True), ("Lagos", False), ("n/a", False), ("2 cases", False)])
def test_is_number(text, ok):
    assert is_number(text) is ok


def test_pdf_cells_become_facts(tmp_path):
    pdf = tmp_path / "funding.pdf"
    pdf.write_bytes(make_placed_pdf([SPANNING + PANEL]))
    report = parse_file(pdf, sidecar={})
    facts = extract_pages(report.pages, report=report.name)
    cells = {(f.row_header, f.col_header, f.value): f for f in facts if f.kind == "table_cell"}
    f = cells[("Education", "2016 / Funded (US$)", 90000.0)]
    assert report.pages[0].text[f.start:f.end] == f.text == "90,000"
    assert f.heading == "Table 3: Funding by sector" and f.unit_norm == "USD"
    assert ("Total", "2017 / Required (US$)", 2200000.0) in cells
    figures = {f.label: f.value for f in facts if f.kind == "key_figure"}
    assert figures.get("people displaced") == 12500.0


def test_form_xobject_runs_land_in_page_space(tmp_path):
    """A table drawn as a form XObject (pasted from a spreadsheet) is read where the page draws it."""
    from pypdf import PdfReader

    from indexer.parse import extract_page
    from indexer.pdfstream import fast_text_extraction
    from indexer.positions import Collector
    from tests.pdfs import pdf_file

    body = b"BT /F1 10 Tf 1 0 0 1 0 0 Tm (Inside) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
            b"/XObject << /T1 6 0 R >> >> /Contents 5 0 R >>"]
    page = b"q 1 0 0 1 100 500 cm /T1 Do Q"
    objs.append(b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream")
    objs.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 50] /Matrix [1 0 0 1 20 10] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf_file(objs))
    col = Collector()
    with fast_text_extraction():
        extract_page(PdfReader(path).pages[0], col)
    (run,) = col.runs
    assert (run.text, round(run.x), round(run.y)) == ("Inside", 120, 510)


def _table_cells(runs, size=10):
    return {(c.row, c.col, c.text) for t in read_page([Run(s, x, y, size) for x, y, s in runs])
            if t.kind == "table" for c in t.cells}


def test_label_first_line_above_its_row_is_no_header():
    # "CAMP COORDINATION AND CAMP" reaches over the first column but starts where the labels start
    runs = [(190, 760, "CHAD"), (260, 760, "NIGER"),
            (50, 735, "CAMP COORDINATION AND CAMP"), (190, 730, "1,200"), (260, 730, "300"),
            (50, 725, "MANAGEMENT"),
            (50, 705, "HEALTH"), (190, 705, "2,500"), (260, 705, "800"),
            (50, 690, "NUTRITION"), (190, 690, "900"), (260, 690, "450")]
    cells = _table_cells(runs)
    assert ("CAMP COORDINATION AND CAMP MANAGEMENT", "CHAD", "1,200") in cells
    assert ("HEALTH", "NIGER", "800") in cells
    assert not any(col.startswith("CAMP") for _, col, _ in cells)


def test_labels_centred_over_three_lines():
    # each row's label is centred on its figures over three lines; a text column on the right
    runs = [(150, 770, "Suspected"), (230, 770, "Deaths"),
            (150, 760, "cases"), (230, 760, "(confirmed)"),
            (50, 738, "Current week"), (330, 738, "State(s): 3"),
            (150, 730, "107"), (230, 730, "1"),
            (50, 722, "(week 5)"), (330, 722, "LGA(s): 5"),
            (50, 690, "2021"), (150, 682, "513"), (230, 682, "12"), (50, 682, "Cumulative"),
            (50, 674, "(week 1-5)"),
            (50, 645, "2020"), (150, 637, "1226"), (230, 637, "47"), (50, 637, "Cumulative"),
            (50, 629, "(week 1-5)")]
    cells = _table_cells(runs)
    assert ("Current week (week 5)", "Suspected cases", "107") in cells
    assert ("2021 Cumulative (week 1-5)", "Deaths (confirmed)", "12") in cells
    assert ("2020 Cumulative (week 1-5)", "Deaths (confirmed)", "47") in cells


def test_caption_set_large_is_no_header():
    runs = [(120, 760, "DISTRICT WISE DISTRIBUTION OF CASES")] + \
           [(x, 745, name) for x, name in ((150, "JAN"), (200, "FEB"))] + \
           [(50, 735, "KASKI"), (150, 735, "3"), (200, 735, "5"), (50, 728, "BANKE"), (150, 728, "1"), (200, 728, "0")]
    table = [t for t in read_page([Run(s, x, y, 12 if y == 760 else 5) for x, y, s in runs]) if t.kind == "table"]
    cells = {(c.row, c.col, c.text) for t in table for c in t.cells}
    assert ("KASKI", "FEB", "5") in cells
    assert table[0].title == "DISTRICT WISE DISTRIBUTION OF CASES"


def test_header_deeper_than_read_gives_no_table():
    # twelve header lines stacked over the columns: a name cut short would be a wrong name
    words = "people reached with messages through visits and group meetings in camps host areas".split()
    runs = [(150, 790 - 8 * k, w) for k, w in enumerate(words)] + [(250, 790 - 8 * k, w) for k, w in enumerate(words)]
    runs += [(50, 680, "North"), (150, 680, "10"), (250, 680, "2"),
             (50, 666, "South"), (150, 666, "30"), (250, 666, "4")]
    assert _table_cells(runs, size=7) == set()


def test_row_on_a_loose_baseline_and_tall_rows():
    # rows 29 pt apart in a 9 pt font; one row's figure drawn 5 pt below its label; years over the columns
    runs = [(200, 760, "2016"), (300, 760, "2017"),
            (200, 748, "Required"), (300, 748, "Required"),
            (50, 720, "Coordination"), (300, 715, "1,500"),
            (50, 691, "Health"), (200, 691, "2,000"), (300, 691, "2,500"),
            (50, 662, "Total"), (200, 662, "2,000"), (300, 662, "4,000")]
    cells = {(c.row, c.col, c.text) for t in read_page([Run(s, x, y, 9) for x, y, s in runs]) for c in t.cells}
    assert ("Coordination", "2017 Required", "1,500") in cells  # a header over one column wraps
    assert ("Health", "2016 Required", "2,000") in cells
    assert ("Total", "2017 Required", "4,000") in cells


def test_label_list_without_header_and_a_heading_set_large():
    runs = [(50, 760, "Total Targeted Population", 20),
            (50, 730, "Women", 8), (215, 730, "292,230", 8),
            (50, 706, "Men", 8), (215, 706, "280,770", 8),
            (50, 682, "Total targeted population", 8), (215, 682, "573,000", 8)]
    tables = read_page([Run(s, x, y, z) for x, y, s, z in runs])
    cells = {(c.row, c.col, c.text) for t in tables for c in t.cells}
    assert ("Women", "", "292,230") in cells and ("Men", "", "280,770") in cells
    assert not any(row == "Total Targeted Population" for row, _, _ in cells)  # a heading, not a label


def test_panel_labels_above_their_figures_in_a_stack():
    # label, figure, label, figure: the stack starts with a label, so each label names the figure below it
    runs = [(400, 700, "SAMPLES TESTED", 12), (410, 680, "405,916 (2,569)", 18),
            (400, 660, "AFFECTED STATES", 12), (430, 640, "37", 18),
            (400, 620, "DISCHARGED CASES", 12), (410, 600, "41,638", 18)]
    cells = {(c.row, c.text) for t in read_page([Run(s, x, y, z) for x, y, s, z in runs]) for c in t.cells}
    assert cells == {("SAMPLES TESTED", "405,916"), ("AFFECTED STATES", "37"), ("DISCHARGED CASES", "41,638")}


def test_panel_label_beside_its_figure_and_what_is_no_panel():
    runs = [(50, 790, "Dengue situation"),
            (50, 760, "Dengue deaths in"), (140, 760, "2026"), (300, 760, "68"),
            (50, 740, "Case Fatality Rate"), (300, 740, "0.07%"),
            (50, 720, "is severely limiting access to"), (300, 720, "120"),
            (50, 700, "Cumulative"), (300, 700, "2023"),
            (50, 600, "0K"), (120, 600, "20K"), (190, 600, "40K"), (260, 600, "60K"),
            (50, 586, "Weekly cases")]
    cells = {(c.row, c.text) for t in read_page([Run(s, x, y, 10) for x, y, s in runs]) for c in t.cells}
    assert ("Dengue deaths in 2026", "68") in cells and ("Case Fatality Rate", "0.07%") in cells
    assert not any(text in ("120", "2023", "20K", "40K", "60K") for _, text in cells)  # prose, a year, an axis


def test_table_beside_a_text_column_on_other_baselines():
    # prose on the left at a 14 pt pitch, a table on the right at 15.6 pt: lines of the page mix both
    prose = [(48, 700 - 14 * i, f"reported across the districts line {chr(97 + i)} of prose") for i in range(12)]
    table = [(330, 712, "District"), (400, 712, "2025"), (460, 712, "2026"),
             *[(x, 696 - 15.6 * i, t) for i, row in enumerate([("Colombo", "218", "1448"), ("Gampaha", "154", "1501"),
                                                              ("Kandy", "133", "525"), ("Galle", "78", "267"),
                                                              ("Matara", "57", "320"), ("Jaffna", "20", "23")])
               for x, t in zip((330, 400, 460), row, strict=True)]]
    cells = _table_cells(prose + table)
    assert ("Colombo", "2025", "218") in cells and ("Jaffna", "2026", "23") in cells
    assert len(cells) == 12


def test_strings_that_touch_are_one_word_and_a_year_over_two_columns_spans_them():
    runs = [Run("202", 402, 760, 8, 415.3, apart=False), Run("5", 415.3, 760, 8, 419.8, apart=True),
            Run("Week", 388, 750, 7), Run("Week", 414, 750, 7), Run("30", 392, 742, 7), Run("31", 419, 742, 7),
            Run("Colombo", 50, 728, 8), Run("218", 390, 728, 8), Run("264", 417, 728, 8),
            Run("Kandy", 50, 714, 8), Run("133", 390, 714, 8), Run("139", 417, 714, 8)]
    cells = {(c.row, c.col, c.text) for t in read_page(runs) for c in t.cells}
    assert ("Colombo", "2025 / Week 30", "218") in cells and ("Kandy", "2025 / Week 31", "139") in cells


def test_age_ranges_name_rows_and_tables_side_by_side_split_at_them():
    # two age-group tables side by side; beside them, on other baselines, a district list of label and
    # figure pairs three abreast headed "No*"
    runs = [(36, 683, "Age Group"), (94, 683, "Male"), (130, 683, "Female"),
            (170, 683, "Age Group"), (224, 683, "Male"), (256, 683, "Female"),
            *[(x, 657 - 15 * i, t) for i, row in enumerate([("0-14", "2", "4", "45 - 54", "2", "8"),
                                                            ("15-24", "1", "5", "> 64", "5", "15"),
                                                            ("25-34", "3", "6", "Total", "17", "45")])
              for x, t in zip((36, 104, 142, 170, 232, 268), row, strict=True)],
            (326, 739, "District/area"), (382, 739, "No*"), (408, 739, "District/area"), (464, 739, "No*"),
            *[(x, 724 - 13 * i, t) for i, row in enumerate([("Colombo", "15", "Gampaha", "11"),
                                                            ("Kandy", "4", "Kalutara", "3"),
                                                            ("Galle", "3", "Kegalle", "3"),
                                                            ("Badulla", "1", "Puttalam", "1"),
                                                            ("Jaffna", "1", "Mannar", "1"),
                                                            ("Ampara", "1", "Matale", "1"),
                                                            ("Monaragala", "1", "Kilinochchi", "1")])
              for x, t in zip((326, 386, 408, 468), row, strict=True)]]
    cells = _table_cells(runs, size=9)
    assert {("0-14", "Male", "2"), ("45 - 54", "Female", "8"), ("> 64", "Female", "15"),
            ("Total", "Male", "17")} <= cells
    assert {("Colombo", "No*", "15"), ("Kalutara", "No*", "3"), ("Kilinochchi", "No*", "1")} <= cells
    assert not any(row in ("0-14", "15-24") and text in ("8", "15") for row, _, text in cells)


# A budget whose header runs nine staggered lines deep, headers over columns without figures ("Raise
# humanitarian standards" left of "Grow ..."), column codes under it, and a form's fields above it
# whose second field follows a figure ("Timeframe: 26 Aug 17  Subsector:"): not a table beside another.
BUDGET = [
    (55, 782, "Timeframe: 26 Aug 17 to 26 Nov"), (173, 782, "17"), (352, 782, "Split by funding source"),
    (55, 771, "Appeal Launch Date: 26 Aug"), (160, 771, "17"), (352, 771, "Subsector:"),
    (330, 720.6, "Expenditure"),
    (79, 709, "Account Groups"), (165, 709, "Budget"), (254, 709, "Grow RC/RC"), (513, 709, "Variance"),
    (214, 706, "Raise"), (302, 706, "Strengthen RC/"),
    (256, 702, "services for"),
    (203, 698, "humanitarian"), (302, 698, "RC contribution"), (465, 698, "TOTAL"),
    (257, 694, "vulnerable"),
    (207, 690, "standards"), (302, 690, "to development"),
    (262, 685.5, "people"),
    (171, 675, "A"), (474, 675, "B"), (521, 675, "A - B"),
    *[(x, 659 - 12 * i, t) for i, row in enumerate([("Shelter - Relief", "6,179", "6,604", "6,604", "- 425"),
                                                    ("Clothing & Textiles", "23,945", "24,381", "24,381", "-436"),
                                                    ("Teaching Materials", "3,057", "401", "401", "2,656"),
                                                    ("Volunteers", "9,101", "11,456", "11,456", "-2,355")])
      for x, t in zip((52, 176, 278, 483, 537), row, strict=True)],
]


def test_deep_staggered_budget_header_under_a_form():
    cells = {(c.row, c.col, c.text) for t in read_page([Run(s, x, y, 7) for x, y, s in BUDGET]) for c in t.cells}
    assert ("Shelter - Relief", "Budget", "6,179") in cells
    assert ("Clothing & Textiles", "Grow RC/RC services for vulnerable people", "24,381") in cells
    assert ("Teaching Materials", "TOTAL", "401") in cells and ("Volunteers", "Variance", "-2,355") in cells
    assert ("Shelter - Relief", "Variance", "- 425") in cells  # a sign set apart is still a figure's
    assert not any("Raise" in col or "Strengthen" in col or col.endswith(" A") for _, col, _ in cells)


def test_negative_figures_in_the_page_text(tmp_path):
    pdf = tmp_path / "budget.pdf"
    pdf.write_bytes(make_placed_pdf([BUDGET], size=7))
    report = parse_file(pdf, sidecar={})
    facts = {(f.row_header, f.col_header): f.value for f in extract_pages(report.pages, report=report.name)
             if f.kind == "table_cell"}
    assert facts[("Shelter - Relief", "Variance")] == -425
    assert facts[("Volunteers", "Variance")] == -2355


def test_a_caption_set_larger_than_the_header_is_no_level():
    runs = [(192, 613, "Change in IDP population by LGAs", 12),
            (40, 591, "LGAs", 8.7), (225, 591, "Number - Round 13", 8.7), (351, 591, "Number - Round 14", 8.7),
            (40, 575, "ASKIRA", 10), (280, 575, "7,470", 10), (396, 575, "6,810", 10),
            (40, 559, "BAMA", 10), (273, 559, "29,550", 10), (391, 559, "31,992", 10)]
    tables = [t for t in read_page([Run(s, x, y, z) for x, y, s, z in runs]) if t.kind == "table"]
    cells = {(c.row, c.col, c.text) for t in tables for c in t.cells}
    assert ("ASKIRA", "Number - Round 13", "7,470") in cells and ("BAMA", "Number - Round 14", "31,992") in cells
    assert tables[0].title == "Change in IDP population by LGAs"


def test_one_word_and_one_digit_is_a_name_and_a_list_under_a_paragraph_has_no_header():
    runs = [(72, 760, "The statistics since the onset of the pandemic to date are summarized below in one table"),
            (200, 700, "TOTAL STATISTICS"),
            (158, 675, "NUMBER OF RECORDED CASES"), (319, 675, "26,881"),
            (213, 650, "RECORDED DEATHS"), (319, 650, "683"),
            (217, 625, "RECOVERED CASES"), (319, 625, "15,872"),
            (72, 600, "Grade 2"), (160, 600, "Protracted 2")]
    cells = {(c.row, c.col, c.text) for t in read_page([Run(s, x, y, 12) for x, y, s in runs]) for c in t.cells}
    assert {("NUMBER OF RECORDED CASES", "", "26,881"), ("RECORDED DEATHS", "", "683")} <= cells
    assert not any(text == "2" for _, _, text in cells)  # "Grade 2" names a grade, it counts nothing


def test_panel_beside_a_justified_text_column_on_other_baselines():
    """A column of key figures (labels above, centred) beside a justified paragraph whose lines fall
    between the panel's: the paragraph's shared right edge parts the two, so each label still stands
    over its figure; a figure the stack cannot read ("1,013 (0) - 1.9% CFR") ends it as a figure."""
    prose = [Run(f"reported in the last day from many states line {i} of the highlights", 29, 678 - 17 * i, 12,
                 368.0) for i in range(14)]
    panel = [("SAMPLES TESTED", 440, 665, 12), ("405,916 (2,569)", 424, 644, 18),
             ("CONFIRMED CASES", 435, 616, 12), ("54,008 (143)", 435, 593, 18),
             ("AFFECTED STATES INCLUDING FCT", 399, 566, 12), ("37", 473, 542, 18),
             ("DISCHARGED CASES", 433, 519, 12), ("41,638 (125)", 435, 498, 18),
             ("CONFIRMED FATALITIES", 423, 469, 12), ("1,013 (0) - 1.9% CFR", 406, 449, 18)]
    runs = prose + [Run(t, x, y, z) for t, x, y, z in panel]
    cells = {(c.row, c.text) for t in read_page(runs) for c in t.cells}
    assert {("SAMPLES TESTED", "405,916"), ("CONFIRMED CASES", "54,008"), ("AFFECTED STATES INCLUDING FCT", "37"),
            ("DISCHARGED CASES", "41,638")} <= cells
    assert not any(row == "CONFIRMED FATALITIES" for row, _ in cells)


def test_chart_title_set_larger_is_no_label():
    # a bar chart's data labels under its title: the title names no figure
    runs = [Run("Sources of information", 357, 405, 14), Run("2.07%", 406, 386, 9),
            Run("2.78%", 401, 379, 9), Run("0.38%", 401, 362, 9), Run("4.44%", 399, 352, 9)]
    assert not any(c.row == "Sources of information" for t in read_page(runs) for c in t.cells)


def test_panel_figure_before_its_label_in_the_page_text_and_runs_off_the_page(tmp_path):
    """Figures drawn before their labels ("2 cases" in the page text, and "2" also the page number
    and a date) are placed by their labels; text drawn off the page (a map left on the pasteboard)
    makes no panel."""
    pdf = tmp_path / "event.pdf"
    pdf.write_bytes(make_placed_pdf([[
        (556, 805, "2"), (374, 746, "2"), (466, 746, "1"), (513, 746, "50%"),
        (358, 721, "cases"), (443, 721, "Deaths"), (513, 721, "CFR"),
        (36, 653, "On 30 January 2025 a case was confirmed; a second on 2 February."),
        (-140, 600, "6.5 million"), (-140, 580, "people are food insecure"),
    ]], size=14))
    report = parse_file(pdf, sidecar={})
    facts = extract_pages(report.pages, report=report.name)
    figures = {(f.label, f.value) for f in facts if f.kind == "key_figure"}
    assert {("cases", 2.0), ("Deaths", 1.0), ("CFR", 50.0)} <= figures
    assert not any(c.row == "people are food insecure" for t in report.pages[0].tables for c in t.cells)


# One row of figures under a header of several lines, one name per figure ("Table 1: Effects of the
# floods"): a table whose cells are named by their columns alone; a spanning header over two of them.
ONE_ROW = [
    (50, 700, "Table 1: Effects of the floods in Assam"),
    (48, 676, "No. of"), (108, 676, "No. of"), (180, 676, "Houses"), (290, 676, "No. of relief"),
    (40, 665, "districts"), (100, 665, "families"), (160, 665, "Fully"), (215, 665, "Partially"),
    (285, 665, "people in"),
    (40, 654, "affected"), (100, 654, "affected"), (290, 654, "camps"),
    (56, 640, "24"), (110, 640, "2,849"), (162, 640, "287"), (220, 640, "1,400"), (295, 640, "35,000"),
]


def test_one_row_table_is_named_by_its_columns(tmp_path):
    cells = _cells(ONE_ROW)
    # (a header line with a spanning piece is a level of its own: "No. of" / "districts affected")
    assert cells == {("", "No. of / districts affected", "24"), ("", "No. of / families affected", "2,849"),
                     ("", "Houses / Fully", "287"), ("", "Houses / Partially", "1,400"),
                     ("", "No. of relief / people in camps", "35,000")}
    pdf = tmp_path / "floods.pdf"
    pdf.write_bytes(make_placed_pdf([ONE_ROW]))
    report = parse_file(pdf, sidecar={})
    facts = {f.col_header: f for f in extract_pages(report.pages, report=report.name) if f.kind == "table_cell"}
    f = facts["No. of / families affected"]
    assert f.value == 2849.0 and report.pages[0].text[f.start:f.end] == "2,849"
    assert f.heading == "Table 1: Effects of the floods in Assam" and f.row_header == ""


def test_a_lone_row_without_a_name_over_each_figure_or_set_large_is_no_table():
    # a header over two of three figures: the third would be unnamed, so none is a cell
    runs = [(48, 676, "Cases"), (108, 676, "Deaths"), (50, 660, "24"), (110, 660, "2,849"), (170, 660, "287")]
    assert not [t for t in read_page([Run(s, x, y, 10) for x, y, s in runs]) if t.kind == "table"]
    # key figures side by side, set larger than their labels above: panels, not a table
    big = [Run("people in need", 40, 700, 10), Run("people targeted", 160, 700, 10), Run("displaced", 280, 700, 10),
           Run("9.2m", 40, 672, 24), Run("5.2m", 160, 672, 24), Run("2.8m", 280, 672, 24)]
    assert {t.kind for t in read_page(big)} == {"panel"}


def test_a_charts_vertical_axis_is_no_panel_figures(tmp_path):
    """A dashboard chart's axis labels, one under the other ("14K" ... "0K" under "New Deaths"), read as
    panel figures named by the chart's title and the next panel's label: never facts; the panel beside
    them stays."""
    runs = [(40, 760, "New Deaths")] + [(40, 740 - 20 * i, f"{14 - 2 * i}K") for i in range(8)]
    pdf = tmp_path / "dashboard.pdf"
    pdf.write_bytes(make_placed_pdf([runs + [(300, 760, "Total Deaths"), (300, 740, "2,190")]], size=12))
    report = parse_file(pdf, sidecar={})
    facts = extract_pages(report.pages, report=report.name)
    assert [(f.kind, f.text, f.label) for f in facts] == [("key_figure", "2,190", "Total Deaths")]
