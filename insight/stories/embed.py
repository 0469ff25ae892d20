"""Embeddings for stories: the packaged all-MiniLM-L6-v2, cached by text hash.

An in-process cache keeps the loop from embedding the same story, seed or sentence again in
the next training round (bounded, a few MB); an optional on-disk cache
(``~/.cache/insight/story-embeddings``, only when asked for) makes reruns of evaluations cheap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from insight.backends.embedder import PACKAGED_NAME, encode

EMBEDDER = PACKAGED_NAME
DEFAULT_CACHE = Path.home() / ".cache" / "insight" / "story-embeddings"
MEMORY_ITEMS = 20_000
_memory: dict[str, np.ndarray] = {}


def embed(texts: Sequence[str], cache: Path | None = None) -> np.ndarray:
    """L2-normalised embeddings, one row per text (float32, 384 dims)."""
    texts = list(texts)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    todo = []
    for i, key in enumerate(keys):
        if key in _memory:
            out[i] = _memory[key]
        elif cache is not None and (cache / f"{key}.npy").exists():
            out[i] = np.load(cache / f"{key}.npy")
        else:
            todo.append(i)
    # Each distinct text once, even when it repeats in the batch.
    distinct = list(dict.fromkeys(keys[i] for i in todo))
    if distinct:
        first = {keys[i]: i for i in reversed(todo)}
        vectors = dict(zip(distinct, encode([texts[first[k]] for k in distinct]), strict=True))
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            for key, vector in vectors.items():
                np.save(cache / f"{key}.npy", vector)
        if len(_memory) + len(vectors) > MEMORY_ITEMS:
            _memory.clear()
        _memory.update(vectors)
        for i in todo:
            out[i] = vectors[keys[i]]
    return out
