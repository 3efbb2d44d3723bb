"""Question understanding: a question (+ the report catalogue) -> Query (answer kind, scope, report).

Pure functions, no model: regexes and small tables, a fraction of a millisecond per question.

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

import calendar
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.vocab import (
    CASED,
    COUNTRIES,
    COUNTRY_NAMES,
    DEMONYMS,
    DOC_TYPES,
    GENERIC_DOCS,
    PUBLISHERS,
    SERIES,
)
from indexer.records import ReportMeta
from vocabulary.sectors import SECTORS
from vocabulary.stopwords import STOPWORDS

__all__ = ["Query", "parse_question", "content_words", "stem", "SECTORS", "COUNTRIES"]


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


# ---------------------------------------------------------------------------------------------
# Words

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_IRREGULAR = {
    "people": "person",
    "persons": "person",
    "children": "child",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "data": "data",
    "media": "media",
    "criteria": "criterion",
}
_KEEP_S = ("ss", "us", "is", "os", "as", "ics", "news")


def stem(word: str) -> str:
    """Light plural stripping, enough for word overlap.

    >>> [stem(w) for w in ("kits", "persons", "activities", "boxes", "children", "access", "status")]
    ['kit', 'person', 'activity', 'box', 'child', 'access', 'status']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.endswith(_KEEP_S):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def _tokens(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        if w.endswith("'s"):
            w = w[:-2]
        out.extend(p for p in w.split("'") if p)
    return out


def content_words(text: str, stemmed: bool = False) -> tuple[str, ...]:
    """Lowercase words minus stopwords and numbers (optionally stemmed), in order.

    >>> content_words("How many hygiene kits were received in 2020?")
    ('hygiene', 'kits', 'received')
    >>> content_words("OCHA's 5 flash updates", stemmed=True)
    ('ocha', 'flash', 'update')
    """
    words = [w for w in _tokens(text) if w not in STOPWORDS and len(w) > 1]
    return tuple(stem(w) for w in words) if stemmed else tuple(words)


# ---------------------------------------------------------------------------------------------
# Countries (the names are in assistant.vocab). Demonyms name people's origin ("Venezuelan
# refugees in Ecuador"), so they only scope a question when they qualify an institution.

_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _firsts(words) -> frozenset[str]:
    """Lowercase first words of the phrases an alternation matches: where a match can start."""
    return frozenset(m.group(0).lower() for w in words if (m := _FIRST_WORD.search(w)))


def _scan(rx: re.Pattern, firsts: frozenset[str], text: str):
    """rx.finditer(text), trying only at words that can start a match: a 300-way alternation
    tried at every character costs ~0.1 ms a question; this costs a few microseconds."""
    pos = 0
    for w in _FIRST_WORD.finditer(text):
        if w.start() < pos or w.group(0).lower() not in firsts:
            continue
        m = rx.match(text, w.start())
        if m:
            yield m
            pos = m.end()


_ENGLISH = {"reach", "care", "echo", "plan", "hope", "impact", "alert", "start", "relief", "mercy"}


def _alt(words, cased=False) -> str:
    parts = []
    for w in sorted(words, key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]")
        if not cased and w in CASED:
            esc = f"(?-i:{esc})"
        elif not cased and w.isupper():  # "WHO", "REACH", "CARE" are words too; "Unicef" is not
            title = w.title() if len(w) >= 5 and w.lower() not in _ENGLISH else ""
            esc = f"(?-i:{esc}|{re.escape(title)})" if title else f"(?-i:{esc})"
        parts.append(esc)
    return "|".join(parts)


_COUNTRY_FIRSTS = _firsts([*COUNTRY_NAMES, *DEMONYMS])
_COUNTRY_RE = re.compile(
    rf"(?<![\w-])(?:(?P<name>{_alt(COUNTRY_NAMES)})|(?P<dem>{_alt(DEMONYMS)}))"
    r"(?![\w-])",
    re.I,
)
_CURRENCY_AFTER = re.compile(r"\s*(?:\$|dollars?\b|cents?\b|currency\b)", re.I)
_ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom|\bleft|\bfled|\bfleeing|\bout\s+of|\bnationals?\s+of|\bcitizens?\s+of"
    r"|\borigin(?:ating)?\s+(?:in|from))\s+(?:the\s+)?$",
    re.I,
)
_INSTITUTION_AFTER = re.compile(
    r"\s*(?:government|authorit|ministr|red\s+cross|red\s+crescent|national\s"
    r"|state\b|border|coast|capital|health\s+system|army|armed\s+forces|police"
    r"|territory|side\b|departments?\b|regions?\b|provinces?\b|economy)",
    re.I,
)


def _find_countries(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _scan(_COUNTRY_RE, _COUNTRY_FIRSTS, text):
        if m.group("name"):
            canon = COUNTRY_NAMES.get(m.group("name")) or _lookup_ci(COUNTRY_NAMES, m.group("name"))
            if canon == "United States" and _CURRENCY_AFTER.match(text, m.end()):
                continue  # "US$", "US dollars": a currency
            if _ORIGIN_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
                continue
            start = m.start()
            prev = text[max(0, m.start() - 3) : m.start()].lower()
            if prev in ("in ", "of"):
                start -= 3 if prev == "in " else 0
            spans.append((start, m.end()))
        else:
            if not _INSTITUTION_AFTER.match(text, m.end()):
                continue
            canon = DEMONYMS.get(m.group("dem")) or _lookup_ci(DEMONYMS, m.group("dem"))
            spans.append((m.start(), m.end()))
        if canon and canon not in found:
            found.append(canon)
    return found, spans


def find_countries(text: str) -> list[str]:
    """The countries a text names, as canonical names.

    >>> find_countries("In Jamaica and the Dominican Republic; Haitian migrants")
    ['Jamaica', 'Dominican Republic']
    """
    return _find_countries(text)[0]


def _lookup_ci(table: dict[str, str], key: str) -> str | None:
    key = re.sub(r"\s+", " ", key).lower().replace("’", "'")
    for k, v in table.items():
        if k.lower() == key:
            return v
    return None


# ---------------------------------------------------------------------------------------------
# Sectors (the names are in assistant.vocab). The canonical names (and the listed abbreviations)
# are "strong": they are sector names wherever they appear next to sector/partners/reached words.

_STRONG = {s: {s.lower(), *(w.lower() for w in syn if w.isupper() or w == syn[0])} for s, syn in SECTORS.items()}
_SECTOR_TERMS = {w: s for s, syn in SECTORS.items() for w in (s, *syn)}
_SECTOR_FIRSTS = _firsts(_SECTOR_TERMS)
_SECTOR_RE = re.compile(rf"(?<![\w-])(?:{_alt(_SECTOR_TERMS)})(?![\w-])", re.I)
_SECTOR_NOUN = re.compile(
    r"\s*(?:sectors?|clusters?|sub-?sectors?|sub-?clusters?|partners?|actors?"
    r"|working\s+groups?|area\s+of\s+responsibility|AoR|response)\b",
    re.I,
)
_SECTOR_CONTEXT = re.compile(r"\b(?:sectors?|clusters?|sub-?sectors?|partners?|reach(?:ed|es|ing)?)\b", re.I)


def _find_sector(text: str, context: bool) -> tuple[str | None, tuple[int, int] | None]:
    best: tuple[int, str, tuple[int, int] | None] | None = None
    for m in _scan(_SECTOR_RE, _SECTOR_FIRSTS, text):
        term = re.sub(r"\s+", " ", m.group(0))
        canon = _SECTOR_TERMS.get(term) or _lookup_ci(_SECTOR_TERMS, term)
        if canon is None or (term.isupper() and term not in _SECTOR_TERMS):
            continue
        noun = _SECTOR_NOUN.match(text, m.end())
        if noun:  # "the Integration sector", "Protection partners": the name is scope, not measure
            rank, span = 3, (m.start(), noun.end())
        elif context:
            rank, span = (2 if term.lower() in _STRONG[canon] else 1), None
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, canon, span)
    return (best[1], best[2]) if best else (None, None)


# ---------------------------------------------------------------------------------------------
# Plan group (RMRP / outside it) and aggregates

_PLAN = r"(?:RMRP|HRP|RRP|3RP|Flash\s+Appeal)"
_PLAN_RE = re.compile(_PLAN, re.I)
_NO_GROUP = re.compile(
    rf"(?:\b(?:outside|beyond)\s+(?:of\s+)?(?:the\s+)?{_PLAN}"
    rf"|\bnot\s+(?:under|in|within|part\s+of|covered\s+by|included\s+in)\s+(?:the\s+)?{_PLAN}"
    rf"|\bnon[-\s]?{_PLAN}|\bNO\s+{_PLAN}\b)",
    re.I,
)
# "under the RMRP", "RMRP partners"; a bare RMRP counts (it only ever names the plan group), a bare
# "HRP" or "Flash Appeal" is more often the plan itself ("How much does the HRP require?")
_GROUP_PHRASE = re.compile(
    rf"\b(?:under|within|through|as\s+part\s+of)\s+(?:the\s+)?{_PLAN}\b"
    rf"|\b{_PLAN}\s+(?:partners|actors|organi[sz]ations|activities|response)\b",
    re.I,
)
_GROUP = re.compile(
    rf"(?:\b(?:under|within|through|as\s+part\s+of)\s+(?:the\s+)?{_PLAN}\b"
    rf"|\b{_PLAN}\s+(?:partners|actors|organi[sz]ations|activities|response)\b|\bRMRP\b)",
    re.I,
)
_SUM = re.compile(
    r"\b(?:in\s+total|total(?:led)?|combined|altogether|all\s+together|together|in\s+all"
    r"|sum|overall|both)\b",
    re.I,
)
_ALL_SECTORS = re.compile(
    r"\b(?:across|in|over|for)\s+all\s+(?:the\s+)?(?:sectors|clusters)\b|"
    r"\ball\s+(?:sectors|clusters)\s+(?:combined|together)\b",
    re.I,
)
_MAX = re.compile(r"\b(?:most|highest|largest|greatest|biggest|maximum|top|more)\b", re.I)
_MIN = re.compile(r"\b(?:least|fewest|lowest|smallest|minimum|fewer|less)\b", re.I)
_WHICH = re.compile(
    r"\b(?:which|what)\s+(?:(?P<noun>sectors?|clusters?|groups?|plans?)\b|\w+\s+(?P<noun2>sectors?"
    r"|clusters?|groups?|plans?)\b|\w+)",
    re.I,
)


def _group(text: str) -> tuple[str | None, bool, list[tuple[int, int]]]:
    """-> (group, both groups named, spans)."""
    spans = []
    no = list(_NO_GROUP.finditer(text))
    spans += [m.span() for m in no]
    rest = text
    for m in no:
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    yes = list(_GROUP.finditer(rest))
    spans += [m.span() for m in yes]

    def name(m: re.Match, neg: bool) -> str:
        plan = _PLAN_RE.search(m.group(0)).group(0).upper()
        plan = "Flash Appeal" if plan.startswith("FLASH") else plan
        return f"NO {plan}" if neg else plan

    if (no and yes) or re.search(r"\b(?:inside|within|under|in)\s+(?:and|or)\s+outside\b", text, re.I):
        return None, True, spans
    if no:
        return name(no[0], True), False, spans
    if yes:
        return name(yes[0], False), False, spans
    return None, False, spans


# ---------------------------------------------------------------------------------------------
# Expected answer kind

_MONEY_WORDS = re.compile(
    r"\b(?:fund(?:s|ing|ed)?|money|usd|us\$|dollars?|euros?|chf|budget|cost(?:s|ing)?"
    r"|requirements?|required|requires?|appeal(?:ed)?|financ\w*|contribut\w*|donat\w*|allocat\w*"
    r"|cash|spent|spend|raised|paid|worth|grants?|pledg\w*|disbursed)\b|\$|€",
    re.I,
)
_KIND_RULES = (
    (
        "duration",
        re.compile(
            r"\bhow\s+long\b|\bfor\s+how\s+(?:long|many\s+(?:days|weeks|months|years))\b"
            r"|\bhow\s+many\s+(?:more\s+)?(?:days|weeks|months|years|hours)\b|\bvalid\s+for\b"
            r"|\bduration\b|\bhow\s+much\s+time\b",
            re.I,
        ),
    ),
    (
        "percent",
        re.compile(
            r"\b(?:what|which)\s+(?:\w+\s+)?(?:share|percentage|proportion|percent|per\s+cent"
            r"|fraction|rate|ratio)\b|\bpercentage\b|\bproportion\b|\bper\s*cent\b|%"
            r"|\bhow\s+much\s+of\s+the\b.*\b(?:funded|covered)\b|\brate\b|\bratio\b",
            re.I,
        ),
    ),
    ("money", re.compile(r"\bhow\s+many\s+(?:us\s+)?(?:dollars|usd|euros|us\$)\b", re.I)),
    ("count", re.compile(r"\bhow\s+many\b", re.I)),
    ("howmuch", re.compile(r"\bhow\s+much\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*(?:\w+\s+){0,2}when\b|\bwhen\s+(?:was|were|did|does|do|is|will|had|has)\b"
            r"|\b(?:what|which)\s+(?:\w+\s+)?(?:date|day|month|year)\b|\bsince\s+when\b",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\b(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+)?(?:\w+\s+){0,3}?"
            r"(?:funding|budget|cost|requirements?|appeal|contribution|allocations?|financial\s+needs|"
            r"total\s+needs|amount\s+of\s+(?:cash|money|funds?|funding))\b"
            r"|\bwhat\s+(?:\w+\s+)?(?:funding|budget|allocation|financing)\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*(?:\w+\s+){0,2}(?:which|who|whom)\b|\bwho\s+(?:is|was|are|were|did|does|led|leads)\b"
            r"|\bwhat\s+(?:is\s+the\s+name|organi[sz]ation|agency|sector|cluster|partner|department"
            r"|region|province|district|city|commune|municipality|country|disease|vaccine)\b"
            r"|\bname\s+(?:the|of)\b",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bwhat\s+(?:is|was|were|are)\s+the\s+(?:total\s+|estimated\s+)?number\b"
            r"|\bwhat\s+number\b|\bhow\s+large\b|\bhow\s+big\b",
            re.I,
        ),
    ),
    # "What was the death toll", "what did a goat sell for": a figure, its unit whatever it is
    (
        "quantity",
        re.compile(
            r"\b(?:what|which)\s+(?:is|was|are|were|has\s+been|had\s+been)\s+(?:the\s+|its\s+|their\s+)?"
            r"(?:[\w'-]+\s+){0,4}?(?:toll|total|totals|distance|price|prices|amount|level|size|figure|count"
            r"|value|temperature|speed|height|length|depth|volume|capacity|score|average|rainfall|population"
            r"|tally|sum|quantity|caseload|number|estimate|magnitude|weight|area|duration|increase|decrease"
            r"|change|gap|shortfall|deficit|projection|forecast|probability|chance|likelihood|odds|target|pressure"
            r"|winds?|gusts?)\b"
            r"|\bwhat\s+did\s+.{1,60}\b(?:sell|sold|cost|fetch|trade)\b|\bby\s+how\s+much\b"
            r"|\bwhat\s+(?:quantity|amount|volume|distance|price|probability|chance|likelihood|projection)\b",
            re.I,
        ),
    ),
    # "What is the most affected department?"
    (
        "name",
        re.compile(
            r"\bwhat\s+(?:is|was|are|were)\s+the\s+(?:most|least|\w+est)\s+(?:\w+\s+)?(?:departments?|regions?"
            r"|provinces?|districts?|communes?|cit(?:y|ies)|countr(?:y|ies)|sectors?|clusters?|organi[sz]ations?"
            r"|agenc(?:y|ies)|areas?|partners?|diseases?)\b",
            re.I,
        ),
    ),
)


def expected_kind(text: str) -> str:
    """The kind of answer the question wants.

    >>> [expected_kind(q) for q in ("How much funding was received?", "What share of cases were in Lima?",
    ...     "When was the outbreak declared?", "How long is the permit valid for?", "Who leads the cluster?",
    ...     "How many people were reached?", "Why did prices rise?")]
    ['money', 'percent', 'date', 'duration', 'name', 'count', 'text']
    """
    for kind, rx in _KIND_RULES:
        if rx.search(text):
            if kind == "howmuch":
                return "money" if _MONEY_WORDS.search(text) else "count"
            if kind == "quantity":
                return _refine_quantity(text)
            return kind
    # ReportQA is asked for figures: "what <measure> ..." and "how <adjective>" want one unless they
    # ask for a kind, a cause, a list or a description
    if _FIGURE_WANTED.search(text) and not _WORDS_WANTED.search(text):
        return _refine_quantity(text)
    return "text"


def _refine_quantity(text: str) -> str:
    """A figure question's kind when its words say more: a probability is a percent, a toll or a number
    of people a count, a price money; anything else a quantity with whatever unit the report gives."""
    if re.search(r"\b(?:probability|chance|likelihood|odds)\b", text, re.I):
        return "percent"
    if re.search(r"\bdeath\s+toll\b|\bnumber\s+of\b|\bcaseload\b|\btally\b|\bof\s+(?:people|persons"
                 r"|households|families|children|individuals|cases|deaths)\b", text, re.I):
        return "count"
    if _MONEY_WORDS.search(text) or re.search(r"\b(?:price|sell|sold|cost|fetch)\b", text, re.I):
        return "money"
    return "quantity"


_FIGURE_WANTED = re.compile(
    r"^\s*(?:\w+\s+){0,8}?what\s+(?!(?:is|was|are|were)\s+(?:the\s+)?(?:name|reason|cause|situation|status|purpose|"
    r"role|aim|goal|objective|focus|plan|main|key|current)\b)(?:[\w'-]+\s+){0,4}"
    r"(?:did|does|do|is|was|are|were|has|had|will|would)\b"
    r"|\bhow\s+(?:strong|high|low|far|big|large|fast|heavy|deep|severe|widespread|long|old)\b",
    re.I)
_WORDS_WANTED = re.compile(
    r"\bwhat\s+(?:kind|type|types|sort|caused|causes|happened|measures|actions|activities|steps|challenges|needs|"
    r"risks|recommendations?|lessons?|services|items|sectors?|areas?|hazards?|factors?|support)\b"
    r"|\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?:main|key|major|primary)\b|\bdescribe\b|\bexplain\b|\bwhy\b"
    r"|\b(?:say|says|said|mention|mentions|tell|tells)\s+(?:about|on|of)\b",
    re.I)


_QUALIFIER = re.compile(
    r"\b(?:approximately|approx\.?|roughly|about|around|nearly|almost|at\s+least|at\s+most"
    r"|more\s+than|less\s+than|fewer\s+than|over|some|up\s+to)\s+how\s+(?:many|much)\b"
    r"|\b(?:approximately|roughly|estimated|estimate)\b",
    re.I,
)


# ---------------------------------------------------------------------------------------------
# Dates and periods

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_D1 = rf"(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON})|(?P<m1b>{_MON})\s+(?P<d1b>{_DAY})(?![\d:]))"
_D2 = rf"(?:(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})|(?P<m2b>{_MON})\s+(?P<d2b>{_DAY})(?![\d:]))"
_SEP = r"\s*(?:-|–|—|to|until|till|through|and)\s*"
_DATE_PATTERNS = [
    # "Q3 2025", "the second quarter of 2025", "the first half of 2026", "the first week of November 2025"
    (
        "part",
        re.compile(
            rf"\b(?:Q(?P<q>[1-4])\s*(?P<qy>{_YEAR})|(?P<nth>first|second|third|fourth|last|final)\s+"
            rf"(?P<unit>quarter|half|week)\s+of\s+(?:(?P<wm>{_MON})\s*,?\s*)?(?P<py>{_YEAR})?)",
            re.I,
        ),
    ),
    # day range inside a month: "22-24 October 2025"
    (
        "dayrange",
        re.compile(rf"(?P<da>{_DAY})\s*(?:-|–|to|and)\s*(?P<db>{_DAY})\s+(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?", re.I),
    ),
    # "between 1 December 2025 and 4 February 2026", "from May to September 2020", "Jan - May 2026"
    (
        "range",
        re.compile(
            rf"(?:(?P<kw>between|from)\s+)?(?:{_D1}|(?P<ma>{_MON}))(?:,?\s+(?P<ya>{_YEAR}))?{_SEP}"
            rf"(?:{_D2}|(?P<mb>{_MON}))(?:,?\s+(?P<yb>{_YEAR}))?",
            re.I,
        ),
    ),
    ("iso", re.compile(rf"(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)")),
    ("slash", re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)(?![\d/])")),
    ("day", re.compile(rf"{_D1}(?:,?\s+(?P<y>{_YEAR}))?(?![\d])", re.I)),
    ("month", re.compile(rf"(?P<m>{_MON})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?", re.I)),
    ("year", re.compile(rf"(?<![\d/.,-])(?P<y>{_YEAR})(?![\d/-]|\.\d|,\d)")),
]
_PERIOD_LEAD = re.compile(
    r"(?:\b(?P<lead>in|on|during|since|from|after|before|until|till|by|as\s+of|of|for|between)"
    r"\s+(?:the\s+)?(?:(?:month|week|year)\s+of\s+)?)?$",
    re.I,
)


@dataclass(frozen=True)
class _Date:
    """A date mention: start/end are (year|None, month, day) bounds; span in the text."""

    y1: int | None
    m1: int
    d1: int
    y2: int | None
    m2: int
    d2: int
    start: int
    end: int
    precision: str  # "day" | "month" | "year" | "range"
    lead: str = ""


def _d(s: str | None) -> int | None:
    return int(re.match(r"\d+", s).group(0)) if s else None


def _mon(s: str | None) -> int | None:
    return _MONTHS.get(s.lower().rstrip(".")) if s else None


def _last_day(y: int | None, m: int) -> int:
    return calendar.monthrange(y or 2024, m)[1]  # a leap year when the year is unknown


_MONTH_WORD = re.compile(rf"\b{_MON}", re.I)
_YEAR_RE = re.compile(_YEAR)


_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "final": -1}


def _part(g: dict, start: int, end: int) -> _Date | None:
    """A quarter, half or week: "Q3 2025", "first half of 2026", "last week of October"."""
    if g["q"]:
        y, n, unit = int(g["qy"]), int(g["q"]), "quarter"
    else:
        y, n, unit = _d(g["py"]), _NTH[g["nth"].lower()], g["unit"].lower()
    if unit == "week":
        mo = _mon(g["wm"])
        if mo is None:
            return None
        last = _last_day(y, mo)
        d1 = last - 6 if n == -1 else 7 * (n - 1) + 1
        return _Date(y, mo, d1, y, mo, last if n == -1 else d1 + 6, start, end, "range")
    if y is None or g["wm"]:
        return None
    size = 3 if unit == "quarter" else 6
    count = 12 // size
    n = count if n == -1 else n
    if n > count:
        return None
    m1, m2 = (n - 1) * size + 1, n * size
    return _Date(y, m1, 1, y, m2, _last_day(y, m2), start, end, "range")


def find_dates(text: str) -> list[_Date]:
    """Date mentions in reading order, each with its lead word ("in", "on", "since"...)."""
    has_month = bool(_MONTH_WORD.search(text))
    if not has_month and not _YEAR_RE.search(text):
        return []
    taken = [False] * len(text)
    out: list[_Date] = []
    for kind, rx in _DATE_PATTERNS:
        if not has_month and kind not in ("iso", "slash", "year", "part"):
            continue
        for m in rx.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            g = m.groupdict()
            date = None
            if kind == "dayrange":
                mo, y = _mon(g["m"]), _d(g["y"])
                da, db = _d(g["da"]), _d(g["db"])
                if da < db:
                    date = _Date(y, mo, da, y, mo, db, m.start(), m.end(), "range")
            elif kind == "range":
                ma = _mon(g["m1"] or g["m1b"] or g["ma"])
                mb = _mon(g["m2"] or g["m2b"] or g["mb"])
                da, db = _d(g["d1"] or g["d1b"]), _d(g["d2"] or g["d2b"])
                yb = _d(g["yb"])
                ya = _d(g["ya"]) or (yb if yb and (ma, da or 1) <= (mb, db or 31) else (yb - 1 if yb else None))
                if g["kw"] or g["ya"] or yb or (da and db):
                    date = _Date(ya, ma, da or 1, yb, mb, db or _last_day(yb, mb), m.start(), m.end(), "range")
            elif kind == "part":
                date = _part(g, m.start(), m.end())
            elif kind == "iso":
                y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "slash":
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                mo, d = (a, b) if a <= 12 and (b > 12 or True) else (b, a)
                if a > 12:
                    mo, d = b, a
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "day":
                mo, d, y = _mon(g["m1"] or g["m1b"]), _d(g["d1"] or g["d1b"]), _d(g["y"])
                if d <= _last_day(y, mo):
                    date = _Date(y, mo, d, y, mo, d, m.start(), m.end(), "day")
            elif kind == "month":
                token = m.group("m").rstrip(".")
                # "May" and "march" are also words: a bare lowercase one is not a month
                if not g["y"] and (token[0].islower() or token.lower() in ("may", "mar")):
                    if token.lower() in ("may", "mar", "march") or token[0].islower():
                        continue
                mo, y = _mon(token), _d(g["y"])
                date = _Date(y, mo, 1, y, mo, _last_day(y, mo), m.start(), m.end(), "month")
            else:
                y = int(g["y"])
                date = _Date(y, 1, 1, y, 12, 31, m.start(), m.end(), "year")
            if date is None:
                continue
            lead = _PERIOD_LEAD.search(text[max(0, m.start() - 30) : m.start()])
            lead_word = (lead.group("lead") or "").lower() if lead else ""
            date = _Date(
                date.y1,
                date.m1,
                date.d1,
                date.y2,
                date.m2,
                date.d2,
                date.start,
                date.end,
                date.precision,
                re.sub(r"\s+", " ", lead_word),
            )
            out.append(date)
            for i in range(m.start(), m.end()):
                taken[i] = True
    return sorted(out, key=lambda d: d.start)


def _iso(y: int | None, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"


# ---------------------------------------------------------------------------------------------
# Publishers and document types

_PUB_ALIASES = {a: k for k, v in PUBLISHERS.items() for a in (k, *v)}

_DOC_TERMS = {w: k for k, v in DOC_TYPES.items() for w in v}
_DOC_TERMS.update({w: "" for w in GENERIC_DOCS})
_NUM_AFTER = (
    r"(?:\s*(?:no\.?|n[º°o]\.?|number|#)\s*(?P<num>\d{1,3})|\s+(?P<num2>\d{1,3})(?!\s*(?:\d|"
    + _MON
    + r"|%|,\d|\.\d|st\b|nd\b|rd\b|th\b|people|persons)))?"
)
_DOC_FIRSTS = _firsts(_DOC_TERMS)
_DOC_RE = re.compile(rf"(?<![\w-])(?P<doc>{_alt(_DOC_TERMS, cased=True)})(?![\w-]){_NUM_AFTER}", re.I)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_ORDINAL_RE = re.compile(r"\b(?P<ord>" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+(?:\w+\s+){0,2}$", re.I)
_LOOSE_NUM = re.compile(r"(?:\b(?:no|n[º°o])\.?\s*|\bnumber\s+|#\s*)(?P<num>\d{1,3})\b", re.I)
_LATEST = re.compile(r"\b(?:latest|most\s+recent|last|newest|final)\b", re.I)
_EARLIEST = re.compile(r"\b(?:earliest|oldest|initial)\b", re.I)
# A publisher named as the source ("according to WFP", "OCHA reports"), not as an actor ("WFP assisted")
_SOURCE_BEFORE = re.compile(
    r"(?:according\s+to|\bper|(?:as\s+)?(?:reported|stated|published|issued|released)\s+by"
    r"|(?:data|figures|information|numbers)\s+from)\s+(?:the\s+)?$",
    re.I,
)
_SOURCE_AFTER = re.compile(
    r"(?:['’]s?)?\s+(?:report(?:s|ed)?|says?|said|states?|stated|notes?|noted|estimates?"
    r"|estimated|indicates?|indicated|data|figures)\b",
    re.I,
)
# "according to its situation report", "per its latest / Regional / Haiti situation report"
_ITS = re.compile(r"\b(?:its|their)\s+(?:(?:most\s+recent|[\w'’-]+)\s+){0,3}$", re.I)
_GAP_OK = {
    "of",
    "on",
    "from",
    "dated",
    "for",
    "issued",
    "published",
    "released",
    "as",
    "the",
    "covering",
    "in",
    "s",
    "at",
    "its",
    "their",
    "up",
    "to",
}


def _doc_families(text: str) -> set[str]:
    return {
        _DOC_TERMS.get(m.group("doc").lower(), m.group("doc").lower()) for m in _scan(_DOC_RE, _DOC_FIRSTS, text)
    } - {""}


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|[_\-.]+")


@dataclass(frozen=True)
class _Entry:
    name: str
    publishers: frozenset[str]
    families: frozenset[str]
    numbers: frozenset[int]
    days: frozenset[tuple[int, int, int]]  # from the date, the title and the period
    title_months: frozenset[tuple[int, int]]  # months the title or period names (the report's own period)
    date_months: frozenset[tuple[int, int]]  # months of the publication date
    years: frozenset[int]
    countries: frozenset[str]
    date: str
    codes: frozenset[str] = frozenset()  # report codes in its name, title or number ("MDRJM004")


# a report's own code: capitals then digits ("MDRJM004", "MDRIN018DREF"); not "COVID-19"
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3,}\d{2,}[A-Z0-9]*(?![a-z])")


def report_codes(text: str) -> frozenset[str]:
    """Report codes written in a text.

    >>> sorted(report_codes("DREF final report MDRIN018DREF_final.pdf, not COVID-19 or R4V"))
    ['MDRIN018DREF']
    """
    return frozenset(_CODE.findall(text.replace("_", " ")))


def _code_fits(asked: str, own: str) -> bool:
    """"MDRCD016" names "MDRCD016" and "MDRCD01601OU" (its update); "MDRCD01" names nothing."""
    return asked == own or (len(asked) >= 7 and own.startswith(asked))


@lru_cache(maxsize=4096)
def _entry(name: str, meta: ReportMeta) -> _Entry:
    title = meta.title or ""
    file_words = _CAMEL.sub(" ", re.sub(r"\.\w+$", "", name))
    pubs = {_pub_key(m.group(0)) for text in (meta.publisher, title) for m in _scan(_PUB_RE, _PUB_FIRSTS, text or "")}
    pubs |= set(_own_publishers(meta.publisher or ""))
    if not pubs:  # the file name: "r4v-peru-2020-10.txt", "IntlMedCorps-...", "WFPHaiti..."
        words = f"{file_words} {re.sub(r'[^A-Za-z0-9]+', ' ', name)}"
        pubs = {_pub_key(m.group(0).upper()) for m in _FILE_ACRONYM_RE.finditer(words)}
        pubs |= {_pub_key(m.group(0)) for m in _scan(_PUB_RE, _PUB_FIRSTS, file_words)}
    fams = _doc_families(title) | _doc_families(file_words)
    if meta.doc_type:
        generic = meta.doc_type.strip().lower() in GENERIC_DOCS  # "report" says nothing
        fams |= _doc_families(meta.doc_type) or (set() if generic else {meta.doc_type.strip().lower()})
    nums = set()
    if meta.number and re.match(r"\d+", meta.number.strip()):
        nums.add(int(re.match(r"\d+", meta.number.strip()).group(0)))
    else:
        for text in (title, file_words):
            for m in _scan(_DOC_RE, _DOC_FIRSTS, text):
                n = m.group("num") or m.group("num2")
                if n and m.group("doc").lower() in _DOC_TERMS and _DOC_TERMS[m.group("doc").lower()]:
                    nums.add(int(n))
            if nums:
                break
        if not nums:
            m = _LOOSE_NUM.search(title) or re.search(r"(?i)(?:sitrep|number|no)[\s_]*0*(\d{1,2})(?!\d)", name)
            if m:
                nums.add(int(m.group(m.lastindex or 0)))
    days, title_months, date_months, years = set(), set(), set(), set()
    for text, own in ((title, True), (meta.period, True), (meta.date, False)):
        for d in find_dates(text or ""):
            if d.precision == "day" and d.y1:
                days.add((d.y1, d.m1, d.d1))
            y1, y2 = d.y1 or d.y2, d.y2 or d.y1
            if y1 and y2:
                months = _months_between(y1, d.m1, y2, d.m2)
                (title_months if own else date_months).update(months)
                years.update(y for y, _ in months)
    countries = set(_find_countries(f"{title} {meta.country or ''}")[0])
    for y, mo in re.findall(r"(?<!\d)(20[0-4]\d)[-_](0[1-9]|1[0-2])(?![\d])", name):
        title_months.add((int(y), int(mo)))
        years.add(int(y))
    return _Entry(
        name,
        frozenset(pubs),
        frozenset(fams),
        frozenset(nums),
        frozenset(days),
        frozenset(title_months),
        frozenset(date_months),
        frozenset(years),
        frozenset(countries),
        meta.date or "",
        report_codes(f"{name} {title} {meta.number or ''}"),
    )


def _months_between(y1: int, m1: int, y2: int, m2: int) -> list[tuple[int, int]]:
    out, y, m = [], y1, m1
    while (y, m) <= (y2, m2) and len(out) < 36:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


_PUB_FIRSTS = _firsts(_PUB_ALIASES)
_PUB_RE = re.compile(rf"(?<![\w-])(?:{_alt(_PUB_ALIASES)})(?![\w-])", re.I)
# Acronyms in file names: "WFPHaitiCountryBrief", "r4v-peru-2020-10", "sitrep4-paho-..."
_FILE_ACRONYM_RE = re.compile(
    r"(?<![A-Za-z])(?i:"
    + "|".join(
        re.escape(a).replace(r"\ ", r"\s+")
        for a in sorted(_PUB_ALIASES, key=len, reverse=True)
        if len(a) >= 3 and a.isupper()
    )
    + r")(?![a-z])"
)


def _pub_key(alias: str) -> str:
    return _PUB_ALIASES.get(alias) or _lookup_ci(_PUB_ALIASES, alias) or alias


def _own_publishers(publisher: str) -> dict[str, str]:
    """Publishers the static table does not know: alias -> key, from "ACF (Action contre la Faim)".

    The key is the acronym when one is written, else the full name; both are aliases.
    """
    out: dict[str, str] = {}
    for part in re.split(r"\s*[;|]\s*|,\s+(?=[A-Z])", publisher):
        part = part.strip()
        if not part or _PUB_RE.search(part):
            continue
        m = re.match(r"^(?P<a>[A-Z][\w&-]*[A-Z0-9])\s*[(\[-]\s*(?P<full>[^)\]]+)[)\]]?$", part) or re.match(
            r"^(?P<full>[^(]+?)\s*\((?P<a>[A-Z][\w&-]*[A-Z0-9])\)$", part
        )
        if m:
            out[m.group("a")] = out[m.group("full").strip()] = m.group("a")
        else:
            out[part] = part
    return out


@lru_cache(maxsize=64)
def _catalogue_publishers(publishers: tuple[str, ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    aliases: dict[str, str] = {}
    for p in publishers:
        aliases.update(_own_publishers(p))
    if not aliases:
        return None, {}
    return re.compile(rf"(?<![\w-])(?:{_alt(aliases)})(?![\w-])", re.I), aliases


# ---------------------------------------------------------------------------------------------
# Report resolution


@dataclass(frozen=True)
class _Naming:
    publishers: tuple[str, ...]
    family: str | None
    number: int | None
    date: _Date | None
    latest: bool
    earliest: bool
    spans: tuple[tuple[int, int], ...]
    codes: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        return bool(self.publishers or self.family in SERIES or self.number or self.date or self.codes)


def _gap_ok(gap: str) -> bool:
    """Only filler words (and publisher or country names) between a report's name and its date."""
    if len(gap) > 60:
        return False
    chars = list(gap)
    for rx, firsts in ((_PUB_RE, _PUB_FIRSTS), (_COUNTRY_RE, _COUNTRY_FIRSTS)):
        for m in _scan(rx, firsts, gap):
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    words = _tokens("".join(chars))
    return len(words) <= 4 and all(w in _GAP_OK for w in words)


def _naming(text: str, dates: list[_Date], extra: tuple[re.Pattern | None, dict[str, str]] = (None, {})) -> _Naming:
    spans: list[tuple[int, int]] = []
    docs = list(_scan(_DOC_RE, _DOC_FIRSTS, text))
    family, number, doc_spans = None, None, []
    numbered_family = None  # "its Situation Report #1" names the type, not "the response plan" before it
    for m in docs:
        fam = _DOC_TERMS.get(m.group("doc").lower(), "")
        num = m.group("num") or m.group("num2")
        ordinal = _ORDINAL_RE.search(text[max(0, m.start() - 40) : m.start()])
        if fam and num and numbered_family is None:
            numbered_family = fam
        if fam or num or ordinal:
            family = family or fam or None
        if num and number is None:
            number = int(num)
        if ordinal and number is None:
            o = ordinal.group("ord").lower()
            number = _ORDINALS.get(o) or int(re.match(r"\d+", o).group(0))
            spans.append((m.start() - len(ordinal.group(0)), m.start()))
        doc_spans.append(m.span())
    family = numbered_family or family
    if number is None and docs:
        m = _LOOSE_NUM.search(text)
        if m:
            number = int(m.group("num"))
            spans.append(m.span())
    pubs, pub_spans = [], []
    extra_re, extra_aliases = extra
    mentions = [(m, _pub_key(m.group(0))) for m in _scan(_PUB_RE, _PUB_FIRSTS, text)]
    if extra_re is not None:
        mentions += [
            (m, extra_aliases.get(m.group(0)) or _lookup_ci(extra_aliases, m.group(0))) for m in extra_re.finditer(text)
        ]
    for m, key in sorted(mentions, key=lambda t: t[0].start()):
        if key == "IPC" and re.match(r"\s*phase", text[m.end() :], re.I):
            continue
        source = (
            bool(_SOURCE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]))
            or bool(_SOURCE_AFTER.match(text, m.end()))
            or any(_gap_ok(text[m.end() : d.start()]) for d in docs if d.start() >= m.end())
            # "did WFP reach ... according to its situation report #1"
            or any(_ITS.search(text[m.end() : d.start()]) for d in docs if d.start() >= m.end())
        )
        if source and key not in pubs:
            pubs.append(key)
            pub_spans.append(m.span())
    report_date = None
    anchors = [d.span() for d in docs] + pub_spans
    for d in dates:
        for a0, a1 in anchors:
            before = a1 <= d.start and _gap_ok(text[a1 : d.start])
            after = d.end <= a0 and _gap_ok(text[d.end : a0]) and any(s == (a0, a1) for s in (x.span() for x in docs))
            if (before or after) and (docs or pubs):
                report_date = d
                break
        if report_date:
            break
    latest = bool(docs or pubs) and bool(_LATEST.search(text))
    earliest = bool(docs or pubs) and bool(_EARLIEST.search(text)) and number is None
    codes = [(m.group(0), m.span()) for m in _CODE.finditer(text)]
    named_doc = bool(family or number or report_date or pubs or latest or codes)
    if named_doc:
        spans += doc_spans + pub_spans + [span for _, span in codes]
        if report_date:
            spans.append((report_date.start, report_date.end))
    return _Naming(tuple(pubs), family, number, report_date, latest, earliest, tuple(spans),
                   tuple(dict.fromkeys(c for c, _ in codes)))


def _score(e: _Entry, n: _Naming, year: int | None, countries: Sequence[str]) -> float | None:
    """Score one catalogue entry against what the question names; None when it contradicts it.

    A report code ("MDRJM004") settles it: the report with that code, whatever else the question
    says of its type or date; a code no report carries names none."""
    if n.codes:
        if any(_code_fits(a, own) for a in n.codes for own in e.codes):
            return 10.0 + (3 if n.number is not None and n.number in e.numbers else 0)
        return None
    score = 0.0
    if n.publishers:
        if e.publishers & set(n.publishers):
            score += 3
        elif e.publishers:
            return None
    if n.family:
        if n.family not in e.families:
            return None  # "WFP's country brief" is not WFP's vulnerability report, typed or not
        score += 2
    if n.number is not None:
        if n.number in e.numbers:
            score += 3
        elif e.numbers or e.families:
            return None
    d = n.date
    if d is not None:
        y = d.y1 or year
        if d.precision == "day":
            hit = any((dy, dm, dd) == (y, d.m1, d.d1) if y else (dm, dd) == (d.m1, d.d1) for dy, dm, dd in e.days)
            if not hit:
                return None
            score += 3
        elif d.precision == "year":
            if d.y1 not in e.years:
                return None
            score += 1
        else:
            want = {(yy, mm) for yy, mm in _months_between(y or 0, d.m1, d.y2 or y or 0, d.m2)}
            if y is None:
                own = {m for _, m in e.title_months} & {m for _, m in want}
                dated = {m for _, m in e.date_months} & {m for _, m in want}
            else:
                own, dated = e.title_months & want, e.date_months & want
            if own:
                score += 2
            elif dated:
                score += 1
            else:
                return None
    if countries and e.countries & set(countries):
        score += 0.5
    return score


def _resolve(
    n: _Naming, catalogue: Sequence[tuple[str, ReportMeta]], countries: Sequence[str], year: int | None
) -> tuple[str, ...]:
    scored = []
    for name, meta in catalogue:
        e = _entry(name, meta)
        s = _score(e, n, year, countries)
        if s is not None and s > 0.5:  # a country alone does not name a report
            scored.append((s, e))
    if not scored:
        return ()
    top = max(s for s, _ in scored)
    best = [e for s, e in scored if s == top]
    if n.latest and len(best) > 1:
        last = max(e.date for e in best)
        best = [e for e in best if e.date == last]
    elif n.earliest and len(best) > 1:
        first = min(e.date for e in best if e.date) if any(e.date for e in best) else ""
        best = [e for e in best if e.date == first]
    return tuple(e.name for e in best)


def _resolve_loosely(
    n: _Naming, catalogue: Sequence[tuple[str, ReportMeta]], countries: Sequence[str], year: int | None
) -> tuple[tuple[str, ...], bool]:
    """Users name reports loosely: a date that is the figure's, not the report's ("the shelters PAHO
    assessed on 28 October"), a platform for its national publisher ("R4V" for GTRM), a type the
    catalogue does not know. When nothing fits every part, drop one part at a time (the date, then
    the type, then the publisher when a country says which report is meant) and take what fits at
    most a few reports. A report number is never dropped: "situation report #5" of a series that
    stops at 4 names no report. Returns the reports and whether the date was dropped."""
    tries = []
    if n.date is not None and (n.publishers or n.family or n.number is not None):
        tries.append((dataclasses.replace(n, date=None), True))
    if n.family and (n.publishers or n.number is not None or n.date is not None):
        tries.append((dataclasses.replace(n, family=None), False))
    if n.publishers and countries and (n.family or n.date is not None):
        tries.append((dataclasses.replace(n, publishers=()), False))
    meta = dict(catalogue)
    for loose, date_dropped in tries:
        found = _resolve(loose, catalogue, countries, None if date_dropped else year)
        if countries:
            found = tuple(name for name in found if _entry(name, meta[name]).countries & set(countries))
        if 0 < len(found) <= 3:
            return found, date_dropped
    return (), False


def _year_for(
    d: _Date, catalogue: Sequence[tuple[str, ReportMeta]], n: _Naming | None, resolved: Sequence[str] = ()
) -> int | None:
    """The year of a day/month written without one, when the catalogue makes it unambiguous.

    In a named report, "in November" is the last November up to the report's own period.
    """
    if not catalogue:
        return None
    entries = [_entry(name, meta) for name, meta in catalogue]
    if resolved:
        refs = set()
        for e in entries:
            if e.name in resolved:
                months = e.title_months | e.date_months
                if months:
                    ry, rm = max(months)
                    refs.add(ry if d.m1 <= rm else ry - 1)
        if len(refs) == 1:
            return refs.pop()
    if n is not None and (n.publishers or n.family or n.number is not None):
        narrowed = [
            e
            for e in entries
            if _score(e, _Naming(n.publishers, n.family, n.number, None, False, False, ()), None, ()) is not None
        ]
        entries = narrowed or entries
    if d.precision == "day":
        years = {y for e in entries for y, m, dd in e.days if (m, dd) == (d.m1, d.d1)}
        if len(years) == 1:
            return years.pop()
    years = {y for e in entries for y, m in e.title_months | e.date_months if m == d.m1}
    if len(years) == 1:
        return years.pop()
    all_years = {y for e in entries for y in e.years}
    return all_years.pop() if len(all_years) == 1 else None


# ---------------------------------------------------------------------------------------------
# The parser


def parse_question(text: str, catalogue: Sequence[tuple[str, ReportMeta]] = ()) -> Query:
    """Read a question: the kind of answer, what is measured, and its scope.

    `catalogue` holds (report name, meta) for every indexed report; reports named in the question
    ("OCHA's Flash Update 5", "the IMC sitrep on 30 January") are resolved against it.
    """
    catalogue = tuple(catalogue)
    removed: list[tuple[int, int]] = []

    countries, c_spans = _find_countries(text)
    removed += c_spans

    expected = expected_kind(text)
    group, both, g_spans = _group(text)
    if group == "RMRP" and expected in ("money", "percent") and not _GROUP_PHRASE.search(text):
        group = None  # "How much of the RMRP was funded?" is about the plan, not its partners' group
    removed += g_spans

    dates = find_dates(text)
    publishers = tuple(sorted({meta.publisher for _, meta in catalogue if meta.publisher}))
    naming = _naming(text, dates, _catalogue_publishers(publishers))
    removed += naming.spans

    # aggregates
    aggregate = over = None
    which = _WHICH.search(text)
    noun = (which.group("noun") or which.group("noun2") or "").lower() if which else ""
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
    report_named = naming.named
    if not reports and report_named and not (naming.publishers or naming.number or naming.date or naming.codes):
        # "the situation report" matching nothing is a generic reference when some report's type is unknown
        report_named = all(_entry(name, meta).families for name, meta in catalogue) if catalogue else True

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
