"""What the assistant returns in, chat markdown and HTML out: answers, citations, page previews,
the facts and reports tables' rows and the report pickers' labels.

Pure functions of their arguments (no Gradio, no I/O): the handlers call them, the tests call them
directly.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable, Sequence

REPORT_COLUMNS = ("title", "publisher", "country", "date", "pages", "facts", "name")
# The facts table shows what a reader needs; the CSV export keeps every column of FACT_COLUMNS.
FACT_VIEW_COLUMNS = ("figure", "what", "report", "page")
FACT_COLUMNS = ("report", "page", "text", "qualifier", "unit", "label", "sentence", "sector", "unit_norm",
                "kind", "value")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~$])")


def escape_text(text: str) -> str:
    """User or report text as literal text inside chat markdown: no HTML, no markdown."""
    # HTML first, without quote entities: "&#x27;" would pick up a markdown escape and show as code
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False))


def html_text(text: str) -> str:
    """Report text inside an HTML block: escaped, one line (a blank line would end the block)."""
    return html.escape(text or "", quote=True).replace("\n", " ").replace("$", "&#36;")


def highlight(quote: str, span: tuple[int, int] | Sequence[int] | None) -> str:
    """The quote as HTML with the cited number wrapped in <mark>."""
    if span and 0 <= span[0] < span[1] <= len(quote):
        a, b = span[0], span[1]
        return f"{html_text(quote[:a])}<mark>{html_text(quote[a:b])}</mark>{html_text(quote[b:])}"
    return html_text(quote)


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
    file_note = (f'<br><small>{html_text(source.report)}, page {html_text(str(source.page))} · '
                 f'<a class="rq-page" href="{ref}">show the page</a></small>')
    return (f'<details class="rq-source"{" open" if open_ else ""}><summary>[{number}] '
            f"{html_text(_citation(source))}</summary><blockquote>{quote}{file_note}</blockquote></details>")


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
    return [f'<small class="rq-assumed">Read as a follow-up: {html_text(assumed)}.</small>'] if assumed else []


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
            parts.append(f"<small>{html_text(answer.reason)}</small>")
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


def report_choices(reports: Iterable[dict]) -> list[tuple[str, str]]:
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


def reports_rows(reports: Iterable[dict]) -> list[list]:
    return [[r.get(c, "") for c in REPORT_COLUMNS] for r in reports]


def _unescape(text: str) -> str:
    """escape_text undone: the user's question back from the chat history."""
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-!|~$])", r"\1", text or ""))


def message_text(content) -> str:
    """A chat message's content as one string (Gradio 6 sends it as a list of parts)."""
    if isinstance(content, list):
        return " ".join(p.get("text", "") or "" for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def previous_questions(history) -> list[str]:
    """The user's questions in a chat history (messages or plain strings), oldest first."""
    out = []
    for m in history or []:
        if isinstance(m, str):
            out.append(m)
        elif isinstance(m, dict) and m.get("role") == "user":
            content = message_text(m.get("content"))
            if content.strip():
                out.append(_unescape(content))
    return out


def preview_html(preview: dict, report: str, page: int, citation: str = "") -> str:
    """A page preview (from Assistant.page_preview) as HTML for the preview panel."""
    import base64

    head = f'<div class="rq-preview-head">{html_text(citation or report)} · page {int(page)}</div>'
    if preview["kind"] == "image":
        data = base64.b64encode(preview["png"]).decode("ascii")
        return (f'{head}<img id="rq-preview-img" alt="{html_text(report)}, page {int(page)}" '
                f'src="data:image/png;base64,{data}">')
    return f'{head}<div id="rq-preview-text">{preview["html"]}</div>'


def fact_view(fact: dict) -> list:
    """One row of the facts table: the figure with qualifier and unit, what it counts, where."""
    figure = " ".join(b for b in (fact.get("qualifier"), fact.get("text"), fact.get("unit")) if b)
    what = fact.get("label") or fact.get("sentence") or ""
    return [figure, what, fact.get("title") or fact.get("report"), fact.get("page")]


def fact_filter_choices(facts: Iterable[dict]) -> tuple[list[str], list[str]]:
    facts = list(facts)
    units = sorted({f.get("unit_norm") or "" for f in facts} - {""})
    sectors = sorted({f.get("sector") or "" for f in facts} - {""})
    return units, sectors
