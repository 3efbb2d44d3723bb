"""Files in and out of the chat: uploads checked and stored under safe names, and the bounded
scratch folder that downloads (facts CSV, batch answers) are written to.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")


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


def check_upload(path: Path, max_bytes: float) -> str:
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
