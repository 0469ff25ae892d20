"""The trained signals model evaluated on the public validation/test splits: each bar met, the card's
validation figure reproduced."""

from __future__ import annotations

import json

import pytest

from insight.signals.scorer import default_weights_folder, load_model
from insight.training.signals.data import read_split
from insight.training.signals.evaluate import evaluate
from tests.support.paths import SHARED_DATA

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
