"""Pages of report text in, numeric `Fact`s out (the public API): value, qualifier, unit, label,
sentence, heading, sector.

Prose sentences, headline key figures ("REFUGEES AND MIGRANTS IN PERU / 1.043M") and table cells
(aligned to their row and column headers) all become facts with offsets into the page text.
Dates, years, codes, footnote markers, phone numbers and numbers inside names are not facts.
Follows the annotation schema of Liberatore et al. (GoodIT 2024): the quantity text is the number
as written with its scale and percent ("14 million", "75 per cent"), a currency is its unit.
`Fact.sentence` is the verbatim slice `text[sentence_start:sentence_start + len(sentence)]` (line
breaks and markdown blanks kept); a newline inside a wrapped paragraph reads as a space. `Fact.label`
says what is counted in the words of the number's own clause (see `labels._label`). `dropped(text)`
says which rule (`exclusions.py`) kept each number that is not a fact out.

>>> [(f.value, f.qualifier.text, f.unit.text) for f in extract("Almost 5,000 refugees and migrants.")]
[(5000.0, 'Almost', 'refugees and migrants')]
>>> [(f.text, f.value, f.unit_norm) for f in extract("REQUIREMENT: $148.6 M")]
[('148.6 M', 148600000.0, 'USD')]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indexer.facts.page import _Page
from indexer.records import Fact, Page, Span

FACTS_VERSION = 29  # index settings: a new version re-indexes (8: Kshs, codes after; 9: runs split at gaps;
# 10: sectors named as questions name them, vocabulary/sectors.py; 11: layout regions, panels with labels above;
# 12: range labels, negative cells, deep budget headers, decimal commas, apostrophe and thin-space thousands,
# figures glued to labels; 13: panels beside a justified text column, a panel figure placed by its label, runs
# off the page dropped, a stack ended by a figure it cannot read, chart titles no labels; 14: "Euro", "dollar"
# after a figure are its currency; 15: every ISO 4217 currency code, a "per household" unit a rate; 16: "lost
# their lives" read as deaths, "inundated" as "flooded"; 17: ligatures pypdf writes as glyph names, "Identi/f_ied";
# 18: one-row tables named by their columns; 19: rows with notes under each, records with dates among their
# labels, text columns' headers, panel labels over two lines; 20: "1.5 B" a billion after decimals, a chart's
# axis ticks no key figures, sparse tables whose fuller rows come later, a table's rows going on under the
# previous page's header, rows of empty marks and notes ending in a figure inside a register; 21: a table cut
# into two regions by a gutter takes its caption for both parts; 22: an outer header centred over the inner headers
# of neighbouring columns spans them; 23: "300, 000" one number, the noun after an acronym in a unit,
# "Medical Officer of Health (MOH) areas"; 24: participants, trainees, personnel, health workers... count people;
# 25: no band cut through a column of figures, a table going on on the next page fills a column the page before
# left empty and takes its caption; 26: a figure grouped in thousands glued to an acronym, "OCV48,242"; a long
# clause's window cut at whole words; 27: "11,900 houses were flooded, 176 destroyed": 176 houses; 28: "105
# suspected and 35 confirmed leptospirosis cases": 105 suspected leptospirosis cases; 29: "estimated" a word
# of a fact's words, no stopword: "58,900 Estimated pregnant women")


def extract(text: str, *, page: int = 1, report: str = "") -> list[Fact]:
    """All numeric facts on one page of text, in reading order."""
    return _Page(text, page, report, "").run()


def extract_pages(pages: Sequence[Page], report: str = "") -> list[Fact]:
    """Facts of every page; the heading in force at a page's end carries over to the next page."""
    from indexer.cells import merge, table_facts

    facts: list[Fact] = []
    heading = ""
    for p in pages:
        walker = _Page(p.text, p.number, report, heading)
        found = walker.run()
        if p.tables is not None:  # a PDF page: its tables and panels are read from the layout
            found = merge(found, table_facts(p, report, heading))
            # a chart's axis the text reading dropped, read by the layout as a panel ("14K" under "New Deaths")
            axis = [(sp.start, sp.end) for sp, why in walker.dropped if why == "axis"]
            found = [f for f in found if not any(a <= f.start < b for a, b in axis)]
        facts.extend(found)
        heading = walker.heading
    return facts


def dropped(text: str, *, page: int = 1) -> list[tuple[Span, str]]:
    """The numbers of one page of text that are not facts, each with the name of the rule that dropped it.

    >>> [(span.text, rule) for span, rule in dropped("Phase 3 began on 12 March 2024; 4,300 filters were given.")]
    [('3', 'naming-word-before'), ('12', 'month'), ('2024', 'month')]
    """
    walker = _Page(text, page, "", "")
    walker.run()
    return walker.dropped


def fact_to_json(fact: Fact, *, offset: int = 0) -> dict:
    """The JSON object of one fact; `offset` is added to every offset (a text page's place in its file)."""

    def span(s: Span | None) -> dict | None:
        return None if s is None else {"text": s.text, "start": s.start + offset, "end": s.end + offset}

    return {
        "value": fact.value,
        "value_max": fact.value_max,
        "text": fact.text,
        "start": fact.start + offset,
        "end": fact.end + offset,
        "qualifier": span(fact.qualifier),
        "unit": span(fact.unit),
        "unit_norm": fact.unit_norm,
        "label": fact.label,
        "sentence": fact.sentence,
        "heading": fact.heading,
        "sector": fact.sector,
        "kind": fact.kind,
        "row_header": fact.row_header,
        "col_header": fact.col_header,
        "page": fact.page,
        "report": fact.report,
    }


def extract_file(path: str | Path) -> list[dict]:
    """JSON facts of one report file (`reportqa facts --extract`), offsets into the original file."""
    try:
        from indexer.parse import parse_file
    except ImportError:  # the parser is not there yet: a text file is one page
        p = Path(path)
        pages, name = [Page(1, p.read_text(encoding="utf-8"), "1", 0)], p.name
    else:
        parsed = parse_file(path)
        pages, name = list(parsed.pages), parsed.name
    out = []
    for p in pages:
        for fact in extract_pages([p], report=name):
            out.append(fact_to_json(fact, offset=p.offset))
    return out
