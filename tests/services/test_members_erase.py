"""Erasure that erases, on SQLite and PostgreSQL: after `erase`, none of the member's words is in any
text column of any table, nor (SQLite) anywhere in the database file after VACUUM; reports rebuilt
after it quote none of it; the privacy audit chain still verifies; the erasure is recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from insight.config import Settings
from insight.errors import StorageError
from insight.services import members, report_store
from insight.storage import topics
from insight.storage.analysis_tables import TopicModelRow
from insight.storage.db import make_engine, session_scope
from insight.storage.privacy_tables import ErasureRow, PrivacyAuditRow
from insight.storage.tables import PostRow, StoryAuditRow, TopicRow
from tests.support.privacy import MARKERS, analysed_community, cheap, text_hits
from tests.support.storage import prov

MONTHS = ("2026-08", "2026-09")


def _reports(engine, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    return "".join(report_store.report_text(engine, settings, m, fmt) for m in MONTHS for fmt in ("json", "md"))


def _store_topics(engine) -> None:  # type: ignore[no-untyped-def]
    """A stored topic model whose vocabulary and words hold one of Alice's words and one others use."""
    words = ["logs", MARKERS[1], "thread"]
    with session_scope(engine) as session:
        topics.save_topic_model(session, "test-topics", {"terms": words, "term_lemmas": words, "topics": [
            {"topic": 0, "label": f"{MARKERS[1]}_logs", "words": [MARKERS[1], "logs"], "representatives": []}]},
            b"", datetime.now(UTC))
        topics.save_topics(session, [{"topic": 0, "label": f"{MARKERS[1]}_logs", "words": [MARKERS[1], "logs"],
                                      "size": 2}], [], prov(run_id="test-topics"))


@pytest.mark.slow
def test_erase_leaves_no_byte_of_the_members_text(db_settings: Settings, tmp_path: Path) -> None:
    settings = cheap(db_settings)
    engine = make_engine(settings)
    stories = analysed_community(engine, settings, tmp_path / "in")
    _store_topics(engine)
    members.unmerge(engine, settings, "discourse:alice-d", actor="ana")
    members.merge(engine, settings, ["slack:alice-s", "discourse:alice-d"], actor="ana",
                  note="She wrote from the quokkafrost thread asking for one account")
    before = text_hits(engine)
    assert {"posts.text", "posts.text_redacted", "posts.title", "threads.title", "triage_queue.title",
            "stories.text_redacted", "feedback_answers.text", "materialised_reports.payload",
            "privacy_audit.note", "topic_models.meta", "topics.label", "topics.words"} <= set(before)
    assert any(m in _reports(engine, settings) for m in MARKERS)

    done = members.erase(engine, settings, "slack:alice-s", actor="dpo-ana")

    assert len(done["accounts"]) == 2 and done["removed"]["posts"] == 3 and done["removed"]["stories"] == 2
    assert text_hits(engine) == []
    rebuilt = _reports(engine, settings)
    assert rebuilt and not any(m in rebuilt for m in MARKERS)
    assert members.verify_audit(engine)["ok"]
    with session_scope(engine) as session:  # a word others use stays; the model keeps its shape
        meta = session.scalars(select(TopicModelRow.meta)).one()
        assert meta["terms"] == ["logs", "[erased-1]", "thread"] and len(meta["term_lemmas"]) == 3
        assert session.scalars(select(TopicRow.label)).one() == "[erased]_logs"
    with session_scope(engine) as session:
        erasure = session.scalars(select(ErasureRow)).one()
        assert erasure.subject == done["subject"] and erasure.actor == "dpo-ana" and erasure.counts["posts"] == 3
        assert {p.post_id for p in session.scalars(select(PostRow))} == {"b1", "b2", "c1", "c2"}
        assert {r.story_id for r in session.scalars(select(StoryAuditRow))} >= set(stories)  # audit trail kept
        assert session.scalars(select(PrivacyAuditRow.event).order_by(PrivacyAuditRow.id)).all()[-1] == "erased"
    with pytest.raises(StorageError) as gone:
        members.export(engine, settings, "slack:alice-s")
    assert gone.value.code == "E453"
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("VACUUM"))
        engine.dispose()
        path = Path(settings.resolved_database_url.removeprefix("sqlite:///"))
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert not any(m.encode() in data for m in MARKERS)
    engine.dispose()
