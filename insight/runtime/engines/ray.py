"""Ray Data engine: the same stages, mapped over batches on a cluster.

Stages are pickled to the workers and ``setup()`` runs once per worker process (models load
there, not on the driver). Install with ``pip install 'insight[distributed]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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
    # Results come back in input order (callers zip them with their inputs), whatever finishes first.
    ray.data.DataContext.get_current().execution_options.preserve_order = True
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


# --------------------------------------------------------------------------- stored posts, streamed


def _read_ranges(batch: dict[str, Any], read: Callable[[int, int], tuple[list[Doc], int]]) -> dict[str, Any]:
    """Claim and read each pk range of the batch; ``None`` rows stand for posts skipped for consent."""
    out: list[Doc | None] = []
    for first, last in zip(batch["first"], batch["last"], strict=True):
        docs, skipped = read(int(first), int(last))
        out += [*docs, *([None] * skipped)]
    return {"doc": out}


class _ScoringActor(_StageActor):
    """Loads the models once per actor; passes the consent placeholders through."""

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        docs = [d for d in batch["doc"] if d is not None]
        skipped = len(batch["doc"]) - len(docs)
        return {"doc": (apply_stages(self.stages, docs) if docs else []) + [None] * skipped}


def score_ranges(ranges: Sequence[tuple[int, int, int]], read: Callable[[int, int], tuple[list[Doc], int]],
                 stages: Sequence[Stage], *, batch_size: int, actors: int | None = None,
                 gpus_per_actor: float | None = None) -> Iterator[tuple[list[Doc], int]]:
    """Stream stored posts through the stages on Ray Data: (scored docs, skipped) per result batch.

    ``ranges`` are (first pk, last pk, posts); each becomes one read task that claims and reads its
    posts with ``read`` (on a worker, with its own connection), so the posts are never held whole:
    Ray Data's streaming executor keeps a bounded number of batches in flight. Encoding runs in an
    actor pool (``actors``, by default one per CPU Ray sees, or one per GPU when there are GPUs).
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise PipelineError("E206") from None
    if not ranges:
        return
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    resources = ray.cluster_resources()
    gpus = gpus_per_actor if gpus_per_actor is not None else (1.0 if resources.get("GPU") else 0.0)
    pool = actors or max(1, int(resources.get("GPU", 0)) if gpus else int(resources.get("CPU", 1)) - 1)
    dataset = ray.data.from_items([{"first": a, "last": b} for a, b, _ in ranges], override_num_blocks=len(ranges))
    dataset = dataset.map_batches(_read_ranges, fn_args=(read,), batch_size=1, batch_format="numpy")
    dataset = dataset.map_batches(_ScoringActor, fn_constructor_args=(list(stages),), batch_size=batch_size,
                                  batch_format="numpy", concurrency=pool, num_gpus=gpus or None)
    for batch in dataset.iter_batches(batch_size=batch_size, batch_format="numpy"):
        docs = [d for d in batch["doc"] if d is not None]
        yield docs, len(batch["doc"]) - len(docs)
