"""Embed stage: one L2-normalised sentence embedding per doc (redacted text when present)."""

from __future__ import annotations

from collections.abc import Sequence

from insight.backends import embedder
from insight.records import Doc
from insight.runtime.stage import StageContext


class EmbedStage:
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
