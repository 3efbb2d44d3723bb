"""Non-numeric answers: a question that wants a date, a person, a place, an organisation or a sentence
("when", "who", "where", "which agency"), and "which X had the most Y", in; an Answer out whose first
line is the short answer (the date or name found in the chosen sentence, the table row that holds the
largest figure) and whose next line is the sentence it came from, cited by report and page.

Why a sentence is chosen as it is:
- Candidates are the sentences of the EXTRACT_HITS best passages. A report's cover or title block ("Flash
  Floods Santchou Timeframe: 26 Aug 17 to 26 Nov 17 Appeal Launch Date: ...") is no sentence: it holds
  the words that name the report, so it used to win. Such a run (named by the rule that finds it:
  COVER_RULES) is cut into its "Label: value" fields, and a field is a candidate only for a question
  whose own words (not those naming the report) are in its label: "Date of disaster: 3 October 2016"
  answers "the date of the disaster", "Timeframe: 26 Aug 17 to 26 Nov 17" no "when did the floods hit".
- The question's words count by their IDF, except those that name the sentence's report (its title,
  publisher and file name: `Loaded.report_words`): "Santchou" in a question about the Santchou report
  is in every sentence of it, and says nothing about which one answers.
- The asked kind of answer must be in the sentence, outside the question's own words: a date for
  "when", a person's name for "who", a place for "where" or "which town", a body for "which agency".
  A sentence without one is passed over for the next.
- "Which X had the most Y" is the row of the largest cell down the one table column whose header fits
  Y (total rows left out); without such a column, a sentence that states the superlative ("the Province
  with the highest number") or gives the places' shares ("Edo (48%), Ondo (26%)"); never a figure.
What a sentence holds (cover blocks and their fields, the dates and names of each kind, the one to give
first) is read by spans.py, text in and text out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer import AggregateDetail, Answer, SentenceDetail, Source
from assistant.match import norm_group, query_words, root, synonyms, unit_fits
from assistant.question import Query, content_words, find_countries
from assistant.retrieve import Hit
from assistant.spans import answer_type, asked_noun, candidates, is_name, listed, nearest, span_of, typed_spans
from assistant.text import _format_like, _header_is, _kind_bonus, proper_names

if TYPE_CHECKING:
    from assistant.compose import Composer

EXTRACT_HITS = 16  # passages whose sentences a non-numeric answer is chosen from
# where a wrong sentence (two abstentions' cost) stops paying: `python bench/text_answers.py --sweep`
SENTENCE_MIN = 0.431
SENTENCE_RERANK = 8  # a non-numeric answer's best sentences by words, re-weighed by meaning
RERANK_CHARS = 320  # of each, the start the model reads (the batch pads to its longest)
MAX_SENTENCE_CHARS = 600
KIND_BONUS = 0.15  # a sentence holding the asked kind of answer (a date for "when")
_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})

# -- "which X had the most Y" --------------------------------------------------------------------

_TOTAL_ROW = re.compile(r"(?i)\b(?:total|totals|national|overall|all\s+states|grand|sum|country)\b")
_SUPERLATIVE = re.compile(r"(?i)\b(?:highest|most|largest|greatest|biggest|majority|top|leading|worst|hardest"
                          r"|particularly|predominant(?:ly)?)\b")
_LEAST = re.compile(r"(?i)\b(?:lowest|least|fewest|smallest|minimum)\b")
_SHARE = re.compile(r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)\s*\(\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*\)")


def _columns(cells) -> dict[str, list]:
    """A table's cells by column, a bare sub-header ("NEW") taking the group of the spanning header
    before it in the row ("CONFIRMED CASES / TOTAL", "NEW" -> "CONFIRMED CASES / NEW")."""
    cols: dict[str, list] = {}
    rows: dict[str, list] = {}
    for e in cells:
        rows.setdefault(e.fact.row_header, []).append(e)
    for row in rows.values():
        group = ""
        for e in row:
            head = e.fact.col_header or ""
            if " / " in head:
                group = head.split(" / ")[0]
            elif group:
                head = f"{group} / {head}"
            cols.setdefault(head, []).append(e)
    return cols


def _names_rows(col) -> bool:
    """Most of a column's row headers are names ("Plateau", "FCT", "Mash West"), not indicators
    ("Contacts under follow up")."""
    named = sum(is_name(e.fact.row_header) for e in col)
    return named * 2 > len(col)


_FINE = frozenset("district town city village lga county commune municipality woreda neighbourhood neighborhood "
                  "zone parish site camp".split())


def one_grouping(col: list, noun: str) -> list:
    """A column that gives the same total twice by two groupings (the districts, then their provinces)
    is split where the rows before sum to the rows after: the finer grouping is compared for a fine
    noun ("which district"), the coarser for any other ("which province").

    >>> from types import SimpleNamespace as N
    >>> col = [N(fact=N(value=v, row_header=h)) for h, v in [("A1", 5), ("A2", 4), ("B1", 3), ("A", 9), ("B", 3)]]
    >>> [c.fact.row_header for c in one_grouping(col, "district")], [c.fact.row_header for c in one_grouping(col, "")]
    (['A1', 'A2', 'B1'], ['A', 'B'])
    """
    vals = [e.fact.value for e in col]
    total, run = sum(vals), 0.0
    for i in range(2, len(col) - 1):
        run = sum(vals[:i])
        if total and abs(2 * run - total) <= 0.005 * total:
            a, b = col[:i], col[i:]
            fine, coarse = (a, b) if len(a) >= len(b) else (b, a)
            return fine if noun in _FINE else coarse
    return col


# the places inside a country: "which region of Tanzania" is never answered by a country
_WITHIN = _FINE | frozenset("region province state department prefecture governorate".split())


class Extractor:
    """The non-numeric answers of one Composer (its loaded index, its answer builders)."""

    def __init__(self, composer: Composer):
        self.c = composer
        self.s = composer.s

    def sentence(self, q: Query, qvec: np.ndarray, hits: list[Hit]) -> Answer:
        """The best supporting sentence from the top passages, its short answer first."""
        kind = answer_type(q)
        asked = {root(w) for w in content_words(q.text)} | {root(n.lower()) for n in proper_names(q.text)}
        asked |= {n.lower() for n in proper_names(q.text)}
        superlative = q.aggregate in ("argmax", "argmin")
        noun = asked_noun(q.text)
        plural = bool(noun) and bool(re.search(rf"\b(?:{noun}s|{noun[:-1]}ies)\b", q.text, re.I))
        weighted = self.s.matcher.weighted(q, self.s.expand_acronyms(query_words(q)))
        scored = []
        for rank, h in enumerate(hits):
            own = self.s.report_words(h.report_id)
            mine = [(w, idf) for w, idf in weighted if w not in own] or weighted  # words naming the report left out
            total = sum(idf for _, idf in mine) or 1.0
            named = {w for w, _ in mine if w not in own}
            for sent, field in candidates(h.text):
                if len(sent) < 15 or len(sent) > MAX_SENTENCE_CHARS:
                    continue
                if field and not named & {root(w) for w in content_words(sent.split(":")[0])}:
                    continue  # a cover field answers a question that names it ("the date of the disaster")
                toks = {root(w) for w in content_words(sent)}
                bonus = _kind_bonus(q.expected, sent) if q.expected == "duration" else 0.0
                if not toks or bonus is None:
                    continue
                short = ""
                if superlative:
                    short = self._superlative(sent, asked, plural, least=q.aggregate == "argmin")
                    if not short:
                        continue
                elif kind:
                    spans = typed_spans(kind, sent, asked, q.text, self.s.reports[h.report_id].date)
                    if noun in _WITHIN:
                        spans = [sp for sp in spans if not find_countries(sp[2])]
                    if not spans:
                        continue
                    short, bonus = nearest(spans, sent, asked, noun, kind), KIND_BONUS if kind == "date" else 0.0
                    short = listed(spans, sent, short) if plural else short
                # the question's words in the sentence, the rare ones ("Nippes") counting most
                overlap = sum(idf for w, idf in mine if any(a in toks for a in synonyms(w))) / total
                scored.append([0.6 * overlap + 0.4 * h.dense + 0.1 * (1 - rank / len(hits)) + bonus,
                               sent, h, overlap, bonus, short])
        scored.sort(key=lambda t: t[0], reverse=True)
        if self.c.encode is not None and scored:  # the closest sentences, weighed by their own meaning
            top = scored[:SENTENCE_RERANK]
            cos = self.c.encode([t[1][:RERANK_CHARS] for t in top]) @ qvec
            for t, c in zip(top, cos, strict=True):
                t[0] = 0.6 * t[3] + 0.4 * float(c) + t[4]
            scored = sorted(top, key=lambda t: t[0], reverse=True)
        if not scored or scored[0][0] < SENTENCE_MIN:
            return self.c.abstain(q, hits, [], "no passage answers the question closely enough")
        score, sent, h, _, _, short = scored[0]
        src = self.c.passage(h)
        src = Source(**{**src.__dict__, "quote": sent, "highlight": span_of(sent, short)})
        text = sent.translate(_PLAIN_QUOTES)  # the answer reads plainly; the quote stays verbatim
        if short:
            text = f"{short.translate(_PLAIN_QUOTES)}\n{text}"
        return Answer(question=q.text, text=text, abstained=False, confidence=round(min(0.95, score), 3),
                      figure=short, kind=q.expected, sources=(src,),
                      passages=tuple(self.c.passage(x) for x in hits[:5]),
                      detail=SentenceDetail(round(score, 4), kind or ""))

    @staticmethod
    def _superlative(sent: str, asked: set[str], plural: bool = False, least: bool = False) -> str:
        """The name a sentence puts first: the largest share it lists ("Edo (48%), Ondo (26%)"), or the
        name nearest its superlative word ("Mashonaland West Province is now the Province with the
        highest"), with the names listed with it when the question asks for several; "" when it
        states neither. `least`: the question asks for the lowest ("which province had the fewest"): the
        smallest share, the name nearest "lowest", "least", "fewest" (never one "the most" names)."""
        shares = [(float(m.group("pct")), m.group("name")) for m in _SHARE.finditer(sent)
                  if not all(root(w.lower()) in asked for w in m.group("name").split())]
        if len(shares) >= 2:
            return (min(shares) if least else max(shares))[1]
        sup = (_LEAST if least else _SUPERLATIVE).search(sent)
        if not sup:
            return ""
        spans = typed_spans("place", sent, asked)
        if not spans:
            return ""
        short = min(spans, key=lambda s: abs(s[0] - sup.start()))[2]
        return listed(spans, sent, short) if plural else short

    def aggregate(self, q: Query, qvec: np.ndarray, allowed: set[int] | None, hits: list[Hit],
                  numeric: bool) -> Answer | None:
        """Sums over a table row group; the sector or group with the largest/smallest value; or, for a
        question that wants a name, the row (a state, a district) with the largest value down the
        column that fits the question. None when no table answers: a name is then sought in a
        sentence, a figure among the facts."""
        if q.aggregate == "sum" and q.sector:
            # the best table (by meaning) that has this sector in several rows
            rows = self.s.matcher.best_table(qvec, allowed, lambda e: unit_fits("count", e.fact) and (
                _header_is(q.sector, e.fact.col_header) or _header_is(q.sector, e.fact.sector)))
            if len(rows) < 2:
                return None
            total = sum(e.fact.value for e in rows)
            parts = " + ".join(f"{e.fact.text} ({e.fact.row_header})" for e in rows)
            shown = _format_like(total, rows[0].fact.text)
            text = f"{q.sector}, in total: {parts} = {shown}"
            return self.c.computed(q, rows, text, total, shown, hits, "sum")
        if q.aggregate not in ("argmax", "argmin"):
            return None
        if not numeric and (q.aggregate_over is None or q.aggregate_over == "group" and not q.group):
            return self.row_answer(q, qvec, allowed, hits)  # "which state", "which age group": a row's name
        pool = self.s.matcher.best_table(qvec, allowed, lambda e: unit_fits("count", e.fact) and (
            not q.group or norm_group(e.fact.row_header) == q.group))
        if len(pool) < 2:
            return None
        pick = max if q.aggregate == "argmax" else min
        best = pick(pool, key=lambda e: e.fact.value)
        name = best.fact.col_header or best.fact.sector
        if not name and not numeric:
            return None  # a name is asked and the cell has none: never a figure in its place
        word = "most" if q.aggregate == "argmax" else "fewest"
        row = f" ({best.fact.row_header})" if best.fact.row_header else ""
        line = f"{name} reached the {word}{row}: {best.fact.text}, of {len(pool)} compared."
        return self._named(q, best, hits, "" if numeric else name, line,
                           [(e.fact.col_header, e.fact.value) for e in pool], name)

    def row_answer(self, q: Query, qvec: np.ndarray, allowed: set[int] | None, hits: list[Hit]) -> Answer | None:
        """"Which state had the most new cases": the row of the largest cell down the table column whose
        header holds the most of what the question measures (its words that do not name the report),
        in a table whose rows are names (states, districts) of the report the best passage is from,
        total rows left out."""
        if not hits:
            return None
        # the table of the report the best passage is from: a nearer table of another report counts
        # other things ("confirmed cases" of COVID-19 for a question about Lassa fever)
        cells = self.s.matcher.best_table(qvec, {hits[0].report_id}, lambda e: e.fact.kind == "table_cell"
                                          and bool(e.fact.row_header) and bool(e.fact.col_header))
        if not cells:
            return None
        own = self.s.report_words(cells[0].report_id)
        words = {root(w) for w in q.measure_words} - own
        best_fit, column, header = 0, [], ""
        for head, col in _columns(cells).items():
            fit = len(words & {root(w) for w in content_words(head)})
            col = [e for e in col if not _TOTAL_ROW.search(e.fact.row_header)
                   and not find_countries(e.fact.row_header)]  # a country's row in a table of its states
            if fit > best_fit and len(col) >= 2 and _names_rows(col):
                best_fit, column, header = fit, col, head
        if not column:
            return None
        column = one_grouping(column, asked_noun(q.text))
        pick = max if q.aggregate == "argmax" else min
        best = pick(column, key=lambda e: e.fact.value)
        if sum(e.fact.value == best.fact.value for e in column) > 1:
            return None  # a tie names no one row
        name = best.fact.row_header
        word = "most" if q.aggregate == "argmax" else "least"
        return self._named(q, best, hits, name, f"{name} has the {word} ({header}): "
                           f"{best.fact.text}, of {len(column)} rows compared.",
                           [(e.fact.row_header, e.fact.value) for e in column], name)

    def _named(self, q: Query, best, hits: list[Hit], short: str, line: str, compared, name: str) -> Answer:
        """A table's answer: the name first (none for a figure question), then the figure that makes it, cited."""
        ans = self.c.fact_answer(q, best, hits, 0.8)
        if ans.abstained:
            return ans
        return Answer(question=q.text, text=f"{short}\n{line}" if short else line, abstained=False,
                      confidence=0.8, value=best.fact.value, unit=ans.unit, unit_norm=ans.unit_norm,
                      qualifier=ans.qualifier, figure=best.fact.text, kind=q.expected, sources=ans.sources,
                      passages=ans.passages, detail=AggregateDetail(name, q.aggregate or "", compared))
