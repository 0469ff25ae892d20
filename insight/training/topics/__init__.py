"""Evaluation of the topic model (``insight.topics.model``): ``datasets``, ``metrics``, ``evaluate``."""
