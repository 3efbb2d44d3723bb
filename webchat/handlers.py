"""The chat's handlers: an Assistant and Settings in, each UI event's outputs (markdown, rows, file
paths, plain choice lists) out.

No Gradio here: `webchat/ui.py` wires these methods to components and turns `Pickers` into
component updates, so the handlers are tested by calling them (tests/test_webchat.py). Per-user
state (the chat history, the chosen reports) comes in as arguments and goes out as return values;
the only state kept is the scratch folder of downloads and a cache of example questions per index.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from webchat.config import EXAMPLE_QUESTIONS, Settings, example_questions
from webchat.conversation import Conversation
from webchat.files import Scratch, check_upload, safe_name, store_upload
from webchat.render import (
    FACT_COLUMNS,
    answer_json,
    escape_text,
    fact_filter_choices,
    fact_view,
    format_answer,
    html_text,
    preview_html,
    previous_questions,
    report_choices,
    reports_rows,
)

log = logging.getLogger("reportqa.app")
BATCH_PROGRESS_STEP = 4  # questions per ask_many call in the web app: progress moves every few questions
MAX_FACT_ROWS = 500  # shown in the table; the CSV export holds every matching fact
INTERNAL_ERROR = ("⚠️ This question could not be answered because of an internal error; it was logged for "
                  "the maintainers.")

Progress = Callable[..., None]


def _no_progress(*args, **kwargs) -> None:
    return None


@dataclass(frozen=True)
class Pickers:
    """The index as the pickers show it: the reports table's rows and each picker's choices."""

    rows: list[list]
    reports: list[tuple[str, str]]  # (label, file name), grouped by country and publisher
    units: list[str]
    sectors: list[str]


class ChatHandlers:
    """Every event of the chat, over one Assistant: ask, chat, page previews, facts, upload, remove,
    batch, example questions."""

    def __init__(self, assistant, settings: Settings | None = None, scratch: Scratch | None = None):
        from indexer.config import default_uploads_dir

        self.assistant = assistant
        self.settings = settings or Settings.load([])
        self.scratch = scratch or Scratch()
        self.uploads_dir = self.settings.uploads_dir or default_uploads_dir(assistant.index_dir)
        self.max_bytes = self.settings.max_upload_mb * 1e6
        self._examples: dict[tuple, list[str]] = {}

    # ---- the index as the pickers show it

    def pickers(self) -> Pickers:
        """The reports table and every report/unit/sector picker's choices, as the index is now."""
        reports = self.assistant.list_reports()
        units, sectors = fact_filter_choices(self.assistant.list_facts())
        return Pickers(reports_rows(reports), report_choices(reports), units, sectors)

    def examples(self) -> list[str]:
        """REPORTQA_EXAMPLES, else questions built from the index as it is now (kept per index)."""
        custom = example_questions(env_only=True)
        if custom:
            return custom
        key = tuple(sorted((r["name"], r["facts"]) for r in self.assistant.list_reports()))
        if key not in self._examples:
            from assistant.examples import suggest

            self._examples.clear()
            self._examples[key] = suggest(self.assistant) or list(EXAMPLE_QUESTIONS)
        return self._examples[key]

    # ---- asking

    def ask_api(self, question: str, reports: list[str] | None = None,
                history: list | None = None) -> tuple[str, dict]:
        """Answer one question; returns (answer markdown, Answer as JSON). reports=[] means all.
        history: the conversation so far (earlier questions oldest first, or chat messages); a
        follow-up takes what it leaves out from the question before it."""
        answer = self.assistant.ask(question, list(reports) if reports else None,
                                    previous=previous_questions(history) or None)
        return format_answer(answer), answer_json(answer)

    def _answer(self, question: str, scope, previous: list[str]) -> tuple[str, dict | None]:
        """One question answered as chat markdown (a failure as one plain line) and the Answer's JSON."""
        from indexer.errors import ReportQAError

        try:
            answer = self.assistant.ask(question, list(scope) if scope else None, previous=previous or None)
        except ReportQAError as error:
            return f"⚠️ {escape_text(str(error))}", None
        except Exception:  # noqa: BLE001 - a bug must not show a traceback or a server path to a user
            log.exception("answering %r failed", question[:200])
            return INTERNAL_ERROR, None
        return format_answer(answer), answer_json(answer)

    def chat(self, question, history, scope, progress: Progress = _no_progress) -> tuple[str, list, dict | None]:
        """One whole chat turn at once (the /chat endpoint): (cleared question box, the history with the
        turn added, the Answer's JSON)."""
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            return "", history, None
        progress(0.1, desc="Searching the reports…")
        markdown, answer = self._answer(question, scope, previous_questions(history))
        turn = {"role": "user", "content": escape_text(question)}
        return "", [*history, turn, {"role": "assistant", "content": markdown}], answer

    # ---- the browser's chat: asked at once, answered in turn (webchat/conversation.py says why)

    def ask(self, conversation: Conversation, question, scope) -> list[dict]:
        """The fast step of the browser's chat: the question joins the chat at once, shown as being
        answered, with the reports chosen now; the chat's messages."""
        question = (question or "").strip()
        if question:
            conversation.add(question, scope)
        return conversation.snapshot()[1]

    def answer_waiting(self, conversation: Conversation,
                       last_word: bool = True) -> Iterator[tuple[list[dict] | None, bool, dict | None]]:
        """The slow step: answer every waiting question, oldest first, each against the questions asked
        before it (follow-ups), until none waits. Yields (messages, True, the Answer's JSON) after each
        answer, then (messages, False, None) whenever the chat changed after what was last sent (a
        question asked or the chat cleared meanwhile). With `last_word` it sends the chat at least
        once, so the browser's last word is the chat as it is then, not an older copy that arrived
        late; without it, a loop that answered nothing yields (None, False, None): nothing to show."""
        loop, shown = uuid.uuid4().hex, None

        def catch_up():  # the chat as it is now, after whatever was sent before it
            nonlocal shown
            while (now := conversation.snapshot())[0] != shown:
                shown = now[0]
                yield now[1], False, None

        try:
            turn = conversation.claim(loop)
            while turn is not None:
                markdown, answer = self._answer(turn.question, turn.scope, conversation.previous(turn))
                turn = conversation.finish(turn, markdown, loop)
                shown, messages = conversation.snapshot()
                yield messages, True, answer
                yield from catch_up()
                turn = turn or conversation.claim(loop)  # asked while that answer was being sent
        finally:
            conversation.release(loop)  # a loop closed early leaves its question to the next one
        if shown is None and not last_word:
            yield None, False, None
            return
        yield from catch_up()

    def restore_chat(self, conversation: Conversation, saved) -> list[dict]:
        """The chat the browser kept across a reload, taken over (questions left waiting wait again)."""
        conversation.restore(list(saved or []))
        return conversation.snapshot()[1]

    def new_chat(self, conversation: Conversation) -> list[dict]:
        conversation.clear()
        return conversation.snapshot()[1]

    def page_api(self, report: str, page: int, quote: str = "", figure: str = "") -> str:
        """The cited page of an indexed report as HTML: a PNG of a PDF page with the figure boxed, or
        the page text with the sentence marked. Reports not in the index are refused."""
        try:
            preview = self.assistant.page_preview(report, int(page), quote or "", figure or "")
        except (KeyError, ValueError) as error:
            return f'<p class="rq-preview-error">{html_text(str(error).strip(chr(39)))}</p>'
        title = next((r.get("title") for r in self.assistant.list_reports() if r["name"] == report), "") or report
        return preview_html(preview, report, int(page), title)

    def show_page(self, request: str) -> str:
        """The preview for a "show the page" click: the browser sends {report, page, quote, figure} as JSON."""
        try:
            ask = json.loads(request or "{}")
            return self.page_api(str(ask["report"]), int(ask["page"]), str(ask.get("quote", "")),
                                 str(ask.get("figure", "")))
        except (ValueError, KeyError, TypeError):
            return '<p class="rq-preview-error">That citation could not be read.</p>'

    # ---- facts

    def search_facts(self, report, unit, sector, text) -> tuple[list[list], str, str]:
        """(table rows, count line, CSV path) for the facts matching the filters."""
        facts = self.assistant.list_facts(report=report or None, unit=unit or None, sector=sector or None,
                                          text=(text or "").strip() or None)
        rows = [[f.get(c, "") for c in FACT_COLUMNS] for f in facts]
        # the same search over the same index is one file, however often it is asked for
        from indexer.store import generation

        key = hashlib.sha256(repr((str(generation(self.assistant.index_dir)), report, unit, sector, text)).encode())
        out = self.scratch.file("facts.csv", key=key.hexdigest()[:32])
        if not out.exists():
            from assistant.export import csv_cell

            tmp = out.with_suffix(f".{threading.get_ident()}.tmp")
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(FACT_COLUMNS)
                writer.writerows([csv_cell(cell) for cell in row] for row in rows)
            os.replace(tmp, out)
        shown = f"showing the first {MAX_FACT_ROWS} of " if len(rows) > MAX_FACT_ROWS else ""
        return [fact_view(f) for f in facts[:MAX_FACT_ROWS]], f"{shown}{len(rows)} facts", str(out)

    # ---- the index: upload, remove

    def upload(self, files, progress: Progress = _no_progress) -> str:
        """Check, store and index uploaded files; the status as a markdown list."""
        from indexer.build import sha256_file
        from indexer.errors import ReportQAError

        files = [files] if isinstance(files, str) else list(files or [])
        lines, accepted = [], []
        for f in files:
            path = Path(getattr(f, "name", f))
            why = check_upload(path, self.max_bytes)
            if why:
                lines.append(f"❌ {path.name}: {why}")
                continue
            same = self.assistant.indexed_as(sha256_file(path))
            if same:  # the same bytes under any name: nothing to index
                lines.append(f"✅ {path.name}: already in the index" + (f" as {same}" if same != path.name else ""))
                continue
            stored, note = store_upload(path, self.uploads_dir)
            if note:
                lines.append(f"ℹ️ {note}")
            accepted.append(stored)
        if accepted:
            progress(0, desc="Indexing…")
            try:
                summary = self.assistant.add_files(accepted, progress=lambda x, msg="": progress(x, desc=msg))
            except ReportQAError as error:
                lines.append(f"❌ {error}")
            else:
                lines += [f"✅ {name}: indexed" for name in summary.indexed]
                lines += [f"✅ {name}: already in the index" for name in getattr(summary, "reused", ())
                          if name in {p.name for p in accepted}]
                lines += [f"❌ {Path(name).name}: {reason}" for name, reason in summary.skipped]
                refused = {Path(name).name for name, _ in summary.skipped}
                for stored in accepted:  # a file that cannot be indexed is not kept
                    if stored.name in refused:
                        stored.unlink(missing_ok=True)
        if not files:
            lines.append("Choose PDF, TXT or MD files to add.")
        return "\n".join(f"- {escape_text(line)}" for line in lines)

    def remove(self, names) -> str:
        """Remove reports from the index (and their uploaded copies); the status as markdown."""
        from indexer.errors import ReportQAError

        names = [names] if isinstance(names, str) else list(names or [])
        if not names:
            return "Choose the reports to remove first."
        try:
            summary = self.assistant.remove_reports(names)
        except ReportQAError as error:
            return f"❌ {escape_text(str(error))}"
        uploads = self.uploads_dir
        for name in summary.dropped:  # an uploaded copy goes too, so it can be uploaded again
            stored = uploads / name
            if stored.is_file() and stored.resolve().parent == uploads.resolve():
                stored.unlink()
        lines = [f"🗑️ {name}: removed" for name in summary.dropped]
        lines += [f"❌ {name}: not in the index" for name in names if name not in summary.dropped]
        return "\n".join(f"- {escape_text(line)}" for line in lines)

    # ---- batch

    def run_batch(self, questions_file, scope, progress: Progress = _no_progress) -> tuple[str | None, str]:
        """Answer a questions file: (answers file path or None, status markdown)."""
        if not questions_file:
            return None, "Choose a questions file first."
        try:
            from assistant.batch import answer_file
        except ImportError:
            return None, "Batch answering is not available in this installation (assistant.batch)."
        from indexer.errors import ReportQAError

        src = Path(getattr(questions_file, "name", questions_file))
        suffix = ".csv" if src.suffix.lower() == ".csv" else ".jsonl"  # the formats answer_file writes
        out = self.scratch.file(f"{safe_name(src.stem)}-answers{suffix}")
        progress(0, desc="Reading the questions…")

        def on_row(done: int, total: int, row: dict) -> None:
            progress((done, total), desc=f"Answered {done} of {total} questions", unit="questions")

        try:
            result = answer_file(self.assistant, src, out, reports=list(scope) if scope else None, progress=False,
                                 batch_size=BATCH_PROGRESS_STEP, on_row=on_row)
        except ReportQAError as error:
            return None, f"❌ {escape_text(str(error))}"
        score = getattr(result, "score_text", None)
        if not score:
            return str(out), f"Answered {len(result.rows)} questions: download the answers file."
        return str(out), "```text\n" + score.replace("```", "'''") + "\n```"  # aligned plain-text lines
