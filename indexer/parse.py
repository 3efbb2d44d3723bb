"""Report files (.pdf, .txt, .md) -> Report: cleaned page texts plus metadata; SkipFile when unreadable.

PDF pages are read and re-flowed by `pdftext.py` (hyphenation, hard line breaks, running headers,
bullets, table rows as tab-separated cells). Text files are cleaned length-preserving (markup becomes spaces), so
`page.offset + i` is a position in the decoded original file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from indexer.errors import SkipFile
from indexer.meta import derive_meta
from indexer.pdftext import clean_pdf_pages, extract_page, read_pdf  # noqa: F401 (tests import them from here)
from indexer.records import Page, Report

log = logging.getLogger(__name__)
SUPPORTED = (".pdf", ".txt", ".md")
PARSE_VERSION = 7  # index settings: a new version re-indexes (4: tables from positions; 5: publisher; 6: regions;
# 7: range labels, signed figures, deep headers, form fields no band)
SIDECAR = "metadata.jsonl"
META_CHARS = 300_000  # metadata is derived from this much of a report's text (the longest of 36 ReliefWeb PDFs: 79 KB)


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
        pages, info = read_pdf(path, name)
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
