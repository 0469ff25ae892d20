"""Every shown field redacted, on SQLite and PostgreSQL: titles (stored, queued), channel names,
moderator notes; a withdrawn member's title disappears with their posts. The PII set of
tests/data/privacy is the input: 0 leaks."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from insight.services import triage
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow, ThreadRow, TriageActionRow, TriageQueueRow
from tests.support.paths import TEST_DATA
from tests.support.triage import AS_OF, store_signals

PII = [json.loads(line) for line in (TEST_DATA / "privacy" / "pii_set.jsonl").read_text().splitlines()]


def _shown_values(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        values = [*session.scalars(select(ThreadRow.title)), *session.scalars(select(ThreadRow.channel)),
                  *session.scalars(select(PostRow.title)), *session.scalars(select(PostRow.text_redacted)),
                  *session.scalars(select(PostRow.channel)), *session.scalars(select(TriageQueueRow.title)),
                  *session.scalars(select(TriageActionRow.reason))]
    return [v for v in values if v]


def test_titles_bodies_channels_and_queue_show_no_pii(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hour = AS_OF.replace(hour=0)
    rows = [{"post_id": f"p{i}", "thread_id": f"t{i}", "author_id": f"a{i}", "platform": "discourse",
             "created_at": hour.isoformat(), "kind": "question",
             "title": case["text"] if case["where"] == "title" else "Help needed?",
             "text": case["text"] if case["where"] == "body" else "Can someone help me with this?",
             "channel": "help-jane.doe@example.com" if i == 0 else "help"}
            for i, case in enumerate(PII)]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    engine = make_engine(db_settings)
    assert ingest_paths([path], engine=engine, settings=db_settings).inserted == len(PII)
    store_signals(engine, db_settings)
    triage.refresh_queue(engine, db_settings, as_of=AS_OF)
    item = triage.list_queue(engine)[0]
    triage.act(engine, item.id, "dismiss", "mod-ana", "duplicate of the thread by 4111 1111 1111 1111 owner")
    shown = _shown_values(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(TriageQueueRow.title).where(TriageQueueRow.title.is_not(None))) is not None
    leaks = [(case["id"], v) for case in PII for v in shown if case["secret"] in v]
    assert leaks == []
    assert not any("jane.doe@example.com" in v or "4111 1111" in v for v in shown)


def test_consent_purge_takes_the_thread_title(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        json.dumps({"post_id": "p1", "thread_id": "t1", "author_id": "carol", "created_at": "2026-03-01T10:00:00Z",
                    "title": "Carol's divorce and the billing bug", "text": "Long story."}) + "\n"
        + json.dumps({"post_id": "p2", "thread_id": "t1", "author_id": "dan", "created_at": "2026-03-01T11:00:00Z",
                      "text": "Same bug here."}) + "\n")
    engine = make_engine(db_settings)
    ingest_paths([posts], engine=engine, settings=db_settings)
    members = tmp_path / "members.csv"
    members.write_text("author_id,consent_analytics\ncarol,false\n")
    assert ingest_paths([members], engine=engine, settings=db_settings).purged_posts == 1
    with session_scope(engine) as session:
        assert session.scalar(select(ThreadRow.title)) is None
        assert list(session.scalars(select(PostRow.text))) == ["Same bug here."]
