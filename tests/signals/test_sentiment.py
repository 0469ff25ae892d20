"""A transformers text-classification model stays usable by name or path (the hub code path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.signals.sentiment import HubSentiment
from insight.signals.stages import build_sentiment_model


@pytest.fixture(scope="module")
def local_classifier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-label classifier saved to a folder, standing in for a hub download."""
    from transformers import AutoTokenizer, BertForSequenceClassification

    from insight.signals.embedder import packaged_model_path

    base = str(packaged_model_path())
    folder = tmp_path_factory.mktemp("hub-model")
    model = BertForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2})
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_hub_sentiment_loads_by_path_and_maps_labels(local_classifier: Path) -> None:
    model = build_sentiment_model(str(local_classifier))
    assert isinstance(model, HubSentiment)
    out = model.predict(["great", "awful", "ok"])
    assert len(out) == 3
    for sentiment in out:
        assert set(sentiment.scores) == {"negative", "neutral", "positive"}
        assert abs(sum(sentiment.scores.values()) - 1) < 1e-4
        assert sentiment.label == max(sentiment.scores, key=sentiment.scores.__getitem__)
