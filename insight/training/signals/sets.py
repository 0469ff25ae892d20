"""The written sets of the signals model (``models/signals/sets/``): safety and forum sentiment.

``*_test.jsonl`` are frozen (committed alone before anything was fitted); thresholds and the
forum weight are chosen on ``*_dev.jsonl``; heads learn from ``*_train.jsonl``. Text goes
through the same ``normalize`` as at scoring time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from insight.signals.model import HEADS, SAFETY_LABELS
from insight.signals.normalize import normalize

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class SafetyExample:
    text: str
    labels: tuple[int, ...]  # one 0/1 per SAFETY_LABELS
    kind: str  # the category, or the kind of hard negative (dev_idiom, gaming, reported_abuse, ...)


@dataclass(frozen=True)
class SentimentExample:
    text: str
    label: int  # index into HEADS["sentiment"]
    kind: str


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def safety_split(folder: Path, split: str) -> list[SafetyExample]:
    out = []
    for row in _rows(folder, f"safety_{split}.jsonl"):
        category = row.get("category")
        labels = tuple(int(category == label) for label in SAFETY_LABELS)
        out.append(SafetyExample(normalize(row["text"]), labels, category or row["kind"]))
    return out


def sentiment_split(folder: Path, split: str) -> list[SentimentExample]:
    index = {label: i for i, label in enumerate(HEADS["sentiment"])}
    return [SentimentExample(normalize(r["text"]), index[r["label"]], r["kind"])
            for r in _rows(folder, f"sentiment_forum_{split}.jsonl")]
