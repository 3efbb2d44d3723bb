"""One page of text in, its `Fact`s out: the walker that keeps the heading and table header in force
and reads prose, key figures and text table rows.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer import tables
from indexer.facts.exclusions import (
    PageMarks,
    dropped_by,
)
from indexer.facts.labels import _label, _named_sector
from indexer.facts.text import (
    _BOX_TITLE,
    _bounded,
    _clean,
    _is_heading,
    _is_key_figure,
    _label_after,
    _ranges,
    _restated,
    _soft_break,
    _trim,
    axis_lines,
)
from indexer.facts.units import (
    _LIST_GAP,
    _OF_THESE,
    _PAIR_GAP,
    _PART_OF,
    _PER_RATE,
    _PERIOD_CHANGE,
    _RATE_NAME,
    _SUBJECT_VERB,
    _WHOLE_FIRST,
    _inherits,
    _is_currency,
    _label_norm,
    _norm,
    _np_before,
    _plural,
    _span_of,
    _unit_after,
    _unit_before,
)
from indexer.facts.words import _POST_QUALIFIER, QUALIFIER_RE
from indexer.numbers import CURRENCIES, CURRENCY_AFTER_RE, CURRENCY_BEFORE_RE, Num, decimal_comma, find_numbers
from indexer.records import Fact, Span
from vocabulary.sectors import SECTOR_RES
from vocabulary.sentences import sentence_spans

_PER_AFTER = re.compile(r"^(?:/[A-Za-z]+\b|\s+per\s+[A-Za-z]+\b)")
_OF_RE = re.compile(r"^[\s*_]+of[\s*_]+(?:(?:the|those|these|all|their|its|his|her|our)[\s*_]+)?", re.I)
# "70 per cent (up from 68%) of sites", "(68%) of sites": the aside skipped
_PAREN_OF_RE = re.compile(r"^(?:[\s*_]*\([^()]{0,80}\))?\)?[\s*_]+of[\s*_]+(?:(?:the|those|these|all)[\s*_]+)?", re.I)
_PCT_ARE = re.compile(r"[ \t\n]+(?:are|were)[ \t\n]+")
_OUT_OF_RE = re.compile(r"^[\s*_]+(?:out\s+of|in)[\s*_]+$", re.I)


# a figure that follows a field's colon and is followed by the next field's name and colon
_FIELD_BEFORE = re.compile(r":[\s*_]*$")
_FIELD_NEXT = re.compile(r"[\s*_]+[A-Za-z][\w'’/()-]*(?:\s[A-Za-z][\w'’/()-]*){0,2}\s?:[\s*_]*[$€£]?\d")


class _Page:
    """Walks the lines of a page keeping the heading and table header in force."""

    def __init__(self, text: str, page: int, report: str, heading: str):
        self.text, self.page, self.report, self.heading = text, page, report, heading
        self.marks = PageMarks(text)  # URLs and footnotes, found once per page
        self.decimal_comma = decimal_comma(text)  # "3,500" is three and a half on a page that writes "12,5"
        self._mentions: tuple[tuple[int, int], list[tuple[int, str]]] = ((-1, -1), [])
        self.dropped: list[tuple[Span, str]] = []  # numbers that are not facts, with the rule that said so
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
        axis = axis_lines(lines)  # a chart's ticks ("0K", "5K", "10K", ...): no figures of the report
        for lineno, line in enumerate(lines):
            if lineno <= joined_until:
                continue
            start = starts[lineno]
            if lineno in axis:
                self.dropped.append((Span(line.strip(), start, start + len(line)), "axis"))
                header = None
                continue
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
        spans = [(start, end)] if whole_line else sentence_spans(self.text, start, end)
        spans = [piece for s, e in spans for piece in _bounded(self.text, s, e)]
        for s, e in spans:
            self._sentence(s, e, kind, label)

    def _sentence(self, s: int, e: int, kind: str, label: str) -> None:
        text = self.text
        s, e = _trim(text, s, e)
        sentence = text[s:e]
        nums = [n for n in _restated(sentence, find_numbers(sentence, self.decimal_comma))
                if not self._excluded(n, s, e)]
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
        patients", "(AFN 105, 100 and 98 per kg)"; right to left, so the unit passes down the list. Two
        figures each with its modifier share the noun: "105 suspected and 35 confirmed leptospirosis cases"."""
        facts, text = self.facts, self.text
        for k in range(len(facts) - 2, first - 1, -1):
            f, g = facts[k], facts[k + 1]
            if g.unit is None or g.unit.start < g.end or (f.unit_norm == "percent") != (g.unit_norm == "percent"):
                continue
            if not _LIST_GAP.fullmatch(text, f.end, g.start):
                pair = _PAIR_GAP.fullmatch(text, f.end, g.start)
                um = re.match(r"([a-z]+)[\s*_]+(?=\w)", g.unit.text)
                if pair and um and f.unit is None and g.unit.start == g.end + 1 and not fixed_label:
                    # "105 suspected and 35 confirmed leptospirosis cases": 105 suspected leptospirosis cases
                    unit = Span(g.unit.text[um.end():], g.unit.start + um.end(), g.unit.end)
                    facts[k] = replace(f, unit=unit, unit_norm=_norm(unit.text) or f.unit_norm,
                                       label=f"{pair.group(1)} {unit.text}")
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
                elif a0 > s and text[a0 - 1].isalpha():
                    unit = None  # "...Treatment571 Children dewormed": glued to its label; the next item follows
                elif _FIELD_BEFORE.search(text, max(s, a0 - 3), a0) and _FIELD_NEXT.match(text, a1, e):
                    unit = None  # "State(s): 3 LGA(s): 5": the words after a field's figure name the next field
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
            found = [(m.start(), name) for name, rx in SECTOR_RES for m in rx.finditer(self.text, s, e)]
            self._mentions = ((s, e), [(at - s, name) for at, name in found])
        best, best_d = "", None
        for at, name in self._mentions[1]:
            d = abs(at - near)
            if best_d is None or d < best_d:
                best, best_d = name, d
        return best

    def _excluded(self, n: Num, s: int, e: int) -> bool:
        """Dates, years, codes, footnote markers, phone numbers, section numbers, numbers in names
        (`exclusions.DIGIT_RULES`, `WORD_RULES`); a dropped number is noted with its rule's name."""
        rule = dropped_by(self.marks, n, s, e)
        if rule:
            self.dropped.append((Span(self.text[s + n.start : s + n.end], s + n.start, s + n.end), rule))
        return bool(rule)

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
            nums = find_numbers(cell.text, self.decimal_comma)
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
