"""Accuracy snapshot: every development question over the shipped Peru report keeps its answer.

`bench/questions/peru-dev.jsonl` (40 questions with gold answers, 7 of them unanswerable) is
answered over the shipped corpus with the real model; each question's outcome (abstained or the
figure given, and whether that is right) must equal `tests/snapshots/peru-dev.json`. A change that
flips an answer fails here with the list of flips; when the change is meant (better answers),
regenerate the snapshot and commit it with the change:

    REPORTQA_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import ROOT

QUESTIONS = ROOT / "bench" / "questions" / "peru-dev.jsonl"
SNAPSHOT = Path(__file__).with_name("snapshots") / "peru-dev.json"


def outcomes(assistant, tmp_path) -> dict[str, dict]:
    from assistant.batch import answer_file

    result = answer_file(assistant, QUESTIONS, tmp_path / "answers.jsonl", progress=False)
    gold = {json.loads(line)["id"]: json.loads(line) for line in QUESTIONS.read_text().splitlines() if line}
    out = {}
    for row in result.rows:
        g = gold[row["id"]]
        if g.get("abstain"):
            right = bool(row["abstained"])
        elif g.get("value") is not None:
            right = not row["abstained"] and row["value"] is not None and \
                abs(row["value"] - g["value"]) <= 0.005 * max(1.0, abs(g["value"]))
        else:
            right = not row["abstained"] and any(t.lower() in row["answer"].lower() for t in g.get("text", []))
        out[row["id"]] = {"abstained": bool(row["abstained"]), "value": row["value"], "right": right}
    return out


def test_answers_match_the_snapshot(peru_assistant, tmp_path):
    got = outcomes(peru_assistant, tmp_path)
    if os.environ.get("REPORTQA_UPDATE_SNAPSHOT"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    flips = [f"{qid}: {want.get(qid)} -> {got.get(qid)}" for qid in sorted(set(want) | set(got))
             if want.get(qid) != got.get(qid)]
    assert not flips, "answers changed (regenerate the snapshot if meant):\n" + "\n".join(flips)
    assert sum(o["right"] for o in got.values()) >= 30  # the floor under the snapshot: 75% of 40
