"""Milestone excitement: a member's news (a launch, a merge, a certification, an event) met by congratulations.

Positive words in one post are not news to amplify, and a chorus of greetings is not either.
What a community manager wants to see is a milestone someone announced and others answered:
distinct members congratulating, staff inviting a follow-up (a case study, a blog post, the next
event), reactions piling up. The announcement must come before the congratulations, from
someone else than those congratulating, and at least two members (or one plus an invitation)
must answer it. The score starts at 0.75 (so a fired milestone clears the attention threshold
at excitement's weight) and grows with voices, the invitation and reactions, cooling as the
thread goes quiet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from insight.config import TriageSettings
from insight.triage.detectors import ScoredPost, Signal, clamp, freshness, hours_between, plural, utc
from insight.triage.evidence import announces_milestone, congratulates, invites_follow_up

BASE = 0.75
MIN_VOICES = 2
FULL_VOICES = 4
FULL_REACTIONS = 40
NOT_BAD_NEWS = -0.3  # "2.3 shipped and the crash is still there" is no milestone


def milestone_signal(posts: Sequence[ScoredPost], as_of: datetime, settings: TriageSettings) -> Signal | None:
    """The first milestone announcement answered by congratulations (posts oldest first)."""
    for i, news in enumerate(posts):
        if news.sentiment < NOT_BAD_NEWS or not announces_milestone(news.post.text):
            continue
        after = [sp for sp in posts[i + 1:] if sp.post.author_id != news.post.author_id]
        cheers = [sp for sp in after if congratulates(sp.post.text)]
        voices = {sp.post.author_id for sp in cheers}
        invites = [sp for sp in after if invites_follow_up(sp.post.text)]
        if len(voices) >= MIN_VOICES or (voices and invites):
            return _signal(news, cheers, invites, posts, as_of, settings)
    return None


def _signal(news: ScoredPost, cheers: Sequence[ScoredPost], invites: Sequence[ScoredPost],
            posts: Sequence[ScoredPost], as_of: datetime, settings: TriageSettings) -> Signal:
    voices = len({sp.post.author_id for sp in cheers})
    reactions = sum(sp.post.reactions for sp in posts)
    share = (0.5 * min(1.0, (voices - 1) / (FULL_VOICES - 1)) + 0.25 * bool(invites)
             + 0.25 * min(1.0, math.log1p(reactions) / math.log1p(FULL_REACTIONS)))
    trigger = utc(posts[-1].post.created_at)
    score = clamp((BASE + (1 - BASE) * share) * freshness(hours_between(trigger, as_of), settings))
    ids = [news.post.post_id, *(sp.post.post_id for sp in cheers), *(sp.post.post_id for sp in invites)]
    evidence = tuple(dict.fromkeys(ids))
    text = (f"Milestone in post {news.post.post_id}, met by {plural(voices, 'member')} congratulating "
            f"(posts {', '.join(sp.post.post_id for sp in cheers)})")
    if invites:
        text += f" and an invitation to follow up (post {invites[0].post.post_id})"
    text += f"; {plural(reactions, 'reaction')}. Worth amplifying."
    detail = {"voices": voices, "invites": len(invites), "reactions": reactions, "kind": "milestone"}
    return Signal("amplify_excitement", score, text, evidence, trigger, detail)
