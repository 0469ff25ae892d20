"""Small row builders for storage and consent tests: posts, members, feedback and provenance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from insight.records import FeedbackAnswer, Member, Post, Provenance
from insight.storage import members, posts
from insight.storage.db import session_scope

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RUN = "test-run"


def prov(stage: str = "test.stage.v1", run_id: str = RUN, model: str | None = "m") -> Provenance:
    return Provenance(stage=stage, model=model, model_revision="r1", config_hash="cfg", run_id=run_id)


def post(post_id: str, author: str, hours: float, *, thread: str = "t1", platform: str = "discourse",
         channel: str | None = "help") -> Post:
    """A post ``hours`` after T0; its text names it, so the redacted text can be told from the raw one."""
    return Post(post_id=post_id, thread_id=thread, author_id=author, created_at=T0 + timedelta(hours=hours),
                text=f"raw {post_id}", platform=platform, channel=channel, url=f"https://x.test/{post_id}")


def store(engine: Engine, *items: Post | Member | FeedbackAnswer) -> None:
    """Members, posts (redacted text ``red <post id>``) and feedback answers, in one transaction."""
    with session_scope(engine) as session:
        for item in items:
            if isinstance(item, Member):
                members.upsert_member(session, item, RUN)
            elif isinstance(item, Post):
                posts.insert_post(session, item, f"red {item.post_id}", None, RUN)
            else:
                posts.insert_feedback(session, item, f"red {item.response_id}", RUN)
