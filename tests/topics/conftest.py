"""Topic fixtures: a model fitted once on the first 2,000 questions of the Banking77 sample
(``banking``, in tests/conftest.py)."""

from __future__ import annotations

import pytest

from insight.topics.model import TopicModel
from tests.support.topics import N_BASE, Sample


@pytest.fixture(scope="session")
def fitted(banking: Sample) -> TopicModel:
    """Fit on the first 2,000 of the sample."""
    return TopicModel(seed=11).fit(banking.texts[:N_BASE], banking.embeddings[:N_BASE])
