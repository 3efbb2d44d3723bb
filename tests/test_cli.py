"""The `reportqa` command end to end: facts export and extraction, ask, errors as one line."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from .conftest import PERU, ROOT


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


def test_extract_offsets_point_into_the_original_file(tmp_path):
    out = tmp_path / "facts.jsonl"
    r = run("facts", "--extract", str(PERU), "--jsonl", str(out))
    assert r.returncode == 0, r.stderr
    source = PERU.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) > 50
    for row in rows:
        assert source[row["start"]:row["end"]] == row["text"]
        for field in ("qualifier", "unit"):
            if row[field]:
                span = row[field]
                assert source[span["start"]:span["end"]] == span["text"]
    kits = next(r for r in rows if r["text"] == "2,140")
    assert kits["value"] == 2140 and kits["unit"]["text"] == "persons" and kits["kind"] == "prose"
    health = next(r for r in rows if r["text"] == "11,390")
    assert health["kind"] == "table_cell" and health["col_header"] == "Health"


def test_facts_export_csv_from_index(peru_index, tmp_path):
    out = tmp_path / "facts.csv"
    r = run("facts", "--index", str(peru_index), "--csv", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"report", "page", "value", "text", "qualifier", "unit", "label", "sentence"} <= set(rows[0])
    assert any(row["text"] == "2,140" and row["page"] == "1" for row in rows)
    only = run("facts", "--index", str(peru_index), "--report", "no-such-report.pdf")
    assert only.returncode == 0 and only.stdout == ""


def test_ask_json(peru_index):
    r = run("ask", "How many persons received hygiene kits?", "--index", str(peru_index), "--json")
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["value"] == 2140 and not answer["abstained"]
    assert answer["sources"][0]["report"] == PERU.name


def test_missing_index_is_one_line_with_the_fix(tmp_path):
    r = run("ask", "How many?", "--index", str(tmp_path / "none"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "reportqa index" in r.stderr


def test_unknown_path_is_an_error(tmp_path):
    r = run("index", str(tmp_path / "missing"), "--index", str(tmp_path / "ix"))
    assert r.returncode == 2 and "No such file or folder" in r.stderr


def test_ask_with_undecodable_bytes_in_the_question_answers(peru_index):
    # bytes that are not UTF-8 reach Python as lone surrogates, which the tokenizer refuses
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", b"How many persons received hygiene kits?\xff",
                        "--index", str(peru_index), "--json"], cwd=ROOT, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout)["value"] == 2140


UNWRITABLE_INDEX = [  # (name, --index relative to tmp): a file, a folder under a file
    ("index-is-a-file", "plain.txt"),
    ("index-under-a-file", "plain.txt/index"),
]


@pytest.mark.parametrize("name, where", UNWRITABLE_INDEX, ids=[u[0] for u in UNWRITABLE_INDEX])
def test_an_index_folder_that_cannot_be_written_is_one_line(tmp_path, name, where):
    (tmp_path / "plain.txt").write_text("a file")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("Partners distributed 300 kits.\n")
    r = run("index", str(tmp_path / "corpus"), "--index", str(tmp_path / where))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Cannot write an index" in r.stderr, r.stderr
