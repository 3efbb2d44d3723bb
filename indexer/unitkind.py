"""A fact's number and unit -> its unit kind: money, percent, people or count.

Made once, when the fact is made (`indexer.records.Fact.unit_kind`), and stored with it in the index:
the matcher reads it to rule out a unit that cannot answer ("how much money" is never a count of
households, "how many" never a percentage) instead of reading the unit's text again for every question.

>>> unit_kind("1.2 million", "USD", "USD"), unit_kind("36 million", "Euro", ""), unit_kind("40%", "", "percent")
('money', 'money', 'percent')
>>> unit_kind("5,000", "refugees and migrants", "people"), unit_kind("120", "hygiene kits", ""), unit_kind("3", "", "")
('people', 'count', 'count')
"""

from __future__ import annotations

import re
from typing import Literal

from indexer.numbers import CURRENCIES
from vocabulary.units import CURRENCY_WORDS, PEOPLE_UNITS, PEOPLE_WORDS
from vocabulary.words import stem

UnitKind = Literal["money", "percent", "people", "count"]
MONEY: UnitKind = "money"
PERCENT: UnitKind = "percent"
PEOPLE: UnitKind = "people"
COUNT: UnitKind = "count"  # a count of anything but people, or a bare number

# every currency code the extractor normalises to, so that a fact in SYP or NGN answers "how much money"
MONEY_UNITS = frozenset(CURRENCIES.values()) | {"HTG", "PEN", "money"}
NON_COUNT_UNITS = MONEY_UNITS | {"percent"}
_WORD = re.compile(r"[^\W\d_]+")


def unit_kind(text: str, unit: str, unit_norm: str) -> UnitKind:
    """The kind of a figure written `text` with the unit `unit` (as written, "" for none) normalised to
    `unit_norm`: a percentage first, whatever its unit ("40% of households"), then money (a currency
    code, or a currency written out: "36 million Euro"), people (a people unit, or a unit that names
    people: "refugees and migrants"), else a count."""
    t = text.lower()
    if unit_norm == "percent" or "%" in t or "per cent" in t or "percent" in t:
        return PERCENT
    u = unit.lower()
    if unit_norm in MONEY_UNITS or u.rstrip("s") in CURRENCY_WORDS:
        return MONEY
    if unit_norm in PEOPLE_UNITS or not PEOPLE_WORDS.isdisjoint(stem(w) for w in _WORD.findall(u)):
        return PEOPLE
    return COUNT
