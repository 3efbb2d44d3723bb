"""Where a question's figure comes from: a question in, the countries, the sector and the plan group
it names (with their spans, so they are not read as what is measured) and the aggregate words out.

Countries: the names are in vocabulary/countries.py. Demonyms name people's origin ("Venezuelan refugees
in Ecuador"), so they only scope a question when they qualify an institution.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.question.words import _alt, _firsts, _lookup_ci, _scan
from vocabulary.countries import COUNTRY_NAMES, DEMONYMS
from vocabulary.sectors import SECTORS

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


# a country's name that opens the name of a body ("the United States National Hurricane Center",
# "the Japan Government", "the Korea International Cooperation Agency") names that body, not a place
_BODY_AFTER = re.compile(
    r"\s*(?:government|ministry|embassy|army|armed\s+forces|police|red\s+cross|red\s+crescent|"
    r"(?:national|international|meteorological|geological|disaster|emergency|development|cooperation)\s+"
    r"(?:[A-Z]\w*\s+)*(?:center|centre|agency|service|institute|office|administration|authority|council))\b",
    re.I,
)


# a country's name that names a disease or its virus ("Sudan virus disease", "Marburg", "Congo fever",
# "the Zika virus") is no place
_DISEASE_AFTER = re.compile(r"\s*(?:(?:ebola)?virus\b|ebolavirus|(?:haemorrhagic|hemorrhagic)?\s*fever\b|strain\b"
                            r"|variant\b)", re.I)


def _find_countries(text: str, places: bool = False) -> tuple[list[str], list[tuple[int, int]]]:
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _scan(_COUNTRY_RE, _COUNTRY_FIRSTS, text):
        if m.group("name"):
            canon = COUNTRY_NAMES.get(m.group("name")) or _lookup_ci(COUNTRY_NAMES, m.group("name"))
            if canon == "United States" and _CURRENCY_AFTER.match(text, m.end()):
                continue  # "US$", "US dollars": a currency
            if _ORIGIN_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
                continue
            if (places and _BODY_AFTER.match(text, m.end())) or _DISEASE_AFTER.match(text, m.end()):
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
    return list(_countries(text, False))


@lru_cache(maxsize=4096)
def _countries(text: str, places: bool) -> tuple[str, ...]:
    """`_find_countries`'s countries, kept for the texts read most: the composer asks it of every candidate's
    clause, and the copies of a fact in a report series (tests/test_copies.py) write the same clause."""
    return tuple(_find_countries(text, places)[0])


def country_words(text: str) -> frozenset[str]:
    """The words of every country name and demonym a text writes, in lower case, whatever they qualify:
    "Sri Lankan" names Sri Lanka even where it scopes nothing, so its "Lankan" is no unknown name.

    >>> sorted(country_words("Which Sri Lankan province had the most cases?"))
    ['lankan', 'sri']
    """
    return frozenset(w.lower() for m in _scan(_COUNTRY_RE, _COUNTRY_FIRSTS, text)
                     for w in re.findall(r"[^\W\d_]+", m.group(0)))


def places_named(text: str) -> list[str]:
    """The countries a text names as places: `find_countries` without a country's name that opens a
    body's name.

    >>> places_named("The United States National Hurricane Center reported the storm near Jamaica")
    ['Jamaica']
    """
    return list(_countries(text, True))


# ---------------------------------------------------------------------------------------------
# Sectors (the names are in vocabulary/sectors.py). The canonical names (and the listed abbreviations)
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
_GROUP = re.compile(rf"(?:{_GROUP_PHRASE.pattern}|\bRMRP\b)", re.I)
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
_MIN = re.compile(r"\b(?:(?<!\bat\s)least|fewest|lowest|smallest|minimum|fewer|less)\b", re.I)
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
