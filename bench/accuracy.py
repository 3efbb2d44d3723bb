"""Answer quality on the development question sets: accuracy, wrong answers, abstentions.

    python bench/accuracy.py [--cache DIR]

Builds (or reuses) two indexes: the default corpus alone, and the default corpus plus every shared
report PDF (../shared/reports/reliefweb and more/, 66 PDFs) when present. Runs
`../shared/questions/seed-dev.jsonl` (when present) and `bench/questions/*.jsonl` through the batch
path (the Peru sets over the Peru index, the others over the large one), and the Peru sets again
with " in Peru" added over the larger index (other reports also count kits and shelters, so the
scope must hold). Prints one row per set.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED, corpora  # noqa: E402


def in_peru(src: Path, dst: Path) -> Path:
    """The same questions scoped to Peru, as an analyst would ask them over a mixed corpus."""
    with open(src, encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
        for line in fh:
            row = json.loads(line)
            if "Peru" not in row["question"]:
                row["question"] = re.sub(r"\?\s*$", " in Peru?", row["question"].rstrip())
            out.write(json.dumps(row) + "\n")
    return dst


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "reportqa-bench-accuracy"))
    args = p.parse_args()
    from assistant.batch import answer_file
    from assistant.core import Assistant
    from indexer.embed import Embedder

    cache = Path(args.cache)
    embedder = Embedder()
    small, large = corpora(cache, embedder)

    seed = SHARED / "questions" / "seed-dev.jsonl"
    runs = []
    if seed.is_file():
        runs += [("seed-dev", seed, small),
                 ("seed-dev + 'in Peru'", in_peru(seed, cache / "seed-in-peru.jsonl"), large)]
    for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        runs.append((f.stem, f, small if f.stem.startswith("peru") else large))
        if f.stem.startswith("peru"):
            runs.append((f"{f.stem} + 'in Peru'", in_peru(f, cache / f"{f.stem}-in-peru.jsonl"), large))

    print(f"{'questions':26} {'index':16} {'n':>4} {'accuracy':>9} {'wrong':>6} {'abstain ok':>11} "
          f"{'abstain bad':>12}")
    for name, path, index in runs:
        assistant = Assistant(index)
        assistant._engine._embedder = embedder
        result = answer_file(assistant, path, cache / f"{name.replace(' ', '_')}.jsonl", progress=False)
        s = result.score
        ab = s["abstention"]
        abstain_bad = ab["abstained"] - ab["both"]
        wrong = s["judged"] - s["correct"] - abstain_bad
        print(f"{name:26} {index.name:16} {s['judged']:>4} {s['accuracy']:>8.1%} {wrong:>6} "
              f"{ab['both']:>5}/{ab['gold_abstain']:<5} {abstain_bad:>12}")
    print("wrong = answered with a number or text that is not the gold one (or answered an unanswerable);"
          " abstain ok = abstained on unanswerable / unanswerable; abstain bad = abstained on answerable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
