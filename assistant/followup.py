"""Follow-up questions: a question + the conversation's previous turn -> the question to answer.

A question that leaves out its subject, place, report or period ("And how many deaths?") takes them
from the previous question, and says so ("about Marburg virus disease in Ethiopia, as in your
previous question"). Pure functions over `question.parse_question`'s results, no model.

>>> first = resolve("How many confirmed cases of Marburg virus disease are there in Ethiopia?")
>>> first.assumed
''
>>> second = resolve("And how many deaths?", first)
>>> second.question
'And how many deaths of Marburg virus disease in Ethiopia?'
>>> second.assumed
'about Marburg virus disease in Ethiopia, as in your previous question'
>>> resolve("And in Colombia?", resolve("How many refugees live in Peru?")).question
'How many refugees live in Colombia?'
>>> resolve("How many persons received hygiene kits?", first).assumed  # a question of its own
''
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.question import _find_countries, find_dates, parse_question
from indexer.records import ReportMeta

__all__ = ["Turn", "resolve", "resolve_history"]


@dataclass(frozen=True)
class Turn:
    """One question as it was answered: its own words, what it was taken to mean, and its reports."""

    asked: str  # as the user wrote it
    question: str  # with what it inherited written in (what was answered)
    reports: tuple[str, ...] = ()  # the reports it named or inherited (file names)
    assumed: str = ""  # "about X in Y, as in your previous question", or ""


# A question is read as a follow-up when it opens like one, points back, or is too short to stand alone.
_CUE = re.compile(r"^\s*(?:and|also|but|so|then|what\s+about|how\s+about|and\s+what\s+about)\b", re.I)
_BACK = re.compile(r"\b(?:there|then)\s*\??\s*$|\b(?:that|those|these|the\s+same)\s+"
                   r"(?:report|period|month|year|outbreak|crisis|country|place|area|time|emergency|disease)\b", re.I)
MAX_SHORT_WORDS = 4
_LEAD = re.compile(r"^\s*(?:and\s+what\s+about|what\s+about|how\s+about|and|also|but|so|then)\b[\s,]*", re.I)

# A subject or place: a prepositional phrase ("of Marburg virus disease", "by the floods",
# "in Harbour District"); it ends at the next preposition, verb or punctuation.
_PREP = r"(?:of|against|by|from|during|for|about|on|after|in|among|at|within)"
_STOP = rf"(?:{_PREP}|are|were|is|was|be|been|there|have|has|had|did|do|does|and|or|so|far|since|until|by|with)"
_PHRASE = re.compile(rf"\b(?P<prep>{_PREP})\s+(?P<body>(?:the\s+)?[\w'’-]+(?:\s+(?!{_STOP}\b)[\w'’-]+){{0,4}})",
                     re.I)
# Phrases that say what is counted or how, not what about: never inherited as a subject.
_GENERIC = frozenset("""the a an people persons individuals children women men households families
refugees migrants total number numbers figure figures amount them it this that these those all each
time now date today far many much reports report assistance aid support funding""".split())


def _is_followup(question: str) -> bool:
    return bool(_CUE.search(question) or _BACK.search(question)
                or len(re.findall(r"[\w'’-]+", question)) <= MAX_SHORT_WORDS)


def _scope_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names a country or a period (those are inherited apart from the subject)."""
    _, spans = _find_countries(text)
    return spans + [(d.start, d.end) for d in find_dates(text)]


def _subjects(text: str) -> list[str]:
    """The question's subject and place phrases, in order ("of Marburg virus disease")."""
    scope = _scope_spans(text)
    out = []
    for m in _PHRASE.finditer(text):
        body = m.group("body")
        a, b = m.start("body"), m.end("body")
        if any(a < e and s < b for s, e in scope):
            continue  # a country or a date: inherited as such
        words = [w.lower() for w in re.findall(r"[\w'’-]+", body)]
        if all(w in _GENERIC for w in words):
            continue
        out.append(f"{m.group('prep')} {body}")
    return out


def _country_phrases(text: str) -> list[str]:
    _, spans = _find_countries(text)
    return [text[a:b].strip() for a, b in spans]


def _period_phrase(text: str, period_text: str) -> str:
    if not period_text:
        return ""
    at = text.find(period_text)
    before = text[max(0, at - 12):at] if at >= 0 else ""
    lead = re.search(rf"\b({_PREP}|since|until|between|as\s+of)\s+$", before, re.I)
    return f"{lead.group(1)} {period_text}" if lead else f"in {period_text}"


def _strip(text: str, phrases: Iterable[str]) -> str:
    for p in phrases:
        if p:
            text = re.sub(rf"\s*\b(?:in|of|for|during|since|as\s+of)?\s*{re.escape(p)}", "", text, count=1,
                          flags=re.I)
    return text


def _title(name: str, catalogue: Sequence[tuple[str, ReportMeta]]) -> str:
    for n, meta in catalogue:
        if n == name:
            return meta.title or name
    return name


def resolve(question: str, previous: Turn | None = None,
            catalogue: Sequence[tuple[str, ReportMeta]] = ()) -> Turn:
    """The question as it is to be answered, given the previous turn of the conversation."""
    question = " ".join((question or "").split())
    q = parse_question(question, catalogue)
    own = Turn(asked=question, question=question, reports=q.reports)
    if previous is None or not _is_followup(question):
        return own
    p = parse_question(previous.question, catalogue)
    if not q.measure_words and (q.countries or q.period_text or q.reports or q.report_named):
        # "And in Colombia?": the previous question again, with this one's place, period or report
        base = previous.question.rstrip(" ?")
        if q.countries:
            base = _strip(base, _country_phrases(previous.question))
        if q.period_text:
            base = _strip(base, [p.period_text])
        tail = _LEAD.sub("", question).rstrip(" ?")
        if not re.match(rf"(?:{_PREP}|since|until|between|as\s+of)\b", tail, re.I):
            tail = f"in {tail}"
        reports = q.reports or (() if q.report_named else previous.reports)
        return Turn(question, f"{base} {tail}?", reports, f"“{base}”, as in your previous question")
    inherited: list[str] = []
    subjects = _subjects(question)
    if not subjects:
        inherited += [s for s in _subjects(previous.question) if s.lower() not in question.lower()]
    if not q.countries:
        inherited += _country_phrases(previous.question)
    if not q.period_text and p.period_text:
        inherited.append(_period_phrase(previous.question, p.period_text))
    reports: tuple[str, ...] = q.reports
    report_note = ""
    if not q.reports and not q.report_named and previous.reports:
        reports = previous.reports
        report_note = "in " + ", ".join(_title(n, catalogue) for n in reports)
    if not inherited and not report_note:
        return own
    rewritten = f"{question.rstrip(' ?')} {' '.join(inherited)}?" if inherited else question
    said = " ".join(inherited)
    if subjects or not said:
        note = " ".join(b for b in (said, report_note) if b)
    else:
        note = " ".join(b for b in (re.sub(r"^(?:of|against|by|from|for|on)\s+", "about ", said), report_note) if b)
    return Turn(question, rewritten, reports, f"{note}, as in your previous question")


def resolve_history(questions: Sequence[str], catalogue: Sequence[tuple[str, ReportMeta]] = ()) -> Turn | None:
    """The last turn of a conversation (questions oldest first), each read against the one before."""
    turn = None
    for text in questions:
        if text and text.strip():
            turn = resolve(text, turn, catalogue)
    return turn
