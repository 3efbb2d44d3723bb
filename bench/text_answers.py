"""The non-numeric questions (gold `text`) of the development sets: right / wrong / abstained per set,
and the sentence floor chosen by cross-validation by report.

    python bench/text_answers.py [--cache DIR]            # per set, as the code answers now
    python bench/text_answers.py [--cache DIR] --sweep    # the floor, held out by report
    python bench/text_answers.py --answers DIR            # per set, from the answer files accuracy.py wrote

Uses the indexes `bench/accuracy.py` builds under the same cache (run it first). A text answer is right
when one accepted string is in its text (as `reportqa batch` scores it); `short` counts those whose first
line (the short answer: the date, name or place) holds one. `--sweep` answers with no floor, so every
sentence answer carries its score (`detail.sentence_score`), then leaves one report out at a time:
the floor is chosen on the other reports' questions to maximise right - 2 x wrong (a wrong sentence
costs two abstentions) and applied to the held-out report's; the held-out totals are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED  # noqa: E402

WRONG_COST = 2.0


def text_rows(every: bool = False):
    """(set name, index name, QuestionRow) of every question whose gold is a text (`every`: with gold)."""
    from assistant.batch_in import read_questions

    files = [SHARED / "questions" / "seed-dev.jsonl"] if (SHARED / "questions" / "seed-dev.jsonl").is_file() else []
    files += sorted((ROOT / "bench" / "questions").glob("*.jsonl"))
    for f in files:
        index = "peru" if f.stem.startswith(("peru", "seed")) else "all"
        for row in read_questions(f):
            if row.gold is not None and (row.gold.text or every and row.gold.judged):
                yield f.stem, index, row


def judge(row, answer) -> str:
    """'right', 'wrong' or 'abstained'; 'right' as the batch scores it (a gold string in the text; a
    sentence answer to a question whose gold is a figure or an abstention is wrong)."""
    if answer.abstained:
        return "abstained"
    if not row.gold.text:
        return "wrong"
    said = answer.text.casefold().replace("’", "'")
    return "right" if any(t.casefold().replace("’", "'") in said for t in row.gold.text) else "wrong"


def short_right(row, answer) -> bool:
    first = answer.text.split("\n", 1)[0].casefold().replace("’", "'")
    return not answer.abstained and any(t.casefold().replace("’", "'") in first for t in row.gold.text)


def answer_all(cache: Path, floor: float | None = None, every: bool = False):
    from assistant import extract
    from assistant.core import Assistant
    from indexer.embed import Embedder

    if floor is not None:
        extract.SENTENCE_MIN = floor
    embedder = Embedder()
    out = []
    rows = list(text_rows(every))
    for index in ("peru", "all"):
        mine = [(s, r) for s, i, r in rows if i == index]
        if not mine:
            continue
        assistant = Assistant(cache / index)
        assistant._engine._embedder = embedder
        answers = assistant.ask_many([r.question for _, r in mine])
        out += [(s, r, a) for (s, r), a in zip(mine, answers, strict=True)]
    return out


class _Row:
    """A batch answer row read back (its text, whether it abstained) in the shape `judge` reads."""

    def __init__(self, row: dict):
        self.text, self.abstained, self.detail = row.get("answer") or "", bool(row.get("abstained")), None


def from_answers(folder: Path):
    """The text-gold questions' answers as `bench/accuracy.py` wrote them (FOLDER/<set>.jsonl)."""
    import json

    out = []
    for s, _, row in text_rows():
        with open(folder / f"{s}.jsonl", encoding="utf-8") as fh:
            got = {r["id"]: r for r in map(json.loads, fh)}
        out.append((s, row, _Row(got[row.id])))
    return out


def per_set(results) -> None:
    sets: dict[str, list[int]] = {}
    for s, row, a in results:
        t = sets.setdefault(s, [0, 0, 0, 0])
        t[("right", "wrong", "abstained").index(judge(row, a))] += 1
        t[3] += short_right(row, a)
    print(f"{'set':16} {'n':>3} {'right':>6} {'wrong':>6} {'abstained':>10} {'short right':>12}")
    tot = [0, 0, 0, 0]
    for s, t in sets.items():
        print(f"{s:16} {sum(t[:3]):>3} {t[0]:>6} {t[1]:>6} {t[2]:>10} {t[3]:>12}")
        tot = [a + b for a, b in zip(tot, t, strict=True)]
    print(f"{'all':16} {sum(tot[:3]):>3} {tot[0]:>6} {tot[1]:>6} {tot[2]:>10} {tot[3]:>12}")


def best_floor(points: list[tuple[float, bool]]) -> float:
    """The floor maximising right - WRONG_COST x wrong over (score, right) points; the midpoint between
    two scores, the lower one on ties (fewer abstentions)."""
    scores = sorted({s for s, _ in points})
    cuts = [scores[0] - 1e-6] + [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)] + [scores[-1] + 1e-6]
    gain = [sum((1.0 if ok else -WRONG_COST) for s, ok in points if s >= c) for c in cuts]
    return cuts[max(range(len(cuts)), key=lambda i: (gain[i], -i))]


def sweep(results) -> None:
    """Leave one report out: the floor from the other reports' sentence answers, applied to its own.
    Every question with a gold answer counts whose answer is a sentence: a text gold one is right or
    wrong, one whose gold is a figure or an abstention is wrong."""
    from assistant.answer import SentenceDetail

    points = []  # (report, score, right) of each sentence answer
    for _, row, a in results:
        score = a.detail.sentence_score if isinstance(a.detail, SentenceDetail) else None
        if score is None:
            continue
        points.append((row.gold.report or row.id, float(score), judge(row, a) == "right"))
    reports = sorted({p[0] for p in points})
    right = wrong = held = 0
    floors = []
    for rep in reports:
        train = [(s, ok) for r, s, ok in points if r != rep]
        floor = best_floor(train)
        floors.append(floor)
        for r, s, ok in points:
            if r == rep:
                if s >= floor:
                    right += ok
                    wrong += not ok
                else:
                    held += 1
    print(f"floors chosen by the folds: {min(floors):.3f} to {max(floors):.3f}")
    whole = best_floor([(s, ok) for _, s, ok in points])
    n_right = sum(ok for *_, ok in points)
    print(f"sentence answers without a floor: {len(points)} ({n_right} right), over {len(reports)} reports")
    print(f"held out by report: {right} right, {wrong} wrong, {held} abstained "
          f"(right - {WRONG_COST:g} x wrong = {right - WRONG_COST * wrong:g})")
    at = [(s, ok) for _, s, ok in points if s >= whole]
    print(f"floor fitted on all: {whole:.3f} ({sum(ok for _, ok in at)} right, "
          f"{sum(not ok for _, ok in at)} wrong above it)")
    for r, s, ok in sorted(points, key=lambda p: -p[1]):
        print(f"  {s:6.3f} {'right' if ok else 'WRONG'}  {r}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "reportqa-bench-accuracy"))
    p.add_argument("--sweep", action="store_true", help="choose the sentence floor, held out by report")
    p.add_argument("--answers", help="judge the answer files bench/accuracy.py wrote in this folder")
    args = p.parse_args()
    cache = Path(args.cache)
    if args.answers:
        per_set(from_answers(Path(args.answers)))
    elif args.sweep:
        sweep(answer_all(cache, floor=-1e9, every=True))
    else:
        per_set(answer_all(cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
