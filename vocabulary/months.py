"""Month names in English, Spanish and French: a name in, its month number out, and the pattern that
finds any of them.

>>> MONTH_NUMBERS["sept"], MONTH_NUMBERS["agosto"], MONTH_NUMBERS["décembre"]
(9, 8, 12)
>>> import re; bool(re.fullmatch(MONTHS, "Febrero", re.I))
True
>>> ENGLISH_MONTH_NAMES.split("|")[11:]
['December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sept', 'Sep', 'Oct', 'Nov', 'Dec']
"""

from __future__ import annotations

# month number -> (English, English abbreviations, Spanish, French)
_NAMES = {
    1: ("january", ("jan",), "enero", "janvier"),
    2: ("february", ("feb",), "febrero", "février"),
    3: ("march", ("mar",), "marzo", "mars"),
    4: ("april", ("apr",), "abril", "avril"),
    5: ("may", (), "mayo", "mai"),
    6: ("june", ("jun",), "junio", "juin"),
    7: ("july", ("jul",), "julio", "juillet"),
    8: ("august", ("aug",), "agosto", "août"),
    9: ("september", ("sep", "sept"), "septiembre", "septembre"),
    10: ("october", ("oct",), "octubre", "octobre"),
    11: ("november", ("nov",), "noviembre", "novembre"),
    12: ("december", ("dec",), "diciembre", "décembre"),
}

ENGLISH_MONTHS = tuple(n[0].capitalize() for n in _NAMES.values())  # "January" ... "December"
MONTH_WORDS = tuple(n[0] for n in _NAMES.values())  # "january" ... "december"
# the English names and abbreviations, for a regex alternation: full names first and a longer
# abbreviation before a shorter one ("Sept" before "Sep"), so that a match without a word boundary
# after it ("Sept. 2020") takes the whole name; capitalised: use re.I
ENGLISH_MONTH_NAMES = "|".join(
    [*ENGLISH_MONTHS] + [a.capitalize() for n in _NAMES.values() for a in sorted(n[1], key=len, reverse=True)]
)
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, (en, abbrevs, es, fr) in _NAMES.items()
    for name in (en, *abbrevs, es, fr)
}
# every name, for a regex alternation (English, abbreviations, Spanish, French; lowercase: use re.I)
MONTHS = "|".join(
    [n[0] for n in _NAMES.values()]
    + [a for n in _NAMES.values() for a in n[1]]
    + [n[2] for n in _NAMES.values()]
    + [n[3] for n in _NAMES.values()]
)
