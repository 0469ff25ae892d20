"""The public sets the signals model learns and is judged on (``../shared/data``), as examples.

TweetEval's sentiment, emotion, offensive and hate splits, plus Davidson's train split as extra
offensive examples; every text goes through the same ``normalize`` as at scoring time.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from insight.signals.normalize import normalize


@dataclass(frozen=True)
class Example:
    text: str
    task: str
    label: int


def read_split(data: Path, folder: str, split: str, task: str) -> list[Example]:
    with (data / folder / f"{split}.csv").open(encoding="utf-8", newline="") as fh:
        return [Example(normalize(r["text"]), task, int(r["label"])) for r in csv.DictReader(fh)]


def read_davidson(data: Path, limit: int, rng: random.Random) -> list[Example]:
    """Davidson's hate/offensive classes as extra 'offensive' examples (its train split only)."""
    with (data / "davidson_hate_offensive" / "labeled_data.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("suggested_split", "train") == "train"]
    rng.shuffle(rows)
    return [Example(normalize(r["text"]), "offensive", int(r["label"] != "2")) for r in rows[:limit]]


def training_set(data: Path, rng: random.Random) -> dict[str, list[Example]]:
    return {
        "sentiment": read_split(data, "tweeteval_sentiment", "train", "sentiment"),
        "emotion": read_split(data, "tweeteval_emotion", "train", "emotion") * 2,  # small set: two passes
        "offensive": read_split(data, "tweeteval_offensive", "train", "offensive") + read_davidson(data, 6000, rng),
        "hate": read_split(data, "tweeteval_hate", "train", "hate"),
    }


def validation_set(data: Path) -> dict[str, list[Example]]:
    return {
        "sentiment": read_split(data, "tweeteval_sentiment", "validation", "sentiment"),
        "emotion": read_split(data, "tweeteval_emotion", "validation", "emotion"),
        "offensive": read_split(data, "tweeteval_offensive", "validation", "offensive"),
        "hate": read_split(data, "tweeteval_hate", "validation", "hate"),
    }
