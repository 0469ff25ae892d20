"""Ingest through the service, on SQLite and PostgreSQL: counts, rejects, consent, idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import FeedbackRow, MemberRow, PostRow, ThreadRow
from tests.support.paths import PLATFORM_FORMATS

POSTS = [
    {"post_id": "p1", "thread_id": "t1", "author_id": "alice", "created_at": "2026-03-01T10:00:00Z",
     "text": "How do I rotate my API key? Mail me at alice@example.com", "title": "API keys?", "kind": "question",
     "channel": "help"},
    {"post_id": "p2", "thread_id": "t1", "author_id": "bob", "created_at": "2026-03-01T12:00:00Z",
     "text": "Settings > Keys > Rotate.", "parent_id": "p1", "kind": "answer", "accepted_answer": True,
     "channel": "help"},
    {"post_id": "p3", "thread_id": "t2", "author_id": "carol", "created_at": "2026-03-02T09:00:00+01:00",
     "text": "I do not consent to analysis, but I post anyway.", "channel": "general"},
]
MEMBERS = (
    "author_id,platform,joined_at,motivation,segment,consent_analytics,consent_quotes\n"
    "alice,generic,2026-02-01T00:00:00Z,learn,startup,true,true\n"
    "bob,generic,2026-01-10T00:00:00Z,lead,enterprise,true,false\n"
    "carol,generic,2026-02-20T00:00:00Z,build,student,false,false\n"
)


def _write(folder: Path, extra_lines: list[str] | None = None) -> tuple[Path, Path]:
    posts = folder / "posts.jsonl"
    lines = [json.dumps(p) for p in POSTS] + (extra_lines or [])
    posts.write_text("\n".join(lines) + "\n")
    members = folder / "members.csv"
    members.write_text(MEMBERS)
    return posts, members


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_ingest_canonical_counts_consent_and_idempotency(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts, members = _write(tmp_path)
    engine = make_engine(db_settings)
    first = ingest_paths([posts, members], engine=engine, settings=db_settings)
    assert (first.read, first.inserted, first.duplicates, first.rejected) == (6, 2, 0, 0)
    assert first.members == 3 and first.excluded_no_consent == 1
    again = ingest_paths([posts, members], engine=engine, settings=db_settings)
    assert (again.inserted, again.duplicates) == (0, 2)
    assert _count(engine, PostRow) == 2 and _count(engine, ThreadRow) == 1


def test_repeats_across_batches_count_once(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A post repeated later in the input is a duplicate whether its first copy was stored by an earlier
    batch (found in the database) or left out for consent (remembered by the run), never a second
    insert or a second exclusion."""
    settings = db_settings.model_copy(update={"ingest": db_settings.ingest.model_copy(update={"batch_size": 2})})
    repeats = [json.dumps(POSTS[0]), json.dumps(POSTS[2]), json.dumps(POSTS[2])]  # the last two share a batch
    posts, members = _write(tmp_path, repeats)
    engine = make_engine(settings)
    summary = ingest_paths([posts, members], engine=engine, settings=settings)
    assert (summary.read, summary.inserted, summary.duplicates, summary.excluded_no_consent) == (9, 2, 3, 1)
    assert _count(engine, PostRow) == 2


def test_ingest_pseudonymises_and_redacts(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts, members = _write(tmp_path)
    engine = make_engine(db_settings)
    ingest_paths([members, posts], engine=engine, settings=db_settings)
    with session_scope(engine) as s:
        authors = set(s.scalars(select(PostRow.author_id)))
        member_ids = set(s.scalars(select(MemberRow.author_id)))
        first = s.scalar(select(PostRow).where(PostRow.post_id == "p1"))
        assert "alice@example.com" not in first.text_redacted and "[EMAIL]" in first.text_redacted
    assert not {"alice", "bob", "carol"} & (authors | member_ids)
    assert all(a.startswith("m_") for a in authors) and authors <= member_ids


def test_ingest_bad_rows_reported_good_rows_kept(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = [
        "{not json",
        json.dumps({"post_id": "p9", "thread_id": "t9", "author_id": "bob", "created_at": "2026-03-01", "text": "  "}),
        json.dumps({"post_id": "p8", "thread_id": "t9", "author_id": "bob", "created_at": "yesterday", "text": "hi"}),
        json.dumps({"thread_id": "t9", "author_id": "bob", "created_at": "2026-03-01T00:00:00Z", "text": "hi"}),
    ]
    posts, members = _write(tmp_path, bad)
    engine = make_engine(db_settings)
    report = tmp_path / "rejects.jsonl"
    summary = ingest_paths([members, posts], engine=engine, settings=db_settings, rejects_path=report)
    assert summary.inserted == 2 and summary.rejected == 4
    rejects = [json.loads(line) for line in report.read_text().splitlines()]
    got = {(r["line"], r["field"], r["reason"]) for r in rejects}
    assert got == {(4, None, "malformed"), (5, "text", "empty_text"), (6, "created_at", "bad_timestamp"),
                   (7, "post_id", "missing_field")}
    assert all(r["source"].endswith("posts.jsonl") for r in rejects)


def test_ingest_withdrawn_consent_removes_stored_posts(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts, members = _write(tmp_path)
    engine = make_engine(db_settings)
    ingest_paths([members, posts], engine=engine, settings=db_settings)
    withdrawn = tmp_path / "members2.csv"
    withdrawn.write_text(MEMBERS.replace("bob,generic,2026-01-10T00:00:00Z,lead,enterprise,true",
                                         "bob,generic,2026-01-10T00:00:00Z,lead,enterprise,false"))
    summary = ingest_paths([withdrawn], engine=engine, settings=db_settings)
    assert summary.purged_posts == 1
    assert _count(engine, PostRow) == 1


def test_ingest_feedback_and_kpi_observations(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text(json.dumps({"response_id": "r1", "prompt_id": "after_solution", "moment": "solution_accepted",
                                    "author_id": "alice", "created_at": "2026-03-03T00:00:00Z",
                                    "text": "Bob's answer saved our launch.", "rating": 5}) + "\n"
                        + json.dumps({"response_id": "r2", "prompt_id": "x", "moment": "party", "author_id": "a",
                                      "created_at": "2026-03-03T00:00:00Z", "text": "hm"}) + "\n")
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("kpi_id,period_start,period_end,cohort,value,n\n"
                    "support_deflection,2026-03-01,2026-03-31,all,0.42,120\n"
                    "support_deflection,2026-03-01,2026-03-31,all,abc,1\n")
    engine = make_engine(db_settings)
    summary = ingest_paths([feedback, kpis], engine=engine, settings=db_settings)
    assert summary.feedback == 1 and summary.kpi_observations == 1 and summary.rejected == 2
    assert _count(engine, FeedbackRow) == 1


PLATFORM_FOLDERS = ["discourse_live_api_examples", "discourse_api_client_fixtures", "slack_export_slackdump_fixture",
                    "discord_chat_exporter_json", "github_webhooks"]


@pytest.mark.parametrize("folder", PLATFORM_FOLDERS)
def test_ingest_platform_exports_twice_adds_nothing(db_settings, folder: str) -> None:  # type: ignore[no-untyped-def]
    path = PLATFORM_FORMATS / folder
    engine = make_engine(db_settings)
    first = ingest_paths([path], engine=engine, settings=db_settings)
    assert first.inserted > 0, first
    stored = _count(engine, PostRow)
    assert stored == first.inserted
    second = ingest_paths([path], engine=engine, settings=db_settings)
    assert second.inserted == 0 and _count(engine, PostRow) == stored
