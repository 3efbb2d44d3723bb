"""Tables read across pages and sparse tables, figures with a "B" for billion, from PDFs the tests
build (issue #11): a register whose rows go on on the next page under no header of their own, a
budget whose first rows fill few of its columns."""

from __future__ import annotations

from indexer.facts import extract_pages
from indexer.parse import parse_file
from tests.pdfs import make_placed_pdf

NOTE = ("The outbreak continues to evolve across the country and cumulatively these cases with deaths have "
        "been reported from the provinces most affected")  # runs on under the figures
RUNNING = [(47, 810, "WEEKLY BULLETIN ON OUTBREAKS AND OTHER EMERGENCIES"), (556, 805, "9"),
           (47, 797, "WEEK 05: 27 JANUARY TO 02 FEBRUARY"), (201, 797, "2025")]
HEADER = [(40, 772, "All events currently monitored"),
          (360, 752, "End of"), (410, 752, "Cases"),
          (30, 744, "Country"), (100, 744, "Event"), (170, 744, "Grade"), (360, 744, "period"),
          (410, 736, "Total cases"), (470, 736, "Confirmed"), (520, 736, "Deaths"), (550, 736, "CFR")]


def _rows(rows, y: float, x: tuple[float, ...] = (412, 472, 522, 552)) -> list[tuple[float, float, str]]:
    """Register rows (country, event, grade, figures...), each with a paragraph of notes under it."""
    runs = []
    for country, event, grade, *figures in rows:
        runs += [(42, y, country), (115, y, event), (170, y, grade), (235, y, "7-Jan-25"), (362, y, "28-Jan-25")]
        runs += [(xx, y, f) for xx, f in zip(x, figures, strict=True) if f]
        runs += [(22, y - 14, NOTE), (22, y - 23, "across six provinces reported in")]
        y -= 44
    return runs


def _pages(tmp_path, pages, name="bulletin.pdf"):
    pdf = tmp_path / name
    pdf.write_bytes(make_placed_pdf(pages, size=8))
    report = parse_file(pdf, sidecar={})
    return report, [{(c.row, c.col, c.text) for t in p.tables for c in t.cells} for p in report.pages]


def test_rows_go_on_under_the_header_of_the_page_before(tmp_path):
    first = [*RUNNING, *HEADER, *_rows([("Angola", "Cholera", "Grade 3", "1,216", "289", "48", "3.90%"),
                                        ("Burundi", "Measles", "Ungraded", "2,905", "2,614", "0", "0.00%")], 712)]
    # the next page: its running header, then rows on the same columns, under no header of their own; a
    # row of empty marks and a note whose line ends in a figure among them
    second = [*RUNNING,
              *_rows([("Chad", "Measles", "Ungraded", "3626", "", "5", "0.10%")], 770),
              (42, 726, "Chad"), (115, 726, "Malnutrition"), (170, 726, "Ungraded"), (412, 726, "-"),
              (472, 726, "-"), (522, 726, "-"),
              (22, 712, NOTE), (22, 703, "as compared with Epi-week 50 of"), (160, 703, "2024"),
              *_rows([("Kenya", "Anthrax", "Ungraded", "21", "5", "", "4.80%"),  # a column Chad's row left empty
                      ("Ghana", "Cholera", "Grade 3", "5293", "460", "42", "0.80%")], 680)]
    report, (one, two) = _pages(tmp_path, [first, second])
    assert ("Angola Cholera Grade 3", "Deaths", "48") in one
    assert {("Chad Measles Ungraded", "Deaths", "5"), ("Ghana Cholera Grade 3", "Deaths", "42"),
            ("Ghana Cholera Grade 3", "Confirmed", "460") if ("Ghana Cholera Grade 3", "Confirmed", "460") in two
            else ("Ghana Cholera Grade 3", "Cases Confirmed", "460"),
            ("Kenya Anthrax Ungraded", "CFR", "4.80%")} <= two
    # no running header, note or year names a column or a row
    assert not any("WEEK" in c or "BULLETIN" in c or "evolve" in r or t == "2024" for r, c, t in two)
    facts = [f for f in extract_pages(report.pages, report=report.name) if f.kind == "table_cell" and f.page == 2]
    f = next(f for f in facts if f.row_header == "Ghana Cholera Grade 3" and f.col_header == "Deaths")
    assert f.value == 42.0 and report.pages[1].text[f.start:f.end] == "42"


def test_the_page_before_lends_no_header_to_other_columns_or_a_header_of_its_own(tmp_path):
    first = [*HEADER, *_rows([("Angola", "Cholera", "Grade 3", "1,216", "289", "48", "3.90%"),
                              ("Burundi", "Measles", "Ungraded", "2,905", "2,614", "0", "0.00%")], 712)]
    # figures standing elsewhere: another table, not this one going on
    elsewhere = _rows([("Chad", "Measles", "Ungraded", "3626", "12", "5", "0.10%"),
                       ("Niger", "Measles", "Ungraded", "1,001", "40", "2", "0.20%")], 770, x=(300, 340, 380, 420))
    # the same columns under a header of this page's own: named by it
    own = [(410, 790, "Beds"), (470, 790, "Staff"), (520, 790, "Wards"), (550, 790, "Rate"),
           *_rows([("Chad", "Measles", "Ungraded", "3626", "12", "5", "0.10%"),
                   ("Niger", "Measles", "Ungraded", "1,001", "40", "2", "0.20%")], 770)]
    _, (_, two, three) = _pages(tmp_path, [first, elsewhere, own])
    assert not two
    assert ("Chad Measles Ungraded", "Wards", "5") in three
    assert not any(c in ("Deaths", "Total cases", "CFR") for _, c, _ in three)


# An expenditure report: "BUDGET (C)" fills two of the four columns, the next rows two others; the
# rows that fill every column come later.
SPARSE = [(50, 735, "III. Expenditure"),
          (165, 709, "Budget"), (270, 709, "Spent"), (465, 709, "TOTAL"), (513, 709, "Variance"),
          (52, 690, "BUDGET (C)"), (275, 690, "130,149"), (479, 690, "130,149"),
          (52, 676, "Relief items"),
          (52, 664, "Shelter - Relief"), (176, 664, "3,055"), (534, 664, "3,055"),
          (52, 652, "Utensils & Tools"), (176, 652, "18,313"), (534, 652, "18,313"),
          (52, 640, "Volunteers"), (180, 640, "3,722"), (286, 640, "750"), (491, 640, "750"), (537, 640, "2,972"),
          (52, 628, "Travel"), (180, 628, "6,802"), (282, 628, "2,162"), (486, 628, "2,162"), (537, 628, "4,640")]


def test_a_sparse_table_whose_fuller_rows_come_later_is_one_table(tmp_path):
    _, (cells,) = _pages(tmp_path, [SPARSE], "budget.pdf")
    assert {("BUDGET (C)", "Spent", "130,149"), ("BUDGET (C)", "TOTAL", "130,149"),
            ("Shelter - Relief", "Budget", "3,055"), ("Shelter - Relief", "Variance", "3,055"),
            ("Travel", "Spent", "2,162"), ("Travel", "Variance", "4,640")} <= cells


def test_a_billion_written_B_after_decimals(tmp_path):
    runs = [(31, 783, "Country Strategic Plan (2024 - 2028)"),
            (31, 765, "Total Requirements"), (115, 765, "Allocated Contributions"), (215, 765, "Net Funding"),
            (31, 757, "(in USD)"), (115, 757, "(in USD)"), (215, 757, "Requirements (in USD)"),
            (56, 740, "1.5 B"), (141, 740, "278.8 M"), (248, 740, "134.9 M")]
    report, (cells,) = _pages(tmp_path, [runs], "brief.pdf")
    assert ("", "Allocated Contributions (in USD)", "278.8 M") in cells
    facts = {f.col_header: f for f in extract_pages(report.pages, report=report.name) if f.kind == "table_cell"}
    assert facts["Total Requirements (in USD)"].value == 1.5e9
    assert facts["Allocated Contributions (in USD)"].value == 278.8e6


# A cover page's form fields above a table (labels after figures at one place on two lines), then a table
# whose "People displaced" column is empty on this page; the next page goes on with its rows, filling it.
FORM = [(36, 420, "Operation start date: 08 December 2019"), (250, 420, "12"), (318, 420, "Operation end date"),
        (36, 405, "Number of people affected: 2,996"), (250, 405, "7"), (318, 405, "Number of people assisted")]
AFFECTED = [(188, 161, "Table 1: People affected per location. Source: BNGRC"),
            (302, 149, "People"), (371, 149, "People"), (435, 149, "People displaced"),
            (104, 144, "Regions"), (181, 144, "Districts"), (240, 144, "Fatalities"),
            (298, 139, "Affected"), (365, 139, "displaced"), (445, 139, "(Cumulative)"),
            (171, 126, "Mahajanga I"), (309, 126, "172"), (464, 126, "172"),
            (83, 118, "Boeny"),
            (171, 110, "Soalala"), (257, 110, "4"), (305, 110, "1,300"), (461, 110, "1,300"),
            (83, 95, "Total Boeny"), (257, 95, "4"), (305, 95, "1,472"), (461, 95, "1,472"),
            (83, 79, "Diana"), (171, 79, "Diego I"), (309, 79, "220")]
GOES_ON = [(83, 789, "Total Diana"), (309, 789, "220"),
           (83, 773, "Melaky"), (171, 773, "Besalampy"), (305, 773, "1,001"), (378, 773, "536"), (464, 773, "880"),
           (83, 742, "Menabe"), (171, 742, "Morondava"), (309, 742, "303"), (464, 742, "303"),
           (83, 711, "Total"), (257, 711, "4"), (305, 711, "2,996"), (378, 711, "536"), (461, 711, "2,655"),
           (36, 684, "Soalala town's main hospital was flooded, affecting the availability of essential services.")]


def test_a_column_of_figures_is_never_cut_apart_by_form_fields_above(tmp_path):
    """Labels after figures at one place on two lines start a table beside another (`regions._bands`), unless
    the place runs through a column of figures: here it falls inside "People Affected"'s figures."""
    _, (one,) = _pages(tmp_path, [[*FORM, *AFFECTED]], "dref.pdf")
    assert {("Soalala", "People Affected", "1,300"), ("Soalala", "People displaced (Cumulative)", "1,300"),
            ("Total Boeny", "Fatalities", "4")} <= one


def test_a_table_going_on_fills_a_column_the_page_before_left_empty(tmp_path):
    report, (one, two) = _pages(tmp_path, [[*FORM, *AFFECTED], GOES_ON], "dref.pdf")
    assert ("Mahajanga I", "People displaced (Cumulative)", "172") in one
    assert {("Total Diana", "People Affected", "220"), ("Besalampy", "People Affected", "1,001"),
            ("Besalampy", "People displaced", "536"), ("Besalampy", "People displaced (Cumulative)", "880"),
            ("Total", "People displaced (Cumulative)", "2,655")} <= two
    titles = {t.title for t in report.pages[1].tables if t.kind == "table"}
    assert titles == {"Table 1: People affected per location. Source: BNGRC"}  # its caption goes on with it
