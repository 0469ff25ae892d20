"""Training and evaluation: how the project's models and the figures on their cards are made.

Why here, inside the package, and not in a scripts folder beside it:

- one install: the commands need the same code, dependencies and model classes as serving
  (``insight.signals.model``, ``insight.stories.detect``, ``insight.topics.model``), and
  ``pip install -e .`` gives them all; nothing else to put on a path;
- ``python -m insight.training...`` works from any clone, with no path set-up: models and the
  written story sets are read from the model store (``insight.model_store``), data sets from
  ``--data`` (``../shared/data`` by default);
- it is at the top of the layer graph, beside the CLI and the API: training imports serving code,
  never the reverse, so scoring a post never loads training code (tests/test_layers.py holds it).

Commands (each has ``--help``):

    python -m insight.training.signals.train --data ../shared/data --out models/signals --stop-at 3600
    python -m insight.training.signals.fit_heads --data ../shared/data --out models/signals
    python -m insight.training.signals.evaluate --data ../shared/data
    python -m insight.training.stories.train_detector
    python -m insight.training.stories.evaluate --data ../shared/data
    python -m insight.training.topics.evaluate --data ../shared/data --out models/topics/eval.json

Modules: ``signals`` (the multi-task signals model: ``train``, ``evaluate``), ``stories`` (the
story detector and tagger: ``sets`` reads the written sets, ``train_detector``, ``evaluate``,
``contrastive`` the measured SetFit-style alternative), ``topics`` (``datasets`` the labelled
corpora and their embedding cache, ``metrics`` topic quality, ``evaluate`` against BERTopic).
"""
