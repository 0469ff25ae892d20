"""Topic modelling: a fit/transform estimator composed from BERTopic's parts.

Modules: ``model`` (TopicModel), ``cluster`` (UMAP + HDBSCAN, centroid assignment), ``ctfidf``
and ``text`` (words), ``identity`` (stable ids across refits), ``persist`` (no-pickle folders),
``groups`` (over time / per channel), ``metrics`` and ``evaluate`` (quality vs BERTopic),
``datasets`` (labelled corpora and the embedding cache).
"""

from insight.topics.model import TopicInfo, TopicModel

__all__ = ["TopicInfo", "TopicModel"]
