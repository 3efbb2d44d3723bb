"""Settings in (environment and flags), the chat's configuration and login check out.

`Settings.load()` reads REPORTQA_* and the command line; `LoginGate` is the throttled login Gradio
calls; `example_questions()` the first screen's questions when REPORTQA_EXAMPLES sets them.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Generic first-screen questions; REPORTQA_EXAMPLES="q1|q2|..." replaces them for another corpus.
EXAMPLE_QUESTIONS = (
    "How many people were reached with some form of assistance?",
    "What is the funding requirement?",
    "What percentage of the appeal is funded?",
    "How many people received food assistance?",
)


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

    sleep = staticmethod(asyncio.sleep)  # tests replace it on the gate, not asyncio's for every thread

    def wait(self) -> float:
        over = self.failures - self.FREE_TRIES
        return 0.0 if over < 0 else min(self.MAX_WAIT, 2.0 ** over)

    async def __call__(self, username: str, password: str) -> bool:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self.wait():
                await self.sleep(self.wait())
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
