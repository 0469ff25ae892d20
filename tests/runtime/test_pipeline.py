"""The pipeline: the stage chain is checked before data moves, batches run in order, no row is dropped."""

from __future__ import annotations

import pytest

from insight.errors import PipelineError
from insight.records import Doc
from insight.runtime.pipeline import Pipeline, analyze
from tests.support.runtime import DropsRows, NeedsEmbedding, Upper


def test_pipeline_checks_chain_before_data_moves() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Upper(), NeedsEmbedding()])
    assert info.value.code == "E203"
    assert "doc.embedding" in str(info.value) and "test.upper.v1 -> test.needs_embedding.v1" in str(info.value)


def test_pipeline_analyze_lists_every_problem() -> None:
    problems = analyze([NeedsEmbedding(), NeedsEmbedding()])
    assert len(problems) == 2


def test_pipeline_runs_batches_in_order_and_sets_up_once() -> None:
    Upper.setups = 0
    docs = [Doc(id=str(i), text=f"t{i}") for i in range(10)]
    out = Pipeline([Upper()], batch_size=3).run(docs)
    assert [d.redacted for d in out] == [f"T{i}" for i in range(10)]
    assert Upper.setups == 1


def test_pipeline_refuses_stage_that_drops_rows() -> None:
    with pytest.raises(PipelineError, match=r"\[E204\]"):
        Pipeline([DropsRows()], batch_size=4).run([Doc(id=str(i), text="x") for i in range(5)])
