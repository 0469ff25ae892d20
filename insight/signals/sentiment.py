"""Sentiment models behind one interface: ``predict(texts) -> list[Sentiment]``.

VADER is the baseline (``insight.sentiment.vader.v1``). A Hugging Face text-classification
model is usable by hub name or local path (``insight.sentiment.hf.v1``) for users who have
one; the project's own trained model plugs in behind the same interface.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

from insight.records import Sentiment

LABELS = ("negative", "neutral", "positive")


class SentimentModel(Protocol):
    name: str
    revision: str

    def predict(self, texts: Sequence[str]) -> list[Sentiment]: ...


def polarity(sentiment: Sentiment) -> float:
    """One number in -1..1: positive minus negative probability."""
    return float(sentiment.scores.get("positive", 0.0) - sentiment.scores.get("negative", 0.0))


class VaderSentiment:
    """VADER's lexicon, mapped to three classes with its recommended ±0.05 compound cut."""

    name = "vaderSentiment"
    revision = "3.3.2"

    def __init__(self) -> None:
        self._analyzer = None

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._analyzer = SentimentIntensityAnalyzer()
        out = []
        for text in texts:
            s = self._analyzer.polarity_scores(html.unescape(text))
            label = "positive" if s["compound"] >= 0.05 else "negative" if s["compound"] <= -0.05 else "neutral"
            scores = {"negative": s["neg"], "neutral": s["neu"], "positive": s["pos"], "compound": s["compound"]}
            out.append(Sentiment(label=label, scores=scores))  # type: ignore[arg-type]
        return out


class HubSentiment:
    """Any 3-class sentiment model loadable by transformers (hub name or local folder)."""

    def __init__(self, name: str, revision: str | None = None, batch_size: int = 32) -> None:
        self.name = name
        self.revision = revision or "main"
        self.batch_size = batch_size
        self._pipe = None

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        if self._pipe is None:
            from transformers import pipeline

            self._pipe = pipeline(
                "text-classification", model=self.name, revision=self.revision, top_k=None, trust_remote_code=False
            )
        results = self._pipe(list(texts), batch_size=self.batch_size, truncation=True)
        out = []
        for res in results:
            scores = {_normalise_label(r["label"]): float(r["score"]) for r in res}
            label = max(scores, key=scores.__getitem__)
            out.append(Sentiment(label=label, scores=scores))  # type: ignore[arg-type]
        return out


def _normalise_label(label: str) -> str:
    # cardiffnlp models say "negative"; older ones "LABEL_0".
    mapping = {"label_0": "negative", "label_1": "neutral", "label_2": "positive", "neg": "negative", "pos": "positive"}
    key = label.lower()
    return mapping.get(key, key)
