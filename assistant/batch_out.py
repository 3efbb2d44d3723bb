"""Answers in, answer rows out: the row of one answer, written to JSONL or CSV as it comes (one
physical line a row, CSV cells inert in a spreadsheet), and the rows already written read back to resume."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer import Answer
from assistant.export import cell_value, csv_cell
from indexer.errors import BadQuestions

if TYPE_CHECKING:
    from assistant.batch_in import QuestionRow

COLUMNS = ("id", "question", "answer", "value", "unit", "qualifier", "abstained", "confidence",
           "kind", "reason", "latency_ms")
CSV_COLUMNS = COLUMNS + ("source_report", "source_page", "source_quote", "sources")


def answer_row(q: QuestionRow, answer: Answer, latency_ms: float = 0.0) -> dict:
    """The output row for one answered question (JSONL keeps every source; CSV flattens the first)."""
    return {
        "id": q.id,
        "question": q.question,
        "answer": answer.text,
        "value": None if answer.value is None else float(answer.value),
        "unit": answer.unit,
        "qualifier": answer.qualifier,
        "abstained": bool(answer.abstained),
        "confidence": round(float(answer.confidence), 4),
        "kind": answer.kind,
        "reason": answer.reason,
        "latency_ms": round(latency_ms, 2),
        "sources": [{"report": s.report, "page": int(s.page), "quote": s.quote} for s in answer.sources],
    }


def out_format(out: Path | None) -> str:
    if out is not None and out.is_dir():
        raise BadQuestions(f"{out}: is a folder; name the answers file, ending in .jsonl or .csv")
    if out is None or out.suffix.lower() == ".jsonl":
        return "jsonl"
    if out.suffix.lower() == ".csv":
        return "csv"
    raise BadQuestions(f"{out}: the answers file must end in .jsonl or .csv")


def open_sink(out: Path | None, fmt: str, append: bool):
    """A function that writes and flushes one row, and one that closes the file."""
    if out is None:
        def write_stdout(row: dict) -> None:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return write_stdout, lambda: None
    fresh = not append or not out.exists() or out.stat().st_size == 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        f = open(out, "w" if not append else "a", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as e:
        raise BadQuestions(f"{out}: cannot write the answers file ({e.strerror or e}); pick another --out") from None
    if fmt == "csv":
        writer = csv.writer(f, lineterminator="\n")
        if fresh:
            writer.writerow(CSV_COLUMNS)

        def write(row: dict) -> None:
            writer.writerow(_csv_cells(row))
            f.flush()
    else:
        def write(row: dict) -> None:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
    return write, f.close


def _csv_cells(row: dict) -> list:
    # one physical line per row, so an interrupted write can only damage the last line
    first = row["sources"][0] if row["sources"] else {}
    cells = {**row, "source_report": first.get("report", ""), "source_page": first.get("page", ""),
             "source_quote": first.get("quote", ""),
             "sources": json.dumps(row["sources"], ensure_ascii=False) if row["sources"] else ""}
    return [csv_cell(_one_line(cells.get(c))) for c in CSV_COLUMNS]


def _one_line(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, str):
        return " ".join(v.splitlines())
    return v


def read_done(out: Path, fmt: str) -> dict[str, dict]:
    """Rows already in the answers file, by id. A last line cut short by a kill is dropped (and
    truncated away, so appending starts on a fresh line)."""
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with open(out, "r+b") as f:
            f.truncate(len(data))
    text = data.decode("utf-8", errors="replace")
    done: dict[str, dict] = {}
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except RecursionError:
                raise BadQuestions(f"{out.name} line {n}: JSON nested too deeply; cannot resume from this "
                                   "file, use a new --out file") from None
            except json.JSONDecodeError as e:
                raise BadQuestions(f"{out.name} line {n}: not valid JSON ({e.msg}); cannot resume "
                                   "from this file, use a new --out file") from None
            if isinstance(row, dict) and "id" in row:
                done[str(row["id"])] = row
        return done
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames and tuple(reader.fieldnames) != CSV_COLUMNS:
        raise BadQuestions(f"{out.name} line 1: not an answers file written by `reportqa batch` "
                           "(other columns); cannot resume from it, use a new --out file")
    for cells in reader:
        cells = {k: cell_value(v) if isinstance(v, str) else v for k, v in cells.items()}
        done[cells["id"]] = _row_from_csv(cells)
    return done


def _row_from_csv(cells: dict) -> dict:
    row: dict[str, Any] = {c: cells.get(c, "") for c in COLUMNS}
    row["value"] = float(row["value"]) if row["value"] not in ("", None) else None
    row["abstained"] = str(row["abstained"]).lower() == "true"
    for key in ("confidence", "latency_ms"):
        row[key] = float(row[key]) if row[key] not in ("", None) else 0.0
    try:
        row["sources"] = json.loads(cells.get("sources") or "[]")
    except json.JSONDecodeError:
        row["sources"] = []
    if not row["sources"] and cells.get("source_report"):
        page = cells.get("source_page") or "0"
        row["sources"] = [{"report": cells["source_report"], "page": int(page) if page.isdigit() else 0,
                           "quote": cells.get("source_quote", "")}]
    return row
