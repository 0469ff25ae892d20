"""The project's own multi-task signals model: sentiment, emotion, offensive and hate heads on MiniLM.

Serving only; training and evaluation of the model are in ``insight.training.signals``.
"""
