"""Real data for the topic tests: a seeded sample of Banking77 member questions, embedded once.

Embeddings come from the packaged all-MiniLM-L6-v2 in the test itself (a few seconds for
2,400 short texts), so no test depends on a cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from insight.training.topics.datasets import load_banking77
from tests.support.paths import SHARED_DATA

N_BASE = 2000
N_ALL = 2400  # the refit sees 20% more documents


@dataclass(frozen=True)
class Sample:
    texts: list[str]
    labels: np.ndarray
    embeddings: np.ndarray


def banking_sample() -> Sample:
    """``N_ALL`` Banking77 questions picked with seed 7 (in corpus order), their intents and embeddings."""
    from insight.signals.embedder import encode

    corpus = load_banking77(SHARED_DATA)
    pick = np.sort(np.random.default_rng(7).choice(len(corpus.texts), size=N_ALL, replace=False))
    texts = [corpus.texts[i] for i in pick]
    return Sample(texts, corpus.labels[pick], encode(texts))
