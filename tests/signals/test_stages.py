"""The signals stages: the score-only stage's safety verdicts on the written sets, and how a sentiment
model is found by name (registry) or as a hub name or path."""

from __future__ import annotations

import json

import pytest

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.signals.stages import build_sentiment_model
from tests.support.paths import SAFETY_DATA


def _safety_rows(name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in (SAFETY_DATA / name).read_text().splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("name,min_recall,max_false_alarms", [
    ("safety_eval.jsonl", 0.95, 1),  # the set the rules were extended on
    ("safety_holdout.jsonl", 0.70, 1),  # written after, never tuned on
])
def test_signals_safety_recall_and_false_alarms(settings, name: str, min_recall: float,  # type: ignore[no-untyped-def]
                                                max_false_alarms: int) -> None:
    from insight.signals.stages import ScoreOnlyStage

    rows = _safety_rows(name)
    stage = ScoreOnlyStage(StageContext(settings, "run-safety"))
    stage.setup()
    docs = stage([Doc(id=str(i), text=r["text"]) for i, r in enumerate(rows)])
    unsafe = [(r, d.safety) for r, d in zip(rows, docs, strict=True) if r["label"] == "unsafe"]
    caught = sum(s.label == "unsafe" for _, s in unsafe)
    false_alarms = [r["text"] for r, d in zip(rows, docs, strict=True) if r["label"] == "safe"
                    and d.safety.label == "unsafe"]
    assert caught / len(unsafe) >= min_recall
    assert len(false_alarms) <= max_false_alarms, false_alarms
    for r, s in unsafe:
        if s.label == "unsafe" and s.category in ("threat", "self_harm", "doxxing"):
            assert s.category == r["category"] and s.evidence and s.evidence.lower() in r["text"].lower()


def test_registry_names_are_not_hub_names() -> None:
    from insight.errors import PipelineError

    with pytest.raises(PipelineError, match=r"\[E201\]"):
        build_sentiment_model("insight.sentiment.nope.v1")
