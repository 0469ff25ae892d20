"""Ray Data engine: the same stages, mapped over batches on a cluster.

Stages are pickled to the workers and ``setup()`` runs once per worker process (models load
there, not on the driver). Install with ``pip install 'insight[distributed]'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from insight.errors import PipelineError
from insight.records import Doc
from insight.runtime.engines.local import apply_stages
from insight.runtime.stage import Stage


class _StageActor:
    """Built once per Ray worker; keeps the loaded models between batches."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        for stage in self.stages:
            stage.setup()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        docs = apply_stages(self.stages, list(batch["doc"]))
        return {"doc": docs}


def run_ray(stages: Sequence[Stage], docs: Iterable[Doc], *, batch_size: int) -> Iterator[Doc]:
    try:
        import ray.data
    except ImportError:
        raise PipelineError("E206") from None
    dataset = ray.data.from_items([{"doc": d} for d in docs])
    out = dataset.map_batches(
        _StageActor,
        fn_constructor_args=(list(stages),),
        batch_size=batch_size,
        batch_format="pandas",
        concurrency=1,
    )
    for row in out.iter_rows():
        yield row["doc"]
