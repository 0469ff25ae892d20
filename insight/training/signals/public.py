"""Samples of the public sets (``../shared/data``) that the adapted heads learn from and are judged on.

Fixed seeds pick the same rows on every run (the heads' rebuild depends on it):

- ``sentiment_train``: 3,000 TweetEval sentiment train tweets (also every safety head's everyday negatives);
- ``hate_train``: 2,000 HatEval train tweets (hate examples for the hate category);
- ``davidson_train``: 1,500 rows of Davidson's train split (its hate-speech class: more hate examples);
- validation and test splits whole: TweetEval sentiment validation, HatEval validation and test,
  and the Wikipedia toxicity subset (evaluation only, as its SOURCE.md says).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from insight.signals.normalize import normalize

Rows = list[tuple[str, int]]
SENTIMENT_TRAIN, HATE_TRAIN, DAVIDSON_TRAIN = 3000, 2000, 1500


def _csv(path: Path, label: str = "label") -> Rows:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(normalize(r["text"]), int(r[label])) for r in csv.DictReader(fh)]


def training_samples(data: Path) -> dict[str, Rows]:
    rng = random.Random(13)
    hate = _csv(data / "tweeteval_hate" / "train.csv")
    random.Random(5).shuffle(hate)
    sentiment = _csv(data / "tweeteval_sentiment" / "train.csv")
    rng.shuffle(sentiment)
    with (data / "davidson_hate_offensive" / "labeled_data.csv").open(encoding="utf-8", newline="") as fh:
        davidson = [(normalize(r["text"]), int(r["label"])) for r in csv.DictReader(fh)
                    if r.get("suggested_split", "train") == "train"]
    rng.shuffle(davidson)
    return {"sentiment_train": sentiment[:SENTIMENT_TRAIN], "hate_train": hate[:HATE_TRAIN],
            "davidson_train": davidson[:DAVIDSON_TRAIN]}


def evaluation_sets(data: Path) -> dict[str, Rows]:
    return {
        "sentiment_validation": _csv(data / "tweeteval_sentiment" / "validation.csv"),
        "hate_validation": _csv(data / "tweeteval_hate" / "validation.csv"),
        "hate_test": _csv(data / "tweeteval_hate" / "test.csv"),
        "wiki_test": _csv(data / "wikipedia_toxicity_subset" / "test.csv"),
    }
