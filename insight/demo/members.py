"""Demo members: cohorts, consent flags, activity levels, and who may post when.

Members join over the six months before the window and during it; ids follow join order,
as on real platforms. Each member has an activity weight (a few regulars write most
posts), a helpfulness weight (mentors and staff answer most questions) and a last active
day (some members drift away, which is what retention measures).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

STAFF_COUNT = 4
MOTIVATION_WEIGHTS = {"learn": 38, "build": 30, "lead": 14, "other": 18}
SEGMENT_WEIGHTS = {"hobbyist": 30, "startup": 30, "enterprise": 20, "student": 20}
REGION_WEIGHTS = {"NA": 35, "EU": 30, "APAC": 20, "LATAM": 10, "MEA": 5}
PLAN_BY_SEGMENT = {
    "hobbyist": {"free": 85, "pro": 15},
    "student": {"free": 92, "pro": 8},
    "startup": {"free": 25, "pro": 60, "team": 15},
    "enterprise": {"free": 10, "pro": 20, "team": 70},
}
HELPFULNESS = {"lead": 3.0, "build": 1.2, "learn": 0.4, "other": 0.6}
RETAINED_SHARE = {"lead": 0.8, "build": 0.65, "learn": 0.5, "other": 0.35}
NO_ANALYTICS_CONSENT = 0.10
QUOTE_CONSENT = 0.75  # among members who consent to analytics
# Authors of a handful of posts who are not in members.csv (deleted accounts, imports).
UNKNOWN_AUTHORS = ("u0901", "u0902", "u0903")


@dataclass(frozen=True)
class Profile:
    author_id: str
    joined_at: datetime
    motivation: str
    segment: str
    region: str
    plan: str
    consent_analytics: bool
    consent_quotes: bool
    activity: float
    helpfulness: float
    active_until: datetime
    staff: bool = False

    def can_post(self, at: datetime) -> bool:
        # An hour's margin: nobody posts in the second they sign up.
        return self.joined_at + timedelta(hours=1) <= at <= self.active_until


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _join_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A third join in the six months before the window, the rest during it (the community grows)."""
    if rng.random() < 0.35:
        return start - timedelta(days=rng.uniform(1, 182), seconds=rng.randrange(86400))
    span_days = (end - start).days - 3
    return start + timedelta(days=span_days * rng.random() ** 0.8, seconds=rng.randrange(86400))


def _profile(rng: random.Random, joined_at: datetime, end: datetime) -> Profile:
    """A member without an id yet (ids follow join order, known only once everyone has joined)."""
    motivation = _weighted(rng, MOTIVATION_WEIGHTS)
    segment = _weighted(rng, SEGMENT_WEIGHTS)
    analytics = rng.random() >= NO_ANALYTICS_CONSENT
    quotes = analytics and rng.random() < QUOTE_CONSENT
    activity = rng.lognormvariate(0.0, 0.9)
    retained = rng.random() < RETAINED_SHARE[motivation]
    active_until = end + timedelta(days=30) if retained else joined_at + timedelta(days=rng.uniform(10, 80))
    return Profile(
        author_id="",
        joined_at=joined_at,
        motivation=motivation,
        segment=segment,
        region=_weighted(rng, REGION_WEIGHTS),
        plan=_weighted(rng, PLAN_BY_SEGMENT[segment]),
        consent_analytics=analytics,
        consent_quotes=quotes,
        activity=activity,
        helpfulness=activity * HELPFULNESS[motivation],
        active_until=active_until,
    )


def _staff(index: int, start: datetime, end: datetime) -> Profile:
    """A community team member: joined long ago, answers a lot, posts the announcements."""
    return Profile(author_id="", joined_at=start - timedelta(days=400 + 30 * index), motivation="lead",
                   segment="staff", region=("NA", "EU", "EU", "APAC")[index % 4], plan="team",
                   consent_analytics=True, consent_quotes=True, activity=3.0, helpfulness=9.0,
                   active_until=end + timedelta(days=30), staff=True)


def make_members(rng: random.Random, start: datetime, end: datetime, count: int = 300) -> list[Profile]:
    """``count`` members: a few staff who joined long ago, then everyone else in join order."""
    staff = [_staff(i, start, end) for i in range(STAFF_COUNT)]
    others = sorted((_profile(rng, _join_time(rng, start, end), end) for _ in range(count - STAFF_COUNT)),
                    key=lambda p: p.joined_at)
    return [dataclasses.replace(p, author_id=f"u{i + 1:04d}") for i, p in enumerate(staff + others)]


class Cast:
    """Picks plausible authors at a given time, weighted by who tends to write what."""

    def __init__(self, rng: random.Random, members: list[Profile]) -> None:
        self.rng = rng
        self.members = members

    def _pick(self, at: datetime, weight: Callable[[Profile], float], exclude: Collection[str] = ()) -> Profile:
        pool = [m for m in self.members if m.can_post(at) and m.author_id not in exclude and weight(m) > 0]
        if not pool:
            raise LookupError(f"no member fits at {at:%Y-%m-%d %H:%M}")
        return self.rng.choices(pool, weights=[weight(m) for m in pool])[0]

    def asker(self, at: datetime, exclude: Collection[str] = ()) -> Profile:
        """Someone with a question: newer, learning members ask most."""
        return self._pick(at, lambda m: m.activity * (0.2 if m.staff else 1.6 if m.motivation == "learn" else 1.0),
                          exclude)

    def helper(self, at: datetime, exclude: Collection[str] = ()) -> Profile:
        return self._pick(at, lambda m: m.helpfulness, exclude)

    def anyone(self, at: datetime, exclude: Collection[str] = ()) -> Profile:
        return self._pick(at, lambda m: 0.3 if m.staff else m.activity, exclude)

    def builder(self, at: datetime, exclude: Collection[str] = ()) -> Profile:
        """Someone showing a project: builders mostly."""
        return self._pick(at, lambda m: 0.0 if m.staff else m.activity * (3.0 if m.motivation == "build" else 0.5),
                          exclude)

    def staff(self, at: datetime, exclude: Collection[str] = ()) -> Profile:
        return self._pick(at, lambda m: 1.0 if m.staff else 0.0, exclude)

    def consenting(self, at: datetime, exclude: Collection[str] = (), *, quotes: bool = True,
                   newcomer: bool = False) -> Profile:
        """A member who consented to analytics and (with ``quotes``) to being quoted: story authors.

        ``newcomer`` prefers someone who joined in the last 75 days, when there is one.
        """
        def weight(m: Profile) -> float:
            if m.staff or not m.consent_analytics or m.consent_quotes != quotes:
                return 0.0
            if newcomer and at - m.joined_at > timedelta(days=75):
                return 0.0
            return 1.0

        try:
            return self._pick(at, weight, exclude)
        except LookupError:
            if not newcomer:
                raise
            return self.consenting(at, exclude, quotes=quotes)
