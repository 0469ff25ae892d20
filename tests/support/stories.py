"""A tiny community with planted stories, written for these tests (not the demo's phrase banks)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from insight.config import Settings
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine

REPO = Path(__file__).resolve().parents[2]
DEMO_TAXONOMY = REPO / "insight" / "demo" / "taxonomy.toml"
STORIES = REPO / "models" / "story_tagger" / "sets"  # the written sets, beside the detector they trained

MEMBERS = [
    # a1 tells a story but never agreed to be quoted; a3 did not consent to analytics at all.
    {"author_id": "a1", "joined_at": "2026-02-03", "motivation": "learn", "segment": "newcomer",
     "consent_analytics": "true", "consent_quotes": "false"},
    {"author_id": "a2", "joined_at": "2025-10-10", "motivation": "build", "segment": "startup",
     "consent_analytics": "true", "consent_quotes": "true"},
    {"author_id": "a3", "joined_at": "2026-01-05", "motivation": "lead", "segment": "enterprise",
     "consent_analytics": "false", "consent_quotes": "true"},
    {"author_id": "a4", "joined_at": "2025-12-01", "motivation": "learn", "segment": "startup",
     "consent_analytics": "true", "consent_quotes": "true"},
    {"author_id": "a5", "joined_at": "2025-09-01", "motivation": "lead", "segment": "staff",
     "consent_analytics": "true", "consent_quotes": "true"},
]
A1_STORY = ("When I joined in February I had never shipped a container to production. Jonas from the mentoring "
            "circle paired with me for three evenings, went through my compose file line by line and checked in "
            "the week after. Last Friday I deployed our app to production on my own for the first time.")
A2_STORY = ("Our biggest customer was about to cancel because SSO logins failed the morning of their rollout. I "
            "posted here in a panic and another member answered within the hour: the certificate had expired on "
            "the identity provider side. We fixed it before lunch, the rollout went ahead and they renewed for "
            "two years.")
A3_STORY = ("I was stuck for weeks on the billing migration until a member here walked me through the scripts, "
            "and we moved every invoice across without losing one. The finance team finally trusts the new system.")
A4_FEEDBACK = ("At the Berlin meetup I sat next to a developer with the same webhook problem. We paired on it the "
               "whole evening, kept talking in the forum afterwards and have since built a replay tool together "
               "that our two teams now use every day.")
POSTS = [
    {"post_id": "p1", "thread_id": "t1", "author_id": "a1", "created_at": "2026-03-02T09:00:00Z",
     "text": "How do I set environment variables in docker compose?", "kind": "question"},
    {"post_id": "p2", "thread_id": "t1", "author_id": "a5", "created_at": "2026-03-02T10:00:00Z",
     "text": "Use an env_file entry and keep secrets out of the image.", "kind": "answer", "accepted_answer": True},
    {"post_id": "p3", "thread_id": "t2", "author_id": "a1", "created_at": "2026-03-20T18:00:00Z",
     "text": A1_STORY, "kind": "question", "title": "Thank you, mentors"},
    {"post_id": "p4", "thread_id": "t2", "author_id": "a5", "created_at": "2026-03-20T19:00:00Z",
     "text": "Congrats, well done!", "kind": "reply"},
    {"post_id": "p5", "thread_id": "t3", "author_id": "a2", "created_at": "2026-03-10T08:00:00Z",
     "text": A2_STORY, "kind": "question", "title": "This forum saved our renewal"},
    {"post_id": "p6", "thread_id": "t4", "author_id": "a3", "created_at": "2026-03-12T08:00:00Z",
     "text": A3_STORY, "kind": "question"},
    {"post_id": "p7", "thread_id": "t5", "author_id": "a4", "created_at": "2026-03-15T08:00:00Z",
     "text": "Is the webhook retry window configurable? We lose events during deploys.", "kind": "question"},
    {"post_id": "p8", "thread_id": "t6", "author_id": "a5", "created_at": "2026-03-05T08:00:00Z",
     "text": "Release 4.2 is out with faster search, a new export screen and fixes for the mobile app.",
     "kind": "question"},
]
FEEDBACK = [
    {"response_id": "r1", "prompt_id": "after-event", "moment": "event_attended", "author_id": "a4",
     "created_at": "2026-03-25T08:00:00Z", "text": A4_FEEDBACK, "rating": 5},
    {"response_id": "r2", "prompt_id": "after-solution", "moment": "solution_accepted", "author_id": "a2",
     "created_at": "2026-03-03T08:00:00Z", "text": "Quick answer, thanks.", "rating": 4},
]


def write_community(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    fields = ["author_id", "platform", "joined_at", "motivation", "segment", "region", "plan", "consent_analytics",
              "consent_quotes"]
    with (folder / "members.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows({"platform": "generic", **m} for m in MEMBERS)
    (folder / "posts.jsonl").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    (folder / "feedback.jsonl").write_text("".join(json.dumps(f) + "\n" for f in FEEDBACK))
    return [folder / "members.csv", folder / "posts.jsonl", folder / "feedback.jsonl"]


@pytest.fixture
def story_engine(db_settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database holding the tiny community (members, posts, feedback), on SQLite and PostgreSQL."""
    engine = make_engine(db_settings)
    ingest_paths(write_community(tmp_path / "community"), engine=engine, settings=db_settings)
    return engine
