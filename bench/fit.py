"""Fit the matcher's feature weights and the answer confidence on the development questions.

    python bench/fit.py [--cache DIR] [--write] [--sets NAME...]

For every question with a gold figure, each candidate fact the matcher offers (with its named
features, `assistant.rank.FEATURES`) is labelled right when its value is the gold value (within
0.5%). The weights are a listwise softmax regression (the right candidates should take the
probability mass of their question), L2-regularised, fitted with L-BFGS. Validation leaves one
report out: the questions about a report are answered by weights fitted without them. On those
held-out answers a logistic regression (scikit-learn) maps the best candidate's score and its lead
over the best candidate with another figure to the probability that the answer is right, and the
abstention threshold is where answering stops paying when a wrong figure costs two abstentions
(P(right) >= 2/3; unanswerable questions count as wrong when answered). `--write` stores the result in
assistant/weights.json; without it the script only prints the held-out figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED, corpora, offline  # noqa: E402

REL = 0.005
WRONG_COST = 2.0  # a wrong figure costs as much as two abstentions
L2 = 0.05
NO_RIVAL = 99.0  # the lead when no candidate gives another figure: capped like any other
CAPS = (1.0, 2.0, 3.0, 4.0, 5.0)  # margin caps the calibration chooses from, by held-out log-loss


@dataclass
class Item:
    """One question's candidates: feature matrix, right/wrong per row, values, and its fold."""

    qid: str
    group: str
    X: np.ndarray
    y: np.ndarray
    values: np.ndarray
    answerable: bool
    question: str = ""
    shown: tuple[str, ...] = ()
    narrow: bool = False  # the question's scope is a few reports (it names one)
    style: str = ""  # the blind rounds' question style (table, panel, prose): for the breakdown only


def question_sets(small: Path, large: Path, only: list[str] | None):
    sets = []
    seed = SHARED / "questions" / "seed-dev.jsonl"
    if seed.is_file():
        sets.append(("seed-dev", seed, small))
    for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        sets.append((f.stem, f, small if f.stem.startswith("peru") else large))
    return [s for s in sets if not only or s[0] in only]


def collect(assistant, path: Path, name: str) -> list[Item]:
    from assistant.compose import Composer, figure_text, phrase
    from assistant.question import parse_question
    from assistant.rank import FEATURES

    engine = assistant._engine
    state = engine._state()
    composer = Composer(state)
    items = []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    vecs = engine.embedder.encode([r["question"] for r in rows])
    for r, vec in zip(rows, vecs, strict=True):
        if r.get("text") is not None:
            continue  # non-numeric gold: not a ranking question
        answerable = not r.get("abstain")
        if answerable and r.get("value") is None:
            continue
        q = parse_question(r["question"], state.catalogue)
        allowed, _ = composer.scope(q, None)
        cands = []
        if allowed is None or allowed:
            hits = state.retriever.search(r["question"], vec, k=8, allowed=allowed)
            cands = composer.candidates(q, vec, allowed, hits)
        X = np.array([[feats.get(k, 0.0) for k in FEATURES] for _, _, feats in cands], dtype=float)
        values = np.array([e.fact.value for _, e, _ in cands], dtype=float)
        gold = r.get("value")
        y = (np.abs(values - gold) <= REL * max(1.0, abs(gold))) if answerable else np.zeros(len(cands), bool)
        group = r.get("report") or name
        shown = tuple(f"{figure_text(e)} | {e.fact.report[:40]} p{e.fact.page} | {phrase(e)[:140]}"
                      for _, e, _ in cands)
        items.append(Item(f"{name}:{r['id']}", group, X.reshape(len(cands), len(FEATURES)), y, values,
                          answerable, r["question"], shown, allowed is not None and 0 < len(allowed) <= 3,
                          r.get("style", "")))
    return items


def fit(items: list[Item], n_feats: int, how: str = "pointwise") -> np.ndarray:
    """Weights and bias (the last element): pointwise logistic regression of right/wrong over all
    candidates (scores comparable across questions), or listwise softmax (bias 0)."""
    if how == "pointwise":
        from sklearn.linear_model import LogisticRegression

        X = np.vstack([it.X for it in items if len(it.y)])
        y = np.concatenate([it.y for it in items if len(it.y)])
        lr = LogisticRegression(C=1.0 / (L2 * 20), max_iter=2000).fit(X, y)
        return np.append(lr.coef_[0], lr.intercept_[0])
    return np.append(_listwise(items, n_feats), 0.0)


def _listwise(items: list[Item], n_feats: int) -> np.ndarray:
    """Listwise softmax weights (no bias: it cancels within a question)."""
    from scipy.optimize import minimize

    train = [it for it in items if it.y.any() and len(it.y) > 1]

    def loss(w):
        total, grad = L2 * w @ w, 2 * L2 * w
        for it in train:
            s = it.X @ w
            s -= s.max()
            p = np.exp(s)
            p /= p.sum()
            pos = p[it.y].sum()
            total -= math.log(max(pos, 1e-12))
            # d/dw -log(sum_pos p) = E_p[x] - E_{p|pos}[x]
            ppos = np.where(it.y, p, 0.0) / max(pos, 1e-12)
            grad += (p - ppos) @ it.X
        return total / max(1, len(train)), grad / max(1, len(train))

    return minimize(loss, np.zeros(n_feats), jac=True, method="L-BFGS-B").x


def decide(it: Item, w: np.ndarray) -> tuple[float, float, bool]:
    """The best candidate's score, its lead over the best one with another value, and whether it is right."""
    if not len(it.y):
        return -10.0, 0.0, False
    s = it.X @ w[:-1] + w[-1]
    order = np.argsort(-s)
    best = order[0]
    rival = next((j for j in order[1:] if abs(it.values[j] - it.values[best]) > 1e-9 * max(1, abs(it.values[best]))),
                 None)
    margin = float(s[best] - s[rival]) if rival is not None else NO_RIVAL
    return float(s[best]), margin, bool(it.y[best])


def held_out(items: list[Item], n_feats: int, how: str) -> list[tuple[float, float, bool, Item]]:
    groups = sorted({it.group for it in items})
    out = []
    for g in groups:
        w = fit([it for it in items if it.group != g], n_feats, how)
        out += [(*decide(it, w), it) for it in items if it.group == g]
    return out


def write_misses(path: Path, items: list[Item], n_feats: int, how: str, names: list[str]) -> None:
    """Held-out answerable questions whose best candidate is wrong: the top three and the best right one."""
    lines = []
    for g in sorted({it.group for it in items}):
        w = fit([it for it in items if it.group != g], n_feats, how)
        for it in (it for it in items if it.group == g and it.answerable):
            if not len(it.y):
                lines.append(f"## {it.qid} NO CANDIDATES\n{it.question}\n")
                continue
            s = it.X @ w[:-1] + w[-1]
            order = list(np.argsort(-s))
            if it.y[order[0]]:
                continue
            gold = next((k for k, j in enumerate(order) if it.y[j]), None)
            head = "NOT AMONG CANDIDATES" if gold is None else f"gold at rank {gold + 1}"
            lines.append(f"## {it.qid} {head}\n{it.question}")
            show = order[:3] + ([order[gold]] if gold is not None and gold >= 3 else [])
            for j in show:
                feats = ", ".join(f"{n}={v:.2f}" for n, v in zip(names, it.X[j], strict=True) if v)
                mark = "+" if it.y[j] else "-"
                lines.append(f"  {mark} {s[j]:.2f} {it.shown[j]}\n      {feats}")
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def calibrate(preds) -> tuple[tuple[float, float, float], float, float, dict]:
    """P(right) from the held-out best score and its lead (capped; the cap with the lowest 10-fold
    log-loss), the threshold, and what answering at it gives on the held-out answers."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    y = np.array([ok for _, _, ok, _ in preds])

    def features(cap: float) -> np.ndarray:
        return np.array([[s, min(m, cap)] for s, m, _, _ in preds])

    def log_loss(cap: float) -> float:
        p = cross_val_predict(LogisticRegression(C=1.0), features(cap), y, cv=10, method="predict_proba")[:, 1]
        p = np.clip(p, 1e-9, 1 - 1e-9)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    cap = min(CAPS, key=log_loss)
    lr = LogisticRegression(C=1.0).fit(features(cap), y)
    conf = lr.predict_proba(features(cap))[:, 1]
    calib = (float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0]))
    # with calibrated probabilities, answering pays when P(right) - WRONG_COST * (1 - P(right)) > 0
    best_t = WRONG_COST / (1 + WRONG_COST)
    answered = conf >= best_t
    n, wrong = int(answered.sum()), int((answered & ~y).sum())
    return calib, cap, best_t, {"answered": n, "right": n - wrong, "wrong": wrong}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "reportqa-bench-fit"))
    p.add_argument("--sets", nargs="*", help="question set names (default: all)")
    p.add_argument("--how", choices=("pointwise", "listwise"), default="pointwise")
    p.add_argument("--misses", help="write each held-out question's top candidates and the gold one here (text)")
    p.add_argument("--answers", help="write each held-out question's outcome at the threshold here (TSV: id, style, "
                                     "answered, right, P(right)), to compare two runs question by question")
    p.add_argument("--write", action="store_true", help="store the fitted weights in assistant/weights.json")
    args = p.parse_args()
    offline()
    from assistant.core import Assistant
    from assistant.rank import FEATURES, WEIGHTS_FILE, Weights
    from indexer.embed import Embedder

    embedder = Embedder()
    small, large = corpora(Path(args.cache), embedder)
    items: list[Item] = []
    for name, path, index in question_sets(small, large, args.sets):
        a = Assistant(index)
        a._engine._embedder = embedder
        got = collect(a, path, name)
        print(f"{name}: {len(got)} questions, {sum(it.y.any() for it in got)} with the gold figure among candidates")
        items += got
    names = list(FEATURES)
    preds = held_out(items, len(names), args.how)
    answerable = [pr for pr in preds if pr[3].answerable]
    top1 = sum(ok for _, _, ok, _ in answerable) / max(1, len(answerable))
    reachable = sum(it.y.any() for it in items if it.answerable)
    calib, cap, threshold, at = calibrate(preds)
    print(f"held-out (leave one report out), {len(answerable)} answerable questions: best candidate right "
          f"{top1:.1%} ({reachable} have the gold figure among candidates)")
    print(f"calibration P(right) = sigmoid({calib[0]:.3f}*score + {calib[1]:.3f}*min(margin, {cap:g}) "
          f"+ {calib[2]:.3f}); "
          f"threshold {threshold:.3f}: held-out answered {at.get('answered')}, right {at.get('right')}, "
          f"wrong {at.get('wrong')} of {len(preds)} questions")
    conf = [1 / (1 + math.exp(-(calib[0] * sc + calib[1] * min(m, cap) + calib[2]))) for sc, m, _, _ in preds]
    print("threshold  answered  right  wrong  wrong/answered  right+abstained-ok of all")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        ans = [(c >= t, ok, it.answerable) for c, (_, _, ok, it) in zip(conf, preds, strict=True)]
        n = sum(a for a, _, _ in ans)
        right = sum(a and ok for a, ok, _ in ans)
        ab_ok = sum((not a) and not ansb for a, _, ansb in ans)
        print(f"{t:9.2f} {n:9d} {right:6d} {n - right:6d} {(n - right) / max(1, n):15.1%} "
              f"{(right + ab_ok) / len(ans):10.1%}")
    print("held out at the threshold, by the blind rounds' style (answerable): right / wrong / abstained of n")
    for style in ("table", "panel"):
        got = [(c >= threshold, ok) for c, (_, _, ok, it) in zip(conf, preds, strict=True)
               if it.style == style and it.answerable]
        right = sum(a and ok for a, ok in got)
        wrong = sum(a and not ok for a, ok in got)
        print(f"  {style:6} {right} / {wrong} / {len(got) - right - wrong} of {len(got)}")
    if args.misses:
        write_misses(Path(args.misses), items, len(names), args.how, names)
    if args.answers:
        Path(args.answers).write_text("".join(
            f"{it.qid}\t{it.style or '-'}\t{int(c >= threshold)}\t{int(ok)}\t{c:.3f}\n"
            for c, (_, _, ok, it) in zip(conf, preds, strict=True)), encoding="utf-8")
    w = fit(items, len(names), args.how)
    bias, w = float(w[-1]), w[:-1]
    print(f"  {'bias':16} {bias:+.3f}")
    for k, v in sorted(zip(names, w, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {k:16} {v:+.3f}")
    if args.write:
        info = {"fitted": True, "how": args.how, "questions": len(items), "answerable": len(answerable),
                "held_out_top1": round(top1, 4), "held_out_at_threshold": at, "l2": L2,
                "sets": [s[0] for s in question_sets(small, large, args.sets)]}
        weights = Weights(coef={k: round(float(v), 4) for k, v in zip(names, w, strict=True)}, bias=round(bias, 4),
                          calib=tuple(round(c, 4) for c in calib), threshold=round(threshold, 4), info=info,
                          margin_cap=cap)
        WEIGHTS_FILE.write_text(json.dumps(weights.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
