"""Question understanding: a question (+ the report catalogue) -> Query (answer kind, scope, report).

Pure functions, no model: regexes and small tables, a fraction of a millisecond per question. The
parts are read by words.py, kind.py, scope.py, dates.py, naming.py and resolve.py; this module puts
them together and cuts them out of the question to leave the words saying what is measured.

>>> q = parse_question("How many people did the Integration sector reach under the RMRP?")
>>> (q.expected, q.sector, q.group, q.measure_words)
('count', 'Integration', 'RMRP', ('people', 'reach'))
>>> parse_question("How many Venezuelan refugees and migrants live in Ecuador?").countries
('Ecuador',)
>>> q = parse_question("How many calls did the MIMP receive in September 2020?")
>>> (q.date_from, q.date_to, q.period_text)
('2020-09-01', '2020-09-30', 'September 2020')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.question.dates import _iso, find_dates
from assistant.question.kind import _QUALIFIER, expected_kind
from assistant.question.naming import _catalogue_publishers, _naming
from assistant.question.resolve import Catalogue, _resolve, _resolve_loosely, _year_for, first_after
from assistant.question.scope import (
    _ALL_SECTORS,
    _GROUP_PHRASE,
    _MAX,
    _MIN,
    _SECTOR_CONTEXT,
    _SUM,
    _WHICH,
    _find_countries,
    _find_sector,
    _group,
)
from indexer.records import ReportMeta
from vocabulary.words import content_words


@dataclass(frozen=True)
class Query:
    """What a question asks for and where the answer may come from.

    Dates are ISO; a day or month whose year could not be told is written "--MM-DD".
    `aggregate` is "argmax"/"argmin" with `aggregate_over` None when the question asks "which X
    had the most" for an X that is neither a sector nor the RMRP group (a department, a region).
    `period_names_report` is True when the period was used to name a report ("WFP's December 2025
    country brief") rather than to scope the figure.
    """

    text: str
    expected: str
    measure_words: tuple[str, ...]
    countries: tuple[str, ...]
    reports: tuple[str, ...]
    report_named: bool
    date_from: str | None
    date_to: str | None
    period_text: str
    sector: str | None
    group: str | None
    aggregate: str | None
    aggregate_over: str | None
    qualifier_wanted: bool = False
    period_names_report: bool = False


# "what was the highest number of cases in a district" still compares rows; "what were its maximum
# sustained winds" names a measure
_AUX_AFTER_WHAT = re.compile(r"(?i)what\s+(?:is|was|were|are|did|does|do|has|have|had|will|would)\b")
_THE_MOST = re.compile(r"(?i)\bthe\s+(?:most|highest|largest|greatest|biggest|fewest|lowest|smallest)\b")


def parse_question(text: str, catalogue: Sequence[tuple[str, ReportMeta]] = ()) -> Query:
    """Read a question: the kind of answer, what is measured, and its scope.

    `catalogue` holds (report name, meta) for every indexed report; reports named in the question
    ("OCHA's Flash Update 5", "the IMC sitrep on 30 January") are resolved against it.
    """
    catalogue = Catalogue.of(catalogue)
    removed: list[tuple[int, int]] = []

    countries, c_spans = _find_countries(text)
    removed += c_spans

    expected = expected_kind(text)
    group, both, g_spans = _group(text)
    if group == "RMRP" and expected in ("money", "percent") and not _GROUP_PHRASE.search(text):
        group = None  # "How much of the RMRP was funded?" is about the plan, not its partners' group
    removed += g_spans

    dates = find_dates(text)
    naming = _naming(text, dates, _catalogue_publishers(catalogue.publishers))
    removed += naming.spans

    # aggregates
    aggregate = over = None
    which = _WHICH.search(text)
    noun = (which.group("noun") or which.group("noun2") or "").lower() if which else ""
    if which and _AUX_AFTER_WHAT.match(which.group(0)) and not _THE_MOST.search(text, which.end()):
        which = None  # "what were Karding's maximum sustained winds" asks for a figure, not which row has the most
    if which and (_MAX.search(text, which.end()) or _MIN.search(text, which.end())):
        aggregate = "argmax" if _MAX.search(text, which.end()) else "argmin"
        if noun.startswith(("sector", "cluster")):
            over = "sector"
        elif noun.startswith(("group", "plan")) or both:
            over = "group"
        removed.append(which.span())
    sector_context = bool(_SECTOR_CONTEXT.search(text) or group or both or aggregate)
    sector, s_span = _find_sector(text, sector_context)
    if s_span:
        removed.append(s_span)
    if aggregate is None:
        all_sectors = _ALL_SECTORS.search(text)
        if all_sectors:
            aggregate, over = "sum", "sector"
            removed.append(all_sectors.span())
        elif both or (group is None and sector and _SUM.search(text)):
            aggregate, over = "sum", "group"
    if both:
        group = None
    if aggregate:
        removed += [m.span() for m in _SUM.finditer(text)]

    # period: a date that does not name a report wins; else the report's own date
    period = next((d for d in dates if d is not naming.date), None)
    names_report = False
    if period is None and naming.date is not None:
        period, names_report = naming.date, True
    removed += [(d.start, d.end) for d in dates]

    reports: tuple[str, ...] = ()
    if naming.named and catalogue:
        year = None
        if naming.date is not None and naming.date.y1 is None:
            year = _year_for(naming.date, catalogue, naming)
        reports = _resolve(naming, catalogue, countries, year)
        if not reports:
            reports, date_scopes = _resolve_loosely(naming, catalogue, countries, year)
            if date_scopes:
                names_report = False  # "the shelters PAHO assessed on 28 October": the date is the figure's
        as_of = next((d for d in dates if d is not naming.date and d.precision == "day"), None)
        if len(reports) > 1 and as_of is not None:
            # "per OCHA's flash update, as of 27 October": the update first published after that day
            meta = Catalogue.of(catalogue).meta
            reports = first_after(reports, as_of, as_of.y1 or _year_for(as_of, catalogue, naming), meta) or reports
    report_named = naming.named
    if not reports and report_named and not (naming.publishers or naming.number or naming.date or naming.codes):
        # "the situation report" matching nothing is a generic reference when some report's type is unknown
        report_named = all(e.families for e in catalogue.entries) if catalogue else True

    date_from = date_to = None
    period_text = ""
    if period is not None:
        period_text = text[period.start : period.end]
        y1, y2 = period.y1, period.y2
        if y1 is None or y2 is None:
            year = _year_for(period, catalogue, naming, () if names_report else reports)
            y1, y2 = y1 or year, y2 or year
        if period.lead in ("since", "after", "from") and period.precision != "range":
            date_from, date_to = _iso(y1, period.m1, period.d1), None
        elif period.lead in ("until", "till", "by", "before") and period.precision != "range":
            date_from, date_to = None, _iso(y2, period.m2, period.d2)
        else:
            date_from, date_to = _iso(y1, period.m1, period.d1), _iso(y2, period.m2, period.d2)

    # measure words: what is left once scope, period, report and scaffolding are cut out
    removed += [m.span() for m in _SCAFFOLD.finditer(text)]
    chars = list(text)
    for a, b in removed:
        for i in range(max(a, 0), min(b, len(chars))):
            chars[i] = " "
    measure = tuple(w for w in content_words("".join(chars)) if w not in _SCOPE_WORDS)

    return Query(
        text=text,
        expected=expected,
        measure_words=measure,
        countries=tuple(countries),
        reports=reports,
        report_named=report_named,
        date_from=date_from,
        date_to=date_to,
        period_text=period_text,
        sector=sector,
        group=group,
        aggregate=aggregate,
        aggregate_over=over,
        qualifier_wanted=bool(_QUALIFIER.search(text)),
        period_names_report=names_report,
    )


_SCAFFOLD = re.compile(r"\bhow\s+long\b|\bwhat\s+(?:share|percentage|proportion|fraction)\s+of\b", re.I)
_SCOPE_WORDS = frozenset(
    {
        "rmrp",
        "hrp",
        "non",
        "latest",
        "recent",
        "sector",
        "sectors",
        "partners",
        "together",
        "combined",
        "altogether",
        "most",
        "least",
        "highest",
        "lowest",
        "largest",
        "smallest",
        "fewest",
        "greatest",
        "biggest",
        "maximum",
        "minimum",
    }
)
