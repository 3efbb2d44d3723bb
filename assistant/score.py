"""Answers + gold -> accuracy, abstention, page hit@k, latency; text and Markdown reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer import Answer
from assistant.batch_out import answer_row

if TYPE_CHECKING:
    from assistant.batch_in import QuestionRow

PAGE_KS = (1, 3, 5)
REL_TOLERANCE = 0.005  # a number is right when within 0.5% of the gold value


@dataclass(frozen=True)
class Gold:
    """What a questions file says the answer should be; None/empty where it says nothing."""

    value: float | None = None
    unit: str = ""
    text: tuple[str, ...] = ()  # accepted strings; one must appear in the answer
    abstain: bool | None = None
    page: int | None = None
    report: str = ""

    @property
    def judged(self) -> bool:
        """True when the gold says what a right answer is (not only where it is)."""
        return self.value is not None or bool(self.text) or self.abstain is not None

    def expected(self) -> str:
        if self.abstain:
            return "abstain"
        bits = []
        if self.value is not None:
            bits.append(f"{_num(self.value)} {self.unit}".strip())
        if self.text:
            bits.append(" | ".join(repr(t) for t in self.text))
        if self.page is not None:
            bits.append(f"p. {self.page}" + (f" of {self.report}" if self.report else ""))
        return "; ".join(bits)


def score(rows: Sequence[QuestionRow], answers: Sequence[Answer | dict | None]) -> dict:
    """Score answers (Answer objects or output rows, aligned with `rows`) against the gold fields.

    A judged question is right when every gold field it has holds: the value within 0.5% relative
    (and not abstained), one of `text` in the answer (case-insensitive), `abstain` matched. Page
    metrics use the cited sources in order, for questions whose gold names a page.
    """
    misses, by_kind, latencies = [], {}, []
    judged = correct = abstained = gold_abstain = both_abstain = 0
    ranks: list[int | None] = []
    for q, a in zip(rows, answers, strict=True):
        if a is None:
            continue
        r = a if isinstance(a, dict) else answer_row(q, a)
        if r.get("latency_ms"):
            latencies.append(float(r["latency_ms"]))
        g = q.gold
        if g is None:
            continue
        if g.page is not None:
            ranks.append(_page_rank(g, r.get("sources") or []))
        if not g.judged:
            continue
        ok = _is_right(g, r)
        judged += 1
        correct += ok
        kind = by_kind.setdefault(r.get("kind") or "unknown", {"n": 0, "correct": 0})
        kind["n"] += 1
        kind["correct"] += ok
        did, should = bool(r.get("abstained")), bool(g.abstain)
        abstained += did
        gold_abstain += should
        both_abstain += did and should
        if not ok:
            misses.append({"id": q.id, "question": q.question, "expected": g.expected(), "got": _got(r)})
    for k in by_kind.values():
        k["accuracy"] = k["correct"] / k["n"]
    pages = None
    if ranks:
        pages = {"n": len(ranks), "mrr": sum(1 / r for r in ranks if r) / len(ranks)}
        for k in PAGE_KS:
            pages[f"hit@{k}"] = sum(1 for r in ranks if r and r <= k) / len(ranks)
    return {
        "questions": len(rows),
        "judged": judged,
        "correct": correct,
        "accuracy": correct / judged if judged else None,
        "by_kind": dict(sorted(by_kind.items())),
        "abstention": {
            "abstained": abstained, "gold_abstain": gold_abstain, "both": both_abstain,
            "precision": both_abstain / abstained if abstained else None,
            "recall": both_abstain / gold_abstain if gold_abstain else None,
        },
        "pages": pages,
        "latency_ms": {"n": len(latencies), "p50": _percentile(latencies, 50),
                       "p95": _percentile(latencies, 95)},
        "misses": misses,
    }


def _is_right(g: Gold, r: dict) -> bool:
    if g.abstain is not None and bool(r.get("abstained")) != g.abstain:
        return False
    if g.abstain:
        return True
    if r.get("abstained"):
        return False  # gold has an answer (a value or text), we gave none
    if g.value is not None:
        v = r.get("value")
        if v is None or abs(float(v) - g.value) > REL_TOLERANCE * abs(g.value):
            return False
    if g.text:
        said = _fold(str(r.get("answer") or ""))
        if not any(_fold(t) in said for t in g.text):
            return False
    return True


def _fold(text: str) -> str:
    """Case and typographic quotes do not make an answer wrong ("Grand’Anse" is "Grand'Anse")."""
    return text.translate(_QUOTES).casefold()


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _page_rank(g: Gold, sources: list[dict]) -> int | None:
    """1-based rank of the first cited source on the gold page (and report, when given)."""
    for rank, s in enumerate(sources, 1):
        if s.get("page") == g.page and (not g.report or _same_report(g.report, str(s.get("report", "")))):
            return rank
    return None


def _same_report(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a == b or Path(a).stem == Path(b).stem


def _got(r: dict) -> str:
    if r.get("abstained"):
        return "abstained" + (f" ({r['reason']})" if r.get("reason") else "")
    if r.get("value") is not None:
        return f"{_num(r['value'])} {r.get('unit') or ''}".strip() + f" — {r.get('answer', '')}"
    return str(r.get("answer", ""))


def _percentile(xs: list[float], p: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.4g}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f} ms"


def format_score(s: dict) -> str:
    """The score as a few plain-text lines for a terminal."""
    ab, lat = s["abstention"], s["latency_ms"]
    lines = [f"accuracy: {_pct(s['accuracy'])} ({s['correct']}/{s['judged']} judged questions)"]
    for kind, k in s["by_kind"].items():
        lines.append(f"  {kind:<10} {_pct(k['accuracy'])} ({k['correct']}/{k['n']})")
    lines.append(f"abstention: precision {_pct(ab['precision'])}, recall {_pct(ab['recall'])} "
                 f"(abstained on {ab['abstained']}, gold says abstain on {ab['gold_abstain']})")
    if s["pages"]:
        p = s["pages"]
        hits = ", ".join(f"hit@{k} {_pct(p[f'hit@{k}'])}" for k in PAGE_KS)
        lines.append(f"cited pages: {hits}, MRR {p['mrr']:.3f} ({p['n']} questions with a gold page)")
    lines.append(f"latency per question: p50 {_ms(lat['p50'])}, p95 {_ms(lat['p95'])}")
    if s["misses"]:
        lines.append(f"misses ({len(s['misses'])}):")
        for m in s["misses"]:
            lines += [f"  [{m['id']}] {m['question']}", f"      expected: {m['expected']}",
                      f"      got: {m['got']}"]
    return "\n".join(lines)


def format_report(s: dict, title: str = "Batch score") -> str:
    """The score as a Markdown report (`--report FILE.md`)."""
    ab, lat = s["abstention"], s["latency_ms"]
    out = [f"# {title}", "", f"**Accuracy: {_pct(s['accuracy'])}** ({s['correct']} of {s['judged']} "
           f"judged questions; {s['questions']} questions in the file).", "",
           "| answer kind | questions | correct | accuracy |", "|---|---:|---:|---:|"]
    out += [f"| {k} | {v['n']} | {v['correct']} | {_pct(v['accuracy'])} |" for k, v in s["by_kind"].items()]
    out += ["", "## Abstention", "",
            f"- Precision: {_pct(ab['precision'])} (of {ab['abstained']} abstentions, {ab['both']} "
            "were questions the gold says should abstain)",
            f"- Recall: {_pct(ab['recall'])} (of {ab['gold_abstain']} such questions, {ab['both']} "
            "abstained)"]
    if s["pages"]:
        p = s["pages"]
        out += ["", "## Cited pages", "", f"{p['n']} questions name a gold page.", "",
                "| " + " | ".join(f"hit@{k}" for k in PAGE_KS) + " | MRR |",
                "|" + "---:|" * (len(PAGE_KS) + 1),
                "| " + " | ".join(_pct(p[f"hit@{k}"]) for k in PAGE_KS) + f" | {p['mrr']:.3f} |"]
    out += ["", "## Latency", "", f"Per question (a batch's time shared by its questions): "
            f"p50 {_ms(lat['p50'])}, p95 {_ms(lat['p95'])}.", "", f"## Misses ({len(s['misses'])})", ""]
    if s["misses"]:
        out += ["| id | question | expected | got |", "|---|---|---|---|"]
        out += [f"| {_md(m['id'])} | {_md(m['question'])} | {_md(m['expected'])} | {_md(m['got'])} |"
                for m in s["misses"]]
    else:
        out.append("None.")
    return "\n".join(out) + "\n"


def _md(s: str, limit: int = 300) -> str:
    s = " ".join(str(s).split())
    s = s if len(s) <= limit else s[:limit] + "…"
    return s.replace("|", "\\|")
