"""Stable topic ids across refits: match new clusters to old topics, record splits and merges.

The previous model assigns the new fit sample (nearest old centroid); the overlap between that
assignment and the new clusters is a contingency table. The Hungarian algorithm pairs new
clusters with old topics maximising shared documents; a pair is kept when the new cluster gets
at least ``min_share`` of its documents from the old topic, and inherits the old id and label;
the topic starts from its old centroid (the caller then moves every centroid to the mean of the
documents it gets), so documents near a border do not swap topics because the new sample was
cut slightly differently.

A refit keeps the old granularity unless the data says otherwise: HDBSCAN on a different
sample cuts some topics finer or coarser by chance, and renumbering for that would move
documents for no reason. So an unpaired new cluster becomes a topic (``split`` when most of
its documents come from one old topic, else ``new``) only if it is more distinct than old
topics are from each other: its centroid's cosine to every topic is below the median cosine
between an old topic and its nearest neighbour (``novelty``). Otherwise its documents simply go
to the nearest topic. An unpaired old topic is ``merged`` into a kept topic that is a near
duplicate (cosine at least ``duplicate``), and otherwise stays as it was (``kept``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Lineage:
    """One event of a fit or refit: ``kind`` is new, kept, split or merged."""

    refit: int
    kind: str
    topic: int
    sources: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"refit": self.refit, "kind": self.kind, "topic": self.topic, "sources": list(self.sources)}

    @classmethod
    def from_dict(cls, row: dict) -> Lineage:  # type: ignore[type-arg]
        return cls(int(row["refit"]), str(row["kind"]), int(row["topic"]), tuple(int(s) for s in row["sources"]))


@dataclass(frozen=True)
class Previous:
    """What a refit needs of the previous model."""

    centroids: np.ndarray
    ids: np.ndarray
    next_id: int
    refit: int


def reconcile(new_centres: np.ndarray, new_labels: np.ndarray, old_rows: np.ndarray, previous: Previous,
              min_share: float = 0.3, duplicate: float = 0.9,
              novelty: float | None = None) -> tuple[np.ndarray, np.ndarray, list[Lineage], int]:
    """(final centroids, their ids, lineage events, next free id).

    Args:
        new_centres: centroid of each new cluster 0..k-1.
        new_labels: new cluster of each sample document (-1 = none).
        old_rows: row of the previous model's topic for the same documents (-1 = outlier).
        novelty: the cosine a new cluster must stay below; default from the old topics' spacing.
    """
    if novelty is None:
        novelty = neighbour_similarity(previous.centroids)
    k_new, k_old = len(new_centres), len(previous.ids)
    refit, next_id = previous.refit + 1, previous.next_id
    table = np.zeros((k_new, k_old), dtype=np.int64)
    both = (new_labels >= 0) & (old_rows >= 0)
    np.add.at(table, (new_labels[both], old_rows[both]), 1)
    new_sizes = np.maximum(np.bincount(new_labels[new_labels >= 0], minlength=k_new), 1)
    paired: dict[int, int] = {}  # new cluster -> old row
    if k_old and k_new:
        for j, i in zip(*linear_sum_assignment(-table), strict=True):
            if table[j, i] >= min_share * new_sizes[j]:
                paired[int(j)] = int(i)
    centres = [previous.centroids[i] for i in paired.values()]
    ids = [int(previous.ids[i]) for i in paired.values()]
    events = [Lineage(refit, "kept", int(previous.ids[i]), (int(previous.ids[i]),)) for i in paired.values()]
    paired_old = set(paired.values())
    for i in range(k_old):  # old topics this sample did not pair: merged if a kept topic is the same
        if i in paired_old:
            continue
        sims = np.asarray(centres) @ previous.centroids[i] if centres else np.zeros(0)
        if len(sims) and sims.max() >= duplicate:
            events.append(Lineage(refit, "merged", ids[int(sims.argmax())], (int(previous.ids[i]),)))
        else:
            centres.append(previous.centroids[i])
            ids.append(int(previous.ids[i]))
            events.append(Lineage(refit, "kept", int(previous.ids[i]), (int(previous.ids[i]),)))
    for j in range(k_new):  # new clusters: a topic only if unlike every topic there is
        if j in paired or (centres and float((np.asarray(centres) @ new_centres[j]).max()) >= novelty):
            continue
        parent = int(table[j].argmax()) if k_old else -1
        split = parent >= 0 and parent in paired_old and table[j, parent] >= 0.5 * new_sizes[j]
        events.append(Lineage(refit, "split" if split else "new", next_id,
                              (int(previous.ids[parent]),) if split else ()))
        centres.append(new_centres[j])
        ids.append(next_id)
        next_id += 1
    order = np.argsort(ids, kind="stable")
    return (np.asarray(centres, dtype=np.float32)[order], np.asarray(ids, dtype=np.int64)[order], events, next_id)


def neighbour_similarity(centroids: np.ndarray) -> float:
    """Median cosine between a topic centroid and its nearest other centroid (1.0 for one topic)."""
    if len(centroids) < 2:
        return 1.0
    sims = centroids @ centroids.T
    np.fill_diagonal(sims, -np.inf)
    return float(np.median(sims.max(axis=1)))
