"""Triage ranking: combines a thread's signals, reach and member context into one priority at a fixed time.

Four reasons put a thread in front of a moderator (``insight.records.TRIAGE_REASONS``); the
detectors live in ``insight.triage.detectors``. How they combine, and why:

- ``safety_concern`` always ranks first: priority ``1 + min(1, score x reach)``, so every safety
  item sits in [1, 2] and every other item below 1. A missed threat costs more than any backlog.
- Every other fired reason has a strength s in 0..1 (already discounted for a quiet thread or a
  stale question) and an urgency weight w (``[triage] weights``: frustration 1.0, unanswered 0.9,
  excitement 0.65; an opportunity can wait longer than a problem). Then
  ``priority = cap((max(w s) + 0.15 x sum(other w s)) x reach x member)``:
  the strongest reason leads, a second reason adds a little, and two context multipliers break
  ties between similar threads without overturning the reasons:
  reach in [1, 1.25] (participants, views: more people see it) and member in [1, 1.25] (x1.15
  when the asker or an evidence post's author is a newcomer, joined at most ``newcomer_days``
  ago; x1.10 when one is in an at-risk cohort): a newcomer's first bad experience is the one
  most likely to end their membership. ``cap`` is the identity up to 0.8, then bends smoothly
  towards 0.99, so strong threads keep their order instead of tying at a hard cap.
- Staleness: the first ranking let an unanswered question's score grow with its age and saturate,
  so 80-120-day-old questions outranked active frustration threads. A moderator's time is best
  spent where an answer or a word still changes the outcome: a question just past its SLA whose
  asker is still waiting, a thread getting angrier right now. So an unanswered question peaks one
  SLA period overdue and, once stale (``stale_after_days`` overdue), fades towards a floor that
  keeps it in the queue (it still needs an answer or a close) but under fresh work; frustration
  and excitement cool down as a thread goes quiet (``activity_half_life_hours``).

- Calibration across reasons: each detector's score is set so that a fired reason clears
  ``attention_threshold`` at its weight (an escalation from 0.45, a milestone from 0.75 x 0.65, an
  unanswered question from 0.5 x 0.9) and grows with its evidence, so priorities compare across
  reasons. Escalation (``insight.triage.escalation``: waiting, lapsed promises, check-ins, intent
  to leave) reads the whole visible thread and comes before the sentiment trend; a milestone met
  by congratulations (``insight.triage.milestone``) comes before the sentiment-and-reach reading
  of excitement. Safety reads every visible post, not only the window.

Only posts created at or before ``as_of`` exist for the ranking, so a queue can be rebuilt
exactly as a moderator saw it. Sentiment and safety look at the last ``window_days``; the
unanswered check looks at the whole visible thread, because an old question is still unanswered.
The explanation names the evidence posts (never authors, never unsafe words) and the member context.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.config import TriageSettings
from insight.records import Provenance, TriageItem
from insight.triage.detectors import (
    ScoredPost,
    Signal,
    ThreadView,
    excitement_signal,
    frustration_signal,
    plural,
    root_of,
    safety_signal,
    unanswered_signal,
    utc,
)
from insight.triage.escalation import escalation_signal
from insight.triage.milestone import milestone_signal

__all__ = ["Assessment", "MemberContext", "ScoredPost", "Signal", "ThreadView", "assess_threads", "rank_threads"]

SECONDARY_SHARE = 0.15  # each extra non-safety reason adds this share of its strength
MAX_ORDINARY_PRIORITY = 0.99  # keeps every non-safety thread below any safety one
KNEE = 0.8  # where the soft cap starts to bend
NEWCOMER_BOOST = 0.15
AT_RISK_BOOST = 0.10
MAX_MEMBER = 1.25


@dataclass(frozen=True)
class MemberContext:
    """Optional facts about authors: when they joined (author_id -> joined_at) and who is at risk."""

    joined_at: Mapping[str, datetime]
    at_risk: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Assessment:
    """A ranked thread: the queue item plus the signals behind it and the thread's latest post time."""

    item: TriageItem
    signals: tuple[Signal, ...]
    latest_post_at: datetime
    member_notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- context


def _reach(posts: Sequence[ScoredPost]) -> tuple[float, int]:
    """A mild multiplier in [1, 1.25] from distinct participants and views, and the participant count."""
    participants = len({sp.post.author_id for sp in posts})
    views = max((sp.post.views for sp in posts), default=0)  # views usually sit on the root post
    people = min(1.0, math.log1p(max(0, participants - 1)) / math.log1p(9))
    seen = min(1.0, math.log10(1 + views) / 3)
    return 1.0 + 0.15 * people + 0.10 * seen, participants


def _member(
    posts: Sequence[ScoredPost], signals: Sequence[Signal], as_of: datetime, members: MemberContext | None,
    settings: TriageSettings,
) -> tuple[float, tuple[str, ...]]:
    """The member multiplier and its plain-language notes, from the asker and the evidence posts' authors."""
    if members is None or not signals:
        return 1.0, ()
    by_id = {sp.post.post_id: sp.post for sp in posts}
    wanted = [root_of(posts).post.post_id, *(pid for s in signals for pid in s.evidence)]
    people = [by_id[pid] for pid in dict.fromkeys(wanted) if pid in by_id]
    notes: list[str] = []
    newcomer = at_risk = False
    for post in people:
        joined = members.joined_at.get(post.author_id)
        days = (as_of - utc(joined)).total_seconds() / 86400 if joined is not None else None
        if not newcomer and days is not None and 0 <= days <= settings.newcomer_days:
            newcomer = True
            notes.append(f"the author of post {post.post_id} is a newcomer (joined {days:.0f} days ago)")
        if not at_risk and post.author_id in members.at_risk:
            at_risk = True
            notes.append(f"the author of post {post.post_id} is in an at-risk cohort")
    factor = min(MAX_MEMBER, 1.0 + NEWCOMER_BOOST * newcomer + AT_RISK_BOOST * at_risk)
    return factor, tuple(notes)


# --------------------------------------------------------------------------- combining


def _priority(safety: Signal | None, others: Sequence[Signal], context: float, settings: TriageSettings) -> float:
    if safety is not None:
        return 1.0 + min(1.0, safety.score * context)
    if not others:
        return 0.0
    strengths = sorted((settings.weight(s.reason) * s.score for s in others), reverse=True)
    base = strengths[0] + SECONDARY_SHARE * sum(strengths[1:])
    return _soft_cap(base * context)


def _soft_cap(raw: float) -> float:
    """Identity up to ``KNEE``, then bends smoothly towards ``MAX_ORDINARY_PRIORITY``.

    A hard ``min`` would tie every strong thread at the cap (and lose their order); the bend keeps
    the order and still keeps every non-safety item below any safety one.
    """
    if raw <= KNEE:
        return raw
    room = MAX_ORDINARY_PRIORITY - KNEE
    return KNEE + room * (1.0 - math.exp(-(raw - KNEE) / room))


def _signals(
    thread: ThreadView, visible: Sequence[ScoredPost], recent: Sequence[ScoredPost], as_of: datetime,
    settings: TriageSettings,
) -> tuple[Signal | None, list[Signal]]:
    enabled = set(settings.reasons)
    # Safety reads every visible post: a threat or a crisis in a late reply to an old thread counts.
    safety = safety_signal(visible) if "safety_concern" in enabled else None
    asker = root_of(visible).post.author_id
    candidates = (
        # Evidence of an escalating grievance first (it spans weeks, so the whole thread), else the mood trend.
        (escalation_signal(visible, as_of, settings, asker) or frustration_signal(recent, as_of, settings, asker))
        if "rising_frustration" in enabled else None,
        unanswered_signal(visible, thread, as_of, settings) if "unanswered_question" in enabled else None,
        (milestone_signal(recent, as_of, settings) or excitement_signal(recent, as_of, settings))
        if "amplify_excitement" in enabled else None,
    )
    others = sorted((s for s in candidates if s is not None), key=lambda s: -settings.weight(s.reason) * s.score)
    return safety, others


def _explain(fired: Sequence[Signal], notes: Sequence[str], visible: Sequence[ScoredPost], participants: int) -> str:
    if not fired:
        return (f"No triage signal: {plural(len(visible), 'post')}, {plural(participants, 'participant')}, "
                f"latest post {visible[-1].post.post_id}.")
    text = " ".join(s.explanation for s in fired)
    if notes:
        text += " Member context: " + "; ".join(notes) + "."
    return text + f" {plural(participants, 'participant')}."


def _assess(
    thread: ThreadView, as_of: datetime, settings: TriageSettings, provenance: Provenance | None,
    members: MemberContext | None,
) -> Assessment | None:
    visible = sorted(
        (sp for sp in thread.posts if utc(sp.post.created_at) <= as_of),
        key=lambda sp: (utc(sp.post.created_at), sp.post.post_id),
    )
    if not visible:
        return None  # the thread did not exist yet at as_of
    window_start = as_of - timedelta(days=settings.window_days)
    recent = [sp for sp in visible if utc(sp.post.created_at) >= window_start]
    safety, others = _signals(thread, visible, recent, as_of, settings)
    fired = ([safety] if safety else []) + others
    reach, participants = _reach(visible)
    member, notes = _member(visible, others, as_of, members, settings)
    priority = _priority(safety, others, reach * member, settings)
    root = root_of(visible).post
    item = TriageItem(
        thread_id=thread.thread_id,
        needs_attention=safety is not None or (bool(others) and priority >= settings.attention_threshold),
        priority=priority,
        reasons=tuple(s.reason for s in fired),
        explanation=_explain(fired, notes, visible, participants),
        evidence_post_ids=tuple(dict.fromkeys(pid for s in fired for pid in s.evidence)),
        channel=thread.channel or root.channel,
        title=thread.title or root.title,
        provenance=provenance,
    )
    return Assessment(item, tuple(fired), utc(visible[-1].post.created_at), notes)


def assess_threads(
    threads: Iterable[ThreadView],
    *,
    as_of: datetime,
    settings: TriageSettings,
    provenance: Provenance | None = None,
    joined_at: Mapping[str, datetime] | None = None,
    at_risk: Collection[str] | None = None,
) -> list[Assessment]:
    """Like ``rank_threads``, keeping each item's signals (trigger times, details) for the queue."""
    as_of = utc(as_of)
    members = MemberContext(joined_at or {}, frozenset(at_risk or ())) if joined_at or at_risk else None
    found = (_assess(thread, as_of, settings, provenance, members) for thread in threads)
    return sorted((a for a in found if a is not None), key=lambda a: (-a.item.priority, a.item.thread_id))


def rank_threads(
    threads: Iterable[ThreadView],
    *,
    as_of: datetime,
    settings: TriageSettings,
    provenance: Provenance | None = None,
    joined_at: Mapping[str, datetime] | None = None,
    at_risk: Collection[str] | None = None,
) -> list[TriageItem]:
    """Rank threads for the moderator queue as of ``as_of``: highest priority first, ties by id.

    Threads with no post at or before ``as_of`` are left out. Every other thread gets an item,
    with ``needs_attention`` False when nothing fired or the priority is below
    ``settings.attention_threshold``. ``joined_at`` (author_id -> join time) and ``at_risk``
    (author ids) are optional member context.
    """
    return [a.item for a in assess_threads(threads, as_of=as_of, settings=settings, provenance=provenance,
                                           joined_at=joined_at, at_risk=at_risk)]
