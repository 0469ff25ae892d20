"""In-process engine: batches flow through each stage in order, memory bounded by batch size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from insight.errors import PipelineError
from insight.records import Doc
from insight.runtime.stage import Stage


def batched(items: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def apply_stages(stages: Sequence[Stage], batch: list[Doc]) -> list[Doc]:
    """Run one batch through every stage, checking each keeps one record per input."""
    for stage in stages:
        out = stage(batch)
        if len(out) != len(batch):
            raise PipelineError("E204", stage=stage.name, got=len(out), expected=len(batch))
        batch = out
    return batch


def run_local(stages: Sequence[Stage], docs: Iterable[Doc], *, batch_size: int) -> Iterator[Doc]:
    for stage in stages:
        stage.setup()
    for batch in batched(docs, batch_size):
        yield from apply_stages(stages, batch)
