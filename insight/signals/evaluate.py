"""Validation metrics of the signals model, with the metric each set's SOURCE.md names."""

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
