"""Quantity-extraction benchmark: a folder of texts/NAME.txt + gold/NAME.json in, P/R/F1 and KB/s out.

Usage: python bench/quantities.py [DIR] [--extractor facts|quantulum3] [--errors N] [--half tune|check|all]

The excerpts are split in two by a hash of their names: rules are tuned looking at the "tune" half
only (`--errors` lists its errors), and the "check" half says whether they generalise.

DIR defaults to ../shared/benchmarks/quantities beside the repo. The metric is the published one
(Liberatore et al., GoodIT 2024): predictions and gold annotations are paired when their quantity
spans overlap, greedily, largest overlap first. Per field (quantity, unit, modifier) a pair is a
true positive when the field's text equals the gold text; unpaired gold is a false negative and
unpaired predictions are false positives. For unit/modifier a field missing on both sides counts
nothing, a field on one side only is an FP (predicted) or FN (gold), and a pair whose texts differ
is both. Micro P/R/F1 are pooled over all excerpts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIELDS = ("quantity", "unit", "modifier")
Span = tuple[str, int, int]  # text, begin, end
Prediction = dict[str, Span | None]  # field -> span or None


def load(folder: Path) -> list[tuple[str, str, list[Prediction]]]:
    """(name, text, gold) for each excerpt; a text without a gold file has no annotations."""
    items = []
    for txt in sorted((folder / "texts").glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        gold_file = folder / "gold" / (txt.stem + ".json")
        gold = []
        if gold_file.exists():
            for ann in json.loads(gold_file.read_text(encoding="utf-8")):
                gold.append({f: _span(ann.get(f)) for f in FIELDS})
        items.append((txt.stem, text, gold))
    return items


def _span(obj: dict | None) -> Span | None:
    if not obj or not obj.get("text"):
        return None
    return (obj["text"], int(obj["begin"]), int(obj["end"]))


def pair(preds: list[Prediction], gold: list[Prediction]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing on quantity-span overlap, largest overlap first."""
    cands = []
    for i, p in enumerate(preds):
        _, pb, pe = p["quantity"]
        for j, g in enumerate(gold):
            _, gb, ge = g["quantity"]
            overlap = min(pe, ge) - max(pb, gb)
            if overlap > 0:
                cands.append((-overlap, i, j))
    cands.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score(preds: list[Prediction], gold: list[Prediction], counts: dict) -> None:
    """Add one excerpt's TP/FP/FN per field to `counts`."""
    pairs = pair(preds, gold)
    paired_p = {i for i, _ in pairs}
    paired_g = {j for _, j in pairs}
    for field in FIELDS:
        c = counts[field]
        for i, j in pairs:
            p, g = preds[i][field], gold[j][field]
            if p and g and p[0] == g[0]:
                c["tp"] += 1
            else:
                c["fp"] += p is not None
                c["fn"] += g is not None
        c["fp"] += sum(preds[i][field] is not None for i in range(len(preds)) if i not in paired_p)
        c["fn"] += sum(gold[j][field] is not None for j in range(len(gold)) if j not in paired_g)


def prf(c: dict) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --- extractors: text -> predictions -------------------------------------------------------------


def facts_extractor() -> Callable[[str], list[Prediction]]:
    from indexer.facts import extract

    def run(text: str) -> list[Prediction]:
        out = []
        for f in extract(text):
            unit = (f.unit.text, f.unit.start, f.unit.end) if f.unit else None
            modifier = (f.qualifier.text, f.qualifier.start, f.qualifier.end) if f.qualifier else None
            # the schema annotates a range or ratio ("4 - 8", "9 in 10") and each of its numbers
            spans = [f] + list(f.extra.get("parts", ())) + ([f.extra["ratio"]] if "ratio" in f.extra else [])
            for sp in spans:
                out.append({"quantity": (sp.text, sp.start, sp.end), "unit": unit, "modifier": modifier})
        return out

    return run


def quantulum3_extractor() -> Callable[[str], list[Prediction]]:
    """quantulum3 as a baseline: its surface span as the quantity, no unit/modifier spans."""
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # its pickled sklearn model does not load on current scikit-learn

    def run(text: str) -> list[Prediction]:
        out = []
        for q in parser.parse(text):
            b, e = q.span
            out.append({"quantity": (text[b:e], b, e), "unit": None, "modifier": None})
        return out

    return run


EXTRACTORS = {"facts": facts_extractor, "quantulum3": quantulum3_extractor}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "benchmarks" / "quantities"))
    ap.add_argument("--extractor", choices=sorted(EXTRACTORS), default="facts")
    ap.add_argument("--errors", type=int, default=0, help="print up to N quantity/unit/modifier errors")
    ap.add_argument("--half", choices=("tune", "check", "all"), default="all",
                    help="score one half of the excerpts (split by a hash of their names; errors are "
                         "listed from the tuning half only unless --half check); default: both, and all")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    if not (folder / "texts").is_dir():
        print(f"no benchmark at {folder} (expected texts/ and gold/); pass DIR", file=sys.stderr)
        return 2
    items = load(folder)
    run = EXTRACTORS[args.extractor]()
    run("warm up 1,000 people")  # imports and compiled patterns are not extraction time

    halves = {h: {f: {"tp": 0, "fp": 0, "fn": 0} for f in FIELDS} for h in ("tune", "check", "all")}
    total_bytes, elapsed, errors = 0, 0.0, []
    for name, text, gold in items:
        h = half_of(name)
        if args.half != "all" and h != args.half:
            continue
        t0 = time.process_time()
        preds = run(text)
        elapsed += time.process_time() - t0
        total_bytes += len(text.encode("utf-8"))
        score(preds, gold, halves[h])
        score(preds, gold, halves["all"])
        if args.errors and h == ("check" if args.half == "check" else "tune"):
            errors.extend(_errors(name, text, preds, gold))

    print(f"{args.extractor} on {folder} ({len(items)} excerpts, {sum(len(g) for *_, g in items)} gold)")
    shown = ("tune", "check", "all") if args.half == "all" else (args.half,)
    for h in shown:
        n = sum(1 for name, *_ in items if h == "all" or half_of(name) == h)
        print(f" {h} half ({n} excerpts)" if h != "all" else f" all ({n} excerpts)")
        for field in FIELDS:
            p, r, f1 = prf(halves[h][field])
            c = halves[h][field]
            print(f"  {field:9s} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}   (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    kb = total_bytes / 1024
    print(f"  speed     {kb / max(elapsed, 1e-9):.0f} KB/s ({kb:.0f} KB in {elapsed:.2f} s CPU)")
    for line in errors[: args.errors]:
        print(line)
    return 0


def half_of(name: str) -> str:
    """The development half split in two, stably by name: "tune" (rules are fitted on it) or "check"."""
    return "tune" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "check"


def _errors(name: str, text: str, preds: list[Prediction], gold: list[Prediction]) -> list[str]:
    lines = []
    pairs = pair(preds, gold)

    def ctx(s: Span) -> str:
        return text[max(0, s[1] - 40) : s[2] + 40].replace("\n", " ")

    for i, j in pairs:
        for field in FIELDS:
            p, g = preds[i][field], gold[j][field]
            if (p and p[0]) != (g and g[0]):
                lines.append(
                    f"{name} {field}: pred {p and p[0]!r} gold {g and g[0]!r} | {ctx(gold[j]['quantity'])}"
                )
    for i in set(range(len(preds))) - {i for i, _ in pairs}:
        lines.append(f"{name} FP {preds[i]['quantity'][0]!r} | {ctx(preds[i]['quantity'])}")
    for j in set(range(len(gold))) - {j for _, j in pairs}:
        lines.append(f"{name} FN {gold[j]['quantity'][0]!r} | {ctx(gold[j]['quantity'])}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
