"""The Stage protocol: a named, batch-first step that declares what it reads and writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from insight.config import Settings
from insight.records import Doc, Provenance


@dataclass(frozen=True)
class StageContext:
    """What every stage gets when it is built: settings and the run it belongs to."""

    settings: Settings
    run_id: str

    def provenance(self, stage: str, model: str | None = None, revision: str | None = None) -> Provenance:
        return Provenance(
            stage=stage,
            model=model,
            model_revision=revision,
            config_hash=self.settings.config_hash(),
            run_id=self.run_id,
        )


@runtime_checkable
class Stage(Protocol):
    """One pipeline step.

    ``requires`` and ``assigns`` name ``Doc`` attributes as ``"doc.<field>"``; the pipeline
    checks the chain before any data moves. ``setup()`` loads models once per worker (the
    distributed engine calls it on each worker, not on the driver). ``__call__`` maps a batch
    to a batch of the same length and order.
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def setup(self) -> None: ...

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]: ...
