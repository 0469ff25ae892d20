"""Heads fitted on cached features: a fixed number of seeded full-batch steps gives the same weights."""

from __future__ import annotations

import numpy as np

from insight.training.signals.heads import fit_sigmoid, fit_softmax, sigmoid, softmax_argmax


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 16)).astype(np.float32)
    return x, (x[:, 0] + 0.3 * x[:, 1] > 0).astype(int)


def test_sigmoid_heads_are_identical_on_a_rerun_and_learn_the_labels() -> None:
    x, y = _data()
    labels = np.stack([y, 1 - y], axis=1)
    weight = np.ones(labels.shape, np.float32)
    first = fit_sigmoid(x, labels, weight, l2=1e-4, steps=100)
    second = fit_sigmoid(x, labels, weight, l2=1e-4, steps=100)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert ((sigmoid(x, *first)[:, 0] > 0.5) == y).mean() > 0.9


def test_softmax_head_starts_from_the_given_head_and_the_anchor_holds_it_near() -> None:
    x, y = _data()
    init = (np.zeros((2, 16), np.float32), np.zeros(2, np.float32))
    free = fit_softmax(x, y, np.ones(len(y), np.float32), init, anchor=0.0)
    held = fit_softmax(x, y, np.ones(len(y), np.float32), init, anchor=10.0)
    assert (softmax_argmax(x, *free) == y).mean() > 0.9
    assert np.abs(held[0]).sum() < np.abs(free[0]).sum()
