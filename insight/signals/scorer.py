"""SignalsScorer: inference with the trained signals model, fast on a CPU.

Texts are normalised, sorted by length and batched so that no batch pads short posts to a
long one; one forward pass gives every head (and, when asked, the sentence embedding).
The weights are ``signals/`` of the model store (``insight.model_store``) unless ``[models]
signals`` names another folder; each file is checked against its sha256 pin (``pins``).

Precision ``int8`` (``[models] signals_precision``; fp32 is the default) runs the encoder's linear
layers with PyTorch dynamic int8 quantisation: weights int8, activations quantised per batch, so
a post's scores then depend slightly on which posts share its batch. The heads stay fp32. The
card measures both on the same sets and the same batching (about 2x faster at int8).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from insight.config import Settings
from insight.errors import ModelError
from insight.model_store import ModelStore, model_store
from insight.records import Sentiment
from insight.signals.charheads import CHARS, CharHeads
from insight.signals.model import ADAPTED, ADAPTED_META, HEADS, SAFETY_LABELS, SignalsModel, load_signals_model
from insight.signals.normalize import normalize
from insight.signals.pins import verify

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
    safety: dict[str, float] | None = None  # per-category probability (SAFETY_LABELS), when the model has them


@dataclass(frozen=True)
class SafetyHeads:
    """The lexical safety heads and the thresholds chosen on the dev set (``heads.json``)."""

    chars: CharHeads
    threshold: float | dict[str, float]  # per category (``thresholds``), or one for all in older heads


@lru_cache(maxsize=4)
def load_safety(folder: str) -> SafetyHeads | None:
    """The safety classifier's lexical half, pins checked; None for a folder without one."""
    path = Path(folder)
    if not (path / CHARS).exists():
        return None
    verify(path, (CHARS, ADAPTED_META))
    meta = json.loads((path / ADAPTED_META).read_text())
    per_category = meta["safety"].get("thresholds")
    threshold = {k: float(v) for k, v in per_category.items()} if per_category else float(meta["safety"]["threshold"])
    return SafetyHeads(chars=CharHeads.load(path / CHARS), threshold=threshold)


@lru_cache(maxsize=4)
def load_model(folder: str, precision: str = "fp32") -> tuple[SignalsModel, object, str]:
    """(model, tokenizer, ``name@<sha of the weights>[+<sha of the heads>][+int8]``), pins checked."""
    from transformers import AutoModel, AutoTokenizer

    from insight.signals.embedder import packaged_model_path

    path = Path(folder)
    if not (path / WEIGHTS).exists():
        raise ModelError("E301", path=path / WEIGHTS, setting="models.signals",
                         target="a local folder or a hub name you can reach")
    shas = verify(path, (WEIGHTS, ADAPTED, ADAPTED_META))
    base = str(packaged_model_path())
    model = load_signals_model(path, AutoModel.from_pretrained(base))
    revision = shas[WEIGHTS][:12] + (f"+{shas[ADAPTED][:8]}" if ADAPTED in shas else "")
    if precision == "int8":
        model = quantize(model)
        revision += "+int8"
    return model, AutoTokenizer.from_pretrained(base), f"{MODEL_NAME}@{revision}"


def quantize(model: SignalsModel) -> SignalsModel:
    """Dynamic int8 for the encoder's and the tuned branch's linear layers; heads stay fp32."""
    import warnings

    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():  # torch.ao's deprecation notice: the API still ships and is what we measured
        warnings.simplefilter("ignore")
        model.encoder.encoder = quantize_dynamic(model.encoder.encoder, {torch.nn.Linear}, dtype=torch.qint8)
        model.tuned = quantize_dynamic(model.tuned, {torch.nn.Linear}, dtype=torch.qint8)
    return model.eval()


class SignalsScorer:
    """Score texts with every head in one pass.

    Args:
        folder: the trained weights; by default ``signals/`` of ``store``.
        batch_size: texts per forward pass.
        max_length: tokens kept per text (posts longer than this are cut, not dropped).
        store: the model store (by default the one the defaults and ``INSIGHT_*`` variables name).
        precision: ``fp32`` (the default) or ``int8`` (dynamic int8 encoder layers, about 2x faster).
    """

    def __init__(self, folder: str | Path | None = None, batch_size: int = 64, max_length: int = 128, *,
                 store: ModelStore | None = None, precision: str = "fp32") -> None:
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
        self.precision = precision

    def _load(self) -> tuple[SignalsModel, object, str]:
        if self.store is not None:  # the store's error names the setting that moves it
            self.store.path("signals", WEIGHTS)
        return load_model(str(self.folder), self.precision)

    @property
    def revision(self) -> str:
        return self._load()[2]

    @property
    def safety_threshold(self) -> float | dict[str, float] | None:
        heads = load_safety(str(self.folder))
        return heads.threshold if heads else None

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
                safety = result.safety.numpy() if result.safety is not None else None
                for row, i in enumerate(idx):
                    out[i] = _scores(probs, row, embeddings, safety)
        return self._with_lexical(clean, out)  # type: ignore[arg-type]

    def _with_lexical(self, clean: list[str], out: list[SignalScores]) -> list[SignalScores]:
        """The safety probability is the mean of the embedding head's and the character heads'."""
        heads = load_safety(str(self.folder))
        if heads is None or not out or out[0].safety is None:
            return out
        lexical = heads.chars.predict(clean)
        return [replace(s, safety={label: round((s.safety[label] + float(p)) / 2, 6)  # type: ignore[index]
                                   for label, p in zip(SAFETY_LABELS, row, strict=True)})
                for s, row in zip(out, lexical, strict=True)]


def _scores(probs: dict[str, np.ndarray], row: int, embeddings: np.ndarray | None,
            safety: np.ndarray | None) -> SignalScores:
    sentiment = {label: float(p) for label, p in zip(HEADS["sentiment"], probs["sentiment"][row], strict=True)}
    label = max(sentiment, key=sentiment.__getitem__)
    emotion = {label_: float(p) for label_, p in zip(HEADS["emotion"], probs["emotion"][row], strict=True)}
    toxicity = {"offensive": float(probs["offensive"][row][1]), "hate": float(probs["hate"][row][1])}
    return SignalScores(sentiment=Sentiment(label=label, scores=sentiment), emotion=emotion,  # type: ignore[arg-type]
                        toxicity=toxicity, embedding=None if embeddings is None else embeddings[row],
                        safety=None if safety is None
                        else dict(zip(SAFETY_LABELS, map(float, safety[row]), strict=True)))


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
