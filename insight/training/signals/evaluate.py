"""Validation metrics of the signals model, with the metric each set's SOURCE.md names.

``python -m insight.training.signals.evaluate --data ../shared/data`` reruns the figures of
``models/signals/CARD.md`` on the weights in the model store (``--weights`` for another folder).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from sklearn.metrics import f1_score, recall_score

METRICS = {"sentiment": "macro_recall", "emotion": "macro_f1", "offensive": "macro_f1", "hate": "macro_f1"}


def predict(model: Any, tokenizer: Any, texts: Sequence[str], task: str, *, device: str = "cpu",
            batch_size: int = 128) -> list[int]:
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # length-sorted: little padding
    preds = [0] * len(texts)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True, max_length=64,
                            return_tensors="pt").to(device)
            logits = model(enc["input_ids"], enc["attention_mask"], with_embedding=False, heads=(task,)).logits[task]
            for i, p in zip(idx, logits.argmax(-1).tolist(), strict=True):
                preds[i] = p
    return preds


def score(task: str, gold: Sequence[int], pred: Sequence[int]) -> float:
    if METRICS[task] == "macro_recall":
        return float(recall_score(gold, pred, average="macro"))
    return float(f1_score(gold, pred, average="macro"))


def evaluate(model: Any, tokenizer: Any, sets: dict[str, Sequence[Any]], *, device: str = "cpu") -> dict[str, float]:
    out = {}
    for task, examples in sets.items():
        pred = predict(model, tokenizer, [e.text for e in examples], task, device=device)
        out[f"{task}_{METRICS[task]}"] = round(score(task, [e.label for e in examples], pred), 4)
    return out


def vader_sentiment_recall(texts: Sequence[str], gold: Sequence[int]) -> float:
    """The VADER baseline on the same texts, scored the same way."""
    from insight.signals.sentiment import VaderSentiment

    index = {"negative": 0, "neutral": 1, "positive": 2}
    pred = [index[s.label] for s in VaderSentiment().predict(list(texts))]
    return score("sentiment", gold, pred)


def main() -> None:
    """Rerun the card's figures: ``python -m insight.training.signals.evaluate --data ../shared/data``."""
    import argparse
    import json
    from pathlib import Path

    from insight.signals.scorer import default_weights_folder, load_model
    from insight.training.signals.data import read_split

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--weights", type=Path, default=default_weights_folder())
    parser.add_argument("--precision", choices=("fp32", "int8"), default="fp32")
    parser.add_argument("--skip-vader", action="store_true")
    args = parser.parse_args()
    model, tokenizer, revision = load_model(str(args.weights), args.precision)
    splits = {
        "validation": {"sentiment": "tweeteval_sentiment", "emotion": "tweeteval_emotion",
                       "offensive": "tweeteval_offensive", "hate": "tweeteval_hate"},
        "test": {"emotion": "tweeteval_emotion", "offensive": "tweeteval_offensive", "hate": "tweeteval_hate"},
    }
    report: dict[str, Any] = {"model": revision}
    for split, folders in splits.items():
        sets = {task: read_split(args.data, folder, split, task) for task, folder in folders.items()}
        report[split] = evaluate(model, tokenizer, sets)
    val = read_split(args.data, "tweeteval_sentiment", "validation", "sentiment")
    if not args.skip_vader:
        report["validation"]["vader_sentiment_macro_recall"] = round(
            vader_sentiment_recall([e.text for e in val], [e.label for e in val]), 4)
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
