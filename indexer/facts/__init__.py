"""Pages of report text in, numeric `Fact`s out; re-exports the public API of the modules below.

In reading order: words.py (word lists) -> text.py (lines, headings, sentences) -> units.py (the
unit of a number) -> labels.py (what it counts, its sector) -> exclusions.py (the named rules that
drop dates, codes, footnote marks ...) -> page.py (one page's walker) -> extract.py (the API).
"""

from indexer.facts.extract import FACTS_VERSION, dropped, extract, extract_file, extract_pages, fact_to_json
from indexer.facts.labels import _sector
from indexer.facts.text import MAX_SENTENCE_CHARS
from indexer.facts.units import _label_norm  # indexer/cells.py names a table cell's unit with it
from indexer.facts.words import QUALIFIER_RE, UNIT_NORM

__all__ = ["FACTS_VERSION", "MAX_SENTENCE_CHARS", "QUALIFIER_RE", "UNIT_NORM", "_label_norm",
           "_sector", "dropped", "extract", "extract_file", "extract_pages", "fact_to_json"]
