"""A sentence in, the short answers it holds out: the kind of answer a question wants (a date, a
person, a place, a body), the dates and names of that kind outside the question's own words, the one
to give first, and the cover and title blocks that are no sentences (cut into their fields).

Why apart from extract.py: these take text and return text (doctests show each case); extract.py
chooses among the sentences of the retrieved passages and builds the Answer.
"""

from __future__ import annotations

import re

from assistant.match import root
from assistant.question import Query
from assistant.text import _SENT_SPLIT
from vocabulary.months import ENGLISH_MONTH_NAMES, MONTH_NUMBERS, MONTH_WORDS

# -- what kind of answer the question wants ------------------------------------------------------

_PLACE_NOUNS = (r"towns?|cit(?:y|ies)|villages?|neighbou?rhoods?|regions?|districts?|states?|provinces?"
                r"|departments?|count(?:y|ies)|communes?|municipalit(?:y|ies)|countr(?:y|ies)|locations?"
                r"|places?|islands?|camps?|sites?|hospitals?|areas?|LGAs?|zones?|woredas?|parish(?:es)?")
_ORG_NOUNS = (r"organi[sz]ations?|agenc(?:y|ies)|partners?|NGOs?|donors?|compan(?:y|ies)|institutions?"
              r"|bod(?:y|ies)|ministr(?:y|ies)|government|authorit(?:y|ies)|group|coalition|society")
ANSWER_TYPES = (  # the first that matches the question names the kind of answer a sentence must hold
    ("person", re.compile(r"\b[Ww]ho(?:m|se)?\b(?!\s*\()|\bname\s+of\s+the\s+(?:person|officer|coordinator"
                          r"|contact|director|minister|head)\b|\bpoint\s+of\s+contact\b")),
    ("place", re.compile(rf"\b[Ww]here\b|\b(?:which|what)\s+(?:[\w'-]+\s+){{0,3}}?(?:{_PLACE_NOUNS})\b"
                         rf"|\bin\s+which\b", re.I)),
    ("organisation", re.compile(rf"\b(?:which|what)\s+(?:[\w'-]+\s+){{0,2}}?(?:{_ORG_NOUNS})\b", re.I)),
)


def answer_type(q: Query) -> str | None:
    """"date", "person", "place", "organisation", or None (any sentence may answer).

    >>> from assistant.question import parse_question
    >>> [answer_type(parse_question(t)) for t in ("When was the unit opened?", "Who led the ceremony?",
    ...     "In which town did the storm kill 20 people?", "Which agency gave cash?", "Which decree was it?")]
    ['date', 'person', 'place', 'organisation', None]
    """
    if q.expected == "date":
        return "date"
    for name, rx in ANSWER_TYPES:
        if rx.search(q.text):
            return name
    return None


# -- cover and title blocks ----------------------------------------------------------------------

# "Appeal Launch Date:", "Reporting Period:", "Date of disaster:": a label of up to five words
_FIELD = re.compile(r"(?:(?<=\s)|^)(?P<label>[A-Z][\w/&().'’-]*(?:\s+[\w/&().'’-]+){0,4}?)\s*:\s+(?=\S)")
_REPORT_NUMBER = re.compile(r"\b(?:Flash\s+Update|Situation\s+Report|Sit\s*Rep|Update|Bulletin|Report|"
                            r"Snapshot|Brief)\s*(?:No\.?|N°|n°|#|Number)\s*\d+", re.I)
_MON_WORDS = rf"(?:{ENGLISH_MONTH_NAMES})\.?"
_COVER_WORDS = re.compile(r"\b(?:Reporting\s+Period|Prepared\s+on|Timeframe|Appeal\s+Launch|Glide\s+n|"
                          r"Operation\s+n|DREF\s+n|Period\s+covered|Issued\s+on|Date\s+of\s+issue)", re.I)
COVER_RULES = (  # (name, test): a run that passes a test is a cover or title block, not a sentence
    ("fields", lambda s: len(_FIELD.findall(s)) >= 2),  # "Timeframe: ... Appeal Launch Date: ..."
    ("cover_words", lambda s: bool(_COVER_WORDS.search(s))),  # "Reporting Period", "Prepared on"
    ("report_number", lambda s: bool(_REPORT_NUMBER.search(s[:120]))),  # "Flash Update No. 1" near its start
)


def cover_rule(sent: str) -> str | None:
    """The name of the rule that calls `sent` a cover or title block, or None.

    >>> cover_rule("Flash Floods Santchou Timeframe: 26 Aug 17 to 26 Nov 17 Appeal Launch Date: 26 Aug 17")
    'fields'
    >>> cover_rule("Haiti Tropical Storm Melissa Flash Update No. 1 Reporting Period: 22-24 October")
    'cover_words'
    >>> cover_rule("The landslide killed three people on 23 October in Fontamara.") is None
    True
    """
    return next((name for name, test in COVER_RULES if test(sent)), None)


def _label_start(before: str) -> int | None:
    """Where the label ending `before` starts: its last capitalised word and the lowercase words after
    it ("Date of disaster"), or a run of up to five capitalised words ("Appeal Launch Date"); None when
    no capitalised word is among the last five."""
    words = list(re.finditer(r"\S+", before))[-5:]
    start, lower = None, False
    for m in reversed(words):
        w = m.group(0)
        if w[:1].isupper():
            if lower and start is not None:
                break
            start = m.start()
        elif start is not None or not re.fullmatch(r"[a-z°()/&'’-]+", w):
            break
        else:
            lower = True
    return start


def cover_fields(sent: str) -> tuple[list[str], str]:
    """A cover block's "Label: value" fields, each up to the next label, and the prose glued after it
    (a passage joins a page's lines: "... Reporting Period: 22-24 October 2025 Situation overview A
    landslide on 23 October killed ..."): the last value ends after its first figure or date, or
    after VALUE_WORDS words; what follows is the tail.

    >>> cover_fields("Jamaica: Hurricane Matthew Date of disaster: 3 October 2016 Operation start date: 5 Oct")
    (['Jamaica: Hurricane Matthew', 'Date of disaster: 3 October 2016', 'Operation start date: 5 Oct'], '')
    >>> cover_fields("Flash Update No. 2 Reporting Period: 22-24 October 2025 Situation A landslide killed three.")
    (['Reporting Period: 22-24 October 2025'], 'Situation A landslide killed three.')
    """
    marks = []  # (label start, value start)
    for m in re.finditer(r"\s*:\s+(?=\S)", sent):
        lo = marks[-1][1] if marks else 0
        start = _label_start(sent[lo:m.start()])
        if start is not None:
            marks.append((lo + start, m.end()))
    out, tail = [], ""
    for (label, value), nxt in zip(marks, [*marks[1:], None], strict=False):
        end = nxt[0] if nxt else _value_end(sent, value)
        text = sent[value:end].strip()
        if text:
            out.append(f"{sent[label:value].strip()} {text}")
        if nxt is None:
            tail = sent[end:].strip()
    if not marks:  # "Flash Update No. 2", "Final Report Prepared on 22/Feb/2018" and no field
        m = _REPORT_NUMBER.search(sent) or _COVER_WORDS.search(sent)
        tail = sent[_value_end(sent, m.end()):].strip() if m else ""
    return out, tail


VALUE_WORDS = 8
_DATEISH = re.compile(rf"^(?:[\d/.,:–-]+\w*|{_MON_WORDS}|to|and|as|of|\(|\))$", re.I)


def _value_end(sent: str, start: int) -> int:
    """Where a cover field's value ends: after the run of date and figure words that starts within
    its first VALUE_WORDS words ("22-24 October 2025"), else after VALUE_WORDS words."""
    words = list(re.finditer(r"\S+", sent[start:]))
    first = next((i for i, w in enumerate(words[:VALUE_WORDS]) if re.search(r"\d", w.group(0))), None)
    if first is None:
        return start + (words[VALUE_WORDS - 1].end() if len(words) >= VALUE_WORDS else len(sent) - start)
    last = first
    while last + 1 < len(words) and _DATEISH.match(words[last + 1].group(0)) and (
            re.search(r"\d", words[last + 1].group(0)) or last + 2 < len(words)
            and re.search(r"\d", words[last + 2].group(0))):
        last += 1
    if last + 1 < len(words) and re.fullmatch(rf"{_MON_WORDS}", words[last + 1].group(0), re.I):
        last += 1  # "22-24 October" without a year
    if last + 1 < len(words) and re.fullmatch(r"(?:19|20)\d\d[.,]?", words[last + 1].group(0)):
        last += 1
    return start + words[last].end()


def candidates(text: str) -> list[tuple[str, bool]]:
    """The sentences of a passage, as (text, is a cover field): a cover block is cut into its fields,
    and the prose glued after it is a sentence again (or another cover block, cut in turn)."""
    out = []
    for sent in _SENT_SPLIT.split(text):
        sent = sent.strip(" -")
        while cover_rule(sent):
            fields, tail = cover_fields(sent)
            out += [(f, True) for f in fields]
            if len(tail.split()) < 5 or len(tail) >= len(sent):
                sent = ""
                break
            sent = tail
        if sent:
            out.append((sent, False))
    return out


# -- the short answer inside a sentence ----------------------------------------------------------

_MON = _MON_WORDS
_DATE_SPAN = re.compile(rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MON})"
                        rf"(?:,?\s+(?P<y1>(?:19|20)?\d\d))?\b"
                        rf"|\b(?P<m2>{_MON})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
                        rf"|\b(?P<m3>{_MON})\s+(?P<y3>(?:19|20)\d\d)\b"
                        rf"|\b(?P<d4>\d{{1,2}})[/.-](?P<m4>\d{{1,2}}|{_MON})[/.-](?P<y4>(?:19|20)?\d\d)\b"
                        rf"|\b(?P<y5>(?:19|20)\d\d)-(?P<m5>\d\d)-(?P<d5>\d\d)\b", re.I)
_YEAR_ASKED = re.compile(r"\b(?:what|which|in\s+what)\s+year\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _date_key(m: re.Match) -> tuple[str, str]:
    """(day, month) of a date match, '' where it has none: "4 August 2017" -> ('4', '8')."""
    day = next((m.group(g) for g in ("d1", "d2", "d4", "d5") if m.group(g)), "") or ""
    mon = next((m.group(g) for g in ("m1", "m2", "m3", "m4", "m5") if m.group(g)), "") or ""
    if mon and not mon.isdigit():
        mon = str(MONTH_NUMBERS[mon.lower().rstrip(".")])
    return day.lstrip("0"), mon.lstrip("0")


# a capitalised run: "Roland W. Jackson", "Immaculée Conception Hospital", "Port-au-Prince", "SONAPI"
_CAP_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*\.?(?:\s+(?:(?:de|du|des|la|le|of)\s+)?[A-Z][\w'’-]*\.?)*")
_NOT_NAME = frozenset("""the this that these those a an in on at of for by from to with as since after before during
according following while when where which who what there it its their our his her we they he she all some most
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday total
national summary figure table annex page source note update report flash situation sitrep bulletin key highlights
overview although however meanwhile additionally moreover furthermore but and also whereas despite thus therefore
overall""".split()) \
    | set(MONTH_WORDS)
_BODY_WORDS = frozenset("""ministry health red cross crescent society federation federal coordinating officer
department region regional unit hospital general national republic office agency organization organisation
programme program fund council committee university centre center cluster team response emergency disaster
declaration government state province district county city town village island north south east west central
international medical corps nations world food services service division institute directorate civil protection
protective equipment treatment hurricane storm tropical cyclone virus disease fever outbreak marburg covid""".split())


def _runs(sent: str, asked: set[str] = frozenset()) -> list[tuple[int, int, str]]:
    """The capitalised runs of a sentence, without the function words, months and question words at
    their ends ("On January", "Arba Minch Marburg" asked about Marburg -> "Arba Minch"); a lone word
    opening the sentence ("Meanwhile", "Additionally") is no name."""
    def generic(w: str) -> bool:
        w = w.lower().strip(".,'’")
        return w in _NOT_NAME or w in asked or root(w) in asked

    out = []
    for m in _CAP_RUN.finditer(sent):
        words = m.group(0).split()
        while words and generic(words[0]):
            words.pop(0)
        while words and generic(words[-1]):
            words.pop()
        if not words:
            continue
        text = " ".join(words)
        start = sent.find(text, m.start())
        if text.endswith(".") and len(words[-1]) > 2:
            text = text[:-1]
        if len(words) == 1 and not sent[:start].strip(" \"'“(-") and not text.isupper():
            continue
        if len(words) > 1 and text.isupper():
            continue  # "HUMANITARIAN RESPONSE": a heading, not a name
        out.append((start, start + len(text), text))
    return out


def is_name(text: str) -> bool:
    """A capitalised run and nothing else: "Plateau", "Mash West", "FCT", not "Contacts under follow up"."""
    return bool(_CAP_RUN.fullmatch(text.strip()))


def typed_spans(kind: str, sent: str, asked: set[str], question: str = "",
                report_date: str = "") -> list[tuple[int, int, str]]:
    """The answers of `kind` in a sentence that the question does not already write, as (start, end, text);
    a date is neither one the question writes nor the report's own (`report_date`, ISO: the date a
    heading glued to the sentence gives, "Briefing - 14 May 2025").

    >>> typed_spans("person", "The ceremony was led by Agune Ashole Alto, head of the zone.", {"ceremony", "led"})
    [(24, 41, 'Agune Ashole Alto')]
    >>> typed_spans("date", "Approved on May 8; requested on Mar 27.", set(), "approved on 8 May 2025")
    [(32, 38, 'Mar 27')]
    """
    if kind == "date":
        asked_dates = {_date_key(m) for m in _DATE_SPAN.finditer(question)}
        if report_date[8:10].isdigit():
            asked_dates.add((report_date[8:10].lstrip("0"), report_date[5:7].lstrip("0")))
        out = [(m.start(), m.end(), m.group(0)) for m in _DATE_SPAN.finditer(sent) if _date_key(m) not in asked_dates]
        if not out and _YEAR_ASKED.search(question):
            out = [(m.start(), m.end(), m.group(0)) for m in _YEAR.finditer(sent) if m.group(0) not in question]
        return out
    out = []
    for start, end, text in _runs(sent, asked):
        if kind == "person" and not _is_person(sent, start, end, text):
            continue
        if kind == "place" and (_NO_PLACE_AFTER.match(sent, end) or _DISEASE.search(text)):
            continue  # "Sudan Virus Disease", "Lassa fever", "Grade 2": a disease or a grade, not a place
        out.append((start, end, text))
    return out


# what after a name makes it no place: a disease's words, or a number ("Grade 2", "Phase 4", "Week 31")
_DISEASE = re.compile(r"\b(?:virus|disease|fever|ha?emorrhagic|flu|influenza)\b", re.I)
_NO_PLACE_AFTER = re.compile(rf"\s+{_DISEASE.pattern}|\s+\d", re.I)


_TITLE_BEFORE = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Hon|Sir|Madam|Minister|Director|Coordinator|Officer|"
                           r"President|Governor|Mayor|Chief)\.?|\bby|\bcontact|:|,\s*led\s+by)\s*$", re.I)


def _is_person(sent: str, start: int, end: int, text: str) -> bool:
    """Two to four name words, none a word of bodies or places ("Red Cross", "Province"), with a cue
    that a person is named: a title or "by" before it, a middle initial, or a role after a comma
    ("Agune Ashole Alto, the Director")."""
    words = [w.strip(".,'’") for w in text.split()]
    if not 2 <= len(words) <= 4 or any(w.lower() in _BODY_WORDS or w.isupper() and len(w) > 1 for w in words):
        return False
    if any(len(w) == 1 for w in words[1:-1]) or _TITLE_BEFORE.search(sent[:start]):
        return True
    return bool(_ROLE_AFTER.match(sent[end:]))


_ROLE_AFTER = re.compile(r"\s*[,(]\s*(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:Director|Head|Coordinator|Officer|Minister"
                         r"|Manager|Chief|President|Secretary|Representative|Lead|Chair|Governor|Mayor|Commissioner"
                         r"|Focal|Advisor|Adviser|Deputy|Country)", re.I)


def nearest(spans: list[tuple[int, int, str]], sent: str, asked: set[str], noun: str = "", kind: str = "") -> str:
    """The span to give as the short answer: one outside parentheses ("Fontamara, Port-au-Prince
    (West)"), next to the noun the question asks for ("Jinka town", "the village of Amparafa"), of
    several words for a body or a person ("World Vision International", not "Transfer"), and nearest
    the question's words in the sentence."""
    spots = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", sent) if root(m.group(0).lower()) in asked]

    def key(span):
        start, end, text = span
        in_parens = sent[:start].count("(") > sent[:start].count(")")
        named = 2  # "Jinka town", "Immaculée Conception Hospital" (0) before "the village of Amparafa" (1)
        if noun and (re.search(rf"\b{re.escape(noun)}", text.lower())
                     or re.match(rf"\s*{re.escape(noun)}", sent[end:end + 20].lower())):
            named = 0
        elif noun and re.search(rf"\b{re.escape(noun)}\s+of\s+(?:the\s+)?$", sent[:start].lower()):
            named = 1
        single = len(text.split()) == 1 and not text.isupper()
        gap = min((max(a - end, start - b, 0) for a, b in spots), default=0)
        return (in_parens, named, single and kind in ("organisation", "person"), gap)

    return min(spans, key=key)[2]


_NOUN = re.compile(rf"\b(?:which|what)\s+(?:[\w'-]+\s+){{0,3}}?(?P<noun>{_PLACE_NOUNS}|{_ORG_NOUNS})\b", re.I)


def asked_noun(question: str) -> str:
    """The noun a "which" question asks for, singular and lower case ("in which town" -> "town")."""
    m = _NOUN.search(question)
    if not m:
        return ""
    n = m.group("noun").lower()
    return re.sub(r"(?:ies|s)$", lambda x: "y" if x.group(0) == "ies" else "", n) if len(n) > 3 else n


def listed(spans: list[tuple[int, int, str]], sent: str, short: str) -> str:
    """The list a span stands in ("Nippes, Grand'Anse, and Sud"), for a question that asks for several.

    >>> s = "The departments of Nippes, Grand'Anse, and Sud were hit; Haiti too."
    >>> listed(_runs(s), s, "Grand'Anse")
    "Nippes, Grand'Anse, and Sud"
    """
    i = next((k for k, sp in enumerate(spans) if sp[2] == short), None)
    if i is None:
        return short
    lo = hi = i
    joint = re.compile(r"\s*(?:,|,?\s*(?:and|&))\s*")
    while lo > 0 and joint.fullmatch(sent[spans[lo - 1][1]:spans[lo][0]]):
        lo -= 1
    while hi + 1 < len(spans) and joint.fullmatch(sent[spans[hi][1]:spans[hi + 1][0]]):
        hi += 1
    return sent[spans[lo][0]:spans[hi][1]]


def span_of(sent: str, short: str) -> tuple[int, int] | None:
    i = sent.find(short) if short else -1
    return (i, i + len(short)) if i >= 0 else None
