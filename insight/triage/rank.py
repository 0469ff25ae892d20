"""Triage ranking: scores each thread's signals at a fixed time and orders the moderator queue.

Four reasons put a thread in front of a moderator (``insight.records.TRIAGE_REASONS``):

- ``safety_concern``: any post flagged unsafe. Always ranks above everything else
  (priority 1.0 + score), and the explanation names the category and post, never the words.
- ``rising_frustration``: sentiment falling across replies (a recency-weighted slope) and
  the latest replies negative on average; needs at least ``MIN_POSTS`` posts.
- ``unanswered_question``: the root post asks something, nobody but its author has replied,
  and it is older than the channel's SLA. Grows with how far past the SLA it is.
- ``amplify_excitement``: positive, non-falling sentiment with engagement growing (new
  participants or more reactions late in the thread); an opportunity, so weighted lower.

Non-safety signals combine into one priority below 1.0: the strongest weighted signal plus a
little for each other one, times a mild reach multiplier (participants, views) of at most 1.25.
Only posts created at or before ``as_of`` exist for the ranking, so a queue can be rebuilt
exactly as a moderator saw it. Sentiment and safety look at the last ``window_days``; the
unanswered check looks at the whole visible thread, because an old question is still unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from insight.config import TriageSettings
from insight.records import Post, Provenance, Safety, TriageItem

MIN_POSTS = 3  # a trend from two points is noise
HALF_LIFE_POSTS = 3.0  # recency weighting of the sentiment slope, in posts
RECENT_POSTS = 3  # "recent mean" = mean of this many latest posts
FRUSTRATION_SLOPE = -0.05  # per post
FRUSTRATION_MEAN = -0.2
EXCITEMENT_MEAN = 0.3
WEIGHTS = {"rising_frustration": 1.0, "unanswered_question": 0.9, "amplify_excitement": 0.75}
SECONDARY_SHARE = 0.15  # each extra non-safety reason adds this share of its strength
MAX_ORDINARY_PRIORITY = 0.99  # keeps every non-safety thread below any safety one

_CATEGORY_WORDS = {
    "threat": "a threat",
    "self_harm": "a self-harm hint",
    "doxxing": "possible doxxing",
    "harassment": "harassment",
}


@dataclass(frozen=True)
class ScoredPost:
    """A post with the signals triage reads."""

    post: Post
    sentiment: float  # -1..1, negative is bad
    safety: Safety | None = None


@dataclass(frozen=True)
class ThreadView:
    """A thread as triage sees it: its scored posts (any order) and where it lives."""

    thread_id: str
    posts: tuple[ScoredPost, ...]
    channel: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Signal:
    """One fired reason: its strength in 0..1, a plain-language sentence and evidence post ids."""

    reason: str
    score: float
    explanation: str
    evidence: tuple[str, ...]


# --------------------------------------------------------------------------- helpers


def _utc(dt: datetime) -> datetime:
    """Naive datetimes are taken as UTC so aware and naive inputs compare."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def _weighted_slope(values: Sequence[float]) -> float:
    """Least-squares slope of values against their position, recent positions weighted more."""
    n = len(values)
    weights = [0.5 ** ((n - 1 - i) / HALF_LIFE_POSTS) for i in range(n)]
    total = sum(weights)
    x_mean = sum(w * i for i, w in enumerate(weights)) / total
    y_mean = sum(w * v for w, v in zip(weights, values, strict=True)) / total
    var = sum(w * (i - x_mean) ** 2 for i, w in enumerate(weights))
    cov = sum(w * (i - x_mean) * (v - y_mean) for i, (w, v) in enumerate(zip(weights, values, strict=True)))
    return cov / var if var else 0.0


def _recent_mean(values: Sequence[float]) -> float:
    tail = values[-RECENT_POSTS:]
    return sum(tail) / len(tail)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _duration(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


# --------------------------------------------------------------------------- signals


def _safety_signal(posts: Sequence[ScoredPost]) -> Signal | None:
    flagged = [sp for sp in posts if sp.safety is not None and sp.safety.label == "unsafe"]
    if not flagged:
        return None
    # Name the category and the post, never the evidence text: it may be a slur or an address.
    verdicts = [(sp.post.post_id, sp.safety) for sp in flagged if sp.safety is not None]
    parts = [f"{_CATEGORY_WORDS.get(s.category or '', 'unsafe content')} in post {pid}" for pid, s in verdicts]
    score = max(s.score for _, s in verdicts)
    text = f"Safety concern: {'; '.join(parts)} (score {score:.2f}). Review before anything else."
    return Signal("safety_concern", _clamp(score), text, tuple(sp.post.post_id for sp in flagged))


def _frustration_signal(posts: Sequence[ScoredPost]) -> Signal | None:
    if len(posts) < MIN_POSTS:
        return None
    values = [sp.sentiment for sp in posts]
    slope, recent = _weighted_slope(values), _recent_mean(values)
    if slope > FRUSTRATION_SLOPE or recent > FRUSTRATION_MEAN:
        return None
    tail_start = len(values) - RECENT_POSTS
    trough = min(range(tail_start, len(values)), key=lambda i: (values[i], -i))  # latest lowest
    if trough == 0:
        return None
    peak = max(range(trough), key=lambda i: (values[i], i))  # latest highest before the trough
    drop = values[peak] - values[trough]
    if drop <= 0:
        return None
    score = _clamp(0.5 * min(1.0, drop) + 0.5 * min(1.0, -recent))
    peak_id, trough_id = posts[peak].post.post_id, posts[trough].post.post_id
    text = (
        f"Sentiment fell from {values[peak]:+.2f} to {values[trough]:+.2f} over "
        f"{_plural(trough - peak, 'reply', 'replies')} (posts {peak_id}, {trough_id}); "
        f"the last {min(RECENT_POSTS, len(values))} posts average {recent:+.2f}."
    )
    return Signal("rising_frustration", score, text, (peak_id, trough_id))


def _is_question(root: Post, title: str | None) -> bool:
    heading = (title or root.title or "").strip()
    return root.kind == "question" or heading.endswith("?") or "?" in root.text


def _root(posts: Sequence[ScoredPost]) -> ScoredPost:
    """The thread starter: the earliest post without a parent, else the earliest post."""
    return next((sp for sp in posts if sp.post.parent_id is None), posts[0])


def _unanswered_signal(
    posts: Sequence[ScoredPost], thread: ThreadView, as_of: datetime, settings: TriageSettings
) -> Signal | None:
    root = _root(posts).post
    if not _is_question(root, thread.title):
        return None
    # The asker bumping their own question is not an answer.
    if any(sp.post.author_id != root.author_id for sp in posts):
        return None
    sla = settings.sla_hours(thread.channel or root.channel)
    age = (as_of - _utc(root.created_at)).total_seconds() / 3600
    if age <= sla:
        return None
    overdue = (age - sla) / sla if sla > 0 else 1.0
    score = _clamp(0.45 + 0.25 * math.log2(1 + overdue))  # just past SLA already needs attention
    text = f"Question in post {root.post_id} has had no reply from anyone else for {_duration(age)} (SLA {sla:g} h)."
    return Signal("unanswered_question", score, text, (root.post_id,))


def _engagement_growth(posts: Sequence[ScoredPost]) -> tuple[int, int, int]:
    """(new participants, early reactions, late reactions) between the two halves of the posts."""
    half = len(posts) // 2
    early, late = posts[:half], posts[half:]
    early_authors = {sp.post.author_id for sp in early}
    new_people = len({sp.post.author_id for sp in late} - early_authors)
    return new_people, sum(sp.post.reactions for sp in early), sum(sp.post.reactions for sp in late)


def _excitement_signal(posts: Sequence[ScoredPost]) -> Signal | None:
    if len(posts) < MIN_POSTS:
        return None
    values = [sp.sentiment for sp in posts]
    slope, recent = _weighted_slope(values), _recent_mean(values)
    if slope < 0 or recent < EXCITEMENT_MEAN:
        return None
    new_people, early_reactions, late_reactions = _engagement_growth(posts)
    if new_people == 0 and late_reactions <= early_reactions:
        return None  # happy but not spreading
    participants = len({sp.post.author_id for sp in posts})
    reactions = early_reactions + late_reactions
    score = _clamp(
        0.45 * min(1.0, recent)
        + 0.3 * min(1.0, (participants - 1) / 5)
        + 0.25 * min(1.0, math.log1p(reactions) / math.log1p(30))
    )
    most_liked = max(posts, key=lambda sp: (sp.post.reactions, sp.sentiment)).post.post_id
    latest = posts[-1].post.post_id
    evidence = tuple(dict.fromkeys((most_liked, latest)))
    text = (
        f"Sentiment is positive and rising ({values[0]:+.2f} to {values[-1]:+.2f}) with "
        f"{_plural(new_people, 'new participant')} and {_plural(reactions, 'reaction')} "
        f"(posts {', '.join(evidence)}); worth amplifying."
    )
    return Signal("amplify_excitement", score, text, evidence)


# --------------------------------------------------------------------------- combining


def _reach(posts: Sequence[ScoredPost]) -> tuple[float, int]:
    """A mild multiplier in [1, 1.25] from distinct participants and views, and the participant count."""
    participants = len({sp.post.author_id for sp in posts})
    views = max((sp.post.views for sp in posts), default=0)  # views usually sit on the root post
    people = min(1.0, math.log1p(max(0, participants - 1)) / math.log1p(9))
    seen = min(1.0, math.log10(1 + views) / 3)
    return 1.0 + 0.15 * people + 0.10 * seen, participants


def _priority(safety: Signal | None, others: Sequence[Signal], reach: float) -> float:
    if safety is not None:
        return 1.0 + min(1.0, safety.score * reach)
    if not others:
        return 0.0
    strengths = sorted((WEIGHTS[s.reason] * s.score for s in others), reverse=True)
    base = strengths[0] + SECONDARY_SHARE * sum(strengths[1:])
    return min(MAX_ORDINARY_PRIORITY, base * reach)


def _assess(
    thread: ThreadView, as_of: datetime, settings: TriageSettings, provenance: Provenance | None
) -> TriageItem | None:
    visible = sorted(
        (sp for sp in thread.posts if _utc(sp.post.created_at) <= as_of),
        key=lambda sp: (_utc(sp.post.created_at), sp.post.post_id),
    )
    if not visible:
        return None  # the thread did not exist yet at as_of
    window_start = as_of - timedelta(days=settings.window_days)
    recent = [sp for sp in visible if _utc(sp.post.created_at) >= window_start]

    safety = _safety_signal(recent)
    others = [
        s
        for s in (
            _frustration_signal(recent),
            _unanswered_signal(visible, thread, as_of, settings),
            _excitement_signal(recent),
        )
        if s is not None
    ]
    others.sort(key=lambda s: -WEIGHTS[s.reason] * s.score)
    reach, participants = _reach(visible)
    priority = _priority(safety, others, reach)
    fired = ([safety] if safety else []) + others

    if fired:
        explanation = " ".join(s.explanation for s in fired) + f" {_plural(participants, 'participant')}."
    else:
        explanation = (
            f"No triage signal: {_plural(len(visible), 'post')}, {_plural(participants, 'participant')}, "
            f"latest post {visible[-1].post.post_id}."
        )
    root = _root(visible).post
    return TriageItem(
        thread_id=thread.thread_id,
        needs_attention=safety is not None or priority >= settings.attention_threshold,
        priority=priority,
        reasons=tuple(s.reason for s in fired),
        explanation=explanation,
        evidence_post_ids=tuple(dict.fromkeys(pid for s in fired for pid in s.evidence)),
        channel=thread.channel or root.channel,
        title=thread.title or root.title,
        provenance=provenance,
    )


def rank_threads(
    threads: Iterable[ThreadView],
    *,
    as_of: datetime,
    settings: TriageSettings,
    provenance: Provenance | None = None,
) -> list[TriageItem]:
    """Rank threads for the moderator queue as of ``as_of``: highest priority first, ties by id.

    Threads with no post at or before ``as_of`` are left out. Every other thread gets an item,
    with ``needs_attention`` False when nothing fired or the priority is below
    ``settings.attention_threshold``.
    """
    as_of = _utc(as_of)
    items = [item for thread in threads if (item := _assess(thread, as_of, settings, provenance)) is not None]
    return sorted(items, key=lambda item: (-item.priority, item.thread_id))
