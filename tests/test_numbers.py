"""Number forms (indexer/numbers.py): thousands and decimal marks across languages and layouts."""

from __future__ import annotations

import pytest

from indexer.facts import extract
from indexer.numbers import decimal_comma, find_numbers, parse_quantity

# (text, value): one written number, context-free
EXAMPLES = [
    ("1,234", 1234.0),
    ("1,234.5", 1234.5),
    ("4 571", 4571.0),
    ("4\u202f571", 4571.0),  # narrow no-break space
    ("4\u2009571", 4571.0),  # thin space
    ("1'234'567", 1234567.0),  # Swiss apostrophe
    ("1’234", 1234.0),  # typographic apostrophe
    ("11.100", 11100.0),  # dot thousands
    ("1.234,56", 1234.56),  # dot thousands, decimal comma
    ("12,5%", 12.5),  # a decimal comma before a percent: no thousands group has two digits
    ("3,5 millones", 3500000.0),
    ("1.043M", 1043000.0),
    ("1.5 B", 1.5e9),  # "B" is a billion after decimals: "US$ 254.7B", a funding panel's "1.5 B"
    ("254.7B", 254.7e9),
]


@pytest.mark.parametrize("text, value", EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_parse_quantity(text, value):
    assert parse_quantity(text) == value
    (n,) = find_numbers(text)
    assert n.value == value and text[n.start:n.end].strip() in text


# (text, decimal comma?, values found): the page decides what an ambiguous "3,500" is
CONTEXT = [
    ("12.5% of 3,500 cases", False, [12.5, 3500.0]),
    ("El 12,5% de 3,500 casos", True, [12.5, 3.5]),
    ("1.250 personas", True, [1250.0]),
]


@pytest.mark.parametrize("text, comma, values", CONTEXT, ids=[t for t, _, _ in CONTEXT])
def test_decimal_comma_in_context(text, comma, values):
    assert [n.value for n in find_numbers(text, decimal_comma=comma)] == values


@pytest.mark.parametrize("page, comma", [
    ("Taux de 12,5% et 3,75 pour mille; 3,500 cas.", True),
    ("A rate of 12.5%; 3,500 cases and 1,2 weeks.", False),  # a decimal point settles it
    ("Weeks 1,2 and 3.", False),  # one comma form is not enough
])
def test_decimal_comma_of_a_page(page, comma):
    assert decimal_comma(page) is comma


# Numbers glued to words: a layout glues a figure to its label ("Treatment571"); a code keeps its digits
GLUED = [
    ("Received Appropriate Treatment571 Children dewormed", [(571.0, "")]),  # the next label is no unit
    ("Dewormed with Albendazole12,098 and more", [(12098.0, "")]),
    ("People Vaccinated with OCV48,242 Cholera Cases", [(48242.0, "")]),  # grouped in thousands: no code
    ("COVID19 cases rose", []),
    ("The MDRCM025 report", []),
    ("Lima1 and FY20", []),
    ("Treatment2023 began", []),  # a year, not a count
]


@pytest.mark.parametrize("text, facts", GLUED, ids=[t for t, _ in GLUED])
def test_numbers_glued_to_words(text, facts):
    assert [(f.value, f.unit_norm) for f in extract(text)] == facts


@pytest.mark.parametrize("text", ["Fig 2B", "3B SECTORAL ANALYSIS", "Zone 3 B", "D2B-CMC"])
def test_a_B_after_a_whole_number_is_a_letter_not_a_billion(text):
    assert all(not n.scaled and n.value < 1e9 for n in find_numbers(text))
