"""Query + fact table -> ranked facts: meaning, words near the number, unit, scope; table arithmetic.

A fact scores on
- meaning: cosine between the question and the fact's label (embedded at index time);
- words: question words found in the fact's sentence, weighted by rarity (IDF) and by how close
  they sit to the number (words across another number count less), plus its label and headers;
- passage: whether the fact's sentence is in a passage the hybrid retriever ranked high;
- unit: the expected answer (count, money, percent) rules out incompatible units;
- scope: sector and population group (table row/column headers) when the question names them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.question import STOPWORDS, Query, content_words, stem
from indexer.records import Fact

_TOK = re.compile(r"[^\W\d_]+|\d[\d,.]*")
_NUMTOK = re.compile(r"\d")

MONEY_UNITS = {"USD", "EUR", "CHF", "GBP", "HTG", "ETB", "PEN", "money"}
NON_COUNT_UNITS = MONEY_UNITS | {"percent"}


@dataclass
class FactEntry:
    """A fact with what matching needs precomputed."""

    id: int
    fact: Fact
    report_id: int
    tokens: list[str]  # stemmed tokens of the sentence
    is_num: list[bool]
    num_index: int  # token index of the number in the sentence
    context: set[str]  # stemmed words of label, unit, headers, sector, heading


def tokenize(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _TOK.finditer(text)]


def make_entry(fid: int, fact: Fact, report_id: int) -> FactEntry:
    toks = tokenize(fact.sentence)
    rel = fact.start - fact.sentence_start
    num_index = 0
    for i, (t, pos) in enumerate(toks):
        if pos <= rel < pos + len(t) or pos >= rel:
            num_index = i
            break
    words = [stem(t.lower()) if not _NUMTOK.match(t) else "#" for t, _ in toks]
    words = [w if w not in STOPWORDS else "" for w in words]
    ctx_text = " ".join(filter(None, (fact.label, fact.unit.text if fact.unit else "", fact.row_header,
                                      fact.col_header, fact.sector, fact.heading)))
    return FactEntry(fid, fact, report_id, words, [w == "#" for w in words], num_index,
                     set(content_words(ctx_text, stemmed=True)))


class FactMatcher:
    """Scores facts of one index against questions."""

    def __init__(self, entries: Sequence[FactEntry], vectors: np.ndarray):
        self.entries = list(entries)
        self.vectors = vectors
        docs = Counter()
        seen: set[str] = set()
        for e in self.entries:
            if e.fact.sentence in seen:
                continue
            seen.add(e.fact.sentence)
            docs.update(set(e.tokens) | e.context)
        n = max(1, len(seen))
        self.idf = {w: math.log(1 + n / c) for w, c in docs.items()}
        self.default_idf = math.log(1 + n)
        self.report_ids = np.array([e.report_id for e in self.entries], dtype=np.int64)

    def words_score(self, q: Query, e: FactEntry) -> float:
        words = query_words(q)
        if not words:
            return 0.0
        total = 0.0
        got = 0.0
        for w in words:
            idf = self.idf.get(w, self.default_idf)
            total += idf
            best = 0.0
            if w in e.context:
                best = 0.8
            for i, t in enumerate(e.tokens):
                if t != w:
                    continue
                lo, hi = sorted((i, e.num_index))
                between = sum(e.is_num[lo + 1:hi])
                d = hi - lo
                near = 1.0 / (1.0 + max(0, d - 2) / 10.0)
                if between:
                    near *= 0.45 ** between
                best = max(best, near)
            got += idf * best
        return got / total if total else 0.0

    def rank(self, q: Query, qvec: np.ndarray, allowed_reports: set[int] | None,
             passage_boost: dict[tuple[int, int, int], float], top: int = 10) -> list[tuple[float, FactEntry]]:
        """Best facts first, as (score, entry)."""
        if not self.entries:
            return []
        mask = np.ones(len(self.entries), dtype=bool)
        if allowed_reports is not None:
            mask &= np.isin(self.report_ids, list(allowed_reports))
        idx = np.nonzero(mask)[0]
        if not len(idx):
            return []
        sem = self.vectors[idx] @ qvec
        want_group = q.group
        people = wants_people(q) if q.expected == "count" else None
        months = [m for m in _MONTH_WORDS if m in q.period_text.lower()]
        scored = []
        for j, s in zip(idx, sem, strict=True):
            e = self.entries[j]
            f = e.fact
            if not unit_fits(q.expected, f):
                continue
            if want_group and f.kind == "table_cell" and norm_group(f.row_header) != want_group:
                continue
            lex = self.words_score(q, e)
            score = 0.55 * float(s) + 0.6 * lex
            score += passage_boost.get((e.report_id, f.page, f.sentence_start), 0.0)
            if q.sector:
                if _same(q.sector, f.sector) or _same(q.sector, f.col_header):
                    score += 0.15
                elif f.kind == "table_cell":
                    score -= 0.2
            if want_group:
                score += 0.15 if f.kind == "table_cell" else -0.1
            elif f.kind == "table_cell" and norm_group(f.row_header) in ("RMRP", "NO RMRP"):
                score -= 0.08
            if months:
                score += month_fit(months, e)
            if people is not None and f.unit:
                is_people = (f.unit_norm or "") in PEOPLE_UNITS or any(
                    stem(w) in PEOPLE_WORDS for w in f.unit.text.lower().split())
                score += 0.06 if is_people == people else -0.1
            scored.append((score, e))
        scored.sort(key=lambda t: t[0], reverse=True)
        return scored[:top]


_MONTH_WORDS = ("january february march april may june july august september october november "
                "december").split()
PEOPLE_WORDS = frozenset(stem(w) for w in """people persons individuals refugees migrants children women
men girls boys adolescents caregivers survivors students households families patients residents
beneficiaries asylum-seekers displaced deportees returnees pupils workers staff volunteers""".split())
PEOPLE_UNITS = frozenset({"people", "persons", "children", "women", "households", "families", "refugees",
                          "migrants", "individuals", "students", "patients", "girls", "boys", "men"})


def query_words(q: Query) -> list[str]:
    """Stemmed question words that say what is counted, plus month names of a named period."""
    words = [stem(w) for w in q.measure_words if w]
    low = q.period_text.lower()
    words += [m for m in _MONTH_WORDS if m in low]
    return list(dict.fromkeys(words))


def wants_people(q: Query) -> bool | None:
    """True when 'how many <people words>' asks for people, False for things, None when unclear."""
    m = re.search(r"\bhow\s+many\s+((?:[^\W\d_]+\s+){0,3}?[^\W\d_]+)\s+(?:were|was|are|is|did|do|does|have|has|had|"
                  r"received|got|benefit|reached|live|died|will|could)\b", q.text, re.I)
    if not m:
        return None
    head = [stem(w.lower()) for w in m.group(1).split()]
    if any(w in PEOPLE_WORDS for w in head):
        return True
    return False


def month_fit(months: list[str], e: FactEntry) -> float:
    """Bonus when the named month sits next to the number; a malus when only other months do."""
    near = [i for i, t in enumerate(e.tokens) if t in months and abs(i - e.num_index) <= 6]
    if near:
        return 0.12
    if any(t in _MONTH_WORDS for t in e.tokens):
        return -0.05
    return 0.0


def unit_fits(expected: str, f: Fact) -> bool:
    u = f.unit_norm or ""
    if expected == "money":
        return u in MONEY_UNITS
    if expected == "percent":
        return u == "percent"
    if expected == "count":
        return u not in NON_COUNT_UNITS
    return True


def norm_group(header: str) -> str | None:
    h = re.sub(r"[^a-z ]", " ", header.lower())
    h = " ".join(h.split())
    if not h:
        return None
    if re.search(r"\b(no|non|not|outside)\b.*rmrp|\bnon rmrp\b", h):
        return "NO RMRP"
    if "rmrp" in h:
        return "RMRP"
    return h.upper()


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a2, b2 = a.lower().replace(".", ""), b.lower().replace(".", "")
    return a2 == b2 or a2 in b2.split(" / ") or b2.startswith(a2) or a2.startswith(b2)
