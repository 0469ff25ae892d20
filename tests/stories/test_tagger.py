"""The story tagger: scores every tag from descriptions alone, a new revision per examples, no tags is an error."""

from __future__ import annotations

import numpy as np
import pytest

from insight.errors import ModelError
from insight.signals.embedder import embed
from insight.stories.model import fit_tagger, story_scores
from insight.stories.tagger import StoryTagger
from insight.stories.taxonomy import Taxonomy, load_taxonomy
from tests.support.stories import A1_STORY, DEMO_TAXONOMY, demo_seeds

pytestmark = pytest.mark.slow


def test_tagger_from_descriptions_alone_scores_every_tag() -> None:
    tax = load_taxonomy(DEMO_TAXONOMY)
    tagger = fit_tagger(tax, [])
    scores = tagger.scores(embed([A1_STORY]))
    assert scores.shape == (1, len(tax.ids)) == (1, 5) and tax.ids[int(scores.argmax())] == "mentor_guidance"
    # Every new example is a new revision: the audit trail names exactly what the tagger saw.
    assert tagger.revision_ != fit_tagger(tax, demo_seeds()).revision_


def test_tagger_without_tags_is_a_coded_error() -> None:
    with pytest.raises(ModelError) as err:
        StoryTagger(Taxonomy("empty", ())).fit(np.zeros((0, 384)))
    assert err.value.code == "E331"


def _two_tag_tagger() -> StoryTagger:
    tagger = StoryTagger(Taxonomy("t", load_taxonomy(DEMO_TAXONOMY).tags[:2]))
    return tagger.fit(np.eye(2, 384, dtype=np.float32))


def test_a_second_tag_needs_the_threshold_and_to_be_near_the_best() -> None:
    tagger = _two_tag_tagger()
    first, second = tagger.taxonomy.ids
    decided = tagger.decide(np.array([[0.9, 0.8], [0.9, 0.6], [0.3, 0.2]]))
    assert [[t for t, _ in row] for row in decided] == [[first, second], [first], [first]]


def test_a_story_scores_its_best_sentence_for_each_tag() -> None:
    """Two mechanisms in two sentences: each tag's score takes the sentence that shows it."""
    tagger = _two_tag_tagger()
    whole = np.array([[0.5, 0.5], [0.5, 0.5]])
    sentences = np.array([[0.9, 0.1], [0.1, 0.9]])
    blended = tagger.blend(whole, sentences, [0, 0])
    w = tagger.params.sentence_weight
    assert np.allclose(blended[0], 0.5 * (1 - w) + 0.9 * w)
    assert np.allclose(blended[1], whole[1])  # no sentence scored: the whole text alone


def test_story_scores_blend_sentences_of_real_stories() -> None:
    tax = load_taxonomy(DEMO_TAXONOMY)
    tagger = fit_tagger(tax, demo_seeds())
    vectors = embed([A1_STORY])
    blended = story_scores(tagger, [A1_STORY], vectors)
    whole = tagger.scores(vectors)
    assert blended.shape == whole.shape and not np.allclose(blended, whole)
    assert tax.ids[int(blended.argmax())] == "mentor_guidance"
