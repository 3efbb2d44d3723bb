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

from assistant.question import Query, content_words, stem
from indexer.records import Fact

_TOK = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
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
    ctx_text = " ".join(filter(None, (fact.label, fact.unit.text if fact.unit else "", fact.row_header,
                                      fact.col_header, fact.sector, fact.heading)))
    return FactEntry(fid, fact, report_id, words, [w == "#" for w in words], num_index,
                     set(content_words(ctx_text)))


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
        words = [w for w in q.measure_words if w]
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
                near = 1.0 / (1.0 + max(0, d - 1) / 6.0)
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
            elif f.kind == "table_cell" and f.row_header and q.expected == "count":
                score -= 0.03
            scored.append((score, e))
        scored.sort(key=lambda t: t[0], reverse=True)
        return scored[:top]


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
