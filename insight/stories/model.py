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
from insight.stories.highlight import sentences
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


def story_scores(tagger: StoryTagger, texts: Sequence[str], vectors: np.ndarray,
                 cache: Path | None = None) -> np.ndarray:
    """(n, tags) scores of whole texts blended with their best sentence per tag (``StoryTagger.blend``)."""
    whole = tagger.scores(vectors)
    split = [[t[s:e] for s, e in sentences(t)] for t in texts]
    owners = [i for i, parts in enumerate(split) if len(parts) > 1 for _ in parts]
    flat = [part for parts in split if len(parts) > 1 for part in parts]
    if not flat:
        return whole
    return tagger.blend(whole, tagger.scores(embed(flat, cache)), owners)


def tag_vectors(vectors: np.ndarray, texts: Sequence[str], tagger: StoryTagger,
                detector: StoryDetector | None, cache: Path | None = None) -> list[Tagged]:
    """Detection, then tags for the stories; ``detector`` None treats every text as a story."""
    probs = detector.probabilities(vectors, texts) if detector is not None else np.ones(len(texts))
    stories = detector.is_story(probs) if detector is not None else np.ones(len(texts), dtype=bool)
    decided = tagger.decide(story_scores(tagger, texts, vectors, cache)) if len(texts) else []
    return [Tagged(bool(s), float(p), tuple(tags) if s else ()) for s, p, tags in zip(stories, probs, decided,
                                                                                      strict=True)]


def tag_texts(texts: Sequence[str], tagger: StoryTagger, detector: StoryDetector | None,
              cache: Path | None = None) -> list[Tagged]:
    return tag_vectors(embed(texts, cache), texts, tagger, detector, cache)
