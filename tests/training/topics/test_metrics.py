"""The quality metrics behave as the paper's (gensim c_npmi, OCTIS diversity)."""

from __future__ import annotations

import math

import pytest

from insight.training.topics import metrics


def test_metrics_npmi_rewards_words_that_occur_together() -> None:
    corpus = [["rocket", "launch", "orbit"]] * 5 + [["bank", "card", "fee"]] * 5
    assert metrics.npmi([["rocket", "launch", "orbit"]], corpus) == pytest.approx(1.0, abs=1e-6)
    assert metrics.npmi([["rocket", "bank"]], corpus) == pytest.approx(-1.0, abs=0.06)
    assert metrics.npmi([["rocket", "absent"]], corpus) == 0.0


def test_metrics_npmi_uses_sliding_windows_of_ten_tokens() -> None:
    # "a" and "b" are 12 tokens apart in one long document: no window of 10 holds both.
    doc = ["a"] + [f"x{i}" for i in range(11)] + ["b"]
    single, joint, windows = metrics._cooccurrence([doc], {"a": 0, "b": 1})
    assert windows == 4 and single.tolist() == [1, 1] and joint[0, 1] == 0
    near = ["a", "b"] + [f"x{i}" for i in range(11)]
    single, joint, _ = metrics._cooccurrence([near], {"a": 0, "b": 1})
    assert joint[0, 1] == 1 and single.tolist() == [1, 2]


def test_metrics_diversity_is_share_of_unique_top_words() -> None:
    assert metrics.diversity([["a", "b"], ["a", "c"]], top_k=2) == 0.75
    assert metrics.nmi([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx(1.0)
    assert math.isclose(metrics.outlier_share([-1, 0, 0, -1]), 0.5)
