"""A table header or a key figure's label in, the same words as a question writes them out: the
abbreviations tables use for lack of room spelt out ("Rnd" round, "Ind" individuals, "HH" households), a
roman numeral after a numbered class or period as digits ("Rnd XIV" is round 14, "Phase III" phase 3), and
the month a header names even when its name is also a word ("MAY": `month_words`), and a date a header
writes as its year (`dated`: "29/02/2016 DREF Grant Budget" is named by "2016", not by three numbers). A
generic word for persons ("individuals", "persons", "people": `GENERIC_COUNT`) says how a column counts, not
what it counts: "how many IDPs" asks for the "Number of Ind" column as much as "how many individuals" does.

A header is short because its column is narrow, so it writes what a question spells out: IOM's DTM heads
its columns "Number of Ind - Rnd XIV", and "round 14" or "Round XIV" in a question names that column no
less than the header's own letters would. The question side reads roman numerals the same way (`spelt`), so
that "Round XIV" and "round 14" ask the same thing of every header.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vocabulary.months import MONTH_WORDS

# abbreviations a table header writes for a word a question spells out; each is common in humanitarian
# tables and names nothing else there ("HH" households, "Cum." cumulative)
_SHORT_FORMS = {
    "rnd": "round",
    "ind": "individuals",
    "indiv": "individuals",
    "indivs": "individuals",
    "hh": "households",
    "hhs": "households",
    "cum": "cumulative",
    "cumul": "cumulative",
    "avg": "average",
    "pop": "population",
}
# nouns that count persons without saying which: a header's unit, not a word a question must write to name it
GENERIC_COUNT = frozenset({"individuals", "individual", "persons", "person", "people"})
_SHORT_FORM = re.compile(r"(?i)\b(" + "|".join(sorted(_SHORT_FORMS, key=len, reverse=True)) + r")\b\.?")

# a numbered class or period (as `owners._LABELLED` reads them), then a roman numeral in capitals: "Rnd XIV",
# "Round VIII", "Phase III"; a lone "I" is left alone ("Phase I" is rarer than the pronoun after "round")
_CLASS_ROMAN = re.compile(r"\b((?i:phase|week|round|rnd|category|cat|level|grade|wave|cycle)s?\.?\s*"
                          r"(?i:no\.?\s*)?)([IVXL]{2,7}|V|X)\b")
_ROMAN = re.compile(r"^L?X{0,3}(?:IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman(numeral: str) -> int | None:
    """The value of a roman numeral in capitals up to 89, None when it is not one.

    >>> roman("XIV"), roman("VIII"), roman("IX"), roman("IIII"), roman("XIVX")
    (14, 8, 9, None, None)
    """
    if not numeral or not _ROMAN.match(numeral):
        return None
    total = 0
    for i, ch in enumerate(numeral):
        v = _VALUES[ch]
        total += -v if i + 1 < len(numeral) and _VALUES[numeral[i + 1]] > v else v
    return total


def _digits(m: re.Match) -> str:
    n = roman(m.group(2))
    return m.group(0) if n is None else f"{m.group(1)}{n}"


@lru_cache(maxsize=8192)
def spelt(text: str) -> str:
    """A header, label or question with a numbered class's roman numeral as digits and header abbreviations
    spelt out (kept for the headers read most: a table's cells repeat them).

    >>> spelt("Number of Ind - Rnd XIV"), spelt("IDPs in Round XIV"), spelt("No. of HH")
    ('Number of individuals - round 14', 'IDPs in Round 14', 'No. of households')
    >>> spelt("Phase III"), spelt("WEEK 5"), spelt("Round I"), spelt("MIX of Cum. cases")
    ('Phase 3', 'WEEK 5', 'Round I', 'MIX of cumulative cases')
    """
    text = _SHORT_FORM.sub(lambda m: _SHORT_FORMS[m.group(1).lower()], text)
    return _CLASS_ROMAN.sub(_digits, text)


_MONTH_WORD = re.compile(r"\b(" + "|".join(MONTH_WORDS) + r")\b", re.I)


def month_words(text: str) -> tuple[str, ...]:
    """The English month names a header or question writes capitalised, lower-cased: "May" and "MAY" are
    the month, which the word list drops as the verb "may".

    >>> month_words("MAY* TOTAL"), month_words("cases in May 2024"), month_words("people who may need")
    (('may',), ('may',), ())
    """
    return tuple(m.group(1).lower() for m in _MONTH_WORD.finditer(text) if m.group(1)[0].isupper())


# a date written in figures with its year in full: "29/02/2016", "2016-02-29"
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(?:\d{1,2}[-/.]\d{1,2}[-/.]((?:19|20)\d\d)"
                           r"|((?:19|20)\d\d)-\d{1,2}-\d{1,2})(?![\d/.-])")


def dated(header: str) -> str:
    """A header with each date written in figures as its year: a question names the column of a budget
    revised on "29/02/2016" by its year, if at all, never by the day and month as numbers.

    >>> dated("29/02/2016 DREF Grant Budget CHF"), dated("2016-02-29 total"), dated("Week 1-5")
    ('2016 DREF Grant Budget CHF', '2016 total', 'Week 1-5')
    """
    return _NUMERIC_DATE.sub(lambda m: m.group(1) or m.group(2), header)
