"""Embeddings for stories: the packaged all-MiniLM-L6-v2, with an optional on-disk cache by text hash.

The cache (``~/.cache/insight/story-embeddings`` by default, only when asked for) makes reruns of
evaluations cheap; the stored loop embeds a few hundred candidate texts and needs none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from insight.backends.embedder import PACKAGED_NAME, encode

EMBEDDER = PACKAGED_NAME
DEFAULT_CACHE = Path.home() / ".cache" / "insight" / "story-embeddings"


def embed(texts: Sequence[str], cache: Path | None = None) -> np.ndarray:
    """L2-normalised embeddings, one row per text (float32, 384 dims)."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    if cache is None:
        return encode(texts)
    cache.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    out = np.zeros((len(texts), 384), dtype=np.float32)
    todo = []
    for i, key in enumerate(keys):
        path = cache / f"{key}.npy"
        if path.exists():
            out[i] = np.load(path)
        else:
            todo.append(i)
    if todo:
        vectors = encode([texts[i] for i in todo])
        for i, vector in zip(todo, vectors, strict=True):
            out[i] = vector
            np.save(cache / f"{keys[i]}.npy", vector)
    return out
