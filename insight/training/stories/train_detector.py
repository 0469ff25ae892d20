"""Train the story detector: ``python -m insight.training.stories.train_detector``.

Reads the written training sets from the model store (``story_tagger/sets/detect_train.jsonl`` and
the development taxonomy's examples ``dev_examples.jsonl``; never the held-out files), fits a logistic
regression on embeddings plus narrative cues, chooses C by 5-fold cross-validation (F1) and the threshold
that maximises out-of-fold F0.5 (a false story costs a researcher's review; precision counts double),
writes ``story_tagger/detector.json`` of the model store (``--out`` to write elsewhere) and prints the
new sha256 for ``model.toml``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_val_score

from insight.signals.embedder import DEFAULT_CACHE, embed
from insight.stories.detect import StoryDetector, default_path, features
from insight.training.stories import sets

TRAIN_FILES = ("detect_train.jsonl", "dev_examples.jsonl")


def training_rows(folder: Path | None = None) -> list[dict[str, object]]:
    """Text and is_story of every row of ``TRAIN_FILES`` in ``folder`` (the model store's sets by default)."""
    folder = folder or sets.folder()
    rows = []
    for name in TRAIN_FILES:
        path = folder / name
        if path.exists():
            for row in sets.read_jsonl(path):
                rows.append({"text": row["text"], "is_story": bool(row.get("is_story", bool(row.get("tags"))))})
    return rows


def train(rows: list[dict[str, object]], cache: Path | None = DEFAULT_CACHE) -> tuple[StoryDetector, dict[str, float]]:
    texts = [str(r["text"]) for r in rows]
    y = np.array([bool(r["is_story"]) for r in rows], dtype=int)
    x = features(embed(texts, cache), texts)
    cv = {c: float(cross_val_score(LogisticRegression(C=c, max_iter=5000), x, y, cv=5, scoring="f1").mean())
          for c in (0.3, 1.0, 3.0, 10.0)}
    best = max(cv, key=lambda c: (cv[c], -c))
    oof = cross_val_predict(LogisticRegression(C=best, max_iter=5000), x, y, cv=5, method="predict_proba")[:, 1]
    thresholds = {round(t, 2): _f_beta(y, oof >= t, 0.5) for t in np.arange(0.3, 0.91, 0.05)}
    threshold = max(thresholds, key=lambda t: (thresholds[t], -t))
    model = LogisticRegression(C=best, max_iter=5000).fit(x, y)
    detector = StoryDetector(coef=model.coef_[0].astype(np.float32), intercept=float(model.intercept_[0]),
                             threshold=threshold, revision="")
    return detector, {"C": best, **{f"cv_f1_C{c}": round(v, 4) for c, v in cv.items()}, "threshold": threshold,
                      "oof_f05": round(thresholds[threshold], 4)}


def _f_beta(y: np.ndarray, predicted: np.ndarray, beta: float) -> float:
    tp = float((predicted & (y == 1)).sum())
    precision, recall = tp / max(1, predicted.sum()), tp / max(1, (y == 1).sum())
    if not precision + recall:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=default_path())
    args = parser.parse_args()
    rows = training_rows()
    detector, info = train(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(detector.to_json(), encoding="utf-8")
    sha = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(json.dumps({"rows": len(rows), "stories": sum(bool(r["is_story"]) for r in rows), **info,  # noqa: T201
                      "out": str(args.out), "sha256": sha}))


if __name__ == "__main__":
    main()
