"""Stub stages for pipeline and registry tests: one that upper-cases (and counts its setups), one that
needs an embedding nobody assigns, and one that drops a row."""

from __future__ import annotations

from collections.abc import Sequence

from insight.records import Doc


class Upper:
    name = "test.upper.v1"
    requires = ("doc.text",)
    assigns = ("doc.redacted",)
    setups = 0

    def setup(self) -> None:
        Upper.setups += 1

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        return [d.with_(redacted=d.text.upper()) for d in batch]


class NeedsEmbedding:
    name = "test.needs_embedding.v1"
    requires = ("doc.embedding",)
    assigns = ("doc.topic",)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        return list(batch)


class DropsRows(Upper):
    name = "test.drops.v1"

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        return list(batch)[:-1]
