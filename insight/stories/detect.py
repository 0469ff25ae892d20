"""Story detection: does a text tell a story (a before, what the community did, an outcome)?

A logistic regression on the sentence embedding plus a few narrative cues (time markers, past
tense, first person, outcome words, community actors, length). It is taxonomy-independent:
trained once on the written set ``story_tagger/sets/detect_train.jsonl`` of the model store
(stories and non-stories: questions, chatter, announcements, bug reports without an outcome) by
``python -m insight.training.stories.train_detector``, stored as JSON weights in
``story_tagger/detector.json`` of the model store (``insight.model_store``; the project's
``models/`` folder) with its sha256 pinned in ``model.toml``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from insight.errors import ModelError
from insight.model_store import ModelStore, model_store

DETECTOR_ID = "insight-story-detector"
# A story needs a before, an action and an outcome; fewer words cannot hold all three.
MIN_WORDS = 20

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p, re.I)) for name, p in (
    ("time", r"\b(ago|last (week|month|year|night|friday|monday)|when i (joined|started)|back then|at first|"
             r"yesterday|weeks? later|months? later|the next (day|week|month)|since then|before|until|"
             r"this (spring|summer|autumn|fall|winter)|in the end|eventually)\b"),
    ("past", r"\b\w{3,}ed\b|\b(was|were|had|went|got|took|found|made|gave|came|ran|built|met|sat|wrote|spent|"
             r"told|left|began|became|kept|brought|shipped)\b"),
    ("first_person", r"\b(i|we|my|our|me|us)\b"),
    ("outcome", r"\b(now|finally|since|ended up|turned out|saved|shipped|launched|went live|fixed|solved|"
                r"closed|signed|landed|released|thanks to|because of|so (we|i)|result)\b"),
    ("community", r"\b(someone|somebody|a member|members|mentor|another|others|people here|the community|"
                  r"this community|folks|peer|helped|help|answered|replied|together|thanks|thank you)\b"),
    ("question", r"\?|\b(how do i|how can i|does anyone|anyone know|is there a way|can someone)\b"),
))
CUE_NAMES: tuple[str, ...] = (*(name for name, _ in _CUES), "log_words", "arc_share", "arc_complete")
_ARC = ("time", "outcome", "community")  # a before, an outcome, and someone who acted


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """Per text: cue counts per word (first five), question marks, log word count, and the narrative arc:
    the share of (time, outcome, community) cues present and whether all three are (a linear model
    cannot form that AND from the rates alone)."""
    arc = [i for i, (name, _) in enumerate(_CUES) if name in _ARC]
    rows = []
    for text in texts:
        words = max(1, len(text.split()))
        counts = [len(p.findall(text)) for _, p in _CUES]
        rates = [c / words * 10 for c in counts[:-1]]
        present = [counts[i] > 0 for i in arc]
        rows.append([*rates, min(counts[-1], 3), np.log1p(words) / 5, sum(present) / len(arc), float(all(present))])
    return np.asarray(rows, dtype=np.float32)


def features(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    return np.hstack([np.asarray(vectors, dtype=np.float32), cue_features(texts)])


def default_path(store: ModelStore | None = None) -> Path:
    """``story_tagger/detector.json`` of the model store (by default the one the defaults and ``INSIGHT_*`` name).

    Not checked here: a missing file is ``load_detector``'s E332, which says how to rebuild it.
    """
    return (store or model_store()).location("story_tagger", "detector.json")


@dataclass(frozen=True)
class StoryDetector:
    coef: np.ndarray
    intercept: float
    threshold: float
    revision: str

    @property
    def detector_id(self) -> str:
        return f"model:{DETECTOR_ID}@{self.revision}"

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """P(story) per text; texts under ``MIN_WORDS`` words are never stories."""
        if len(texts) == 0:
            return np.zeros(0)
        logits = features(vectors, texts) @ self.coef + self.intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        short = np.array([len(t.split()) < MIN_WORDS for t in texts])
        probs[short] = 0.0
        return probs

    def is_story(self, probabilities: np.ndarray) -> np.ndarray:
        return probabilities >= self.threshold

    def to_json(self) -> str:
        return json.dumps({"model": DETECTOR_ID, "features": ["all-MiniLM-L6-v2 embedding (384)", *CUE_NAMES],
                           "coef": [round(float(c), 6) for c in self.coef], "intercept": round(self.intercept, 6),
                           "threshold": self.threshold}, indent=1) + "\n"


def load_detector(path: Path | None = None) -> StoryDetector:
    """The trained detector (by default the model store's); its revision is the sha256 prefix of the weights file.

    Raises:
        ModelError: E332 when the weights file is missing or unreadable.
    """
    # The default is resolved before the cache: the store may move (settings, working directory) between calls.
    return _load_detector(path or default_path())


@lru_cache(maxsize=2)
def _load_detector(path: Path) -> StoryDetector:
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        coef = np.asarray(data["coef"], dtype=np.float32)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError("E332", path=path, detail=type(exc).__name__) from None
    expected = 384 + len(CUE_NAMES)  # weights of an older feature set fail here, not with wrong scores
    if coef.shape != (expected,):
        raise ModelError("E332", path=path, detail=f"{coef.shape[0]} weights, expected {expected}")
    revision = hashlib.sha256(raw).hexdigest()[:12]
    return StoryDetector(coef=coef, intercept=float(data["intercept"]), threshold=float(data["threshold"]),
                         revision=revision)
