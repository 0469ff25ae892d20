"""Stories for API, page and load tests without the tagger: the demo taxonomy, members with and
without quote consent, one story per stored post and a pending suggestion each (the model's part,
which tests/stories covers, is not what these tests are about)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import Engine, select

from insight.records import Member
from insight.services import stories
from insight.storage import members
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.storage.tables import PostRow

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
