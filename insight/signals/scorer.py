"""SignalsScorer: inference with the trained signals model, fast on a CPU.

Texts are normalised, sorted by length and batched so that no batch pads short posts to a
long one; one forward pass gives every head (and, when asked, the sentence embedding).
The weights are ``signals/`` of the model store (``insight.model_store``) unless ``[models]
signals`` names another folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from insight.config import Settings
from insight.errors import ModelError
from insight.model_store import ModelStore, model_store
from insight.records import Sentiment
from insight.signals.model import HEADS, SignalsModel, load_signals_model
from insight.signals.normalize import normalize

MODEL_NAME = "insight-signals-minilm"
WEIGHTS = "signals.safetensors"


def default_weights_folder(settings: Settings | None = None) -> Path:
    """The weights folder: ``[models] signals`` when set, else ``signals/`` of the settings' model store."""
    if settings is not None and settings.models.signals:
        return Path(settings.models.signals)
    return model_store(settings).location("signals")


@dataclass(frozen=True)
class SignalScores:
    sentiment: Sentiment
    emotion: dict[str, float]
    toxicity: dict[str, float]  # offensive and hate probabilities
    embedding: np.ndarray | None


@lru_cache(maxsize=2)
def load_model(folder: str) -> tuple[SignalsModel, object, str]:
    from transformers import AutoModel, AutoTokenizer

    from insight.signals.embedder import packaged_model_path

    path = Path(folder)
    if not (path / WEIGHTS).exists():
        raise ModelError("E301", path=path / WEIGHTS, setting="models.signals",
                         target="a local folder or a hub name you can reach")
    base = str(packaged_model_path())
    model = load_signals_model(path, AutoModel.from_pretrained(base))
    revision = hashlib.sha256((path / WEIGHTS).read_bytes()).hexdigest()[:12]
    return model, AutoTokenizer.from_pretrained(base), f"{MODEL_NAME}@{revision}"


class SignalsScorer:
    """Score texts with every head in one pass.

    Args:
        folder: the trained weights; by default ``signals/`` of ``store``.
        batch_size: texts per forward pass.
        max_length: tokens kept per text (posts longer than this are cut, not dropped).
        store: the model store (by default the one the defaults and ``INSIGHT_*`` variables name).
    """

    def __init__(self, folder: str | Path | None = None, batch_size: int = 64, max_length: int = 128, *,
                 store: ModelStore | None = None) -> None:
        # Resolved now, checked on first use (as before the store): building a stage never fails for want
        # of weights, and a missing file is reported when the model loads.
        self.store: ModelStore | None = None
        if folder:
            self.folder = Path(folder)
        else:
            self.store = store or model_store()
            self.folder = self.store.location("signals")
        self.batch_size = batch_size
        self.max_length = max_length

    def _load(self) -> tuple[SignalsModel, object, str]:
        if self.store is not None:  # the store's error names the setting that moves it
            self.store.path("signals", WEIGHTS)
        return load_model(str(self.folder))

    @property
    def revision(self) -> str:
        return self._load()[2]

    def score(self, texts: Sequence[str], *, with_embedding: bool = False) -> list[SignalScores]:
        model, tokenizer, _ = self._load()
        clean = [normalize(t) or t for t in texts]
        order = sorted(range(len(clean)), key=lambda i: len(clean[i]))
        out: list[SignalScores | None] = [None] * len(clean)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = tokenizer([clean[i] for i in idx], padding=True, truncation=True,
                                max_length=self.max_length, return_tensors="pt")  # type: ignore[operator]
                result = model(enc["input_ids"], enc["attention_mask"], with_embedding=with_embedding)
                probs = {name: torch.softmax(logits, -1).numpy() for name, logits in result.logits.items()}
                embeddings = result.embedding.numpy() if result.embedding is not None else None
                for row, i in enumerate(idx):
                    out[i] = _scores(probs, row, embeddings)
        return out  # type: ignore[return-value]


def _scores(probs: dict[str, np.ndarray], row: int, embeddings: np.ndarray | None) -> SignalScores:
    sentiment = {label: float(p) for label, p in zip(HEADS["sentiment"], probs["sentiment"][row], strict=True)}
    label = max(sentiment, key=sentiment.__getitem__)
    emotion = {label_: float(p) for label_, p in zip(HEADS["emotion"], probs["emotion"][row], strict=True)}
    toxicity = {"offensive": float(probs["offensive"][row][1]), "hate": float(probs["hate"][row][1])}
    return SignalScores(sentiment=Sentiment(label=label, scores=sentiment), emotion=emotion,  # type: ignore[arg-type]
                        toxicity=toxicity, embedding=None if embeddings is None else embeddings[row])


class SignalsSentiment:
    """The trained model behind the ``SentimentModel`` interface (``insight.sentiment.signals.v1``)."""

    name = MODEL_NAME

    def __init__(self, folder: str | Path | None = None, *, store: ModelStore | None = None) -> None:
        self.scorer = SignalsScorer(folder, store=store)

    @property
    def revision(self) -> str:
        return self.scorer.revision

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        return [s.sentiment for s in self.scorer.score(texts)]
