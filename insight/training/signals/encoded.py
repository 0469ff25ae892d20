"""Every set ``fit_heads`` and ``evaluate_written`` read, encoded once by the current weights (cached)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from insight.signals.pins import sha256_of
from insight.training.signals.features import cached
from insight.training.signals.public import evaluation_sets, training_samples
from insight.training.signals.sets import SPLITS, safety_split, sentiment_split


@dataclass(frozen=True)
class Encoded:
    texts: list[str]
    pooled: np.ndarray  # tuned-branch features (sentiment, emotion, offensive, hate heads)
    emb: np.ndarray  # sentence embedding (safety head)
    y: np.ndarray  # labels: (n,) classes, or (n, 5) safety labels
    kinds: list[str]


def encode_all(data: Path, sets: Path, model, tokenizer, weights: Path, cache: Path,  # type: ignore[no-untyped-def]
               *, splits: tuple[str, ...] = ("train", "dev")) -> dict[str, Encoded]:
    """Public samples and the written sets of ``splits`` (the test split only when asked for)."""
    sha = sha256_of(weights / "signals.safetensors")
    out = {}
    # only what the fits read: the hate/wiki evaluation splits are for evaluate, not for fitting
    public = {**training_samples(data), "sentiment_validation": evaluation_sets(data)["sentiment_validation"]}
    for name, rows in public.items():
        texts = [t for t, _ in rows]
        pooled, emb = cached(name, texts, model, tokenizer, sha, cache)
        out[name] = Encoded(texts, pooled, emb, np.array([y for _, y in rows]), [name] * len(rows))
    for split in splits:
        assert split in SPLITS
        safety = safety_split(sets, split)
        texts = [e.text for e in safety]
        pooled, emb = cached(f"safety_{split}", texts, model, tokenizer, sha, cache)
        out[f"safety_{split}"] = Encoded(texts, pooled, emb, np.array([e.labels for e in safety]),
                                         [e.kind for e in safety])
        forum = sentiment_split(sets, split)
        texts = [e.text for e in forum]
        pooled, emb = cached(f"forum_{split}", texts, model, tokenizer, sha, cache)
        out[f"forum_{split}"] = Encoded(texts, pooled, emb, np.array([e.label for e in forum]), [e.kind for e in forum])
    return out
