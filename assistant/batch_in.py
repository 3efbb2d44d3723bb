"""Question files in (.txt, .csv, .jsonl, stdin or a binary file object; optional gold fields), checked
`QuestionRow`s out; every problem is a `BadQuestions` naming the file and line."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from assistant.answer import plain_text
from assistant.score import Gold
from indexer.errors import BadQuestions


@dataclass(frozen=True)
class QuestionRow:
    """One question from the file: its id, text, the line it starts on, and its gold (if any)."""

    id: str
    question: str
    line: int
    gold: Gold | None = None


def read_questions(path: str | Path | IO[bytes]) -> list[QuestionRow]:
    """Read and check a questions file; raise BadQuestions naming the line on any problem.

    `path` may be "-" (stdin) or a binary file object; the format then comes from the content.
    """
    name, data, suffix = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BadQuestions(
            f"{name} line {line}: not valid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise BadQuestions(f"{name}: the file is empty; put one question per line")
    if suffix not in (".txt", ".csv", ".jsonl"):
        first = next((s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")), "")
        suffix = ".jsonl" if first.startswith("{") else ".txt"
    reader = {".txt": _read_txt, ".csv": _read_csv, ".jsonl": _read_jsonl}[suffix]
    rows = reader(name, text)
    if not rows:
        raise BadQuestions(f"{name}: no questions found (blank lines and # comments are skipped)")
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            raise BadQuestions(f"{name} line {row.line}: duplicate id {row.id!r} (first on line "
                               f"{seen[row.id]}); ids must be unique so --resume can match them")
        seen[row.id] = row.line
    return rows


def _read_bytes(path: str | Path | IO[bytes]) -> tuple[str, bytes, str]:
    if hasattr(path, "read"):
        return getattr(path, "name", "<stdin>"), path.read(), ""
    if str(path) == "-":
        return "<stdin>", sys.stdin.buffer.read(), ""
    p = Path(path)
    try:
        return p.name, p.read_bytes(), p.suffix.lower()
    except OSError as e:
        raise BadQuestions(f"{p}: cannot read the questions file ({e.strerror or e})") from None


def _read_txt(name: str, text: str) -> list[QuestionRow]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        q = line.strip()
        if q and not q.startswith("#"):
            rows.append(QuestionRow(str(n), q, n))
    return rows


def _read_jsonl(name: str, text: str) -> list[QuestionRow]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name} line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadQuestions(f"{where}: not valid JSON ({e.msg}: column {e.colno})") from None
        except RecursionError:
            raise BadQuestions(f"{where}: JSON nested too deeply; a question is one flat object") from None
        if not isinstance(obj, dict):
            raise BadQuestions(f"{where}: expected a JSON object like {{\"question\": \"...\"}}")
        q = obj.get("question")
        if not isinstance(q, str) or not q.strip():
            raise BadQuestions(f"{where}: no \"question\" (a non-empty string) in the object")
        rid = obj.get("id")
        rid = str(n) if rid is None or str(rid).strip() == "" else plain_text(str(rid).strip())
        rows.append(QuestionRow(rid, plain_text(q.strip()), n, _gold(where, obj)))
    return rows


def _read_csv(name: str, text: str) -> list[QuestionRow]:
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 26))  # read a pasted document, then refuse it
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as e:
        raise BadQuestions(f"{name} line 1: cannot read the CSV header ({e})") from None
    if "question" not in header:
        raise BadQuestions(f"{name} line 1: no 'question' column (found: {', '.join(header) or 'none'}); "
                           "name the column of questions 'question'")
    rows, start, number = [], reader.line_num + 1, 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise BadQuestions(f"{name} line {start}: malformed CSV ({e})") from None
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        number += 1
        where = f"{name} line {line}"
        if len(cells) > len(header):
            raise BadQuestions(f"{where}: {len(cells)} cells but the header has {len(header)} columns "
                               "(quote cells that contain commas)")
        obj = {h: c for h, c in zip(header, cells, strict=False) if c.strip() != ""}
        q = obj.get("question", "").strip()
        if not q:
            raise BadQuestions(f"{where}: the 'question' cell is empty")
        rid = obj.get("id", "").strip() or str(number)
        rows.append(QuestionRow(rid, q, line, _gold(where, obj, from_csv=True)))
    return rows


def _gold(where: str, obj: dict, from_csv: bool = False) -> Gold | None:
    if not any(k in obj for k in ("value", "unit", "text", "abstain", "page", "report")):
        return None
    value = _as_number(where, "value", obj.get("value"))
    page = _as_number(where, "page", obj.get("page"))
    if page is not None and (page != int(page) or page < 1):
        raise BadQuestions(f"{where}: 'page' must be a page number (1, 2, ...), got {obj['page']!r}")
    texts = obj.get("text")
    if texts is None:
        texts = ()
    elif isinstance(texts, str):
        # CSV has no lists: alternatives are separated by "|"
        texts = tuple(t.strip() for t in texts.split("|")) if from_csv else (texts,)
    elif isinstance(texts, list) and all(isinstance(t, str) for t in texts):
        texts = tuple(texts)
    else:
        raise BadQuestions(f"{where}: 'text' must be a list of accepted strings, got {texts!r}")
    return Gold(value=value, unit=str(obj.get("unit") or "").strip(), text=tuple(t for t in texts if t),
                abstain=_as_bool(where, obj.get("abstain")), page=None if page is None else int(page),
                report=str(obj.get("report") or "").strip())


def _as_number(where: str, key: str, raw: Any) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise BadQuestions(f"{where}: '{key}' must be a number, got {raw!r}")
    try:
        text = raw if isinstance(raw, int | float) else str(raw).replace(",", "").replace("_", "").strip()
        value = float(text)
    except (ValueError, OverflowError):
        raise BadQuestions(f"{where}: '{key}' must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise BadQuestions(f"{where}: '{key}' must be a finite number, got {raw!r}")
    return value


def _as_bool(where: str, raw: Any) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    s = str(raw).strip().lower()
    if s in ("true", "yes", "y", "1"):
        return True
    if s in ("false", "no", "n", "0"):
        return False
    raise BadQuestions(f"{where}: 'abstain' must be true or false, got {raw!r}")
