"""Escalation: a grievance that grows with time waited, broken promises, repeated check-ins and threats to leave.

The sentiment trend (``detectors.frustration_signal``) misses the commonest escalation in a
support or maintainer community: a member who stays polite while a promise lapses, who checks in
again and again, whose thread staff "escalated" with nothing since, and who ends by threatening
a dispute, a cancellation or a move to another tool. This reads that evidence directly:

- **waited**: hours from the question to the asker's latest post;
- **broken promises**: a reply by someone else that promised a date ("within 3 business days",
  "next week", "in 2.3") that passed before the asker wrote again;
- **check-ins**: the asker's follow-ups that say nothing happened, or come after a lapsed promise;
- **escalated without resolution**: a responder passing it on, with the asker still writing after;
- **intent to leave**: a follow-up by the asker threatening to cancel, dispute, refund, switch or not renew.

A thread fires when a member intends to leave after waiting (a check-in, a broken promise or
three days), or on two check-ins after a broken promise or an escalation, or clearly negative with one of them
left waiting (no new fix offered since the asker's previous post), or on three check-ins with one waiting.
An accepted answer after the last grievance, or the asker thanking without a new complaint,
ends it. The score is 0.45 for the weakest firing thread up to 1.0 for all the evidence, so a
fired escalation always clears the attention threshold, then cools as the thread goes quiet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.config import TriageSettings
from insight.triage.cues import asks_back, is_me_too, says_resolved
from insight.triage.detectors import (
    ScoredPost,
    Signal,
    clamp,
    duration,
    freshness,
    hours_between,
    plural,
    root_of,
    utc,
)
from insight.triage.evidence import (
    checks_in,
    escalates,
    intends_to_leave,
    only_shares_the_question,
    promise_hours,
    thanks,
)

BASE = 0.45  # a firing escalation's floor: above the attention threshold at full weight
PATIENCE_HOURS = 72.0  # waiting this long counts like a check-in for a threat to leave
FULL_WAIT_HOURS = 14 * 24.0  # two weeks waited gives the full "waited" share
ANGRY = -0.5  # mean sentiment of the check-ins that makes two of them enough


@dataclass(frozen=True)
class Grievance:
    """The evidence one thread holds; post ids in thread order."""

    waited_hours: float
    check_ins: tuple[ScoredPost, ...]
    broken: tuple[tuple[ScoredPost, datetime], ...]  # the promise and when it lapsed
    escalated: tuple[ScoredPost, ...]
    leave: tuple[ScoredPost, ...]
    waiting: tuple[ScoredPost, ...] = ()  # check-ins with no new help since the asker's previous post
    echoes: tuple[ScoredPost, ...] = ()  # other members saying it is still broken: evidence, not a check-in

    @property
    def angry(self) -> bool:
        """The check-ins themselves are clearly negative: the mood backs the evidence."""
        return bool(self.check_ins) and sum(sp.sentiment for sp in self.check_ins) / len(self.check_ins) <= ANGRY

    def fires(self) -> bool:
        if self.leave and (self.check_ins or self.broken or self.waited_hours >= PATIENCE_HOURS):
            return True
        if len(self.check_ins) >= 2 and (self.broken or self.escalated or (self.angry and self.waiting)):
            return True
        return len(self.check_ins) >= 3 and bool(self.waiting)

    def strength(self) -> float:
        share = (0.3 * min(1.0, len(self.check_ins) / 3) + 0.2 * bool(self.broken) + 0.15 * bool(self.escalated)
                 + 0.2 * bool(self.leave) + 0.15 * min(1.0, self.waited_hours / FULL_WAIT_HOURS))
        return BASE + (1 - BASE) * share


def _resolved(posts: Sequence[ScoredPost], asker: str) -> bool:
    """An accepted answer, or the asker's latest word is thanks or "works" with no new complaint."""
    theirs = [sp for sp in posts[1:] if sp.post.author_id == asker]
    last_complaint = max((i for i, sp in enumerate(posts) if sp.post.author_id == asker and i > 0
                          and (checks_in(sp.post.text) or intends_to_leave(sp.post.text))), default=0)
    if any(sp.post.accepted_answer for sp in posts[last_complaint + 1:]):
        return True
    if not theirs:
        return False
    last = theirs[-1]
    text = last.post.text
    return (says_resolved(text) or thanks(text)) and not checks_in(text) and not intends_to_leave(text)


def gather(posts: Sequence[ScoredPost], asker: str) -> Grievance:
    """The escalation evidence of a thread (posts oldest first, the question first)."""
    root = posts[0]
    mine = [sp for sp in posts[1:] if sp.post.author_id == asker]
    responders = [sp for sp in posts[1:] if sp.post.author_id != asker]
    last_mine = utc(mine[-1].post.created_at) if mine else utc(root.post.created_at)
    promises = [(sp, utc(sp.post.created_at) + timedelta(hours=h)) for sp in responders
                if (h := promise_hours(sp.post.text)) is not None]
    broken = tuple((sp, due) for sp, due in promises if any(utc(m.post.created_at) > due for m in mine))
    lapsed = [due for _, due in broken]
    check_ins = tuple(sp for sp in mine if checks_in(sp.post.text)
                      or any(utc(sp.post.created_at) > due for due in lapsed))
    escalated = tuple(sp for sp in responders if escalates(sp.post.text)
                      and any(m.post.created_at > sp.post.created_at for m in mine))
    # Only the asker's follow-ups: a helper explaining refunds, or the question asking how to get one, is no threat.
    leave = tuple(sp for sp in mine if intends_to_leave(sp.post.text))
    waiting = tuple(sp for sp in check_ins if not _helped_before(posts, sp, asker))
    speakers = {sp.post.author_id for sp, _ in promises} | {sp.post.author_id for sp in escalated}
    echoes = tuple(sp for sp in responders if sp.post.author_id not in speakers
                   and (checks_in(sp.post.text) or intends_to_leave(sp.post.text)))
    return Grievance(hours_between(root.post.created_at, last_mine), check_ins, broken, escalated, leave, waiting,
                     echoes)


def _helped_before(posts: Sequence[ScoredPost], check_in: ScoredPost, asker: str) -> bool:
    """Whether someone offered a new fix since the asker last wrote: "still failing" after trying it is a
    conversation in progress, not a member left waiting. Promises, escalations, "me too" replies and
    questions back are not help."""
    at = posts.index(check_in)
    start = max((i for i in range(at) if posts[i].post.author_id == asker), default=0)
    for sp in posts[start + 1:at]:
        text = sp.post.text
        if (promise_hours(text) is None and not escalates(text) and not is_me_too(text)
                and not only_shares_the_question(text) and not asks_back(text)):
            return True
    return False


def _explain(g: Grievance, as_of: datetime) -> str:
    parts = [f"Escalating: the asker has waited {duration(g.waited_hours)}"]
    for promise, due in g.broken[:2]:
        parts.append(f"a reply promised a date (post {promise.post.post_id}) that passed "
                     f"{duration(hours_between(due, as_of))} ago")
    if g.check_ins:
        ids = ", ".join(sp.post.post_id for sp in g.check_ins)
        parts.append(f"{plural(len(g.check_ins), 'check-in')} with nothing done (posts {ids})")
    if g.escalated:
        parts.append(f"it was escalated in post {g.escalated[-1].post.post_id} with no resolution since")
    if g.echoes:
        ids = ", ".join(sp.post.post_id for sp in g.echoes)
        parts.append(f"{plural(len(g.echoes), 'other member')} say it is still not fixed (posts {ids})")
    if g.leave:
        parts.append(f"post {g.leave[-1].post.post_id} threatens to cancel, dispute or leave")
    return "; ".join(parts) + "."


def escalation_signal(posts: Sequence[ScoredPost], as_of: datetime, settings: TriageSettings,
                      asker: str | None = None) -> Signal | None:
    """A grievance escalating with time and unkept promises; reads the whole visible thread (oldest first)."""
    if len(posts) < 2:
        return None
    asker = asker or root_of(posts).post.author_id
    if _resolved(posts, asker):
        return None
    g = gather(posts, asker)
    if not g.fires():
        return None
    evidence_posts = [*(p for p, _ in g.broken), *g.check_ins, *g.escalated, *g.leave, *g.echoes]
    latest = evidence_posts or [posts[-1]]
    trigger = max(utc(sp.post.created_at) for sp in latest)
    score = clamp(g.strength() * freshness(hours_between(trigger, as_of), settings))
    order = {sp.post.post_id: i for i, sp in enumerate(posts)}
    evidence = tuple(sorted({sp.post.post_id for sp in evidence_posts}, key=order.__getitem__))
    detail = {"waited_hours": round(g.waited_hours, 1), "check_ins": len(g.check_ins), "broken_promises": len(g.broken),
              "escalated": len(g.escalated), "intent_to_leave": len(g.leave), "kind": "escalation"}
    return Signal("rising_frustration", score, _explain(g, as_of), evidence, trigger, detail)
