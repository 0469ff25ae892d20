"""Topic modelling: a fit/transform estimator composed from BERTopic's parts.

Modules: ``model`` (TopicModel), ``cluster`` (UMAP + HDBSCAN, centroid assignment), ``ctfidf``
and ``text`` (words), ``identity`` (stable ids across refits), ``persist`` (no-pickle folders),
``groups`` (over time / per channel). Quality metrics, the labelled corpora and the evaluation
against BERTopic are in ``insight.training.topics``.
"""

from insight.topics.model import TopicInfo, TopicModel

__all__ = ["TopicInfo", "TopicModel"]
