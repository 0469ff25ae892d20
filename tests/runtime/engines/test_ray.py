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
