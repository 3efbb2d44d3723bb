"""Example questions from what is indexed: the index's facts (key figures first) -> questions that
the assistant answers with that very fact.

A fact's label reads as a question ("households were displaced by the floods" -> "How many
households were displaced by the floods?"); each candidate is asked, and kept only when the answer
gives that fact's figure from that report, so a suggestion never leads to "the reports don't say".
"""

from __future__ import annotations

import re

from indexer.numbers import CURRENCIES

MAX_CANDIDATES = 40
_MONEY_CODES = frozenset(CURRENCIES.values())  # the indexer's currency table: every code it normalises to
_VERB = re.compile(r"\b(?:were|was|are|is|have|has|had|received|reached|live|lived)\b", re.I)
_MONEY_NOUNS = {"requirement", "requirements", "required", "appeal", "budget", "gap"}
_WORDS = re.compile(r"^[A-Za-z][\w ,'’()-]{6,70}$")


def _label(fact: dict) -> str:
    label = " ".join((fact.get("label") or "").split())
    if label.isupper():
        country = fact.get("country") or ""
        label = label.lower()
        if country:
            label = re.sub(rf"\b{re.escape(country.lower())}\b", country, label)
    return label.strip(" .:;")


def question_for(fact: dict) -> str:
    """A question a fact answers, or '' when its label does not read as one."""
    label = _label(fact)
    if not _WORDS.match(label):
        return ""
    unit = fact.get("unit_norm") or ""
    if unit == "percent":
        return f"What percentage is {label.split()[-1]}?" if fact.get("kind") == "key_figure" else ""
    if unit in _MONEY_CODES:
        if fact.get("kind") != "key_figure":
            return ""
        last = label.split()[-1].lower()
        if last not in _MONEY_NOUNS:
            return ""
        funding = "funding " if "funding" in label.lower() else ""
        return f"What is the {funding}{last}?"
    if fact.get("kind") == "key_figure" or _VERB.search(label):
        if label.lower().startswith(("in ", "of ", "the ", "for ")):
            return ""
        return f"How many {label}?"
    return ""


def suggest(assistant, n: int = 4) -> list[str]:
    """Up to n questions over the index, at most one per report while others remain, newest first."""
    reports = {r["name"]: r for r in assistant.list_reports()}
    facts = sorted(assistant.list_facts(), key=lambda f: f["page"])
    facts.sort(key=lambda f: (reports.get(f["report"]) or {}).get("date") or "", reverse=True)
    facts.sort(key=lambda f: f["kind"] != "key_figure")
    candidates, seen = [], set()
    for f in facts:
        q = question_for(f)
        if q and q.lower() not in seen:
            seen.add(q.lower())
            candidates.append((q, f))
        if len(candidates) >= MAX_CANDIDATES:
            break
    if not candidates:
        return []
    answers = assistant.ask_many([q for q, _ in candidates])
    good: list[tuple[str, str]] = []
    for (q, f), a in zip(candidates, answers, strict=True):
        if a.abstained or not a.sources or a.value is None or f["value"] is None:
            continue
        if a.sources[0].report == f["report"] and abs(a.value - f["value"]) <= 1e-6 * max(1.0, abs(f["value"])):
            good.append((q, f["report"]))
    out, used = [], set()
    for q, report in good:  # one per report first, then the rest
        if report not in used and len(out) < n:
            out.append(q)
            used.add(report)
    out += [q for q, _ in good if q not in out][: n - len(out)]
    return out
