"""Redact stage: PII replaced by typed placeholders before embeddings or display."""

from __future__ import annotations

from collections.abc import Sequence

from insight.privacy.redact import Redactor
from insight.records import Doc
from insight.runtime.stage import StageContext


class RedactStage:
    name = "insight.redact.v1"
    requires = ("doc.text",)
    assigns = ("doc.redacted",)

    def __init__(self, context: StageContext) -> None:
        cfg = context.settings.redaction
        self.redactor = Redactor.from_settings(cfg)
        self.prov = context.provenance(self.name, cfg.spacy_model if cfg.names else "regex", "3.8.0")

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        results = self.redactor.redact_many([d.text for d in batch])
        return [d.with_(self.prov, redacted=r.text) for d, r in zip(batch, results, strict=True)]
