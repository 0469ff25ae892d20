"""The stage registry: unknown names list the options, names are unique, built-in stages keep the contract."""

from __future__ import annotations

import pytest

from insight.errors import PipelineError
from insight.runtime import registry
from tests.support.runtime import Upper


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
