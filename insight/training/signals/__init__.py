"""Training and evaluation of the signals model (``insight.signals.model``): ``train``, ``evaluate``."""
