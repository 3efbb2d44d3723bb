"""The shared vocabulary (vocabulary/): the indexer and the assistant name sectors, currencies and
months alike, and each list lives in one place."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assistant.match import MONEY_UNITS, unit_fits
from assistant.question import parse_question
from indexer.facts import extract
from indexer.facts.labels import _sector
from indexer.numbers import CURRENCIES
from indexer.records import Fact
from vocabulary.months import MONTH_NUMBERS, MONTHS
from vocabulary.sectors import SECTOR_PATTERNS, SECTORS, sector_of


def test_the_indexer_names_only_sectors_the_questions_know():
    assert {name for name, _ in SECTOR_PATTERNS} <= set(SECTORS)


@pytest.mark.parametrize("sector, word", [(s, w) for s, words in SECTORS.items() for w in (s, *words)])
def test_a_sector_word_names_the_same_sector_on_both_sides(sector, word):
    """What the indexer reads a sector word as (when it reads it at all) is what the question side does."""
    found = _sector(word)
    assert found in ("", sector), f"{word!r}: the indexer says {found!r}, questions say {sector!r}"


@pytest.mark.parametrize("text, sector", [
    ("The Livelihoods sector reached 1,200 people with vocational training.", "Livelihoods"),
    ("The CBI sector reached 3,000 people with multipurpose cash.", "CBI / Cash"),
    ("The Integration sector reached 500 people with employment support.", "Integration"),
])
def test_a_fact_and_a_question_about_it_name_one_sector(text, sector):
    [fact] = extract(text)
    question = parse_question(f"How many people did the {sector} sector reach?")
    assert fact.sector == question.sector == sector


def test_every_currency_the_indexer_normalises_to_is_money_to_the_matcher():
    codes = set(CURRENCIES.values())
    assert codes <= MONEY_UNITS and MONEY_UNITS - codes <= {"money"}


@pytest.mark.parametrize("text, code", [("SYP 1,983", "SYP"), ("AFN 50", "AFN"), ("LBP 1,500", "LBP"),
                                        ("NGN 2,000", "NGN"), ("₦ 2,000", "NGN")])
def test_an_amount_in_any_currency_is_money_on_both_sides(text, code):
    [fact] = extract(f"The price was {text}.")
    assert fact.unit_norm == code and code in MONEY_UNITS


@pytest.mark.parametrize("sentence, kind", [
    ("The price was SYP 1,983.", "money"),
    ("The plan requires 36 million Euro.", "money"),  # a currency written out, no code
    ("About 40% of households lack water.", "percent"),  # a share of people is a percentage
    ("Partners assisted 5,000 refugees and migrants.", "people"),
    ("Some 300 households received cash.", "people"),
    # those trained or on standby are people: "how many people were trained" is answered by them
    ("Training was given to 35 participants.", "people"),
    ("CARILEC has 102 electrical utility personnel on standby.", "people"),
    ("Partners distributed 1,200 hygiene kits.", "count"),
])
def test_a_fact_is_made_with_its_unit_kind_and_the_matcher_reads_that(sentence, kind):
    [fact] = extract(sentence)
    assert fact.unit_kind == kind
    assert unit_fits("money", fact) == (kind == "money") and unit_fits("percent", fact) == (kind == "percent")
    assert unit_fits("count", fact) == (kind in ("people", "count"))
    assert replace(fact, unit=None, unit_norm="USD").unit_kind == ("percent" if kind == "percent" else "money")
    stored = object.__new__(Fact)  # the kind as stored, whatever the unit's text says: the matcher reads it
    stored.__dict__.update(vars(fact), unit_kind="money" if kind != "money" else "count")
    assert unit_fits("money", stored) == (kind != "money")


def test_month_names_are_one_table():
    assert set(MONTH_NUMBERS) == set(MONTHS.split("|"))
    assert all(re.fullmatch(MONTHS, name, re.I) for name in ("September", "Sept", "Septiembre", "Septembre"))
    assert sector_of("") == ""


# One meaning, one place: these names are defined in vocabulary/ and nowhere else.
SHARED = ("MONTHS", "MONTH_WORDS", "MONTH_NUMBERS", "STOPWORDS", "PHRASE_STOPS", "SEARCH_STOPWORDS", "SECTORS",
          "SECTOR_PATTERNS", "SENTENCE_END", "PASSAGE_BREAK", "ABBREVIATIONS", "COUNTRY_NAMES", "DEMONYMS",
          "COUNTRIES", "PEOPLE_WORDS", "PEOPLE_UNITS", "CURRENCY_WORDS", "LEMMAS", "SYNONYM_GROUPS")


# Copies tolerated while a module is being reworked (issue #15); the list may only shrink. The report
# metadata reader's country list (a report's country from its first page) names fewer countries, with
# its own aliases, than vocabulary/countries.py: making it that one changes reports' country fields, so
# it wants a change measured on its own.
KNOWN_COPIES: set[tuple[str, str]] = {("indexer/meta.py", "COUNTRIES")}


def test_shared_word_lists_are_defined_once():
    from tests.conftest import ROOT

    defined = re.compile(rf"^(_?(?:{'|'.join(SHARED)}))\s*(?::[^=]*)?=", re.M)
    copies = set()
    for path in [p for package in ("indexer", "assistant", "webchat") for p in (ROOT / package).rglob("*.py")]:
        names = defined.findall(path.read_text(encoding="utf-8"))
        copies |= {(path.relative_to(ROOT).as_posix(), name) for name in names}
    assert copies <= KNOWN_COPIES, f"{copies - KNOWN_COPIES}: import these from vocabulary/ instead"
    assert copies == KNOWN_COPIES, f"{KNOWN_COPIES - copies} are gone: take them out of KNOWN_COPIES"


@pytest.mark.parametrize("sentence, number, question, word", [
    ("46 people lost their lives, 250,000 were affected.", "46", "What is the death toll?", "death"),
    ("Floods inundated 5,850 houses in Quang Binh.", "5,850", "How many houses were flooded?", "flood"),
    ("Some 12 fishermen perished at sea.", "12", "How many people died at sea?", "death"),
    ("Approximately 840,000 structures were damaged or destroyed.", "840,000", "How many buildings were damaged?",
     "build"),
    # an irregular past the rooter does not undo, and the words reports use for spending
    ("In all, the operation utilized CHF 311,397 of the allocation.", "311,397", "How much did the operation spend?",
     "spend"),
    ("The National Society spent a total of 6,140 CHF.", "6,140", "How much was the total spending?", "spend"),
])
def test_a_fact_and_a_question_in_other_words_share_a_root(sentence, number, question, word):
    from assistant.roots import query_words
    from indexer.entries import make_entry
    from vocabulary.roots import synonyms

    [f] = [f for f in extract(sentence) if f.text == number]
    entry = make_entry(0, f, 0)
    asked = query_words(parse_question(question, []))
    assert word in asked
    assert any(a in entry.positions for a in synonyms(word))
