"""The Ray Data engine runs the same stages as the local engine, with the same results."""

from __future__ import annotations

import pytest

from insight.records import Doc
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext

ray = pytest.importorskip("ray")


@pytest.mark.slow
def test_ray_engine_matches_local_engine(settings) -> None:  # type: ignore[no-untyped-def]
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        context = StageContext(settings, "run-ray")
        docs = [Doc(id=str(i), text=t) for i, t in enumerate(
            ["I love this!", "This is broken again.", "Meeting at 5.", "I know where your office is."] * 5)]
        names = ["insight.sentiment.v1", "insight.safety.keywords.v1"]
        local = Pipeline.from_names(names, context).run(docs)
        distributed = Pipeline(Pipeline.from_names(names, context).stages, engine="ray", batch_size=4).run(docs)
        # Labels and safety exactly; scores to float tolerance, since Ray's batches pad the texts
        # differently from the local engine's, which moves the last digits of a softmax.
        assert [(d.id, d.sentiment.label, d.safety) for d in distributed] == [
            (d.id, d.sentiment.label, d.safety) for d in local]
        for mine, theirs in zip(distributed, local, strict=True):
            assert mine.sentiment.scores == pytest.approx(theirs.sentiment.scores, abs=1e-5)
    finally:
        ray.shutdown()


def _read_range(first: int, last: int) -> tuple[list[Doc], int]:
    """A range of stored posts as the scoring job reads them: docs, and one consent skip per range."""
    return [Doc(id=str(pk), text=f"post {pk}") for pk in range(first, last)], 1


@pytest.mark.slow
def test_ray_scoring_streams_one_range_at_a_time(settings) -> None:  # type: ignore[no-untyped-def]
    from insight.runtime.engines.ray import score_ranges

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        stages = Pipeline.from_names(["insight.sentiment.v1"], StageContext(settings, "run-ray")).stages
        ranges = [(first, first + 3, 4) for first in range(1, 41, 4)]  # ten ranges of four posts
        results = list(score_ranges(ranges, _read_range, stages))
    finally:
        ray.shutdown()
    # Each range comes back on its own, as soon as it is scored: never many ranges bundled into
    # one result (the encoder's output held until thousands of posts were done).
    assert len(results) == len(ranges)
    assert all(len(docs) == 3 and skipped == 1 for docs, skipped in results)
    assert sorted(int(d.id) for docs, _ in results for d in docs) == [
        pk for first, last, _ in ranges for pk in range(first, last)]
    assert all(d.sentiment is not None for docs, _ in results for d in docs)
