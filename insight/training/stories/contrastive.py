"""SetFit-style contrastive fine-tuning of MiniLM on a few labelled examples (an evaluated alternative).

Pairs of examples sharing a tag are pulled together (cosine 1), others pushed apart (cosine 0),
for one epoch; the tagger's logistic heads then run on the fine-tuned embeddings. Measured by
``python -m insight.training.stories.evaluate --setfit`` against the frozen encoder: no gain on the
SemEval train split for minutes of CPU per taxonomy (models/story_tagger/CARD.md), so the
product keeps the frozen, packaged encoder.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from insight.signals.embedder import packaged_model_path


def fine_tune(texts: Sequence[str], tags: Sequence[Sequence[str]], *, epochs: int = 1, batch_size: int = 16,
              lr: float = 2e-5, seed: int = 0) -> Any:
    """A fresh copy of the packaged MiniLM, fine-tuned on all pairs of the examples."""
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    model = SentenceTransformer(str(packaged_model_path()), device="cpu", trust_remote_code=False)
    pairs = [(a, b, 1.0 if set(ta) & set(tb) else 0.0)
             for (a, ta), (b, tb) in itertools.combinations(list(zip(texts, tags, strict=True)), 2)]
    random.Random(seed).shuffle(pairs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    prepare = getattr(model, "preprocess", model.tokenize)  # tokenize is deprecated in newer versions
    model.train()
    for _ in range(epochs):
        for i in range(0, len(pairs), batch_size):
            batch = pairs[i : i + batch_size]
            left = model(prepare([p[0] for p in batch]))["sentence_embedding"]
            right = model(prepare([p[1] for p in batch]))["sentence_embedding"]
            similarity = torch.nn.functional.cosine_similarity(left, right)
            loss = torch.nn.functional.mse_loss(similarity, torch.tensor([p[2] for p in batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    return model


def encode_with(model: Any, texts: Sequence[str]) -> np.ndarray:
    vectors = model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
