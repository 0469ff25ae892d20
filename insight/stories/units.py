"""Candidate stories: which texts the detector looks at.

A candidate is one post, a short run of one author's consecutive posts in a thread (people
often tell a story over two or three messages in chat), or one feedback answer. The text is
the redacted text: what the tagger sees is what a researcher may be shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from insight.records import StoredPost

RUN_GAP = timedelta(hours=6)  # consecutive posts of one author this close form one run
RUN_MAX_POSTS = 3


@dataclass(frozen=True)
class Candidate:
    story_id: str
    source: str  # post, thread_run, feedback
    source_ids: tuple[str, ...]
    author_id: str
    told_at: datetime
    text: str
    thread_key: str | None = None
    channel: str | None = None


def story_id(source_ids: Sequence[str]) -> str:
    """Stable id from the sources: the same posts always make the same story."""
    return "st-" + hashlib.sha1("|".join(source_ids).encode()).hexdigest()[:16]


def post_candidates(posts: Sequence[StoredPost]) -> list[Candidate]:
    """Single posts, and runs of 2-3 consecutive posts by one author in a thread (``posts`` in thread order)."""
    out: list[Candidate] = []
    run: list[StoredPost] = []

    def flush() -> None:
        if len(run) > 1:
            ids = tuple(p.post.post_id for p in run)
            out.append(Candidate(story_id(ids), "thread_run", ids, run[0].post.author_id, run[-1].post.created_at,
                                 "\n".join(p.text_redacted for p in run), _thread_key(run[0]), run[0].post.channel))

    for stored in posts:
        post = stored.post
        out.append(Candidate(story_id((post.post_id,)), "post", (post.post_id,), post.author_id, post.created_at,
                             stored.text_redacted, _thread_key(stored), post.channel))
        previous = run[-1].post if run else None
        same_run = (previous is not None and previous.thread_id == post.thread_id
                    and previous.author_id == post.author_id
                    and post.created_at - previous.created_at <= RUN_GAP and len(run) < RUN_MAX_POSTS)
        if not same_run:
            flush()
            run = []
        run.append(stored)
    flush()
    return out


def feedback_candidates(rows: Sequence[dict[str, Any]]) -> list[Candidate]:
    out = []
    for row in rows:
        ids = (f"feedback:{row['response_id']}",)
        out.append(Candidate(story_id(ids), "feedback", ids, row["author_id"], row["created_at"], row["text_redacted"]))
    return out


def _thread_key(stored: StoredPost) -> str:
    return f"{stored.post.platform}:{stored.post.thread_id}"
