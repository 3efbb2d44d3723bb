"""Candidate features -> score; best score and margin -> calibrated confidence. Weights are fitted.

A candidate fact is described by named features (`FEATURES`); its score is their weighted sum. The
weights are fitted by `bench/fit.py` on the development questions (a listwise softmax over each
question's candidates, validated leaving one report out) and stored in `weights.json` beside this
file, with a calibration: the probability that the best candidate is the right answer, from its
score and its lead over the best candidate that gives another figure. The answer abstains when that
probability is under the threshold chosen on the held-out folds (wrong answers <= 3% of answered).

>>> w = Weights(coef={"meaning": 2.0, "words": 1.0}, bias=0.0, calib=(1.0, 0.0, 0.0), threshold=0.5)
>>> w.score({"meaning": 0.5, "words": 0.2, "unknown": 9.0})
1.2
>>> round(w.confidence(0.0, 1.0), 3)
0.5
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

# what each feature measures (the README's table and `reportqa ask --explain` print these)
FEATURES: dict[str, str] = {
    "meaning": "cosine between the question and the fact's clause and label, embedded in its passage",
    "words": "question words in the fact's clause near the number, IDF-weighted",
    "bigrams": "adjacent question word pairs found adjacent in the sentence (0-2)",
    "passage": "the fact's sentence lies in a passage the hybrid retriever ranked high (0-0.12)",
    "headers": "question words among the fact's label, table headers, sector and heading, IDF-weighted",
    "sector": "the question names a sector and the fact is under it",
    "group_cell": "the question names a plan group and the fact is a table cell of that group",
    "group_prose": "the question names a plan group and the fact is prose that names it",
    "group_unasked": "a table cell of a plan group the question does not name",
    "month": "the named month sits next to the number (+), or only other months do (-)",
    "key_missing": "the question's rarest word is nowhere in the fact",
    "flow_for_stock": "a figure of what was done offered for how many there are",
    "unit_fit": "how well the fact's unit answers 'how many <noun>'",
    "key_figure": "the fact is a key figure of the report",
    "table_cell": "the fact is a table cell",
    "country_named": "a country the question names is in the fact's sentence or heading",
    "recency": "how new the fact's report is among the candidates' reports (0-1), when no date is named",
    "qualifier": "the fact carries a qualifier ('more than', 'almost')",
    "unit_named": "the fact's unit word is a word of the question ('households', 'cases', 'kits')",
    "no_currency": "a money question answered by a table or panel figure whose currency is not written",
    "in_parens": "the number sits inside brackets in its sentence",
    "comparison": "the fact's clause compares with an earlier figure and the question does not",
    "title_match": "IDF-weighted share of the question's words naming the fact's report (title, publisher, type, date)",
    "names": "share of the question's proper names (places, agencies; not its report's) near the number",
    "names_missing": "the question has such names and none is in the number's clause or headers",
    "place_missing": "a place the question asks about ('in Manipur', 'Colombo district') is not in the clause, headers",
    "place_elsewhere": "a place the question asks about is in the sentence, nearer another of its numbers",
    "cell_row": "a table cell whose row header holds a word of the question",
    "cell_both": "a table cell whose row header and column header each hold a word of the question",
    "country_other": "the question names a country; the fact's clause or heading names only another one",
    "country_shared": "the fact's clause names the country asked about and others (a regional total)",
    "change_unasked": "the fact's clause gives a change ('increased by 243') and the question asks for no change",
    "names_unasked": "the number's clause names a place or body (a capitalised word) the question does not",
    "words_lead": "question words (not naming its report) in the sentence before the fact's, not in its own",
    "words_own": "words, leaving out the question words that name the fact's report (its title, publisher)",
    "year_other": "the figure's clause or headers write years, none of those the question writes",
    "period_other": "a running total asked and a figure of one week or day given, or the other way round",
    "cell_cover": "share of a table cell's row and column header words and numbers the question writes (row x column)",
    "panel_cover": "share of a key figure's label (or own line) words and numbers the question writes; "
                   "also a 'Label: figure' line's label",
    "span_asked": "the question and the figure's headers or clause both say it runs from a start ('up to week 31')",
    "contrast": "the question asks for one kind ('suspected', 'destroyed', 'received') and the figure names a sibling",
    "kind_own": "the question asks for one kind ('suspected', 'required', 'deaths') and the figure's own words name it",
    "label_other": "a numbered class or period asked ('IPC Phase 4', 'round 14') and the figure's is another",
    "span_unasked": "the figure is a running total ('Cumulative', 'Up to Week31') and the question asks for one period",
    "meaning_gap": "meaning minus the best meaning among the question's candidates (0 for the best)",
    "cover_gap": "max(cell_cover, panel_cover) minus the best of it among the candidates kept (0 for the best)",
    "sibling_gap": "how much better the question names another kept cell of the cell's row (by its column) or of its "
                   "column (by its row): a 'Total' column when the question names the 'Camps' one beside it",
    "cell_meaning_gap": "meaning_gap again for a table cell or key figure (0 for prose): its vector is a row of "
                        "numbers or a short label, whose distance from a sentence's meaning says less",
    "words_gap": "words minus the best words among the question's candidates",
    "headers_gap": "headers minus the best headers among the question's candidates",
    "title_gap": "title_match minus the best title_match among the question's candidates",
}
# features measured against the question's other candidates: feature -> its gap feature
RELATIVE = {"meaning": "meaning_gap", "words": "words_gap", "headers": "headers_gap", "title_match": "title_gap"}


@dataclass(frozen=True)
class Weights:
    """Linear weights over FEATURES, the calibration (a, b, c) of P(right) = sigmoid(a*score +
    b*min(margin, margin_cap) + c), and the abstention threshold on that probability. The cap is
    fitted too: past it a bigger lead over the next figure says nothing more (a lone loose match
    has a huge lead)."""

    coef: dict[str, float]
    bias: float
    calib: tuple[float, float, float]
    threshold: float
    info: dict = field(default_factory=dict)
    margin_cap: float = 5.0  # also what "no rival figure at all" counts as

    def score(self, feats: dict[str, float]) -> float:
        return round(self.bias + sum(self.coef.get(k, 0.0) * v for k, v in feats.items()), 6)

    def order_score(self, feats: dict[str, float]) -> float:
        """`score` up to a constant shared by one question's candidates, from features without their
        gaps: the bias left out, each RELATIVE feature weighed with its gap (the best it is measured
        from is the same for every candidate). Ranks a question's candidates as `score` does."""
        coef = self.order_coef
        return sum(coef.get(k, 0.0) * v for k, v in feats.items())

    def order_upper(self, names: Sequence[str], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The most `order_score` can be for each row when each feature (column, in `names`) lies in its
        (least, most) range: a sum of columns, not a loop a candidate (to float rounding: callers allow 1e-5)."""
        coef = np.array([self.order_coef.get(k, 0.0) for k in names])
        return np.maximum(lo * coef, hi * coef).sum(axis=1)

    @cached_property
    def order_coef(self) -> dict[str, float]:
        """The weights `order_score` uses: a RELATIVE feature's own plus its gap's."""
        return {k: self.coef.get(k, 0.0) + self.coef.get(RELATIVE.get(k, ""), 0.0) for k in {*self.coef, *RELATIVE}}

    def contributions(self, feats: dict[str, float]) -> dict[str, float]:
        return {k: self.coef.get(k, 0.0) * v for k, v in feats.items()}

    def confidence(self, score: float, margin: float) -> float:
        a, b, c = self.calib
        return _sigmoid(a * score + b * min(margin, self.margin_cap) + c)

    def to_json(self) -> dict:
        return {"coef": self.coef, "bias": self.bias, "calib": list(self.calib), "margin_cap": self.margin_cap,
                "threshold": self.threshold, "info": self.info}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Weights:
    """The fitted weights (cached per path)."""
    raw = json.loads(Path(path or WEIGHTS_FILE).read_text(encoding="utf-8"))
    return Weights(coef={k: float(v) for k, v in raw["coef"].items()}, bias=float(raw["bias"]),
                   calib=tuple(raw["calib"]), threshold=float(raw["threshold"]), info=raw.get("info", {}),
                   margin_cap=float(raw.get("margin_cap", 5.0)))
