"""Frozen features of the signals model, computed once and cached on disk.

The heads ``fit_heads`` trains read two vectors per text from one pass of the current weights:
the tuned branch's mean-pooled output (what the sentiment/emotion/offensive/hate heads read) and
the sentence embedding. Encoding tens of thousands of tweets takes minutes on a 2-core CPU;
fitting linear heads on the cached vectors takes seconds, so the cache is keyed by the weights'
sha256 and a digest of the texts, and a rerun with the same weights and sets encodes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

DEFAULT_CACHE = Path("/tmp/insight-signals-features")
MAX_LENGTH = 128  # as the scorer


def texts_digest(texts: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def encode(model, tokenizer, texts: Sequence[str], batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """(pooled tuned features, sentence embeddings), one row per text, length-sorted batches."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    pooled = np.zeros((len(texts), 384), np.float32)
    emb = np.zeros((len(texts), 384), np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True, max_length=MAX_LENGTH,
                            return_tensors="pt")
            out = model(enc["input_ids"], enc["attention_mask"], with_embedding=True)
            pooled[idx] = out.pooled.numpy()
            emb[idx] = out.embedding.numpy()
    return pooled, emb


def cached(name: str, texts: Sequence[str], model, tokenizer, weights_sha: str,  # type: ignore[no-untyped-def]
           cache: Path = DEFAULT_CACHE) -> tuple[np.ndarray, np.ndarray]:
    """``encode`` behind an on-disk cache named by the set, the weights and the texts."""
    path = cache / weights_sha[:12] / f"{name}-{texts_digest(texts)}.npz"
    if path.exists():
        data = np.load(path)
        return data["pooled"], data["emb"]
    pooled, emb = encode(model, tokenizer, texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, pooled=pooled, emb=emb)
    return pooled, emb
