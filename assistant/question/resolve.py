"""Which indexed reports a question names: the `_Naming` and the catalogue ((report name, meta) for
every indexed report) in, the report names out. Each report's catalogue entry (its publishers,
type, number, dates, countries and codes, read from its title, metadata and file name) is scored
against the naming; when nothing fits every part, parts are dropped one at a time.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.question.dates import _Date, _months_between, find_dates
from assistant.question.naming import (
    _DOC_FIRSTS,
    _DOC_RE,
    _DOC_TERMS,
    _FILE_ACRONYM_RE,
    _IN_NAMES,
    _LOOSE_NUM,
    _PUB_FIRSTS,
    _PUB_RE,
    _doc_families,
    _Naming,
    _own_publishers,
    _pub_key,
    report_codes,
    report_stages,
)
from assistant.question.scope import _find_countries
from assistant.question.words import _scan
from assistant.vocab import GENERIC_DOCS
from indexer.records import ReportMeta

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|[_\-.]+")


@dataclass(frozen=True)
class _Entry:
    name: str
    publishers: frozenset[str]
    families: frozenset[str]
    numbers: frozenset[int]
    days: frozenset[tuple[int, int, int]]  # from the date, the title and the period
    title_months: frozenset[tuple[int, int]]  # months the title or period names (the report's own period)
    date_months: frozenset[tuple[int, int]]  # months of the publication date
    years: frozenset[int]
    countries: frozenset[str]
    date: str
    codes: frozenset[str] = frozenset()  # report codes in its name, title or number ("MDRJM004")
    spans: frozenset[tuple[int, int, int, int]] = frozenset()  # day ranges its title or period names (m1, d1, m2, d2)
    stages: frozenset[str] = frozenset()  # the stage of an operation its title names ("operations update")
    words: frozenset[str] = frozenset()  # its title's words, lower case



def _code_fits(asked: str, own: str) -> bool:
    """"MDRCD016" names "MDRCD016" and "MDRCD01601OU" (its update); "MDRCD01" names nothing."""
    return asked == own or (len(asked) >= 7 and own.startswith(asked))


@lru_cache(maxsize=4096)
def _entry(name: str, meta: ReportMeta) -> _Entry:
    title = meta.title or ""
    file_words = _CAMEL.sub(" ", re.sub(r"\.\w+$", "", name))
    pubs = {_pub_key(m.group(0)) for text in (meta.publisher, title) for m in _scan(_PUB_RE, _PUB_FIRSTS, text or "")}
    pubs |= set(_own_publishers(meta.publisher or ""))
    if not pubs:  # the file name: "r4v-peru-2020-10.txt", "IntlMedCorps-...", "WFPHaiti..."
        words = f"{file_words} {re.sub(r'[^A-Za-z0-9]+', ' ', name)}"
        pubs = {_pub_key(m.group(0).upper()) for m in _FILE_ACRONYM_RE.finditer(words)}
        pubs |= {_pub_key(m.group(0)) for m in _scan(_PUB_RE, _PUB_FIRSTS, file_words)}
    fams = _doc_families(title) | _doc_families(file_words)
    if meta.doc_type:
        generic = meta.doc_type.strip().lower() in GENERIC_DOCS  # "report" says nothing
        fams |= _doc_families(meta.doc_type) or (set() if generic else {meta.doc_type.strip().lower()})
    nums = set()
    if meta.number and re.match(r"\d+", meta.number.strip()):
        nums.add(int(re.match(r"\d+", meta.number.strip()).group(0)))
    else:
        for text in (title, file_words):
            for m in _scan(_DOC_RE, _DOC_FIRSTS, text):
                n = m.group("num") or m.group("num2")
                if n and m.group("doc").lower() in _DOC_TERMS and _DOC_TERMS[m.group("doc").lower()]:
                    nums.add(int(n))
            if nums:
                break
        if not nums:
            m = _LOOSE_NUM.search(title) or re.search(r"(?i)(?:sitrep|number|no)[\s_]*0*(\d{1,2})(?!\d)", name)
            if m:
                nums.add(int(m.group(m.lastindex or 0)))
    days, title_months, date_months, years, spans = set(), set(), set(), set(), set()
    published = next((d for d in find_dates(meta.date or "") if d.y1), None)
    for text, own in ((title, True), (meta.period, True), (meta.date, False)):
        for d in find_dates(text or ""):
            if d.precision == "day" and d.y1:
                days.add((d.y1, d.m1, d.d1))
            if d.precision == "range" and own and d.d1 and d.d2:
                spans.add((d.m1, d.d1, d.m2, d.d2))
            y1, y2 = d.y1 or d.y2, d.y2 or d.y1
            if not y1 and published and own:  # "(8 - 18 November)" in a report of 2025-11-26: 2025's
                y1 = y2 = published.y1 - (d.m2 > published.m1)
            if y1 and y2:
                months = _months_between(y1, d.m1, y2, d.m2)
                (title_months if own else date_months).update(months)
                years.update(y for y, _ in months)
    countries = set(_find_countries(f"{title} {meta.country or ''}")[0])
    for y, mo in re.findall(r"(?<!\d)(20[0-4]\d)[-_](0[1-9]|1[0-2])(?![\d])", name):
        title_months.add((int(y), int(mo)))
        years.add(int(y))
    return _Entry(
        name,
        frozenset(pubs),
        frozenset(fams),
        frozenset(nums),
        frozenset(days),
        frozenset(title_months),
        frozenset(date_months),
        frozenset(years),
        frozenset(countries),
        meta.date or "",
        report_codes(f"{name} {title} {meta.number or ''}"),
        frozenset(spans),
        frozenset(report_stages(title)),
        frozenset(w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", title)),
    )


TITLE_NAME = 1.0  # how far under the best a report whose title carries a name the question writes may be
FEW = 3  # the most fitting reports' titles a name may be in and still tell them apart (`_named_in_title`)


def _score(e: _Entry, n: _Naming, year: int | None, countries: Sequence[str]) -> float | None:
    """Score one catalogue entry against what the question names; None when it contradicts it.

    A report code ("MDRJM004") settles it: the report with that code, whatever else the question
    says of its type or date; a code no report carries names none."""
    if n.codes:
        if any(_code_fits(a, own) for a in n.codes for own in e.codes):
            return 10.0 + (3 if n.number is not None and n.number in e.numbers else 0)
        return None
    score = 0.0
    if n.publishers:
        if e.publishers & set(n.publishers):
            score += 3
        elif e.publishers:
            return None
    if n.family:
        if n.family not in e.families:
            return None  # "WFP's country brief" is not WFP's vulnerability report, typed or not
        score += 2
    if n.number is not None:
        if n.number in e.numbers:
            score += 3
        elif e.numbers or e.families:
            return None
    d = n.date
    if d is not None:
        y = d.y1 or year
        if d.precision == "day":
            hit = any((dy, dm, dd) == (y, d.m1, d.d1) if y else (dm, dd) == (d.m1, d.d1) for dy, dm, dd in e.days)
            if not hit:
                return None
            score += 3
        elif d.precision == "year":
            if d.y1 not in e.years:
                return None
            score += 1
        else:
            want = {(yy, mm) for yy, mm in _months_between(y or 0, d.m1, d.y2 or y or 0, d.m2)}
            if y is None:
                own = {m for _, m in e.title_months} & {m for _, m in want}
                dated = {m for _, m in e.date_months} & {m for _, m in want}
            else:
                own, dated = e.title_months & want, e.date_months & want
            if own:
                score += 2 + (d.d1 is not None and (d.m1, d.d1, d.m2, d.d2) in e.spans)  # "8-18 Nov", exactly
            elif dated:
                score += 1
            else:
                return None
    if countries and e.countries & set(countries):
        score += 0.5
    if _other_stage(e, n):
        score -= 1  # "the operations update" is not the operation's plan of action, whatever its title names
    return score


def _other_stage(e: _Entry, n: _Naming) -> bool:
    """The report is of another stage of its operation than the one the question names."""
    return bool(n.stages and e.stages and not e.stages & set(n.stages))


class Catalogue(tuple):
    """The (report name, meta) pairs of an index, with what naming a report looks up: each report's
    `_Entry`, and the reports by publisher, type, number, code, day, month and year, so that a
    question naming a report scores only the reports that share something it names, not all of them.
    Built once for an index (`assistant.engine`); `parse_question` takes any sequence of pairs."""

    @classmethod
    def of(cls, catalogue: Sequence[tuple[str, ReportMeta]]) -> Catalogue:
        return catalogue if isinstance(catalogue, Catalogue) else cls(catalogue)

    @cached_property
    def entries(self) -> list[_Entry]:
        return [_entry(name, meta) for name, meta in self]

    @cached_property
    def publishers(self) -> tuple[str, ...]:
        return tuple(sorted({meta.publisher for _, meta in self if meta.publisher}))

    @cached_property
    def meta(self) -> dict[str, ReportMeta]:
        return dict(self)

    @cached_property
    def _by(self) -> dict[tuple, set[int]]:
        by: dict[tuple, set[int]] = {}
        for i, e in enumerate(self.entries):
            keys = [("pub", p) for p in e.publishers] + [("family", f) for f in e.families]
            keys += [("number", x) for x in e.numbers] + [("code", c) for c in e.codes]
            keys += [("day", m, d) for _, m, d in e.days] + [("year", y) for y in e.years]
            keys += [("month", m) for _, m in e.title_months | e.date_months]
            if not e.publishers:
                keys.append(("pub", None))
            if not e.numbers and not e.families:
                keys.append(("number", None))
            for key in keys:
                by.setdefault(key, set()).add(i)
        return by

    def named_by(self, n: _Naming, year: int | None) -> list[_Entry]:
        """The entries `_score` can score, in catalogue order: for each part the question names (a
        code, publisher, type, number, date), the entries that part does not rule out (a report without
        a publisher is not ruled out by one, `_score`), and of those the ones every part leaves."""
        by = self._by
        if n.codes:
            return [self.entries[i] for i in sorted({i for k, ids in by.items() if k[0] == "code"
                                                     and any(_code_fits(a, k[1]) for a in n.codes) for i in ids})]
        parts: list[set[int]] = []
        if n.publishers:
            parts.append(set().union(by.get(("pub", None), ()), *(by.get(("pub", p), ()) for p in n.publishers)))
        if n.family:
            parts.append(by.get(("family", n.family), set()))
        if n.number is not None:
            parts.append(by.get(("number", n.number), set()) | by.get(("number", None), set()))
        d = n.date
        if d is not None and d.precision == "day":
            parts.append(by.get(("day", d.m1, d.d1), set()))
        elif d is not None and d.precision == "year":
            parts.append(by.get(("year", d.y1), set()))
        elif d is not None:
            y = d.y1 or year
            months = {m for _, m in _months_between(y or 0, d.m1, d.y2 or y or 0, d.m2)}
            parts.append(set().union(*(by.get(("month", m), ()) for m in months)))
        if not parts:
            return []  # nothing named that can score above a country alone
        parts.sort(key=len)
        return [self.entries[i] for i in sorted(parts[0].intersection(*parts[1:]))]


def _resolve(
    n: _Naming, catalogue: Sequence[tuple[str, ReportMeta]], countries: Sequence[str], year: int | None
) -> tuple[str, ...]:
    scored = []
    named = catalogue.named_by(n, year) if isinstance(catalogue, Catalogue) else (
        _entry(name, meta) for name, meta in catalogue)
    for e in named:
        s = _score(e, n, year, countries)
        if s is not None and s > 0.5:  # a country alone does not name a report
            scored.append((s, e))
    if not scored:
        return ()
    top = max(s for s, _ in scored)
    best = [e for s, e in scored if s == top]
    if len(best) > 1 and n.actors and (n.family or n.number is not None):
        # "how much is UNFPA appealing for, per the regional sitrep": of the sitreps that fit equally, UNFPA's
        best = [e for e in best if e.publishers & set(n.actors)] or best
    if len(best) > 1 and n.stages:
        # "the DREF operations update (MDRCD016)": of the operation's reports, its update
        best = [e for e in best if e.stages & set(n.stages)] or best
    if n.names and len(scored) > 1:
        best = _named_in_title(n, scored, best, top)
    if n.latest and len(best) > 1:
        last = max(e.date for e in best)
        best = [e for e in best if e.date == last]
    elif n.earliest and len(best) > 1:
        first = min(e.date for e in best if e.date) if any(e.date for e in best) else ""
        best = [e for e in best if e.date == first]
    return tuple(e.name for e in best)


def _named_in_title(n: _Naming, scored: list[tuple[float, _Entry]], best: list[_Entry], top: float) -> list[_Entry]:
    """The best fitting reports, told apart by a name the question writes that a few fitting reports' titles
    carry, not all. Of the reports that fit best, those whose titles carry it ("the IFRC DREF final report on
    the Assam and Manipur floods" is the one final report titled "Floods (Assam and Manipur)", not the newest
    of five); and the reports just under the best whose titles carry it join them ("the December 2015
    Kinshasa floods" is the appeal titled "Floods (Kinshasa)", published that December, as much as the update
    whose period covers December). A name is a place's or an event's (no acronym: "GBV", "NCDC" are a topic
    or a body; a country counts in `_score`)."""
    runs = [run for r in n.names if not _find_countries(" ".join(r))[0]
            if (run := frozenset(w.lower() for w in r if w.lower() not in _IN_NAMES and not w.isupper()))]
    hits = [{r for r in runs if r <= e.words} for _, e in scored]
    rare = {r for r in runs if sum(r in h for h in hits) <= min(FEW, len(hits) - 1)} - set.intersection(*hits)
    named = [e for (_, e), h in zip(scored, hits, strict=True) if e in best and h & rare]
    joining = [e for (s, e), h in zip(scored, hits, strict=True)
               if s < top and s + TITLE_NAME >= top and h & rare and not _other_stage(e, n)]
    return (named or best) + joining


def _resolve_loosely(
    n: _Naming, catalogue: Sequence[tuple[str, ReportMeta]], countries: Sequence[str], year: int | None
) -> tuple[tuple[str, ...], bool]:
    """Users name reports loosely: a date that is the figure's, not the report's ("the shelters PAHO
    assessed on 28 October"), a platform for its national publisher ("R4V" for GTRM), a type the
    catalogue does not know. When nothing fits every part, drop one part at a time (the date, then
    the type, then the publisher when a country says which report is meant) and take what fits at
    most a few reports. A report number is never dropped: "situation report #5" of a series that
    stops at 4 names no report. Returns the reports and whether the date was dropped."""
    tries = []
    if n.date is not None and (n.publishers or n.family or n.number is not None):
        tries.append((dataclasses.replace(n, date=None), True))
    if n.family and (n.publishers or n.number is not None or n.date is not None):
        tries.append((dataclasses.replace(n, family=None), False))
    if n.publishers and countries and (n.family or n.date is not None):
        tries.append((dataclasses.replace(n, publishers=()), False))
    meta = catalogue.meta if isinstance(catalogue, Catalogue) else dict(catalogue)
    for loose, date_dropped in tries:
        found = _resolve(loose, catalogue, countries, None if date_dropped else year)
        if countries:
            found = tuple(name for name in found if _entry(name, meta[name]).countries & set(countries))
        if date_dropped and len(found) > 3:
            found = first_after(found, n.date, year, meta)
        if 0 < len(found) <= 3:
            return found, date_dropped
    return (), False


FIRST_AFTER_DAYS = 14  # how long after a figure's day a report of a series can be the one that gave it
AS_OF = frozenset({"as of", "by", "until", "till"})  # leads that date a figure, not a report


def first_after(found: Sequence[str], d: _Date, year: int | None, meta: dict[str, ReportMeta]) -> tuple[str, ...]:
    """Of a series' reports, those first published on or after the day a figure is "as of" (within two
    weeks): "OCHA's flash update on the storm, as of 22 October" is the update of 23 October, not the
    one of 10 November. Nothing when the day is not a whole date said "as of" (or "by") or no report
    follows it closely: "the IMC report on 25 January" names a report's day, which no report may have."""
    y = d.y1 or year
    if d.precision != "day" or d.lead not in AS_OF or not y:
        return ()
    try:
        asked = datetime.date(y, d.m1, d.d1)
    except ValueError:
        return ()
    after: dict[int, list[str]] = {}
    for name in found:
        try:
            own = datetime.date.fromisoformat((meta[name].date or "")[:10])
        except ValueError:
            continue
        if 0 <= (own - asked).days <= FIRST_AFTER_DAYS:
            after.setdefault((own - asked).days, []).append(name)
    return tuple(after[min(after)]) if after else ()


def _year_for(
    d: _Date, catalogue: Sequence[tuple[str, ReportMeta]], n: _Naming | None, resolved: Sequence[str] = ()
) -> int | None:
    """The year of a day/month written without one, when the catalogue makes it unambiguous.

    In a named report, "in November" is the last November up to the report's own period.
    """
    if not catalogue:
        return None
    entries = Catalogue.of(catalogue).entries
    if resolved:
        refs = set()
        for e in entries:
            if e.name in resolved:
                months = e.title_months | e.date_months
                if months:
                    ry, rm = max(months)
                    refs.add(ry if d.m1 <= rm else ry - 1)
        if len(refs) == 1:
            return refs.pop()
    if n is not None and (n.publishers or n.family or n.number is not None):
        narrowed = [
            e
            for e in entries
            if _score(e, _Naming(n.publishers, n.family, n.number, None, False, False, ()), None, ()) is not None
        ]
        entries = narrowed or entries
    if d.precision == "day":
        years = {y for e in entries for y, m, dd in e.days if (m, dd) == (d.m1, d.d1)}
        if len(years) == 1:
            return years.pop()
    years = {y for e in entries for y, m in e.title_months | e.date_months if m == d.m1}
    if len(years) == 1:
        return years.pop()
    all_years = {y for e in entries for y in e.years}
    return all_years.pop() if len(all_years) == 1 else None
