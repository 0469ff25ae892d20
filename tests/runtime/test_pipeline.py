from __future__ import annotations

from collections.abc import Sequence

import pytest

from insight.errors import PipelineError
from insight.records import Doc
from insight.runtime import registry
from insight.runtime.pipeline import Pipeline, analyze


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


def test_registry_unknown_name_lists_options() -> None:
    with pytest.raises(PipelineError) as info:
        registry.stages.get("insight.nope.v1")
    assert info.value.code == "E201"
    assert "insight.embed.v1" in str(info.value)


def test_registry_refuses_duplicate_names() -> None:
    with pytest.raises(PipelineError, match=r"\[E202\]"):
        registry.stages.register("insight.embed.v1", Upper)


def test_registry_builtin_stages_follow_the_stage_contract(settings) -> None:  # type: ignore[no-untyped-def]
    from insight.runtime.stage import Stage, StageContext

    context = StageContext(settings, "run-test")
    for name in ("insight.redact.v1", "insight.sentiment.v1", "insight.safety.keywords.v1", "insight.embed.v1"):
        stage = registry.stages.build(name, context=context)
        assert isinstance(stage, Stage)
        assert stage.name == name
        assert all(f.startswith("doc.") for f in (*stage.requires, *stage.assigns))
