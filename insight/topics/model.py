"""TopicModel: a fit/transform estimator composed from BERTopic's parts, on precomputed embeddings.

    fit sample (seeded) -> UMAP -> HDBSCAN -> topic centroids -> every doc to its nearest centroid
                                                              -> c-TF-IDF over lemmas, in batches

- Reproducible: the sample, UMAP (``random_state``, one thread) and HDBSCAN are deterministic,
  so the same input and seed give identical assignments and words.
- Few outliers: HDBSCAN's clusters define the topics, but documents are assigned by centroid
  similarity (``insight.topics.cluster``); only those unlike every topic stay in -1.
- Stable ids: ``fit(..., previous=model)`` maps new clusters onto the previous model's topics
  (``insight.topics.identity``), keeping ids and labels and recording splits and merges.
- Scale: UMAP and HDBSCAN see at most ``max_fit_docs`` documents; assignment and term counting
  run in batches, so memory grows with the embeddings you pass, not with clustering cost.
- Saved without pickle (``insight.topics.persist``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from insight.errors import ModelError
from insight.topics import cluster as clu
from insight.topics.ctfidf import TopicTerms, ctfidf, sum_rows, top_words
from insight.topics.identity import Lineage, Previous, reconcile
from insight.topics.text import label_words

N_REPRESENTATIVES = 3


@dataclass(frozen=True)
class TopicInfo:
    topic: int
    label: str
    words: tuple[str, ...]
    size: int
    representatives: tuple[int, ...] = field(default=(), compare=False)  # row numbers in the fit input

    def as_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "label": self.label, "words": list(self.words), "size": self.size}


class TopicModel:
    """Topics for texts with their embeddings; ``topic -1`` means outlier.

    Args:
        seed: random state of the fit sample and UMAP.
        min_topic_size: smallest cluster HDBSCAN keeps, at least.
        min_topic_share: ... and at least this share of the fit sample (1/400 by default), so a
            large corpus gets topics a reader can take in, not hundreds of slivers.
        umap_neighbors, umap_components: UMAP settings.
        outlier_threshold: a document whose cosine similarity to every topic centroid is below
            this stays in topic -1.
        max_fit_docs: UMAP and HDBSCAN run on a seeded sample of at most this many documents;
            the rest are assigned in batches.
        n_words: words kept per topic.
        batch_size: documents per assignment / counting batch.
    """

    def __init__(self, seed: int = 42, min_topic_size: int = 10, min_topic_share: float = 0.0025,
                 umap_neighbors: int = 15, umap_components: int = 5, outlier_threshold: float = 0.2,
                 max_fit_docs: int = 20000, n_words: int = 10, batch_size: int = 20000) -> None:
        self.seed = seed
        self.min_topic_size = min_topic_size
        self.min_topic_share = min_topic_share
        self.umap_neighbors = umap_neighbors
        self.umap_components = umap_components
        self.outlier_threshold = outlier_threshold
        self.max_fit_docs = max_fit_docs
        self.n_words = n_words
        self.batch_size = batch_size

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, previous: TopicModel | None = None) -> TopicModel:
        """Learn topics; with ``previous``, topics that persist keep their id and label.

        Raises:
            ModelError: E303 too few documents, E304/E305 embeddings that do not fit the texts,
                E308 invalid settings, E309 a previous model with other embeddings.
        """
        self._check_params()
        texts = list(texts)
        embeddings = self._check_embeddings(embeddings, len(texts))
        minimum = max(2 * self.min_topic_size, 20)
        if len(texts) < minimum:
            raise ModelError("E303", n=len(texts), minimum=minimum)
        if previous is not None:  # before the costly part: a wrong previous model fails fast
            previous._require_fitted("refitting from it")
            if previous.centroids_.shape[1] != embeddings.shape[1]:
                raise ModelError("E309", old=previous.centroids_.shape[1], new=embeddings.shape[1])
        sample = self._sample(len(texts))
        fit_vectors = clu.normalize(embeddings[sample])
        labels = clu.order_by_size(clu.cluster(fit_vectors, seed=self.seed, n_neighbors=self.umap_neighbors,
                                               n_components=self.umap_components,
                                               min_cluster_size=self.cluster_size(len(sample))))
        if labels.max() < 0:
            labels = np.zeros_like(labels)  # no density structure at all: one topic, not all outliers
        centres = clu.centroids(fit_vectors, labels, int(labels.max()) + 1)
        self.centroids_, self.topic_ids_, self.lineage_, self.next_id_, self.refit_ = self._identities(
            fit_vectors, labels, centres, previous)
        k = len(self.topic_ids_)
        # One Lloyd step: each centroid becomes the mean of the sample documents nearest to it,
        # so fit and transform apply the same rule to the same centres.
        sample_rows, _ = clu.assign(fit_vectors, self.centroids_, -1.0, self.batch_size)
        moved = clu.centroids(fit_vectors, sample_rows, k)
        empty = np.bincount(sample_rows, minlength=k) == 0
        self.centroids_ = np.where(empty[:, None], self.centroids_, moved).astype(np.float32)
        rows, sims = clu.assign(embeddings, self.centroids_, self.outlier_threshold, self.batch_size)
        self.topics_ = np.where(rows >= 0, self.topic_ids_[np.maximum(rows, 0)], -1)
        self.probabilities_ = np.round(np.clip(sims.astype(np.float64), 0.0, 1.0), 6)
        self.terms_ = TopicTerms()
        self.term_counts_ = self._count_terms(texts, sample, rows, k)
        self.sizes_ = np.bincount(rows[rows >= 0], minlength=k)
        self.n_outliers_ = int((rows < 0).sum())
        old_labels = previous.labels_ if previous is not None else {}
        self._describe(old_labels, self._representatives(rows, sims, k))
        return self

    def fit_transform(self, texts: Sequence[str], embeddings: np.ndarray,
                      previous: TopicModel | None = None) -> tuple[np.ndarray, np.ndarray]:
        self.fit(texts, embeddings, previous)
        return self.topics_, self.probabilities_

    def cluster_size(self, n_fit: int) -> int:
        """The smallest topic HDBSCAN keeps on ``n_fit`` documents."""
        return max(self.min_topic_size, round(self.min_topic_share * n_fit))

    def _check_params(self) -> None:
        checks = [("min_topic_size", self.min_topic_size >= 2, "at least 2"),
                  ("min_topic_share", 0.0 <= self.min_topic_share < 0.5, "a share between 0 and 0.5"),
                  ("umap_neighbors", self.umap_neighbors >= 2, "at least 2"),
                  ("umap_components", self.umap_components >= 2, "at least 2"),
                  ("outlier_threshold", -1.0 <= self.outlier_threshold <= 1.0, "a cosine between -1 and 1"),
                  ("max_fit_docs", self.max_fit_docs >= 100, "at least 100"),
                  ("n_words", self.n_words >= 1, "at least 1"),
                  ("batch_size", self.batch_size >= 1, "at least 1")]
        for name, ok, detail in checks:
            if not ok:
                raise ModelError("E308", name=name, value=getattr(self, name), detail=f"must be {detail}")

    def _check_embeddings(self, embeddings: np.ndarray, n_texts: int | None = None) -> np.ndarray:
        embeddings = np.asarray(embeddings, dtype=np.float32)
        dim = self.centroids_.shape[1] if hasattr(self, "centroids_") and n_texts is None else "any number of"
        if embeddings.ndim != 2 or (isinstance(dim, int) and embeddings.shape[1] != dim):
            raise ModelError("E305", dim=dim, shape=tuple(embeddings.shape))
        if n_texts is not None and len(embeddings) != n_texts:
            raise ModelError("E304", n_texts=n_texts, n_embeddings=len(embeddings))
        return embeddings

    def _sample(self, n: int) -> np.ndarray:
        if n <= self.max_fit_docs:
            return np.arange(n)
        return np.sort(np.random.default_rng(self.seed).choice(n, size=self.max_fit_docs, replace=False))

    def _identities(self, fit_vectors: np.ndarray, labels: np.ndarray, centres: np.ndarray,
                    previous: TopicModel | None) -> tuple[np.ndarray, np.ndarray, list[Lineage], int, int]:
        """(centroids, ids, lineage, next free id, refit number): fresh ids, or the previous model's."""
        k = len(centres)
        if previous is None:
            return centres, np.arange(k, dtype=np.int64), [Lineage(0, "new", i) for i in range(k)], k, 0
        old_rows, _ = clu.assign(fit_vectors, previous.centroids_, previous.outlier_threshold, self.batch_size)
        state = Previous(previous.centroids_, previous.topic_ids_, previous.next_id_, previous.refit_)
        final, ids, events, next_id = reconcile(centres, labels, old_rows, state)
        return final, ids, previous.lineage_ + events, next_id, state.refit + 1

    def _count_terms(self, texts: list[str], sample: np.ndarray, rows: np.ndarray, k: int) -> sparse.csr_matrix:
        """Topic x lemma counts: the sample's from the vocabulary pass, the rest in batches."""
        total = sum_rows(self.terms_.fit_counts([texts[i] for i in sample]), rows[sample], k)
        rest = np.setdiff1d(np.arange(len(texts)), sample, assume_unique=True)
        for start in range(0, len(rest), self.batch_size):
            batch = rest[start:start + self.batch_size]
            total = total + self.terms_.topic_counts([texts[i] for i in batch], rows[batch], k)
        return total.tocsr()

    @staticmethod
    def _representatives(rows: np.ndarray, sims: np.ndarray, k: int) -> list[tuple[int, ...]]:
        """The documents closest to each centroid."""
        order = np.lexsort((np.arange(len(rows)), -sims, rows))
        out: list[list[int]] = [[] for _ in range(k)]
        for i in order:
            row = rows[i]
            if row >= 0 and len(out[row]) < N_REPRESENTATIVES:
                out[row].append(int(i))
        return [tuple(r) for r in out]

    def _describe(self, old_labels: dict[int, str], representatives: list[tuple[int, ...]]) -> None:
        words = top_words(ctfidf(self.term_counts_), self.terms_.lemmas_, self.n_words)
        self.words_ = {int(t): tuple(w) for t, w in zip(self.topic_ids_, words, strict=True)}
        self.labels_ = {t: old_labels.get(t) or (", ".join(label_words(w)) or f"topic {t}")
                        for t, w in self.words_.items()}
        self.representatives_ = {int(t): r for t, r in zip(self.topic_ids_, representatives, strict=True)}

    # -- using a fitted model ------------------------------------------------------------------

    def _require_fitted(self, action: str) -> None:
        if not hasattr(self, "centroids_"):
            raise ModelError("E302", what="This TopicModel", action=action)

    def transform(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(topic id, similarity to its centroid) for new documents, without refitting."""
        self._require_fitted("calling transform()")
        embeddings = self._check_embeddings(embeddings)
        rows, sims = clu.assign(embeddings, self.centroids_, self.outlier_threshold, self.batch_size)
        topics = np.where(rows >= 0, self.topic_ids_[np.maximum(rows, 0)], -1)
        return topics, np.round(np.clip(sims.astype(np.float64), 0.0, 1.0), 6)

    def topic_words(self, n: int | None = None) -> dict[int, tuple[str, ...]]:
        """Top ``n`` lemmas per topic id (default: the ``n_words`` the model keeps)."""
        self._require_fitted("reading topic words")
        if n is None or n == self.n_words:
            return dict(self.words_)
        words = top_words(ctfidf(self.term_counts_), self.terms_.lemmas_, n)
        return {int(t): tuple(w) for t, w in zip(self.topic_ids_, words, strict=True)}

    @property
    def topic_info(self) -> list[TopicInfo]:
        """Topics by id (outliers first when there are any), with label, words and size."""
        self._require_fitted("reading topic_info")
        info = [TopicInfo(int(t), self.labels_[int(t)], self.words_[int(t)], int(s),
                          self.representatives_.get(int(t), ()))
                for t, s in zip(self.topic_ids_, self.sizes_, strict=True)]
        if self.n_outliers_:
            info.append(TopicInfo(-1, "outliers", (), self.n_outliers_))
        return sorted(info, key=lambda t: t.topic)

    def save(self, path: Path) -> Path:
        from insight.topics.persist import save

        self._require_fitted("saving")
        return save(self, Path(path))

    @classmethod
    def load(cls, path: Path) -> TopicModel:
        from insight.topics.persist import load

        return load(Path(path), cls)
