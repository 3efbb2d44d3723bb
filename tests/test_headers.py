"""Headers read as a question writes them (`assistant/headers.py`) and cells named better beside a cell
(`assistant/siblings.py`): IOM's "Number of Ind - Rnd XIV", a month column "MAY*", a budget column dated
"29/02/2016", a "Total" column beside the one the question names."""

from __future__ import annotations

from assistant.features import asked, cover_features, cover_gap
from assistant.owners import label_other
from assistant.question import parse_question
from indexer.entries import make_entry
from indexer.records import Fact


def _cell(text: str, row: str, col: str, page: int = 5, heading: str = "") -> Fact:
    sentence = f"{row} {text}"
    return Fact(value=float(text.replace(",", "")), text=text, start=len(row) + 1, end=len(sentence), page=page,
                report="dtm.pdf", sentence=sentence, kind="table_cell", row_header=row, col_header=col,
                heading=heading, label=f"{col} {row}")


def _covers(question: str, *facts: Fact) -> list[float]:
    ask = asked(parse_question(question))
    return [cover_features(make_entry(0, f, 1), ask.words, ask.numbers)["cell_cover"] for f in facts]


def test_an_abbreviated_header_with_a_roman_round_is_named_by_the_round_written_out():
    cell = _cell("135,463", "MONGUNO", "Number of Ind - Rnd XIV")
    older = _cell("120,002", "MONGUNO", "Number of Ind - Rnd XIII")
    for q in ("How many individuals were counted in Monguno in DTM round 14?",
              "How many individuals were counted in Monguno in DTM Round XIV?"):
        now, before = _covers(q, cell, older)
        assert now == 1.0 and before < now
        # and the round asked is the header's, not another round's
        pq = parse_question(q)
        assert not label_other(pq, make_entry(0, cell, 1)) and label_other(pq, make_entry(0, older, 1))


def test_a_month_column_in_capitals_is_a_month_not_the_verb():
    """"MAY*" over a month's figures was no word at all (the verb "may" is a stopword), so the May column
    covered a question for the year's total as fully as the TOTAL column does."""
    may, total = _cell("266", "TOTAL (NEPAL)", "MAY*"), _cell("12644", "TOTAL (NEPAL)", "TOTAL")
    year, month = _covers("How many dengue cases had Nepal reported in 2024?", may, total)
    assert month == 1.0 and year == 0.0
    assert _covers("How many dengue cases did Nepal report in May 2024?", may)[0] == 1.0


def test_a_date_in_a_header_is_named_by_its_year():
    revised = _cell("74,105", "Shelter - Relief", "29/02/2016 DREF Grant Budget CHF")
    assert _covers("How much was budgeted for relief shelter in the DREF grant budget of 2016?", revised) == [1.0]


def test_a_total_column_is_not_what_a_question_naming_its_neighbour_asks():
    total = _cell("1,506,170", "BORNO", "Total", page=8)
    camps = _cell("565,175", "BORNO", "Settlement type / Camp/Camp-Like Settings", page=8)
    other = _cell("147,528", "ADAMAWA", "Total", page=8)
    elsewhere = _cell("9", "BORNO", "Camp/Camp-Like Settings", page=9)  # another table: no sibling
    ask = asked(parse_question("How many IDPs in Borno were staying in camps or camp-like settings?"))
    cands = [(0.0, make_entry(i, f, 1), {**cover_features(make_entry(i, f, 1), ask.words, ask.numbers)})
             for i, f in enumerate((total, camps, other, elsewhere))]
    assert cands[0][2]["cell_cover"] > cands[1][2]["cell_cover"]  # a "Total" header has no word to ask
    cover_gap(cands, ask)
    gaps = [f["sibling_gap"] for _, _, f in cands]
    assert gaps[1] == 0.0 and gaps[3] == 0.0 and gaps[0] > 0.5
    # a question naming no column: the total is not behind its neighbours
    plain = asked(parse_question("How many IDPs were there in Borno?"))
    cands = [(0.0, make_entry(i, f, 1), cover_features(make_entry(i, f, 1), plain.words, plain.numbers))
             for i, f in enumerate((total, camps))]
    cover_gap(cands, plain)
    assert [f["sibling_gap"] for _, _, f in cands] == [0.0, 0.0]


def test_a_generic_word_for_persons_in_a_header_says_how_it_counts_not_what():
    """"Number of Ind" counts IDPs in individuals: "how many IDPs" names that column no less than "how many
    individuals" does (the households column beside it still differs by its word)."""
    people, homes = _cell("135,463", "MONGUNO", "Number of Ind - Rnd XIV"), _cell("27,000", "MONGUNO", "HH - Rnd XIV")
    named, other = _covers("How many IDPs were counted in Monguno in DTM Round XIV?", people, homes)
    assert named == 1.0 and other < 1.0
