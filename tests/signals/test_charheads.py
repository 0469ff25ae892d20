"""Character n-gram safety heads: only the used slots are stored, and a saved head predicts the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from insight.signals.charheads import N_FEATURES, CharHeads, vectorizer


def _fitted() -> CharHeads:
    from sklearn.linear_model import LogisticRegression

    texts = ["i will hurt you", "i want to die tonight", "kill the process", "great release, thanks"] * 3
    y = np.array([[1, 0], [0, 1], [0, 0], [0, 0]] * 3)
    features = vectorizer().transform(texts)
    models = [LogisticRegression(C=10.0, max_iter=500).fit(features, y[:, j]) for j in range(2)]
    return CharHeads.from_dense(np.array([m.coef_[0] for m in models]), np.array([m.intercept_[0] for m in models]))


def test_char_heads_keep_only_the_slots_the_training_text_touched() -> None:
    heads = _fitted()
    assert 0 < len(heads.slots) < N_FEATURES // 100
    assert heads.weights.shape == (len(heads.slots), 2)


def test_char_heads_read_the_words_and_survive_a_save(tmp_path: Path) -> None:
    heads = _fitted()
    probs = heads.predict(["i will hurt you", "i want to die", "thanks for the release"])
    assert probs[0, 0] > probs[2, 0] and probs[1, 1] > probs[2, 1]
    heads.save(tmp_path / "chars.safetensors")
    assert np.allclose(CharHeads.load(tmp_path / "chars.safetensors").predict(["i will hurt you"]), probs[:1])
