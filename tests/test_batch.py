"""Batch mode: question files in each format, answer files out, resume, gold scoring, bad input.

Unit tests use a deterministic fake assistant (a table of canned answers); the end-to-end test at
the bottom runs `reportqa batch` over a real index built in tmp_path with the real model.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import batch
from assistant.answer import Answer, Source
from indexer.errors import BadQuestions, IndexMissing

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REPORT = "r4v-peru-2020-10.txt"


def _src(page: int = 1, quote: str = "a quote") -> Source:
    return Source(report=REPORT, title="Peru", publisher="R4V", date="2020-10", page=page, page_label="",
                  quote=quote)


# question -> (text, value, unit, kind, page); anything else abstains
CANNED = {
    "How many refugees and migrants were helped to access financial services?":
        ("Partners assisted 270 refugees and migrants to access financial services.", 270.0, "", "count", 1),
    "How many persons received hygiene kits?":
        ("2,140 persons received hygiene kits.", 2140.0, "", "count", 2),
    "How much funding has the Peru response received?": ("The response is funded at 54M.", 54e6, "USD",
                                                         "money", 1),
    # deliberately wrong: the report says 300
    "How many vulnerable refugees and migrants were given alternative accommodation?":
        ("200 benefited from infrastructure support.", 200.0, "", "count", 1),
    "Which ministry received the calls from survivors of gender-based violence?":
        ("The Ministry of Women and Vulnerable Populations (MIMP).", None, "", "name", 1),
}


class FakeAssistant:
    """Deterministic stand-in for assistant.core.Assistant: canned answers, records every call."""

    def __init__(self, fail_on: str | None = None, interrupt_after: int | None = None):
        self.asked: list[str] = []
        self.calls = 0
        self.fail_on = fail_on
        self.interrupt_after = interrupt_after  # raise KeyboardInterrupt on this ask_many call (1-based)

    def ask(self, question: str, reports=None) -> Answer:
        if self.fail_on and self.fail_on in question:
            raise ValueError("the fake cannot parse this")
        self.asked.append(question)
        if question in CANNED:
            text, value, unit, kind, page = CANNED[question]
            return Answer(question=question, text=text, abstained=False, confidence=0.9, value=value,
                          unit=unit, kind=kind, sources=(_src(page, text), _src(page + 1)))
        return Answer(question=question, text="The reports don't say.", abstained=True, confidence=0.1,
                      kind="count", sources=(_src(3),), reason="no matching fact")

    def ask_many(self, questions, reports=None) -> list[Answer]:
        self.calls += 1
        if self.interrupt_after is not None and self.calls > self.interrupt_after:
            raise KeyboardInterrupt
        return [self.ask(q, reports) for q in questions]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ reading formats


def test_txt_skips_blanks_and_comments_and_ids_are_line_numbers():
    rows = batch.read_questions(EXAMPLES / "questions.txt")
    assert [r.id for r in rows] == ["3", "4", "5", "7", "8"]
    assert rows[0].question.startswith("How many refugees") and rows[0].gold is None


def test_csv_reads_ids_and_gold_columns():
    rows = {r.id: r for r in batch.read_questions(EXAMPLES / "questions.csv")}
    assert rows["d19"].gold.value == 54e6 and rows["d19"].gold.unit == "USD"
    assert rows["x03"].gold.text == ("MIMP", "Ministry of Women")
    assert rows["d26"].gold.abstain is True and rows["d26"].gold.value is None


def test_csv_without_id_numbers_rows_and_handles_quoted_newlines(tmp_path):
    f = _write(tmp_path / "q.csv", 'question,value\n"How many,\nreally?",1\n\nSecond?,"1,043"\n')
    rows = batch.read_questions(f)
    assert [(r.id, r.line) for r in rows] == [("1", 2), ("2", 5)]
    assert rows[1].gold.value == 1043


def test_jsonl_reads_ids_gold_and_defaults_id_to_line_number():
    rows = batch.read_questions(EXAMPLES / "questions.jsonl")
    by_id = {r.id: r for r in rows}
    assert by_id["x01"].gold.page == 1 and by_id["x01"].gold.report == REPORT
    assert by_id["d26"].gold.abstain is True


def test_jsonl_id_defaults_to_line(tmp_path):
    f = _write(tmp_path / "q.jsonl", '{"question": "a?"}\n\n{"question": "b?", "text": "x"}\n')
    rows = batch.read_questions(f)
    assert [r.id for r in rows] == ["1", "3"] and rows[1].gold.text == ("x",)


@pytest.mark.parametrize("content, fmt", [('{"question": "Q1?"}\n{"question": "Q2?"}\n', "jsonl"),
                                          ("# c\nQ1?\nQ2?\n", "txt")])
def test_stdin_is_sniffed(monkeypatch, content, fmt):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content.encode())))
    rows = batch.read_questions("-")
    assert [r.question for r in rows] == ["Q1?", "Q2?"]
    assert [r.id for r in rows] == (["1", "2"] if fmt == "jsonl" else ["2", "3"])


# ---------------------------------------------------------------------------------- bad input

BAD_INPUTS = [
    ("no-question-column.csv", "q,value\nHow many?,3\n", "line 1: no 'question' column (found: q, value)"),
    ("malformed.jsonl", '{"question": "a?"}\n{"question": "b?"}\n{"question": "c?" "id": 3}\n',
     "malformed.jsonl line 3: not valid JSON (Expecting ',' delimiter"),
    ("not-object.jsonl", '["a list"]\n', "not-object.jsonl line 1: expected a JSON object"),
    ("no-question-key.jsonl", '{"q": "a?"}\n', "no-question-key.jsonl line 1: no \"question\""),
    ("empty.txt", "", "empty.txt: the file is empty"),
    ("only-comments.txt", "# nothing here\n\n", "only-comments.txt: no questions found"),
    ("not-utf8.txt", b"First?\nSecond?\nCaf\xe9 au lait?\n",
     "not-utf8.txt line 3: not valid UTF-8 (byte 0xe9)"),
    ("bad-value.jsonl", '{"question": "a?", "value": "lots"}\n',
     "bad-value.jsonl line 1: 'value' must be a number"),
    ("bad-abstain.csv", "question,abstain\na?,maybe\n",
     "bad-abstain.csv line 2: 'abstain' must be true or false"),
    ("dup-id.jsonl", '{"id": "a", "question": "x?"}\n{"id": "a", "question": "y?"}\n',
     "dup-id.jsonl line 2: duplicate id 'a' (first on line 1)"),
    ("empty-cell.csv", "id,question\n1,\n", "empty-cell.csv line 2: the 'question' cell is empty"),
    ("nested.jsonl", '{"question": "a?", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
     "nested.jsonl line 1: JSON nested too deeply"),
    ("nan-value.jsonl", '{"question": "a?", "value": NaN}\n', "nan-value.jsonl line 1: 'value' must be a finite"),
    ("inf-value.jsonl", '{"question": "a?", "value": 1e999}\n', "inf-value.jsonl line 1: 'value' must be a finite"),
]


@pytest.mark.parametrize("name, content, message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_the_line_before_answering(tmp_path, name, content, message):
    f = _write(tmp_path / name, content)
    fake = FakeAssistant()
    with pytest.raises(BadQuestions) as e:
        batch.answer_file(fake, f, tmp_path / "out.jsonl", progress=False)
    assert message in str(e.value)
    assert fake.asked == [] and not (tmp_path / "out.jsonl").exists()


def test_unreadable_file(tmp_path):
    with pytest.raises(BadQuestions, match="missing.txt: cannot read the questions file"):
        batch.read_questions(tmp_path / "missing.txt")
    with pytest.raises(BadQuestions, match="cannot read"):
        batch.read_questions(tmp_path)  # a folder


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_oversize_question_and_failing_question_abstain_with_reason(tmp_path, fmt):
    huge = "How many " + "very " * 30_000 + "people?"  # ~150 KB, over the csv module's default cell limit
    qs = ["How many persons received hygiene kits?", huge, "Please EXPLODE now?",
          "How much funding has the Peru response received?"]
    if fmt == "jsonl":
        f = _write(tmp_path / "q.jsonl", "\n".join(json.dumps({"question": q}) for q in qs) + "\n")
    else:
        f = _write(tmp_path / "q.csv", "question\n" + "\n".join(qs) + "\n")
    fake = FakeAssistant(fail_on="EXPLODE")
    result = batch.answer_file(fake, f, tmp_path / "a.jsonl", progress=False)
    rows = _jsonl(tmp_path / "a.jsonl")
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["value"] == 2140 and rows[3]["value"] == 54e6
    assert rows[1]["abstained"] and "150,016 characters long; the limit is 2,000" in rows[1]["reason"]
    assert rows[2]["abstained"] and "ValueError: the fake cannot parse this" in rows[2]["reason"]
    assert huge not in fake.asked  # never embedded
    assert len(rows[1]["question"]) == batch.MAX_QUESTION_CHARS + 1
    assert result.rows == rows and result.score is None


# ------------------------------------------------------------------------------------- output


def test_jsonl_output_rows_in_input_order(tmp_path):
    out = tmp_path / "answers.jsonl"
    result = batch.answer_file(FakeAssistant(), EXAMPLES / "questions.jsonl", out, progress=False,
                               batch_size=3)
    rows = _jsonl(out)
    assert [r["id"] for r in rows] == [q.id for q in batch.read_questions(EXAMPLES / "questions.jsonl")]
    first = rows[0]
    assert set(batch.COLUMNS) | {"sources"} == set(first)
    assert first["value"] == 270 and first["abstained"] is False and first["confidence"] == 0.9
    assert first["sources"][0] == {"report": REPORT, "page": 1, "quote": CANNED[first["question"]][0]}
    assert result.rows == rows and result.answered == len(rows)


def test_csv_output_flattens_first_source(tmp_path):
    out = tmp_path / "answers.csv"
    batch.answer_file(FakeAssistant(), EXAMPLES / "questions.csv", out, progress=False)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(batch.CSV_COLUMNS)
    assert [r["id"] for r in rows] == ["d01", "d19", "x01", "x03", "d26"]
    assert rows[2]["source_report"] == REPORT and rows[2]["source_page"] == "2"
    assert rows[2]["source_quote"] == "2,140 persons received hygiene kits."
    assert rows[4]["abstained"] == "True" and rows[4]["value"] == ""


def test_stdout_when_no_out(tmp_path, capsys):
    batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", None, progress=False)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["3", "4", "5", "7", "8"]


def test_unknown_out_extension(tmp_path):
    with pytest.raises(BadQuestions, match="must end in .jsonl or .csv"):
        batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", tmp_path / "a.xlsx", progress=False)


# ------------------------------------------------------------------------------------- resume


def _many(tmp_path: Path, n: int = 10, suffix: str = ".jsonl") -> Path:
    qs = [f"Question number {i}?" for i in range(n)]
    if suffix == ".csv":
        return _write(tmp_path / "q.csv", "question\n" + "\n".join(qs) + "\n")
    return _write(tmp_path / "q.txt", "\n".join(qs) + "\n")


@pytest.mark.parametrize("out_name", ["a.jsonl", "a.csv"])
def test_interrupted_run_keeps_finished_rows_and_resume_completes(tmp_path, out_name):
    questions, out = _many(tmp_path), tmp_path / out_name
    first = FakeAssistant(interrupt_after=1)
    with pytest.raises(KeyboardInterrupt):
        batch.answer_file(first, questions, out, progress=False, batch_size=4)
    assert len(first.asked) == 4
    done = batch.read_done(out, "csv" if out_name.endswith(".csv") else "jsonl")
    assert list(done) == ["1", "2", "3", "4"]  # the first batch is on disk

    second = FakeAssistant()
    result = batch.answer_file(second, questions, out, resume=True, progress=False, batch_size=4)
    assert second.asked == [f"Question number {i}?" for i in range(4, 10)]  # nothing asked twice
    assert (result.resumed, result.answered) == (4, 6)
    assert [r["id"] for r in result.rows] == [str(i) for i in range(1, 11)]
    final = batch.read_done(out, "csv" if out_name.endswith(".csv") else "jsonl")
    assert list(final) == [str(i) for i in range(1, 11)]
    if out_name.endswith(".csv"):
        assert out.read_text().count("id,question,") == 1  # one header


def test_resume_drops_a_row_cut_short_by_a_kill(tmp_path):
    questions, out = _many(tmp_path, 3), tmp_path / "a.jsonl"
    out.write_text('{"id": "1", "question": "Question number 0?", "abstained": true, "sources": []}\n'
                   '{"id": "2", "qu')
    fake = FakeAssistant()
    batch.answer_file(fake, questions, out, resume=True, progress=False)
    assert fake.asked == ["Question number 1?", "Question number 2?"]
    assert [r["id"] for r in _jsonl(out)] == ["1", "2", "3"]


def test_resume_refuses_a_foreign_csv(tmp_path):
    out = _write(tmp_path / "a.csv", "id,question,answer\n1,x,y\n")
    with pytest.raises(BadQuestions, match="a.csv line 1: not an answers file"):
        batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", out, resume=True, progress=False)


def test_out_must_not_be_the_questions_file(tmp_path):
    f = _write(tmp_path / "q.jsonl", '{"question": "a?"}\n')
    with pytest.raises(BadQuestions, match="would overwrite the questions file"):
        batch.answer_file(FakeAssistant(), f, f, progress=False)
    assert f.read_text() == '{"question": "a?"}\n'


def test_resume_needs_an_out_file():
    with pytest.raises(BadQuestions, match="--resume needs --out"):
        batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", None, resume=True, progress=False)


def test_without_resume_the_out_file_is_rewritten(tmp_path):
    out = tmp_path / "a.jsonl"
    out.write_text('{"id": "3", "stale": true}\n')
    batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", out, progress=False)
    assert [r["id"] for r in _jsonl(out)] == ["3", "4", "5", "7", "8"] and "stale" not in out.read_text()


# ------------------------------------------------------------------------------------ scoring


def test_gold_scoring_counts_a_wrong_answer():
    rows = batch.read_questions(EXAMPLES / "questions.jsonl")
    fake = FakeAssistant()
    s = batch.score(rows, [fake.ask(r.question) for r in rows])
    # right: d01 (270), d19 (54M), x01 (2,140), x03 (text "MIMP"), d26 and x04 (abstain);
    # wrong: d03 (200, gold 300), d12, d21, x02 (abstained, gold has a value)
    assert (s["judged"], s["correct"]) == (10, 6) and s["accuracy"] == pytest.approx(0.6)
    assert {m["id"] for m in s["misses"]} == {"d03", "d12", "d21", "x02"}
    miss = next(m for m in s["misses"] if m["id"] == "d03")
    assert miss["expected"] == "300" and miss["got"].startswith("200 — ")
    assert s["by_kind"]["money"] == {"n": 1, "correct": 1, "accuracy": 1.0}
    assert s["by_kind"]["count"]["n"] == 8 and s["by_kind"]["name"]["correct"] == 1
    # abstained on d12, d21, x02, d26, x04; gold says abstain on d26, x04
    assert s["abstention"]["precision"] == pytest.approx(2 / 5) and s["abstention"]["recall"] == 1.0
    # d01 cited p. 1 first (rank 1); x01 cited p. 2 then p. 3, never p. 1 (a miss)
    assert s["pages"] == {"n": 2, "mrr": 0.5, "hit@1": 0.5, "hit@3": 0.5, "hit@5": 0.5}
    text = batch.format_score(s)
    assert "accuracy: 60.0% (6/10" in text and "[d03]" in text and "MRR 0.500" in text


@pytest.mark.parametrize("gold, row, right", [
    (batch.Gold(value=1000), {"value": 1004.9, "abstained": False}, True),  # within 0.5%
    (batch.Gold(value=1000), {"value": 1006, "abstained": False}, False),
    (batch.Gold(value=1000), {"value": None, "abstained": True}, False),
    (batch.Gold(value=0), {"value": 0, "abstained": False}, True),
    (batch.Gold(text=("food security",)), {"answer": "Food Security did.", "abstained": False}, True),
    (batch.Gold(text=("Food Security",)), {"answer": "Health.", "abstained": False}, False),
    (batch.Gold(abstain=True), {"value": 5, "abstained": False}, False),
    (batch.Gold(abstain=True), {"abstained": True}, True),
    (batch.Gold(value=5, abstain=False), {"value": 5, "abstained": False}, True),
], ids=["within-tolerance", "outside-tolerance", "abstained-on-value", "zero", "text-case",
        "text-wrong", "should-abstain", "abstained", "explicit-no-abstain"])
def test_is_right(gold, row, right):
    assert batch._is_right(gold, row) is right


def test_score_survives_resume_and_report_is_markdown(tmp_path):
    questions, out = EXAMPLES / "questions.jsonl", tmp_path / "a.csv"
    with pytest.raises(KeyboardInterrupt):
        batch.answer_file(FakeAssistant(interrupt_after=1), questions, out, progress=False, batch_size=4)
    result = batch.answer_file(FakeAssistant(), questions, out, resume=True, progress=False, batch_size=4)
    assert result.score["correct"] == 6 and result.score["pages"]["mrr"] == 0.5
    md = batch.format_report(result.score)
    assert md.startswith("# Batch score") and "| d03 |" in md and "| hit@1 | hit@3 | hit@5 | MRR |" in md


def test_no_gold_no_score(tmp_path):
    result = batch.answer_file(FakeAssistant(), EXAMPLES / "questions.txt", tmp_path / "a.jsonl",
                               progress=False)
    assert result.score is None and result.score_text is None


# ---------------------------------------------------------------------------------------- run()


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    batch.add_arguments(parser)
    return parser.parse_args(argv)


def test_run_prints_score_and_writes_report(tmp_path, capsys):
    out, report = tmp_path / "a.jsonl", tmp_path / "score.md"
    code = batch.run(_args(str(EXAMPLES / "questions.jsonl"), "--out", str(out), "--report", str(report)),
                     assistant=FakeAssistant())
    assert code == 0
    assert "accuracy: 60.0%" in capsys.readouterr().out
    assert "## Misses (4)" in report.read_text()


def test_run_turns_errors_into_one_line(tmp_path, capsys):
    bad = _write(tmp_path / "q.jsonl", "{oops\n")
    assert batch.run(_args(str(bad)), assistant=FakeAssistant()) == 2
    err = capsys.readouterr().err
    assert err.startswith("reportqa batch: q.jsonl line 1: not valid JSON") and err.count("\n") == 1


BAD_OUTPUTS = [  # (name, arguments after the questions file, message): refused before any answering
    ("out-is-a-folder", ["--out", "{tmp}"], "is a folder"),
    ("out-unwritable", ["--out", "{tmp}/plain.txt/a.jsonl"], "cannot write the answers file"),
    ("report-in-missing-folder", ["--out", "{tmp}/a.jsonl", "--report", "{tmp}/nowhere/score.md"],
     "does not exist"),
    ("report-is-a-folder", ["--out", "{tmp}/a.jsonl", "--report", "{tmp}"], "is a folder"),
]


@pytest.mark.parametrize("name, extra, message", BAD_OUTPUTS, ids=[b[0] for b in BAD_OUTPUTS])
def test_bad_output_paths_are_one_line_before_answering(tmp_path, capsys, name, extra, message):
    (tmp_path / "plain.txt").write_text("a file, not a folder")
    fake = FakeAssistant()
    code = batch.run(_args(str(EXAMPLES / "questions.jsonl"), *[a.format(tmp=tmp_path) for a in extra]),
                     assistant=fake)
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert fake.asked == []


def test_a_lone_surrogate_in_a_question_is_answered_and_written(tmp_path, peru_assistant):
    questions = _write(tmp_path / "q.jsonl", '{"id": "s\\udc80", "question": "How many persons received '
                                             'hygiene kits?\\ud800"}\n{"question": "How many?"}\n')
    out = tmp_path / "a.jsonl"
    result = batch.answer_file(peru_assistant, questions, out, progress=False)
    assert len(result.rows) == 2 and result.rows[0]["value"] == 2140
    assert [r["id"] for r in _jsonl(out)] == ["s\ufffd", "2"]


def test_run_reports_a_missing_index(tmp_path, capsys):
    class NoIndex(FakeAssistant):
        def ask(self, question, reports=None):
            raise IndexMissing("no index in /x; run `reportqa index`")

    assert batch.run(_args(str(EXAMPLES / "questions.txt")), assistant=NoIndex()) == 2
    assert "no index in /x" in capsys.readouterr().err


def test_a_missing_index_fails_before_the_out_file_is_touched(tmp_path):
    class NoIndex(FakeAssistant):
        def warm(self):
            raise IndexMissing("no index in /x; run `reportqa index`")

    out = _write(tmp_path / "a.jsonl", '{"id": "3"}\n')
    with pytest.raises(IndexMissing):
        batch.answer_file(NoIndex(), EXAMPLES / "questions.txt", out, progress=False)
    assert out.read_text() == '{"id": "3"}\n'


def test_run_interrupted_says_how_to_resume(tmp_path, capsys):
    out = tmp_path / "a.jsonl"
    code = batch.run(_args(str(_many(tmp_path)), "--out", str(out), "--batch-size", "4"),
                     assistant=FakeAssistant(interrupt_after=1))
    assert code == 130 and "--resume" in capsys.readouterr().err and len(_jsonl(out)) == 4


# ---------------------------------------------------------------------------------- end to end


def _real_core_available() -> bool:
    names = ("assistant.engine", "indexer.build", "assistant.cli")
    return all(importlib.util.find_spec(n) is not None for n in names)


@pytest.mark.e2e  # a real process (the model, a kill, a memory measurement)
@pytest.mark.skipif(not _real_core_available(), reason="assistant.engine / indexer.build not landed yet")
def test_end_to_end_reportqa_batch_over_a_real_index(tmp_path):
    from indexer.build import build_index

    index = tmp_path / "index"
    build_index([ROOT / "corpus" / REPORT], index_dir=index)
    out, report = tmp_path / "answers.csv", tmp_path / "score.md"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "CI": "1"}
    cmd = [sys.executable, "-m", "assistant.cli", "batch", str(EXAMPLES / "questions.jsonl"),
           "--index", str(index), "--out", str(out), "--report", str(report)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [q.id for q in batch.read_questions(EXAMPLES / "questions.jsonl")]
    by_id = {r["id"]: r for r in rows}
    assert float(by_id["d01"]["value"]) == 270 and by_id["d01"]["source_report"] == REPORT
    assert by_id["d26"]["abstained"] == "True"
    assert "accuracy:" in proc.stdout and report.read_text().startswith("# Batch score")

    # resume over a complete file asks nothing and keeps the rows
    proc = subprocess.run(cmd + ["--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "0 questions answered" in proc.stderr and "(10 already there)" in proc.stderr
    with open(out, newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(rows)


def test_csv_answers_neutralise_formulas_and_resume_reads_them_back(tmp_path):
    questions = _write(tmp_path / "q.jsonl", '{"id": "-1", "question": "=HYPERLINK(\\"http://x\\")?"}\n'
                                             '{"id": "2", "question": "How many persons received hygiene kits?"}\n')
    out = tmp_path / "a.csv"
    batch.answer_file(FakeAssistant(), questions, out, progress=False)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["id"] == "'-1" and rows[0]["question"].startswith("'=HYPERLINK")
    again = batch.answer_file(FakeAssistant(), questions, out, resume=True, progress=False)
    assert again.resumed == 2 and again.answered == 0
