"""Few-shot multi-label story tagger on sentence embeddings.

From the start (tag descriptions alone) a story's score for a tag is its similarity to the
tag's description, turned into a probability across the taxonomy's tags. With confirmed
examples, each tag gets a logistic-regression head on the embeddings (its examples and its
description are the positives; the other tags' examples and the non-stories are the
negatives), blended with the description prototype so one or two examples cannot swing a
tag alone. Each added example (a seed or a researcher's confirm, reject or retag) changes
the heads at the next training round; the tagger's ``revision`` names the exact data it saw.

A story's score for a tag blends the whole text with its best sentence for that tag (``blend``),
so a story that shows two mechanisms in two sentences can score high on both. A story gets its
best tag, and every other tag scoring at or above the threshold and within ``margin`` of the best
(acceptance relative to the best tag, not absolute alone); non-stories get none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from insight.errors import ModelError
from insight.stories.taxonomy import Taxonomy

MODEL_ID = "insight-story-tagger"


@dataclass
class TaggerParams:
    """Hyperparameters, chosen by grid on the written development set (models/story_tagger/sets/dev_*) and a split
    of SemEval-14 *train* (6 examples per category from 1,500 sentences, scored on the other 1,541); never
    on the held-out written set or SemEval test."""

    temperature: float = 0.08  # softmax temperature of description similarities
    c: float = 4.0  # inverse L2 strength of the per-tag heads (embeddings are unit length)
    head_weight: float = 0.8  # blend: head probability vs description prototype, once a tag has examples
    threshold: float = 0.5  # a tag at or above this is suggested
    floor: float = 0.0  # a story's best tag is suggested when it scores at least this
    # Issue 16, chosen on the dev sets (outcomes_dev, dev, heldout) and a SemEval *train* split, never on the
    # frozen outcomes test: a story told over several sentences often carries each mechanism in one of them.
    sentence_weight: float = 0.4  # blend: the story's best-scoring sentence vs the whole text, per tag
    margin: float = 0.15  # a second tag needs the threshold AND to be within this of the story's best tag

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


@dataclass
class StoryTagger:
    """Scores stories for every tag of one taxonomy version.

    Call ``fit`` with the tag description embeddings and any labelled examples (zero examples
    is fine: then the scores come from the descriptions alone).
    """

    taxonomy: Taxonomy
    params: TaggerParams = field(default_factory=TaggerParams)

    def fit(self, tag_vectors: np.ndarray, example_vectors: np.ndarray | None = None,
            example_tags: Sequence[Sequence[str]] = ()) -> StoryTagger:
        """Learn the heads. ``example_tags[i]`` is the tag list of ``example_vectors[i]`` (empty: a non-story).

        Raises:
            ModelError: E331 when the taxonomy has no tags.
        """
        if not self.taxonomy.tags:
            raise ModelError("E331")
        self.tag_vectors_ = np.asarray(tag_vectors, dtype=np.float32)
        x = np.zeros((0, self.tag_vectors_.shape[1]), dtype=np.float32) if example_vectors is None else example_vectors
        labels = [tuple(t) for t in example_tags]
        self.heads_: dict[int, LogisticRegression] = {}
        self.examples_per_tag_ = {}
        for j, tag_id in enumerate(self.taxonomy.ids):
            positive = np.array([tag_id in tags for tags in labels], dtype=bool)
            self.examples_per_tag_[tag_id] = int(positive.sum())
            if not positive.any() or positive.all():
                continue
            # The description is one more positive: it anchors the head when examples are few.
            features = np.vstack([x, self.tag_vectors_[j : j + 1]])
            target = np.append(positive, True).astype(int)
            head = LogisticRegression(C=self.params.c, class_weight="balanced", max_iter=2000)
            self.heads_[j] = head.fit(features, target)
        digest = hashlib.sha256()
        digest.update(self.taxonomy.content_hash().encode())
        digest.update(json.dumps(self.params.as_dict(), sort_keys=True).encode())
        digest.update(np.ascontiguousarray(x, dtype=np.float32).round(4).tobytes())
        digest.update(json.dumps(labels).encode())
        self.revision_ = digest.hexdigest()[:12]
        return self

    @property
    def tagger_id(self) -> str:
        """``model:<id>@<revision>``, as links and the audit trail name it."""
        return f"model:{MODEL_ID}@{self.revision_}"

    def prototype_scores(self, vectors: np.ndarray) -> np.ndarray:
        """Description-only scores: a softmax of cosine similarities over the tags."""
        sims = vectors @ self.tag_vectors_.T / self.params.temperature
        sims -= sims.max(axis=1, keepdims=True)
        weights = np.exp(sims)
        return weights / weights.sum(axis=1, keepdims=True)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(n, tags) scores in [0, 1]."""
        if not hasattr(self, "tag_vectors_"):
            raise ModelError("E302", what="The story tagger", action="scoring stories")
        vectors = np.asarray(vectors, dtype=np.float32)
        out = self.prototype_scores(vectors)
        w = self.params.head_weight
        for j, head in self.heads_.items():
            out[:, j] = w * head.predict_proba(vectors)[:, 1] + (1 - w) * out[:, j]
        return out

    def blend(self, whole: np.ndarray, sentence_scores: np.ndarray, owners: Sequence[int]) -> np.ndarray:
        """Whole-text scores (n, tags) blended with each text's best sentence per tag.

        ``sentence_scores[i]`` scores a sentence of text ``owners[i]``; a text with no sentence keeps its score.
        """
        best = whole.copy()
        seen = np.zeros(len(whole), dtype=bool)
        for row, owner in zip(sentence_scores, owners, strict=True):
            best[owner] = np.maximum(best[owner], row) if seen[owner] else row
            seen[owner] = True
        w = self.params.sentence_weight
        return (1 - w) * whole + w * np.where(seen[:, None], best, whole)

    def decide(self, scores: np.ndarray) -> list[list[tuple[str, float]]]:
        """Tags per story (assumed to be stories): the best one, and the others at or above the threshold
        and within ``margin`` of it; when none reaches the threshold, the best one alone if above ``floor``."""
        out = []
        ids = self.taxonomy.ids
        for row in scores:
            bar = max(self.params.threshold, float(row.max()) - self.params.margin)
            chosen = [(ids[j], float(row[j])) for j in np.argsort(-row) if row[j] >= bar]
            if not chosen and row.max() >= self.params.floor:
                best = int(row.argmax())
                chosen = [(ids[best], float(row[best]))]
            out.append(chosen)
        return out

    def margin(self, score: float) -> float:
        """How far a score is from the decision threshold: small means uncertain (reviewed first)."""
        return abs(score - self.params.threshold)
