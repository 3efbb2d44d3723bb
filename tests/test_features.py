"""Features of a candidate that tables and panels need: a cell addressed by its row and column (words
and numbers of its headers), a key figure by its label, a country named by a page's running header."""

from __future__ import annotations

from assistant.features import cover_features, numbers_of, pool_features
from assistant.question import content_words, parse_question
from indexer.entries import make_entry
from indexer.records import Fact
from vocabulary.roots import root

Q = "How many suspected cases were recorded cumulatively from week 1 to week 5 of 2021 in Lagos?"


def _cell(text: str, row: str, col: str, kind: str = "table_cell", label: str = "") -> Fact:
    sentence = f"{row} {text}"
    return Fact(value=float(text.replace(",", "")), text=text, start=len(row) + 1, end=len(sentence),
                sentence=sentence, kind=kind, row_header=row, col_header=col, label=label or f"{col} {row}")


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
    e = make_entry(0, _cell("22", "HEALTH", "2016 % FUNDED"), 1)
    own = frozenset()
    words = {root(w) for w in content_words(q.text)}
    assert pool_features(q, e, words, own, False)["country_other"] == 0.0
    other = pool_features(q, e, words, own, False, page_top="2017 Humanitarian Needs Overview: Nigeria 2017")
    assert other["country_other"] == 1.0
    same = pool_features(q, e, words, own, False, page_top="2017 Humanitarian Needs Overview: Niger")
    assert same["country_other"] == 0.0
    # the figure's own heading says which country: the running header does not overrule it
    niger = make_entry(0, _cell("107", "Health in Niger", "2016 % FUNDED"), 1)
    assert pool_features(q, niger, words, own, False, page_top="Overview: Nigeria")["country_other"] == 0.0
