"""A PDF in, its pages' cleaned text, printed page labels, text runs with positions and tables out
(pypdf; SkipFile when it cannot be read).

Pages are re-flowed: ligatures and odd spaces fixed, running headers and footers dropped,
hyphenation undone where the halves make one word, hard line breaks joined inside paragraphs,
bullets kept as list items and table rows as tab-separated cells.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from indexer.errors import SkipFile
from indexer.layout import read_page as read_layout
from indexer.layout.page import carried
from indexer.pdfstream import fast_text_extraction
from indexer.positions import Collector, collecting
from indexer.records import Page

log = logging.getLogger("indexer.parse")  # one logger for reading reports, as before the split

_CHAR_FIXES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
    "\ufb06": "st", "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    "\r": "\n",
})
# a ligature pypdf cannot map comes out as its glyph's name: "Identi/f_ied" is "Identified"
_GLYPH_NAME = re.compile(r"/(f_(?:f_)?[a-z]|[sc]_t)")


def fix_chars(text: str) -> str:
    """Ligatures (as characters or as glyph names) and odd spaces as plain text.

    >>> fix_chars("Cases Identi/f_ied, e\ufb00ective, o/f_f_ice")
    'Cases Identified, effective, office'
    """
    if "/" in text:
        text = _GLYPH_NAME.sub(lambda m: m[1].replace("_", ""), text)
    return text if text.isascii() else text.translate(_CHAR_FIXES)


BULLETS = "•●▪■◦○➢➤►▶◆♦✓✔·∙§\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8"
_BULLET = re.compile(rf"^\s*(?:[{BULLETS}]|-(?=[\s\d])(?!\d[\d.,]*\s*%)|\*(?=\s))\s*")
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "&"}
# Second halves that only exist as word endings: "assis-\ntance" is one word, "cash-\nbased" is two.
_SUFFIX = re.compile(
    r"(?:t?ion|t?ions|sion|sions|tance|tances|ance|ances|ence|ences|ment|ments|ness|ity|ities|ing|ings"
    r"|ed|ly|ally|ical|ive|ives|able|ible|ure|ures|ous|ious|ial|ian|ians|er|ers|ies|ist|ists|ism|ted"
    r"|ting|tive|tion|ation|ations|ization|izations)$"
)


def read_pdf(path: Path, name: str) -> tuple[list[Page], dict]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about every odd xref
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise SkipFile(f"{name}: encrypted PDF that cannot be decrypted here ({exc}); "
                               "save an unencrypted copy") from exc
            if not ok:
                raise SkipFile(f"{name}: encrypted PDF (needs a password); save an unencrypted copy")
        n = len(reader.pages)
    except SkipFile:
        raise
    except FileNotDecryptedError as exc:
        raise SkipFile(f"{name}: encrypted PDF (needs a password); save an unencrypted copy") from exc
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError...) on bad files
        raise SkipFile(f"{name}: corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if n == 0:
        raise SkipFile(f"{name}: PDF has no pages")
    try:
        labels = list(reader.page_labels)
    except Exception:  # a malformed /PageLabels tree: fall back to physical numbers
        labels = []
    raw = []
    found: list[tuple] = []
    errors: list[str] = []
    carry = None  # the last table of the page before: the next may go on with its rows
    with fast_text_extraction():  # pypdf reads only the text operators' operands, with a faster parser
        for i, page in enumerate(reader.pages):
            runs = Collector()
            try:
                raw.append(extract_page(page, runs))
            except Exception as exc:  # one bad page must not lose the report
                log.warning("%s: page %d text not extracted (%s)", name, i + 1, exc)
                errors.append(f"page {i + 1}: {_page_error(exc)}")
                raw.append("")
            try:
                # ligatures and odd spaces as the page text has them: "Diﬀerence" is "Difference"
                fixed = [r if r.text.isascii() and "/" not in r.text else replace(r, text=fix_chars(r.text))
                         for r in _on_page(runs.runs, page)]
                found.append(tuple(read_layout(fixed, carry)))
                carry = carried(list(found[-1]))
            except Exception as exc:  # noqa: BLE001 - a layout we cannot read costs its tables, not the page
                log.warning("%s: page %d tables not read (%s)", name, i + 1, exc)
                found.append(())
                carry = None
    if not any(t.strip() for t in raw):
        errors = errors or _unreadable_pages(reader)
        if errors:  # not a scan: its pages could not be read at all
            more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
            raise SkipFile(f"{name}: no page could be read ({errors[0]}{more}); the PDF is damaged or hostile")
        raise SkipFile(f"{name}: no text layer (scanned/image-only PDF); OCR is not supported")
    texts = clean_pdf_pages(raw)
    pages = [Page(number=i + 1, text=t, label=(labels[i] if i < len(labels) and labels[i] else str(i + 1)),
                  tables=found[i]) for i, t in enumerate(texts)]
    try:
        meta = reader.metadata or {}
        info = {k: str(meta.get(k) or "") for k in ("/Title", "/Author", "/CreationDate")}
    except Exception:  # broken /Info dictionary: metadata is optional
        info = {}
    info["_first_raw"] = clean_pdf_text(next(t for t in raw if t.strip()), set())
    return pages, info


def _on_page(runs: list, page) -> list:
    """The runs drawn inside the page's crop box: text placed beyond its edges (a map's labels left
    on the pasteboard, a second copy of a footer off the page) is not seen by a reader, and beside
    the page's own figures it makes labels of what is no label."""
    try:
        box = page.cropbox
        left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
    except Exception:  # noqa: BLE001 - a malformed box: keep every run
        return runs
    return [r for r in runs if left - 1.0 <= r.x <= right + 1.0 and bottom - 1.0 <= r.y <= top + 1.0]


def _unreadable_pages(reader) -> list[str]:
    """Pages whose content cannot even be decoded (pypdf's text extraction passes over such a page
    quietly, which made a decompression bomb look like a scan)."""
    out = []
    for i, page in enumerate(reader.pages):
        try:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile streams
            out.append(f"page {i + 1}: {_page_error(exc)}")
    return out


def _page_error(exc: Exception) -> str:
    """Why a page could not be read, in words."""
    if type(exc).__name__ == "LimitReachedError":
        return "a stream that decompresses beyond pypdf's limit (a decompression bomb)"
    if isinstance(exc, RecursionError | MemoryError):
        return f"content nested or repeated beyond what can be read ({type(exc).__name__})"
    return f"{type(exc).__name__}: {str(exc)[:120]}"


def extract_page(page, runs: Collector | None = None) -> str:
    """pypdf's plain extraction (reading order follows the content stream, which keeps columns
    apart), with a tab where text on one line jumps a wide gap: table cells stay cells. A line
    break pypdf puts between two runs of one line (PDFs that place each word on its own) is dropped.
    With `runs`, each text run is also collected with its place on the page."""
    out: list[str] = []
    state: dict = {"end": None, "prev": None, "break": False}

    def visit(text, cm, tm, _font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        m = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
             tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3], 0, 0)
        scale = math.hypot(m[0], m[1])
        size = abs(size * scale) or size or 10
        if runs is not None and text:
            runs.add(text, x, y, size, m)
        if not text:  # pypdf reports where each text run ends with an empty call
            state["end"] = (x, y)
            return
        prev, end = state["prev"], state["end"]
        if text == "\n" and prev:  # decided by the next run: a new line, or more of this one
            state["break"] = True
            return
        same_line = False
        if prev and end and "\n" not in text and out:
            px, py, psize, ptext = prev
            same_line = abs(end[1] - y) < 0.5 * size and abs(py - y) < 0.5 * size
            # Widths of some fonts are unknown to pypdf: estimate the run's end from its length too.
            end_x = max(end[0], px + len(ptext.strip()) * 0.55 * psize)
            if same_line and x - end_x > 2.0 * max(size, psize):
                text = "\t" + text.lstrip(" ")
                out[-1] = out[-1].rstrip(" ")
            elif same_line and state["break"] and x < px:
                same_line = False  # back to the left: a new line after all
            elif same_line and state["break"] and not out[-1].endswith(" ") and not text.startswith(" "):
                text = " " + text
        if state["break"] and not same_line:
            out.append("\n")
        state["break"] = False
        out.append(text)
        state["prev"] = None if "\n" in text else (x, y, size, text)

    if runs is None:
        page.extract_text(visitor_text=visit)
    else:
        with collecting(runs):
            page.extract_text(visitor_text=visit, visitor_operand_before=runs.visit_op)
    if state["break"]:
        out.append("\n")
    return "".join(out)


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def clean_pdf_pages(raw: list[str], edge: int = 4) -> list[str]:
    """Clean every page, dropping page numbers and running headers/footers: a line (digits aside)
    among the first or last `edge` lines of at least half the pages, when there are 3 pages or more."""
    vocab = set(re.findall(r"[a-z]+(?:-[a-z]+)*", " ".join(raw).lower()))
    pages = [fix_chars(t).split("\n") for t in raw]
    edges = []
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        k = max(1, min(edge, len(filled) // 3))  # a short page is not all header and footer
        edges.append(sorted(set(filled[:k] + filled[-k:])))
    running: set[str] = set()
    if len(pages) >= 3:
        counts = Counter()
        for lines, idx in zip(pages, edges, strict=True):
            counts.update({_line_key(lines[i]) for i in idx})
        running = {k for k, c in counts.items() if c >= max(2, math.ceil(len(pages) / 2)) and k.strip("# ")}
    for no, (lines, idx) in enumerate(zip(pages, edges, strict=True), 1):
        folio = re.compile(rf"(?i)(?:page\s*)?\|?\s*{no}\s*(?:(?:/|of)\s*\d+)?")
        for i in idx:
            if _line_key(lines[i]) in running or folio.fullmatch(lines[i].strip()):
                lines[i] = ""
    return [clean_pdf_text("\n".join(lines), vocab) for lines in pages]


def _cells(line: str) -> str:
    """Collapse spaces; keep tab-separated cells only when the line looks like a table row."""
    cells = [" ".join(c.split()) for c in line.split("\t")]
    cells = [c for c in cells if c]
    if len(cells) < 2:
        return cells[0] if cells else ""
    text = "\t".join(cells)
    text = re.sub(r"(?<=\w)\t(?=-\w)|(?<=\w-)\t(?=\w)", "", text)  # "Inter\t-American"
    cells = text.split("\t")
    # Justified prose spaced wide enough to look like cells: many one-word cells, no figures.
    words = [c for c in cells if " " not in c]
    if len(cells) >= 4 and len(words) >= 0.6 * len(cells) and not any(re.search(r"\d", c) for c in cells):
        return " ".join(cells)
    return "\t".join(cells)


def _is_heading(line: str) -> bool:
    if len(line) > 80 or line.endswith((".", ",", ";", "-")) or "\t" in line or line.startswith("- "):
        return False
    words = re.findall(r"[^\W\d_][\w'’&-]*", line)
    if not words or len(words) > 12:
        return False
    if line.upper() == line and sum(c.isalpha() for c in line) >= 3:
        return True
    big = [w for w in words if w.lower() not in _SMALL]
    return bool(big) and all(w[0].isupper() for w in big) and len(words) <= 8


def _dehyphen(left: str, right: str, vocab: set[str]) -> bool:
    """True when "left-\\nright" is one word broken by the line end, not a compound."""
    lw = re.search(r"([A-Za-z]+)-$", left)
    rw = re.match(r"([a-z]+)", right)
    if not lw or not rw:
        return False
    joined = (lw[1] + rw[1]).lower()
    if f"{lw[1].lower()}-{rw[1]}" in vocab:
        return False
    return joined in vocab or (lw[1][1:].islower() and bool(_SUFFIX.fullmatch(rw[1])))


def clean_pdf_text(text: str, vocab: set[str]) -> str:
    """One page of extracted text -> clean text: ligatures, bullets, table rows, hyphenation and
    hard line breaks inside paragraphs joined; headings, list items and rows keep their own line."""
    text = fix_chars(text)
    text = re.sub(r"[\ue000-\uf8ff]", lambda m: m[0] if m[0] in BULLETS else "", text)
    lines: list[str] = []
    pending_bullet = False
    for raw in text.split("\n"):
        line = _cells(raw.strip(" \t"))
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end():]
            if not line:
                pending_bullet = True
                continue
            line = "- " + line
        elif pending_bullet and line:
            line = "- " + line
        if line:
            pending_bullet = False
        lines.append(line)
    out: list[str] = []
    for i, line in enumerate(lines):
        prev = out[-1] if out else ""
        if not prev or not line or _keeps_break(prev, line, lines[i - 1]):
            out.append(line)
        elif prev.endswith("-") and not prev.endswith(" -"):
            out[-1] = prev[:-1] + line if _dehyphen(prev, line, vocab) else prev + line
        else:
            out[-1] = prev + " " + line
    text = "\n".join(out)
    text = re.sub(r"[ ]{2,}", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _keeps_break(prev: str, line: str, last: str) -> bool:
    """Whether the line break between `prev` (joined so far; `last` is its final input line) and
    `line` ends a paragraph, item, heading or row."""
    if "\t" in prev or "\t" in line or line.startswith("- "):
        return True
    if prev.endswith((".", "!", "?", ":", "”", '"')) and not prev.endswith(("No.", "e.g.", "i.e.", "etc.")):
        return True
    if re.search(r"\d$", prev) and re.match(r"[-+]?\d", line):
        return True  # never glue "11,390" and "227" into one figure
    open_end = re.search(rf"(?:[,(]|\b(?:{'|'.join(_SMALL - {'&'})}))$", prev)
    figure = r"(?:USD|US\$|CHF|EUR|\$|€)?\s?\d"
    if prev.endswith("*") or (len(last) < 60 and re.match(figure, line) and re.match(figure, last)):
        return True  # key-figure boxes: one short figure per line
    if _is_heading(line) and line.endswith(":"):
        return True
    if _is_heading(prev) and not open_end:
        return True
    return _is_heading(line) and line.upper() == line and len(line) > 3 and not prev.endswith(("-", ","))
