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


class _RangeActor(_StageActor):
    """Loads the models once per actor; each call claims, reads and scores one pk range.

    One range a call, so results come back a range at a time. (A separate read step fused into the
    actor bundled as many ranges into one task as the scoring batch size: 256 ranges, 65,536 posts
    encoded before the first result, which tripped Ray Data's 30-minute no-progress limit on a
    busy 2-core machine and held every result in memory until then.) ``None`` rows stand for
    posts skipped for consent.
    """

    def __init__(self, stages: Sequence[Stage], read: Callable[[int, int], tuple[list[Doc], int]]) -> None:
        super().__init__(stages)
        self.read = read

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out: list[Doc | None] = []
        for first, last in zip(batch["first"], batch["last"], strict=True):
            docs, skipped = self.read(int(first), int(last))
            out += [*(apply_stages(self.stages, docs) if docs else []), *([None] * skipped)]
        return {"doc": out}


def score_ranges(ranges: Sequence[tuple[int, int, int]], read: Callable[[int, int], tuple[list[Doc], int]],
                 stages: Sequence[Stage], *, actors: int | None = None,
                 gpus_per_actor: float | None = None) -> Iterator[tuple[list[Doc], int]]:
    """Stream stored posts through the stages on Ray Data: (scored docs, skipped) per range.

    ``ranges`` are (first pk, last pk, posts), each about a scoring batch. An actor pool (``actors``,
    by default one per CPU Ray sees but one, or one per GPU when there are GPUs) loads the models
    once per actor; each call claims and reads one range with ``read`` (on the actor, with its own
    connection) and encodes it, so the posts are never held whole: Ray Data's streaming executor
    keeps a bounded number of ranges in flight, and each comes back as soon as it is scored.
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
    dataset = dataset.map_batches(_RangeActor, fn_constructor_args=(list(stages), read), batch_size=1,
                                  batch_format="numpy", concurrency=pool, num_gpus=gpus or None)
    for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
        docs = [d for d in batch["doc"] if d is not None]
        yield docs, len(batch["doc"]) - len(docs)
