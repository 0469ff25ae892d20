"""The trained signals model: quality on the public validation/test splits, meaning, one pass."""

from __future__ import annotations

import json

import numpy as np
import pytest

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.signals.scorer import SignalsScorer, default_weights_folder, load_model
from insight.training.signals.data import read_split
from insight.training.signals.evaluate import evaluate
from tests.conftest import REPO, SHARED_DATA

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    model, tokenizer, _ = load_model(str(default_weights_folder()))
    return model, tokenizer


@pytest.mark.parametrize("task,folder,split,metric,bar", [
    ("sentiment", "tweeteval_sentiment", "validation", "sentiment_macro_recall", 0.70),
    ("offensive", "tweeteval_offensive", "test", "offensive_macro_f1", 0.78),
    ("emotion", "tweeteval_emotion", "test", "emotion_macro_f1", 0.75),
])
def test_signals_quality_on_public_splits(loaded, task: str, folder: str, split: str, metric: str,  # type: ignore[no-untyped-def]
                                          bar: float) -> None:
    model, tokenizer = loaded
    result = evaluate(model, tokenizer, {task: read_split(SHARED_DATA, folder, split, task)})
    card = json.loads((default_weights_folder() / "config.json").read_text())
    assert result[metric] >= bar, result
    if split == "validation":  # the card's figure is reproducible to the digit
        assert abs(result[metric] - card["metrics"][metric]) < 0.002


@pytest.mark.parametrize("text,label", [
    ("Thanks so much, this fixed it and the docs are great now!", "positive"),
    ("Third time asking: the deploy is still broken and nobody answers. Unacceptable.", "negative"),
    ("The community call is on Thursday at 17:00 UTC.", "neutral"),
    ("We're considering moving off the platform after this outage.", "negative"),
    ("Loving the new dark mode, great work team!", "positive"),
])
def test_signals_sentiment_on_forum_text(text: str, label: str) -> None:
    assert SignalsScorer().score([text])[0].sentiment.label == label


def test_signals_one_pass_embedding_is_the_sentence_transformers_embedding() -> None:
    from insight.signals.embedder import encode

    texts = ["How do I rotate my API key?", "Kubernetes pods keep restarting after the upgrade"]
    ours = np.stack([s.embedding for s in SignalsScorer().score(texts, with_embedding=True)])
    assert np.allclose(ours, encode(texts), atol=1e-5)


def test_signals_order_and_batching_do_not_change_scores() -> None:
    texts = ["short", "a much longer post about webhooks failing with a 502 from the proxy", "ok thanks"] * 5
    one = SignalsScorer(batch_size=64).score(texts)
    small = SignalsScorer(batch_size=2).score(texts)
    for a, b in zip(one, small, strict=True):
        assert a.sentiment.label == b.sentiment.label
        assert abs(a.sentiment.scores["positive"] - b.sentiment.scores["positive"]) < 1e-4


def _safety_rows(name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in (REPO / "tests" / "data" / "safety" / name).read_text().splitlines()]


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
