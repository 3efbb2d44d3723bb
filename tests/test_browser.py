"""The web chat in headless Chromium: ask, see the answer and its citation; HTML in a question stays text.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; no browser is downloaded. With
REPORTQA_SCREENSHOT=path set, the answered chat is saved there (docs/screenshot.png comes from it).
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


@pytest.fixture
def page(browser, running):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:",
                                                                                  "blob:")) else None)
    page.goto(running.url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()
    assert not outside, f"the page fetched from outside the machine: {outside}"


def _ask(page, question: str, answers_before: int) -> str:
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    bot = page.locator("#chat .message-row.bot-row")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .message-row.bot-row').length > n",
        arg=answers_before, timeout=ANSWER_TIMEOUT_MS)
    return bot.last.inner_text()


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


def test_example_question_fills_the_box(page):
    from playwright.sync_api import expect

    from app import example_questions

    first = example_questions()[0]
    page.get_by_text(first, exact=True).first.click()
    expect(page.locator("#question textarea")).to_have_value(first)


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
