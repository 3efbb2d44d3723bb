"""Candidates in, more of their features out: those the composer adds to the matcher's (the question's
proper names, recency) and those of the candidates kept after the first scoring (another country named,
several countries, a change rather than a level, a name the question does not use), and whether a
figure spans months."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.context import NAME_PART, NAME_RUN, asked_places, place_elsewhere, place_missing
from assistant.headers import GENERIC_COUNT, dated, month_words, spelt
from assistant.owners import kinds_named, label_other
from assistant.question import Query, content_words, find_countries, places_named
from assistant.roots import query_words
from assistant.siblings import sibling_gaps
from assistant.text import _NOT_NAMES, proper_names
from indexer.chunk import is_heading
from indexer.entries import FactEntry, Lead
from indexer.numbers import CURRENCIES
from indexer.reader import StoredReport
from vocabulary.months import ENGLISH_MONTH_NAMES
from vocabulary.roots import root

_MONTH_NAME = rf"(?:{ENGLISH_MONTH_NAMES})"
# "between January and October", "from May to September", "since March", "January-October"
_MONTH_SPAN = re.compile(rf"(?i)\b(?:(?:between|from)\s+{_MONTH_NAME}\b[^.;]{{0,20}}?\b(?:and|to|until|through)\s+"
                         rf"{_MONTH_NAME}\b|since\s+(?:the\s+(?:start|beginning)\s+of\s+)?{_MONTH_NAME}\b|"
                         rf"{_MONTH_NAME}\s*[-–]\s*{_MONTH_NAME}\b|year[- ]to[- ]date|cumulative(?:ly)?)")


_MONTH_ANY = re.compile(rf"\b(?:{_MONTH_NAME})\b")  # capitalised: "may" is no month


def asks_one_month(q: Query) -> bool:
    """The question asks about one month ("in October 2020"): its dates fall in one month and it names
    no second one ("between January and early November", "(Oct 2025-May 2026)" name a span).

    >>> from assistant.question import parse_question
    >>> asks_one_month(parse_question("How many calls were made in October 2020?", []))
    True
    >>> asks_one_month(parse_question("How many were returned between January and early November 2025?", []))
    False
    """
    if not (q.date_from and q.date_to and q.date_from[:-3] == q.date_to[:-3]):  # "2020-10", "--10"
        return False
    return len({m.group(0).lower()[:3] for m in _MONTH_ANY.finditer(q.text)}) <= 1


def _clause_and_after(e: FactEntry, more: int = 30) -> str:
    """The number's clause and a little after it: a clause ends before the next number, so "between
    January and October 2020" is cut at "January"."""
    s = e.fact.sentence
    i = s.find(e.clause) if e.clause else -1
    return s if i < 0 else s[i:i + len(e.clause) + more]


# a clause that gives a change rather than a level, and questions that ask for one
_CHANGE = re.compile(r"(?i)\b(?:(?:increase|decrease|rise|fall|drop|decline|grow|jump)[sd]?\s+(?:by|of)|"
                     r"(?:rose|fell|grew|dropped|declined|jumped|went\s+up|went\s+down|up|down)\s+by|"
                     r"an?\s+(?:increase|decrease|rise|drop|decline|reduction)\s+of)\b")
_CHANGE_ASKED = re.compile(r"(?i)\b(?:by\s+how\s+much|increase|decrease|rise|rose|drop|fell|fall|change|grow|grew|"
                           r"decline|more\s+than\s+(?:the\s+)?(?:previous|last|before)|additional|new)\b")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-zà-ÿ]{3,}(?:[-'’][A-Za-zà-ÿ]+)*")


def _names_more_countries(e: FactEntry, countries: Sequence[str]) -> bool:
    """The fact's clause names the country asked about and at least one other ("across Jamaica,
    Haiti and Cuba")."""
    named = set(find_countries(e.clause or e.fact.sentence))
    return bool(named & set(countries)) and len(named) > 1


# words that make a name without telling which one: "General Directorate of Civil Protection" is asked by
# "civil protection", not by "directorate" (a compass point does tell: "South Ethiopia Regional State" is no
# question about Ethiopia)
_GENERIC_NAME_WORDS = frozenset(root(w) for w in (
    "general national federal regional provincial municipal district districts department departments "
    "province provinces region regions state states county counties city commune communes municipality "
    "island islands river lake ministry directorate office agency authority council committee government "
    "republic united centre center hospital health unit units programme program service services division "
    "bureau").split())
# the acronym written right after a name: "Medical Officer of Health (MOH)"
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")


def _names_unasked(e: FactEntry, asked: set[str], own: frozenset[str]) -> bool:
    """A name inside the number's clause (not opening it) that the question does not use and that does not
    name the report: the figure is about a narrower place or body. A name is its run of capitalised words,
    and the question uses it when it uses every word that tells it apart, in any case ("the civil
    protection figures" use "the General Directorate of Civil Protection": "General" and "Directorate" name
    no particular body; "response funding" does not use "the Central Emergency Response Fund"), or the
    acronym written after it ("MOH areas" uses "Medical Officer of Health (MOH) areas"). A table cell's
    row header, and a key figure's label under its number, open after a year or a number as well: their
    first capital opens a label, not a name."""
    cell = e.fact.kind == "table_cell"
    clause = e.clause if not cell else f"{e.fact.row_header}"
    labelled = cell or e.fact.kind == "key_figure"  # "2023 Cumulative (week 1-18)"; "58,900 Estimated pregnant women"
    for run in NAME_RUN.finditer(clause):
        words = [m for m in _CAPITALISED.finditer(run.group(0)) if m.group(0).lower() not in _NOT_NAMES]
        before = clause[:run.start() + words[0].start()] if words else ""
        if words and (not before.strip() or labelled and not re.search(r"[^\W\d_]", before)):
            words = words[1:]  # the clause's or the label's first word
        if not words:
            continue
        acronym = _ACRONYM_AFTER.match(clause, run.end())
        if acronym and root(acronym.group(1).lower()) in asked:
            continue  # "MOH areas" asks for "Medical Officer of Health (MOH) areas"
        parts = {root(w) for m in words for w in NAME_PART.findall(m.group(0).lower())}  # "Grand’Anse": grand, ans
        telling = parts - _GENERIC_NAME_WORDS or parts
        if not all(w in asked or w in own for w in telling):
            return True
    return False


def _names_other_country(e: FactEntry, countries: Sequence[str], page_top: str = "") -> bool:
    """The fact's clause, label or heading names a country as a place, none of those asked about (the
    "United States National Hurricane Center" reporting a storm near Haiti names no other place); or,
    when they name none, its page's first line does (a regional report's running header: "...
    Overview: Nigeria" over a table a question about Niger is not answered from)."""
    named = places_named(f"{e.fact.heading} {e.clause or e.fact.sentence} {e.fact.label}") or places_named(page_top)
    return bool(named) and not set(named) & set(countries)


def section_country(before: str, countries: Sequence[str]) -> bool:
    """Whether the text shortly before a figure on its page puts the figure in one of the countries: a heading
    names one, or, with no heading naming one, the last line before it that names a country names one asked (a
    regional bulletin's section on one country: "On 30 January 2025, the Ministry of Health of Uganda ...", its
    heading a page up).

    >>> section_country("Sudan Virus Disease\\nOn 30 January, the Ministry of Health of Uganda notified WHO.\\n"
    ...                 "Response:", ["Uganda"])
    True
    >>> section_country("Cholera in Angola\\nCases rose in Luanda.\\n", ["Uganda"])
    False
    """
    lines = before.splitlines()
    if any(is_heading(ln) and any(c.lower() in ln.lower() for c in countries) for ln in lines):
        return True
    named = next((found for ln in reversed(lines) if (found := places_named(ln))), [])
    return bool(set(named) & set(countries))


def spans_months(e: FactEntry) -> bool:
    """The figure's clause spans months ("between January and October", "since March", "cumulative"): it
    never answers a question about one month (`asks_one_month`)."""
    return bool(_MONTH_SPAN.search(_clause_and_after(e)))


def pool_features(q: Query, e: FactEntry, asked_words: set[str], own: frozenset[str],
                  wants_change: bool, page_top: str = "", places: Sequence[tuple[str, ...]] = ()) -> dict[str, float]:
    """The features of a candidate kept among the POOL best after the first scoring, in this order."""
    return {
        "place_missing": float(place_missing(e, places, own)),
        "place_elsewhere": float(place_elsewhere(e, places, own)),
        "country_other": float(bool(q.countries) and _names_other_country(e, q.countries, page_top)),
        "country_shared": float(bool(q.countries) and _names_more_countries(e, q.countries)),
        "change_unasked": float(not wants_change and bool(_CHANGE.search(_clause_and_after(e, 0)))),
        "names_unasked": float(_names_unasked(e, asked_words, own)),
        **year_features(q, e),
        "period_other": float(_period_other(q, e)),
        **span_features(q, e),
        **dict(zip(("contrast", "kind_own"), map(float, kinds_named(q, e)), strict=True)),
        "label_other": float(label_other(q, e)),
    }


# a running total: "Cumulative (week 1-18)", "Up to Week31", "to date", "since January", "year-to-date"
_RUNNING = re.compile(r"(?i)\b(?:cumulative(?:ly)?|up\s*to\b|to\s+date|so\s+far|since\b|year[- ]to[- ]date|ytd\b|"
                      r"(?:epi[- ]?)?weeks?\s*1\s*(?:-|–|to)\s*(?:week\s*)?\d+|from\s+(?:epi[- ]?)?week\s*1\b)")
# a question that asks for a figure at a date, which a running total is as well as a level: "as of
# 19 June", "by 31 August", "total"
_AT_DATE = re.compile(r"(?i)\b(?:as\s+of|as\s+at|by\s+(?:\d|the\s+end|end|mid|early|late|[A-Z][a-z]+\s+\d)|total)")


def span_features(q: Query, e: FactEntry) -> dict[str, float]:
    """A running total against a figure of one period: "Cumulative (week 1-18)" and "Up to Week31"
    answer "from week 1 to week 18", "so far this year", "cumulative", not "in week 31" or "that
    week", which are the "Week 31" column's. `span_asked`: both the question and the figure's headers
    or clause say they run over a span from its start; `span_unasked`: the figure's do, and the
    question asks for one period (it names no span, date of a total, or total).

    >>> from assistant.question import parse_question
    >>> from indexer.entries import make_entry
    >>> from indexer.records import Fact
    >>> cell = Fact(value=18322, text="18322", start=0, end=5, page=1, report="r", label="", sentence="18322",
    ...             kind="table_cell", row_header="Gampaha", col_header="Up to Week31 / 2026")
    >>> e = make_entry(0, cell, 0)
    >>> span_features(parse_question("How many cases did Gampaha report in week 31?", []), e)
    {'span_asked': 0.0, 'span_unasked': 1.0}
    >>> span_features(parse_question("Gampaha's cumulative case count up to week 31?", []), e)
    {'span_asked': 1.0, 'span_unasked': 0.0}
    """
    f = e.fact
    if f.kind == "table_cell":
        text = f"{f.row_header or ''} {f.col_header or ''}"
    elif f.kind == "key_figure":
        text = f"{f.label or ''} {_clause_and_after(e, 0)}"
    else:
        text = _clause_and_after(e, 0)
    running = bool(_RUNNING.search(text))
    asks = bool(_RUNNING.search(q.text))
    return {"span_asked": float(running and asks),
            "span_unasked": float(running and not asks and not _AT_DATE.search(q.text))}


# a running total asked ("cumulative", "so far", "since the outbreak began", "weeks 1-5") against a figure
# of one week or day ("Current week (week 5)", "new deaths", "average per day"), and the other way round
_CUM_ASKED = re.compile(r"(?i)\b(?:cumulative(?:ly)?|so\s+far|to\s+date|up\s+to|since|in\s+total|overall"
                        r"|year[-\s]to[-\s]date|weeks?\s*\d+\s*(?:-|–|to)\s*(?:week\s*)?\d+"
                        r"|from\s+(?:epi(?:demiological)?[-\s]+)?week\s*0?1\b)")
_NEW_ASKED = re.compile(r"(?i)\b(?:new|newly|this\s+week|current\s+week|that\s+week|daily|per\s+day|a\s+day"
                        r"|weekly|alone)\b")
_CUM_FACT = re.compile(r"(?i)\b(?:cumulative(?:ly)?|total|to\s+date|so\s+far|since|up\s+to|overall|week\s*0?1\s*[-–])")
_NEW_FACT = re.compile(r"(?i)\b(?:new|current\s+week|this\s+week|per\s+day|daily|average|(?:last|past)\s+(?:7|seven)"
                       r"\s+days|within\s+the\s+last)\b")


def _period_other(q: Query, e: FactEntry) -> bool:
    """The question asks for a running total and the figure counts one week or day (its headers or
    clause say "current week", "new", "per day" and nothing cumulative), or the other way round."""
    cum, new = bool(_CUM_ASKED.search(q.text)), bool(_NEW_ASKED.search(q.text))
    if cum == new:
        return False
    f = e.fact
    own = (f"{f.row_header or ''} {f.col_header or ''} {f.label}" if f.kind in ("table_cell", "key_figure")
           else e.clause or f.sentence)
    f_cum, f_new = bool(_CUM_FACT.search(own)), bool(_NEW_FACT.search(own))
    return (f_new and not f_cum) if cum else (f_cum and not f_new)


_HEADER_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")


def _digits(number: str) -> str:
    """A written number as digits without separators or leading zeros ("031" -> "31", "1,226" -> "1226")."""
    return re.sub(r"[.,]", "", number).lstrip("0") or "0"


def numbers_of(text: str) -> frozenset[str]:
    """The numbers a text writes, as `_digits`.

    >>> sorted(numbers_of("Up to Week31 / 2026, 1,226 cases"))
    ['1226', '2026', '31']
    """
    return frozenset(_digits(n) for n in re.findall(r"\d+(?:[.,]\d+)*", text))


# a currency a header writes is the unit of its cells ("Allocated Contributions (in USD)", "2017 REQUIREMENT
# (IN US$)", "Budget CHF"), not a word of what they count: the indexer's currency table, as written
_HEADER_CURRENCY = re.compile(r"(?<![A-Za-z])(?:" + "|".join(
    re.escape(c) for c in sorted((c for c in CURRENCIES if re.search(r"[A-Za-z]", c)), key=len, reverse=True))
    + r")(?![A-Za-z])")


# words a layout glued together when it dropped the space between two runs: "KingabuaPécheur", an account code
# and its line "CAXBClothing & Textiles"; not "IDPs", "NGOs" (a plural), "PiN"
# a word or a code in capitals, then capitalised words glued on: no word starting in lower case ("refUgees",
# "reqUirement": a small-caps font's letters)
_GLUED = re.compile(r"\b(?:[A-ZÀ-Þ]{2,}|[A-ZÀ-Þ][a-zß-ÿ]+)(?:[A-ZÀ-Þ][a-zß-ÿ]{2,})+\b")
_PART = re.compile(r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zß-ÿ])")


@lru_cache(maxsize=8192)
def unglue(header: str) -> str:
    """A header's words apart where a layout glued them (kept for the headers read most: a table's cells, and
    their copies, repeat them).

    >>> unglue("CAXBClothing & Textiles"), unglue("No. displaced people KingabuaPécheur")
    ('CAXB Clothing & Textiles', 'No. displaced people Kingabua Pécheur')
    >>> unglue("IDPs"), unglue("PiN"), unglue("# refUgees"), unglue("COVID-19")
    ('IDPs', 'PiN', '# refUgees', 'COVID-19')
    """
    return _GLUED.sub(lambda m: _PART.sub(" ", m.group(0)), header)


def _cover(header: str, asked_words: set[str], asked_numbers: frozenset[str], own: str) -> float | None:
    """The share of a header's words and numbers that the question writes (None: the header has none).
    Numbers glued to words count ("Week31"); the figure's own number does not, nor does a currency
    (the cells' unit: "Allocated Contributions (in USD)" is named by "allocated contributions").

    >>> _cover("Allocated Contributions (in USD)", {"allocat", "contribut"}, frozenset(), "311")
    1.0
    """
    parts = []
    header = _HEADER_CURRENCY.sub(" ", dated(spelt(unglue(header))))
    for tok in _HEADER_TOKEN.findall(header):
        if tok[0].isdigit():
            n = _digits(tok)
            if n != own:
                parts.append(n in asked_numbers)
        else:
            words = content_words(tok) or month_words(tok)  # "MAY*": the month, not the verb
            if words and words[0] not in GENERIC_COUNT:  # "Number of Ind": how it counts, not what
                parts.append(root(words[0]) in asked_words)
    return sum(parts) / len(parts) if parts else None


@dataclass(frozen=True)
class Asked:
    """What a question asks with, as the features compare it; made once a question (`asked`)."""

    names: tuple[tuple[str, ...], ...]  # its proper names but its countries, each as rooted parts (`name_parts`)
    places: tuple[tuple[str, ...], ...]  # of those, the ones it asks about as places (`asked_places`)
    measure: frozenset[str]  # the words saying what is counted (`query_words`): table rows and columns
    words: frozenset[str]  # every content word and proper name, rooted, whole and in parts
    numbers: frozenset[str]  # the numbers it writes (`numbers_of`)


def asked(q: Query, acronyms: Sequence[str] = ()) -> Asked:
    """`acronyms`: the acronyms the reports define whose expansion the question writes ("cash-based
    transfers": "cbt"), or the reverse (`Loaded.expand_acronyms`): a header or label that writes the short
    form ("CBT", "GBV", "IDPs") names what the question asks as much as the words do."""
    names = name_parts(q)
    # a name the question copied glued from a header ("KingabuaPécheur") is found in it read apart too
    # and its months ("in May"), abbreviations and roman numerals as headers are read (`headers.spelt`)
    words = {root(w) for w in content_words(q.text) + content_words(unglue(q.text)) + month_words(q.text)
             + content_words(spelt(q.text))} | {root(n.lower()) for n in proper_names(q.text)}
    return Asked(tuple(names), asked_places(q.text, names), frozenset(query_words(q)) | frozenset(acronyms),
                 frozenset(words | {p for n in names for p in n} | set(acronyms)), numbers_of(spelt(q.text)))


def cover_features(e: FactEntry | Lead, asked_words: set[str], asked_numbers: frozenset[str]) -> dict[str, float]:
    """How fully the question names what a table cell's or a key figure's headers say: a cell is
    addressed by its row and its column ("suspected cases" x "2021 Cumulative (week 1-5)", not
    "Current week (week 5)"; "Week 31", not "Week 30"), a key figure by its label (or its own short line),
    a "Label: figure" line of prose by its label. The share of the header's words and numbers the question
    writes, row times column for a cell."""
    f = e.fact
    own = _digits(f.text)
    if f.kind == "table_cell":
        covers = [c for c in (_cover(h, asked_words, asked_numbers, own) for h in (f.row_header, f.col_header))
                  if c is not None]
        return {"cell_cover": math.prod(covers) if covers else 0.0, "panel_cover": 0.0}
    if f.kind == "key_figure":
        c = _cover(f.label or f.row_header or "", asked_words, asked_numbers, own)
        # the box's own line names it too ("People in shelters*: 15 155", "58,900 Estimated pregnant women")
        # when the label read for it took a page heading or a neighbouring line, or lost its second line
        line = f.sentence.replace(f.text, " ", 1) if len(f.sentence) <= _PANEL_LINE else ""
        c = max(c or 0.0, _cover(line, asked_words, asked_numbers, own) or 0.0)
        return {"cell_cover": 0.0, "panel_cover": c}
    labelled = _LABEL_LINE.match(f.sentence) if len(f.sentence) <= _PANEL_LINE else None
    if labelled and 0 <= labelled["figure"].find(f.text) <= 4:  # "Health facilities affected**: 10", "Total: US$ 5 M"
        return {"cell_cover": 0.0, "panel_cover": _cover(labelled["label"], asked_words, asked_numbers, own) or 0.0}
    return {"cell_cover": 0.0, "panel_cover": 0.0}


# a line that is a label, a colon and one figure with its unit: "MIN CENTRAL PRESSURE: 909 MB (26.85 IN)"
_LABEL_LINE = re.compile(r"^\W*(?P<label>[^\W\d][^:\d]{2,60}?)[\s*]*:\s*(?P<figure>\S.*)$")
_PANEL_LINE = 80  # a key figure's sentence this short is its box's line: its words name it as its label does
# a year, also before a comma or a full stop ("of 2021, according to"); not inside a number ("1,2020", "2020.5")
_YEAR = re.compile(r"(?<!\d)(?<!\d[,.])(?:19|20)\d\d(?!\d|[,.]\d)")
_YEAR_AFTER = re.compile(r"^\s*(?:[a-z]+\s+){0,1}(?:in|for|during|\()\s*((?:19|20)\d\d)(?!\d|[,.]\d)")


def year_features(q: Query, e: FactEntry) -> dict[str, float]:
    """The years the question writes, against those next to the figure (its clause, or a table cell's
    headers): "required for 2017" is the "2017 REQUIREMENT" column, not "2016 REQUIREMENT"; "in 2025"
    is "22,241 in 2025", not "11,490 passengers in 2024"."""
    asked = set(_YEAR.findall(q.text))
    if not asked:
        return {"year_other": 0.0}
    f = e.fact
    cell = f.kind == "table_cell"
    near = f"{f.row_header or ''} {f.col_header or ''} {f.label}" if cell else (e.clause or f.sentence)
    own = set(_YEAR.findall(near)) - {f.text}
    if not cell:  # a year written right after the figure is its own: "from 1,450 in 2024 to 2,190 in 2025"
        rel = f.end - f.sentence_start
        own = set(_YEAR_AFTER.findall(f.sentence[rel:rel + 32])) or own  # "11,490 passengers in 2024"
    return {"year_other": float(bool(own) and not own & asked)}


def name_parts(q: Query) -> list[tuple[str, ...]]:
    """The question's proper names other than its countries, each as the rooted words a fact's
    tokens hold: "Port-au-Prince" is found as "port", "au", "princ" (a sentence is tokenised at
    hyphens), not as one word no fact has. A word that names no place or body on its own ("State" of
    "Ondo State", "Ministry") is no name: "25 states" does not name the state asked about."""
    countries = {w for c in q.countries for w in c.split()}  # "Sri Lanka" is two proper names, no name but its country
    return [parts for n in proper_names(q.text) if n not in countries
            if (parts := tuple(root(p.lower()) for p in NAME_PART.findall(n)))
            and not set(parts) <= _GENERIC_NAME_WORDS]


def name_features(ask: Asked, cands, report_words: Callable[[int], frozenset[str]],
                  cells: Callable[[FactEntry], dict[str, float]] | None = None) -> None:
    """The `names` features: the question's proper names ("Artibonite", "Edo", "CERF") that do
    not name the candidate's report, found in the number's own clause or headers; and how the question
    names a table cell's row and column or a key figure's label (`cover_features`; `cells` when the
    caller made them already, `cell_features(ask, entry)`)."""
    for c in cands:
        own = report_words(c.entry.report_id)
        names = [n for n in ask.names if not own.issuperset(n)]
        e = c.entry
        got = sum(all(p in e.context or any(e.in_clause[i] for i in e.positions.get(p, ())) for p in n)
                  for n in names)
        c.feats["names"] = got / len(names) if names else 0.0
        c.feats["names_missing"] = float(bool(names) and not got)
        c.feats.update(cell_features(ask, e) if cells is None else cells(e))


_NOT_CELL = {"cell_row": 0.0, "cell_both": 0.0, "cell_cover": 0.0, "panel_cover": 0.0}


def cell_features(ask: Asked, e: FactEntry | Lead) -> dict[str, float]:
    """How the question names a table cell's row and column, or a key figure's label (`cell_row`, `cell_both`,
    `cover_features`): from the fact alone, so known before its entry is made (a lead's, for the pruning)."""
    f = e.fact
    if f.kind not in ("table_cell", "key_figure"):
        return _NOT_CELL
    row = col = False
    if f.kind == "table_cell":
        row = bool(ask.measure & {root(w) for w in content_words(spelt(unglue(f.row_header or "")))})
        col = bool(ask.measure & {root(w) for w in content_words(spelt(unglue(f.col_header or "")))})
    return {"cell_row": float(row), "cell_both": float(row and col), **cover_features(e, ask.words, ask.numbers)}


def recency(q: Query, cands: list[tuple[float, FactEntry, dict[str, float]]],
            reports: dict[int, StoredReport]) -> None:
    """Without a date or report in the question, an analyst wants the latest situation: each
    candidate's report is placed 0 (oldest) to 1 (newest) among the candidates' reports."""
    for _, _, feats in cands:
        feats["recency"] = 0.0
    if q.reports or q.date_from:
        return
    dates = sorted({reports[e.report_id].date for _, e, _ in cands} - {""})
    if len(dates) < 2:
        return
    place = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}
    for _, e, feats in cands:
        feats["recency"] = place.get(reports[e.report_id].date, 0.0)


def cover_gap(cands: list[tuple[float, FactEntry, dict[str, float]]], ask: Asked | None = None) -> None:
    """`cover_gap`: how far a candidate's cover (a cell's or a key figure's, `cover_features`) is behind the
    best among the kept candidates: when the question names a cell or a box whole, the figures it names
    less (its neighbours, a sentence) are less likely its answer. With the question's words (`ask`), also
    `sibling_gap` (`siblings.sibling_gaps`): another cell of its row or column named better."""
    best = max((max(f["cell_cover"], f["panel_cover"]) for _, _, f in cands), default=0.0)
    for _, _, f in cands:
        f["cover_gap"] = max(f["cell_cover"], f["panel_cover"]) - best
    if ask is not None:
        sibling_gaps(cands, lambda header, text: _cover(header, ask.words, ask.numbers, _digits(text)))
