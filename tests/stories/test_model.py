"""Tagging texts with the real detector and tagger (MiniLM embeddings): stories tagged, chatter left alone."""

from __future__ import annotations

import pytest

from insight.stories.detect import MIN_WORDS, load_detector
from insight.stories.model import fit_tagger, tag_texts
from insight.stories.taxonomy import load_taxonomy
from tests.support.stories import A1_STORY, A2_STORY, DEMO_TAXONOMY, demo_seeds

pytestmark = pytest.mark.slow


def test_tagger_tags_stories_and_leaves_chatter_untagged() -> None:
    tax = load_taxonomy(DEMO_TAXONOMY)
    tagger = fit_tagger(tax, demo_seeds())
    texts = [A1_STORY, A2_STORY, "How do I rotate my API key without downtime for the clients that use it today?",
             "Thanks!"]
    results = tag_texts(texts, tagger, load_detector())
    assert [r.is_story for r in results] == [True, True, False, False]
    assert results[0].tags[0][0] == "mentor_guidance"
    assert results[1].tags[0][0] == "peer_answer_saved_deal"
    assert results[2].tags == () and results[3].tags == ()
    assert len("Thanks!".split()) < MIN_WORDS and results[3].story_score == 0.0
