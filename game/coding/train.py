"""Train the reply coder on the corpus's train split and write `game/coding/model.json`.

    python -m game.coding.train            # train and write the model
    python -m game.coding.train --cv 5     # also report 5-fold cross-validated accuracy on the train split

The test split is never read here: `python -m bench coding` measures on it. The classifier is a
multinomial logistic regression trained by AdaGrad with L2 regularisation, in plain Python (a few seconds),
deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from game.coding.codes import CODES, OTHER, group_of
from game.coding.corpus import load_corpus
from game.coding.model import MODEL_PATH

LANGS = ("en", "fi")
EPOCHS = 10
L2 = 1e-3
RATE = 0.3
MIN_COUNT = 2          # words and word pairs seen once in training are noise at this corpus size
KEEP_ALWAYS = ("w:", "first:")  # the prefixes MIN_COUNT applies to


def featurise(rows, lang):
    from game.coding.analysis import analyse
    return [(analyse(text, lang).features, code) for text, code in rows if text.strip()]


def prune(samples):
    counts = Counter(f for features, _ in samples for f in features)
    def keep(f):
        return not f.startswith(KEEP_ALWAYS) or counts[f] >= MIN_COUNT
    return [({f: v for f, v in features.items() if keep(f)}, code) for features, code in samples]


def train(samples, codes, epochs=EPOCHS, l2=L2, rate=RATE, seed=7):
    index = {c: i for i, c in enumerate(codes)}
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    order = list(range(len(samples)))
    rng = random.Random(seed)
    k = len(codes)
    for _epoch in range(epochs):
        rng.shuffle(order)
        for n in order:
            features, code = samples[n]
            totals = [0.0] * k
            for f, v in features.items():
                row = weights.get(f)
                if row is not None:
                    for i in range(k):
                        totals[i] += row[i] * v
            top = max(totals)
            exps = [math.exp(t - top) for t in totals]
            norm = sum(exps)
            target = index[code]
            for f, v in features.items():
                row = weights.setdefault(f, [0.0] * k)
                sq = squares.setdefault(f, [1e-6] * k)
                for i in range(k):
                    grad = (exps[i] / norm - (1.0 if i == target else 0.0)) * v + l2 * row[i]
                    sq[i] += grad * grad
                    row[i] -= rate * grad / math.sqrt(sq[i])
    return weights


def predict(weights, codes, features):
    totals = [0.0] * len(codes)
    for f, v in features.items():
        row = weights.get(f)
        if row is not None:
            for i in range(len(codes)):
                totals[i] += row[i] * v
    return codes[max(range(len(codes)), key=totals.__getitem__)]


def cross_validate(samples, codes, folds):
    by_code: dict[str, list[int]] = {}
    for n, (_f, code) in enumerate(samples):
        by_code.setdefault(code, []).append(n)
    fold_of = {}
    for members in by_code.values():
        for j, n in enumerate(members):
            fold_of[n] = j % folds
    right_code = right_group = 0
    for fold in range(folds):
        train_part = prune([s for n, s in enumerate(samples) if fold_of[n] != fold])
        weights = train(train_part, codes)
        for n, (features, code) in enumerate(samples):
            if fold_of[n] == fold:
                guess = predict(weights, codes, features)
                right_code += guess == code
                right_group += group_of(guess) == group_of(code)
    return right_code / len(samples), right_group / len(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.coding.train", description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="also report K-fold cross-validation on train")
    parser.add_argument("--no-write", action="store_true", help="do not write the model file")
    parser.add_argument("--output", type=Path, default=MODEL_PATH, help="where to write the model (default: the shipped one)")
    args = parser.parse_args(argv)
    codes = [c for c in CODES if c != OTHER]
    model = {"format": 1, "codes": codes, "trained_on": "train split of game/coding/corpus/*.tsv",
             "settings": {"epochs": EPOCHS, "l2": L2, "rate": RATE, "min_count": MIN_COUNT}, "languages": {}}
    for lang in LANGS:
        rows = [(r.text, r.code) for r in load_corpus(lang) if r.split == "train"]
        samples = featurise(rows, lang)
        if args.cv:
            code_acc, group_acc = cross_validate(samples, codes, args.cv)
            print(f"{lang}: {args.cv}-fold cross-validation on train: code {code_acc:.1%}, group {group_acc:.1%}",
                  file=sys.stderr)
        weights = train(prune(samples), codes)
        rows = {}  # feature -> one weight per code, in the order of "codes" (weights under 0.005 are 0)
        for f, row in sorted(weights.items()):
            kept = [round(w, 3) if abs(w) >= 0.005 else 0 for w in row]
            if any(kept):
                rows[f] = [int(w) if w == int(w) else w for w in kept]
        model["languages"][lang] = {"samples": len(samples), "weights": rows}
        print(f"{lang}: {len(samples)} training replies, {len(rows)} features", file=sys.stderr)
    if not args.no_write:
        args.output.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n",
                              encoding="utf-8")
        print(f"written {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
