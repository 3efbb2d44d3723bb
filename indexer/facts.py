"""Pages of report text -> numeric `Fact`s: value, qualifier, unit, label, sentence, heading, sector.

Prose sentences, headline key figures ("REFUGEES AND MIGRANTS IN PERU / 1.043M") and table cells
(aligned to their row and column headers) all become facts with offsets into the page text.
Dates, years, codes, footnote markers, phone numbers and numbers inside names are not facts.
Follows the annotation schema of Liberatore et al. (GoodIT 2024): the quantity text is the number
as written with its scale and percent ("14 million", "75 per cent"), a currency is its unit.
`Fact.sentence` is the verbatim slice `text[sentence_start:sentence_start + len(sentence)]` (line
breaks and markdown blanks kept); a newline inside a wrapped paragraph reads as a space. `Fact.label`
says what is counted in the words of the number's own clause (see `_label`).

>>> [(f.value, f.qualifier.text, f.unit.text) for f in extract("Almost 5,000 refugees and migrants.")]
[(5000.0, 'Almost', 'refugees and migrants')]
>>> [(f.text, f.value, f.unit_norm) for f in extract("REQUIREMENT: $148.6 M")]
[('148.6 M', 148600000.0, 'USD')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from indexer import tables
from indexer.numbers import CURRENCIES, CURRENCY_AFTER_RE, CURRENCY_BEFORE_RE, ONES, TENS, Num, find_numbers
from indexer.records import Fact, Page, Span

# --- word lists --------------------------------------------------------------------------------

FACTS_VERSION = 10  # index settings: a new version re-indexes (9: runs split at gaps; 10: regions, panels)

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|"
    "agosto|septiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|juillet|août|"
    "septembre|octobre|novembre|décembre"
)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?[\s*_,]*(?:of\s+)?(?:{MONTHS})\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?[\s*_]*$", re.I)
_DAY_RANGE_AFTER = re.compile(rf"^\s?[-–]\s?\d{{1,2}}(?:st|nd|rd|th)?[\s,]*(?:of\s+)?(?:{MONTHS})\b", re.I)
# the first days of a list or range of dates: "On 26, 27 and 28 July", "from 1 to 31 July"
_DAY_LIST_AFTER = re.compile(
    rf"^(?:\s?(?:,|-|–|to|and|&)\s?\d{{1,2}}(?:st|nd|rd|th)?){{1,4}}[\s,]*(?:of\s+)?(?:{MONTHS})\b", re.I
)
_MONTH_DAY_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}\s?[-–]\s?$", re.I)  # "September 10-23"
# ages are who is counted, not counts: "children under five", "aged 6-59 months", "a four-year-old"
_AGE_BEFORE = re.compile(
    r"(?:\b(?:aged?|ages)\s+(?:of\s+)?(?:between\s+|from\s+|under\s+|below\s+|over\s+|above\s+)?|"
    r"\bage\s+of\s+|\b(?:children|child|infants|girls|boys|adolescents|those|population)\s+(?:aged\s+)?"
    r"(?:under|below|over|above|older\s+than|younger\s+than)\s+)(?:\d+\s*(?:-|–|to|and)\s*)?$",
    re.I,
)
_AGE_AFTER = re.compile(
    r"^(?:[\s-]*(?:years?|months?)[\s-]+old\b|\s+(?:years?|yrs)\s+(?:and|or)\s+(?:above|older|over|younger)\b)",
    re.I,
)
_CHILD_MONTHS = re.compile(r"\b(?:children|child|infants)\s+(?:of\s+)?(?:\d+\s*[-–]\s*)?$", re.I)
# a number in a list after a naming word: "Camps 8W, 9, 10 and 8E", "grades 2 and 4", "Phase 3 or 4"
_LABEL_LIST_BEFORE = re.compile(
    r"\b(?P<w>camps?|regions?|grades?|phases?|weeks?|figures?|tables?|annex(?:es)?|sections?|zones?|blocks?|"
    r"wards?|outcomes?|levels?|rounds?|quarters?|districts?|sectors?)"
    r"(?:\s+(?:[\w]{1,4}\s*(?:,|&|and|or|to|-|–)\s*){0,8}|\s*\((?:[\w]{1,4}\s*(?:,|&|and|or|to|-|–)\s*){1,8})$",
    re.I,
)
# words after which a number names something rather than counts it ("Camp 3", "Decree 010", "No.5")
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:camps?|phase|week|epi-?week|round|figure|fig|table|page|pp?|section|chapter|annex|annexe|"
    r"appendix|decree|resolution|law|article|art|level|grade|zone|block|ward|cluster|wave|cycle|"
    r"step|item|para|paragraph|no|nos|number|num|sitrep|update|report|bulletin|edition|issue|vol|"
    r"volume|version|ipc|covid|route|road|highway|stage|goal|sdg|tier|fy|figures|tables|charts?|graphs?|"
    r"maps?|per|quarter|q|outcome|objective)\.?|#|№)[\s*_]*$",
    re.I,
)
_GLUED_UNITS = {
    "km",
    "kms",
    "kg",
    "kgs",
    "mt",
    "MT",
    "t",
    "ha",
    "l",
    "L",
    "ml",
    "mm",
    "cm",
    "m2",
    "m3",
    "sqm",
    "hrs",
    "x",
    "mg",
    "g",
    "lt",
    "ltr",
    "ltrs",
    "km2",
    "tons",
    "tonnes",
    "µg",
}
_FOOTNOTE_BEFORE = re.compile(r"[A-Za-z)\]”\"’'][.;:)”\"’]$")

QUALIFIER_RE = re.compile(
    r"(?<![\w-])(?P<q>more\s+than|less\s+than|fewer\s+than|greater\s+than|higher\s+than|lower\s+than|"
    r"larger\s+than|no\s+more\s+than|not\s+more\s+than|no\s+less\s+than|at\s+least|at\s+most|up\s+to|"
    r"close\s+to|just\s+over|just\s+under|well\s+over|well\s+above|in\s+excess\s+of|upwards\s+of|"
    r"as\s+many\s+as|as\s+much\s+as|as\s+high\s+as|as\s+low\s+as|nearly|almost|approximately|approx\.|"
    r"roughly|around|about|over|some|under|below|above|only|estimated|average\s+of|"
    r"up\s+from|down\s+from|exceeding|a\s+minimum\s+of|a\s+maximum\s+of|minimum\s+of|maximum\s+of|"
    r"between)[\s*_]*$",
    re.I,
)
_POST_QUALIFIER = re.compile(
    r"^[\s*_]+(?P<q>or\s+more|or\s+over|or\s+longer|or\s+above|and\s+above|"
    r"and\s+over|or\s+older|plus)\b",
    re.I,
)

_STOP = set(
    """
a an the this that these those their its his her our your my some any all each every no not them they it
of in to from with for at on by across through into during between among within under over about
against since after before as than until upon via per including excluding like such
who whom whose which what where when while whereas if then there here so yet or but nor
is are was were be been being am have has had having do does did will would shall should can could
may might must also still already only just even more most less least other another same both
further additional extra total overall respectively approximately almost nearly around up down out
received benefited benefitted participated died arrived attended accessed completed reached
visited remained joined got went came fled left made took gave became lost sought met paid sent
spent brought built kept found told held led fed said according compared due per cent percent vs versus
live lives living need needs require requires required remain remains continue continues
""".split()
)
_MODAL_LIKE = {
    "new",
    "additional",
    "newly",
    "recently",
    "internally",
    "forcibly",
    "severely",
    "acutely",
    "moderately",
    "highly",
    "most",
    "currently",
    "suspected",
    "confirmed",
}
_ED_NOUNS = {"hundred", "bed", "need", "seed", "shed", "red", "feed", "speed", "shred"}
_ING_NOUNS = {
    "housing",
    "training",
    "funding",
    "clothing",
    "bedding",
    "building",
    "buildings",
    "trainings",
    "screening",
    "screenings",
    "meeting",
    "meetings",
    "dwelling",
    "dwellings",
    "setting",
    "settings",
    "crossing",
    "crossings",
    "learning",
    "offspring",
    "shooting",
    "shootings",
    "kidnapping",
    "kidnappings",
    "beating",
    "beatings",
    "flooding",
    "landing",
    "morning",
    "evening",
    "sitting",
}
_IRREG_PLURAL = {
    "people",
    "children",
    "women",
    "men",
    "staff",
    "personnel",
    "police",
    "cattle",
    "livestock",
    "sheep",
    "youth",
    "population",
    "persons",
    "poultry",
    "goats",
    "fish",
}
_COUNT_NOUNS = {
    "people",
    "persons",
    "individuals",
    "households",
    "families",
    "children",
    "refugees",
    "migrants",
    "idps",
    "cases",
    "deaths",
    "women",
    "men",
    "girls",
    "boys",
    "schools",
    "students",
    "kits",
}

# unit head noun -> normalised unit; extend as reports need
UNIT_NORM = {
    "people": "people",
    "persons": "people",
    "person": "people",
    "individuals": "people",
    "individual": "people",
    "refugees": "people",
    "migrants": "people",
    "idps": "people",
    "asylum-seekers": "people",
    "beneficiaries": "people",
    "returnees": "people",
    "residents": "people",
    "civilians": "people",
    "inhabitants": "people",
    "population": "people",
    "caregivers": "people",
    "survivors": "people",
    "patients": "people",
    "venezuelans": "people",
    "nationals": "people",
    "households": "households",
    "household": "households",
    "hhs": "households",
    "families": "households",
    "family": "households",
    "children": "children",
    "child": "children",
    "boys": "children",
    "girls": "children",
    "adolescents": "children",
    "minors": "children",
    "infants": "children",
    "students": "students",
    "pupils": "students",
    "women": "women",
    "men": "men",
    "cases": "cases",
    "case": "cases",
    "deaths": "deaths",
    "death": "deaths",
    "fatalities": "deaths",
    "kits": "kits",
    "kit": "kits",
    "meals": "meals",
    "schools": "schools",
    "shelters": "shelters",
    "tonnes": "tonnes",
    "tons": "tonnes",
    "mt": "tonnes",
    "metric tons": "tonnes",
    "t": "tonnes",
    "km": "km",
    "kg": "kg",
    "litres": "litres",
    "liters": "litres",
    "l": "litres",
    "partners": "partners",
    "organizations": "organizations",
    "organisations": "organizations",
    "facilities": "facilities",
    "sites": "sites",
    "vaccines": "doses",
    "doses": "doses",
    "calls": "calls",
    "days": "days",
    "months": "months",
    "weeks": "weeks",
    "years": "years",
    "pesos": "pesos",
    "dollars": "USD",
    "euros": "EUR",
}

SECTORS = [  # most specific first; (name, pattern)
    ("Child Protection", r"child\s+protection"),
    ("GBV", r"\bGBV\b|gender[- ]based\s+violence"),
    ("WASH", r"\bWASH\b|\bwater\b|sanitation|hygiene"),
    (
        "Food Security",
        r"food\s+security|food\s+(?:kits?|assistance|baskets?|insecurity)|\bmeals?\b|"
        r"soup[- ]kitchens?",
    ),
    ("Nutrition", r"nutrition|malnutrition|nourishment|\bRUTF\b"),
    ("Health", r"\bhealth\b|medical|vaccin|\bclinics?\b|hospital"),
    ("Protection", r"protection|legal\s+(?:counsel|aid|assistance)|documentation"),
    ("Shelter", r"shelter|accommodation|housing"),
    ("Education", r"education|\bschools?\b|students|\bteachers?\b"),
    ("Integration", r"integration|livelihood|decent\s+work|employment|entrepreneur|financial\s+services"),
    ("NFI", r"\bNFIs?\b|non[- ]food\s+items?|blankets|winter\s+kits"),
    ("CBI / Cash", r"\bCBI\b|\bcash\b|\bCVA\b|multipurpose\s+cash"),
    ("Logistics", r"logistics"),
    ("Humanitarian Transportation", r"hum\.\s*transp|humanitarian\s+transport"),
    ("Food Security", r"\bfood\b"),
]
_SECTOR_RES = [(name, re.compile(p, re.I)) for name, p in SECTORS]

_URL_RE = re.compile(r"<?(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_CAPITAL_AFTER = re.compile(r" +[A-Z]")
_NOTE_LINE = re.compile(r"(?m)^(\d{1,2})\s+[A-Z]")  # a footnote: "1 Source: ..."
_MARK_LINE = re.compile(r"(?m)[A-Za-z] (\d{1,2})[ \t]*$")  # a line ending in its mark: "... affected 1"
_WORD_AT = re.compile(r"[ \t\n\u00a0*_]*(?P<w>[A-Za-z](?:[\w'’/-]*\w)?|&)")
_PER_AFTER = re.compile(r"^(?:/[A-Za-z]+\b|\s+per\s+[A-Za-z]+\b)")
_OF_RE = re.compile(r"^[\s*_]+of[\s*_]+(?:(?:the|those|these|all|their|its|his|her|our)[\s*_]+)?", re.I)
# "70 per cent (up from 68%) of sites", "(68%) of sites": the aside skipped
_PAREN_OF_RE = re.compile(r"^(?:[\s*_]*\([^()]{0,80}\))?\)?[\s*_]+of[\s*_]+(?:(?:the|those|these|all)[\s*_]+)?", re.I)
_PCT_ARE = re.compile(r"[ \t\n]+(?:are|were)[ \t\n]+")
_OUT_OF_RE = re.compile(r"^[\s*_]+(?:out\s+of|in)[\s*_]+$", re.I)
_RANGE_GAP = re.compile(r"^[\s*_]*(?:-|–|—|to)[\s*_]*$")
# where a clause ends, for labels: punctuation, brackets, " - ", and a conjunction that starts a new
# counted clause ("... and another 2,000", "... and almost USD 1 million") or a new predicate
# ("... academic degrees and provided support")
_LEAD_Q = (
    r"(?:another|almost|nearly|over|some|about|around|approximately|roughly|only|(?:more|less|fewer)\s+than|"
    r"at\s+least|up\s+to|a\s+further|an?\s+(?:additional|estimated|total\s+of))"
)
_CLAUSE_END = re.compile(
    r"[,;:](?:\s|$)|[()\[\]]|\.(?:\s|$)|\s[-–—]\s|"
    rf"\s+(?:and|while|whereas|but)\s+(?=(?:{_LEAD_Q}\s+)?(?:[$€£]|US\$\s?|USD\s?)?\d|"
    r"(?:has|have|had|was|were|also)?\s*[a-z]+ed\b)"
)
# an aside between the counted noun and its predicate: "100 persons, including host community, benefited"
_ASIDE = re.compile(
    r"(?:including|such\s+as|among\s+(?:them|whom)|of\s+whom|mostly|mainly|notably|especially|"
    r"in\s+particular|i\.e\.|e\.g\.|both|all\s+of\s+them)\b",
    re.I,
)
_SHORT_PAREN = re.compile(r"\([^()\d\n]{1,40}\)")  # "(CBI)", "(MIMP)": part of the clause
_LABEL_LEAD = {"and", "or", "but", "while", "whereas", "with", "which", "that", "who", "the", "a", "an", "of"}
_MAX_LABEL_WORDS = 13
_ABBREV = {
    "no",
    "nos",
    "approx",
    "e.g",
    "i.e",
    "vs",
    "mr",
    "mrs",
    "dr",
    "st",
    "fig",
    "est",
    "p",
    "pp",
    "u.s",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "ltd",
    "co",
    "art",
    "para",
    "vol",
}
_SENT_END = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z0-9“\"(¹²³-])")
# A "sentence" longer than this (a text without full stops, a line of thousands of cells) is read in
# pieces cut at a clause mark or a space: every number looks at its sentence, so an unbounded one
# makes extraction quadratic (a 250 KB run-on line took minutes).
MAX_SENTENCE_CHARS = 3000  # the longest in 36 ReliefWeb PDFs: 2,329
_CUT = re.compile(r"[;,]\s|\s")
_SENT_STARTERS = {
    "in",
    "of",
    "to",
    "for",
    "with",
    "by",
    "at",
    "on",
    "from",
    "over",
    "about",
    "some",
    "around",
    "nearly",
    "almost",
    "only",
    "all",
    "and",
    "the",
    "a",
    "an",
    "total",
    "since",
    "until",
    "during",
    "between",
    "among",
    "additionally",
    "another",
    "approximately",
    "roughly",
    "estimated",
    "overall",
    "also",
    "reaching",
    "including",
    "up",
    "down",
    "more",
    "less",
    "while",
    "whereas",
    "under",
    "below",
    "above",
    "least",
    "as",
    "than",
    "further",
    "just",
    "exactly",
    "today",
    "yesterday",
    "cumulatively",
    "so",
    "far",
    "thus",
    "these",
    "those",
    "this",
    "that",
    "which",
    "where",
    "when",
    "affecting",
    "reached",
    "assisted",
    "supported",
    "targeting",
    "targeted",
    "per",
    "out",
    "plus",
    "minus",
    "or",
    "nor",
    "but",
    "if",
    "each",
    "every",
}


# --- public API --------------------------------------------------------------------------------


def extract(text: str, *, page: int = 1, report: str = "") -> list[Fact]:
    """All numeric facts on one page of text, in reading order."""
    return _Page(text, page, report, "").run()


def extract_pages(pages: Sequence[Page], report: str = "") -> list[Fact]:
    """Facts of every page; the heading in force at a page's end carries over to the next page."""
    from indexer.cells import merge, table_facts

    facts: list[Fact] = []
    heading = ""
    for p in pages:
        walker = _Page(p.text, p.number, report, heading)
        found = walker.run()
        if p.tables is not None:  # a PDF page: its tables and panels are read from the layout
            found = merge(found, table_facts(p, report, heading))
        facts.extend(found)
        heading = walker.heading
    return facts


def fact_to_json(fact: Fact, *, offset: int = 0) -> dict:
    """The JSON object of one fact; `offset` is added to every offset (a text page's place in its file)."""

    def span(s: Span | None) -> dict | None:
        return None if s is None else {"text": s.text, "start": s.start + offset, "end": s.end + offset}

    return {
        "value": fact.value,
        "value_max": fact.value_max,
        "text": fact.text,
        "start": fact.start + offset,
        "end": fact.end + offset,
        "qualifier": span(fact.qualifier),
        "unit": span(fact.unit),
        "unit_norm": fact.unit_norm,
        "label": fact.label,
        "sentence": fact.sentence,
        "heading": fact.heading,
        "sector": fact.sector,
        "kind": fact.kind,
        "row_header": fact.row_header,
        "col_header": fact.col_header,
        "page": fact.page,
        "report": fact.report,
    }


def extract_file(path: str | Path) -> list[dict]:
    """JSON facts of one report file (`reportqa facts --extract`), offsets into the original file."""
    try:
        from indexer.parse import parse_file
    except ImportError:  # the parser is not there yet: a text file is one page
        p = Path(path)
        pages, name = [Page(1, p.read_text(encoding="utf-8"), "1", 0)], p.name
    else:
        parsed = parse_file(path)
        pages, name = list(parsed.pages), parsed.name
    out = []
    for p in pages:
        for fact in extract_pages([p], report=name):
            out.append(fact_to_json(fact, offset=p.offset))
    return out


# --- one page ----------------------------------------------------------------------------------


class _Page:
    """Walks the lines of a page keeping the heading and table header in force."""

    def __init__(self, text: str, page: int, report: str, heading: str):
        self.text, self.page, self.report, self.heading = text, page, report, heading
        self.urls = [m.span() for m in _URL_RE.finditer(text)]
        self._url_starts = [u0 for u0, _ in self.urls]
        self._mentions: tuple[tuple[int, int], list[tuple[int, str]]] = ((-1, -1), [])
        # footnotes, found once per page (searching the page for each number is quadratic on a long text):
        # the last "1 Source: ..." line of each number, and the first "... affected 1" line end
        self._notes_at: dict[str, int] = {m[1]: m.start() for m in _NOTE_LINE.finditer(text)}
        self._marks_at: dict[str, int] = {}
        for m in _MARK_LINE.finditer(text):
            self._marks_at.setdefault(m[1], m.end())
        self.facts: list[Fact] = []

    def run(self) -> list[Fact]:
        text = self.text
        header: list[tables.Cell] | None = None
        header_start = 0
        group = ""  # a row-group label ("PEOPLE REACHED*") that carries to the next rows
        heading_lines: list[str] = []  # consecutive heading lines merge ("REFUGEES AND" / "MIGRANTS IN PERU")
        last_heading_line = -2
        lines = text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        joined_until = -1  # lines up to here were read as the continuation of a wrapped paragraph
        for lineno, line in enumerate(lines):
            if lineno <= joined_until:
                continue
            start = starts[lineno]
            clean = _clean(line)
            if not clean:
                header, group = None, ""
                continue
            if tables.is_table_row(line) and ("\t" in line or not _is_key_figure(clean)):
                cells = tables.split_cells(line)
                if header is None and tables.is_header_row(cells):
                    header, header_start = cells, start
                    continue
                if header is not None and self._table_row(line, start, cells, header, header_start, group):
                    row = tables.split_row(cells)
                    if row and len(row.labels) >= 2:
                        group = row.labels[0].text
                    continue
                self._prose(line, start, start + len(line), whole_line=True)
                continue
            header = None
            if _is_key_figure(clean):
                recent = last_heading_line >= lineno - 2
                label = self.heading if recent else ""
                after = _label_after(lines, lineno, recent and not _BOX_TITLE.match(self.heading))
                if after:  # "12,500" / "people displaced": the label is the line (or two) below
                    below = " ".join(_clean(x) for x in lines[lineno + 1:lineno + 1 + after])
                    self._key_figure(line, start, below)
                    joined_until = lineno + after
                    continue
                self._key_figure(line, start, label)
                continue
            if _is_heading(clean):
                if last_heading_line == lineno - 1:
                    heading_lines.append(clean)
                else:
                    heading_lines = [clean]
                self.heading = " ".join(heading_lines)
                last_heading_line = lineno
                if not any(ch.isdigit() for ch in clean):
                    continue
                self._prose(line, start, start + len(line))
                continue
            # text files keep hard line breaks inside paragraphs: a soft break reads as a space
            last = lineno
            while last + 1 < len(lines) and _soft_break(lines[last], lines[last + 1]):
                last += 1
            joined_until = last
            self._prose(line, start, starts[last] + len(lines[last]))
        return self.facts

    # ---- prose

    def _prose(
        self, line: str, start: int, end: int, whole_line: bool = False, kind: str = "prose", label: str = ""
    ) -> None:
        spans = [(start, end)] if whole_line else _sentences(self.text, start, end)
        spans = [piece for s, e in spans for piece in _bounded(self.text, s, e)]
        for s, e in spans:
            self._sentence(s, e, kind, label)

    def _sentence(self, s: int, e: int, kind: str, label: str) -> None:
        text = self.text
        s, e = _trim(text, s, e)
        sentence = text[s:e]
        nums = [n for n in _restated(sentence, find_numbers(sentence)) if not self._excluded(n, s, e)]
        items = _ranges(sentence, nums)
        prev_unit: Span | None = None  # the last counted unit, for lists ("1,463 in April, 1,054 in March")
        prev_pct_unit: Span | None = None  # the same for percentages ("Juba (91 percent), Akobo (96 percent)")
        first = len(self.facts)
        for i, (a, b) in enumerate(items):
            a0, a1 = s + a.start, s + (b or a).end
            fact = self._fact(a, b, a0, a1, s, e, kind, label, items, i)
            pct = fact.unit_norm == "percent"
            if (fact.unit is None or _OF_THESE.match(text, a1, e)) and not a.fraction and _inherits(text, a0, a1, e):
                inherited = prev_pct_unit if pct else prev_unit
                if inherited is not None:
                    fact = replace(
                        fact,
                        unit=inherited,
                        unit_norm="percent" if pct else _norm(inherited.text),
                        label=fact.label if label else f"{inherited.text} {fact.label}".strip(),
                    )
            if fact.unit is not None and not _is_currency(fact.unit.text):
                if pct:
                    prev_pct_unit = fact.unit
                else:
                    prev_unit = fact.unit
            # the parts of a range and of a ratio ("9 in 10") are numbers of their own too
            if b is not None:
                fact.extra["parts"] = [_span_of(text, s, a), _span_of(text, s, b)]
            nxt = items[i + 1][0] if i + 1 < len(items) else None
            if b is None and nxt is not None and _OUT_OF_RE.match(sentence[a.end : nxt.start]):
                ratio_end = s + (items[i + 1][1] or nxt).end
                fact.extra["ratio"] = Span(text[a0:ratio_end], a0, ratio_end)
            self.facts.append(fact)
        self._share_list_unit(first, bool(label))

    def _share_list_unit(self, first: int, fixed_label: bool) -> None:
        """A list of numbers shares the unit written after its last one: "104 and 85 dengue
        patients", "(AFN 105, 100 and 98 per kg)"; right to left, so the unit passes down the list."""
        facts, text = self.facts, self.text
        for k in range(len(facts) - 2, first - 1, -1):
            f, g = facts[k], facts[k + 1]
            if g.unit is None or g.unit.start < g.end or (f.unit_norm == "percent") != (g.unit_norm == "percent"):
                continue
            if not _LIST_GAP.fullmatch(text, f.end, g.start):
                continue
            rate = g.unit.text.startswith("per ") or g.unit.text.startswith("/")
            if f.unit is not None and not (rate and f.unit.end <= f.start and _is_currency(f.unit.text)):
                continue
            norm = f.unit_norm if f.unit_norm == "percent" else _norm(g.unit.text) or f.unit_norm
            lab = f.label if fixed_label or g.unit.text in f.label else f"{f.label} {g.unit.text}".strip()
            facts[k] = replace(f, unit=g.unit, unit_norm=norm, label=lab)

    def _fact(
        self,
        a: Num,
        b: Num | None,
        a0: int,
        a1: int,
        s: int,
        e: int,
        kind: str,
        label: str,
        items: list,
        i: int,
    ) -> Fact:
        text = self.text
        value_max = b.value if b else None
        # currency written before the number: its unit ("USD 6.7 million", "$148.6 M")
        unit = None
        unit_norm = "percent" if (a.percent or (b and b.percent)) else ""
        q_end = a0
        cm = CURRENCY_BEFORE_RE.search(text, max(s, a0 - 8), a0)
        if cm:
            unit = Span(cm.group("cur"), cm.start("cur"), cm.end("cur"))
            unit_norm = CURRENCIES[cm.group("cur")]
            q_end = cm.start("cur")
        qualifier = None
        qm = QUALIFIER_RE.search(text, max(s, q_end - 30), q_end)
        if qm and not (qm.group("q").lower() == "between" and b is None):
            qualifier = Span(qm.group("q"), qm.start("q"), qm.end("q"))
        after = a1
        per = _PER_AFTER.match(text[a1:e])
        if unit is not None and per:  # "SYP 1,983/kg", "AFN 50 per kg": the rate is the unit
            unit = Span(per.group(0).strip(), a1 + per.end() - len(per.group(0).strip()), a1 + per.end())
        elif unit is None and per and per.group(0).startswith("/"):
            unit = Span(per.group(0), a1, a1 + per.end())
        elif unit is None and not a.percent and (pb := _PER_RATE.match(text, a1, e)):
            unit = Span(pb.group(1), pb.start(1), pb.end(1))  # "2.1 per 1,000 population", "98 per kg"
        if unit is None:
            cm = CURRENCY_AFTER_RE.match(text[a1:e])
            if cm:
                cur_end = a1 + cm.end("cur")
                per = _PER_AFTER.match(text[cur_end:e])
                unit_end = cur_end + per.end() if per else cur_end
                unit = Span(text[a1 + cm.start("cur") : unit_end], a1 + cm.start("cur"), unit_end)
                unit_norm = CURRENCIES.get(cm.group("cur"), _norm(cm.group("cur")))
            elif a.percent or a.fraction or (b is not None and b.percent):
                om = _OF_RE.match(text[a1:e]) or _PAREN_OF_RE.match(text[a1:e])
                cop = None if om else _PCT_ARE.match(text, a1, e)
                if cop:  # "26 per cent are migrant and refugee children", "88% were women"
                    unit = _unit_after(text, cop.end(), e, glued_ok=False)
                    if unit is not None and not _plural(unit.text.split()[-1].lower()):
                        unit = None
                if om:
                    unit = _unit_after(text, a1 + om.end(), e, glued_ok=False)
                elif not a.fraction and (pm := _PERIOD_CHANGE.match(text, a1, e)):
                    unit = Span(pm.group(1), pm.start(1), pm.end(1))  # "up 66 percent m-o-m"
                if unit is None and text[a0 - 1 : a0] == "(":
                    unit = _unit_before(text, s, a0 - 1)  # "households (75 per cent)"
                if unit is None and (rm := _RATE_NAME.search(text, max(s, a0 - 12), a0)):
                    unit = Span(rm.group(1), rm.start(1), rm.end(1))  # "(CFR, 4.62%)", "(CFR=0.87%)"
                if unit is None:
                    lead = qualifier.start if qualifier is not None else a0
                    vm = _SUBJECT_VERB.search(text, max(s, lead - 60), lead)
                    if vm:  # "the average price decreased by 0.1%", "a recovery rate of 44%"
                        unit = _np_before(text, s, vm.start())
            else:
                nxt = items[i + 1][0] if i + 1 < len(items) else None
                if nxt is not None and _OUT_OF_RE.match(text[a1 : s + nxt.start]):
                    unit = _unit_after(text, s + (items[i + 1][1] or nxt).end, e)  # "9 in 10 households"
                else:
                    hyphen = text[a1 : a1 + 1] == "-"  # "10-day visit": the unit is "day"
                    unit = _unit_after(text, a1 + hyphen, e, glued_ok=not hyphen, max_words=1 if hyphen else 6)
                if unit is None and (om := _PART_OF.match(text, a1, e)):
                    unit = _unit_after(text, om.end(), e, glued_ok=False)  # "28,000 of the 36,000 people"
                if unit is not None:
                    unit_norm = _norm(unit.text)
        if unit is None and not a.fraction and (wm := _WHOLE_FIRST.match(text, s, a0)):
            whole = _unit_after(text, wm.end(), e, glued_ok=False)  # "Of the 360 children screened, 3 ..."
            if whole is not None and re.fullmatch(r"[\s*_]*,[\s*_]*(?:[A-Za-z]+[\s*_]+){0,3}", text[whole.end : a0]):
                core = re.split(r"\s+(?:of|under|aged|at)\s", whole.text)[0]  # the head noun:
                h1 = whole.start + len(core)  # "Of the reported cases" -> "cases"
                h = h1 - len(core.split()[-1])
                unit = Span(text[h:h1], h, h1)
                unit_norm = unit_norm or _norm(unit.text)
        unit_before = unit is not None and unit.end <= a0  # a currency sign or "households (75 per cent)"
        if unit is not None:
            after = max(after, unit.end)
        if qualifier is None:
            pm = _POST_QUALIFIER.match(text[after:e])
            if pm:
                qualifier = Span(pm.group("q"), after + pm.start("q"), after + pm.end("q"))
        raw = text[a0:a1]
        sentence = text[s:e]
        if not label:
            lead = min(a0, qualifier.start if qualifier is not None else a0, unit.start if unit_before else a0)
            prev = self.facts[-1] if i > 0 and self.facts else None
            label = _label(text, s, e, lead, a1, unit, prev, items[i + 1][0].start + s if i + 1 < len(items) else e)
        return Fact(
            value=a.value,
            text=raw,
            start=a0,
            end=a1,
            page=self.page,
            report=self.report,
            value_max=value_max,
            qualifier=qualifier,
            unit=unit,
            unit_norm=unit_norm,
            label=label,
            sentence=sentence,
            sentence_start=s,
            heading=self.heading,
            sector=_named_sector(self.heading) or self._sector_near(s, e, a0 - s),
            kind=kind,
        )

    def _sector_near(self, s: int, e: int, near: int) -> str:
        """`_sector(text[s:e], near)`, with the sentence's sector mentions found once for all its numbers."""
        if self._mentions[0] != (s, e):
            found = [(m.start(), name) for name, rx in _SECTOR_RES for m in rx.finditer(self.text, s, e)]
            self._mentions = ((s, e), [(at - s, name) for at, name in found])
        best, best_d = "", None
        for at, name in self._mentions[1]:
            d = abs(at - near)
            if best_d is None or d < best_d:
                best, best_d = name, d
        return best

    def _excluded(self, n: Num, s: int, e: int) -> bool:
        """Dates, years, codes, footnote markers, phone numbers, section numbers, numbers in names."""
        text = self.text
        a, b = s + n.start, s + n.end
        k = bisect_right(self._url_starts, a) - 1
        if k >= 0 and a < self.urls[k][1]:  # URLs do not overlap: only the last one starting before can hold it
            return True
        before = text[max(s, a - 40) : a]
        after = text[b : min(e, b + 30)]
        raw = text[a:b]
        if n.words:
            low = raw.lower()
            if low == "one" and (
                re.search(r"\b(?:no|any|every|some|the)[\s-]$", before, re.I)
                or re.match(r"^\s+(?:another|of|or|to\s+one|should|would|can|could|may|must)\b|^-|^\)", after)
            ):
                return True  # the pronoun "one"
            if low == "half" and re.search(r"\b(?:first|second|a|the)\s$", before, re.I):
                return True  # "the first half of 2021" is a period
            if _AGE_BEFORE.search(before) or _AGE_AFTER.match(after):
                return True  # "children under five", "a four-year-old"
            return bool(re.search(r"[A-Za-z]-$", before))
        if not n.percent and re.match(r"^\s?(?::\d|/\d|(?:am|pm|hrs?|h)\b)", after, re.I):
            return True  # times, dates "22/10/2020", "10:30"
        if re.match(r"^\.\d", after) and re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?", raw):
            return True  # dotted dates "22.10.2020"
        if re.search(r"\d[/:]$|\d\.$|[A-Za-z][-–]\s?$", before) or _DAY_RANGE_AFTER.match(after):
            return True  # "COVID-19", "COVID- 19", "7-13 December"
        if re.fullmatch(r"\d{1,2}", raw) and (_DAY_LIST_AFTER.match(after) or _MONTH_DAY_BEFORE.search(before)):
            return True  # "26, 27 and 28 July", "from 1 to 31 July", "September 10-23"
        if not n.percent and (
            _AGE_BEFORE.search(before)
            or _AGE_AFTER.match(after)
            or (_CHILD_MONTHS.search(before) and re.match(r"^(?:\s*[-–]\s*\d+)?\s*months\b", after))
        ):
            return True  # ages: "aged 6-59 months", "children under 5", "18 years and above"
        lm = None if n.percent else _LABEL_LIST_BEFORE.search(before)
        if lm and (
            re.match(r"^(?:\s*(?:[,;&).]|and\b|or\b)|\s*$)", after)  # more of the list follows
            or re.search(r"(?:\bor|\bto|[-–])\s*$", before)
            or (lm.group("w").lower().endswith("s") and re.search(r"(?:\band|&)\s*$", before))
        ):
            return True  # "Camps 8W, 9, 10 and 8E", "grades 2 and 4", but "camp 27 and 5 from Nayapara"
        if re.fullmatch(r"\d{1,2}", raw) and _LINE_END.match(text, b) and re.search(r"[A-Za-z] $", before):
            line_start = text.rfind("\n", 0, a) + 1
            if re.match(r"\s*(?:[$€£]|US\$|USD)?\s*\d", text[line_start:a]) or self._notes_at.get(raw, -1) >= b:
                return True  # a footnote mark: "4.1 million Total people affected 1" ... "1 Source: ..."
        if re.fullmatch(r"\d{1,2}", raw) and (a == 0 or text[a - 1] == "\n") and _CAPITAL_AFTER.match(text, b) and \
                self._marks_at.get(raw, a + 1) < a:
            return True  # the footnote itself: "2 Estimated figures are based on ..."
        # footnote marks: "since 2009.7 Furthermore", "the only access,21 and", "(US$ 86).165"
        if re.fullmatch(r"(?:19|20)\d\d\.\d{1,3}", raw) and re.match(r"^(?:\s+[A-Z]|[,;]|\s*$)", after):
            return True
        if re.search(r"[A-Za-z)\]],$", before) and re.fullmatch(r"\d{1,3}", raw) and not re.match(r"^,?\d", after):
            return True
        if raw.startswith(".") and re.search(r"[A-Za-z)\]”\"’']$", before):
            return True
        if re.match(r"^[-–]\d+[-–]", after) or (not n.percent and re.match(r"^-[A-Z]{2,}\b", after)):
            return True  # 010-2020-IN
        if before and (before[-1].isalpha() or before[-1] in "+#№"):
            if not CURRENCY_BEFORE_RE.search(before):
                return True  # "Lima1", "FY20", "H1N1", phone "+51"
        if _FOOTNOTE_BEFORE.search(before) and not n.percent:
            return True  # "expired.2", ").165"
        if after and (after[0].isalpha() or after[0] == "-" and len(after) > 1 and after[1].isalpha()):
            # any letters, not only ASCII: "15µg/m³", "25ºC" (a bare `[A-Za-z]` match crashed on them)
            wm = re.match(r"-?([^\W_]+)", after)
            word = wm.group(1) if wm else ""
            if word.lower() in ("st", "nd", "rd", "th"):
                return True  # ordinals are dates or ranks
            glued_ok = word in _GLUED_UNITS or word in CURRENCIES or (len(word) > 3 and word.isalpha())
            if after[0] != "-" and not glued_ok:
                return True  # "1E", "8W", "3D"
        if _MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before):
            return True
        if re.fullmatch(r"(?:19|20)\d\d", raw):
            nxt = re.match(r"^[\s*_]+([A-Za-z]+)", after)
            if not (nxt and nxt.group(1).lower() in _COUNT_NOUNS):
                return True
        if _LABEL_BEFORE.search(before):
            return True
        if re.search(
            r"(?:tel|phone|mobile|whatsapp|hotline|fax|call)[\s.:]*[+(]?[\d\s()-]*$|\+\d[\d\s()-]*$",
            before,
            re.I,
        ):
            return True
        # section numbers: "4.1 In the reporting", "4 LASSA FEVER", "1. Context"
        if re.fullmatch(r"\d{1,2}\.\d{1,2}", raw) and re.match(r"^\s+[A-Z][a-z]*\b(?<!s)", after):
            return True
        if not before.strip(" *_[(") and re.match(r"^\s+[A-Z]{3,}\b", after) and not n.percent:
            return True
        if (not before.strip(" *_") or re.search(r"[.:]\s+$", before)) and (
            re.match(r"^(?:\.\s|\)\s|\s+[A-Z][a-z])", after)
            and not n.percent
            and not n.scaled
            and ("." in raw or re.match(r"^[.)]", after))
        ):
            return True
        # a number in a name: "Kilo 16", "Hangar 3" (capitalised word that is not a sentence opener)
        cap = re.search(r"(?<![\w.])([^\W\d_a-z][^\W\d_A-Z]+)[ ]$", before)
        if (
            cap
            and n.value < 1000
            and "," not in raw
            and not n.percent
            and not n.scaled
            and n.value == int(n.value)
            and cap.group(1).lower() not in _SENT_STARTERS
            and cap.group(1) not in CURRENCIES
        ):
            nxt = re.match(r"^[\s*_]+([A-Za-z]+)", after)
            if not (nxt and _plural(nxt.group(1).lower())):
                return True
        return False

    # ---- key figures and tables

    def _key_figure(self, line: str, start: int, label: str) -> None:
        colon = line.rfind(":")
        if colon > 0:
            own = _clean(re.sub(r"[\d.,%$]+\s*[MKk%]?", "", line[:colon])).strip(" :")
            label = f"{label} {own}".strip() if label else own
        before = len(self.facts)
        self._sentence(start, start + len(line), "key_figure", label)
        for k in range(before, len(self.facts)):
            f = self.facts[k]
            if not f.unit_norm:
                norm = _label_norm(label)
                if norm:
                    self.facts[k] = replace(f, unit_norm=norm)

    def _table_row(self, line: str, start: int, cells: list, header: list, header_start: int, group: str) -> bool:
        row = tables.split_row(cells)
        if row is None:
            return False
        pairs = tables.align(header, row)
        if pairs is None:
            return False
        labels = [c.text for c in row.labels]
        if len(labels) == 1 and group:
            labels = [group, labels[0]]
        row_header = _clean(labels[-1]) if labels else ""
        group_label = " ".join(_clean(x).lower() for x in labels[:-1])
        for col, cell in pairs:
            if tables.is_empty(cell.text):
                continue
            nums = find_numbers(cell.text)
            if not nums:
                continue
            n = nums[0]
            a0, a1 = start + cell.start + n.start, start + cell.start + n.end
            col_header = _clean(col.text)
            unit_norm = "percent" if n.percent else _label_norm(group_label)
            label = " ".join(x for x in (group_label, col_header, row_header) if x)
            self.facts.append(
                Fact(
                    value=n.value,
                    text=self.text[a0:a1],
                    start=a0,
                    end=a1,
                    page=self.page,
                    report=self.report,
                    unit_norm=unit_norm,
                    label=label,
                    sentence=line.strip(),
                    sentence_start=start + len(line) - len(line.lstrip()),
                    heading=self.heading,
                    sector=_named_sector(col_header) or _named_sector(row_header) or _named_sector(self.heading),
                    kind="table_cell",
                    row_header=row_header,
                    col_header=col_header,
                )
            )
        return True


# --- helpers -----------------------------------------------------------------------------------


def _clean(line: str) -> str:
    """A line without markdown marks and extra spaces."""
    return " ".join(line.replace("*", " ").replace("\\", "").replace("#", " ").split())


def _restated(sentence: str, nums: list[Num]) -> list[Num]:
    """A number in words restated in digits is one number: "Twenty (20)", "one (1)"."""
    out: list[Num] = []
    for n in nums:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.words
            and not n.words
            and not n.percent
            and prev.value == n.value
            and re.fullmatch(r"\s*\(", sentence[prev.end : n.start])
            and sentence[n.end : n.end + 1] == ")"
        ):
            out[-1] = replace(prev, end=n.end + 1)
            continue
        out.append(n)
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """`text[s:e]` without the whitespace at its ends, as offsets."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")


def _soft_break(prev: str, nxt: str) -> bool:
    """True when the newline between two lines is a wrap inside a paragraph, not a break.

    The next line must go on with a lowercase word or a number, the previous one must not end a
    sentence, and neither may be a table row, heading, key figure or the start of a list item (a
    wrapped list item does continue: its next line starts with neither a marker nor a capital).
    """
    if "\t" in prev or "\t" in nxt:
        return False
    p, n = _clean(prev), _clean(nxt)
    if not p or not n or not (n[0].islower() or n[0].isdigit()):
        return False
    if re.search(r"[.!?:][\"”’)\]]*$", p) or _LIST_ITEM.match(nxt):
        return False
    if _is_heading(p) or _is_heading(n) or _is_key_figure(p) or _is_key_figure(n):
        return False
    return not (tables.is_table_row(prev) or tables.is_table_row(nxt))


def _is_heading(clean: str) -> bool:
    if len(clean) > 80 or clean.endswith((".", ",", ";")) or clean.startswith("- "):
        return False
    words = clean.split()
    if not words or len(words) > 10 or not any(c.isalpha() for c in clean):
        return False
    if "|" in clean:
        return False
    letters = [c for c in clean if c.isalpha()]
    if all(c.isupper() for c in letters):
        return True
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return words[0][0].isupper() and (
        not long_words or sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 3
    )


_KEY_RE = re.compile(  # "1.043M", "FUNDED: 54M", "People in shelters*: 15 155"
    r"^(?:[A-Z][A-Z &/'’()*-]*:?\s*|[A-Z][A-Za-z &/'’()*-]{0,40}:\s*)?(?:[$€£]|US\$|USD)?\s*\d[\d.,]*(?:\s\d{3})*\s?"
    r"(?:[MKk%]|bn|million|"
    r"billion)?(?:\s+[A-Z][A-Z &/'’()*-]*:\s*(?:[$€£]|US\$|USD)?\s*\d[\d.,]*\s?(?:[MKk%]|bn|"
    r"million|billion)?)*$"
)


_BOX_TITLE = re.compile(r"^(?:key\s+(?:figures|facts|numbers|data|messages)|in\s+numbers|figures|highlights|"
                        r"at\s+a\s+glance|snapshot|overview)$", re.I)


def _label_after(lines: list[str], i: int, labelled_above: bool) -> int:
    """How many lines below key figure i are its label (0, 1 or 2): short lines of words, followed
    by a blank line, another figure or nothing (so not a heading that opens a paragraph), when
    nothing above labels the figure (no heading, or only the box's title) or the label reads on from
    the number ("people displaced")."""

    def wordy(k: int) -> str:
        line = _clean(lines[k]) if k < len(lines) else ""
        if not line or any(c.isdigit() for c in line) or line.endswith((".", ":", ";")) or \
                len(line.split()) > 10 or "\t" in lines[k] or not line[0].isalpha():
            return ""
        return line

    def closes(k: int) -> bool:
        line = _clean(lines[k]) if k < len(lines) else ""
        return not line or _is_key_figure(line)

    first = wordy(i + 1)
    if not first or (labelled_above and not first[0].islower()):
        return 0
    if closes(i + 2):
        return 1
    if wordy(i + 2) and closes(i + 3):  # "Total people" / "affected"
        return 2
    return 0


def _is_key_figure(clean: str) -> bool:
    """A headline number: alone on its line, or after an ALL-CAPS label and a colon."""
    return len(clean) <= 60 and bool(_KEY_RE.match(clean))


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in _SENT_END.finditer(text, start, end):
        word = re.search(r"([\w.]+)[.!?][\"”’)]*$", text[s : m.start() + 1])
        if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
            continue
        out.append((s, m.start() + 1))
        s = m.end()
    if s < end:
        out.append((s, end))
    return out


def _bounded(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """text[s:e] in pieces of at most MAX_SENTENCE_CHARS, cut after the last clause mark (or else
    space) in each window; a piece with no space at all is cut where the window ends."""
    out = []
    while e - s > MAX_SENTENCE_CHARS:
        limit = s + MAX_SENTENCE_CHARS
        cuts = [m.end() for m in _CUT.finditer(text, limit - MAX_SENTENCE_CHARS // 2, limit)]
        marks = [c for c in cuts if text[c - 2] in ";,"]
        cut = (marks or cuts or [limit])[-1]
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


def _ranges(sentence: str, nums: list[Num]) -> list[tuple[Num, Num | None]]:
    """Pair "10 to 20", "10-20", "between 10 and 20" into ranges; "from 10 to 20" stays two numbers."""
    out: list[tuple[Num, Num | None]] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            b = nums[i + 1]
            gap = sentence[a.end : b.start]
            before = sentence[max(0, a.start - 12) : a.start].lower()
            is_range = (_RANGE_GAP.match(gap) and not re.search(r"\bfrom[\s*_]*$", before)) or (
                re.match(r"^[\s*_]+and[\s*_]+$", gap) and re.search(r"\bbetween[\s*_]*$", before)
            )
            if (
                is_range
                and b.value > a.value * (1 if not a.percent or b.percent else 0)
                and (a.words == b.words)
                and not (a.percent and not b.percent)
            ):
                out.append((a, b))
                i += 2
                continue
        out.append((a, None))
        i += 1
    return out


def _unit_after(text: str, pos: int, end: int, glued_ok: bool = True, max_words: int = 6) -> Span | None:
    """The counted noun phrase right after a number ("refugees and migrants", "hygiene kits")."""
    words: list[tuple[int, int, str]] = []
    i = pos
    glued = glued_ok and pos < end and text[pos].isalpha()
    while len(words) < max_words:
        m = _WORD_AT.match(text, i, end)
        if not m or (
            m.start("w") == m.start() and m.start() != pos and text[m.start() - 1 : m.start()] not in (" ", "\t", "\n")
        ):
            break
        if glued and not words:
            w = m.group("w")
            if w in _GLUED_UNITS or w.lower() in _GLUED_UNITS:
                of = _MEASURE_OF.match(text, m.end("w"), end)  # "60kg of rice"
                return Span(
                    text[m.start("w") : of.end() if of else m.end("w")], m.start("w"), of.end() if of else m.end("w")
                )
            return None
        w = m.group("w")
        lw = w.lower()
        nxt = _WORD_AT.match(text, m.end(), end)
        nxt_w = nxt.group("w").lower() if nxt else ""
        nxt_ok = bool(nxt) and nxt_w not in _STOP and nxt_w not in ONES and nxt_w not in TENS and nxt_w != "and"
        if lw in ("and", "&"):
            if not words or not nxt_ok or (len(words) > 2):
                break
            words.append((m.start("w"), m.end("w"), lw))
            i = m.end()
            continue
        if lw == "per" and words and nxt and nxt_ok:
            words.append((m.start("w"), m.end("w"), lw))
            words.append((nxt.start("w"), nxt.end("w"), nxt_w))
            break
        if (lw in _STOP and not (lw in _NP_OPEN and not words and nxt_ok)) or lw in ONES or lw in TENS:
            break  # "of the total population" keeps "total"
        if re.fullmatch(MONTHS, lw):
            break
        prev = words[-1][2] if words else ""
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS:
            if not ((not words or prev.endswith("ly") or prev in _MODAL_LIKE) and nxt_ok):
                break
        if lw.endswith("ing") and len(lw) > 5 and lw not in _ING_NOUNS:
            if words or not nxt_ok or not _plural(nxt_w):
                break
        words.append((m.start("w"), m.end("w"), lw))
        i = m.end()
        if _plural(lw) and nxt_w not in ("and", "&", "per"):
            break
    while words and words[-1][2] in ("and", "&", "per"):
        words.pop()
    if not words:
        return None
    u0, u1 = words[0][0], words[-1][1]
    fm = re.search(r"[A-Za-z]{3}(\d{1,3})$", text[u0:u1])
    if fm and len(words) >= 1:  # a footnote mark glued to the noun: "people1", "adolescents5"
        u1 -= len(fm.group(1))
    first = words[0][2]
    if first in _MEASURES or first in _GLUED_UNITS:
        u1 = words[0][1]  # "120 km east of Tripoli": the measure alone ...
        of = _MEASURE_OF.match(text, u1, end)
        if of:  # ... or what is measured: "60kg of rice", "35 liters of safe water"
            u1 = of.end()
    elif (m := _PER_BASE.match(text, u1, end)) or (m := _ACRONYM.match(text, u1, end)):
        u1 = m.end()  # "beds per 1,000 population", "internally displaced persons (IDPs)"
    elif words[-1][2] != "per" and (ag := _WHO_TAIL.match(text, u1, end)):
        u1 = ag.end()  # who is counted: "children under five", "boys and girls aged 6-59 months", "women at risk"
    elif words[-1][2] != "per" and (of := _OF_WORD.match(text, u1, end)):
        tail = _np_end(text, of.end(), end)  # what is counted: "cases of severe acute malnutrition"
        if tail is not None:
            u1 = tail
    return Span(text[u0:u1], u0, u1)


_AGE_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen)"
_WHO_TAIL = re.compile(
    rf"[ \t\n]+(?:(?:under|below)[ \t\n]+(?:the[ \t\n]+age[ \t\n]+of[ \t\n]+)?{_AGE_NUM}"
    rf"(?:[ \t\n]+(?:years?|months?)(?:[ \t\n]+(?:of[ \t\n]+age|old))?)?|"
    rf"(?:aged|of)[ \t\n]+{_AGE_NUM}(?:[ \t\n]*[-–][ \t\n]*{_AGE_NUM}|[ \t\n]+to[ \t\n]+{_AGE_NUM})?"
    r"[ \t\n]+(?:years?|months?)|aged[ \t\n]+\d{1,2}|at[ \t\n]+risk)\b",
    re.I,
)


# a change over a period written after a percentage is its unit ("m-o-m", "y-o-y", "year-on-year")
_PERIOD_CHANGE = re.compile(r"[ \t\n]+([a-z]+-on?-[a-z]+|[a-z]-om)\b", re.I)
_PART_OF = re.compile(
    r"[ \t\n]+of[ \t\n]+(?:(?:the|these|those|this|all|its|their)[ \t\n]+)?(?:\d[\d,.]*[ \t\n]+)?", re.I
)
_PER_RATE = re.compile(r"[ \t\n]+(per[ \t\n]+(?:\d[\d,.]*[ \t\n]+)?(?!cent\b)[A-Za-z][\w-]*)")
_LIST_GAP = re.compile(r"[\s*_]*(?:,|,?[\s*_]*(?:and|or|&|to))[\s*_]*")
_OF_WORD = re.compile(r"[ \t\n]+of[ \t\n]+")
_NP_DETERMINERS = {"the", "a", "an"}


def _np_end(text: str, pos: int, end: int, max_words: int = 5) -> int | None:
    """Where the noun phrase at `pos` ends: its adjectives and nouns up to a verb, preposition,
    conjunction, number or punctuation mark ("severe acute malnutrition", "dengue fever")."""
    last = None
    i, n = pos, 0
    while n < max_words:
        m = _WORD_AT.match(text, i, end)
        if not m or (m.start("w") != m.start() and not text[m.start() : m.start("w")].strip(" \t\n") == ""):
            break
        lw = m.group("w").lower()
        if lw in ("and", "&"):
            nxt = _WORD_AT.match(text, m.end(), end)
            if last is None or not nxt or nxt.group("w").lower() in _STOP or n + 1 >= max_words:
                break
            i, n = m.end(), n + 1
            continue
        if lw in _STOP or lw in ONES or lw in TENS or re.fullmatch(MONTHS, lw):
            break
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS:
            break
        if lw.endswith("ing") and len(lw) > 5 and lw not in _ING_NOUNS:
            break
        last = m.end("w")
        i, n = m.end(), n + 1
    if last is None:
        return None
    if am := _ACRONYM.match(text, last, end):
        last = am.end()
    return last


_MEASURES = {"liters", "litres", "tons", "tonnes", "kilograms", "kilometres", "kilometers", "metres", "meters"}
_MEASURE_OF = re.compile(
    r"[ \t\n]+of[ \t\n]+(?!the\b|a\b|an\b|their\b|its\b)[A-Za-z][\w'’-]*"
    r"(?:[ \t\n]+(?!(?:and|or|in|to|for|with|per|from|at|on|by|were|was|are|is|of)\b)[a-z][\w'’-]*)?"
)
_PER_BASE = re.compile(r"[ \t\n]+per[ \t\n]+\d[\d,.]*[ \t\n]+[A-Za-z][\w-]*")
_ACRONYM = re.compile(r"[ \t\n]*\([A-Z][A-Za-z]{1,9}\)")


def _unit_before(text: str, s: int, pos: int) -> Span | None:
    """The plural noun right before a parenthesis: "households (75 per cent)"."""
    m = re.search(r"([A-Za-z][\w'’-]*)\s*$", text[s:pos])
    if not (m and _plural(m.group(1).lower()) and m.group(1).lower() not in _STOP):
        return None
    u0 = s + m.start(1)
    for _ in range(2):  # its modifiers: "returnees’ households", "surveyed vendors"
        w = re.search(r"([A-Za-z][\w'’-]*)[ ]+$", text[s:u0])
        if not w or w.group(1).lower() in _STOP or w.group(1).lower() in ONES or w.group(1) in ("and", "&"):
            break
        u0 = s + w.start(1)
    # a share of a population ("among returnees (76 percent)", "the majority of households (75 per cent)",
    # "one in four households (23.0%)"), not an item of a list ("wells (10%)", "lack of doctors (70.2%)")
    intro = re.search(r"([A-Za-z]+)[\s*_]+(?:the[\s*_]+)?$", text[s:u0])
    if intro and intro.group(1) == "and":  # "among returnees (41 percent) and residents (37 percent)"
        pm = re.search(r"\(\s*[\d.,]+\s*(?:%|per\s?cent)\s*\)[\s*_]*$", text[s : s + intro.start(1)])
        if pm and _unit_before(text, s, s + pm.start()) is not None:
            return Span(text[u0 : s + m.end(1)], u0, s + m.end(1))
        return None
    if not intro or intro.group(1).lower() not in _SHARE_INTRO:
        return None
    if intro.group(1).lower() == "of" and re.search(
        r"\b(?:lack|shortage|fees|cost|price|prices)[\s*_]+$", text[s : s + intro.start(1)]
    ):
        return None
    return Span(text[u0 : s + m.end(1)], u0, s + m.end(1))


_RATE_NAME = re.compile(r"\(([A-Z]{2,6})(?:,[ \t]*|[ \t]*[=:][ \t]*|[ \t]+)$")
# a sentence that opens with the whole its numbers are parts of: "Of the 360 children screened, 3 ..."
_WHOLE_FIRST = re.compile(
    r"(?:out[ \t\n]+of|of|among)[ \t\n]+(?:(?:the|these|those|all)[ \t\n]+)?(?:\d[\d,.]*[ \t\n]+)?", re.I
)
_SHARE_INTRO = {"among", "amongst", "of", "all", "some", "than", "four", "five", "ten", "three", "most", "many"}


_SUBJECT_VERB = re.compile(
    r"[ \t\n]+(?:(?:is|was|are|were|remains?|remained|stood|stands|reached)(?:[ \t\n]+(?:at|now|still))?|of|"
    r"(?:(?:has|have|had)[ \t\n]+)?(?:increased|decreased|declined|rose|risen|fell|fallen|dropped|grew|grown|"
    r"dipped|jumped|surged|soared)(?:[ \t\n]+(?:by|to))?|rising[ \t\n]+to|(?:projected|expected)[ \t\n]+to[ \t\n]+"
    r"(?:rise|reach|fall)[ \t\n]+to)[ \t\n]+$"
)


def _np_before(text: str, s: int, pos: int, max_words: int = 6) -> Span | None:
    """The noun phrase that ends at `pos`, read leftwards up to a determiner, preposition,
    verb or punctuation mark: "[The] average price", "[a] case fatality rate", "cost of pulses"."""
    words: list[re.Match] = []
    i = pos
    while len(words) < max_words:
        m = _WORD_BEFORE.search(text, max(s, i - 40), i)
        if not m:
            break
        lw = m.group("w").lower()
        if lw == "of" and words and len(words) < max_words - 1:
            prev = _WORD_BEFORE.search(text, max(s, m.start() - 40), m.start())
            if prev and prev.group("w").lower() not in _STOP:
                words.append(m)
                i = m.start()
                continue
            break
        if lw in _NP_OPEN:
            words.append(m)
            break
        if lw in _STOP or lw in ONES or lw in TENS or lw in _LABEL_LEAD or lw in _CONJ or re.fullmatch(MONTHS, lw):
            if lw in _PREPOSITIONS:
                return None  # "cases in Nigeria decreased": a place, not what is measured
            break
        if lw.endswith("ed") and len(lw) > 4 and lw not in _ED_NOUNS and not words:
            break
        words.append(m)
        i = m.start()
    while words and words[-1].group("w").lower() == "of":
        words.pop()
    if not words or words[0].group("w").lower() in _CHANGE_NOUNS:
        return None  # "a decrease of 20%": the change, not what changed
    if len(words) > 2 and words[-1].group("w").lower() == "number" and words[-2].group("w").lower() == "of":
        words = words[:-2]  # "the number of people receiving health services"
    u0, u1 = words[-1].start("w"), words[0].end("w")
    return Span(text[u0:u1], u0, u1)


_NP_OPEN = {"total", "overall"}  # read leftwards, these open the noun phrase: "total test positivity rate"
_CONJ = {"though", "although", "because", "whether", "whereas", "while", "since", "unless"}
_PREPOSITIONS = {"in", "at", "on", "from", "across", "among", "for", "with", "by", "to", "into", "within", "between"}
_CHANGE_NOUNS = {"increase", "decrease", "reduction", "drop", "decline", "rise", "fall", "growth", "change", "cut"}
_WORD_BEFORE = re.compile(r"(?P<w>[A-Za-z](?:[\w'’/-]*\w)?)[ \t\n]*$")


def _span_of(text: str, s: int, n: Num) -> Span:
    return Span(text[s + n.start : s + n.end], s + n.start, s + n.end)


def _plural(w: str) -> bool:
    return w in _IRREG_PLURAL or (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")))


def _norm(unit: str) -> str:
    low = " ".join(unit.lower().split())
    if low in UNIT_NORM:
        return UNIT_NORM[low]
    if unit in CURRENCIES:
        return CURRENCIES[unit]
    head = re.split(r"\s+per\s+", low)[0].split()
    for w in reversed(head):
        if w in UNIT_NORM:
            return UNIT_NORM[w]
    return ""


def _label_norm(label: str) -> str:
    """A unit implied by a key figure's or table's label ("PEOPLE REACHED" -> people)."""
    if re.search(r"\bfund|requirement|required|appeal|budget", label, re.I):
        return "USD"
    for w in re.findall(r"[a-z-]+", label.lower()):
        if w in UNIT_NORM and w not in ("case", "t", "l"):
            return UNIT_NORM[w]
    return ""


def _is_currency(unit: str) -> bool:
    return unit in CURRENCIES


def _inherits(text: str, a0: int, a1: int, e: int) -> bool:
    """A bare number in a list after a counted one takes its unit ("1,463 in April and 1,054 in March")."""
    after = text[a1:e]
    return (
        bool(re.match(r"^[\s*_]*(?:\)|in\b|during\b|,\s|and\b|;|\.|$)", after))
        or text[max(0, a0 - 1) : a0] == "("
        # "65 patients were referred, 50 were discharged": the noun is left out, not changed
        or bool(re.match(r"^[\s*_]+(?:were|was|are|is|have|had|has|remain|remained)\b", after))
        or bool(_OF_THESE.match(after))
    )


# "150,000 houses were affected, with 2,300 of these completely destroyed": the unit of the one before
_OF_THESE = re.compile(r"[\s*_]+of\s+(?:these|them|those|which|whom)\b", re.I)


def _clause_ends(text: str, lo: int, hi: int) -> list[re.Match]:
    """Clause separators in text[lo:hi], bracketed acronyms ("(CBI)") not counted."""
    out = []
    for m in _CLAUSE_END.finditer(text, lo, hi):
        c = m.group(0)
        if c == "(" and _SHORT_PAREN.match(text, m.start()):
            continue
        if c == ")" and any(p.end() == m.end() for p in _SHORT_PAREN.finditer(text, max(lo, m.end() - 42), m.end())):
            continue
        out.append(m)
    return out


def _words(text: str, a: int, b: int) -> list[str]:
    return _clean(re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text[a:b])).split()


def _label(text: str, s: int, e: int, lead: int, a1: int, unit: Span | None, prev: Fact | None, nxt: int) -> str:
    """What is counted, in the words of this number's own clause (never reaching a neighbour number).

    The counted noun and the predicate after it ("persons received hygiene kits"), and the predicate
    before it when the number is an object ("GTRM provided primary health assistance to" [10,000]
    "persons from the host"). A number after another one in the same clause takes the words between
    them ("meals to daily support" [1,700] "refugees"), or, in "from A to B", the clause opening.
    """
    # right part: from the unit (or the number) to the clause end or the next number
    r0 = unit.start if unit is not None and unit.start >= a1 else a1
    ends = _clause_ends(text, max(r0, unit.end if unit is not None else a1), e)
    r1 = min(ends[0].start() if ends else e, nxt)
    right = _words(text, r0, r1)
    if ends and r1 == ends[0].start() and ends[0].group(0).startswith(","):
        # "100 persons, including host community, benefited from ...": step over the aside
        rest = _words(text, a1 if unit is None or unit.start < a1 else unit.end, r1)
        if not rest and _ASIDE.match(text, ends[0].end()):
            more = _clause_ends(text, ends[0].end(), e)
            if more and more[0].group(0).startswith(","):
                later = _clause_ends(text, more[0].end(), e)
                right += _words(text, more[0].end(), min(later[0].start() if later else e, nxt))
    right = _trim_words(right[:10])
    # left part: from the clause start (or the previous number) to the number and its qualifier
    seps = [m for m in _clause_ends(text, s, a1) if m.end() <= lead]  # separators look ahead
    l0 = seps[-1].end() if seps else s
    if prev is not None and prev.end > l0:
        from_m = re.search(rf"\bfrom[\s*_]+(?:{_LEAD_Q}[\s*_]+)?$", text[l0 : prev.start], re.I)
        start_of_prev = prev.qualifier.start if prev.qualifier and prev.qualifier.start < prev.start else prev.start
        from_m = from_m or re.search(r"\bfrom[\s*_]+$", text[l0:start_of_prev], re.I)
        if from_m:  # "a decrease in calls from almost 25,000 in September to some 19,000"
            left = _words(text, l0, l0 + from_m.start())
        else:
            p_end = max(prev.end, prev.unit.end if prev.unit is not None else prev.end)
            left = _words(text, min(p_end, lead), lead)
    else:
        left = _words(text, l0, lead)
        if nxt < e and re.search(rf"\bto[\s*_]+(?:{_LEAD_Q}[\s*_]+)?$", text[a1:nxt], re.I):
            # "from almost 25,000 in September to some 19,000": the first number drops the "from"
            while left and left[-1].lower() == "from":
                left = left[:-1]
    if not left and not right and seps and seps[-1].group(0).startswith(":") and not text[seps[-1].end():lead].strip():
        # "People in shelters*: 15 155": the words before the colon say what is counted
        left = _words(text, seps[-2].end() if len(seps) > 1 else s, seps[-1].start())
    # a unit written before the number: "USD 1 million", "households (75 per cent)"
    unit_words = unit.text.split() if unit is not None and unit.end <= a1 else []
    if not (left or right or unit_words) and seps and seps[-1].group(0) == "(":
        # "the vast majority (98 percent)": the words the bracket belongs to
        left = _words(text, seps[-2].end() if len(seps) > 1 else s, seps[-1].start())
    left = left[-max(3, _MAX_LABEL_WORDS - len(right) - len(unit_words)) :]
    while left and left[0].lower() in _LABEL_LEAD:
        left = left[1:]
    words = left + unit_words + right
    while words and not any(c.isalnum() for c in words[0]):
        words = words[1:]  # list marks and symbols: "- dead", "> °C"
    while words and not any(c.isalnum() for c in words[-1]):
        words = words[:-1]
    if not words and unit is not None:
        words = unit.text.split()
    return " ".join(words)


def _trim_words(words: list[str]) -> list[str]:
    """Drop the function words a clipped phrase ends with ("... in support of more than")."""
    while words and (words[-1].lower() in _STOP or words[-1].lower() in _LABEL_LEAD):
        words = words[:-1]
    return words


@lru_cache(maxsize=4096)
def _named_sector(text: str) -> str:
    """`_sector(text)` for headings and headers, which repeat."""
    return _sector(text)


def _sector(text: str, near: int | None = None) -> str:
    """The sector named in `text`; with `near`, the mention closest to that offset."""
    best, best_d = "", None
    for name, rx in _SECTOR_RES:
        for m in rx.finditer(text):
            if near is None:
                return name
            d = abs(m.start() - near)
            if best_d is None or d < best_d:
                best, best_d = name, d
    return best
