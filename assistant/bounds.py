"""Leads -> the least and the most each matcher feature can be, before their entries are made, as columns.

`FactMatcher.candidates` reads a few hundred fact rows a question at 30 copies of the corpus (~170 leads a
numeric question) and makes entries only for those the composer's pruning takes (`compose.Composer._prune`).
The pruning needs, for every lead, each feature's range: exact where the fact and its stored words decide
(meaning, the `words` and `headers` shares from the stored nearness, passage, sector, kind, unit), else
what its stored words allow (bigrams, month, the unit's fit when the words around the number decide).
They are made here in one pass over the leads into two float arrays (least, most: a row a lead, a column a
feature), so that the pruning sorts and sums columns instead of a dict of ranges a lead (`Bounds`).
tests/test_match.py checks that every candidate's features lie in its row's ranges.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.question import Query
from assistant.units import _Unit, points_back, unit_fit
from indexer.entries import Lead, fact_unit
from indexer.records import Fact
from vocabulary.roots import month_roots as _month_roots
from vocabulary.roots import root, synonyms

# the matcher's features, in the order of the columns (`FactMatcher.candidates` computes each of them)
FEATURES = ("meaning", "words", "bigrams", "passage", "headers", "sector", "group_cell", "group_prose",
            "group_unasked", "month", "key_missing", "flow_for_stock", "unit_fit", "key_figure", "table_cell",
            "country_named", "qualifier", "unit_named", "no_currency", "in_parens", "comparison")


@dataclass
class Bounds:
    """Per lead (row) and feature (column) the least (`lo`) and the most (`hi`) the feature can be; `kept`
    False where the matcher drops the lead whatever its entry (its row is then meaningless)."""

    names: list[str]
    lo: np.ndarray  # (leads, features) float64
    hi: np.ndarray
    kept: np.ndarray  # (leads,) bool

    def add(self, name: str, lo: np.ndarray, hi: np.ndarray) -> None:
        """Another feature's column (the composer's: title_match, names, ...)."""
        self.names.append(name)
        self.lo = np.column_stack([self.lo, lo])
        self.hi = np.column_stack([self.hi, hi])

    def col(self, name: str) -> int:
        return self.names.index(name)

    def ranges(self, i: int) -> dict[str, tuple[float, float]] | None:
        """Lead i's ranges by feature name, or None when it is dropped whatever its entry."""
        if not self.kept[i]:
            return None
        return {n: (float(a), float(b)) for n, a, b in zip(self.names, self.lo[i], self.hi[i], strict=True)}

    def holds(self, i: int, feats: dict[str, float]) -> bool:
        """Whether a made candidate's features are those stated for lead i, each within its range."""
        if feats.keys() != set(self.names):
            return False
        got = np.fromiter((feats[n] for n in self.names), np.float64, len(self.names))
        return bool(np.all((self.lo[i] - 1e-9 <= got) & (got <= self.hi[i] + 1e-9)))


# one lead's values, in this order: the exact features, then the loose ones' least and most
_ROW = ("kept", "meaning", "words", "passage", "headers", "sector", "group_unasked", "key_missing", "key_figure",
        "table_cell", "country_named", "qualifier", "unit_named", "no_currency", "in_parens", "bigrams_hi",
        "month_lo", "month_hi", "fit_lo", "fit_hi")
_AT = {n: i for i, n in enumerate(_ROW)}


class LeadBounds:
    """The bounds of a question's leads (`__call__`), from what the question asks. Made by
    `FactMatcher.candidates` with the very words, units and filters its feature loop uses."""

    def __init__(self, q: Query, alts: list[tuple[float, Sequence[str]]], bigrams: list[tuple[str, str]],
                 key: str | None, months: list[str], stock: bool, compared: bool, head: str | None,
                 people: bool | None, qwords: set[str], passage_boost: dict[tuple[int, int, int], float],
                 scope_of: Callable[[Lead], float | None], sem_alone: float):
        self.q, self.alts, self.bigrams, self.months = q, alts, bigrams, months
        self.key_alts = synonyms(key) if key else ()
        self.has_key = bool(key)
        self.stock, self.compared = float(stock), float(compared)
        self.head, self.people, self.qwords = head, people, qwords
        self.boost, self.scope_of, self.sem_alone = passage_boost, scope_of, sem_alone
        self.month_roots, self.asked_roots = _month_roots(), [root(m) for m in months]
        self.units: dict[tuple, tuple] = {}  # (unit, unit_norm) -> (unit_fit range or None, unit_named)

    def _unit(self, f: Fact) -> tuple:
        at = (f.unit.text if f.unit else None, f.unit_norm)
        if at not in self.units:
            unit_words, people_unit = fact_unit(f)
            if self.head is None:
                fit = (0.0, 0.0)
            elif points_back(unit_words):  # "80 others": the figure before it and the words around decide
                fit = (-0.2, 0.2)
            elif unit_words:  # the unit decides (`unit_fit`)
                exact = unit_fit(self.head, self.people, _Unit(unit_words, people_unit))
                fit = None if exact is None else (exact, exact)
            else:  # the words around the number decide
                fit = (-0.2, 0.0 if self.head == "person" else 0.08)
            self.units[at] = (fit, float(any(a in unit_words for w in self.qwords for a in synonyms(w))))
        return self.units[at]

    def _row(self, lead: Lead, s: float) -> tuple:
        f, near = lead.fact, lead.near
        fit, unit_named = self._unit(f)
        if fit is None:
            return _DROPPED  # the loop drops it (`unit_fit`)
        share = share_near(self.alts, near)
        if share == 0.0 and s < self.sem_alone:
            return _DROPPED  # the loop drops it (no word shared, far in meaning)
        q = self.q
        cell = f.kind == "table_cell"
        if not self.months or near.keys().isdisjoint(self.month_roots):
            month = (0.0, 0.0)
        else:
            month = (-0.15, 0.25 if not near.keys().isdisjoint(self.asked_roots) else 0.0)
        named = bool(q.countries) and any(c.lower() in f"{f.label} {f.sentence} {f.heading}".lower()
                                          for c in q.countries)
        return (True, float(s), share, 0.0,  # the passage boost: its report's (`__call__`)
                share_context(self.alts, lead.context), self.scope_of(lead),
                float(not q.group and cell and norm_group(f.row_header) in ("RMRP", "NO RMRP")),
                float(self.has_key and not any(a in near for a in self.key_alts)), float(f.kind == "key_figure"),
                float(cell), float(named), float(f.qualifier is not None), unit_named,
                float(q.expected == "money" and not f.unit_norm), float(_in_parens(f)),
                float(min(2, sum(a in near and b in near for a, b in self.bigrams))), *month, *fit)

    def __call__(self, leads: list[tuple[Lead, float]]) -> Bounds:
        # a row is its fact's but the passage boost: made once for the copies of a fact (`Content`) of the
        # same meaning, the boost set for each copy
        made: dict[tuple, tuple] = {}
        listed = []
        for lead, s in leads:
            same = (lead.content if lead.content is not None else lead.id, s)
            if same not in made:
                made[same] = self._row(lead, s)
            listed.append(made[same])
        rows = np.array(listed, dtype=np.float64).reshape(-1, len(_ROW))
        n = len(rows)
        boost = np.fromiter((self.boost.get((lead.report_id, lead.fact.page, lead.fact.sentence_start), 0.0)
                             for lead, _ in leads), np.float64, n)
        rows[:, _AT["passage"]] = np.where(rows[:, 0] > 0, boost, 0.0)
        zero, group = np.zeros(n), float(bool(self.q.group))
        cell = rows[:, _AT["table_cell"]]
        cols: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name in FEATURES:
            if name in _AT:
                cols[name] = (rows[:, _AT[name]],) * 2
        cols["group_cell"] = (group * cell,) * 2
        cols["group_prose"] = (group * (1.0 - cell),) * 2
        cols["bigrams"] = (zero, rows[:, _AT["bigrams_hi"]])
        cols["month"] = (rows[:, _AT["month_lo"]], rows[:, _AT["month_hi"]])
        cols["flow_for_stock"] = (zero, np.full(n, self.stock))
        cols["unit_fit"] = (rows[:, _AT["fit_lo"]], rows[:, _AT["fit_hi"]])
        cols["comparison"] = (zero, np.full(n, self.compared))
        lo = np.column_stack([cols[name][0] for name in FEATURES]) if n else np.zeros((0, len(FEATURES)))
        hi = np.column_stack([cols[name][1] for name in FEATURES]) if n else np.zeros((0, len(FEATURES)))
        return Bounds(list(FEATURES), lo, hi, rows[:, 0] > 0)


_DROPPED = (False,) + (0.0,) * (len(_ROW) - 1)


def share_near(words: list[tuple[float, Sequence[str]]], near: dict[str, float]) -> float:
    """The `words` feature from a fact's stored nearness (`indexer.entries.nearness`): the IDF share of the
    question's words (each with its synonyms) weighed by the nearest any of them is to the number."""
    total = got = 0.0
    for idf, alts in words:
        total += idf
        got += idf * (near.get(alts[0], 0.0) if len(alts) == 1 else max([near.get(a, 0.0) for a in alts]))
    return got / total if total else 0.0


def share_context(words: list[tuple[float, Sequence[str]]], context: set[str] | frozenset[str]) -> float:
    """The `headers` feature: the IDF share of the question's words (or a synonym) among the fact's
    label, unit, headers, sector and heading words."""
    total = sum(idf for idf, _ in words)
    return sum(idf for idf, alts in words if not context.isdisjoint(alts)) / total if total else 0.0


def _in_parens(f: Fact) -> bool:
    """The number sits inside brackets in its sentence ("40% of households (double the 20% before)")."""
    rel = f.start - f.sentence_start
    before = f.sentence[:max(0, rel)]
    return before.count("(") > before.count(")")


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
