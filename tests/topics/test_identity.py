"""Stable topic ids: a refit on more data keeps documents on their topic id; lineage is recorded."""

from __future__ import annotations

import numpy as np
import pytest

from insight.errors import ModelError
from insight.topics.identity import Previous, reconcile
from insight.topics.model import TopicModel
from tests.support.topics import N_BASE, Sample


@pytest.mark.slow
def test_identity_refit_on_20_percent_more_keeps_90_percent_on_their_id(banking: Sample, fitted: TopicModel) -> None:
    refit = TopicModel(seed=11).fit(banking.texts, banking.embeddings, previous=fitted)
    kept = (refit.topics_[:N_BASE] == fitted.topics_).mean()
    assert kept >= 0.90
    assert refit.refit_ == 1
    events = [e for e in refit.lineage_ if e.refit == 1]
    assert {e.kind for e in events} <= {"kept", "split", "merged", "new"}
    kept_ids = {e.topic for e in events if e.kind == "kept"}
    assert kept_ids and all(refit.labels_[t] == fitted.labels_[t] for t in kept_ids if t in fitted.labels_)
    assert refit.next_id_ >= fitted.next_id_
    fresh = {e.topic for e in events if e.kind in ("split", "new")}
    assert not fresh & set(fitted.topic_ids_.tolist())  # a new topic never reuses an old id


@pytest.mark.slow
def test_identity_refit_needs_the_same_embedder(banking: Sample, fitted: TopicModel) -> None:
    other = np.random.default_rng(0).normal(size=(N_BASE, 16)).astype(np.float32)
    with pytest.raises(ModelError) as err:
        TopicModel(seed=11).fit(banking.texts[:N_BASE], other, previous=fitted)
    assert err.value.code == "E309"


def _unit(*rows: list[float]) -> np.ndarray:
    out = np.asarray(rows, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_identity_reconcile_records_kept_split_and_merged() -> None:
    # Old topics 10 (x axis), 11 (y axis), 12 (close to 11). The new sample: one cluster on x,
    # one new direction z cut out of topic 10's documents, one cluster covering 11 and 12.
    old = Previous(centroids=_unit([1, 0, 0], [0, 1, 0], [0, 0.99, 0.14]), ids=np.array([10, 11, 12]), next_id=13,
                   refit=0)
    new_centres = _unit([1, 0.05, 0], [0.3, 0, 1], [0, 1, 0.05])
    new_labels = np.array([0] * 10 + [1] * 6 + [2] * 10)
    old_rows = np.array([0] * 10 + [0] * 6 + [1] * 6 + [2] * 4)
    centres, ids, events, next_id = reconcile(new_centres, new_labels, old_rows, old)
    kinds = {(e.kind, e.topic, e.sources) for e in events}
    assert ("kept", 10, (10,)) in kinds and ("kept", 11, (11,)) in kinds
    assert ("split", 13, (10,)) in kinds  # the z cluster came out of topic 10
    assert ("merged", 11, (12,)) in kinds  # 12 is the same direction as 11
    assert ids.tolist() == [10, 11, 13] and next_id == 14
    assert np.allclose(centres[0], old.centroids[0])  # a kept topic starts from its old centroid
