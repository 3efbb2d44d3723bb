"""Registers whose rows each carry a paragraph of notes, with dates among their labels, and key-figure
labels over two lines: read from PDFs the tests build (issue-11g)."""

from __future__ import annotations

from indexer.facts import extract_pages
from indexer.parse import parse_file
from tests.pdfs import make_placed_pdf

NOTE = ("The outbreak continues to evolve across the country and cumulatively these cases with deaths have "
        "been reported from the provinces most affected")  # runs on under the figures


def _register(dates: bool = True) -> list[tuple[float, float, str]]:
    """A register of events: header lines (text columns' headers over the dates too), then rows of
    country | event | grade | (two dates) | figures, each followed by a paragraph of notes running
    across the whole table; one event's name wrapped on two lines around its row."""
    runs = [(40, 780, "All events currently monitored"),
            (360, 760, "End of"), (410, 760, "Cases"),
            (30, 752, "Country"), (100, 752, "Event"), (170, 752, "Grade"), (360, 752, "period"),
            (410, 744, "Total cases"), (470, 744, "Confirmed"), (520, 744, "Deaths"), (550, 744, "CFR")]
    rows = [("Angola", "", "Cholera", "Grade 3", "1,216", "289", "48", "3.90%"),
            ("Botswana", "Drought/food|insecurity", "", "Ungraded", "37,000", "-", "-", "0.00%"),
            ("Burundi", "", "Measles", "Ungraded", "2,905", "2,614", "0", "0.00%")]
    y = 720.0
    for country, wrapped, event, grade, *figures in rows:
        if wrapped:
            top, bottom = wrapped.split("|")
            runs += [(110, y + 5, top), (112, y - 5, bottom)]
        runs += [(42, y, country), (170, y, grade)]
        if event:
            runs.append((115, y, event))
        if dates:
            runs += [(235, y, "7-Jan-25"), (362, y, "28-Jan-25")]
        runs += [(x, y, f) for x, f in zip((412, 472, 522, 552), figures, strict=True) if f]
        runs += [(22, y - 14, NOTE), (22, y - 23, "across six provinces.")]
        y -= 44
    return runs


def _cells(tmp_path, runs, name="register.pdf"):
    pdf = tmp_path / name
    pdf.write_bytes(make_placed_pdf([runs], size=8))
    report = parse_file(pdf, sidecar={})
    return report, [(c.row, c.col, c.text, c.group) for t in report.pages[0].tables for c in t.cells]


def test_rows_with_notes_under_each_and_dates_among_their_labels(tmp_path):
    report, cells = _cells(tmp_path, _register())
    got = {(r, c, t) for r, c, t, _ in cells}
    # the rows go on past each paragraph; a record's row header is its text columns from the left, no date
    assert ("Angola Cholera Grade 3", "Cases Total cases", "1,216") in got or \
        ("Angola Cholera Grade 3", "Total cases", "1,216") in got
    assert any(r == "Burundi Measles Ungraded" and c.endswith("Confirmed") and t == "2,614" for r, c, t in got)
    assert ("Burundi Measles Ungraded", "Deaths", "0") in got and ("Angola Cholera Grade 3", "CFR", "3.90%") in got
    # an event named on two lines around its row is the event's name, whole
    assert ("Botswana Drought/food insecurity Ungraded", "CFR", "0.00%") in got
    # no paragraph and no date labels a cell
    assert not any("evolve" in r + g or "provinces" in r + g or "Jan-25" in r + g for r, _, _, g in cells)
    facts = [f for f in extract_pages(report.pages, report=report.name) if f.kind == "table_cell"]
    f = next(f for f in facts if f.row_header == "Angola Cholera Grade 3" and f.col_header.endswith("Deaths"))
    assert f.value == 48.0 and report.pages[0].text[f.start:f.end] == "48"


def test_labels_without_dates_are_levels_and_a_header_after_notes_starts_another_table(tmp_path):
    # without dates the label columns are levels as before: the innermost is the row header
    _, cells = _cells(tmp_path, _register(dates=False), "levels.pdf")
    assert ("Grade 3", "Angola Cholera") in {(r, g) for r, _, t, g in cells if t == "1,216"}
    # a paragraph, then a header over the same columns: a table of its own, named by its own header
    runs = [(30, 760, "District"), (410, 760, "Beds"), (470, 760, "Staff"),
            (42, 740, "North"), (412, 740, "120"), (472, 740, "31"),
            (42, 726, "South"), (412, 726, "80"), (472, 726, "12"),
            (22, 712, NOTE),
            (30, 698, "District"), (410, 698, "Admissions"), (470, 698, "Discharged"),
            (42, 684, "East"), (412, 684, "45"), (472, 684, "40"),
            (42, 670, "West"), (412, 670, "17"), (472, 670, "15")]
    _, cells = _cells(tmp_path, runs, "two.pdf")
    got = {(r, c, t) for r, c, t, _ in cells}
    assert ("South", "Staff", "12") in got and ("East", "Admissions", "45") in got
    assert not any(r in ("East", "West") and c in ("Beds", "Staff") for r, c, _ in got)


def test_panel_label_over_two_lines_beside_its_figure(tmp_path):
    runs = [(300, 420, "Western"), (430, 420, "48725"),
            (317, 380, "High - risk MOH Areas"), (505, 380, "96"),
            (336, 366, "[Week32, 2026]"),
            (310, 330, "Average Mid - night Total"),
            (337, 320, "[Week32, 2026]"), (499, 320, "1133"),
            (40, 250, "Dengue Deaths in 2026"), (330, 250, "68"),
            (40, 236, "Case Fatality Rate"), (330, 236, "0.07%"),
            (40, 180, "Key figures"),
            (40, 168, "Deaths reported"), (330, 168, "12"),
            (40, 130, "Children under"),
            (40, 118, "five"), (330, 118, "120"),
            (40, 70, "[Week 32]"), (330, 70, "45")]
    pdf = tmp_path / "panel.pdf"
    pdf.write_bytes(make_placed_pdf([runs], size=10))
    report = parse_file(pdf, sidecar={})
    got = {(c.row, c.text) for t in report.pages[0].tables if t.kind == "panel" for c in t.cells}
    # both lines are the label: the line under it, or the line over it
    assert ("High - risk MOH Areas [Week32, 2026]", "96") in got
    assert ("Average Mid - night Total [Week32, 2026]", "1133") in got
    # labels with a figure of their own on the next line stay apart; a heading over a label is no part of it
    assert ("Dengue Deaths in 2026", "68") in got and ("Case Fatality Rate", "0.07%") in got
    assert ("Deaths reported", "12") in got and ("Children under five", "120") in got
    # a bracketed qualifier alone is no label
    assert not any(t == "45" for _, t in got)


def _two_columns_and_a_wide_table() -> list[tuple[float, float, str]]:
    """A page of two text columns on their own baselines, and a table of one row across both whose
    caption stands over its left half: the gutter between the columns runs on through the table's
    header and row (a gap between two of its columns), so the page is read as two regions."""
    runs = [(40, 700 - 12 * i, "the river rose over the banks and the water stayed for days") for i in range(12)]
    runs += [(310, 694 - 12 * i, "families moved to camps set up by the district authorities") for i in range(12)]
    runs.append((40, 540, "Table 1: Effects of the floods in Assam"))
    for x, top, bottom, figure in ((40, "Districts", "affected", "24"), (110, "Villages", "affected", "2,500"),
                                   (180, "People", "killed", "75"), (240, "Houses", "destroyed", "287"),
                                   (320, "Crop", "area", "106,000"), (390, "Animals", "affected", "968,000"),
                                   (460, "Relief", "camps", "131"), (520, "People", "in camps", "35,000")):
        runs += [(x, 520, top), (x, 510, bottom), (x + 2, 495, figure)]
    runs += [(40, 470 - 12 * i, "relief items were handed out to the families in the camps") for i in range(6)]
    runs += [(310, 466 - 12 * i, "the national society sent volunteers to every district hit") for i in range(6)]
    return runs


def test_a_table_cut_in_two_by_a_gutter_takes_its_caption_for_both_parts(tmp_path):
    report, _ = _cells(tmp_path, _two_columns_and_a_wide_table(), "wide.pdf")
    tables = [t for t in report.pages[0].tables if t.kind == "table"]
    got = {c.text: (c.col, t.title) for t in tables for c in t.cells}
    assert got["24"] == ("Districts affected", "Table 1: Effects of the floods in Assam")
    # the right half, read as a region of its own, is the same table: its cells are "in Assam" too
    assert got["131"] == ("Relief camps", "Table 1: Effects of the floods in Assam")
    facts = {f.text: f for f in extract_pages(report.pages, report=report.name) if f.kind == "table_cell"}
    assert "Assam" in facts["35,000"].heading


def test_an_outer_header_centred_over_its_inner_headers_spans_their_columns(tmp_path):
    # "CONFIRMED CASES" and "DEATHS" each stand centred over "TOTAL" and "NEW"; the figures, set right,
    # leave the "NEW" column's middle outside the outer header: both columns are under it all the same
    runs = [(110, 700, "CONFIRMED CASES"), (260, 700, "DEATHS"),
            (105, 688, "TOTAL"), (170, 688, "NEW"), (240, 688, "TOTAL"), (288, 688, "NEW")]
    for i, (state, *figures) in enumerate((("Lagos", "18,138", "19", "202", "0"), ("Kano", "1,730", "4", "53", "1"),
                                           ("Oyo", "3,118", "0", "37", "2"))):
        y = 672 - 12 * i
        runs += [(40, y, state), (112, y, figures[0]), (188, y, figures[1]), (247, y, figures[2]),
                 (306, y, figures[3])]
    _, cells = _cells(tmp_path, runs, "spanning.pdf")
    got = {(r, c): t for r, c, t, _ in cells}
    assert got[("Lagos", "CONFIRMED CASES / TOTAL")] == "18,138"
    assert got[("Lagos", "CONFIRMED CASES / NEW")] == "19"  # not "NEW" alone: new cases, not new deaths
    assert got[("Kano", "DEATHS / NEW")] == "1" and got[("Oyo", "DEATHS / TOTAL")] == "37"
