"""The signals stages: the score-only stage's safety verdicts on the written sets, the sentiment stage
with the configured model, and how a sentiment model is found by name (registry) or as a hub name or path."""

from __future__ import annotations

import json

import pytest

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.signals.stages import ScoreOnlyStage, SentimentStage, build_sentiment_model
from tests.support.paths import SAFETY_DATA
from tests.support.triage import VADER


def _safety_rows(name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in (SAFETY_DATA / name).read_text().splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("name,min_recall,max_false_alarms", [
    ("safety_eval.jsonl", 0.95, 1),  # the set the rules were extended on
    ("safety_holdout.jsonl", 0.70, 1),  # written after, never tuned on
])
def test_signals_safety_recall_and_false_alarms(settings, name: str, min_recall: float,  # type: ignore[no-untyped-def]
                                                max_false_alarms: int) -> None:
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


def test_sentiment_stage_scores_with_the_configured_model(settings) -> None:  # type: ignore[no-untyped-def]
    vader = settings.model_copy(update={"models": settings.models.model_copy(update={"sentiment": VADER})})
    stage = SentimentStage(StageContext(vader, "run-sentiment"))
    stage.setup()
    happy, angry = stage([Doc(id="1", text="I love this community, thanks so much!"),
                          Doc(id="2", text="This is awful, the deploy is broken again and I hate it.")])
    assert happy.sentiment is not None and happy.sentiment.label == "positive"
    assert angry.sentiment is not None and angry.sentiment.label == "negative"
    assert [(p.stage, p.model, p.model_revision) for p in happy.provenance] == [
        ("insight.sentiment.v1", "vaderSentiment", "3.3.2")]
