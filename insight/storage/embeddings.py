"""Stored post embeddings, float16 on disk (half the bytes of float32, cosine error ~1e-3), float32 in memory."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from insight.storage.analysis_tables import PostEmbeddingRow
from insight.storage.rows import chunks


def save_embeddings(session: Session, pks: Sequence[int], vectors: np.ndarray, model: str) -> None:
    """Replace the embeddings of posts ``pks`` (one row of ``vectors`` each)."""
    for chunk in chunks(list(pks)):
        session.execute(delete(PostEmbeddingRow).where(PostEmbeddingRow.post_pk.in_(chunk)))
    half = np.asarray(vectors, dtype=np.float16)
    session.execute(PostEmbeddingRow.__table__.insert(), [  # type: ignore[attr-defined]
        {"post_pk": int(pk), "model": model, "dim": int(half.shape[1]), "vector": half[i].tobytes()}
        for i, pk in enumerate(pks)])


def _vector(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32)


def embeddings(session: Session, pks: Sequence[int]) -> dict[int, np.ndarray]:
    """post pk -> its embedding (float32), for the stored ones among ``pks``."""
    out: dict[int, np.ndarray] = {}
    for chunk in chunks(list(pks)):
        for pk, raw in session.execute(select(PostEmbeddingRow.post_pk, PostEmbeddingRow.vector)
                                       .where(PostEmbeddingRow.post_pk.in_(chunk))):
            out[pk] = _vector(raw)
    return out


def iter_embeddings(session: Session, batch_size: int = 5000) -> Iterator[tuple[list[int], np.ndarray]]:
    """Every stored embedding in post-pk order, ``batch_size`` at a time (keyset paging: memory stays flat)."""
    after = -1
    while True:
        rows = session.execute(select(PostEmbeddingRow.post_pk, PostEmbeddingRow.vector)
                               .where(PostEmbeddingRow.post_pk > after).order_by(PostEmbeddingRow.post_pk)
                               .limit(batch_size)).all()
        if not rows:
            return
        yield [r[0] for r in rows], np.stack([_vector(r[1]) for r in rows])
        after = rows[-1][0]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PostEmbeddingRow)) or 0
