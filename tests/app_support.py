"""A running web app for the end-to-end tests: a small corpus in, a real index and a live URL out.

The corpus is the shipped Peru report plus a tiny text report and a two-page PDF written here; the index is built
in a temporary folder with the real bundled model. Building it and loading the model take a
while, so one app serves every test module of a pytest process (`shared_app()`), and is closed
and deleted at exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
PERU = "r4v-peru-2020-10.txt"
TINY = "lower-valley-floods-2024-03.txt"
TINY_REPORT = """Lower Valley Floods - Flash Update No. 3
Lower Valley Humanitarian Team
12 March 2024

Situation

Heavy rains since 2 March 2024 have flooded the Lower Valley. Some 12,500 households were displaced
by the floods and 38 health facilities were damaged.

Response

Partners distributed 4,300 water filters in the three worst-affected districts. Mobile teams
provided primary health care consultations to 9,150 people.
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MARBURG = "marburg-ethiopia-sitrep-4.pdf"
MARBURG_PAGES = [
    "Marburg Virus Disease Outbreak in Ethiopia - Situation Report No. 4\n"
    "Ministry of Health, Ethiopia\n21 November 2025\n\n"
    "As of 20 November 2025, 12 confirmed cases of Marburg virus disease have been recorded.\n"
    "Since the start of the outbreak, 9 deaths were reported in Jinka town, South Ethiopia Region.\n"
    "Some 1,250 contacts were traced and 640 are under follow-up.",
    "Response\n\nRapid response teams trained 85 health workers on infection prevention and control.",
]


def write_corpus(folder: Path) -> Path:
    """The test corpus: a copy of the shipped report, the tiny flood report and a two-page PDF."""
    from tests.pdfs import write_pdf

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "corpus" / PERU, folder / PERU)
    (folder / TINY).write_text(TINY_REPORT, encoding="utf-8")
    write_pdf(folder / MARBURG, MARBURG_PAGES, title=MARBURG_PAGES[0].splitlines()[0])
    return folder


@dataclass
class RunningApp:
    url: str
    root: Path  # the temporary folder holding corpus/, index/ and uploads/
    assistant: object
    demo: object

    @property
    def uploads(self) -> Path:
        return self.root / "uploads"

    def close(self) -> None:
        self.demo.close()


def start_app(root: Path) -> RunningApp:
    """Build the index of a fresh test corpus under `root` and serve the app on a free port."""
    from assistant.core import Assistant
    from indexer.build import build_index
    from webchat.config import Settings
    from webchat.ui import build_ui, launch

    corpus = write_corpus(root / "corpus")
    index_dir = root / "index"
    build_index(paths=[corpus], index_dir=index_dir, say=lambda *_: None)
    assistant = Assistant(index_dir)
    assistant.warm()
    settings = Settings(host="127.0.0.1", port=free_port(), index_dir=index_dir,
                        uploads_dir=root / "uploads", max_upload_mb=5)
    demo = build_ui(assistant, settings)
    launch(demo, settings, prevent_thread_lock=True, quiet=True)
    return RunningApp(url=f"http://127.0.0.1:{settings.port}/", root=root, assistant=assistant, demo=demo)


_SHARED: RunningApp | None = None
_SHARED_LOCK = threading.Lock()


def shared_app() -> RunningApp:
    """One running app per test process, built on first use."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            root = Path(tempfile.mkdtemp(prefix="reportqa-app-test-"))
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            _SHARED = start_app(root)
            atexit.register(_SHARED.close)
        return _SHARED
