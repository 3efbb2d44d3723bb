"""Features of a candidate that tables and panels need: a cell addressed by its row and column (words
and numbers of its headers), a key figure by its label, a country named by a page's running header."""

from __future__ import annotations

from assistant.features import asked, cover_features, numbers_of, pool_features
from assistant.question import content_words, parse_question
from indexer.entries import make_entry
from indexer.records import Fact
from vocabulary.roots import root

Q = "How many suspected cases were recorded cumulatively from week 1 to week 5 of 2021 in Lagos?"


def _cell(text: str, row: str, col: str, kind: str = "table_cell", label: str = "") -> Fact:
    sentence = f"{row} {text}"
    return Fact(value=float(text.replace(",", "")), text=text, start=len(row) + 1, end=len(sentence),
                sentence=sentence, kind=kind, row_header=row, col_header=col, label=label or f"{col} {row}")


def _pool(q, fact: Fact, page_top: str = "") -> dict[str, float]:
    """A fact's pool features for a parsed question, asked with the question's own words."""
    words = {root(w) for w in content_words(q.text)}
    return pool_features(q, make_entry(0, fact, 1), words, frozenset(), False, page_top=page_top,
                         places=asked(q).places)


def _cover(fact: Fact, question: str = Q) -> dict[str, float]:
    asked = {root(w) for w in content_words(question)} | {"lagos"}
    return cover_features(make_entry(0, fact, 1), asked, numbers_of(question))


def test_a_cell_is_addressed_by_its_row_and_column_words_and_numbers():
    right = _cover(_cell("513", "Lagos", "Suspected cases / 2021 Cumulative (week 1-5)"))
    this_week = _cover(_cell("107", "Lagos", "Suspected cases / Current week (week 5)"))
    other_row = _cover(_cell("98", "Kano", "Suspected cases / 2021 Cumulative (week 1-5)"))
    assert right["cell_cover"] == 1.0 and right["panel_cover"] == 0.0
    assert 0.0 < this_week["cell_cover"] < right["cell_cover"]  # "Current" is not asked
    assert other_row["cell_cover"] == 0.0  # the row is another state: row x column


def test_a_number_glued_to_a_header_word_counts():
    asked = "How many dengue cases did Colombo report in week 31 of 2026?"
    week31 = _cover(_cell("1,004", "Colombo", "No. of cases / 2026 / Week31"), asked)
    week30 = _cover(_cell("1,448", "Colombo", "No. of cases / 2026 / Week 30"), asked)
    assert week31["cell_cover"] > week30["cell_cover"]


def test_a_key_figure_is_addressed_by_its_label():
    fig = _cover(_cell("68", "Dengue Deaths in 2026", "", kind="key_figure", label="Dengue Deaths in 2026"),
                 "How many dengue deaths did Sri Lanka record in 2026?")
    assert fig == {"cell_cover": 0.0, "panel_cover": 1.0}


def test_a_page_headed_for_another_country_names_another_country():
    q = parse_question("What percentage of Niger's 2016 health requirement was funded?")
    cell = _cell("22", "HEALTH", "2016 % FUNDED")
    assert _pool(q, cell)["country_other"] == 0.0
    assert _pool(q, cell, "2017 Humanitarian Needs Overview: Nigeria 2017")["country_other"] == 1.0
    assert _pool(q, cell, "2017 Humanitarian Needs Overview: Niger")["country_other"] == 0.0
    # the figure's own heading says which country: the running header does not overrule it
    assert _pool(q, _cell("107", "Health in Niger", "2016 % FUNDED"), "Overview: Nigeria")["country_other"] == 0.0


def test_a_running_total_answers_a_span_not_one_period():
    """"Up to Week31" and "2023 Cumulative (week 1-18)" are running totals: asked for by "cumulative",
    "so far", "from week 1 to week 18", "weeks 1-5"; not by "in week 31" or "that week"."""
    from assistant.features import span_features

    up_to = make_entry(0, _cell("18322", "Gampaha", "Up to Week31 / 2026"), 1)
    week = make_entry(0, _cell("931", "Gampaha", "No. of cases / 2026 / Week 31"), 1)
    cum = make_entry(0, _cell("929", "Confirmed cases", "2023 Cumulative (week 1-18)"), 1)
    one = parse_question("How many dengue cases did Gampaha district report in week 31 of 2026?")
    span = parse_question("What is Gampaha's cumulative case count for 2026 up to week 31?")
    weeks = parse_question("How many confirmed cases were recorded from epi week 1 to week 18 of 2023?")
    at = parse_question("What was the total number of cases in Gampaha as of 15 August 2026?")
    assert span_features(one, up_to) == {"span_asked": 0.0, "span_unasked": 1.0}
    assert span_features(one, week) == {"span_asked": 0.0, "span_unasked": 0.0}
    assert span_features(span, up_to) == {"span_asked": 1.0, "span_unasked": 0.0}
    assert span_features(weeks, cum)["span_asked"] == 1.0
    # a figure at a date is a running total as well as a level: no penalty either way
    assert span_features(at, up_to) == {"span_asked": 0.0, "span_unasked": 0.0}
    # a prose figure's clause says it too
    prose = Fact(value=5218, text="5218", start=28, end=32, sentence="Since the start of the year, 5218 suspected "
                 "cases were recorded", kind="prose")
    assert span_features(one, make_entry(0, prose, 1))["span_unasked"] == 1.0


def test_a_row_header_opening_with_a_year_names_no_place():
    """"2023 Cumulative (week 1-18)" opens with a year: "Cumulative" is its first word, not a name the
    question leaves out; "Confirmed cases in Lagos" names a narrower place."""
    q = parse_question("How many confirmed Lassa fever cases were recorded from week 1 to week 18 of 2023?")
    assert _pool(q, _cell("929", "2023 Cumulative (week 1-18)", "Confirmed cases"))["names_unasked"] == 0.0
    assert _pool(q, _cell("12", "Confirmed cases in Lagos", "Week 18"))["names_unasked"] == 1.0


def test_a_name_asked_by_its_acronym_is_asked():
    """"MOH areas" asks for "Medical Officer of Health (MOH) areas" by the acronym the clause writes after the
    name; a name whose acronym the question does not write is still one it leaves out."""
    s = "During week 31, 119 Medical Officer of Health (MOH) areas were identified as high-risk"
    fig = Fact(value=119, text="119", start=s.index("119"), end=s.index("119") + 3, sentence=s, kind="prose")
    asked = parse_question("How many MOH areas were classed as high-risk for dengue in week 31?")
    other = parse_question("How many areas were classed as high-risk for dengue in week 31?")
    assert _pool(asked, fig)["names_unasked"] == 0.0
    assert _pool(other, fig)["names_unasked"] == 1.0


def test_a_key_figures_label_under_its_number_names_no_place():
    """A panel writes its figure over its label ("58,900 Estimated pregnant women"): "Estimated" opens the
    label and names no place the question leaves out; a capital inside the label ("... in Jinka") does."""
    q = parse_question("How many pregnant women were estimated among those affected by the hurricane?")

    def panel(sentence: str) -> Fact:
        return Fact(value=58900, text="58,900", start=0, end=6, sentence=sentence, kind="key_figure",
                    label=sentence[7:])

    assert _pool(q, panel("58,900 Estimated pregnant women"))["names_unasked"] == 0.0
    assert _pool(q, panel("58,900 Estimated pregnant women in Jinka"))["names_unasked"] == 1.0


def test_a_currency_in_a_header_is_the_cells_unit_not_a_word_to_ask():
    """"Allocated Contributions (in USD)", "2017 REQUIREMENT (IN US$)", "Budget CHF": the currency says what
    the cells are counted in; a question asks "how much in allocated contributions", not "... in USD"."""
    q = "How much in allocated contributions has the country strategic plan received?"
    usd = _cover(_cell("311.3", "", "Allocated Contributions (in USD)"), q)
    assert usd["cell_cover"] == 1.0
    req = _cover(_cell("17,023,664", "NUTRITION", "2017 REQUIREMENT (IN US$)"),
                 "What is the 2017 requirement for nutrition?")
    assert req["cell_cover"] == 1.0
    # a header word that is no currency still counts against the cover
    assert _cover(_cell("134.9", "", "Twelve-Month Net Funding Requirements (in USD)"), q)["cell_cover"] < 0.5


def test_a_key_figure_is_addressed_by_its_own_line_too():
    """The label read for a box can take the page's heading or a neighbouring line ("Situation Report 4 ...
    SITUATION IN NUMBERS: People in shelters"); the box's own line ("People in shelters*: 15 155") names it."""
    fig = Fact(value=15155, text="15 155", start=21, end=27, sentence="People in shelters*: 15 155",
               kind="key_figure", label="Nouveau Lycee Marie People in shelters")
    assert _cover(fig, "What was the number of people in shelters in Haiti?")["panel_cover"] == 1.0


def test_an_acronym_the_reports_define_names_a_label():
    """"CBT" over "USD 6.7 M" is what "cash-based transfers" asks for when the reports define CBT: the
    acronyms `Loaded.expand_acronyms` finds for the question count as its words."""
    from assistant.features import asked

    q = parse_question("How much does the plan need for cash-based transfers?")
    fig = make_entry(0, Fact(value=6.7e6, text="6.7 M", start=4, end=9, sentence="USD 6.7 M", kind="key_figure",
                             label="CBT"), 1)
    plain, known = asked(q), asked(q, ["cbt"])
    assert cover_features(fig, plain.words, plain.numbers)["panel_cover"] == 0.0
    assert cover_features(fig, known.words, known.numbers)["panel_cover"] == 1.0


def test_a_label_colon_figure_line_is_addressed_by_its_label():
    """"Health facilities affected**: 10" and "MIN CENTRAL PRESSURE: 909 MB" are boxes read as prose lines:
    their label names them as a key figure's does; a sentence with a colon inside is no such line."""
    q = "How many health facilities were affected by the hurricane?"
    box = Fact(value=10, text="10", start=30, end=32, sentence="Health facilities affected**: 10", kind="prose")
    assert _cover(box, q)["panel_cover"] == 1.0
    money = Fact(value=18e6, text="18 million", start=17, end=27, sentence="Total Needs: USD 18 million", kind="prose")
    assert _cover(money, "What are the total needs?")["panel_cover"] == 1.0
    long = Fact(value=10, text="10", start=50, end=52, kind="prose",
                sentence="Health facilities: the ministry reports that 10 were affected")
    assert _cover(long, q)["panel_cover"] == 0.0


def test_cover_gap_is_how_far_a_candidate_is_named_less_than_the_best():
    """When the question names a cell whole, its neighbours and the sentences around it are named less:
    `cover_gap` is each candidate's cover minus the best (0 for the best, -1 for a sentence beside a cell
    the question names whole)."""
    from assistant.features import cover_gap

    cell, neighbour, prose = ({"cell_cover": c, "panel_cover": 0.0} for c in (1.0, 0.25, 0.0))
    cover_gap([(0.0, None, f) for f in (cell, neighbour, prose)])
    assert [f["cover_gap"] for f in (cell, neighbour, prose)] == [0.0, -0.75, -1.0]
    alone = {"cell_cover": 0.0, "panel_cover": 0.0}
    cover_gap([(0.0, None, alone)])
    assert alone["cover_gap"] == 0.0  # no cell or box named: no gap


def test_a_year_before_a_comma_or_a_full_stop_is_asked():
    # "of 2021, according to ...": the year the question writes is 2021, so the 2020 column is another year's
    q = parse_question("How many suspected cases did Nigeria record from week 1 to week 5 of 2021, according "
                       "to the NCDC report for week 5?")
    last_year = _cell("1226", "Suspected cases", "2020 Cumulative (week 1-5)")
    this_year = _cell("513", "Suspected cases", "2021 Cumulative (week 1-5)")
    assert _pool(q, last_year)["year_other"] == 1.0
    assert _pool(q, this_year)["year_other"] == 0.0
    assert _pool(parse_question("How many suspected cases were there in 2020."), this_year)["year_other"] == 1.0
    # a number with a year's digits inside is no year
    assert _pool(parse_question("Was the rate 2019.5 per 100,000?"), last_year)["year_other"] == 0.0


def test_a_country_whose_name_is_a_word_is_named_by_a_header_in_capitals():
    # "CHAD" heads a row of a regional table: the cell is Chad's, not Nigeria's
    q = parse_question("How much money was required for food security in Nigeria for 2017?")
    assert _pool(q, _cell("49,034,862", "CHAD", "FOOD SECURITY"))["country_other"] == 1.0
    assert _pool(q, _cell("480,260,433", "NIGERIA", "FOOD SECURITY"))["country_other"] == 0.0


def test_header_words_a_layout_glued_together_are_read_apart():
    # the layout dropped the space between two runs: "Kingabua" + "Pécheur", the account code "CAXB" + its line
    q = "How many people were displaced in the Kingabua Pécheur neighbourhood?"
    asked = {root(w) for w in content_words(q)} | {"kingabua", root("pécheur")}
    glued = make_entry(0, _cell("3,000", "KingabuaPécheur", "No. displaced people"), 1)
    assert cover_features(glued, asked, numbers_of(q))["cell_cover"] == 1.0
    budget = _cover(_cell("28,000", "CAXBClothing & Textiles", "Budget"),
                    "What was the budget for clothing and textiles?")
    assert budget["cell_cover"] == 2 / 3  # "clothing", "textiles" of "CAXB Clothing & Textiles"; the code unasked
    # a plural, or a word a small-caps font wrote with a capital inside, stays one word
    assert _cover(_cell("12", "IDPs", "Total"), "How many IDPs in total?")["cell_cover"] == 1.0
    assert _cover(_cell("184,000", "# refUgees", "Total"), "How many refugees in total?")["cell_cover"] == 1.0


def test_a_name_the_question_copied_glued_finds_the_header_read_apart():
    from assistant.features import asked

    q = parse_question("How many people were displaced in the KingabuaPécheur neighbourhood?")
    cell = make_entry(0, _cell("3,000", "KingabuaPécheur", "No. displaced people"), 1)
    ask = asked(q)
    assert cover_features(cell, ask.words, ask.numbers)["cell_cover"] == 1.0


def test_a_place_a_title_lists_with_others_is_asked_when_named_alone():
    """"Floods (Assam and Manipur)": a question naming Manipur alone asks for a figure about Manipur (the name is
    no longer one of the report's own words); naming both, or neither, names the report as before."""
    from types import SimpleNamespace

    from assistant.engine import Loaded

    report = SimpleNamespace(title="India: Floods (Assam and Manipur) - DREF operation n° MDRIN018 final report",
                             publisher="IFRC", name="MDRIN018DREF_final.pdf")
    s = SimpleNamespace(reports={0: report}, _report_words={}, _report_lists={})
    s.report_words = lambda rid: Loaded.report_words(s, rid)
    s.report_lists = lambda rid: Loaded.report_lists(s, rid)
    assert s.report_lists(0) == (frozenset({"assam", "manipur"}),)
    assert "manipur" in s.report_words(0)
    assert "manipur" not in Loaded.own_words(s, {"manipur"})(0)
    assert {"assam", "manipur"} <= Loaded.own_words(s, {"assam", "manipur"})(0)
    # naming the report by its whole list and one place again on its own asks about that place
    again = Loaded.own_words(s, {"assam", "manipur"}, "How many died in Manipur, per the final report for Assam and "
                                                       "Manipur?")(0)
    assert "assam" in again and "manipur" not in again


def test_a_regional_bulletins_section_names_its_country_in_its_prose():
    """A WHO AFRO bulletin's section on one event: its heading is a page up, the lines before a figure name the
    country in prose; the last country named before the figure decides, a heading naming one first."""
    from assistant.features import section_country

    before = ("EVENT DESCRIPTION\nOn 30 January 2025, the Ministry of Health of Uganda notified WHO of an outbreak\n"
              "of Sudan virus disease in Kampala.\nPUBLIC HEALTH ACTIONS\n")
    assert section_country(before, ["Uganda"])
    assert not section_country(before, ["Kenya"])
    # the last country named is the section's: a neighbour named earlier does not count
    assert not section_country("Cases were exported from Uganda.\nIn Angola, cholera cases rose.\n", ["Uganda"])
    assert not section_country("PUBLIC HEALTH ACTIONS\nSurveillance continues.\n", ["Uganda"])


def _said(sentence: str, figure: str, start: int = 0) -> Fact:
    at = sentence.index(figure)
    return Fact(value=float(figure.replace(",", "")), text=figure, start=at, end=at + len(figure),
                sentence=sentence, sentence_start=start)


def test_a_place_asked_that_the_figure_does_not_carry_is_missing():
    from assistant.context import asked_places
    from assistant.features import name_parts

    for text, places in [("How many people died in Manipur, per the IFRC DREF final report?", [("manipur",)]),
                         ("How many dengue deaths did Colombo district record in 2026?", [("colombo",)]),
                         ("In WFP's analysis of Hurricane Melissa, what share of households lost access?", []),
                         ("How many people were reached in Peru in the R4V update?", []),
                         ("How many latrines were affected in Grand'Anse department?", [("grand", "ans")]),
                         ("How many were injured in Petit-Goâve alone?", [("petit", "goâv")]),
                         ("How many kits were given in IOM's sites in Haiti's Nord-Est?", [("nord", "est")])]:
        assert list(asked_places(text, name_parts(parse_question(text)))) == places, text
    q = parse_question("How many people died in the 2017 floods in Manipur?")
    assam = _said("According to Assam's authority, 75 people were killed in 24 districts.", "75")
    manipur = _said("In Manipur, 8 people were killed.", "8")
    assert _pool(q, assam)["place_missing"] == 1.0 and _pool(q, manipur)["place_missing"] == 0.0
    national = parse_question("How many people died in the 2017 floods?")
    assert _pool(national, assam)["place_missing"] == 0.0


def test_a_sentence_that_points_back_is_read_with_the_one_before():
    from assistant.context import lead_sentence, lead_share
    from assistant.match import query_words

    page = ("HIGHLIGHTS\n- Sustained rainfall is expected.\n- The CERF Anticipatory Action Framework has been "
            "activated. A total of US$4 million has been allocated to WFP, UNICEF and IOM.\nSITUATION OVERVIEW")
    start = page.index("A total")
    assert lead_sentence(page, start) == "The CERF Anticipatory Action Framework has been activated."
    assert lead_sentence(page, page.index("The CERF")) == ""  # a bullet's first sentence leads nothing
    q = parse_question("How much did CERF release through its anticipatory action framework?")
    weighted = [(w, 1.0) for w in query_words(q)]
    pointing = _said(page[start:page.index("\nSITUATION")], "4", start)
    assert lead_share(weighted, make_entry(0, pointing, 1), lambda rid, page_no: page) > 0.5
    plain = _said("WFP allocated US$4 million to partners.", "4", start)  # says what it counts itself
    assert lead_share(weighted, make_entry(0, plain, 1), lambda rid, page_no: page) == 0.0


def test_a_place_asked_nearer_another_number_of_the_sentence_is_elsewhere():
    q = parse_question("How many drinking water systems were damaged in the South-East department?")
    sentence = "63 drinking water systems damaged (17 in the South, 24 in South-East, 9 in Nippes) on 28 October"
    assert _pool(q, _said(sentence, "63"))["place_elsewhere"] == 1.0  # the total: South-East has its own 24
    assert _pool(q, _said(sentence, "24"))["place_elsewhere"] == 0.0
    assert _pool(q, _said(sentence, "17"))["place_elsewhere"] == 1.0  # "the South" is not "South-East"
    # a day is no figure of a place: "on 8 January in Port-au-Prince, 5,836 people" gives the place 5,836
    q = parse_question("How many people were displaced in Port-au-Prince?")
    assert _pool(q, _said("Attacks on January 8 in Port-au-Prince displaced 5,836 people", "5,836"))[
        "place_elsewhere"] == 0.0
    # "in IPC Phase 4" names a phase, not a place
    assert asked(parse_question("What share of households are in IPC Phase 4?")).places == ()
