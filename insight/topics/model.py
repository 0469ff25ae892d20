"""TopicModel: BERTopic (UMAP + HDBSCAN + c-TF-IDF) on precomputed embeddings, seeded.

First version (issue 2): seeded for reproducibility, outliers reassigned to their nearest
topic by embedding similarity, readable labels. Stable ids across refits and scale come later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from insight.errors import ModelError

# Words that carry no topic in forum text: greetings, thanks and chat filler.
FORUM_STOP_WORDS = {
    "hi", "hello", "hey", "thanks", "thank", "thx", "cheers", "regards", "please", "just", "like", "know",
    "think", "does", "did", "doing", "got", "get", "use", "using", "used", "ve", "ll", "don", "didn", "doesn",
    "isn", "wasn", "im", "it", "anyone", "guys", "folks", "team", "yes", "yeah", "ok", "okay", "really", "also",
    "person", "email", "phone", "url", "secret",
}


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class TopicInfo:
    topic: int
    label: str
    words: tuple[str, ...]
    size: int

    def as_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "label": self.label, "words": list(self.words), "size": self.size}


class TopicModel:
    """Fit topics on texts with their embeddings; ``topic -1`` means outlier.

    Args:
        seed: random state for UMAP; the same input and seed give the same topics.
        min_topic_size: smallest cluster HDBSCAN keeps.
        reduce_outliers: move outliers to the most similar topic (embedding cosine).
        umap_neighbors, umap_components: UMAP settings.
    """

    def __init__(self, seed: int = 42, min_topic_size: int = 10, reduce_outliers: bool = True,
                 umap_neighbors: int = 15, umap_components: int = 5) -> None:
        self.seed = seed
        self.min_topic_size = min_topic_size
        self.reduce_outliers = reduce_outliers
        self.umap_neighbors = umap_neighbors
        self.umap_components = umap_components

    def _build(self, n_docs: int):  # type: ignore[no-untyped-def]
        from bertopic import BERTopic
        from hdbscan import HDBSCAN
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
        from umap import UMAP

        umap_model = UMAP(n_neighbors=min(self.umap_neighbors, n_docs - 1), n_components=self.umap_components,
                          min_dist=0.0, metric="cosine", random_state=self.seed, n_jobs=1)
        hdbscan_model = HDBSCAN(min_cluster_size=self.min_topic_size, metric="euclidean",
                                cluster_selection_method="eom", prediction_data=True)
        vectorizer = CountVectorizer(
            stop_words=sorted(ENGLISH_STOP_WORDS | FORUM_STOP_WORDS),
            token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]{2,}\b",  # words, not numbers or code punctuation
            min_df=2 if n_docs >= 200 else 1,
        )
        return BERTopic(umap_model=umap_model, hdbscan_model=hdbscan_model, vectorizer_model=vectorizer,
                        calculate_probabilities=False, verbose=False)

    def fit(self, texts: Sequence[str], embeddings: np.ndarray) -> TopicModel:
        minimum = max(2 * self.min_topic_size, 20)
        if len(texts) < minimum:
            raise ModelError("E303", n=len(texts), minimum=minimum)
        docs = list(texts)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        model = self._build(len(docs))
        topics, probs = model.fit_transform(docs, embeddings=embeddings)
        topics = list(topics)
        probs = np.asarray(probs if probs is not None else np.ones(len(docs)), dtype=np.float64)
        if self.reduce_outliers and -1 in topics and len(set(topics) - {-1}) > 0:
            new_topics = model.reduce_outliers(docs, topics, strategy="embeddings", embeddings=embeddings)
            with _quiet("BERTopic"):  # its warning about custom assignments is about later reductions we never do
                model.update_topics(docs, topics=new_topics, vectorizer_model=model.vectorizer_model)
            topics = list(new_topics)
        self.model_ = model
        self.topics_ = np.asarray(topics, dtype=np.int64)
        self.probabilities_ = self._confidence(embeddings, self.topics_, probs)
        self.info_ = self._info(model, self.topics_)
        return self

    def fit_transform(self, texts: Sequence[str], embeddings: np.ndarray) -> list[tuple[int, float]]:
        self.fit(texts, embeddings)
        return [(int(t), float(p)) for t, p in zip(self.topics_, self.probabilities_, strict=True)]

    @property
    def topic_info(self) -> list[TopicInfo]:
        if not hasattr(self, "info_"):
            raise ModelError("E302", what="This TopicModel", action="reading topic_info")
        return self.info_

    @staticmethod
    def _confidence(embeddings: np.ndarray, topics: np.ndarray, hdbscan_probs: np.ndarray) -> np.ndarray:
        """HDBSCAN's membership strength; for reassigned outliers, cosine to the topic centroid."""
        out = np.clip(hdbscan_probs.astype(np.float64), 0.0, 1.0)
        for topic in set(topics.tolist()) - {-1}:
            mask = topics == topic
            centroid = embeddings[mask].mean(axis=0)
            centroid /= np.linalg.norm(centroid) or 1.0
            sims = np.clip(embeddings[mask] @ centroid, 0.0, 1.0)
            weak = out[mask] <= 0.0  # outliers moved here had no HDBSCAN membership
            out[np.where(mask)[0][weak]] = sims[weak]
        return np.round(out, 6)

    @staticmethod
    def _info(model, topics: np.ndarray) -> list[TopicInfo]:  # type: ignore[no-untyped-def]
        sizes = {int(t): int((topics == t).sum()) for t in set(topics.tolist())}
        info = []
        for topic in sorted(sizes):
            words = tuple(w for w, _ in (model.get_topic(topic) or [])[:10] if w)
            label = "outliers" if topic == -1 else ", ".join(words[:4]) or f"topic {topic}"
            info.append(TopicInfo(topic=topic, label=label, words=words, size=sizes[topic]))
        return info
