"""How a question names a report: a question (and its dates) in, the `_Naming` out: publishers cited
as the source, the document type, its number, its date, "latest"/"earliest", report codes, and the
spans they take. Also the readers of those names in a report's own title and file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.question.dates import _MON, _Date
from assistant.question.scope import _COUNTRY_FIRSTS, _COUNTRY_RE
from assistant.question.words import _alt, _firsts, _lookup_ci, _scan
from assistant.text import proper_names
from assistant.vocab import DOC_TYPES, GENERIC_DOCS, PUBLISHERS, SERIES
from vocabulary.words import tokens

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
_ORDINAL_RE = re.compile(r"\b(?P<ord>" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+(?:[\w-]+\s+){0,4}$", re.I)
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
# a document named as the source ("according to the OCHA flash update"), publisher and filler words between
_SOURCED = re.compile(r"(?:according\s+to|\bper|\b(?:reported|stated|published|given|cited|quoted|mentioned|noted"
                      r"|shown)\s+in)\s+(?P<gap>.{0,50})$", re.I)
# a body a report quotes ("cites OCHA", "quoting WHO") is not the report's publisher
_CITED_BEFORE = re.compile(r"\b(?:cit(?:es|ed|ing)|quot(?:es|ed|ing)|referenc(?:es|ed|ing))\s+(?:the\s+)?$", re.I)
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
    # what a report covers or how often it comes ("the regional sitrep")
    "regional",
    "national",
    "global",
    "country",
    "weekly",
    "monthly",
    "daily",
    "interim",
    "joint",
    # which of a series ("OCHA's fifth flash update")
    *_ORDINALS,
}


def _doc_families(text: str) -> set[str]:
    """The report types a title names, with those of a shorter term it ends with: a "Weekly Bulletin" is
    a weekly update and a bulletin (a user may name it either way).

    >>> sorted(_doc_families("Weekly Bulletin on Outbreaks and Other Emergencies"))
    ['bulletin', 'weekly update']
    """
    out = set()
    for m in _scan(_DOC_RE, _DOC_FIRSTS, text):
        words = m.group("doc").lower().split()
        out |= {_DOC_TERMS.get(" ".join(words[i:]), "") for i in range(1, len(words))}
        out.add(_DOC_TERMS.get(" ".join(words), " ".join(words)))
    return out - {""}


# a report's own code: capitals then digits ("MDRJM004", "MDRIN018DREF"); not "COVID-19"
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3,}\d{2,}[A-Z0-9]*(?![a-z])")


def report_codes(text: str) -> frozenset[str]:
    """Report codes written in a text.

    >>> sorted(report_codes("DREF final report MDRIN018DREF_final.pdf, not COVID-19 or R4V"))
    ['MDRIN018DREF']
    """
    return frozenset(_CODE.findall(text.replace("_", " ")))


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
        if not part or _PUB_RE.search(part) or _COUNTRY_RE.fullmatch(part):
            continue  # "NDMA, Kenya": a country is where a publisher is, not its name
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
    # publishers named as actors, not sources ("how much is UNFPA appealing for, per the regional sitrep"):
    # of the reports of a type named that fit equally well, theirs
    actors: tuple[str, ...] = ()
    # the stage of a series a question names ("the DREF operations update", "the final report"): of the reports
    # that fit equally well (one operation's application, updates and final report), those of that stage
    stages: tuple[str, ...] = ()
    # the proper names the question writes, each a run of words (`name_runs`): of the reports that fit, one
    # whose title carries one ("the December 2015 Kinshasa floods") counts as one its own period would
    names: tuple[tuple[str, ...], ...] = ()

    @property
    def named(self) -> bool:
        return bool(self.publishers or self.family in SERIES or self.number or self.date or self.codes)


# a report's own date between its publisher and its type: "FEWS NET's November 2025 Key Message Update"
# a year before a named event: "the 2017 Assam/Manipur floods", "the 2017 Assam and Manipur floods", "the 2019
# Lassa fever outbreak"
_EVENT_AFTER = re.compile(r"\s+(?:[A-Z][\w/'’-]*,?\s+(?:(?:and|&)\s+)?){1,4}(?:[a-z]+\s+)?"
                          r"(?:floods?|flooding|cyclone|hurricane|earthquake"
                          r"|outbreak|typhoon|storm|drought|epidemic|monsoon|landslides?|mudslides?)\b")
_EVENT_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_DATE_WORDS = re.compile(rf"(?i)\b(?:{_MON}|\d{{1,2}}|(?:19|20)\d\d)(?![\w.])")


def _gap_ok(gap: str) -> bool:
    """Only filler words (and publisher or country names, month names, days and years) between a
    report's name and its date, or between its publisher and its type."""
    if len(gap) > 60:
        return False
    chars = list(gap)
    for rx, firsts in ((_PUB_RE, _PUB_FIRSTS), (_COUNTRY_RE, _COUNTRY_FIRSTS)):
        for m in _scan(rx, firsts, gap):
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    for m in _DATE_WORDS.finditer(gap):
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    for m in _EVENT_WORD.finditer(gap):  # "the UNFPA Hurricane Melissa regional situation report"
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    words = tokens("".join(chars))
    return len(words) <= 4 and all(w in _GAP_OK for w in words)


def _naming(text: str, dates: list[_Date], extra: tuple[re.Pattern | None, dict[str, str]] = (None, {})) -> _Naming:
    spans: list[tuple[int, int]] = []
    docs = list(_scan(_DOC_RE, _DOC_FIRSTS, text))
    family, number, doc_spans = None, None, []
    numbered_family = None  # "its Situation Report #1" names the type, not "the response plan" before it
    # "the response plan's funding, according to the OCHA flash update": the flash update is the source
    sourced, sourced_span = None, (0, 0)
    for m in docs:
        fam = _DOC_TERMS.get(m.group("doc").lower(), "")
        num = m.group("num") or m.group("num2")
        ordinal = _ORDINAL_RE.search(text[max(0, m.start() - 40) : m.start()])
        if fam and num and numbered_family is None:
            numbered_family = fam
        source = _SOURCED.search(text[max(0, m.start() - 70) : m.start()])
        if fam and sourced is None and source and _gap_ok(source.group("gap")):
            sourced, sourced_span = fam, m.span()
        if fam or num or ordinal:
            family = family or fam or None
        if num and number is None:
            number = int(num)
        if ordinal and number is None:
            o = ordinal.group("ord").lower()
            number = _ORDINALS.get(o) or int(re.match(r"\d+", o).group(0))
            spans.append((m.start() - len(ordinal.group(0)), m.start()))
        doc_spans.append(m.span())
    family = sourced or numbered_family or family
    if number is None and docs:
        m = _LOOSE_NUM.search(text)
        if m:
            number = int(m.group("num"))
            spans.append(m.span())
    pubs, pub_spans, actors = [], [], []
    said = []  # publishers only read as sources by a verb after them ("did WFP estimate"): see below
    extra_re, extra_aliases = extra
    mentions = [(m, _pub_key(m.group(0))) for m in _scan(_PUB_RE, _PUB_FIRSTS, text)]
    if extra_re is not None:
        mentions += [
            (m, extra_aliases.get(m.group(0)) or _lookup_ci(extra_aliases, m.group(0))) for m in extra_re.finditer(text)
        ]
    for m, key in sorted(mentions, key=lambda t: t[0].start()):
        if key == "IPC" and re.match(r"\s*phase", text[m.end() :], re.I):
            continue
        if _CITED_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "FEWS NET's update cites OCHA on the Response Plan": OCHA is quoted, not the publisher
        source = (
            bool(_SOURCE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]))
            or any(_gap_ok(text[m.end() : d.start()]) for d in docs if d.start() >= m.end())
            # "did WFP reach ... according to its situation report #1"
            or any(_ITS.search(text[m.end() : d.start()]) for d in docs if d.start() >= m.end())
        )
        if not source and _SOURCE_AFTER.match(text, m.end()) and key not in said:
            said.append(key)
        elif source and key not in pubs:
            pubs.append(key)
            pub_spans.append(m.span())
        elif not source and key not in actors:
            actors.append(key)
    # "how many did WFP estimate, in OCHA's fifth flash update": a body quoted by a verb is the source only
    # when no publisher is tied to the report named (then "WFP estimates ..." names WFP's own report)
    for key in said:
        if pubs:
            actors.append(key)
        elif key not in pubs:
            pubs.append(key)
            pub_spans.append(next(m.span() for m, k in mentions if k == key))
    report_date = None
    anchors = ([sourced_span] if sourced else [d.span() for d in docs]) + pub_spans
    for d in dates:
        if d.precision == "year" and _EVENT_AFTER.match(text, d.end):
            continue  # "the final report on the 2017 Assam floods": the year of the event, not of the report
        for a0, a1 in anchors:
            before = a1 <= d.start and _gap_ok(text[a1 : d.start])
            after = d.end <= a0 and _gap_ok(text[d.end : a0]) and any(s == (a0, a1) for s in (x.span() for x in docs))
            if (before or after) and (docs or pubs):
                report_date = d
                break
        if report_date:
            break
    # "the DREF final report" names a stage (`report_stages`), not the newest of the operation's reports
    latest = bool(docs or pubs) and bool(_LATEST.search(_FINAL_STAGE.sub(" ", text)))
    earliest = bool(docs or pubs) and bool(_EARLIEST.search(text)) and number is None
    codes = [(m.group(0), m.span()) for m in _CODE.finditer(text)]
    named_doc = bool(family or number or report_date or pubs or latest or codes)
    if named_doc:
        spans += doc_spans + pub_spans + [span for _, span in codes]
        if report_date:
            spans.append((report_date.start, report_date.end))
    return _Naming(tuple(pubs), family, number, report_date, latest, earliest, tuple(spans),
                   tuple(dict.fromkeys(c for c, _ in codes)), tuple(a for a in actors if a not in pubs),
                   report_stages(text), name_runs(text))


# the stages of an operation's reports: "emergency plan of action", "operations update no. 1", "final report"
_STAGES = (("plan of action", re.compile(r"(?i)\b(?:emergency\s+)?plan\s+of\s+action\b|\bEPoA\b")),
           ("application", re.compile(r"(?i)\bapplication\b")),
           ("operations update", re.compile(r"(?i)\boperations?\s+update\b")),
           ("final report", re.compile(r"(?i)\bfinal\s+(?:\w+\s+){0,2}report\b")))


_FINAL_STAGE = _STAGES[-1][1]


def report_stages(text: str) -> tuple[str, ...]:
    """The stages of an operation's reports a text names ("IFRC's final DREF report": final report)."""
    return tuple(name for name, rx in _STAGES if rx.search(text))


_RUN_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\S")
_IN_NAMES = frozenset({"and", "of", "de", "du", "la", "&"})


def name_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """The question's proper names as runs of neighbouring words, small joining words inside ("Humanitarian
    Needs and Response Plan" is one name, not five; "Kinshasa" one of one word).

    >>> name_runs("What share of Haiti's Humanitarian Needs and Response Plan was funded, per OCHA?")
    (('Haiti',), ('Humanitarian', 'Needs', 'and', 'Response', 'Plan'), ('OCHA',))
    """
    names = set(proper_names(text))
    runs: list[list[str]] = []
    joined = False  # the run open takes the next name
    for m in _RUN_WORD.finditer(text):
        w = re.sub(r"['’]s?$", "", m.group(0).strip(".-")).strip(".-")
        if w in names:
            if joined:
                runs[-1].append(w)
            else:
                runs.append([w])
            joined = not m.group(0).endswith(("'s", "’s", ",", "."))
        elif joined and w.lower() in _IN_NAMES:
            runs[-1].append(w)
        else:
            joined = False
    for r in runs:  # "Assam and" before a word that is no name: "Assam"
        while r[-1].lower() in _IN_NAMES:
            r.pop()
    return tuple(tuple(r) for r in runs)

