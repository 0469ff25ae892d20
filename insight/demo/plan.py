"""Thread plans: posts with times, authors and reply structure, before they get ids.

Builders (ordinary threads, planted scenarios, stories) return ``PlannedThread``s; the
community module sorts them by time, trims them at the window's end and only then assigns
thread and post ids, so a planted thread's id gives nothing away.
"""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass
class PlannedPost:
    at: datetime
    author: str
    kind: str
    text: str
    parent: int | None = None  # index of the replied-to post within the same thread
    title: str | None = None
    accepted: bool = False
    reactions: int = 0
    helpful_votes: int = 0
    views: int = 0
    planted: bool = False  # scenario text that must reach the output unchanged


@dataclass
class PlannedThread:
    channel: str
    topic: str
    posts: list[PlannedPost] = field(default_factory=list)
    platform: str = "discourse"
    scenario: str | None = None  # a truth key: rising_frustration, unsafe, unanswered, excited_showcase, stories
    story_post: int | None = None  # index of the post that tells the story
    story_tags: tuple[str, ...] = ()
    unsafe_post: int | None = None  # index of the unsafe post

    @property
    def start(self) -> datetime:
        return self.posts[0].at

    def add(self, post: PlannedPost) -> int:
        """Appends ``post`` and returns its index, for later replies to point at."""
        self.posts.append(post)
        return len(self.posts) - 1

    def trim(self, end: datetime) -> None:
        """Drops the posts at or after ``end`` (the window is half-open)."""
        # Replies are built after their parents with later times, so every kept reply keeps its parent.
        self.posts = [post for post in self.posts if post.at < end]


def later(rng: random.Random, at: datetime, median_hours: float, spread: float = 0.9,
          cap_hours: float = 24 * 6) -> datetime:
    """``at`` plus a log-normal delay: most replies come fast, a few take days."""
    hours = min(rng.lognormvariate(math.log(median_hours), spread), cap_hours)
    return at + timedelta(hours=max(hours, 0.05))


def at_days_before(end: datetime, rng: random.Random, low: float, high: float) -> datetime:
    """A time ``low`` to ``high`` days before ``end``, for scenarios set in the last days."""
    return end - timedelta(days=rng.uniform(low, high))


def iso(at: datetime) -> str:
    """ISO-8601 in UTC with a Z, to the second: the form every demo file uses."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_months(at: datetime, months: int) -> datetime:
    """The same day and time ``months`` later, clamped to the month's last day (Jan 31 + 1 -> Feb 28)."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return at.replace(year=year, month=month + 1, day=day)
