"""Reduction and clustering (BERTopic's UMAP + HDBSCAN), seeded, then a nearest-centroid rule.

HDBSCAN alone leaves 30-50% of posts as noise; here its clusters only define the topics, and
every document (fit sample, the rest of the corpus, new posts later) is assigned to the topic
with the most similar centroid in embedding space. Fit and transform therefore apply one rule,
assignment is a matrix product that runs in batches, and only documents unlike every topic
(cosine below ``outlier_threshold``) stay in topic -1.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np


def normalize(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def cluster(embeddings: np.ndarray, *, seed: int, n_neighbors: int, n_components: int,
            min_cluster_size: int) -> np.ndarray:
    """HDBSCAN labels (-1 = noise) on a seeded UMAP reduction; identical for identical input."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    n = len(embeddings)
    # n_jobs=1: UMAP is only reproducible single-threaded (its parallel SGD races).
    reducer = UMAP(n_neighbors=min(n_neighbors, n - 1), n_components=n_components, min_dist=0.0,
                   metric="cosine", random_state=seed, n_jobs=1)
    logging.getLogger("umap").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden by random_state": that is the point
        reduced = reducer.fit_transform(embeddings)
    labels = HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean",
                     cluster_selection_method="eom").fit_predict(reduced)
    return np.asarray(labels, dtype=np.int64)


def order_by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0..k-1, largest first (ties: first appearance); noise stays -1."""
    found = [c for c in np.unique(labels) if c >= 0]
    sizes = {c: int((labels == c).sum()) for c in found}
    first = {c: int(np.argmax(labels == c)) for c in found}
    order = sorted(found, key=lambda c: (-sizes[c], first[c]))
    mapping = {c: i for i, c in enumerate(order)}
    return np.asarray([mapping.get(int(c), -1) for c in labels], dtype=np.int64)


def centroids(embeddings: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit mean direction of each cluster 0..k-1."""
    out = np.zeros((k, embeddings.shape[1]), dtype=np.float64)
    np.add.at(out, labels[labels >= 0], embeddings[labels >= 0])
    return normalize(out)


def assign(embeddings: np.ndarray, centres: np.ndarray, threshold: float,
           batch_size: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """(row of the nearest centre or -1, cosine similarity) per document, in batches."""
    rows = np.empty(len(embeddings), dtype=np.int64)
    sims = np.empty(len(embeddings), dtype=np.float32)
    for start in range(0, len(embeddings), batch_size):
        block = normalize(embeddings[start:start + batch_size]) @ centres.T.astype(np.float32)
        best = block.argmax(axis=1)
        rows[start:start + len(block)] = best
        sims[start:start + len(block)] = block[np.arange(len(block)), best]
    rows[sims < threshold] = -1
    return rows, sims
