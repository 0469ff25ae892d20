"""Fit the tagger from a taxonomy and examples, and tag texts: detection gates, the tagger names tags.

Shared by ``insight stories tag`` (files), the stored loop (``insight.services.stories``) and the
evaluation (``insight.training.stories.evaluate``), so all three measure and run the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from insight.signals.embedder import embed
from insight.stories.detect import StoryDetector
from insight.stories.examples import Example
from insight.stories.tagger import StoryTagger, TaggerParams
from insight.stories.taxonomy import Taxonomy


@dataclass(frozen=True)
class Tagged:
    is_story: bool
    story_score: float
    tags: tuple[tuple[str, float], ...]

    def as_dict(self) -> dict[str, object]:
        return {"is_story": self.is_story, "story_score": round(self.story_score, 4),
                "tags": [{"tag": t, "score": round(s, 4)} for t, s in self.tags]}


def description_texts(taxonomy: Taxonomy) -> list[str]:
    """What a tag's prototype embeds: its name and description."""
    return [f"{t.name}. {t.description}" for t in taxonomy.tags]


def fit_tagger(taxonomy: Taxonomy, examples: Sequence[Example], params: TaggerParams | None = None,
               cache: Path | None = None) -> StoryTagger:
    """A tagger trained on ``examples`` (any number, zero included)."""
    tag_vectors = embed(description_texts(taxonomy), cache)
    vectors = embed([e.text for e in examples], cache) if examples else None
    tagger = StoryTagger(taxonomy, params or TaggerParams())
    return tagger.fit(tag_vectors, vectors, [e.tags for e in examples])


def tag_vectors(vectors: np.ndarray, texts: Sequence[str], tagger: StoryTagger,
                detector: StoryDetector | None) -> list[Tagged]:
    """Detection, then tags for the stories; ``detector`` None treats every text as a story."""
    probs = detector.probabilities(vectors, texts) if detector is not None else np.ones(len(texts))
    stories = detector.is_story(probs) if detector is not None else np.ones(len(texts), dtype=bool)
    decided = tagger.decide(tagger.scores(vectors)) if len(texts) else []
    return [Tagged(bool(s), float(p), tuple(tags) if s else ()) for s, p, tags in zip(stories, probs, decided,
                                                                                      strict=True)]


def tag_texts(texts: Sequence[str], tagger: StoryTagger, detector: StoryDetector | None,
              cache: Path | None = None) -> list[Tagged]:
    return tag_vectors(embed(texts, cache), texts, tagger, detector)
