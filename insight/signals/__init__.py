"""Per-post signals from models: one encoder, its heads, the embeddings, and the stages that run them.

- ``model`` and ``scorer``: the project's own multi-task model (sentiment, emotion, offensive and
  hate heads on MiniLM), its weights from the model store, one pass per batch;
- ``normalize``: the one surface form of text for training and scoring;
- ``embedder``: the one path from text to sentence embedding (the packaged all-MiniLM-L6-v2),
  used by the stages, topics and stories;
- ``sentiment``: sentiment models behind one interface (VADER baseline, a hub model, the heads);
- ``stages``: the pipeline stages (``insight.signals.v1``, ``insight.embed.v1``, ``insight.sentiment.v1``).

Serving only: training and evaluation of the model are in ``insight.training.signals``. Safety
verdicts combine these heads with rules in ``insight.safety``.
"""
