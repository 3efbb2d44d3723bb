"""Question -> Answer: scope, retrieval, fact matching, arithmetic, extractive answers, abstention.

The invariant: every number in an answer's text is a fact whose cited quote contains it (after
normalising); computed figures (sums) show their operands, which are. `check_numbers` (text.py)
enforces it, and an answer failing it is not given. The features added to the matcher's: features.py.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant import rank as ranking
from assistant.answer import Answer, ComputedDetail, FactDetail, Source, Update, UpdatesDetail
from assistant.context import lead_share
from assistant.extract import EXTRACT_HITS, Extractor
from assistant.features import (
    _CHANGE_ASKED,
    Asked,
    asked,
    asks_one_month,
    cell_features,
    cover_gap,
    name_features,
    pool_features,
    recency,
    section_country,
    spans_months,
)
from assistant.match import FactEntry, FactMatcher, Prune, query_words
from assistant.question import Query, country_words, parse_question
from assistant.retrieve import Hit
from assistant.text import (
    check_numbers,
    figure_text,
    locate,
    number_key,
    phrase,
    proper_names,
    tidy,
    traced,
)

if TYPE_CHECKING:
    from assistant.engine import Loaded

# names defined in text.py since issue #15 (they were here before), still imported from here
__all__ = ["Composer", "check_numbers", "figure_text", "locate", "number_key", "phrase", "proper_names", "tidy"]

NUMERIC = ("count", "money", "percent", "quantity")
# When to trust the best fact: the probability that it is right (assistant.rank: fitted on the
# development questions, from its score and its lead over the best fact giving another figure) is at
# least the fitted threshold. Anything else abstains and shows the closest facts.
UPDATE_SLACK = 0.5  # how far under the best score another report's figure may be to count as an update
POOL = 40  # candidates kept per question after the matcher's first scoring
COUNTRY_WINDOW = 1200  # characters before a fact in which a regional report names the country
_HOW_MANY = re.compile(r".*\bhow\s+many\b", re.I)


class Composer:
    """Answers questions against one loaded index generation."""

    def __init__(self, state: Loaded, encode: Callable[[list[str]], np.ndarray] | None = None):
        self.s = state
        self.encode = encode  # the embedding model, to weigh a non-numeric answer's sentences by meaning

    # -- scope -----------------------------------------------------------------------------------

    def scope(self, q: Query, reports: Sequence[str] | None) -> tuple[set[int] | None, str]:
        """Allowed report ids (None: all) and, when nothing can answer, the reason."""
        s = self.s
        allowed: set[int] | None = None
        if reports:
            allowed = {s.by_name[n] for n in reports if n in s.by_name}
            if not allowed:
                return set(), "none of the selected reports is in the index"
        if q.reports:
            picked = {s.by_name[n] for n in q.reports if n in s.by_name}
            if q.countries and not any(self._covers(rid, q.countries) for rid in picked):
                # the name fits a report about another place ("IFRC's DREF final report" on the India
                # floods matched the Jamaica one): the place wins; which report, the words decide
                # (the title_match feature)
                picked = self._covering(q.countries) or picked
            allowed = picked if allowed is None else allowed & picked
            if not allowed:
                return set(), "the report the question names is not among the selected reports"
        elif q.report_named:
            return set(), "no indexed report matches the report the question names"
        if q.countries:
            covered = [c for c in q.countries if (s.covering(c) if allowed is None else s.covering(c) & allowed)]
            if not covered:
                country = q.countries[0]
                if reports and s.covering(country):
                    return set(), (f"{country} is in the index, but outside the reports you selected: "
                                   "search all reports to include it")
                return set(), f"no indexed report covers {country}"
            # a second country no report covers is an origin or a donor ("South Sudanese refugees in
            # Ethiopia"), not the place asked about: the covered one scopes the question
            allowed = self._covering(covered) if allowed is None else self._covering(covered) & allowed
        return allowed, ""

    def _covering(self, countries: Sequence[str]) -> set[int]:
        """The reports about one of the countries, or naming it at least three times (`Loaded.covering`)."""
        return set().union(*(self.s.covering(c) for c in countries))

    def _covers(self, rid: int, countries: Sequence[str]) -> bool:
        """The report is about one of the countries, or names it at least three times (`Loaded.covering`)."""
        return any(rid in self.s.covering(c) for c in countries)

    def _fact_in_country(self, e: FactEntry, countries: Sequence[str]) -> bool:
        """In a report about another country, a fact counts only when its sentence or heading
        names the country."""
        r = self.s.reports[e.report_id]
        own = f"{r.country} {r.title}".lower()
        if any(c.lower() in own for c in countries):
            return True
        text = f"{e.fact.heading} {e.fact.sentence} {e.fact.label}".lower()
        if any(c.lower() in text for c in countries):
            return True
        # or the section it sits in: the country named shortly before it on the page
        page = self.s.reader.page_text(e.report_id, e.fact.page) or ""
        return section_country(page[max(0, e.fact.start - COUNTRY_WINDOW):e.fact.start], countries)

    def _years_ok(self, q: Query, e: FactEntry) -> bool:
        if not q.date_from or q.date_from.startswith("--"):
            return True
        years = {str(y) for y in range(int(q.date_from[:4]), int((q.date_to or q.date_from)[:4]) + 1)}
        r = self.s.reports[e.report_id]
        own = f"{r.date} {r.period} {r.title}"
        if q.report_named and r.date[:4].isdigit():
            own += f" {int(r.date[:4]) - 1}"  # a named report published the year after the events it reports
        if any(y in own for y in years):
            return True
        return any(y in e.fact.sentence for y in years)

    # -- answering -------------------------------------------------------------------------------

    def answer(self, question: str, qvec: np.ndarray, reports: Sequence[str] | None) -> Answer:
        q = parse_question(question, self.s.catalogue)
        allowed, why = self.scope(q, reports)
        if allowed is not None and not allowed:
            return self.abstain(q, [], [], why)
        countries = country_words(question)  # "Sri Lankan" names a country, even when the index never writes it
        unknown = [n for n in proper_names(question) if n.lower() not in countries and not self.s.knows_name(n)]
        if unknown:  # "the weather in Paris": the question is about something no report mentions
            return self.abstain(q, [], [], f"no indexed report mentions {unknown[0]}")
        numeric = q.expected in NUMERIC or (q.expected == "duration" and bool(_HOW_MANY.match(q.text)))
        # a figure's passages boost its facts; a sentence answer is chosen from more of them
        hits = self.s.retriever.search(question, qvec, k=8 if numeric else EXTRACT_HITS, allowed=allowed)
        extractor = Extractor(self)
        if q.aggregate:
            agg = extractor.aggregate(q, qvec, allowed, hits, numeric)
            if agg is not None:
                return agg
        if numeric:
            return self.numeric(q, qvec, allowed, hits)
        return extractor.sentence(q, qvec, hits)

    def _boosts(self, hits: list[Hit]) -> dict[tuple[int, int, int], float]:
        """Facts whose sentence lies in a top passage get a bonus by the passage's rank."""
        out: dict[tuple[int, int, int], float] = {}
        for rank, h in enumerate(hits):
            bonus = 0.12 * (1.0 - rank / max(1, len(hits)))
            for page, start, sentence_start in self.s.fact_places(h.report_id, h.page, h.page_end):
                if h.page == h.page_end and not (h.start <= start < h.end):
                    continue
                key = (h.report_id, page, sentence_start)
                out[key] = max(out.get(key, 0.0), bonus)
        return out

    def candidates(self, q: Query, qvec: np.ndarray, allowed: set[int] | None,
                   hits: list[Hit]) -> list[tuple[float, FactEntry, dict[str, float]]]:
        """Every candidate fact that passes the scope filters, with its features and fitted score, best first."""
        w = ranking.load()
        acronyms = self.s.expand_acronyms(query_words(q))
        weighted = self.s.matcher.weighted(q, acronyms, allowed)
        titles = self.s.title_match(q.text)
        ask = asked(q, acronyms)
        one_month = asks_one_month(q)
        keep = self._in_scope(q, one_month)
        own_of = self.s.own_words({p for n in ask.names for p in n}, q.text)
        cands = self.s.matcher.candidates(q, qvec, allowed, self._boosts(hits),
                                          prune=self._prune(ask, titles, keep, own_of), weighted=weighted)
        for c in cands:
            c.feats["title_match"] = titles.get(c.entry.report_id, 0.0)
        # those `_prune` read as it went have their name features already (the same, made from the same entry)
        name_features(ask, [c for c in cands if "names" not in c.feats], own_of)
        for name, gap in ranking.RELATIVE.items():  # how far each candidate is behind the best one
            best = max((c.feats.get(name, 0.0) for c in cands), default=0.0)
            for c in cands:
                c.feats[gap] = c.feats.get(name, 0.0) - best
        scored = sorted(((w.score(c.feats), c.entry, c.feats) for c in cands), key=lambda t: t[0], reverse=True)
        out = []
        wants_change = bool(_CHANGE_ASKED.search(q.text))
        # the pool features and `words_own` read the fact, its report's words and its page's first line: made once
        # for the copies of a fact (`Content`) whose reports' words and page line are the same
        content = {c.entry.id: c.content for c in cands}
        pooled: dict[tuple, tuple[dict[str, float], float | None]] = {}
        page_text = functools.cache(self.s.reader.page_text)  # `words_lead` reads a page once a question
        for sc, e, feats in scored:
            if len(out) == POOL:
                break
            if not keep(e):
                continue
            own = own_of(e.report_id)
            top = self._page_top(e.report_id, e.fact.page) if q.countries else ""
            same = (content[e.id] if content[e.id] is not None else e.id, own, top)
            if same not in pooled:
                unnamed = [(w, idf) for w, idf in weighted if w not in own]
                made = pool_features(q, e, ask.words, own, wants_change, top, ask.places)
                made["words_lead"] = lead_share(unnamed, e, page_text)
                pooled[same] = (made, FactMatcher.word_share(unnamed, e) if unnamed else None)
            made, words_own = pooled[same]
            feats.update(made)
            feats["cell_meaning_gap"] = feats["meaning_gap"] if e.fact.kind in ("table_cell", "key_figure") else 0.0
            feats["words_own"] = feats["words"] if words_own is None else words_own
            out.append((sc, e, feats))
        recency(q, out, self.s.reports)
        cover_gap(out, ask)
        out = [(w.score(feats), e, feats) for _, e, feats in out]
        out.sort(key=lambda t: t[0], reverse=True)
        return out

    def _in_scope(self, q: Query, one_month: bool) -> Callable[[FactEntry], bool]:
        """Whether a candidate may be kept among the POOL best: in the country asked about, of the years
        asked about, and not a span of months for one month ("calls in October" is never "calls between
        January and October"). The POOL best are those that pass: in a register of many countries (a
        regional bulletin) the asked country's rows would otherwise rank under 40 of the others'."""
        decided: dict[int, bool] = {}  # fact id -> kept: the pruning and the pool both ask

        def keep(e: FactEntry) -> bool:
            if e.id not in decided:
                decided[e.id] = (not q.countries or self._fact_in_country(e, q.countries)) \
                    and self._years_ok(q, e) and not (one_month and spans_months(e))
            return decided[e.id]
        return keep

    def _prune(self, ask: Asked, titles, keep: Callable[[FactEntry], bool],
               own_of: Callable[[int], frozenset[str]]) -> Prune:
        """Which candidates get an entry (`match.Prune`): those that settle the best of each RELATIVE
        feature (the gaps are measured from it), then those whose score can still reach the POOL best,
        taken by the most their score can be, from the ranges of their features. The POOL best and every
        gap are those of making every entry; a feature outside its stated range makes every entry."""
        w = ranking.load()
        def take(leads, bounds, out):
            b = bounds(leads)  # every lead's ranges (assistant.bounds), with the features added here
            n = len(leads)
            zero = np.zeros(n)
            title = np.array([titles.get(lead.report_id, 0.0) for lead, _ in leads])
            b.add("title_match", title, title)
            names, missing_lo, missing_hi = np.zeros(n), np.zeros(n), np.zeros(n)
            for i, (lead, _) in enumerate(leads) if ask.names else ():
                own = own_of(lead.report_id)
                asked = [nm for nm in ask.names if not own.issuperset(nm)]
                found = any(all(lead.has(p) for p in nm) for nm in asked)
                names[i] = float(found)
                missing_lo[i], missing_hi[i] = (0.0, 1.0) if found else (float(bool(asked)),) * 2
            b.add("names", zero, names)
            b.add("names_missing", missing_lo, missing_hi)
            made: dict = {}  # exact: from the fact alone, made once for its copies (`Content`)
            cells = [made[k] if k in made else made.setdefault(k, cell_features(ask, lead))
                     for lead, _ in leads for k in [lead.content if lead.content is not None else lead.id]]
            for name in ("cell_row", "cell_both", "cell_cover", "panel_cover"):
                exact = np.array([c[name] for c in cells])
                b.add(name, exact, exact)
            kept = np.flatnonzero(b.kept)
            row = {leads[i][0].id: i for i in kept.tolist()}
            best = dict.fromkeys(ranking.RELATIVE, -math.inf)
            pool: list[float] = []  # the POOL best order scores made so far (a heap)
            state = {"seen": 0, "trusted": True}

            def read_made() -> None:
                for c in out[state["seen"]:]:
                    # the features `candidates` adds to every candidate, added here once (it leaves them)
                    feats = c.feats
                    feats["title_match"] = titles.get(c.entry.report_id, 0.0)
                    name_features(ask, [c], own_of, lambda e: cells[row[e.id]])
                    if not b.holds(row[c.entry.id], feats):
                        state["trusted"] = False
                    for name in best:
                        best[name] = max(best[name], feats.get(name, 0.0))
                    if keep(c.entry):  # (the POOL best are those in scope: `_in_scope`)
                        heapq.heappush(pool, w.order_score(feats))
                    if len(pool) > POOL:
                        heapq.heappop(pool)
                state["seen"] = len(out)

            taken: set[int] = set()
            for name in ranking.RELATIVE:
                most = b.hi[:, b.col(name)]
                for i in kept[np.argsort(-most[kept], kind="stable")].tolist():
                    read_made()
                    if state["trusted"] and best[name] >= most[i]:
                        break
                    if i not in taken:
                        taken.add(i)
                        yield leads[i]
            most = w.order_upper(b.names, b.lo, b.hi)  # the most each lead's order score can be
            for i in kept[np.argsort(-most[kept], kind="stable")].tolist():
                if i in taken:
                    continue
                read_made()
                if state["trusted"] and len(pool) == POOL and most[i] < pool[0] - 1e-5:
                    break  # every lead left scores under the POOL made
                taken.add(i)
                yield leads[i]

        return take

    def _page_top(self, rid: int, page: int) -> str:
        """The first line of a page's text (a running header or the page's title), at most 150 characters,
        a figure glued to a word parted from it ("Overview: Nigeria2017")."""
        text = self.s.reader.page_text(rid, page) or ""
        line = text[:text.find("\n")][:150] if "\n" in text else text[:150]
        return re.sub(r"(?<=[^\W\d_])(?=\d)", " ", line)

    def explain(self, question: str, qvec: np.ndarray, reports: Sequence[str] | None, top: int = 5) -> list[dict]:
        """The best candidate facts for a question, each with its features and their contributions."""
        q = parse_question(question, self.s.catalogue)
        allowed, _ = self.scope(q, reports)
        if allowed is not None and not allowed:
            return []
        hits = self.s.retriever.search(question, qvec, k=8, allowed=allowed)
        w = ranking.load()
        out = []
        for sc, e, feats in self.candidates(q, qvec, allowed, hits)[:top]:
            out.append({"score": round(sc, 3), "value": e.fact.value, "figure": figure_text(e), "report": e.fact.report,
                        "page": e.fact.page, "clause": phrase(e),
                        "features": {k: round(v, 3) for k, v in feats.items() if v},
                        "contributions": {k: round(v, 3) for k, v in w.contributions(feats).items() if v}})
        return out

    def numeric(self, q: Query, qvec: np.ndarray, allowed: set[int] | None, hits: list[Hit]) -> Answer:
        cands = self.candidates(q, qvec, allowed, hits)[:12]
        ranked = [(sc, e) for sc, e, _ in cands]
        if not ranked:
            return self.abstain(q, hits, [], "no figure of the kind asked for in the reports searched")
        best_score, best = ranked[0]
        rival = next(((sc, e) for sc, e in ranked[1:] if not _same_value(e, best)
                      and not self._same_fact_elsewhere(e, best)), None)
        w = ranking.load()
        margin = best_score - rival[0] if rival else w.margin_cap
        confidence = w.confidence(best_score, margin)
        updates = [] if q.reports else self._updates(cands, best)
        if len(updates) > 1 and confidence >= w.threshold:
            return self.updates_answer(q, updates, hits, confidence)
        if confidence < w.threshold:
            close = rival is not None and margin < 0.1 * abs(best_score) + 0.05
            why = ("two figures match the question about equally well: "
                   + "; ".join(f"{figure_text(e)} ({self.s.reports[e.report_id].name}, p. {e.fact.page})"
                               for e in (best, rival[1])) if close
                   else "no figure in the reports matches the question closely enough")
            return self.abstain(q, hits, ranked, why, confidence)
        week = _WEEK_ASKED.search(q.text)
        if week and not self._names_week(best, int(week.group(1))):
            # "in week 32" is never answered from a page and report that say nothing of week 32
            return self.abstain(q, hits, ranked, f"no figure for week {int(week.group(1))} in the reports",
                                confidence)
        if _DEATHS & set(query_words(q)) and not _DEATHS & _words_of(best):
            # "how many were killed" is never answered by a figure that counts no deaths ("826 persons" housed)
            return self.abstain(q, hits, ranked, "the closest figure is not a count of deaths", confidence)
        if q.expected == "money" and best.fact.unit_kind != "money":
            # "how much funding" is never answered by a figure that is no amount of money ("EPI-WEEK: 12"). Held
            # out on the dev sets a money question's best figure without a currency was right 2 times in 11,
            # both "36 million Euro", a currency the extractor now reads
            return self.abstain(q, hits, ranked, "the closest figure is not an amount of money", confidence)
        return self.fact_answer(q, best, hits, confidence)

    def _names_week(self, e: FactEntry, n: int) -> bool:
        """The fact's page, or its report's title, period or file name, names week n ("week 32", "W32")."""
        r = self.s.reports[e.report_id]
        said = re.compile(rf"(?i)\bweek\s*(?:no\.?\s*)?0?{n}\b|\bw\s?0?{n}\b|epi-?week\W{{0,3}}0?{n}\b")
        own = f"{r.title} {r.period} {r.name.replace('_', ' ').replace('-', ' ')}"
        return bool(said.search(own) or said.search(self.s.reader.page_text(e.report_id, e.fact.page) or ""))

    def _same_fact_elsewhere(self, e: FactEntry, best: FactEntry) -> bool:
        return e.report_id != best.report_id and self._label_sim(e, best) > 0.9

    def _label_sim(self, a: FactEntry, b: FactEntry) -> float:
        v = self.s.matcher.vectors
        return float(v[a.id] @ v[b.id]) if a.id < len(v) and b.id < len(v) else 0.0

    def _updates(self, cands: list[tuple[float, FactEntry, dict[str, float]]], best: FactEntry) -> list[FactEntry]:
        """The same figure reported by several reports (updates over time), newest first. Scores are
        compared without the recency feature: an older report's figure is an update, not a worse match."""
        w = ranking.load()

        def timeless(sc: float, feats: dict[str, float]) -> float:
            return sc - w.coef.get("recency", 0.0) * feats.get("recency", 0.0)

        top = timeless(cands[0][0], cands[0][2])
        seen_reports = {best.report_id}
        group = [best]
        for sc, e, feats in cands[1:]:
            if e.report_id in seen_reports or timeless(sc, feats) < top - UPDATE_SLACK:
                continue
            if self._label_sim(e, best) < 0.85 or e.fact.unit_norm != best.fact.unit_norm:
                continue
            seen_reports.add(e.report_id)
            group.append(e)
        if len({e.fact.value for e in group}) < 2:
            return []
        return sorted(group, key=lambda e: self.s.reports[e.report_id].date, reverse=True)

    # -- answer builders -------------------------------------------------------------------------

    def source(self, e: FactEntry, score: float = 0.0) -> Source:
        f = e.fact
        r = self.s.reports[e.report_id]
        quote = tidy(f.sentence)
        highlight = locate(quote, f.text, f.start - f.sentence_start)
        page_label = self._page_label(e.report_id, f.page)
        return Source(report=r.name, title=r.title or r.name, publisher=r.publisher,
                      date=r.date, page=f.page, page_label=page_label, quote=quote,
                      highlight=highlight, score=round(score, 4))

    def _page_label(self, rid: int, page: int) -> str:
        return self.s.reader.page_label(rid, page) or str(page)

    def passage(self, h: Hit) -> Source:
        r = self.s.reports[h.report_id]
        return Source(report=r.name, title=r.title or r.name, publisher=r.publisher,
                      date=r.date, page=h.page, page_label=self._page_label(h.report_id, h.page),
                      quote=h.text, score=round(h.score, 4))

    def fact_answer(self, q: Query, e: FactEntry, hits: list[Hit], confidence: float) -> Answer:
        f = e.fact
        src = self.source(e, confidence)
        text = phrase(e)
        figure = figure_text(e)
        if not traced(text, f, src.quote):
            return self.abstain(q, hits, [(confidence, e)], "the figure could not be traced to its quote")
        return Answer(question=q.text, text=text, abstained=False, confidence=round(confidence, 3),
                      value=f.value, unit=f.unit.text if f.unit else "", unit_norm=f.unit_norm,
                      qualifier=f.qualifier.text if f.qualifier else "", figure=figure, kind=q.expected,
                      sources=(src,), passages=tuple(self.passage(h) for h in hits[:5]),
                      detail=FactDetail(e.id, f.kind, f.label))

    def updates_answer(self, q: Query, group: list[FactEntry], hits: list[Hit], confidence: float) -> Answer:
        sources = [self.source(e) for e in group]
        lines = [f"{figure_text(e)} (as of {src.date or 'an unknown date'})"
                 for e, src in zip(group, sources, strict=True)]
        newest = group[0].fact
        text = "The reports give different figures over time, newest first: " + "; ".join(lines) + "."
        if not check_numbers(text, [s.quote for s in sources]):
            return self.fact_answer(q, group[0], hits, confidence)
        return Answer(question=q.text, text=text, abstained=False, confidence=round(confidence, 3),
                      value=newest.value, unit=newest.unit.text if newest.unit else "",
                      unit_norm=newest.unit_norm, qualifier=newest.qualifier.text if newest.qualifier else "",
                      figure=figure_text(group[0]), kind=q.expected, sources=tuple(sources),
                      passages=tuple(self.passage(h) for h in hits[:5]),
                      detail=UpdatesDetail(tuple(Update(s.report, s.date, e.fact.value)
                                                 for s, e in zip(sources, group, strict=True))))

    def computed(self, q: Query, used: list[FactEntry], text: str, value: float, shown: str,
                 hits: list[Hit], op: str) -> Answer:
        sources = tuple(self.source(e) for e in used)
        if not check_numbers(text, [s.quote for s in sources], computed=[shown]):
            return self.abstain(q, hits, [], "the computed figure could not be traced to its operands")
        return Answer(question=q.text, text=text, abstained=False, confidence=0.75, value=value,
                      unit=used[0].fact.unit.text if used[0].fact.unit else "",
                      unit_norm=used[0].fact.unit_norm, figure=shown, kind=q.expected, sources=sources,
                      passages=tuple(self.passage(h) for h in hits[:5]), reason=f"computed: {op}",
                      detail=ComputedDetail(op, tuple(e.fact.value for e in used)))

    def abstain(self, q: Query, hits: list[Hit], ranked, why: str, confidence: float = 0.0) -> Answer:
        """"The reports don't say", with the closest evidence; `confidence` is the probability that
        the best figure would have been right (under the threshold)."""
        evidence = []
        seen = set()
        for sc, e in ranked[:6]:
            src = self.source(e, sc)
            if (src.report, src.page, src.quote) not in seen and len(evidence) < 3:
                seen.add((src.report, src.page, src.quote))
                evidence.append(src)
        passages = tuple(p for p in (self.passage(h) for h in hits[:3]) if (p.report, p.page, p.quote) not in seen)
        text = "The reports don't say"
        if why:
            text += f": {why}."
        return Answer(question=q.text, text=text, abstained=True, confidence=round(confidence, 3), kind=q.expected,
                      sources=tuple(evidence), passages=passages, reason=why)


_WEEK_ASKED = re.compile(r"(?i)\b(?:epi(?:demiological)?[- ]?)?week\s*(?:no\.?\s*)?(\d{1,2})\b(?!\s*[-–]\s*\d)")
_DEATHS = frozenset({"death", "kill"})  # roots of "deaths", "killed", "died", "fatalities", "deceased", "toll"


def _words_of(e: FactEntry) -> set[str]:
    """The rooted words of a fact's clause (its sentence for a table cell), label, unit and headers."""
    return set(e.context) | {w for w, at in e.positions.items() if any(e.in_clause[i] for i in at)}


def _same_value(a: FactEntry, b: FactEntry) -> bool:
    return abs(a.fact.value - b.fact.value) <= 1e-9 * max(1.0, abs(b.fact.value))
