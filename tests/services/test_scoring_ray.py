"""Scoring on Ray Data: stored posts read in ranges by Ray tasks, encoded by an actor pool, written back by
this process; the same signals as the local engine, each post once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from insight.config import load_config
from insight.runtime.spec import AnalyseSpec
from insight.services.analyse import analyse
from insight.services.ingest import ingest_paths
from insight.storage.analysis_tables import AnalysisClaimRow, PostEmbeddingRow
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import SignalRow
from tests.support.analyse import CHEAP_SCORING, COMMUNITY

ray = pytest.importorskip("ray")


def _scored(tmp_path: Path, engine_name: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    settings = load_config(overrides={**CHEAP_SCORING, "data_dir": str(tmp_path),
                                      "database_url": f"sqlite:///{tmp_path / f'{engine_name}.db'}"}, env={})
    engine = make_engine(settings)
    ingest_paths([COMMUNITY / "community.jsonl"], engine=engine, settings=settings)
    summary = analyse(engine, settings, AnalyseSpec(stages=["score"], engine=engine_name, batch_size=4))
    with session_scope(engine) as session:
        rows = {pk: (label, safety) for pk, label, safety in session.execute(
            select(SignalRow.post_pk, SignalRow.sentiment_label, SignalRow.safety_label))}
        assert session.scalars(select(AnalysisClaimRow)).first() is None
        assert len(session.scalars(select(PostEmbeddingRow.post_pk)).all()) == len(rows)
    return summary, rows


@pytest.mark.slow
def test_ray_engine_scores_stored_posts_as_the_local_engine_does(tmp_path: Path) -> None:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        on_ray, ray_rows = _scored(tmp_path, "ray")
    finally:
        ray.shutdown()
    local, local_rows = _scored(tmp_path, "local")
    assert on_ray["posts_scored"] == local["posts_scored"] == len(local_rows) == 18
    assert ray_rows == local_rows
