"""The web app: formatting and upload handling, then the real app driven through gradio_client.

The unit tests build Answer records by hand. The end-to-end tests start the app (tests/app_support)
over a real index of a small corpus with the real bundled model, and call its named endpoints the
way a script would.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import app
from assistant.answer import Answer, Source
from webchat import config, files, render, ui

# ------------------------------------------------------------------------------ formatting (unit)

SOURCE = Source(report="r4v-peru-2020-10.txt", title="Peru: October 2020", publisher="R4V",
                date="2020-10-31", page=2, page_label="2",
                quote="As part of WASH efforts 2,140 persons received hygiene kits.", highlight=(24, 29))


def test_answer_bolds_figure_with_qualifier_and_unit_and_cites():
    answer = Answer(question="q", text="The GTRM assisted almost 5,000 refugees and migrants.",
                    abstained=False, value=5000.0, unit="refugees and migrants", qualifier="almost",
                    figure="5,000", sources=(SOURCE,))
    md = render.format_answer(answer)
    assert "**almost 5,000 refugees and migrants**" in md
    assert "<details" in md and "Peru: October 2020 (R4V, 2020\\-10\\-31), p. 2" not in md
    assert "Peru: October 2020 (R4V, 2020-10-31), p. 2" in md
    assert "<mark>2,140</mark>" in md


def test_source_without_highlight_marks_the_figure_and_repeats_are_dropped():
    plain = Source(report="r.txt", title="R", publisher="", date="", page=1, page_label="",
                   quote="Over 2,140 persons received kits.")
    answer = Answer(question="q", text="2,140 persons received kits.", abstained=False,
                    figure="2,140 persons", sources=(plain, plain))
    md = render.format_answer(answer)
    assert "**2,140 persons** received kits" in md
    assert "<mark>2,140 persons</mark>" in md and md.count("<details") == 1


def test_figure_not_in_sentence_gets_a_bold_headline():
    answer = Answer(question="q", text="Funding stood at a third of the requirement.", abstained=False,
                    figure="36%", unit="funded", sources=(SOURCE,))
    assert render.format_answer(answer).startswith("**36% funded**: ")


def test_abstention_says_so_and_shows_closest_evidence():
    answer = Answer(question="q", text="No report gives the number of schools.", abstained=True,
                    passages=(SOURCE,), reason="no fact matched")
    md = render.format_answer(answer)
    assert md.startswith("**The reports don't say.**")
    said = Answer(question="q", text="The reports don't say: no figure matches.", abstained=True)
    assert render.format_answer(said) == "**The reports don't say**: no figure matches."
    assert "Closest evidence" in md and "<mark>2,140</mark>" in md


@pytest.mark.parametrize("text", [
    '<img src=x onerror="window.__pwned=1">',
    "<script>alert(1)</script>",
    "**not bold** [link](javascript:alert(1)) $x$",
])
def test_user_and_report_text_is_escaped(text):
    escaped = render.escape_text(text)
    assert "<" not in escaped and "**" not in escaped and "](" not in escaped
    source = Source(report="r.txt", title=text, publisher="", date="", page=1, page_label="", quote=text)
    block = render.format_source(1, source)
    assert "<img" not in block and "<script" not in block


@pytest.mark.parametrize("quote,span,expected", [
    ("some 2,140 kits", (5, 10), "some <mark>2,140</mark> kits"),
    ("a <b> 5", (6, 7), "a &lt;b&gt; <mark>5</mark>"),
    ("no span", None, "no span"),
    ("bad span", (3, 99), "bad span"),
], ids=["plain", "html-in-quote", "none", "out-of-range"])
def test_highlight(quote, span, expected):
    assert render.highlight(quote, span) == expected


# --------------------------------------------------------------------------------- uploads (unit)

@pytest.mark.parametrize("name,expected", [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\win.ini.md", "win.ini.md"),
    ("My Report (final).PDF", "My_Report_final.pdf"),
    ("...", "upload"),
    (".bashrc", "bashrc"),
], ids=["plain", "traversal", "windows-traversal", "spaces", "dots", "hidden"])
def test_safe_name(name, expected):
    assert files.safe_name(name) == expected


def test_store_upload_reuses_same_content_and_renames_different(tmp_path):
    dest = tmp_path / "uploads"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "sitrep.txt").write_text("first")
    (b / "sitrep.txt").write_text("second")
    first, note = files.store_upload(a / "sitrep.txt", dest)
    assert first == dest / "sitrep.txt" and note == ""
    again, note = files.store_upload(a / "sitrep.txt", dest)
    assert again == first and note == ""
    other, note = files.store_upload(b / "sitrep.txt", dest)
    assert other == dest / "sitrep-2.txt" and "sitrep-2.txt" in note
    assert first.read_text() == "first" and other.read_text() == "second"
    outside, _ = files.store_upload(a / "sitrep.txt", dest, name="../../escape.txt")
    assert outside.parent == dest


def test_check_upload_refuses_type_size_and_empty(tmp_path):
    big, empty, exe, ok = (tmp_path / n for n in ("big.txt", "empty.md", "run.exe", "ok.pdf"))
    big.write_bytes(b"x" * 2000)
    empty.write_bytes(b"")
    exe.write_bytes(b"MZ")
    ok.write_bytes(b"%PDF-1.4")
    assert "too large" in files.check_upload(big, max_bytes=1000)
    assert "empty" in files.check_upload(empty, max_bytes=1000)
    assert "unsupported" in files.check_upload(exe, max_bytes=1000)
    assert files.check_upload(ok, max_bytes=1000) == ""


def test_settings_from_env_and_flags():
    env = {"REPORTQA_HOST": "0.0.0.0", "REPORTQA_PORT": "8000", "REPORTQA_INDEX": "/x/index",
           "REPORTQA_USER": "u", "REPORTQA_PASSWORD": "p", "REPORTQA_MAX_UPLOAD_MB": "5"}
    s = config.Settings.load([], env=env)
    assert (s.host, s.port, s.index_dir, s.auth, s.max_upload_mb) == ("0.0.0.0", 8000, Path("/x/index"),
                                                                       ("u", "p"), 5.0)
    s = config.Settings.load(["--host", "127.0.0.2", "--port", "9000", "--index", "idx"], env=env)
    assert (s.host, s.port, s.index_dir) == ("127.0.0.2", 9000, Path("idx"))
    s = config.Settings.load([], env={})
    assert (s.host, s.port, s.auth) == ("127.0.0.1", 7860, None)


@pytest.mark.parametrize("figure,unit,unit_norm,qualifier,expected", [
    ("$ 148.6 M", "$", "USD", "", "US$ 148.6 M"),
    ("54M", "", "USD", "", "US$ 54M"),
    ("USD 6.7 million", "USD", "USD", "almost", "almost US$ 6.7 million"),
    ("€ 12,000", "€", "EUR", "", "€ 12,000"),
    ("2,140", "persons", "people", "", ""),
], ids=["sign-twice", "no-sign", "code-and-qualifier", "euro", "not-money"])
def test_money_is_shown_once_with_its_currency(figure, unit, unit_norm, qualifier, expected):
    answer = Answer(question="q", text=f"REQUIREMENT: {figure}", abstained=False, figure=figure, unit=unit,
                    unit_norm=unit_norm, qualifier=qualifier, sources=(SOURCE,))
    assert render.money_figure(answer) == expected
    if expected:
        assert render.format_answer(answer).startswith(f"**{render.escape_text(expected)}**")


def test_follow_up_says_what_it_assumed():
    answer = Answer(question="q", text="9 deaths were reported.", abstained=False, figure="9 deaths",
                    assumed="about Marburg in Ethiopia, as in your previous question", sources=(SOURCE,))
    md = render.format_answer(answer)
    assert md.index("**9 deaths**") < md.index("Read as a follow-up: about Marburg in Ethiopia") < md.index("<details")


def test_previous_questions_from_a_chat_history():
    history = [{"role": "user", "content": render.escape_text("How many (kits) in *Peru*?")},
               {"role": "assistant", "content": "**2,140**"},
               {"role": "user", "content": [{"type": "text", "text": "And in Chile?"}]}]
    assert render.previous_questions(history) == ["How many (kits) in *Peru*?", "And in Chile?"]
    assert render.previous_questions(["a", "b"]) == ["a", "b"]


def test_scope_is_grouped_by_country_and_publisher_newest_first():
    reports = [{"name": "a.pdf", "title": "A", "country": "Peru", "publisher": "R4V", "date": "2020-09-30"},
               {"name": "b.pdf", "title": "B", "country": "Peru", "publisher": "R4V", "date": "2020-10-31"},
               {"name": "c.pdf", "title": "C", "country": "Ethiopia", "publisher": "OCHA", "date": ""}]
    labels = [label for label, _ in render.report_choices(reports)]
    assert labels == ["Ethiopia · OCHA · undated — C (c.pdf)", "Peru · R4V · 2020-10-31 — B (b.pdf)",
                      "Peru · R4V · 2020-09-30 — A (a.pdf)"]


def test_upload_limit_may_be_a_fraction_and_a_bad_one_is_one_line(capsys):
    assert config.Settings.load([], env={"REPORTQA_MAX_UPLOAD_MB": "2.5"}).max_upload_mb == 2.5
    for bad in ("lots", "0", "-1", "nan"):
        with pytest.raises(SystemExit):
            config.Settings.load([], env={"REPORTQA_MAX_UPLOAD_MB": bad})
        assert "REPORTQA_MAX_UPLOAD_MB must be a positive number" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::"])
def test_listening_beyond_localhost_without_a_login_is_refused(tmp_path, capsys, host):
    (tmp_path / "not-an-index").write_text("the refusal comes before anything is loaded")
    env_free = {"REPORTQA_USER": "", "REPORTQA_PASSWORD": ""}
    old = {k: os.environ.pop(k, None) for k in env_free}
    try:
        code = app.main(["--host", host, "--index", str(tmp_path / "not-an-index")])
    finally:
        os.environ.update({k: v for k, v in old.items() if v is not None})
    assert code == 2 and "--no-login" in capsys.readouterr().err


def test_login_is_throttled_after_wrong_attempts(monkeypatch):
    waits: list[float] = []

    async def no_sleep(seconds):
        waits.append(seconds)

    gate = config.LoginGate("aid", "s3cret")
    monkeypatch.setattr(gate, "sleep", no_sleep)  # asyncio.sleep itself is left alone: servers other tests
    # left running in this process call it too
    results = [asyncio.run(gate("aid", f"guess{i}")) for i in range(9)]
    assert results == [False] * 9 and waits == [1.0, 2.0, 4.0, 8.0]
    assert asyncio.run(gate("aid", "s3cret")) and waits[-1] == 16.0  # the right login waits too, then resets
    assert asyncio.run(gate("aid", "nope")) is False and len(waits) == 5
    assert asyncio.run(gate("", "")) is False


def test_scratch_files_are_bounded_and_a_sweep_tolerates_files_gone(tmp_path, monkeypatch):
    scratch = files.Scratch(keep=3)
    try:
        for i in range(5):
            scratch.file(f"{i}.csv").write_text("x")
        assert len(list(scratch.path.iterdir())) == 3  # the oldest went
        same = scratch.file("facts.csv", key="abc")
        same.write_text("x")
        assert scratch.file("facts.csv", key="abc") == same and same.exists()  # one file per search
        real_iterdir = Path.iterdir

        def with_a_ghost(self):  # another request removed a folder between the listing and its stat
            yield from real_iterdir(self)
            yield self / "swept-meanwhile"

        monkeypatch.setattr(Path, "iterdir", with_a_ghost)
        scratch.sweep()
    finally:
        monkeypatch.undo()
        scratch.remove()
    assert not scratch.path.exists()


def test_example_questions_are_configurable():
    assert config.example_questions({}) == list(config.EXAMPLE_QUESTIONS)
    assert config.example_questions({"REPORTQA_EXAMPLES": "How many a?| How many b? "}) == ["How many a?",
                                                                                          "How many b?"]


# ---------------------------------------------------------------------- the real app (end to end)

@pytest.fixture(scope="module")
def running():
    from tests.app_support import shared_app

    return shared_app()


@pytest.fixture
def client(running):
    from gradio_client import Client

    return Client(running.url, verbose=False)


def test_ask_endpoint_returns_figure_and_citation(client):
    markdown, answer = client.predict("How many persons received hygiene kits?", [], api_name="/ask")
    assert not answer["abstained"]
    assert "2,140" in answer["figure"] or "2,140" in answer["text"]
    assert "**" in markdown and "2,140" in markdown
    top = answer["sources"][0]
    assert top["report"] == "r4v-peru-2020-10.txt" and top["page"] >= 1
    assert "<details" in markdown and "<mark>" in markdown


def test_ask_endpoint_respects_report_scope(client):
    from tests.app_support import TINY

    _, answer = client.predict("How many households were displaced by the floods?", [TINY], api_name="/ask")
    assert {s["report"] for s in answer["sources"] + answer["passages"]} <= {TINY}
    assert not answer["abstained"] and "12,500" in answer["text"]


def test_chat_endpoint_keeps_history_and_escapes_the_question(client):
    question = 'How many water filters were distributed? <img src=x onerror="alert(1)">'
    box, history, answer = client.predict(question, [], [], api_name="/chat")
    assert box == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    user_text = json.dumps(history[0]["content"])
    assert "<img" not in user_text and "&lt;img" in user_text
    assert answer["question"] == question
    _, history, _ = client.predict("How many households were displaced?", history, [], api_name="/chat")
    assert len(history) == 4


def test_facts_endpoint_filters_and_exports_csv(client):
    table, count, csv_path = client.predict("", "", "", "hygiene kits", api_name="/facts")
    rows = table["data"]
    assert rows and any("2,140" in str(cell) for row in rows for cell in row)
    assert "facts" in count
    with open(csv_path, newline="", encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) == len(rows) and exported[0]["sentence"]
    assert list(table["headers"]) == list(render.FACT_VIEW_COLUMNS)  # the view fits; the CSV has every column
    table, _, csv_path = client.predict("", "households", "", "", api_name="/facts")
    with open(csv_path, newline="", encoding="utf-8") as fh:
        assert table["data"] and {row["unit_norm"] for row in csv.DictReader(fh)} == {"households"}


def test_upload_then_ask_about_it(client, running, tmp_path):
    from gradio_client import handle_file

    report = tmp_path / "cholera-update.txt"
    report.write_text("Cholera Response Update No. 2\nHealth Cluster\n3 April 2024\n\n"
                      "Over 7,800 people were vaccinated against cholera in Harbour District during the "
                      "campaign, and 14 cholera treatment centres are open.\n", encoding="utf-8")
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01\x02")
    status, reports, *_ = client.predict([handle_file(report), handle_file(corrupt)], api_name="/upload")
    assert "cholera-update.txt: indexed" in status.replace("\\", "")
    assert "broken.pdf" in status and "❌" in status  # the bad file says why; the good one goes in
    assert "cholera-update.txt" in [row[-1] for row in reports["data"]]
    assert (running.uploads / "cholera-update.txt").exists()
    assert not (running.uploads / "broken.pdf").exists()  # what cannot be indexed is not kept
    _, answer = client.predict("How many people were vaccinated against cholera?", [], api_name="/ask")
    assert not answer["abstained"] and "7,800" in answer["text"]
    assert answer["sources"][0]["report"] == "cholera-update.txt"

    report.write_text("Cholera Response Update No. 3\n\nOver 9,900 people were vaccinated.\n")
    status, *_ = client.predict([handle_file(report)], api_name="/upload")
    assert "cholera-update-2.txt" in status.replace("\\", "")
    assert (running.uploads / "cholera-update.txt").read_text().startswith("Cholera Response Update No. 2")


def test_questions_are_answered_while_an_upload_is_indexed(client, running, tmp_path):
    from gradio_client import Client, handle_file

    big = tmp_path / "library-report.txt"
    big.write_text("Mobile Library Report\n\n" + "\n\n".join(
        f"In district {i}, the mobile library lent {i * 7 + 3:,} books to {i * 3 + 1:,} children in "
        f"collective centres during the reporting week." for i in range(200)), encoding="utf-8")
    uploader = Client(running.url, verbose=False)
    job = uploader.submit([handle_file(big)], api_name="/upload")
    deadline = time.monotonic() + 60
    while not job.status().progress_data and not job.done() and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until indexing has started and reports progress
    assert not job.done(), "the upload finished before a question could be asked during it"
    _, answer = client.predict("How many persons received hygiene kits?", [], api_name="/ask")
    assert "2,140" in answer["text"]
    assert not job.done()  # answered while the upload was still being indexed
    status, *_ = job.result(timeout=120)
    assert "library-report.txt: indexed" in status.replace("\\", "")


def test_batch_endpoint_returns_answers_file(client, tmp_path):
    from gradio_client import handle_file

    questions = tmp_path / "questions.txt"
    questions.write_text("How many persons received hygiene kits?\n"
                         "How many water filters were distributed?\n")
    out_path, status = client.predict(handle_file(str(questions)), [], api_name="/batch")
    lines = Path(out_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "2,140" in lines[0]
    assert status


def test_upload_over_the_size_limit_is_refused(client, tmp_path):
    from gradio_client import handle_file

    big = tmp_path / "huge.txt"
    big.write_bytes(b"Partners delivered 1,000 kits.\n" * (6 * 1024 * 1024 // 31))  # the test app allows 5 MB
    with pytest.raises(Exception, match="(?i)size|large|413"):
        client.predict([handle_file(big)], api_name="/upload")


def test_login_is_required_when_user_and_password_are_set(running):
    from gradio_client import Client

    from tests.app_support import free_port

    settings = config.Settings(port=free_port(), user="aid", password="s3cret", uploads_dir=running.uploads)
    demo = ui.build_ui(running.assistant, settings)
    ui.launch(demo, settings, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain error without login
            Client(url, verbose=False)
        _, answer = Client(url, auth=("aid", "s3cret"), verbose=False).predict(
            "How many persons received hygiene kits?", [], api_name="/ask")
        assert "2,140" in answer["text"]
    finally:
        demo.close()


def test_a_fractional_upload_limit_starts(running):
    from tests.app_support import free_port

    settings = config.Settings(port=free_port(), uploads_dir=running.uploads, max_upload_mb=2.5)
    demo = ui.build_ui(running.assistant, settings)
    try:
        ui.launch(demo, settings, prevent_thread_lock=True, quiet=True)
    finally:
        demo.close()


def test_facts_csv_export_neutralises_formulas(client, running, tmp_path):
    from gradio_client import handle_file

    report = tmp_path / "formula-report.txt"
    report.write_text('=HYPERLINK("http://evil.example/","Click") Partners handed out 6,543 tarpaulins.\n')
    client.predict([handle_file(report)], api_name="/upload")
    _, _, csv_path = client.predict("formula-report.txt", "", "", "", api_name="/facts")
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    assert any(row["sentence"].startswith("'=HYPERLINK") for row in rows)


@pytest.mark.e2e  # a real process (the model, a kill, a memory measurement)
def test_sigterm_removes_the_scratch_folder(tmp_path):
    from tests.app_support import ROOT, free_port, shared_app

    index = shared_app().root / "index"
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(scratch_parent), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([sys.executable, "app.py", "--index", str(index), "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while not list(scratch_parent.glob("reportqa-app-*")) and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(scratch_parent.glob("reportqa-app-*")), "the app never made its scratch folder"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not list(scratch_parent.glob("reportqa-app-*"))


def test_batch_endpoint_scores_a_file_with_expected_answers(client, tmp_path):
    from gradio_client import handle_file

    questions = tmp_path / "gold.csv"
    questions.write_text("id,question,value,unit,text,abstain\n"
                         "g1,How many persons received hygiene kits?,2140,,,\n"
                         "g2,How many water filters were distributed?,4300,,,\n", encoding="utf-8")
    out_path, status = client.predict(handle_file(str(questions)), [], api_name="/batch")
    assert out_path.endswith(".csv")
    with open(out_path, newline="", encoding="utf-8") as fh:
        assert [row["id"] for row in csv.DictReader(fh)] == ["g1", "g2"]
    assert status.startswith("```text\n") and "accuracy" in status


def test_ask_endpoint_takes_the_history_for_follow_ups(client):
    from tests.app_support import MARBURG

    first = "How many confirmed cases of Marburg virus disease are there in Ethiopia?"
    _, answer = client.predict(first, [], api_name="/ask")
    assert answer["sources"][0]["report"] == MARBURG and answer["value"] == 12
    markdown, answer = client.predict("And how many deaths?", [], [first], api_name="/ask")
    assert answer["value"] == 9 and answer["sources"][0]["report"] == MARBURG
    assert "Marburg" in answer["assumed"] and "previous question" in answer["assumed"]
    assert "Read as a follow-up" in markdown
    _, answer = client.predict("How many persons received hygiene kits?", [], [first], api_name="/ask")
    assert answer["assumed"] == "" and "2,140" in answer["text"]


def test_a_country_outside_the_selected_reports_is_said_apart_from_not_indexed(client):
    from tests.app_support import TINY

    _, answer = client.predict("How many asylum-seekers are there in Peru?", [TINY], api_name="/ask")
    assert answer["abstained"] and "outside the reports you selected" in answer["reason"]
    _, answer = client.predict("How many asylum-seekers are there in Chile?", [], api_name="/ask")
    assert answer["abstained"] and "no indexed report covers Chile" in answer["reason"]


def test_page_endpoint_draws_a_pdf_page_and_refuses_what_is_not_indexed(client):
    from tests.app_support import MARBURG, PERU

    html = client.predict(MARBURG, 1, "Since the start of the outbreak, 9 deaths were reported in Jinka town, "
                          "South Ethiopia Region.", "9", api_name="/page")
    assert '<img id="rq-preview-img"' in html and "data:image/png;base64," in html
    html = client.predict(PERU, 1, "", "", api_name="/page")
    assert 'class="rq-page-text"' in html
    for report, page in (("../../etc/passwd", 1), ("not-indexed.pdf", 1), (MARBURG, 99)):
        html = client.predict(report, page, "", "", api_name="/page")
        assert "rq-preview-error" in html and "<img" not in html


def test_same_bytes_under_another_name_are_already_indexed(client, running, tmp_path):
    from gradio_client import handle_file

    from tests.app_support import TINY, TINY_REPORT

    copy = tmp_path / "floods-copy.txt"
    copy.write_text(TINY_REPORT, encoding="utf-8")
    status, reports, *_ = client.predict([handle_file(copy)], api_name="/upload")
    assert f"already in the index as {TINY}" in status.replace("\\", "")
    assert "floods-copy.txt" not in [row[-1] for row in reports["data"]]
    assert not (running.uploads / "floods-copy.txt").exists()


def test_remove_a_report_while_the_chat_keeps_answering(client, running, tmp_path):
    from gradio_client import Client, handle_file

    report = tmp_path / "dengue-note.txt"
    report.write_text("Dengue Note\n\nSome 3,300 dengue cases were notified in Coast Province.\n", encoding="utf-8")
    client.predict([handle_file(report)], api_name="/upload")
    _, answer = client.predict("How many dengue cases were notified?", [], api_name="/ask")
    assert "3,300" in answer["text"]
    remover = Client(running.url, verbose=False)
    job = remover.submit(["dengue-note.txt"], api_name="/remove")
    _, answer = client.predict("How many persons received hygiene kits?", [], api_name="/ask")
    assert "2,140" in answer["text"]  # answered before, during or after the rebuild
    status, reports, *_ = job.result(timeout=120)
    assert "dengue-note.txt: removed" in status.replace("\\", "")
    assert "dengue-note.txt" not in [row[-1] for row in reports["data"]]
    assert not (running.uploads / "dengue-note.txt").exists()
    _, answer = client.predict("How many dengue cases were notified?", [], api_name="/ask")
    assert "3,300" not in answer["text"]
    status, *_ = client.predict([handle_file(report)], api_name="/upload")  # and it can come back
    assert "dengue-note.txt: indexed" in status.replace("\\", "")


def test_batch_rows_carry_their_own_latency(client, tmp_path):
    from gradio_client import handle_file

    questions = tmp_path / "many.txt"
    questions.write_text("How many persons received hygiene kits?\nHow many water filters were distributed?\n"
                         "How many households were displaced by the floods?\n"
                         "How many confirmed cases of Marburg virus disease are there in Ethiopia?\n"
                         "How many calls did the MIMP receive in September 2020?\n")
    out_path, _ = client.predict(handle_file(str(questions)), [], api_name="/batch")
    rows = [json.loads(line) for line in Path(out_path).read_text(encoding="utf-8").splitlines()]
    latencies = [row["latency_ms"] for row in rows]
    assert len(rows) == 5 and all(x > 0 for x in latencies)
    assert len(set(latencies)) > 1  # each row's own time, not one average


def test_an_internal_error_is_a_message_not_a_traceback(tmp_path):
    """A bug in answering shows the user one plain line; the details go to the log, not the chat."""

    class Broken:
        index_dir = tmp_path

        def ask(self, *args, **kwargs):
            raise RuntimeError(f"boom in {tmp_path}/secret/path.py")

        def list_reports(self):
            return []

        def list_facts(self, **kwargs):
            return []

    demo = ui.build_ui(Broken())
    chat = next(fn for fn in demo.fns.values() if fn.name == "chat").fn
    _, history, answer = chat("How many?", [], [])
    assert answer is None and "internal error" in history[-1]["content"]
    assert str(tmp_path) not in history[-1]["content"] and "boom" not in history[-1]["content"]
