"""Signals stage: one encoder pass gives sentiment, emotion, toxicity, safety and the embedding."""

from __future__ import annotations

from collections.abc import Sequence

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.safety_rules import RULES_VERSION, assess_safety
from insight.signals.safety import combine
from insight.signals.scorer import MODEL_NAME, SignalsScorer


class SignalsStage:
    name = "insight.signals.v1"
    requires = ("doc.text",)
    assigns = ("doc.sentiment", "doc.emotion", "doc.toxicity", "doc.safety", "doc.embedding")

    def __init__(self, context: StageContext, with_embedding: bool = True) -> None:
        cfg = context.settings.models
        self.scorer = SignalsScorer(cfg.signals or None, batch_size=cfg.batch_size)
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
            safety = combine(assess_safety(doc.text), s.toxicity, doc.text)
            out.append(doc.with_(self.prov, sentiment=s.sentiment, emotion=s.emotion, toxicity=s.toxicity,
                                 safety=safety, embedding=s.embedding if self.with_embedding else doc.embedding))
        return out


class ScoreOnlyStage(SignalsStage):
    """The same pass without the embedding, for ``insight score``."""

    name = "insight.signals.scores.v1"
    assigns = ("doc.sentiment", "doc.emotion", "doc.toxicity", "doc.safety")

    def __init__(self, context: StageContext) -> None:
        super().__init__(context, with_embedding=False)
