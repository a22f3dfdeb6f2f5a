"""The trained classifier: a multinomial logistic regression over the features of `analysis`, one per language.

Weights ship as `model.json` (written by `python -m game.coding.train`); inference is a sparse sum and a
softmax in plain Python, so nothing heavier than the standard library is loaded at run time.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "model.json"

_models: dict[str, "Model"] = {}
_lock = threading.Lock()


class Model:
    def __init__(self, codes: list[str], weights: dict[str, list[float]]):
        self.codes = list(codes)
        # feature -> [(class index, weight)], the sparse form inference walks
        self.weights = {feature: [(i, w) for i, w in enumerate(row) if w] for feature, row in weights.items()}

    def knows(self, feature: str) -> bool:
        return feature in self.weights

    def scores(self, features: dict[str, float]) -> list[float]:
        totals = [0.0] * len(self.codes)
        for feature, value in features.items():
            for i, w in self.weights.get(feature, ()):
                totals[i] += w * value
        return totals

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        totals = self.scores(features)
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        norm = sum(exps)
        return {code: e / norm for code, e in zip(self.codes, exps)}

    def contributions(self, features: dict[str, float], code: str) -> list[tuple[str, float]]:
        """What each feature added to `code`'s score against the mean of the others, largest first."""
        target = self.codes.index(code)
        out = []
        for feature, value in features.items():
            row = self.weights.get(feature)
            if not row:
                continue
            mine = sum(w for i, w in row if i == target)
            others = sum(w for i, w in row if i != target) / max(1, len(self.codes) - 1)
            out.append((feature, (mine - others) * value))
        return sorted(out, key=lambda item: -item[1])


def load(lang: str) -> Model:
    lang = "fi" if lang == "fi" else "en"
    model = _models.get(lang)
    if model is None:
        with _lock:
            model = _models.get(lang)
            if model is None:
                data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
                for name, part in data["languages"].items():
                    _models[name] = Model(data["codes"], part["weights"])
                model = _models[lang]
    return model
