"""Contrastive fine-tuning of the embedder on tagged examples."""

from __future__ import annotations

import pytest

from insight.signals.embedder import embed
from tests.support.stories import A1_STORY, A2_STORY

pytestmark = pytest.mark.slow


def test_contrastive_fine_tuning_pulls_same_tag_examples_together() -> None:
    from insight.training.stories.contrastive import encode_with, fine_tune

    texts = [A1_STORY, "A mentor walked me through my first deploy and now I run production myself.", A2_STORY]
    before = embed(texts)
    after = encode_with(fine_tune(texts, [("mentor",), ("mentor",), ("deal",)], epochs=3, lr=1e-4), texts)
    assert after[0] @ after[1] > before[0] @ before[1]  # same tag: closer
    assert after[0] @ after[2] < before[0] @ before[2]  # different tags: further apart
