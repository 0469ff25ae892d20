"""Stories for tests: a tiny community with planted stories (written for these tests, not the demo's
phrase banks), and ``seed_stories`` for API, page and load tests without the tagger: the demo
taxonomy, members with and without quote consent, one story per stored post and a pending
suggestion each (the model's part, which tests/stories covers, is not what those tests are about).
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from insight.demo.seeds import seed_rows
from insight.records import Member
from insight.services import stories
from insight.storage import members
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.storage.tables import PostRow
from insight.stories.examples import Example
from tests.support.paths import PACKAGE

DEMO_TAXONOMY = PACKAGE / "demo" / "taxonomy.toml"

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



def demo_seeds() -> list[Example]:
    """The demo's story seeds (``insight.demo.seeds``) as tagger examples."""
    return [Example(str(r["text"]), tuple(r["tags"])) for r in seed_rows()]  # type: ignore[arg-type]


TAGS = ("mentor_guidance", "peer_answer_saved_deal", "bug_fixed_together", "event_collaboration")
PROVENANCE = {"stage": "test.stories", "model": "test-tagger", "model_revision": "1", "config_hash": "test",
              "run_id": "test-stories"}


def seed_stories(engine: Engine, n: int = 8, *, joined: datetime | None = None) -> list[dict[str, Any]]:
    """``n`` stories on the first posts of ``n`` different authors; even ones' members consent to quotes.

    Returns per story: suggestion_id, story_id, tag, post_id, quotes (consent), text.
    """
    stories.load_taxonomy_file(engine, resources.files("insight.demo") / "taxonomy.toml", actor="test")
    version = stories.taxonomy(engine)["version"]
    now = datetime.now(UTC)
    out = []
    with session_scope(engine) as session:
        seen: set[str] = set()
        posts = []
        for post in session.scalars(select(PostRow).order_by(PostRow.id)):
            if post.author_id not in seen:
                seen.add(post.author_id)
                posts.append(post)
            if len(posts) == n:
                break
        for i, post in enumerate(posts):
            quotes = i % 2 == 0
            members.upsert_member(session, Member(author_id=post.author_id, platform=post.platform,
                                               joined_at=joined or post.created_at - timedelta(days=10),
                                               motivation="learn", consent_analytics=True, consent_quotes=quotes),
                               "test-stories")
            story_id = f"st-test-{i:04d}"
            text = post.text_redacted
            st.add_stories(session, [{"story_id": story_id, "source": "post", "thread_key": post.thread_key,
                                      "source_ids": [post.post_id], "author_id": post.author_id,
                                      "told_at": post.created_at, "channel": post.channel, "text_redacted": text,
                                      "story_score": 0.9, "detected_at": now, **PROVENANCE}])
            tag = TAGS[i % len(TAGS)]
            words = text.split(" ")
            highlight = [[0, len(words[0])]] if words and words[0] else []
            suggestion_id = st.add_suggestion(session, {
                "story_id": story_id, "tag": tag, "taxonomy_version": version, "score": round(0.5 + 0.04 * i, 2),
                "threshold": 0.5, "highlights": highlight, "status": "pending", "origin": "model",
                "created_at": now, **PROVENANCE})
            out.append({"suggestion_id": suggestion_id, "story_id": story_id, "tag": tag, "post_id": post.post_id,
                        "quotes": quotes, "text": text})
    return out
