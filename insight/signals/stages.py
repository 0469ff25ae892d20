"""The pipeline stages of per-post signals: the trained model's one pass, and its alternatives.

- ``SignalsStage`` (``insight.signals.v1``): one encoder pass gives sentiment, emotion,
  toxicity, safety (the model's heads combined with ``insight.safety`` rules) and the embedding;
  ``ScoreOnlyStage`` (``insight.signals.scores.v1``) is the same pass without the embedding.
- ``EmbedStage`` (``insight.embed.v1``) and ``SentimentStage`` (``insight.sentiment.v1``): the
  embedder and a configured sentiment model alone, for the VADER baseline or a hub model.
"""

from __future__ import annotations

from collections.abc import Sequence

from insight.config import Settings
from insight.model_store import model_store
from insight.records import Doc
from insight.runtime import registry
from insight.runtime.stage import StageContext
from insight.safety.combine import combine
from insight.safety.rules import RULES_VERSION, assess_safety
from insight.signals import embedder
from insight.signals.scorer import MODEL_NAME, SignalsScorer
from insight.signals.sentiment import HubSentiment, SentimentModel

SIGNALS_SENTIMENT = "insight.sentiment.signals.v1"


class SignalsStage:
    name = "insight.signals.v1"
    requires = ("doc.text",)
    assigns = ("doc.sentiment", "doc.emotion", "doc.toxicity", "doc.safety", "doc.embedding")

    def __init__(self, context: StageContext, with_embedding: bool = True) -> None:
        cfg = context.settings.models
        self.scorer = SignalsScorer(cfg.signals or None, batch_size=cfg.batch_size,
                                    store=model_store(context.settings), precision=cfg.signals_precision)
        self.with_embedding = with_embedding
        self.context = context

    def setup(self) -> None:
        self.prov = self.context.provenance(self.name, MODEL_NAME, f"{self.scorer.revision}+rules{RULES_VERSION}")

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        # The signal heads read the raw text (a posted phone number is what makes doxxing); the
        # embedding for topics is of the same text, so names never reach topic words only if
        # the caller redacted first: topic words come from c-TF-IDF over redacted text.
        scores = self.scorer.score([d.text for d in batch], with_embedding=self.with_embedding)
        out = []
        for doc, s in zip(batch, scores, strict=True):
            safety = combine(assess_safety(doc.text), s.toxicity, doc.text, s.safety, self.scorer.safety_threshold)
            out.append(doc.with_(self.prov, sentiment=s.sentiment, emotion=s.emotion, toxicity=s.toxicity,
                                 safety=safety, embedding=s.embedding if self.with_embedding else doc.embedding))
        return out


class ScoreOnlyStage(SignalsStage):
    """The same pass without the embedding, for ``insight score``."""

    name = "insight.signals.scores.v1"
    assigns = ("doc.sentiment", "doc.emotion", "doc.toxicity", "doc.safety")

    def __init__(self, context: StageContext) -> None:
        super().__init__(context, with_embedding=False)


class EmbedStage:
    """One L2-normalised sentence embedding per doc (redacted text when present)."""

    name = "insight.embed.v1"
    requires = ("doc.text",)
    assigns = ("doc.embedding",)

    def __init__(self, context: StageContext) -> None:
        cfg = context.settings.models
        self.model_name = cfg.embedder
        self.revision = cfg.embedder_revision
        self.batch_size = cfg.batch_size
        _, display = embedder.resolve(cfg.embedder)
        self.prov = context.provenance(self.name, display, cfg.embedder_revision)

    def setup(self) -> None:
        embedder.load_sentence_model(self.model_name, self.revision)

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        texts = [d.redacted or d.text for d in batch]
        vectors = embedder.encode(texts, self.model_name, self.revision, self.batch_size)
        return [d.with_(self.prov, embedding=v) for d, v in zip(batch, vectors, strict=True)]


class SentimentStage:
    """The configured sentiment model (``[models] sentiment``) scores each doc."""

    name = "insight.sentiment.v1"
    requires = ("doc.text",)
    assigns = ("doc.sentiment",)

    def __init__(self, context: StageContext) -> None:
        self.model = build_sentiment_model(context.settings.models.sentiment, context.settings)
        self.prov = context.provenance(self.name, self.model.name, self.model.revision)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        results = self.model.predict([d.text for d in batch])
        return [d.with_(self.prov, sentiment=s) for d, s in zip(batch, results, strict=True)]


def build_sentiment_model(name: str, settings: Settings | None = None) -> SentimentModel:
    """A registered model (``insight.*`` names), else a hub name or local path for transformers."""
    if name == SIGNALS_SENTIMENT:  # the project's own model reads its weights from the settings' model store
        return registry.sentiment_models.build(name, store=model_store(settings))
    if name.startswith("insight."):
        return registry.sentiment_models.build(name)
    return HubSentiment(name)
