"""Row builders for storage and consent tests: posts, members, feedback, provenance, signals, triage items,
and the stored state a report reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from insight.records import FeedbackAnswer, Member, Post, Provenance, TriageItem
from insight.storage import members, posts, queue, signals, topics
from insight.storage.db import session_scope

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RUN = "test-run"
MARCH, APRIL = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)


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


def signal_row(pk: int, label: str = "negative") -> dict[str, object]:
    """A stored signals row for post ``pk``: sentiment ``label`` (score -0.5 or 0.5), safe."""
    return {"post_pk": pk, "sentiment_label": label, "sentiment_score": -0.5 if label == "negative" else 0.5,
            "sentiment_scores": {label: 0.75}, "emotion": None, "safety_label": "safe", "safety_category": None,
            "safety_score": 0.0, "safety_evidence": None}


def triage_item(thread_key: str, attention: bool, priority: float) -> TriageItem:
    return TriageItem(thread_id=thread_key, needs_attention=attention, priority=priority, reasons=("no_reply",),
                      explanation=f"why {thread_key}", evidence_post_ids=("p1",))


def seed_reads(engine: Engine) -> dict[str, int]:
    """What a report reads, per aggregate: three posts (two in March, one in April), two scored, all
    assigned to topics, two triage runs. Returns the posts' primary keys by post id."""
    store(engine, Member("m1", motivation="learn", consent_analytics=True), Member("m2"),
          post("p1", "m1", 1), post("p2", "m2", 2, thread="t2", channel=None), post("p3", "m1", 24 * 31))
    with session_scope(engine) as session:
        pks = {p.post.post_id: p.pk for p, _ in posts.stored_posts(session)}
        signals.save_signals(session, [signal_row(pks["p1"], "negative"), signal_row(pks["p3"], "positive")],
                             prov("test.signals.v1", "sig-run"))
        topics.save_topics(session, [{"topic": 0, "label": "billing", "words": ["bill"], "size": 2},
                                     {"topic": 1, "label": "login", "words": ["login"], "size": 1}],
                           [(pks["p1"], 0, 0.9), (pks["p2"], 1, 0.8), (pks["p3"], 0, 0.7)],
                           prov("test.topics.v1", "topic-run"))
        queue.save_triage(session, [triage_item("discourse:t1", True, 0.9), triage_item("discourse:t2", False, 0.1)],
                          MARCH, prov("test.triage.v1", "triage-1"))
        queue.save_triage(session, [triage_item("discourse:t2", True, 0.5)], APRIL,
                          prov("test.triage.v1", "triage-2"))
    return pks
