"""Sentiment stage: the configured sentiment model (registry name) scores each doc."""

from __future__ import annotations

from collections.abc import Sequence

from insight import registry
from insight.backends.sentiment import HubSentiment, SentimentModel
from insight.records import Doc
from insight.runtime.stage import StageContext


class SentimentStage:
    name = "insight.sentiment.v1"
    requires = ("doc.text",)
    assigns = ("doc.sentiment",)

    def __init__(self, context: StageContext) -> None:
        self.model = build_sentiment_model(context.settings.models.sentiment)
        self.prov = context.provenance(self.name, self.model.name, self.model.revision)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        results = self.model.predict([d.text for d in batch])
        return [d.with_(self.prov, sentiment=s) for d, s in zip(batch, results, strict=True)]


def build_sentiment_model(name: str) -> SentimentModel:
    """A registered model (``insight.*`` names), else a hub name or local path for transformers."""
    if name.startswith("insight."):
        return registry.sentiment_models.build(name)
    return HubSentiment(name)
