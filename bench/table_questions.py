"""Table and key-figure panel questions of the blind rounds: how many are answered right, and why the others miss.

    python bench/table_questions.py [--cache DIR] [--rounds 1 2 ...] [--list]

Every question with "style": "table" or "panel" in bench/questions/blind-r*.jsonl is answered over the
index of every shared report (the one bench/accuracy.py builds in the same cache) and each miss is put
in one class, the first that holds:

- no fact: no fact of the gold report holds the gold value (extraction);
- not a candidate: a fact holds it, but the matcher offers no candidate with it (its labels do not reach
  the question, or it ranks below the 40 kept);
- ranked below: a candidate with the gold value ranks under another figure;
- abstained: the gold value ranks first, under the confidence threshold;
- wrong first: the gold value ranks first and another figure is answered (a rule overruled it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, corpora, offline  # noqa: E402
from fit import REL, collect  # noqa: E402

CLASSES = ("right", "no fact", "not a candidate", "ranked below", "abstained", "wrong first")


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= REL * max(1.0, abs(b))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "reportqa-bench-accuracy"))
    p.add_argument("--rounds", nargs="*", type=int, help="round numbers (default: every blind round)")
    p.add_argument("--list", action="store_true", help="print each question's class")
    args = p.parse_args()
    offline()
    from assistant.batch import answer_file
    from assistant.core import Assistant
    from assistant.rank import FEATURES, load
    from indexer.embed import Embedder

    embedder = Embedder()
    _, large = corpora(Path(args.cache), embedder)
    assistant = Assistant(large)
    assistant._engine._embedder = embedder
    reader = assistant._engine._state().reader
    report_ids = {r.name: r.id for r in reader.reports()}
    w = load()
    coef = np.array([w.coef.get(k, 0.0) for k in FEATURES])
    totals: dict[str, Counter] = {}
    work = Path(tempfile.mkdtemp(prefix="table-questions-"))
    for path in sorted((ROOT / "bench" / "questions").glob("blind-r*.jsonl"), key=lambda f: int(f.stem[7:])):
        n = int(path.stem[7:])
        if args.rounds and n not in args.rounds:
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if r.get("style") in ("table", "panel") and r.get("value") is not None]
        if not rows:
            continue
        qfile = work / path.name
        qfile.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        answers = {row["id"]: row for row in answer_file(assistant, qfile, work / f"answers-{n}.jsonl",
                                                          progress=False).rows}
        items = {it.qid.split(":", 1)[1]: it for it in collect(assistant, qfile, path.stem)}
        for r in rows:
            gold, got, it = r["value"], answers[r["id"]], items[r["id"]]
            rank = None
            if len(it.y):
                order = list(np.argsort(-(it.X @ coef)))
                rank = next((k for k, j in enumerate(order) if it.y[j]), None)
            if not got["abstained"] and _close(got["value"], gold):
                cls = "right"
            elif rank == 0:
                cls = "abstained" if got["abstained"] else "wrong first"
            elif rank is not None:
                cls = "ranked below"
            else:
                rid = report_ids.get(r.get("report", ""))
                have = rid is not None and any(_close(f.value, gold) for _, _, f in reader.facts(report_id=rid))
                cls = "not a candidate" if have else "no fact"
            totals.setdefault(r["style"], Counter())[cls] += 1
            totals.setdefault(f"round {n}", Counter())[cls] += 1
            if args.list:
                print(f"{r['id']:10} {r['style']:6} {cls:16} gold={gold} got={got['value']} | {r['question'][:90]}")
    print(f"{'':12} {'n':>4} " + " ".join(f"{c:>15}" for c in CLASSES))
    everything: Counter = Counter()
    for name in [k for k in totals if k.startswith("round")] + ["table", "panel"]:
        c = totals.get(name, Counter())
        if not name.startswith("round"):
            everything += c
        print(f"{name:12} {sum(c.values()):>4} " + " ".join(f"{c[k]:>15}" for k in CLASSES))
    print(f"{'all':12} {sum(everything.values()):>4} " + " ".join(f"{everything[k]:>15}" for k in CLASSES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
