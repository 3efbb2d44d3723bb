"""Question files in (.txt, .csv, .jsonl, stdin), answer files out (.jsonl, .csv), gold scoring.

`answer_file()` is the one entry point (the CLI's `reportqa batch` and the web app's Batch tab call
it): it reads and checks the whole questions file before answering anything, answers in chunks
through `Assistant.ask_many`, writes each chunk's rows as soon as they are answered (so an
interrupted run keeps them and `resume=True` carries on), and scores the rows when the file has
gold fields.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from assistant.answer import Answer, plain_text
from assistant.export import cell_value, csv_cell
from assistant.score import (  # scoring lives there; batch.score, batch.Gold, ... still work
    PAGE_KS,  # noqa: F401
    REL_TOLERANCE,  # noqa: F401
    Gold,
    _is_right,  # noqa: F401
    format_report,
    format_score,
    score,
)
from indexer.errors import BadQuestions, ReportQAError

MAX_QUESTION_CHARS = 2_000  # longer "questions" are pasted documents: abstain, don't embed them
BATCH_SIZE = 32

COLUMNS = ("id", "question", "answer", "value", "unit", "qualifier", "abstained", "confidence",
           "kind", "reason", "latency_ms")
CSV_COLUMNS = COLUMNS + ("source_report", "source_page", "source_quote", "sources")


@dataclass(frozen=True)
class QuestionRow:
    """One question from the file: its id, text, the line it starts on, and its gold (if any)."""

    id: str
    question: str
    line: int
    gold: Gold | None = None


@dataclass
class BatchResult:
    """What a batch run produced: every output row in input order, and the score when gold exists."""

    rows: list[dict]
    score: dict | None = None
    score_text: str | None = None
    answered: int = 0  # rows answered by this run
    resumed: int = 0  # rows found already answered in the output file
    out_path: Path | None = None
    questions: list[QuestionRow] = field(default_factory=list)


# ---------------------------------------------------------------------------------------- reading


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


# ------------------------------------------------------------------------------------- answering


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


def _abstain_row(q: QuestionRow, reason: str) -> dict:
    row = answer_row(q, Answer(question=q.question, text="Not answered: " + reason, abstained=True,
                               reason=reason))
    if len(q.question) > MAX_QUESTION_CHARS:
        row["question"] = q.question[:MAX_QUESTION_CHARS] + "…"  # keep the answers file readable
    return row


def _answer_chunk(assistant, chunk: list[QuestionRow], reports) -> list[dict]:
    """Answer a chunk with one ask_many call; if that fails, ask one by one so one bad question
    costs only its own row (answered as abstained, with the error as the reason)."""
    out: dict[int, dict] = {}
    todo = []
    for i, q in enumerate(chunk):
        if len(q.question) > MAX_QUESTION_CHARS:
            out[i] = _abstain_row(q, f"the question is {len(q.question):,} characters long; "
                                     f"the limit is {MAX_QUESTION_CHARS:,}")
        else:
            todo.append(i)
    if todo:
        t0 = time.perf_counter()
        try:
            answers = list(assistant.ask_many([chunk[i].question for i in todo], reports))
            if len(answers) != len(todo):
                raise RuntimeError(f"ask_many returned {len(answers)} answers for {len(todo)} questions")
        except Exception:  # noqa: BLE001 - retried one by one below, where each error is reported
            answers = None
        if answers is not None:
            per = (time.perf_counter() - t0) * 1000 / len(todo)
            for i, a in zip(todo, answers, strict=True):
                out[i] = answer_row(chunk[i], a, (a.extra or {}).get("latency_ms", per))
        else:
            for i in todo:
                t1 = time.perf_counter()
                try:
                    a = assistant.ask(chunk[i].question, reports)
                except ReportQAError:
                    raise  # a missing or incompatible index fails every question: stop and say so
                except Exception as e:  # noqa: BLE001 - one question's failure must not lose the run
                    out[i] = _abstain_row(chunk[i], f"answering failed: {type(e).__name__}: {e}")
                else:
                    out[i] = answer_row(chunk[i], a, (time.perf_counter() - t1) * 1000)
    return [out[i] for i in range(len(chunk))]


def answer_file(assistant, in_path, out_path=None, reports: Sequence[str] | None = None,
                resume: bool = False, progress: bool = True, batch_size: int = BATCH_SIZE,
                on_row: Callable[[int, int, dict], None] | None = None) -> BatchResult:
    """Answer every question in `in_path`, writing rows to `out_path` (.jsonl/.csv; None = stdout
    JSONL) as they are answered. With `resume`, questions whose id is already in `out_path` are
    skipped and new rows appended. Returns the rows (old and new, input order) and the score.
    `on_row(done, total, row)` is called after each row is written (the web app's progress)."""
    questions = read_questions(in_path)
    out = Path(out_path) if out_path is not None and str(out_path) != "-" else None
    fmt = _out_format(out)
    if resume and out is None:
        raise BadQuestions("--resume needs --out ANSWERS: the file to read finished rows from")
    if out is not None and isinstance(in_path, str | Path) and str(in_path) != "-" \
            and out.resolve() == Path(in_path).resolve():
        raise BadQuestions(f"{out}: the answers file would overwrite the questions file; pick another --out")
    done = _read_done(out, fmt) if resume and out is not None and out.exists() else {}
    todo = [q for q in questions if q.id not in done]
    new: dict[str, dict] = {}
    if todo and hasattr(assistant, "warm"):
        assistant.warm()  # load now: a missing index fails before the out file is touched, and the
        # first batch's latency is answering only
    sink, close = _open_sink(out, fmt, append=bool(done) or (resume and out is not None))
    bar = _progress_bar(len(questions), len(questions) - len(todo), progress)
    try:
        for start in range(0, len(todo), max(1, batch_size)):
            rows = _answer_chunk(assistant, todo[start:start + batch_size], reports)
            for row in rows:
                sink(row)
                new[row["id"]] = row
                if on_row is not None:
                    on_row(len(questions) - len(todo) + len(new), len(questions), row)
            if bar is not None:
                bar.update(len(rows))
    finally:
        close()
        if bar is not None:
            bar.close()
    rows = [new.get(q.id) or done[q.id] for q in questions]
    result = BatchResult(rows=rows, answered=len(new), resumed=len(questions) - len(todo), out_path=out,
                         questions=questions)
    if any(q.gold is not None for q in questions):
        result.score = score(questions, rows)
        result.score_text = format_score(result.score)
    return result


def _out_format(out: Path | None) -> str:
    if out is not None and out.is_dir():
        raise BadQuestions(f"{out}: is a folder; name the answers file, ending in .jsonl or .csv")
    if out is None or out.suffix.lower() == ".jsonl":
        return "jsonl"
    if out.suffix.lower() == ".csv":
        return "csv"
    raise BadQuestions(f"{out}: the answers file must end in .jsonl or .csv")


def _open_sink(out: Path | None, fmt: str, append: bool):
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


def _read_done(out: Path, fmt: str) -> dict[str, dict]:
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


def _progress_bar(total: int, initial: int, enabled: bool):
    if not enabled or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="q", desc="answering", file=sys.stderr)


# ------------------------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `reportqa batch` arguments."""
    parser.add_argument("questions", help="questions file: .txt, .csv or .jsonl, or - for stdin")
    parser.add_argument("--index", metavar="DIR", default=None,
                        help="index folder (default: REPORTQA_INDEX or ./index)")
    parser.add_argument("--out", metavar="ANSWERS", default=None,
                        help="answers file, .jsonl or .csv (default: JSONL on stdout)")
    parser.add_argument("--reports", metavar="NAME", nargs="+", default=None,
                        help="answer only from these reports (file names in the index)")
    parser.add_argument("--resume", action="store_true",
                        help="skip questions whose id is already in ANSWERS and append the rest")
    parser.add_argument("--report", metavar="FILE.md", default=None,
                        help="write the score as a Markdown report (needs gold fields)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                        help=f"questions per ask_many call (default {BATCH_SIZE})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace, assistant=None) -> int:
    """Run `reportqa batch`; errors become one line on stderr and a non-zero exit."""
    try:
        if args.report:
            _check_writable(Path(args.report), "--report")  # before answering, not after
        if assistant is None:
            from assistant.core import Assistant

            assistant = Assistant(args.index, getattr(args, "model", None))
        result = answer_file(assistant, args.questions, args.out, reports=args.reports, resume=args.resume,
                             progress=not args.no_progress, batch_size=args.batch_size)
    except ReportQAError as e:
        print(f"reportqa batch: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.out:
            print(f"\ninterrupted: the rows answered so far are in {args.out}; run again with --resume "
                  "to finish", file=sys.stderr)
        return 130
    info = sys.stdout if args.out else sys.stderr  # stdout may be the answers themselves
    where = f" to {args.out}" if args.out else ""
    resumed = f" ({result.resumed} already there)" if result.resumed else ""
    n = result.answered
    print(f"{n} question{'' if n == 1 else 's'} answered{where}{resumed}", file=sys.stderr)
    if result.score_text:
        print(result.score_text, file=info)
    if args.report:
        if result.score is None:
            print("reportqa batch: no gold fields in the questions file, so no --report written",
                  file=sys.stderr)
            return 1
        try:
            Path(args.report).write_text(format_report(result.score, f"Batch score: {Path(args.questions).name}"),
                                         encoding="utf-8")
        except OSError as e:
            print(f"reportqa batch: {args.report}: cannot write the report ({e.strerror or e})", file=sys.stderr)
            return 2
        print(f"report written to {args.report}", file=sys.stderr)
    return 0


def _check_writable(path: Path, flag: str) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if path.is_dir():
        raise BadQuestions(f"{path}: is a folder; give {flag} a file name")
    if not path.parent.is_dir():
        raise BadQuestions(f"{path}: the folder {path.parent} does not exist; create it or pick another {flag}")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadQuestions(f"{path}: not writable; pick another {flag}")


def main(argv: Sequence[str] | argparse.Namespace | None = None) -> int:
    """`python -m assistant.batch QUESTIONS ...` (the same as `reportqa batch`); also takes parsed args."""
    if isinstance(argv, argparse.Namespace):
        return run(argv)
    parser = argparse.ArgumentParser(prog="reportqa batch", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
