"""Question files in (.txt, .csv, .jsonl, stdin), answer files out (.jsonl, .csv), gold scoring.

`answer_file()` is the one entry point (the CLI's `reportqa batch` and the web app's Batch tab call
it): it reads and checks the whole questions file before answering anything, answers in chunks
through `Assistant.ask_many`, writes each chunk's rows as soon as they are answered (so an
interrupted run keeps them and `resume=True` carries on), and scores the rows when the file has
gold fields. Reading the questions file is `batch_in.py`, the answer rows and files `batch_out.py`,
scoring `score.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import Answer
from assistant.batch_in import QuestionRow, read_questions
from assistant.batch_out import COLUMNS, CSV_COLUMNS, answer_row, open_sink, out_format, read_done  # noqa: F401
from assistant.score import (  # scoring lives there; batch.score, batch.Gold, ... still work
    PAGE_KS,  # noqa: F401
    REL_TOLERANCE,  # noqa: F401
    Gold,  # noqa: F401
    _is_right,  # noqa: F401
    format_report,
    format_score,
    score,
)
from indexer.errors import BadQuestions, ReportQAError

MAX_QUESTION_CHARS = 2_000  # longer "questions" are pasted documents: abstain, don't embed them
BATCH_SIZE = 32





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






# ------------------------------------------------------------------------------------- answering




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
                out[i] = answer_row(chunk[i], a, a.latency_ms if a.latency_ms is not None else per)
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
    fmt = out_format(out)
    if resume and out is None:
        raise BadQuestions("--resume needs --out ANSWERS: the file to read finished rows from")
    if out is not None and isinstance(in_path, str | Path) and str(in_path) != "-" \
            and out.resolve() == Path(in_path).resolve():
        raise BadQuestions(f"{out}: the answers file would overwrite the questions file; pick another --out")
    done = read_done(out, fmt) if resume and out is not None and out.exists() else {}
    todo = [q for q in questions if q.id not in done]
    new: dict[str, dict] = {}
    if todo and hasattr(assistant, "warm"):
        assistant.warm()  # load now: a missing index fails before the out file is touched, and the
        # first batch's latency is answering only
    sink, close = open_sink(out, fmt, append=bool(done) or (resume and out is not None))
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
