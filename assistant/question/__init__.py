"""Question understanding: a question (+ the report catalogue) in, a `Query` out (answer kind, scope,
report). This file only re-exports; the modules, in the order a question is read:

words.py    the scanner for long phrase lists (tokens, stems, content words: vocabulary/words.py)
kind.py     the answer kind expected (count, money, percent, quantity, date, duration, name, text)
scope.py    countries, sector, plan group, aggregate words
dates.py    dates and periods (find_dates)
naming.py   how a question names a report (publisher, type, number, date, code)
resolve.py  the catalogue entries and which reports a naming fits
parse.py    Query and parse_question, which puts the parts together

Names starting with "_" are private to this package (its modules share them); outside it, use the
names below. `_find_countries` (the countries and their spans) is re-exported for the follow-up
reader, which imported it before the package was split.
"""

from assistant.question.dates import find_dates
from assistant.question.kind import expected_kind
from assistant.question.naming import report_codes
from assistant.question.parse import Query, parse_question
from assistant.question.resolve import Catalogue
from assistant.question.scope import _find_countries as _find_countries
from assistant.question.scope import country_words, find_countries, places_named
from vocabulary.countries import COUNTRIES
from vocabulary.sectors import SECTORS
from vocabulary.stopwords import STOPWORDS
from vocabulary.words import content_words, stem

__all__ = [
    "Query",
    "parse_question",
    "Catalogue",
    "content_words",
    "stem",
    "expected_kind",
    "find_countries",
    "country_words",
    "places_named",
    "find_dates",
    "report_codes",
    "SECTORS",
    "COUNTRIES",
    "STOPWORDS",
]
