"""Report files (.pdf, .txt, .md) -> Report: cleaned page texts plus metadata; SkipFile when unreadable.

PDF pages are re-flowed (hyphenation, hard line breaks, running headers, bullets, table rows as
tab-separated cells). Text files are cleaned length-preserving (markup becomes spaces), so
`page.offset + i` is a position in the decoded original file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from indexer.errors import SkipFile
from indexer.layout import read_page as read_layout
from indexer.meta import derive_meta
from indexer.pdfstream import fast_text_extraction
from indexer.positions import Collector, collecting
from indexer.records import Page, Report

log = logging.getLogger(__name__)

SUPPORTED = (".pdf", ".txt", ".md")
PARSE_VERSION = 6  # index settings: a new version re-indexes (4: tables from positions; 5: publisher; 6: regions)
SIDECAR = "metadata.jsonl"
META_CHARS = 300_000  # metadata is derived from this much of a report's text (the longest of 36 ReliefWeb PDFs: 79 KB)

_CHAR_FIXES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
    "\ufb06": "st", "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    "\r": "\n",
})
BULLETS = "•●▪■◦○➢➤►▶◆♦✓✔·∙§\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8"
_BULLET = re.compile(rf"^\s*(?:[{BULLETS}]|-(?=[\s\d])(?!\d[\d.,]*\s*%)|\*(?=\s))\s*")
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "&"}
# Second halves that only exist as word endings: "assis-\ntance" is one word, "cash-\nbased" is two.
_SUFFIX = re.compile(
    r"(?:t?ion|t?ions|sion|sions|tance|tances|ance|ances|ence|ences|ment|ments|ness|ity|ities|ing|ings"
    r"|ed|ly|ally|ical|ive|ives|able|ible|ure|ures|ous|ious|ial|ian|ians|er|ers|ies|ist|ists|ism|ted"
    r"|ting|tive|tion|ation|ations|ization|izations)$"
)


def find_files(paths: Sequence[Path]) -> list[Path]:
    """Files to index: folders searched recursively (sorted; hidden files and the sidecar skipped),
    files passed through as given. Unsupported files are kept so the build can report them."""
    return walk(paths)[0]


def walk(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """`find_files`, plus what was passed over and why, as (name, reason): folders that cannot be
    read, symlink loops, folders named like reports, things that are not regular files."""
    out: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in map(Path, paths):
        if not path.is_dir():
            out.append(path)
            continue
        found: list[Path] = []
        for folder, dirs, names in os.walk(path, followlinks=True,
                                           onerror=lambda e, root=path: skipped.append((_shown(e.filename, root),
                                                                             f"folder cannot be read ({e.strerror})"))):
            here = Path(folder)
            ancestors = {os.path.realpath(p) for p in [here, *here.parents] if p == path or path in p.parents}
            for d in sorted(dirs):
                sub = here / d
                if d.startswith("."):
                    dirs.remove(d)
                elif sub.is_symlink() and os.path.realpath(sub) in ancestors:
                    dirs.remove(d)
                    skipped.append((_shown(sub, path), "symlink loop (it points at a folder that contains it)"))
                elif sub.suffix.lower() in SUPPORTED:
                    skipped.append((_shown(sub, path), "a folder, not a report file (its files are searched)"))
            for n in names:
                f = here / n
                if n.startswith(".") or n == SIDECAR:
                    continue
                if f.is_file():
                    found.append(f)
                elif f.is_symlink() and not f.exists():
                    skipped.append((_shown(f, path), "broken symlink"))
                else:
                    skipped.append((_shown(f, path), "not a regular file (a pipe, socket or device)"))
        out += sorted(found)
    return list(dict.fromkeys(out)), skipped


def _shown(f, root: Path) -> str:
    try:
        return Path(f).relative_to(root).as_posix()
    except ValueError:
        return str(f)


def load_sidecar(folder: Path) -> dict[str, dict]:
    """`folder/metadata.jsonl` as {file name: record}; bad lines are logged and skipped."""
    path = Path(folder) / SIDECAR
    if not path.is_file():
        return {}
    out: dict[str, dict] = {}
    for no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            log.warning("%s line %d skipped: not JSON (%s)", path, no, exc.msg)
            continue
        if not isinstance(rec, dict):
            log.warning("%s line %d skipped: not a JSON object", path, no)
            continue
        files = rec.get("files") or ([rec["file"]] if rec.get("file") else [])
        if isinstance(files, str):
            files = [files]
        for name in files:
            if isinstance(name, str) and name:
                out[Path(name).name] = rec
    return out


@lru_cache(maxsize=32)
def _cached_sidecar(folder: str, _stamp: tuple) -> dict[str, dict]:
    return load_sidecar(Path(folder))


def _folder_sidecar(folder: Path) -> dict[str, dict]:
    side = folder / SIDECAR
    if not side.is_file():
        return {}
    st = side.stat()
    return _cached_sidecar(str(folder.resolve()), (st.st_mtime_ns, st.st_size))


def parse_file(path: str | Path, root: Path | None = None, sidecar: dict[str, dict] | None = None) -> Report:
    """Read one report. `sidecar=None` reads metadata.jsonl beside the file; pass {} for none."""
    path = Path(path)
    name = path.name
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise SkipFile(f"{name}: unsupported file type {ext or '(none)'!r}; supported: {' '.join(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"{name}: cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SkipFile(f"{name}: empty file")
    if sidecar is None:
        sidecar = _folder_sidecar(path.parent)
    info: dict = {}
    if ext == ".pdf":
        pages, info = _read_pdf(path, name)
    else:
        pages = _read_text(data, name)
    if root is not None:
        try:
            rel = path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
    else:
        rel = path.as_posix()
    first = next((p.text for p in pages if p.text.strip()), "")
    raw_first = info.pop("_first_raw", "") or first
    # what a report is (country, publisher, period) shows in its opening pages; counting over all of
    # a 50 MB text file took longer than reading it
    text = "\n".join(p.text for p in pages)[:META_CHARS]
    meta = derive_meta(name, raw_first, text, info, sidecar.get(name))
    return Report(path=rel, name=name, sha256=hashlib.sha256(data).hexdigest(), meta=meta, pages=tuple(pages))


# --- text files ------------------------------------------------------------------------------


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control characters but tab, LF, CR, FF


def decode_text(data: bytes, name: str = "file") -> str:
    """Bytes -> str: BOMs first, then UTF-8, then cp1252 / latin-1 (every byte is a latin-1
    character, so this only rejects what is clearly binary: NUL bytes or many control characters)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SkipFile(f"{name}: not decodable as UTF-16 despite its byte-order mark") from exc
    if b"\x00" in data:
        raise SkipFile(f"{name}: looks binary (NUL bytes, no UTF-16 byte-order mark); save it as UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    controls = len(_CONTROLS.findall(text))
    if controls > max(3, len(text) // 100):
        raise SkipFile(f"{name}: looks binary ({controls} control characters); save it as UTF-8 text")
    return text


def _read_text(data: bytes, name: str) -> list[Page]:
    text = decode_text(data, name)
    if not text.strip():
        raise SkipFile(f"{name}: empty file (no text)")
    pages, offset = [], 0
    for part in text.split("\f"):
        if part.strip():
            pages.append(Page(number=len(pages) + 1, text=clean_markup(part), label=str(len(pages) + 1),
                              offset=offset))
        offset += len(part) + 1
    return pages


def _blank(m: re.Match) -> str:
    return " " * len(m[0])


_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|>~])")
_MD_RULES = [
    (re.compile(r"(?m)^[ \t]{0,3}#{1,6}(?=[ \t]|$)"), _blank),  # heading markers
    (re.compile(r"(?m)^[ \t]{0,3}(?:[-*_][ \t]*){3,}$"), _blank),  # horizontal rules
    (re.compile(r"(?m)^[ \t]{0,3}>[ \t]?"), _blank),  # block quotes
    (re.compile(r"(?m)^([ \t]*)[*+](?=[ \t])"), lambda m: m[1] + "-"),  # "* item" -> "- item"
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), lambda m: "  " + m[2] + "  "),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])"), lambda m: " " + m[1] + " "),
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])"), lambda m: " " + m[1] + " "),
    (re.compile(r"`([^`\n]+)`"), lambda m: " " + m[1] + " "),
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), lambda m: " " + m[1] + " " * (len(m[0]) - len(m[1]) - 1)),
    (re.compile(r"(?m)^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$"), _blank),  # table rule
]


def clean_markup(text: str) -> str:
    """Markdown markup -> spaces of equal length, so offsets into the result are offsets into the
    original. Markdown table pipes become tabs; CR becomes a space before LF.

    >>> clean_markup("36% FUNDED: **54M** \\\\$148.6 M")
    '36% FUNDED:   54M    $148.6 M'
    """
    text = text.replace("\r\n", " \n").replace("\r", "\n").replace("\u00a0", " ")
    # "\$" -> " $"; an escaped markup character is parked in the private-use area so the rules
    # below do not take it for markup, then put back.
    text = _ESCAPE.sub(lambda m: "\ue0ff" + chr(0xE000 + ord(m[1])), text)
    for rx, repl in _MD_RULES:
        text = rx.sub(repl, text)
    text = re.sub("[\ue000-\ue0ff]", lambda m: " " if m[0] == "\ue0ff" else chr(ord(m[0]) - 0xE000), text)
    text = re.sub(r"(?m)^[ \t]*\|.*\|[ \t]*$", lambda m: m[0].replace("|", "\t"), text)
    text = re.sub(r"(?m)^([ \t]*)[•●▪◦➢](?=\s)", lambda m: m[1] + "-", text)
    return text


# --- PDF ---------------------------------------------------------------------------------------


def _read_pdf(path: Path, name: str) -> tuple[list[Page], dict]:
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
                fixed = [r if r.text.isascii() else replace(r, text=r.text.translate(_CHAR_FIXES)) for r in runs.runs]
                found.append(tuple(read_layout(fixed)))
            except Exception as exc:  # noqa: BLE001 - a layout we cannot read costs its tables, not the page
                log.warning("%s: page %d tables not read (%s)", name, i + 1, exc)
                found.append(())
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
    pages = [t.translate(_CHAR_FIXES).split("\n") for t in raw]
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
    text = text.translate(_CHAR_FIXES)
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
