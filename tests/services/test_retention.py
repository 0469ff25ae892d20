"""Retention, on SQLite and PostgreSQL: scored posts past ``raw_text_days`` lose their raw text and keep
their redacted text and signals; the report of their month is the same before and after; signal
details, queue history and rejects files go past their own ages."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select

from insight.config import Settings
from insight.services import retention
from insight.services.reports import build_report, report_json
from insight.storage import embeddings, signals
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow, SignalRow
from tests.support.privacy import ingest_community
from tests.support.storage import prov, signal_row

UNSCORED = "c2"


def _score_all_but_one(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        pks = [pk for pk, pid in session.execute(select(PostRow.id, PostRow.post_id)) if pid != UNSCORED]
        rows = [{**signal_row(pk, "negative" if i % 2 else "positive"), "emotion": {"anger": 0.2},
                 "safety_evidence": "redacted span"} for i, pk in enumerate(sorted(pks))]
        signals.save_signals(session, rows, prov())
        embeddings.save_embeddings(session, sorted(pks), np.ones((len(pks), 4), dtype=np.float32), "test-embedder")


def _report(engine, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(report_json(build_report(engine, settings, "2026-08")), sort_keys=True, default=str)


def _texts(engine) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return {r.post_id: (r.text, r.text_redacted) for r in session.scalars(select(PostRow))}


def test_retention_expires_raw_text_and_keeps_the_report(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_community(engine, db_settings, tmp_path / "in")
    _score_all_but_one(engine)
    before, texts = _report(engine, db_settings), _texts(engine)
    rejects = db_settings.data_path / "rejects"
    rejects.mkdir(exist_ok=True)
    (rejects / "old.jsonl").write_text("{}\n")
    (rejects / "new.jsonl").write_text("{}\n")
    old = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    os.utime(rejects / "old.jsonl", (old, old))

    month = db_settings.model_copy(update={"retention": db_settings.retention.model_copy(
        update={"raw_text_days": 30, "signals_days": 30, "queue_history_days": 30})})
    first = retention.apply(engine, month, now=datetime(2026, 9, 10, tzinfo=UTC))
    after = _texts(engine)
    assert first["posts_raw_text_expired"] == 2 and first["rejects_files_deleted"] == 1  # a1, c1: before Aug 11
    assert after["a1"] == ("", texts["a1"][1]) and after["c1"][0] == "" and after["a2"] == texts["a2"]
    with session_scope(engine) as session:
        details = {r.post_pk: (r.sentiment_label, r.sentiment_scores, r.safety_evidence)
                   for r in session.scalars(select(SignalRow))}
    assert sum(1 for label, scores, span in details.values() if not scores and span is None) == 2
    assert all(label in ("positive", "negative") for label, _, _ in details.values())
    assert not (rejects / "old.jsonl").exists() and (rejects / "new.jsonl").exists()

    second = retention.apply(engine, db_settings)  # the default: raw text only until scored
    after = _texts(engine)
    assert second["posts_raw_text_expired"] == len(texts) - 3  # the rest of the scored posts
    assert after[UNSCORED] == texts[UNSCORED]  # not scored yet: keeps its raw text
    assert all(after[p] == ("", red) for p, (_, red) in texts.items() if p != UNSCORED)
    assert _report(engine, db_settings) == before
    with session_scope(engine) as session:
        assert len(signals.signals_by_post(session)) == len(texts) - 1
    engine.dispose()
