"""The chat's handlers without Gradio: a fake assistant in, each event's outputs checked directly.

Fast (no model, no index, no server); the same handlers run behind the real app in test_app.py
and test_browser.py.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.answer import Answer, Source
from indexer.errors import ReportQAError
from webchat.config import Settings
from webchat.conversation import WAITING, Conversation
from webchat.files import Scratch
from webchat.handlers import INTERNAL_ERROR, ChatHandlers, Pickers

SOURCE = Source(report="peru.txt", title="Peru: October 2020", publisher="R4V", date="2020-10-31", page=2,
                page_label="2", quote="As part of WASH efforts 2,140 persons received hygiene kits.",
                highlight=(24, 29))
ANSWER = Answer(question="How many persons received hygiene kits?",
                text="2,140 persons received hygiene kits.", abstained=False, value=2140.0, unit="persons",
                figure="2,140", kind="count", sources=(SOURCE,))
REPORTS = [
    {"name": "peru.txt", "title": "Peru: October 2020", "publisher": "R4V", "country": "Peru",
     "date": "2020-10-31", "pages": 3, "chunks": 9, "facts": 2},
    {"name": "floods.txt", "title": "", "publisher": "", "country": "", "date": "", "pages": 1, "chunks": 1,
     "facts": 1},
]
FACTS = [
    {"report": "peru.txt", "title": "Peru: October 2020", "page": 2, "text": "2,140", "qualifier": "",
     "unit": "persons", "label": "received hygiene kits", "sentence": "...", "sector": "WASH",
     "unit_norm": "persons", "kind": "prose", "value": 2140.0},
    {"report": "floods.txt", "title": "", "page": 1, "text": "=1+1", "qualifier": "some", "unit": "USD",
     "label": "", "sentence": "=HYPERLINK()", "sector": "", "unit_norm": "USD", "kind": "prose", "value": 2.0},
]


@dataclass
class Summary:
    indexed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


class FakeAssistant:
    """The Assistant's contract (assistant/core.py), answering from fixed records."""

    def __init__(self, index_dir: Path, fail: Exception | None = None):
        self.index_dir = index_dir
        self.fail = fail
        self.asked: list[tuple] = []
        self.added: list[Path] = []

    def ask(self, question, reports=None, previous=None):
        self.asked.append((question, reports, previous))
        if self.fail:
            raise self.fail
        return ANSWER

    def list_reports(self):
        return REPORTS

    def list_facts(self, report=None, unit=None, sector=None, text=None, limit=None):
        return [f for f in FACTS if (not report or f["report"] == report) and (not unit or f["unit_norm"] == unit)]

    def page_preview(self, report, page, quote="", figure=""):
        if report not in {r["name"] for r in REPORTS}:
            raise KeyError(f"{report} is not an indexed report")
        return {"kind": "text", "html": f"<pre>page {page}</pre>"}

    def indexed_as(self, sha256):
        return None

    def add_files(self, paths, progress=None):
        self.added += list(paths)
        if progress:
            progress(1.0, "done")
        return Summary(indexed=[p.name for p in paths if "bad" not in p.name],
                       skipped=[(str(p), "no text layer") for p in paths if "bad" in p.name])

    def remove_reports(self, names):
        return Summary(dropped=[n for n in names if n in {r["name"] for r in REPORTS}])


@pytest.fixture
def handlers(tmp_path):
    scratch = Scratch()
    settings = Settings(uploads_dir=tmp_path / "uploads", max_upload_mb=0.001)
    yield ChatHandlers(FakeAssistant(tmp_path / "index"), settings, scratch)
    scratch.remove()


def test_a_chat_turn_adds_the_question_and_the_answer(handlers):
    earlier = [{"role": "user", "content": "Earlier?"}]
    box, history, answer = handlers.chat("  How many (kits)?  ", earlier, ["peru.txt"])
    assert box == "" and answer["value"] == 2140.0
    assert [m["role"] for m in history] == ["user", "user", "assistant"]
    assert history[1]["content"] == r"How many \(kits\)?" and "**2,140 persons**" in history[2]["content"]
    assert handlers.assistant.asked == [("How many (kits)?", ["peru.txt"], ["Earlier?"])]


def test_an_empty_question_asks_nothing(handlers):
    assert handlers.chat("   ", [], []) == ("", [], None) and handlers.assistant.asked == []


@pytest.mark.parametrize("error, shown", [
    (ReportQAError("the index is damaged: run reportqa index"), "⚠️ the index is damaged: run reportqa index"),
    (RuntimeError("boom in /srv/secret.py"), INTERNAL_ERROR),
], ids=["reportqa-error-said", "bug-hidden"])
def test_errors_become_one_chat_line(handlers, error, shown):
    handlers.assistant.fail = error
    _, history, answer = handlers.chat("How many?", [], [])
    assert answer is None and history[-1]["content"] == shown


def test_the_browser_chat_shows_a_question_at_once_then_answers_every_waiting_one_in_order(handlers):
    chat = Conversation()
    shown = handlers.ask(chat, "  How many (kits)?  ", ["peru.txt"])
    assert [m["content"] for m in shown] == [r"How many \(kits\)?", WAITING] and handlers.assistant.asked == []
    handlers.ask(chat, "And in Colombia?", [])
    assert handlers.ask(chat, "   ", []) == handlers.ask(chat, "", [])  # nothing asked, the chat as it is
    updates = list(handlers.answer_waiting(chat))
    assert handlers.assistant.asked == [("How many (kits)?", ["peru.txt"], None),
                                        ("And in Colombia?", None, ["How many (kits)?"])]  # the follow-up's past
    assert [(answered, answer["value"]) for _, answered, answer in updates] == [(True, 2140.0), (True, 2140.0)]
    messages = updates[-1][0]
    assert WAITING not in str(messages) and "**2,140 persons**" in messages[3]["content"]
    assert list(handlers.answer_waiting(chat)) == [(messages, False, None)]  # nothing waits: the chat once


def test_a_question_asked_while_the_loop_answers_is_answered_by_it_and_sent_after(handlers):
    chat = Conversation()
    handlers.ask(chat, "First?", [])
    ask = handlers.assistant.ask

    def ask_and_meanwhile_a_user_asks_again(question, reports=None, previous=None):
        if question == "First?":
            handlers.ask(chat, "Second?", [])
        return ask(question, reports, previous)

    handlers.assistant.ask = ask_and_meanwhile_a_user_asks_again
    updates = handlers.answer_waiting(chat)
    first, _, _ = next(updates)  # the first answer, with the second question waiting under it
    assert [m["content"] for m in first][2:] == ["Second?", WAITING]
    last, answered, _ = list(updates)[-1]
    assert answered and WAITING not in str(last) and len(last) == 4


def test_the_loop_sends_the_chat_again_when_it_changed_after_what_was_sent(handlers):
    chat = Conversation()
    handlers.ask(chat, "First?", [])
    updates = handlers.answer_waiting(chat)
    sent, _, _ = next(updates)
    handlers.ask(chat, "Asked as that was sent?", [])  # its own reply may reach the browser first
    again, answered, _ = next(updates)
    assert not answered and len(again) == len(sent) + 2  # so the newer chat follows the older one
    assert [a for _, a, _ in updates] == [True]  # then its answer


def test_after_a_reload_a_question_left_waiting_is_answered_and_nothing_else_is_sent(handlers):
    chat = Conversation()
    assert handlers.restore_chat(chat, [{"role": "user", "content": "Kits?"},
                                        {"role": "assistant", "content": "**2,140**"}])[-1]["content"] == "**2,140**"
    assert list(handlers.answer_waiting(chat, last_word=False)) == [(None, False, None)]
    again = Conversation()
    handlers.restore_chat(again, [{"role": "user", "content": "Kits?"}, {"role": "assistant", "content": WAITING}])
    (messages, answered, _), *_ = handlers.answer_waiting(again, last_word=False)
    assert answered and "**2,140 persons**" in messages[1]["content"]


def test_a_loop_closed_early_leaves_the_next_question_to_the_next_loop(handlers):
    chat = Conversation()
    handlers.ask(chat, "First?", [])
    handlers.ask(chat, "Second?", [])
    updates = handlers.answer_waiting(chat)
    next(updates)  # answered the first and took the second
    updates.close()  # the browser went away
    (messages, answered, _), *_ = handlers.answer_waiting(chat)
    assert answered and WAITING not in str(messages)


def test_new_chat_empties_the_chat(handlers):
    chat = Conversation()
    handlers.ask(chat, "First?", [])
    assert handlers.new_chat(chat) == [] and list(handlers.answer_waiting(chat)) == [([], False, None)]


def test_the_api_returns_markdown_and_json(handlers):
    markdown, answer = handlers.ask_api("How many kits?", [], ["Before?"])
    assert markdown.startswith("**2,140 persons**") and answer["sources"][0]["page"] == 2
    assert handlers.assistant.asked[-1] == ("How many kits?", None, ["Before?"])


def test_page_previews_name_the_report_and_refuse_others(handlers):
    assert "Peru: October 2020 · page 2" in handlers.page_api("peru.txt", 2)
    assert "rq-preview-error" in handlers.page_api("elsewhere.pdf", 1)
    assert "page 3" in handlers.show_page('{"report": "peru.txt", "page": 3}')
    assert "could not be read" in handlers.show_page("not json")


def test_pickers_group_reports_and_list_units_and_sectors(handlers):
    p = handlers.pickers()
    assert isinstance(p, Pickers) and p.units == ["USD", "persons"] and p.sectors == ["WASH"]
    assert p.reports[1] == ("no country · no publisher · undated — floods.txt", "floods.txt")  # unknowns last
    assert p.rows[0][:3] == ["Peru: October 2020", "R4V", "Peru"]  # the table keeps the index order


def test_facts_search_gives_rows_and_an_inert_csv(handlers):
    rows, count, path = handlers.search_facts("", "", "", "")
    assert count == "2 facts" and rows[0] == ["2,140 persons", "received hygiene kits", "Peru: October 2020", 2]
    with open(path, newline="", encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert written[1]["text"] == "'=1+1" and written[1]["sentence"] == "'=HYPERLINK()"
    assert handlers.search_facts("", "", "", "")[2] == path  # the same search is one file
    assert handlers.search_facts("peru.txt", "", "", "")[1] == "1 facts"


def test_uploads_are_checked_stored_and_indexed(handlers, tmp_path):
    ok, bad, exe = tmp_path / "ok.txt", tmp_path / "bad.txt", tmp_path / "tool.exe"
    ok.write_text("Partners delivered 1,000 kits.")
    bad.write_text("unreadable")
    exe.write_text("x")
    status = handlers.upload([str(ok), str(bad), str(exe)])
    assert "ok.txt: indexed" in status and "bad.txt: no text layer" in status and "unsupported" in status
    assert (handlers.uploads_dir / "ok.txt").exists() and not (handlers.uploads_dir / "bad.txt").exists()
    assert handlers.upload([]) == "- Choose PDF, TXT or MD files to add."


def test_removing_reports_says_what_was_not_there(handlers):
    assert handlers.remove([]) == "Choose the reports to remove first."
    status = handlers.remove(["peru.txt", "nowhere.txt"])
    assert "peru.txt: removed" in status and "nowhere.txt: not in the index" in status


def test_a_batch_without_a_file_asks_for_one(handlers):
    assert handlers.run_batch(None, []) == (None, "Choose a questions file first.")


def test_examples_come_from_the_environment_first(handlers, monkeypatch):
    monkeypatch.setenv("REPORTQA_EXAMPLES", "How many a?|How many b?")
    assert handlers.examples() == ["How many a?", "How many b?"]
