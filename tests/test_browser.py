"""The web chat in headless Chromium: ask, follow up, see the page, manage reports, batch, history.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; no browser is downloaded. With
REPORTQA_SCREENSHOT=path set, the answered chat is saved there (docs/screenshot.png comes from it),
and beside it the chat with a page preview (screenshot-preview.png) and the phone layout
(screenshot-phone.png).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def running():
    from tests.app_support import shared_app

    return shared_app()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


PHONE = {"width": 390, "height": 844}


def _save_screenshot(page, name: str, tmp_path: Path) -> None:
    """Save a README picture beside REPORTQA_SCREENSHOT when it is set."""
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    if os.environ.get("REPORTQA_SCREENSHOT"):
        target = Path(os.environ["REPORTQA_SCREENSHOT"]).with_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target)


@pytest.fixture
def viewport():
    return {"width": 1280, "height": 860}


@pytest.fixture
def page(browser, running, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:",
                                                                                  "blob:")) else None)
    page.goto(running.url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()
    assert not outside, f"the page fetched from outside the machine: {outside}"


ANSWERS = "#chat .message-row.bot-row:not(:has(.rq-waiting))"  # answers that have come (not "Answering…")


def _answers(page) -> list[str]:
    return page.locator(ANSWERS).all_inner_texts()


def _ask(page, question: str, answers_before: int) -> str:
    """Ask as a user does (type, press Enter) and wait for the answer; no waiting before asking:
    a question asked while another is answered is answered after it."""
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[ANSWERS, answers_before],
                           timeout=ANSWER_TIMEOUT_MS)
    return page.locator(ANSWERS).last.inner_text()


SLOW_ANSWER_S = 1.5  # long enough that the next question is surely asked while this one is answered


def test_questions_asked_back_to_back_are_all_answered_in_order(page, running, monkeypatch):
    """Three questions asked one after another without waiting for answers (the second a follow-up of
    the first): each shows in the chat at once as being answered and the box is empty at once; all
    three are answered in the order asked, the follow-up against the first; a draft typed meanwhile is
    not wiped by the answers. The real assistant answers, each question held back SLOW_ANSWER_S so
    that the later ones are asked while the first is still being answered (a big index, a busy server)."""
    import time

    from playwright.sync_api import expect

    ask = running.assistant.ask

    def slow_ask(*args, **kwargs):
        time.sleep(SLOW_ANSWER_S)
        return ask(*args, **kwargs)

    monkeypatch.setattr(running.assistant, "ask", slow_ask)
    box = page.locator("#question textarea")
    asked = ["How many confirmed cases of Marburg virus disease are there in Ethiopia?", "And how many deaths?",
             "How many persons received hygiene kits?"]
    for n, question in enumerate(asked, 1):
        box.fill(question)
        if n < 3:
            page.keyboard.press("Enter")
        else:
            page.click("#ask")  # the button asks the same way
        # emptied and in the chat as it is sent, long before its answer (a human reads this, then types)
        expect(box).to_have_value("", timeout=1_000)
        expect(page.locator("#chat .message-row.user-row")).to_have_count(n, timeout=1_000)
        expect(page.locator("#chat .message-row.user-row").last).to_have_text(question)
    # the first is still being answered, the later two wait for it
    expect(page.locator("#chat .rq-waiting")).to_have_count(3)
    box.type("How many water")  # the next question, begun while the others are being answered
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n "
                           "&& !document.querySelector('#chat .rq-waiting')", arg=[ANSWERS, 3],
                           timeout=ANSWER_TIMEOUT_MS)
    assert [q.strip() for q in page.locator("#chat .message-row.user-row").all_inner_texts()] == asked
    first, follow, kits = _answers(page)
    assert "12 confirmed cases" in first
    assert "9 deaths" in follow and "Read as a follow-up: about Marburg virus disease in Ethiopia" in follow
    assert "2,140" in kits
    expect(box).to_have_value("How many water")  # the draft survived the answers
    monkeypatch.setattr(running.assistant, "ask", ask)
    box.type(" filters were distributed?")
    page.keyboard.press("Enter")
    expect(box).to_have_value("", timeout=1_000)
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[ANSWERS, 3],
                           timeout=ANSWER_TIMEOUT_MS)
    assert "4,300" in page.locator(ANSWERS).last.inner_text()


def test_the_chat_s_own_bin_empties_it_for_good(page):
    _ask(page, "How many persons received hygiene kits?", 0)
    page.locator("#chat button[aria-label='Clear']").click()
    page.wait_for_function("() => !document.querySelector('#chat .message-row')")
    _ask(page, "How many water filters were distributed?", 0)
    assert [q.strip() for q in page.locator("#chat .message-row.user-row").all_inner_texts()] == [
        "How many water filters were distributed?"]  # the emptied chat does not come back with it


def test_question_gets_answer_with_highlighted_citation(page, tmp_path):
    answer = _ask(page, "How many asylum-seekers are there in Peru?", 0)
    assert "500,000" in answer
    assert "p. " in answer  # the citation line: title (publisher, date), p. N
    mark = page.locator("#chat details[open] mark").first
    mark.wait_for(state="visible")
    assert "500,000" in mark.inner_text()
    assert page.locator("#chat strong", has_text="almost 500,000").count() >= 1  # bold, with its qualifier
    shot = tmp_path / "screenshot.png"  # the README's picture: REPORTQA_SCREENSHOT=docs/screenshot.png
    page.screenshot(path=str(shot))
    if os.environ.get("REPORTQA_SCREENSHOT"):
        target = Path(os.environ["REPORTQA_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target)
    answer = _ask(page, "How many persons received hygiene kits?", 1)
    assert "2,140" in answer
    assert page.locator("#chat .message-row.bot-row").last.locator("strong", has_text="2,140").count() == 1


def test_example_questions_come_from_the_index_and_fill_the_box(page):
    from playwright.sync_api import expect

    examples = page.locator("#examples button")
    examples.first.wait_for(state="visible")
    texts = [t.strip() for t in examples.all_inner_texts() if t.strip()]
    assert any("floods" in t or "Marburg" in t or "Jinka" in t for t in texts), texts  # not the generic list
    examples.first.click()
    expect(page.locator("#question textarea")).to_have_value(texts[0])
    assert "$ " not in page.inner_text("#examples")


def test_html_in_a_question_is_shown_as_text_and_not_run(page):
    question = ('How many water filters? <img src=x onerror="window.__pwned=1">'
                "<script>window.__pwned=2</script>")
    _ask(page, question, 0)
    page.wait_for_timeout(500)  # give an injected onerror handler the chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat script").count() == 0
    user = page.locator("#chat").get_by_text('<img src=x onerror="window.__pwned=1">', exact=False)
    assert user.first.is_visible()
    assert "<script>window.__pwned=2</script>" in page.locator("#chat").inner_text()


def test_upload_in_the_browser_then_ask_within_that_report(page, tmp_path):
    report = tmp_path / "harbour-measles.txt"
    report.write_text("Measles Response Update\nHealth Cluster\n8 May 2024\n\n"
                      "Some 6,400 children were vaccinated against measles in Harbour District.\n",
                      encoding="utf-8")
    page.get_by_role("tab", name="Reports").click()
    page.set_input_files("#upload input[type=file]", str(report))
    page.wait_for_selector("#upload-status li", timeout=ANSWER_TIMEOUT_MS)
    assert "harbour-measles.txt: indexed" in page.inner_text("#upload-status")
    page.get_by_role("tab", name="Chat").click()
    page.click("#scope input")  # the new report is offered in this session's scope at once
    page.locator("ul[role=listbox] li", has_text="harbour-measles.txt").click()
    page.keyboard.press("Escape")
    answer = _ask(page, "How many children were vaccinated against measles?", 0)
    assert "6,400" in answer and "Measles Response Update" in answer


def test_follow_up_takes_subject_and_place_from_the_previous_question(page):
    first = _ask(page, "How many confirmed cases of Marburg virus disease are there in Ethiopia?", 0)
    assert "12" in first
    follow = _ask(page, "And how many deaths?", 1)
    assert "9 deaths" in follow
    assert "Read as a follow-up: about Marburg virus disease in Ethiopia" in follow


def test_page_preview_shows_the_cited_pdf_page_with_the_figure(page, tmp_path):
    from tests.app_support import MARBURG

    _ask(page, "How many confirmed cases of Marburg virus disease are there in Ethiopia?", 0)
    _ask(page, "And how many deaths?", 1)
    link = page.locator("#chat .message-row.bot-row").last.locator("a.rq-page").first
    link.click()
    image = page.locator("#rq-preview-img")
    image.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    # visible comes before loaded: wait for the rendered page itself
    page.wait_for_function("() => { const i = document.querySelector('#rq-preview-img');"
                           " return i && i.complete && i.naturalWidth > 500; }", timeout=ANSWER_TIMEOUT_MS)
    assert MARBURG in image.get_attribute("alt")
    assert "page 1" in page.inner_text("#preview")
    _save_screenshot(page, "screenshot-preview.png", tmp_path)
    # a text report's page: its text with the sentence marked
    _ask(page, "How many households were displaced by the floods?", 2)
    page.locator("#chat .message-row.bot-row").last.locator("a.rq-page").first.click()
    page.wait_for_selector("#rq-preview-text mark.rq-sentence", timeout=ANSWER_TIMEOUT_MS)
    assert "12,500" in page.inner_text("#rq-preview-text mark.rq-sentence")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_new_answer_shows_from_its_first_line_on_a_phone(page, tmp_path):
    _ask(page, "How many asylum-seekers are there in Peru?", 0)
    _ask(page, "How many persons received hygiene kits?", 1)
    answer = page.locator("#chat .message-row.bot-row").last
    page.wait_for_timeout(800)  # let the scroll settle
    first_line = answer.locator("strong").first
    box = first_line.bounding_box()
    chat_box = page.locator("#chat").bounding_box()
    assert box is not None and chat_box is not None
    # the bold figure is inside the visible chat panel and the window
    assert chat_box["y"] - 1 <= box["y"] and box["y"] + box["height"] <= chat_box["y"] + chat_box["height"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    # nothing lies over it
    hit = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); "
                        "return !!(e && e.closest('#chat .message-row.bot-row')); }",
                        [box["x"] + min(10, box["width"] / 2), box["y"] + box["height"] / 2])
    assert hit
    # on a phone the answer comes first; its citations, the preview and the report picker below it
    details = answer.locator("details").first.bounding_box()
    assert details is None or details["y"] > box["y"]
    assert page.locator("#preview").bounding_box()["y"] > chat_box["y"] + chat_box["height"] - 1
    assert page.locator("#scope").bounding_box()["y"] > chat_box["y"]
    _save_screenshot(page, "screenshot-phone.png", tmp_path)


def _saved_chat_changes(page, before) -> None:
    """Wait until the browser has stored the chat anew (the stored value is encrypted: it changes)."""
    page.wait_for_function("before => { const v = Object.entries(localStorage).filter(([k]) => "
                           "k.includes('reportqa-chat')).map(([, v]) => v).join(); return v && v !== before; }",
                           arg=before, timeout=ANSWER_TIMEOUT_MS)


def _saved_chat_settles(page, before) -> None:
    """Wait until the browser has stored the chat anew and stopped storing it (an answer streams: the
    first save may hold only the question), so a reload finds the whole answer."""
    _saved_chat_changes(page, before)
    last, waited = _saved_chat(page), 0
    while waited < ANSWER_TIMEOUT_MS:
        page.wait_for_timeout(1500)
        waited += 1500
        now = _saved_chat(page)
        if now == last:
            return
        last = now


def _saved_chat(page) -> str:
    return page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes('reportqa-chat'))"
                         ".map(([, v]) => v).join()")


def test_history_is_kept_across_a_reload_and_copy_gives_plain_text(page, running):
    before = _saved_chat(page)
    _ask(page, "How many persons received hygiene kits?", 0)
    page.wait_for_function("() => { const b = document.querySelectorAll('#chat .message-row.bot-row'); "
                           "return b.length && b[b.length - 1].innerText.includes('2,140'); }",
                           timeout=ANSWER_TIMEOUT_MS)  # the answer has finished streaming
    _saved_chat_settles(page, before)  # the chat is saved in the browser as it changes
    page.reload()
    page.wait_for_selector("#question textarea")
    page.wait_for_function("() => document.querySelectorAll('#chat .message-row.bot-row').length >= 1",
                           timeout=ANSWER_TIMEOUT_MS)
    answer = page.locator("#chat .message-row.bot-row").last
    assert "2,140" in answer.inner_text()
    answer.hover()
    page.locator("#chat button[aria-label*='copy' i]").last.click()  # the latest message's copy button
    copied = page.evaluate("() => window.__rqCopied")
    assert "2,140" in copied and "p. " in copied  # the answer, then its citation with page
    assert "<" not in copied and "**" not in copied
    before = _saved_chat(page)
    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#chat .message-row.bot-row').length === 0")
    _saved_chat_changes(page, before)
    page.reload()
    page.wait_for_selector("#question textarea")
    page.wait_for_timeout(1000)
    assert page.locator("#chat .message-row.bot-row").count() == 0


def test_remove_a_report_in_the_browser(page, tmp_path):
    report = tmp_path / "polio-round.txt"
    report.write_text("Polio Campaign Note\nHealth Cluster\n2 June 2024\n\n"
                      "Some 5,700 children were vaccinated against polio in Ridge District.\n", encoding="utf-8")
    page.get_by_role("tab", name="Reports").click()
    page.set_input_files("#upload input[type=file]", str(report))
    page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('polio-round')",
                           timeout=ANSWER_TIMEOUT_MS)
    # the status names the file while it is indexed; the table shows it once the build is swapped in
    page.wait_for_function("() => document.querySelector('#reports-table').innerText.includes('polio-round.txt')",
                           timeout=ANSWER_TIMEOUT_MS)
    page.click("#remove-pick input")
    page.locator("ul[role=listbox] li", has_text="polio-round.txt").click()
    page.keyboard.press("Escape")
    page.click("#remove")
    page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('removed')",
                           timeout=ANSWER_TIMEOUT_MS)
    assert "polio-round.txt: removed" in page.inner_text("#upload-status")
    page.wait_for_function("() => !document.querySelector('#reports-table').innerText.includes('polio-round')",
                           timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("tab", name="Chat").click()
    answer = _ask(page, "How many children were vaccinated against polio?", 0)
    assert "5,700" not in answer
    assert "2,140" in _ask(page, "How many persons received hygiene kits?", 1)  # the chat keeps answering


def test_the_same_file_under_another_name_is_already_indexed(page, tmp_path):
    from tests.app_support import TINY, TINY_REPORT

    copy = tmp_path / "same-floods-renamed.txt"
    copy.write_text(TINY_REPORT, encoding="utf-8")
    page.get_by_role("tab", name="Reports").click()
    page.set_input_files("#upload input[type=file]", str(copy))
    page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('same-floods')",
                           timeout=ANSWER_TIMEOUT_MS)
    assert f"already in the index as {TINY}" in page.inner_text("#upload-status")
    assert "same-floods-renamed" not in page.inner_text("#reports-table")


def test_batch_shows_progress_per_question(page, tmp_path):
    questions = tmp_path / "batch.txt"
    lines = ["How many persons received hygiene kits?", "How many water filters were distributed?",
             "How many households were displaced by the floods?", "How many deaths were reported?"]
    questions.write_text("\n".join(lines * 15) + "\n", encoding="utf-8")
    page.get_by_role("tab", name="Batch").click()
    page.evaluate("""() => { window.__rqProgress = new Set();
        new MutationObserver(() => { for (const m of document.body.innerText.matchAll(/Answered (\\d+) of (\\d+)/g))
            window.__rqProgress.add(m[1] + '/' + m[2]); })
          .observe(document.body, {childList: true, subtree: true, characterData: true}); }""")
    page.set_input_files("#batch-in input[type=file]", str(questions))
    page.click("#batch-run")
    page.wait_for_selector("#batch-out a", timeout=ANSWER_TIMEOUT_MS)
    seen = page.evaluate("() => [...window.__rqProgress]")
    partial = [s for s in seen if 0 < int(s.split("/")[0]) < 60]
    assert partial, f"no progress between the first and last question: {seen}"
    assert "Answered 60 questions" in page.inner_text("#batch-status")
