"""Chat load: N concurrent gradio_client users asking for a fixed time -> throughput, latency, errors.

Starts the web app itself on a free loopback port over an index (--index, default index/; built
from corpus/ first if missing), then runs --clients threads, each with its own client session,
asking questions through the named endpoints (/ask, and every third question through /chat,
the browser's path) until --seconds pass or --max-requests are sent. With --upload (the default),
one more client uploads a generated report a few seconds in, asks about it and removes it again. Answers with a
known figure are checked. Prints throughput and latency percentiles; exits 1 if any request failed
or any answer was wrong.

    python bench/chat_load.py [--index index/] [--clients 10] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

QUESTIONS = (
    "How many people were reached with some form of assistance?",
    "What is the funding requirement?",
    "What percentage of the appeal is funded?",
    "How many persons received hygiene kits?",
    "How many calls did the Ministry of Women receive between January and October 2020?",
    "How many asylum-seekers are there in Peru?",
    "How many hot and cold meals were distributed?",
    "How many schools were destroyed by the earthquake?",  # the reports don't say
)
# What a right answer holds, for the questions the shipped Peru report answers (None: abstains).
EXPECTED = {
    "How many persons received hygiene kits?": "2,140",
    "How many asylum-seekers are there in Peru?": "500,000",
    "How many schools were destroyed by the earthquake?": None,
}
UPLOADED = ("Bench Upload Report\n\n" + "\n\n".join(
    f"In ward {i}, volunteers repaired {i * 11 + 7:,} roofs for displaced families during the week."
    for i in range(150)) + "\n\nIn total, the bench team distributed 4,321 solar lamps.\n")


def check(question: str, answer: dict) -> str:
    """Why an answer to a question with a known figure is wrong, or ''."""
    if question not in EXPECTED:
        return ""
    want = EXPECTED[question]
    if want is None:
        return "" if answer["abstained"] else f"answered {answer['text']!r}, expected an abstention"
    return "" if want in (answer.get("text") or "") else f"answered {answer.get('text')!r}, expected {want}"


def uploader(url: str, folder: Path, delay: float, log: list, lock: threading.Lock) -> None:
    """A second user adds a report while the others ask, then asks about it."""
    from gradio_client import Client, handle_file

    time.sleep(delay)
    report = folder / "bench-upload.txt"
    report.write_text(UPLOADED, encoding="utf-8")
    t0 = time.perf_counter()
    try:
        client = Client(url, verbose=False)
        status, *_ = client.predict([handle_file(str(report))], api_name="/upload")
        took = time.perf_counter() - t0
        _, answer = client.predict("How many solar lamps did the bench team distribute?", [], api_name="/ask")
        ok = "bench-upload.txt" in status.replace("\\", "") and "4,321" in answer["text"]
        removed, *_ = client.predict(["bench-upload.txt"], api_name="/remove")  # leave the index as it was
        ok = ok and "removed" in removed
        with lock:
            log.append(f"upload     indexed in {took:.1f} s during the run; asked about it: "
                       f"{'right' if ok else 'WRONG: ' + repr(answer['text'])}")
            if not ok:
                log.append("error")
    except Exception as exc:  # reported, and fails the run
        with lock:
            log.append(f"upload     failed: {exc!r}")
            log.append("error")


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def start_app(index_dir: Path):
    """The app over `index_dir` on a free port of 127.0.0.1; returns (demo, url)."""
    import socket
    import tempfile

    from assistant.core import Assistant
    from webchat.config import Settings
    from webchat.main import ensure_index
    from webchat.ui import build_ui, launch

    ensure_index(index_dir)
    assistant = Assistant(index_dir)
    assistant.warm()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(host="127.0.0.1", port=port, index_dir=index_dir,
                        uploads_dir=Path(tempfile.mkdtemp(prefix="reportqa-bench-uploads-")))
    demo = build_ui(assistant, settings)
    launch(demo, settings, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


def worker(url: str, n: int, deadline: float, budget: threading.Semaphore, latencies: list, errors: list,
           lock: threading.Lock) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # a client that cannot connect is a failure to report
        with lock:
            errors.append(f"client {n}: connect: {exc!r}")
        return
    i = n
    history: list = []
    while time.monotonic() < deadline and budget.acquire(blocking=False):
        question = QUESTIONS[i % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            if i % 3 == 0:
                _, history, answer = client.predict(question, history[-6:], [], api_name="/chat")
            else:
                _, answer = client.predict(question, [], api_name="/ask")
            if not isinstance(answer, dict) or "abstained" not in answer:
                raise ValueError(f"unexpected answer: {answer!r:.200}")
            wrong = check(question, answer)
            if wrong:
                raise ValueError(wrong)
        except Exception as exc:  # every failure is counted and shown
            with lock:
                errors.append(f"client {n}: {question!r}: {exc!r}")
        else:
            with lock:
                latencies.append(time.perf_counter() - t0)
        i += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=os.environ.get("REPORTQA_INDEX", str(ROOT / "index")))
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=20_000, help="upper bound on requests sent")
    parser.add_argument("--no-upload", action="store_true", help="no report upload during the run")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    demo, url = start_app(Path(args.index))
    print(f"app up at {url} over {args.index} in {time.perf_counter() - t0:.1f} s; "
          f"{args.clients} clients for {args.seconds:g} s", flush=True)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    budget = threading.Semaphore(args.max_requests)
    start = time.monotonic()
    deadline = start + args.seconds
    threads = [threading.Thread(target=worker, args=(url, n, deadline, budget, latencies, errors, lock),
                                daemon=True) for n in range(args.clients)]
    upload_log: list[str] = []
    if not args.no_upload:
        import tempfile

        threads.append(threading.Thread(target=uploader, daemon=True, args=(
            url, Path(tempfile.mkdtemp(prefix="reportqa-bench-")), min(5.0, args.seconds / 4), upload_log, lock)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 120)  # a request in flight at the deadline may finish
    elapsed = time.monotonic() - start
    demo.close()

    n = len(latencies)
    print(f"requests   {n + len(errors)} ({n} ok, {len(errors)} errors) in {elapsed:.1f} s")
    print(f"throughput {n / elapsed:.2f} answers/s")
    if latencies:
        print(f"latency    p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    for line in upload_log:
        if line != "error":
            print(line)
    for line in errors[:10]:
        print(f"error      {line}")
    if any(t.is_alive() for t in threads):
        print("error      some clients did not finish")
        return 1
    return 1 if errors or "error" in upload_log or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
