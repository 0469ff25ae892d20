"""Thread-level triage signals: each detector turns a thread's scored posts into one reason, or none.

A detector reads the posts of one thread visible at ``as_of`` (oldest first) and returns a
``Signal``: the reason, its strength in 0..1, a plain-language sentence naming the evidence
posts, the evidence post ids, ``trigger_at`` (when the newest evidence appeared, which decides
whether a resolved queue item has "new evidence") and ``detail`` (structured facts for the queue).

- ``safety_signal``: any post flagged unsafe; the strength is the strongest verdict's score.
- ``frustration_signal``: members' sentiment falling across replies (a slope that weighs recent
  posts more) to a clearly negative tail, cooling down when the thread goes quiet. Helpers'
  answers and questions back to the asker are not the mood; the asker calling it solved, or an
  accepted answer after the low point, ends it (heated but resolved).
- ``unanswered_signal``: a question nobody but its author answered ("+1" replies do not count),
  past its channel's SLA; rises over the first SLA period overdue, then goes stale.
- ``excitement_signal``: sentiment clearly positive and warming while engagement grows (more
  reactions per post late in the thread, or several new participants); not a welcome chorus.

Sentiment is one number per post (``sentiment_value``) on a scale where +-0.9 is clearly
positive or negative, the same for the trained model and for VADER, so the thresholds below hold
for whichever model is configured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from insight.config import TriageSettings
from insight.records import Post, Safety, utc
from insight.triage.cues import asks_back, greets, is_me_too, says_resolved
from insight.triage.evidence import only_shares_the_question

MIN_POSTS = 3  # a trend from two points is noise
HALF_LIFE_POSTS = 3.0  # recency weighting of the sentiment slope, in posts
RECENT_POSTS = 3  # "recent mean" = mean of this many latest posts
FRUSTRATION_SLOPE = -0.05  # per post
FRUSTRATION_MEAN = -0.5  # the last posts are clearly negative on average
FRUSTRATION_FULL = 0.9  # a fall or a recent mean this large gives full strength
RESOLVED_SENTIMENT = 0.4  # the asker posting this positively after the low point has turned the corner
UPBEAT_REPLY = 0.4  # others' replies this positive after the low point are not the thread's mood
EXCITEMENT_MEAN = 0.6
EXCITEMENT_MIN_POSTS = 4
EXCITEMENT_GROWTH = 0.2  # later half's mean sentiment above the earlier half's
EXCITEMENT_NEW_PEOPLE = 3  # new voices in the later half that make a thread "spread"
EXCITEMENT_MIN_LATE_REACTIONS = 10
EXCITEMENT_REACTION_GROWTH = 1.5  # late reactions per post vs early ones
UNANSWERED_BASE = 0.5  # just past the SLA: already above the attention threshold (0.5 x 0.9 weight)
UNANSWERED_RISE = 0.25  # reached one full SLA period overdue
STALE_FLOOR = 0.42  # stale questions stay queued (0.42 x 0.9 > 0.35) but below fresh work

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
    """One fired reason: strength in 0..1, a plain-language sentence, evidence post ids and when it appeared."""

    reason: str
    score: float
    explanation: str
    evidence: tuple[str, ...]
    trigger_at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- helpers


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def duration(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


def hours_between(start: datetime, end: datetime) -> float:
    return (utc(end) - utc(start)).total_seconds() / 3600


def weighted_slope(values: Sequence[float]) -> float:
    """Least-squares slope of values against their position, recent positions weighted more."""
    n = len(values)
    weights = [0.5 ** ((n - 1 - i) / HALF_LIFE_POSTS) for i in range(n)]
    total = sum(weights)
    x_mean = sum(w * i for i, w in enumerate(weights)) / total
    y_mean = sum(w * v for w, v in zip(weights, values, strict=True)) / total
    var = sum(w * (i - x_mean) ** 2 for i, w in enumerate(weights))
    cov = sum(w * (i - x_mean) * (v - y_mean) for i, (w, v) in enumerate(zip(weights, values, strict=True)))
    return cov / var if var else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _recent_mean(values: Sequence[float]) -> float:
    return _mean(values[-RECENT_POSTS:])


def sentiment_value(scores: Mapping[str, float] | None, fallback: float = 0.0) -> float:
    """One sentiment number per post in -1..1 on a scale where +-0.9 means clearly positive or negative.

    For a 3-class model that is p(positive) - p(negative). VADER's scores are word shares (an
    angry post rarely passes -0.5) plus ``compound``, its own normalised summary, which sits on
    that same scale: triage reads ``compound`` when present, so its thresholds hold for both.
    """
    if not scores:
        return fallback
    if "compound" in scores:
        return float(scores["compound"])
    return float(scores.get("positive", 0.0) - scores.get("negative", 0.0))


def freshness(idle_hours: float, settings: TriageSettings) -> float:
    """1.0 for a thread active right now, halving towards 0.5 per ``activity_half_life_hours`` of quiet.

    A trend that stopped days ago still matters (nobody fixed it), but less than one happening now.
    """
    return 0.5 + 0.5 * 0.5 ** (max(0.0, idle_hours) / settings.activity_half_life_hours)


def root_of(posts: Sequence[ScoredPost]) -> ScoredPost:
    """The thread starter: the earliest post without a parent, else the earliest post."""
    return next((sp for sp in posts if sp.post.parent_id is None), posts[0])


# --------------------------------------------------------------------------- safety


def _span(sp: ScoredPost) -> dict[str, Any]:
    """Where the unsafe words are in the post as ranked; the words themselves only when showing them is safe.

    Offsets refer to the text the queue shows (redacted for stored posts), so they are left out
    when redaction removed the span. Doxxing spans are the personal data, so their text never appears.
    """
    verdict = sp.safety
    assert verdict is not None
    out: dict[str, Any] = {"post_id": sp.post.post_id, "category": verdict.category, "score": round(verdict.score, 4)}
    evidence = verdict.evidence or ""
    start = sp.post.text.find(evidence) if evidence else -1
    if start >= 0:
        out["start"], out["end"] = start, start + len(evidence)
        if verdict.category != "doxxing":
            out["span"] = evidence
    return out


def safety_signal(posts: Sequence[ScoredPost]) -> Signal | None:
    flagged = [sp for sp in posts if sp.safety is not None and sp.safety.label == "unsafe"]
    if not flagged:
        return None
    # Name the category and the post, never the evidence text: it may be a slur or an address.
    verdicts = [(sp.post.post_id, sp.safety) for sp in flagged if sp.safety is not None]
    parts = [f"{_CATEGORY_WORDS.get(s.category or '', 'unsafe content')} in post {pid}" for pid, s in verdicts]
    score = max(s.score for _, s in verdicts)
    text = f"Safety concern: {'; '.join(parts)} (score {score:.2f}). Review before anything else."
    trigger = max(utc(sp.post.created_at) for sp in flagged)
    return Signal("safety_concern", clamp(score), text, tuple(sp.post.post_id for sp in flagged), trigger,
                  {"spans": [_span(sp) for sp in flagged]})


# --------------------------------------------------------------------------- frustration


def _resolved_after(posts: Sequence[ScoredPost], low: ScoredPost, asker: str) -> bool:
    """Heated but resolved: an accepted answer after the low point, or the asker says it is solved.

    Only the asker's word counts (a clearly positive post, or "works now" even in an apologetic
    post that scores negative): a staff member's upbeat "we're on it" is not a resolution.
    """
    after = posts[posts.index(low):]
    if any(sp.post.accepted_answer for sp in after[1:]):
        return True
    theirs = [sp for sp in after if sp.post.author_id == asker]
    return any(says_resolved(sp.post.text) for sp in theirs) or any(
        sp.sentiment >= RESOLVED_SENTIMENT for sp in theirs if sp is not low)


def _voices_mood(sp: ScoredPost, asker: str) -> bool:
    """Whether a post says how members feel: the asker's, or another reply that neither answers nor asks back.

    Sentiment models read "Could you send the crash log?" or a fix that names an error as
    negative; neither is anyone's frustration.
    """
    if sp.post.author_id == asker:
        return True
    if sp.post.kind == "answer" or sp.post.accepted_answer:
        return False
    return not asks_back(sp.post.text)


def frustration_signal(posts: Sequence[ScoredPost], as_of: datetime, settings: TriageSettings,
                       asker: str | None = None) -> Signal | None:
    """Members' sentiment falling to a low point among their last few posts, clearly negative, unresolved.

    Reads only posts that voice the mood (``_voices_mood``). The fall is measured up to the low
    point, and a single upbeat reply by someone else after it is left out of the mood: a helper's
    cheerful "we're on it" neither undoes a fall nor resolves it. ``asker`` is the thread starter (the
    window may no longer hold their question); by default the earliest root post given.
    """
    if len(posts) < MIN_POSTS:
        return None
    asker = asker or root_of(posts).post.author_id
    voiced = [sp for sp in posts if _voices_mood(sp, asker)]
    if len(voiced) < MIN_POSTS:
        return None
    values = [sp.sentiment for sp in voiced]
    tail_start = len(values) - RECENT_POSTS
    trough = min(range(tail_start, len(values)), key=lambda i: (values[i], -i))  # latest lowest
    if trough == 0 or _resolved_after(posts, voiced[trough], asker):
        return None
    upbeat = {i for i in range(trough + 1, len(values))
              if values[i] >= UPBEAT_REPLY and voiced[i].post.author_id != asker}
    if len(upbeat) > 1:
        upbeat = set()  # one cheerful reply is a helper's "we're on it"; several mean the mood turned
    recent = _mean([values[i] for i in range(tail_start, len(values)) if i not in upbeat])
    if weighted_slope(values[:trough + 1]) > FRUSTRATION_SLOPE or recent > FRUSTRATION_MEAN:
        return None
    peak = max(range(trough), key=lambda i: (values[i], i))  # latest highest before the trough
    drop = values[peak] - values[trough]
    if drop <= 0:
        return None
    latest_negative = max(i for i in range(tail_start, len(values)) if values[i] < 0 or i == trough)
    trigger = utc(voiced[latest_negative].post.created_at)
    idle = hours_between(trigger, as_of)
    strength = 0.5 * min(1.0, drop / FRUSTRATION_FULL) + 0.5 * min(1.0, -recent / FRUSTRATION_FULL)
    score = clamp(strength * freshness(idle, settings))
    peak_id, trough_id = voiced[peak].post.post_id, voiced[trough].post.post_id
    counted = RECENT_POSTS - len(upbeat)
    text = (
        f"Sentiment fell from {values[peak]:+.2f} to {values[trough]:+.2f} over "
        f"{plural(trough - peak, 'reply', 'replies')} (posts {peak_id}, {trough_id}); "
        f"the last {counted} posts average {recent:+.2f}"
        + (f", not counting {plural(len(upbeat), 'upbeat reply', 'upbeat replies')} since." if upbeat else ".")
    )
    if idle >= 48:
        text += f" Quiet for {duration(idle)} since then."
    detail = {"drop": round(drop, 4), "recent_mean": round(recent, 4), "idle_hours": round(idle, 1)}
    return Signal("rising_frustration", score, text, (peak_id, trough_id), trigger, detail)


# --------------------------------------------------------------------------- unanswered


def _is_question(root: Post, title: str | None) -> bool:
    heading = (title or root.title or "").strip()
    return root.kind == "question" or heading.endswith("?") or "?" in root.text


def _is_answer(sp: ScoredPost, asker: str) -> bool:
    """A reply by someone else, unless it only says "me too" ("+1", "mine does the same, hoping someone knows")."""
    if sp.post.author_id == asker:
        return False  # the asker bumping their own question is not an answer
    return not (is_me_too(sp.post.text) or only_shares_the_question(sp.post.text))


def unanswered_signal(
    posts: Sequence[ScoredPost], thread: ThreadView, as_of: datetime, settings: TriageSettings
) -> Signal | None:
    """A question past its SLA with no reply from anyone but the asker.

    Strength rises from ``UNANSWERED_BASE`` just past the SLA to base + rise one SLA period
    overdue: the asker is still waiting and an answer now still helps. Once a question has been
    overdue for ``stale_after_days`` it is stale: the asker has most likely moved on or found an
    answer elsewhere, so its strength halves towards ``STALE_FLOOR`` every ``stale_half_life_days``.
    It stays in the queue (a stale question is still a hole in the archive: answer or close it),
    but below a fresh question and an active frustration thread, and older stale ones sink lowest.
    """
    root = root_of(posts).post
    if not _is_question(root, thread.title):
        return None
    if any(_is_answer(sp, root.author_id) for sp in posts):
        return None
    sla = settings.sla_hours(thread.channel or root.channel)
    age = hours_between(root.created_at, as_of)
    if age <= sla:
        return None
    overdue_hours = age - sla
    rise = UNANSWERED_BASE + UNANSWERED_RISE * min(1.0, overdue_hours / sla if sla > 0 else 1.0)
    stale_days = overdue_hours / 24 - settings.stale_after_days
    stale = stale_days > 0
    score = rise
    if stale:
        score = STALE_FLOOR + (rise - STALE_FLOOR) * 0.5 ** (stale_days / settings.stale_half_life_days)
    text = f"Question in post {root.post_id} has had no reply from anyone else for {duration(age)} (SLA {sla:g} h)."
    if stale:
        text += " Stale: the asker may have moved on; answer it for the archive or close it."
    trigger = utc(root.created_at) + timedelta(hours=sla)  # when it crossed the SLA
    detail = {"age_hours": round(age, 1), "sla_hours": sla, "stale": stale}
    return Signal("unanswered_question", clamp(score), text, (root.post_id,), trigger, detail)


# --------------------------------------------------------------------------- excitement


def _engagement(posts: Sequence[ScoredPost]) -> tuple[int, int, int, int]:
    """(new participants, early reactions, late reactions, split index) between the halves of the posts."""
    half = len(posts) // 2
    early, late = posts[:half], posts[half:]
    early_authors = {sp.post.author_id for sp in early}
    new_people = len({sp.post.author_id for sp in late} - early_authors)
    return new_people, sum(sp.post.reactions for sp in early), sum(sp.post.reactions for sp in late), half


def _engagement_growing(posts: Sequence[ScoredPost]) -> bool:
    """More reactions per post late than early (and enough of them), or several new voices joining."""
    new_people, early_r, late_r, half = _engagement(posts)
    early_rate, late_rate = early_r / max(1, half), late_r / max(1, len(posts) - half)
    reactions_growing = late_r >= EXCITEMENT_MIN_LATE_REACTIONS and late_rate >= EXCITEMENT_REACTION_GROWTH * early_rate
    return reactions_growing or new_people >= EXCITEMENT_NEW_PEOPLE


def _welcome_chorus(posts: Sequence[ScoredPost]) -> bool:
    """Most replies greet the starter: a newcomer's introduction, warm but nothing to amplify."""
    starter = root_of(posts).post.author_id
    replies = [sp for sp in posts if sp.post.author_id != starter]
    greetings = sum(1 for sp in replies if greets(sp.post.text))
    return bool(replies) and greetings * 2 >= len(replies)


def excitement_signal(posts: Sequence[ScoredPost], as_of: datetime, settings: TriageSettings) -> Signal | None:
    """Enthusiasm growing while more people engage: an opportunity to amplify, strongest while fresh."""
    if len(posts) < EXCITEMENT_MIN_POSTS:
        return None
    values = [sp.sentiment for sp in posts]
    half = len(values) // 2
    recent = _recent_mean(values)
    # Growing enthusiasm: positive now and clearly warmer late than early.
    growth = _mean(values[half:]) - _mean(values[:half])
    if recent < EXCITEMENT_MEAN or growth < EXCITEMENT_GROWTH or weighted_slope(values) < 0:
        return None
    if not _engagement_growing(posts) or _welcome_chorus(posts):
        return None  # happy but not spreading, or a friendly greeting rather than news to amplify
    new_people, early_r, late_r, _ = _engagement(posts)
    participants = len({sp.post.author_id for sp in posts})
    reactions = early_r + late_r
    trigger = utc(posts[-1].post.created_at)
    strength = (
        0.4 * min(1.0, recent / 0.9)
        + 0.3 * min(1.0, (participants - 1) / 6)
        + 0.3 * min(1.0, math.log1p(reactions) / math.log1p(60))
    )
    score = clamp(strength * freshness(hours_between(trigger, as_of), settings))
    most_liked = max(posts, key=lambda sp: (sp.post.reactions, sp.sentiment)).post.post_id
    evidence = tuple(dict.fromkeys((most_liked, posts[-1].post.post_id)))
    text = (
        f"Sentiment is positive and rising ({values[0]:+.2f} to {values[-1]:+.2f}) with "
        f"{plural(new_people, 'new participant')} and {plural(reactions, 'reaction')} "
        f"(posts {', '.join(evidence)}); worth amplifying."
    )
    detail = {"recent_mean": round(recent, 4), "reactions": reactions, "participants": participants}
    return Signal("amplify_excitement", score, text, evidence, trigger, detail)
