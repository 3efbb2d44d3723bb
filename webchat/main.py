"""The chat's entry point: command-line flags and REPORTQA_* in, a running server out (exit code).

Refuses to listen beyond localhost without a login, builds the index of corpus/ when there is none,
loads the model and index once, then serves `webchat.ui.build_ui`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from webchat.config import Settings


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
    from webchat.ui import build_ui, launch

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
