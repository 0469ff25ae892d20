"""The story tagger: scores every tag from descriptions alone, a new revision per examples, no tags is an error."""

from __future__ import annotations

import numpy as np
import pytest

from insight.errors import ModelError
from insight.signals.embedder import embed
from insight.stories.model import fit_tagger
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
