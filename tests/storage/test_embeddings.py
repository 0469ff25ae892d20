"""Stored embeddings: float16 on disk, float32 back, paged in pk order; on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine

from insight.storage import embeddings, signals
from insight.storage.db import session_scope


def test_embeddings_round_trip_at_float16_precision_and_page_in_order(engine: Engine, seeded: dict[str, int]) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pks = [seeded["p3"], seeded["p1"], seeded["p2"]]
    with session_scope(engine) as session:
        embeddings.save_embeddings(session, pks, vectors, "m@r")
        embeddings.save_embeddings(session, pks[:1], vectors[1:2], "m@r")  # replaced, not added
    with session_scope(engine) as session:
        back = embeddings.embeddings(session, pks)
        pages = list(embeddings.iter_embeddings(session, batch_size=2))
        assert embeddings.count(session) == 3
    assert back[seeded["p3"]].dtype == np.float32
    np.testing.assert_allclose(back[seeded["p3"]], vectors[1], atol=2e-3)
    np.testing.assert_allclose(back[seeded["p1"]], vectors[1], atol=2e-3)
    assert [len(p[0]) for p in pages] == [2, 1] and pages[0][0] + pages[1][0] == sorted(pks)


def test_pending_posts_are_those_without_signals_or_embedding_or_of_another_revision(
        engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        pending = [r[0] for r in signals.pending_posts(session, after=0, limit=10)]
        assert pending == sorted(seeded.values())  # none has an embedding yet
        embeddings.save_embeddings(session, [seeded["p1"], seeded["p3"]], np.ones((2, 4)), "m")
    with session_scope(engine) as session:
        assert [r[0] for r in signals.pending_posts(session, after=0, limit=10)] == [seeded["p2"]]
        # The seeded signals are of revision "r1": a rescore to "r2" wants them again.
        stale = [r[0] for r in signals.pending_posts(session, after=0, limit=10, stale_revision="r2")]
        assert stale == sorted(seeded.values())
        assert [r[0] for r in signals.pending_posts(session, after=seeded["p1"], limit=10)] == [seeded["p2"]]
        assert signals.pending_ranges(session, 1) == [(seeded["p2"], seeded["p2"], 1)]
