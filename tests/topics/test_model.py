"""TopicModel on real member questions: quality, outliers, reproducibility, the estimator contract."""

from __future__ import annotations

import numpy as np
import pytest

from insight.errors import ModelError
from insight.topics.model import TopicModel
from insight.training.topics import metrics
from tests.support.topics import N_BASE, Sample


@pytest.mark.slow
def test_model_topics_agree_with_human_intents_and_leave_few_outliers(banking: Sample, fitted: TopicModel) -> None:
    labels = banking.labels[:N_BASE]
    assert metrics.outlier_share(fitted.topics_) < 0.10
    # HDBSCAN's own labels (noise as one cluster) are the baseline the assignment must beat.
    assert metrics.nmi(labels, fitted.topics_) > 0.6
    shuffled = np.random.default_rng(0).permutation(fitted.topics_)
    assert metrics.nmi(labels, shuffled) < 0.3  # the bound above means something


@pytest.mark.slow
def test_model_same_seed_gives_identical_assignments_and_words(banking: Sample, fitted: TopicModel) -> None:
    again = TopicModel(seed=11).fit(banking.texts[:N_BASE], banking.embeddings[:N_BASE])
    assert np.array_equal(again.topics_, fitted.topics_)
    assert np.array_equal(again.probabilities_, fitted.probabilities_)
    assert again.words_ == fitted.words_ and again.labels_ == fitted.labels_


@pytest.mark.slow
def test_model_transform_applies_the_fit_rule_to_new_posts(banking: Sample, fitted: TopicModel) -> None:
    topics, probs = fitted.transform(banking.embeddings[:N_BASE])
    assert np.array_equal(topics, fitted.topics_)
    assert np.allclose(probs, fitted.probabilities_)
    new_topics, _ = fitted.transform(banking.embeddings[N_BASE:])
    assert (new_topics == -1).mean() < 0.10
    assert set(new_topics.tolist()) - {-1} <= set(fitted.topic_ids_.tolist())


@pytest.mark.slow
def test_model_topic_info_has_readable_lemmatised_words(fitted: TopicModel) -> None:
    info = [t for t in fitted.topic_info if t.topic != -1]
    assert sum(t.size for t in fitted.topic_info) == N_BASE
    assert all(t.label and 1 <= len(t.words) <= 10 for t in info)
    words = {w for t in info for w in t.words}
    assert "card" in words and "cards" not in words  # lemmatised
    assert not words & {"the", "my", "hi", "please"}
    assert all(len(t.representatives) >= 1 for t in info)
    assert all(fitted.topics_[i] == t.topic for t in info for i in t.representatives)


def test_model_used_before_fit_says_so() -> None:
    with pytest.raises(ModelError) as err:
        TopicModel().transform(np.zeros((3, 8), dtype=np.float32))
    assert err.value.code == "E302" and "fit()" in str(err.value)


@pytest.mark.parametrize("texts,embeddings,code", [
    (["a"] * 10, np.zeros((10, 4)), "E303"),
    (["a"] * 40, np.zeros((39, 4)), "E304"),
    (["a"] * 40, np.zeros(40), "E305"),
])
def test_model_rejects_unusable_input_with_a_code(texts: list[str], embeddings: np.ndarray, code: str) -> None:
    with pytest.raises(ModelError) as err:
        TopicModel().fit(texts, embeddings)
    assert err.value.code == code


def test_model_rejects_invalid_settings() -> None:
    with pytest.raises(ModelError) as err:
        TopicModel(outlier_threshold=3.0).fit(["a"] * 40, np.zeros((40, 4)))
    assert err.value.code == "E308" and "outlier_threshold" in str(err.value)


@pytest.mark.slow
def test_model_transform_rejects_embeddings_of_another_size(fitted: TopicModel) -> None:
    with pytest.raises(ModelError) as err:
        fitted.transform(np.zeros((2, 12), dtype=np.float32))
    assert err.value.code == "E305"
