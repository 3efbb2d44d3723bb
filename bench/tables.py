"""Table-cell benchmark: a gold file of table and panel cells in, recovered % and wrongly labelled % out.

Usage: python bench/tables.py [GOLD] [--reports DIR ...] [--misses N] [--json OUT]

GOLD defaults to bench/tables/gold.jsonl: one JSON object per cell with `report`, `page`, `table`,
`row`, `col` (levels joined by " / "; null for a panel figure without a box header), `value`,
`unit`, `text`, `kind` ("table" | "panel"), optionally `folder` (the sub-folder of the reports
folder). Reports are looked up in ../shared/reports/<folder>/ when present, else in the --reports
folders. Each report is parsed and its facts extracted as the build does it (no index, no model).

A gold cell is *recovered* when a fact on its page has its value (within 0.5%, or the same digits)
and the right headers: the row header (for a panel, the label) and the column header match the
gold's after normalising (lower case, letters and digits only), one containing the other; a null gold column
matches anything. It is *wrongly labelled* when it is not recovered but a table-cell or key-figure
fact on its page has its value with one header right and the other wrong, or (a panel) a label
that does not match: an answer built on that fact would name the wrong thing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import ROOT, SHARED

GOLD = ROOT / "bench" / "tables" / "gold.jsonl"


def norm(text: str | None) -> str:
    """Letters and digits only: "Case Fatality Rat io (CFR)" and "Case Fatality Ratio (CFR)" compare equal."""
    return "".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


def header_match(gold: str | None, pred: str) -> bool:
    g, p = norm(gold), norm(pred)
    if not g:
        return True
    return bool(p) and (g in p or p in g)


def value_match(gold: dict, fact) -> bool:
    v = float(gold["value"])
    if abs(fact.value - v) <= max(1e-9, 0.005 * abs(v)):
        return True
    digits = re.sub(r"\D", "", str(gold.get("text") or ""))
    return bool(digits) and re.sub(r"\D", "", fact.text) == digits and abs(v) > 0


def find_report(rec: dict, folders: list[Path]) -> Path | None:
    candidates = []
    if rec.get("folder"):
        candidates.append(SHARED / "reports" / rec["folder"] / rec["report"])
    candidates += [SHARED / "reports" / sub / rec["report"] for sub in ("more", "reliefweb")]
    candidates += [Path(f) / rec["report"] for f in folders]
    return next((c for c in candidates if c.is_file()), None)


def judge(rec: dict, facts: list) -> tuple[str, object]:
    """("recovered" | "wrong" | "missed", the fact that decided it)."""
    page = [f for f in facts if f.page == int(rec["page"]) and value_match(rec, f)]
    panel = rec.get("kind") == "panel"
    for f in page:
        row = f.row_header or f.label
        if header_match(rec["row"], row) and header_match(rec.get("col"), f.col_header if not panel or f.col_header
                                                             else rec.get("col")):
            return "recovered", f
    for f in page:
        if f.kind not in ("table_cell", "key_figure"):
            continue
        row_ok = header_match(rec["row"], f.row_header or f.label)
        col_ok = header_match(rec.get("col"), f.col_header) if not panel else True
        if panel and not row_ok and f.kind == "key_figure":
            return "wrong", f
        if not panel and f.kind == "table_cell" and (row_ok != col_ok):
            return "wrong", f
    return "missed", page[0] if page else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("--reports", nargs="*", type=Path, default=[], help="folders holding the reports")
    ap.add_argument("--misses", type=int, default=0, help="list up to N cells not recovered")
    ap.add_argument("--json", type=Path, help="write each cell's verdict here")
    args = ap.parse_args()

    from indexer.facts import extract_pages
    from indexer.parse import parse_file

    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_report: dict[str, list[dict]] = defaultdict(list)
    for rec in gold:
        by_report[rec["report"]].append(rec)
    verdicts: list[tuple[dict, str, object]] = []
    t0 = time.perf_counter()
    for name, recs in sorted(by_report.items()):
        path = find_report(recs[0], args.reports)
        if path is None:
            print(f"{name}: not found; its {len(recs)} cells count as missed", file=sys.stderr)
            verdicts += [(r, "missed", None) for r in recs]
            continue
        report = parse_file(path, sidecar={})
        facts = extract_pages(report.pages, report=report.name)
        verdicts += [(r, *judge(r, facts)) for r in recs]
    secs = time.perf_counter() - t0

    def line(label: str, vs: list) -> str:
        n = len(vs)
        rec = sum(v == "recovered" for _, v, _ in vs)
        wrong = sum(v == "wrong" for _, v, _ in vs)
        return f"{label:58s} {n:4d} {100 * rec / n:6.1f}% {100 * wrong / n:6.1f}%"

    print(f"{'report':58s} {'cells':>4s} {'recov':>7s} {'wrong':>7s}")
    for name in sorted(by_report):
        print(line(name, [v for v in verdicts if v[0]["report"] == name]))
    for kind in ("table", "panel"):
        vs = [v for v in verdicts if v[0].get("kind", "table") == kind]
        if vs:
            print(line(f"[{kind}]", vs))
    print(line("ALL", verdicts))
    tables = {(r["report"], r.get("table")) for r in gold}
    print(f"{len(gold)} cells, {len(tables)} tables, {len(by_report)} reports; extraction {secs:.1f} s")
    if args.misses:
        shown = 0
        for rec, v, f in verdicts:
            if v != "recovered" and shown < args.misses:
                shown += 1
                got = f"{f.kind} row={f.row_header or f.label!r} col={f.col_header!r}" if f is not None else "-"
                print(f"  {v:7s} {rec['report'][:30]} p{rec['page']} {rec['row']!r} | {rec.get('col')!r} = "
                      f"{rec['text']!r}  got: {got}")
    if args.json:
        with args.json.open("w", encoding="utf-8") as fh:
            for rec, v, _ in verdicts:
                fh.write(json.dumps({"id": rec.get("id"), "verdict": v}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
