"""The web chat: an Assistant over an index in, a Gradio app out (chat, facts, reports, batch tabs).

Only formats what the core returns; nothing about answering lives here. Per-user state (the chat
history, the chosen reports) lives in each browser session's component values, never in module
globals; the model and index load once per process, in `main()`.

    python app.py [--host 127.0.0.1] [--port 7860] [--index index/]

A script can ask through the named endpoint:

    from gradio_client import Client
    markdown, answer = Client("http://127.0.0.1:7860/").predict("How many ...?", [], api_name="/ask")
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import csv
import hashlib
import hmac
import html
import json
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("reportqa.app")
ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
# Generic first-screen questions; REPORTQA_EXAMPLES="q1|q2|..." replaces them for another corpus.
EXAMPLE_QUESTIONS = (
    "How many people were reached with some form of assistance?",
    "What is the funding requirement?",
    "What percentage of the appeal is funded?",
    "How many people received food assistance?",
)
FACT_COLUMNS = ("report", "page", "text", "qualifier", "unit", "label", "sentence", "sector", "unit_norm",
                "kind", "value")
REPORT_COLUMNS = ("title", "publisher", "country", "date", "pages", "facts", "name")
REPORT_WIDTHS = ["34%", "16%", "10%", "11%", "7%", "7%", "15%"]
# The facts table shows what a reader needs; the CSV export keeps every column of FACT_COLUMNS.
FACT_VIEW_COLUMNS = ("figure", "what", "report", "page")
FACT_VIEW_WIDTHS = ["22%", "48%", "22%", "8%"]
BATCH_PROGRESS_STEP = 4  # questions per ask_many call in the web app: progress moves every few questions
MAX_FACT_ROWS = 500  # shown in the table; the CSV export holds every matching fact
ASK_CONCURRENCY = 4  # questions answered at once across all users (the core is thread-safe)
CSS = """
mark { background: #ffe066; color: inherit; padding: 0 .1em; border-radius: 2px; }
details.rq-source { margin: .3em 0; }
details.rq-source summary { cursor: pointer; }
details.rq-source blockquote { margin: .3em 0 .3em .5em; padding-left: .6em; border-left: 3px solid #ccc; }
small.rq-assumed { display: block; color: #555; font-style: italic; }
a.rq-page { cursor: pointer; }
#preview img { width: 100%; height: auto; border: 1px solid #ddd; }
#preview { max-height: 640px; overflow: auto; }
#preview .rq-preview-head { font-weight: 600; margin: .2em 0 .4em; }
#preview pre.rq-page-text { white-space: pre-wrap; font-size: .85em; max-height: 600px; overflow: auto; }
#preview mark.rq-sentence { background: #ffe066; }
#facts-table td, #reports-table td { word-break: break-word; }
@media (max-width: 640px) {
  #chat-row { flex-direction: column; }
  #facts-table table { font-size: .85em; }
}
"""
# Browser-side helpers (run once when the page loads):
# - a new answer shows from its first line: the chat scrolls to the top of the latest answer
#   (the Chatbot's own autoscroll, which jumps to the end of a long answer, is off);
# - "show the page" under a citation asks the server for that page (hidden textbox + button) and
#   brings the preview into view;
# - the copy button of a message copies plain text: the answer, then each citation with its quote.
APP_JS = r"""
() => {
  const chat = () => document.querySelector('#chat');
  const lastBot = () => { const rows = document.querySelectorAll('#chat .message-row.bot-row');
                          return rows.length ? rows[rows.length - 1] : null; };
  const scroller = (el) => { for (let p = el && el.parentElement; p; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (/(auto|scroll)/.test(st.overflowY) && p.scrollHeight > p.clientHeight) return p; }
    return null; };
  let seen = 0;
  const showLatest = () => {
    const rows = document.querySelectorAll('#chat .message-row.bot-row');
    if (rows.length === seen) return;
    seen = rows.length;
    const bot = rows[rows.length - 1];
    if (!bot) return;
    const box = scroller(bot);
    if (box) box.scrollTop += bot.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    const r = bot.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.6) window.scrollBy(0, r.top - 8);
  };
  new MutationObserver(() => requestAnimationFrame(showLatest))
    .observe(document.body, {childList: true, subtree: true});

  document.addEventListener('click', (ev) => {
    const link = ev.target.closest && ev.target.closest('a.rq-page');
    if (!link) return;
    ev.preventDefault(); ev.stopPropagation();
    const m = /#rq-page=([^/]+)\/(\d+)/.exec(link.getAttribute('href') || '');
    if (!m) return;
    const quoteEl = link.closest('blockquote');
    let quote = '';
    if (quoteEl) { const c = quoteEl.cloneNode(true); c.querySelectorAll('small').forEach(s => s.remove());
                   quote = c.textContent.trim(); }
    const mark = quoteEl && quoteEl.querySelector('mark');
    const ask = {report: decodeURIComponent(m[1]), page: +m[2], quote: quote,
                 figure: mark ? mark.textContent.trim() : ''};
    const box = document.querySelector('#preview-request textarea');
    box.value = JSON.stringify(ask);
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => { document.querySelector('#preview-go').click();
                       document.querySelector('#preview').scrollIntoView({block: 'start'}); }, 50);
  }, true);

  const plain = (row) => {
    const msg = row.querySelector('.message-content, .prose') || row;
    const c = msg.cloneNode(true);
    const cites = [];
    c.querySelectorAll('details.rq-source').forEach((d) => {
      const head = (d.querySelector('summary') || d).textContent.trim();
      const q = d.querySelector('blockquote');
      let quote = '';
      if (q) { const qc = q.cloneNode(true); qc.querySelectorAll('small').forEach(s => s.remove());
               quote = qc.textContent.trim(); }
      cites.push(quote ? `${head}: "${quote}"` : head);
      d.remove();
    });
    c.querySelectorAll('button, svg').forEach(b => b.remove());
    const text = c.innerText.replace(/Closest evidence:\s*$/, '').trim();
    return cites.length ? text + '\n\n' + cites.join('\n') : text;
  };
  document.addEventListener('click', (ev) => {
    const btn = ev.target.closest && ev.target.closest('#chat button');
    if (!btn || !/copy/i.test((btn.getAttribute('aria-label') || '') + ' ' + (btn.title || '') +
                               ' ' + btn.className)) return;
    // the message's buttons sit after it: its message is the last one before the button
    const rows = [...document.querySelectorAll('#chat .message-row')].filter(
      (r) => r.compareDocumentPosition(btn) & Node.DOCUMENT_POSITION_FOLLOWING);
    const row = rows[rows.length - 1];
    if (!row) return;
    ev.preventDefault(); ev.stopImmediatePropagation();
    const text = plain(row);
    window.__rqCopied = text;
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
  }, true);
}
"""


# --------------------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Settings:
    """Where to listen, which index, who may log in, where uploads go and how big they may be."""

    host: str = "127.0.0.1"
    port: int = 7860
    index_dir: Path | None = None
    uploads_dir: Path | None = None  # default: <index_dir>/../uploads
    user: str = ""
    password: str = ""
    max_upload_mb: float = 50.0
    no_login_ok: bool = False  # serve beyond localhost without a login (--no-login / REPORTQA_NO_LOGIN=1)

    @classmethod
    def load(cls, argv: Sequence[str] | None = None, env: dict | None = None) -> Settings:
        """Settings from the environment (REPORTQA_*), overridden by command-line flags."""
        env = os.environ if env is None else env
        parser = argparse.ArgumentParser(prog="app.py", description="ReportQA web chat")
        parser.add_argument("--host", default=env.get("REPORTQA_HOST", "127.0.0.1"),
                            help="address to listen on (default 127.0.0.1: this machine only)")
        parser.add_argument("--port", type=int, default=int(env.get("REPORTQA_PORT", "7860")))
        parser.add_argument("--index", default=env.get("REPORTQA_INDEX") or None,
                            help="index folder (default ./index; built from corpus/ if missing)")
        parser.add_argument("--no-login", action="store_true",
                            default=env.get("REPORTQA_NO_LOGIN", "") in ("1", "true", "yes"),
                            help="serve beyond this machine without a login (uploads, indexing and batch "
                                 "open to anyone who can reach it)")
        args = parser.parse_args(argv)
        uploads = env.get("REPORTQA_UPLOADS")
        raw = env.get("REPORTQA_MAX_UPLOAD_MB", "50")
        try:
            max_mb = float(raw)
        except ValueError:
            max_mb = -1.0
        if not (0 < max_mb < float("inf")):
            parser.error(f"REPORTQA_MAX_UPLOAD_MB must be a positive number of megabytes, like 50 or 2.5; got {raw!r}")
        return cls(host=args.host, port=args.port,
                   index_dir=Path(args.index) if args.index else None,
                   uploads_dir=Path(uploads) if uploads else None,
                   user=env.get("REPORTQA_USER", ""), password=env.get("REPORTQA_PASSWORD", ""),
                   max_upload_mb=max_mb, no_login_ok=args.no_login)

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.user and self.password else None

    @property
    def local(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")


class LoginGate:
    """The login check Gradio calls, throttled: after FREE_TRIES wrong logins in a row, each attempt
    waits 1, 2, 4 ... up to MAX_WAIT seconds, one at a time, so guessing is slow; a right login
    resets the count. Compared in constant time."""

    FREE_TRIES = 5
    MAX_WAIT = 30.0

    def __init__(self, user: str, password: str):
        self._user, self._password = user.encode(), password.encode()
        self.failures = 0
        self._lock: asyncio.Lock | None = None

    def wait(self) -> float:
        over = self.failures - self.FREE_TRIES
        return 0.0 if over < 0 else min(self.MAX_WAIT, 2.0 ** over)

    async def __call__(self, username: str, password: str) -> bool:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self.wait():
                await asyncio.sleep(self.wait())
            ok = hmac.compare_digest(str(username).encode("utf-8", "replace"), self._user)
            ok &= hmac.compare_digest(str(password).encode("utf-8", "replace"), self._password)
            self.failures = 0 if ok else self.failures + 1
            return ok


def example_questions(env: dict | None = None, env_only: bool = False) -> list[str]:
    """REPORTQA_EXAMPLES's questions; else the generic ones (or none with env_only: the app then
    builds them from the index)."""
    env = os.environ if env is None else env
    custom = [q.strip() for q in env.get("REPORTQA_EXAMPLES", "").split("|") if q.strip()]
    return custom or ([] if env_only else list(EXAMPLE_QUESTIONS))


# ------------------------------------------------------------------------------------- formatting

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~$])")


def escape_text(text: str) -> str:
    """User or report text as literal text inside chat markdown: no HTML, no markdown."""
    # HTML first, without quote entities: "&#x27;" would pick up a markdown escape and show as code
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False))


def _html(text: str) -> str:
    """Report text inside an HTML block: escaped, one line (a blank line would end the block)."""
    return html.escape(text or "", quote=True).replace("\n", " ").replace("$", "&#36;")


def highlight(quote: str, span: tuple[int, int] | Sequence[int] | None) -> str:
    """The quote as HTML with the cited number wrapped in <mark>."""
    if span and 0 <= span[0] < span[1] <= len(quote):
        a, b = span[0], span[1]
        return f"{_html(quote[:a])}<mark>{_html(quote[a:b])}</mark>{_html(quote[b:])}"
    return _html(quote)


def _citation(source) -> str:
    try:
        return source.citation()
    except AttributeError:
        return f"{source.title or source.report}, p. {source.page}"


def _figure_span(quote: str, figure: str) -> tuple[int, int] | None:
    """Where the answer's figure sits in a quote, for sources that carry no highlight."""
    for needle in (figure, *re.findall(r"\d[\d,.]*\d|\d", figure or "")[:1]):
        at = quote.lower().find(needle.lower()) if needle else -1
        if at >= 0:
            return at, at + len(needle)
    return None


def format_source(number: int, source, open_: bool = False, figure: str = "") -> str:
    """One citation as an expandable block: the citation line, then the quote, number marked."""
    span = source.highlight or (_figure_span(source.quote, figure) if figure else None)
    quote = highlight(source.quote, span)
    ref = f"#rq-page={urllib.parse.quote(source.report, safe='')}/{int(source.page)}"
    file_note = (f'<br><small>{_html(source.report)}, page {_html(str(source.page))} · '
                 f'<a class="rq-page" href="{ref}">show the page</a></small>')
    return (f'<details class="rq-source"{" open" if open_ else ""}><summary>[{number}] '
            f"{_html(_citation(source))}</summary><blockquote>{quote}{file_note}</blockquote></details>")


def _distinct(sources) -> list:
    """Sources without repeats of the same passage (the first, best-ranked one is kept)."""
    seen, out = set(), []
    for s in sources:
        key = (s.report, s.page, s.quote)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _bold_figure(text: str, answer) -> str:
    """Escape the answer sentence and bold the figure with its qualifier and unit."""
    figure = answer.figure or ""
    at = text.find(figure) if figure else -1
    if at < 0:
        return escape_text(text)
    start, end = at, at + len(figure)
    qualifier, unit = answer.qualifier or "", answer.unit or ""
    if qualifier and text[:start].rstrip().lower().endswith(qualifier.lower()):
        start = len(text[:start].rstrip()) - len(qualifier)
    rest = text[end:].lstrip()
    if unit and not figure.lower().endswith(unit.lower()) and rest.lower().startswith(unit.lower()):
        end = len(text) - len(rest) + len(unit)
    return f"{escape_text(text[:start])}**{escape_text(text[start:end])}**{escape_text(text[end:])}"


NOT_SAID = "The reports don't say"


def _assumed(answer) -> list[str]:
    """What a follow-up took from the previous question, said under the answer's first line."""
    assumed = getattr(answer, "assumed", "")
    return [f'<small class="rq-assumed">Read as a follow-up: {_html(assumed)}.</small>'] if assumed else []


_CURRENCY_SIGN = {"USD": "US$", "EUR": "€", "GBP": "£"}


def money_figure(answer) -> str:
    """A sum of money as 'US$ 148.6 M': the currency once, before the amount ('' if not money)."""
    from indexer.numbers import CURRENCIES

    code = answer.unit_norm or ""
    if not answer.figure or code not in set(CURRENCIES.values()):
        return ""
    amount = answer.figure.strip()
    marks = sorted({*CURRENCIES, code, answer.unit or ""} - {""}, key=len, reverse=True)
    changed = True
    while changed:  # "$ 148.6 M $", "USD 54M", "54M USD": strip every currency mark at either end
        changed = False
        for mark in marks:
            if amount.upper().startswith(mark.upper()):
                amount, changed = amount[len(mark):].strip(), True
            if amount.upper().endswith(mark.upper()):
                amount, changed = amount[:-len(mark)].strip(), True
    qualifier = f"{answer.qualifier} " if answer.qualifier and answer.qualifier not in amount else ""
    return f"{qualifier}{_CURRENCY_SIGN.get(code, code)} {amount}"


def format_answer(answer) -> str:
    """An Answer as chat markdown: the sentence with the figure in bold, then its citations."""
    if answer.abstained:
        text = answer.text or ""
        if text.lower().startswith(NOT_SAID.lower()):
            head = f"**{escape_text(text[:len(NOT_SAID)])}**{escape_text(text[len(NOT_SAID):])}"
        else:
            head = f"**{NOT_SAID}.** {escape_text(text)}"
        parts = [head, *_assumed(answer)]
        if answer.reason and answer.reason not in text:
            parts.append(f"<small>{_html(answer.reason)}</small>")
        evidence = _distinct(answer.sources) or _distinct(answer.passages)[:3]
        if evidence:
            parts.append("Closest evidence:")
            parts.append("\n".join(format_source(i, s) for i, s in enumerate(evidence, 1)))
        return "\n\n".join(parts)
    money = money_figure(answer)
    if money:  # the amount with its currency written once, then the report's own words
        head = f"**{escape_text(money)}**"
        if re.sub(r"\W", "", answer.text or "") != re.sub(r"\W", "", answer.figure or ""):
            head += f": {escape_text(answer.text)}"
    else:
        head = _bold_figure(answer.text, answer)
    if answer.figure and "**" not in head:
        bits = " ".join(b for b in (answer.qualifier, answer.figure, answer.unit) if b)
        head = f"**{escape_text(bits)}**: {head}"
    parts = [head, *_assumed(answer)]
    sources = _distinct(answer.sources)
    if sources:
        parts.append("\n".join(format_source(i, s, open_=(i == 1), figure=answer.figure if i == 1 else "")
                               for i, s in enumerate(sources, 1)))
    return "\n\n".join(parts)


def answer_json(answer) -> dict:
    """The Answer as plain JSON (what the /ask endpoint returns beside the markdown)."""
    return json.loads(json.dumps(answer.to_dict(), default=str))


# ---------------------------------------------------------------------------------------- uploads

def safe_name(name: str) -> str:
    """A file name that cannot leave its folder: the last path part, plain characters only."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:100] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix.lower())[:10]
    return stem + suffix


def store_upload(src: str | Path, dest_dir: Path, name: str | None = None) -> tuple[Path, str]:
    """Copy an uploaded file into dest_dir under a safe name; returns (path, note).

    The same name with the same content reuses the stored file; the same name with different
    content is saved as name-2.ext (name-3.ext, ...) and the note says so.
    """
    src = Path(src)
    original = name or src.name
    clean = safe_name(original)
    stem, suffix = os.path.splitext(clean)
    dest_dir.mkdir(parents=True, exist_ok=True)
    from indexer.build import sha256_file

    digest = sha256_file(src)
    n = 1
    while True:
        target = dest_dir / (clean if n == 1 else f"{stem}-{n}{suffix}")
        if target.exists():
            if sha256_file(target) == digest:
                return target, ""
            n += 1
            continue
        try:
            with open(src, "rb") as fin, open(target, "xb") as fout:
                shutil.copyfileobj(fin, fout)
        except FileExistsError:  # another upload took the name meanwhile: look again
            continue
        if n > 1:
            return target, (f"{original}: a different file with that name was already uploaded, "
                            f"so this one was saved as {target.name}")
        if clean != original:
            return target, f"{original} was saved as {target.name}"
        return target, ""


def _check_upload(path: Path, max_bytes: float) -> str:
    """Why an uploaded file is refused before indexing, or ''."""
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'}: upload PDF, TXT or MD files"
    size = path.stat().st_size
    if size > max_bytes:
        return f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB)"
    if size == 0:
        return "the file is empty"
    return ""


class Scratch:
    """The folder of files handed out for download (facts CSV, batch answers), bounded: a file goes
    after an hour, and only the newest KEEP stay, so a busy server cannot fill its disk. Concurrent
    requests may sweep at once: a file another request removed first is no error."""

    KEEP = 50
    MAX_AGE = 3600.0

    def __init__(self, keep: int = KEEP):
        self.path = Path(tempfile.mkdtemp(prefix="reportqa-app-"))
        self.keep = keep

    def file(self, name: str, key: str | None = None) -> Path:
        """A path for a download: in a fresh folder, or in the folder `key` names (reused, kept fresh)."""
        self.sweep()
        if key is None:
            return Path(tempfile.mkdtemp(dir=self.path)) / name
        folder = self.path / key
        folder.mkdir(exist_ok=True)
        os.utime(folder)
        return folder / name

    def sweep(self) -> None:
        folders = []
        for folder in self.path.iterdir():
            try:
                folders.append((folder.stat().st_mtime, folder))
            except FileNotFoundError:  # swept by another request meanwhile
                continue
        folders.sort(reverse=True)
        cutoff = time.time() - self.MAX_AGE
        for n, (mtime, folder) in enumerate(folders):
            if n >= self.keep - 1 or mtime < cutoff:  # room for the one about to be made
                shutil.rmtree(folder, ignore_errors=True)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


# -------------------------------------------------------------------------------------------- ui

def _report_choices(reports: Iterable[dict]) -> list[tuple[str, str]]:
    """Reports grouped by country, then publisher, newest first: "Peru · R4V · 2020-10-31 — title".
    The label holds all of it, so typing a country, publisher, date or title word filters the list."""
    def key(r):
        return ((r.get("country") or "~").lower(), (r.get("publisher") or "~").lower(),
                "".join(chr(0x10FFFF - ord(c)) for c in (r.get("date") or "")))

    out = []
    for r in sorted(reports, key=key):
        group = " · ".join(b for b in (r.get("country") or "no country", r.get("publisher") or "no publisher",
                                       r.get("date") or "undated"))
        title = r.get("title") or r["name"]
        out.append((f"{group} — {title} ({r['name']})" if title != r["name"] else f"{group} — {r['name']}",
                    r["name"]))
    return out


def _reports_rows(reports: Iterable[dict]) -> list[list]:
    return [[r.get(c, "") for c in REPORT_COLUMNS] for r in reports]


def _unescape(text: str) -> str:
    """escape_text undone: the user's question back from the chat history."""
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-!|~$])", r"\1", text or ""))


def previous_questions(history) -> list[str]:
    """The user's questions in a chat history (messages or plain strings), oldest first."""
    out = []
    for m in history or []:
        if isinstance(m, str):
            out.append(m)
        elif isinstance(m, dict) and m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):  # Gradio 6 sends message content as a list of parts
                content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
            if isinstance(content, str) and content.strip():
                out.append(_unescape(content))
    return out


def preview_html(preview: dict, report: str, page: int, citation: str = "") -> str:
    """A page preview (from Assistant.page_preview) as HTML for the preview panel."""
    import base64

    head = f'<div class="rq-preview-head">{_html(citation or report)} · page {int(page)}</div>'
    if preview["kind"] == "image":
        data = base64.b64encode(preview["png"]).decode("ascii")
        return (f'{head}<img id="rq-preview-img" alt="{_html(report)}, page {int(page)}" '
                f'src="data:image/png;base64,{data}">')
    return f'{head}<div id="rq-preview-text">{preview["html"]}</div>'


def _fact_view(fact: dict) -> list:
    """One row of the facts table: the figure with qualifier and unit, what it counts, where."""
    figure = " ".join(b for b in (fact.get("qualifier"), fact.get("text"), fact.get("unit")) if b)
    what = fact.get("label") or fact.get("sentence") or ""
    return [figure, what, fact.get("title") or fact.get("report"), fact.get("page")]


def _fact_filter_choices(facts: Iterable[dict]) -> tuple[list[str], list[str]]:
    facts = list(facts)
    units = sorted({f.get("unit_norm") or "" for f in facts} - {""})
    sectors = sorted({f.get("sector") or "" for f in facts} - {""})
    return units, sectors


def build_ui(assistant, settings: Settings | None = None):
    """The Gradio app over one Assistant: chat, facts, reports and batch tabs, plus the /ask API."""
    import gradio as gr

    settings = settings or Settings.load([])
    scratch = Scratch()
    atexit.register(scratch.remove)
    scratch_file = scratch.file

    from indexer.config import default_uploads_dir

    uploads_dir = settings.uploads_dir or default_uploads_dir(assistant.index_dir)
    max_bytes = settings.max_upload_mb * 1e6

    def _refresh_choices():
        reports = assistant.list_reports()
        units, sectors = _fact_filter_choices(assistant.list_facts())
        return reports, units, sectors

    def refreshed():
        """The reports table and every report/unit/sector picker, as the index is now."""
        reports, units, sectors = _refresh_choices()
        return (_reports_rows(reports), gr.update(choices=_report_choices(reports)),
                gr.update(choices=[("All reports", "")] + _report_choices(reports)),
                gr.update(choices=[("All units", "")] + [(u, u) for u in units]),
                gr.update(choices=[("All sectors", "")] + [(s, s) for s in sectors]),
                gr.update(choices=_report_choices(reports), value=[]))

    examples_cache: dict[tuple, list[str]] = {}

    def current_examples() -> list[str]:
        """REPORTQA_EXAMPLES, else questions built from the index as it is now (kept per index)."""
        custom = example_questions(env_only=True)
        if custom:
            return custom
        key = tuple(sorted((r["name"], r["facts"]) for r in assistant.list_reports()))
        if key not in examples_cache:
            from assistant.examples import suggest

            examples_cache.clear()
            examples_cache[key] = suggest(assistant) or list(EXAMPLE_QUESTIONS)
        return examples_cache[key]

    # ---- handlers: each formats what the assistant returns; none keeps state between calls
    # (a gr.Progress default marks the parameter Gradio fills with the event's progress tracker)
    ask_progress, index_progress, batch_progress = gr.Progress(), gr.Progress(), gr.Progress()

    def ask_api(question: str, reports: list[str] | None = None, history: list | None = None) -> tuple[str, dict]:
        """Answer one question; returns (answer markdown, Answer as JSON). reports=[] means all.
        history: the conversation so far (earlier questions oldest first, or chat messages); a
        follow-up takes what it leaves out from the question before it."""
        answer = assistant.ask(question, list(reports) if reports else None,
                               previous=previous_questions(history) or None)
        return format_answer(answer), answer_json(answer)

    def chat(question, history, scope, progress=ask_progress):
        from indexer.errors import ReportQAError

        history = list(history or [])
        question = (question or "").strip()
        if not question:
            return "", history, None
        progress(0.1, desc="Searching the reports…")
        try:
            answer = assistant.ask(question, list(scope) if scope else None,
                                   previous=previous_questions(history) or None)
        except ReportQAError as error:
            history += [{"role": "user", "content": escape_text(question)},
                        {"role": "assistant", "content": f"⚠️ {escape_text(str(error))}"}]
            return "", history, None
        except Exception:  # noqa: BLE001 - a bug must not show a traceback or a server path to a user
            log.exception("answering %r failed", question[:200])
            history += [{"role": "user", "content": escape_text(question)},
                        {"role": "assistant", "content": "⚠️ This question could not be answered because of an "
                                                         "internal error; it was logged for the maintainers."}]
            return "", history, None
        history += [{"role": "user", "content": escape_text(question)},
                    {"role": "assistant", "content": format_answer(answer)}]
        return "", history, answer_json(answer)

    def page_api(report: str, page: int, quote: str = "", figure: str = "") -> str:
        """The cited page of an indexed report as HTML: a PNG of a PDF page with the figure boxed, or
        the page text with the sentence marked. Reports not in the index are refused."""
        try:
            preview = assistant.page_preview(report, int(page), quote or "", figure or "")
        except (KeyError, ValueError) as error:
            return f'<p class="rq-preview-error">{_html(str(error).strip(chr(39)))}</p>'
        title = next((r.get("title") for r in assistant.list_reports() if r["name"] == report), "") or report
        return preview_html(preview, report, int(page), title)

    def show_page(request: str):
        try:
            ask = json.loads(request or "{}")
            return page_api(str(ask["report"]), int(ask["page"]), str(ask.get("quote", "")),
                            str(ask.get("figure", "")))
        except (ValueError, KeyError, TypeError):
            return '<p class="rq-preview-error">That citation could not be read.</p>'

    def search_facts(report, unit, sector, text):
        facts = assistant.list_facts(report=report or None, unit=unit or None, sector=sector or None,
                                     text=(text or "").strip() or None)
        rows = [[f.get(c, "") for c in FACT_COLUMNS] for f in facts]
        # the same search over the same index is one file, however often it is asked for
        from indexer.store import generation

        key = hashlib.sha256(repr((str(generation(assistant.index_dir)), report, unit, sector, text)).encode())
        out = scratch_file("facts.csv", key=key.hexdigest()[:32])
        if not out.exists():
            from assistant.export import csv_cell

            tmp = out.with_suffix(f".{threading.get_ident()}.tmp")
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(FACT_COLUMNS)
                writer.writerows([csv_cell(cell) for cell in row] for row in rows)
            os.replace(tmp, out)
        shown = f"showing the first {MAX_FACT_ROWS} of " if len(rows) > MAX_FACT_ROWS else ""
        view = [_fact_view(f) for f in facts[:MAX_FACT_ROWS]]
        return view, f"{shown}{len(rows)} facts", str(out)

    def upload(files, progress=index_progress):
        from indexer.build import sha256_file
        from indexer.errors import ReportQAError

        files = [files] if isinstance(files, str) else list(files or [])
        lines, accepted = [], []
        for f in files:
            path = Path(getattr(f, "name", f))
            why = _check_upload(path, max_bytes)
            if why:
                lines.append(f"❌ {path.name}: {why}")
                continue
            same = assistant.indexed_as(sha256_file(path))
            if same:  # the same bytes under any name: nothing to index
                lines.append(f"✅ {path.name}: already in the index" + (f" as {same}" if same != path.name else ""))
                continue
            stored, note = store_upload(path, uploads_dir)
            if note:
                lines.append(f"ℹ️ {note}")
            accepted.append(stored)
        if accepted:
            progress(0, desc="Indexing…")
            try:
                summary = assistant.add_files(accepted, progress=lambda x, msg="": progress(x, desc=msg))
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
        status = "\n".join(f"- {escape_text(line)}" for line in lines)
        return (status, *refreshed(), None)

    def remove(names):
        from indexer.errors import ReportQAError

        names = [names] if isinstance(names, str) else list(names or [])
        if not names:
            return ("Choose the reports to remove first.", *refreshed())
        try:
            summary = assistant.remove_reports(names)
        except ReportQAError as error:
            return (f"❌ {escape_text(str(error))}", *refreshed())
        for name in summary.dropped:  # an uploaded copy goes too, so it can be uploaded again
            stored = uploads_dir / name
            if stored.is_file() and stored.resolve().parent == uploads_dir.resolve():
                stored.unlink()
        lines = [f"🗑️ {name}: removed" for name in summary.dropped]
        lines += [f"❌ {name}: not in the index" for name in names if name not in summary.dropped]
        return ("\n".join(f"- {escape_text(line)}" for line in lines), *refreshed())

    def run_batch(questions_file, scope, progress=batch_progress):
        if not questions_file:
            return None, "Choose a questions file first."
        try:
            from assistant.batch import answer_file
        except ImportError:
            return None, "Batch answering is not available in this installation (assistant.batch)."
        from indexer.errors import ReportQAError

        src = Path(getattr(questions_file, "name", questions_file))
        suffix = ".csv" if src.suffix.lower() == ".csv" else ".jsonl"  # the formats answer_file writes
        out = scratch_file(f"{safe_name(src.stem)}-answers{suffix}")
        progress(0, desc="Reading the questions…")

        def on_row(done: int, total: int, row: dict) -> None:
            progress((done, total), desc=f"Answered {done} of {total} questions", unit="questions")

        try:
            result = answer_file(assistant, src, out, reports=list(scope) if scope else None, progress=False,
                                 batch_size=BATCH_PROGRESS_STEP, on_row=on_row)
        except ReportQAError as error:
            return None, f"❌ {escape_text(str(error))}"
        score = getattr(result, "score_text", None)
        if not score:
            return str(out), f"Answered {len(result.rows)} questions: download the answers file."
        return str(out), "```text\n" + score.replace("```", "'''") + "\n```"  # aligned plain-text lines

    def examples_now():
        return gr.Dataset(samples=[[q] for q in current_examples()])

    # ---- layout
    reports, units, sectors = _refresh_choices()
    # delete_cache: Gradio's copies of uploads and downloads go after an hour
    with gr.Blocks(title="ReportQA", analytics_enabled=False, delete_cache=(1800, 3600)) as demo:
        gr.Markdown("# ReportQA\nAsk about the situation reports in the index. Every figure comes "
                    "with the report, page and sentence it was read from.")
        saved_chat = gr.BrowserState([], storage_key="reportqa-chat")
        with gr.Tab("Chat"):
            with gr.Row(elem_id="chat-row"):
                with gr.Column(scale=4, min_width=320):
                    chatbot = gr.Chatbot(show_label=False, height=520, latex_delimiters=[], elem_id="chat",
                                         sanitize_html=True, feedback_options=None, buttons=["copy"],
                                         autoscroll=False)
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask a question about the reports…",
                                              show_label=False, scale=5, elem_id="question",
                                              autofocus=True, submit_btn=False)
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
                    examples = gr.Examples([[q] for q in current_examples()], inputs=[question],
                                           label="Example questions (from the indexed reports)", elem_id="examples")
                with gr.Column(scale=3, min_width=320):
                    with gr.Group(elem_id="preview-panel"):
                        preview = gr.HTML('<p class="rq-preview-empty">Choose “show the page” under a '
                                          "citation to see the page here.</p>", elem_id="preview",
                                          js_on_load=None)
                    scope = gr.Dropdown(choices=_report_choices(reports), value=[], multiselect=True,
                                        label="Reports to search", elem_id="scope",
                                        info="Leave empty to search all. Type a country, publisher, "
                                             "date or title to find a report.")
                    clear = gr.Button("New chat", elem_id="new-chat")
                    with gr.Accordion("Last answer as JSON", open=False):
                        last_json = gr.JSON(label="Answer")
                    preview_request = gr.Textbox(visible="hidden", elem_id="preview-request")
                    preview_go = gr.Button("Show the page", visible="hidden", elem_id="preview-go")
        with gr.Tab("Facts") as facts_tab:
            with gr.Row():
                f_report = gr.Dropdown(choices=[("All reports", "")] + _report_choices(reports), value="",
                                       label="Report", filterable=False, elem_id="facts-report")
                f_unit = gr.Dropdown(choices=[("All units", "")] + [(u, u) for u in units], value="",
                                     label="Unit", filterable=False)
                f_sector = gr.Dropdown(choices=[("All sectors", "")] + [(s, s) for s in sectors], value="",
                                       label="Sector", filterable=False)
                f_text = gr.Textbox(value="", label="Search text", placeholder="e.g. hygiene kits")
            f_search = gr.Button("Search facts", variant="primary")
            f_count = gr.Markdown()
            f_table = gr.Dataframe(headers=list(FACT_VIEW_COLUMNS), interactive=False, wrap=True,
                                   column_widths=FACT_VIEW_WIDTHS, elem_id="facts-table",
                                   label="Facts (the figure as written, what it counts, where it was found)")
            f_csv = gr.File(label="CSV export of the matching facts (every column)", interactive=False)
        with gr.Tab("Reports"):
            r_table = gr.Dataframe(value=_reports_rows(reports), headers=list(REPORT_COLUMNS),
                                   interactive=False, wrap=True, column_widths=REPORT_WIDTHS,
                                   elem_id="reports-table", label="Indexed reports")
            r_files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                              label=f"Add reports (PDF, TXT, MD; up to {settings.max_upload_mb:g} MB each)",
                              elem_id="upload")
            r_status = gr.Markdown(elem_id="upload-status")
            with gr.Row():
                r_remove_pick = gr.Dropdown(choices=_report_choices(reports), value=[], multiselect=True,
                                            label="Remove reports from the index", elem_id="remove-pick", scale=4,
                                            allow_custom_value=True)  # names are checked by remove()
                r_remove = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
        with gr.Tab("Batch"):
            gr.Markdown("Upload a questions file; get the answers file back, with a score when the "
                        "file holds expected answers. The chat's report choice applies.")
            b_in = gr.File(label="Questions file", file_types=[".txt", ".csv", ".jsonl"], elem_id="batch-in")
            b_run = gr.Button("Answer the questions", variant="primary", elem_id="batch-run")
            b_status = gr.Markdown(elem_id="batch-status")
            b_out = gr.File(label="Answers file", interactive=False, elem_id="batch-out")

        # ---- events
        pickers = [r_table, scope, f_report, f_unit, f_sector, r_remove_pick]
        gr.on([question.submit, send.click], chat, [question, chatbot, scope], [question, chatbot, last_json],
              api_name="chat", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        clear.click(lambda: ([], None, []), None, [chatbot, last_json, saved_chat], api_visibility="private")
        chatbot.change(lambda h: h, chatbot, saved_chat, api_visibility="private")  # kept across reloads
        gr.api(ask_api, api_name="ask", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        gr.api(page_api, api_name="page", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        preview_go.click(show_page, preview_request, preview, api_visibility="private",
                         concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        facts_inputs = [f_report, f_unit, f_sector, f_text]
        gr.on([f_search.click, f_text.submit, f_report.input, f_unit.input, f_sector.input], search_facts,
              facts_inputs, [f_table, f_count, f_csv], api_name="facts")
        facts_tab.select(search_facts, facts_inputs, [f_table, f_count, f_csv], api_visibility="private")
        r_files.upload(upload, [r_files], [r_status, *pickers, r_files],
                       api_name="upload", concurrency_limit=1, concurrency_id="index").then(
            examples_now, None, examples.dataset, api_visibility="private")
        r_remove.click(remove, [r_remove_pick], [r_status, *pickers], api_name="remove", concurrency_limit=1,
                       concurrency_id="index").then(examples_now, None, examples.dataset, api_visibility="private")
        b_run.click(run_batch, [b_in, scope], [b_out, b_status], api_name="batch", concurrency_limit=1,
                    concurrency_id="batch")
        demo.load(refreshed, None, pickers, api_visibility="private")
        demo.load(lambda saved: saved or [], saved_chat, chatbot, api_visibility="private")
    return demo


def launch(demo, settings: Settings, **kwargs):
    """Start the app with the settings' address, login and upload limit (kwargs go to launch)."""
    import gradio as gr

    auth = LoginGate(*settings.auth) if settings.auth else None
    options = dict(server_name=settings.host, server_port=settings.port, auth=auth,
                   max_file_size=int(settings.max_upload_mb * 1e6), theme=gr.themes.Soft(), css=CSS, js=APP_JS,
                   ssr_mode=False, show_error=True)
    options.update(kwargs)
    demo.queue(default_concurrency_limit=ASK_CONCURRENCY)  # uploads and batches set 1 themselves
    return demo.launch(**options)


# ------------------------------------------------------------------------------------------- main

def _console_progress(fraction: float, message: str = "") -> None:
    bar = "#" * int(fraction * 30)
    print(f"\r[{bar:<30}] {fraction:4.0%} {message[:60]:<60}", end="", flush=True)
    if fraction >= 1:
        print()


def ensure_index(index_dir: Path | None) -> None:
    """Build the index of corpus/ if there is none yet, with progress on the console."""
    from indexer.config import default_index_dir
    from indexer.store import index_exists

    index_dir = index_dir or default_index_dir()
    if index_exists(index_dir):
        return
    from indexer.build import build_index

    print(f"No index at {index_dir}: indexing the corpus first…", flush=True)
    build_index(paths=None, index_dir=index_dir, progress=_console_progress)
    print()


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings.load(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in a package; never fetch one
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if bool(settings.user) != bool(settings.password):
        print("Set both REPORTQA_USER and REPORTQA_PASSWORD to require a login.", file=sys.stderr)
        return 2
    if not settings.local and not settings.auth:
        if not settings.no_login_ok:
            print(f"Refusing to listen on {settings.host} without a login: anyone who can reach it could upload, "
                  "index and run batches. Set REPORTQA_USER and REPORTQA_PASSWORD, or pass --no-login "
                  "(REPORTQA_NO_LOGIN=1) to serve it open anyway.", file=sys.stderr)
            return 2
        print(f"Warning: listening on {settings.host} without a login (--no-login).", file=sys.stderr)
    from assistant.core import Assistant
    from indexer.errors import ReportQAError

    try:
        ensure_index(settings.index_dir)
        assistant = Assistant(settings.index_dir)
        print("Loading the model and the index…", flush=True)
        assistant.warm()
    except ReportQAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    # SIGTERM (a service manager stopping the app) shuts down like Ctrl-C, so the exit handlers run
    # and the scratch folder goes with the process
    signal.signal(signal.SIGTERM, lambda *_: signal.default_int_handler(signal.SIGINT, None))
    launch(build_ui(assistant, settings), settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
