"""Ordinary threads: help questions, feature requests, social threads and chat, with realistic rhythm.

Help threads follow the shapes seen on real forums: answered and accepted, answered after
a second try, left open with several suggestions, or (rarely) never answered. First
responses come within hours, chat replies within minutes.

The topics come from ``data/topics_*.toml`` and the staff's answers to feature requests
from ``data/phrases.toml`` (``[lines]``), read once through ``banks``.
"""

from __future__ import annotations

import random
from datetime import datetime

from insight.demo import banks
from insight.demo import topics as compose
from insight.demo.members import Cast
from insight.demo.phrases import LINES, fill, join
from insight.demo.plan import PlannedPost, PlannedThread, later
from insight.demo.topics import SocialTopic, Subject, SupportTopic

# In this order: a weighted draw among topics depends on their order, so it is part of what a seed gives.
SUPPORT_TOPICS = compose.support_topics(("auth", "deploy", "billing", "api", "mobile", "export", "performance"))
SOCIAL_TOPICS = compose.social_topics(("showcase", "events", "intro", "release"))
TOPICS: dict[str, SupportTopic | SocialTopic] = {t.key: t for t in (*SUPPORT_TOPICS, *SOCIAL_TOPICS)}
SUPPORT: dict[str, SupportTopic] = {t.key: t for t in SUPPORT_TOPICS}
SOCIAL: dict[str, SocialTopic] = {t.key: t for t in SOCIAL_TOPICS}
CHAT_CHANNEL = "chat"  # the one Slack channel; every other channel is on Discourse
UNANSWERED_SHARE = 0.03

_STAFF_ACK = LINES.texts("staff_ack")
_STAFF_TAIL = LINES.texts("staff_tail")


def help_issue(table: banks.Table) -> tuple[SupportTopic, int | None]:
    """The help topic (key ``topic``) and issue index (``issue``, optional) that a data file points at."""
    topic = SUPPORT[table.pick("topic", SUPPORT)]
    if "issue" not in table.data:
        return topic, None
    issue = table.integer("issue")
    if not 0 <= issue < len(topic.issues):
        raise table.error("issue", f"topic '{topic.key}' has issues 0 to {len(topic.issues) - 1}, not {issue}")
    return topic, issue


def topics_for(channel: str) -> list[tuple[SupportTopic | SocialTopic, int]]:
    """(topic, weight) pairs for threads that start in ``channel``."""
    return [(t, w) for t in TOPICS.values() for c, w in t.channels if c == channel]


def _counts(rng: random.Random, low: int, high: int) -> int:
    # Triangular towards the low end: most threads are short, a few run long.
    return int(rng.triangular(low, high + 1, low))


def help_thread(rng: random.Random, cast: Cast, topic: SupportTopic, channel: str, at: datetime,
                asker_id: str | None = None, issue: int | None = None) -> PlannedThread:
    """A question and what followed it; ``asker_id`` fixes the asker (a newcomer's first post), ``issue`` the
    problem (an index into ``topic.issues``)."""
    asker = asker_id or cast.asker(at).author_id
    about = compose.subject(topic, rng, issue)
    title, text = compose.question_post(about, rng)
    thread = PlannedThread(channel=channel, topic=topic.key)
    thread.add(PlannedPost(at, asker, "question", text, title=title, reactions=rng.randrange(4),
                           views=int(rng.lognormvariate(4.5, 0.8))))
    if rng.random() < UNANSWERED_SHARE:
        return thread
    _answer_rounds(rng, cast, about, thread, asker)
    return thread


def _answer_rounds(rng: random.Random, cast: Cast, about: Subject, thread: PlannedThread, asker: str) -> None:
    last = thread.posts[0].at

    def reply(author: str, kind: str, text: str, parent: int, median_hours: float) -> int:
        nonlocal last
        last = later(rng, last, median_hours)
        return thread.add(PlannedPost(last, author, kind, text, parent=parent, reactions=rng.randrange(3)))

    used: list[str] = []  # answers already given in this thread; nobody repeats them word for word
    helper = cast.helper(last, {asker}).author_id
    answer = reply(helper, "answer", compose.answer_post(about, rng, used), 0, 4.0)
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        reply(cast.anyone(last, {asker}).author_id, "reply", compose.metoo_post(about, rng, used), 0, 6.0)
    shape = rng.choices(("solved", "second_try", "open"), weights=(55, 20, 25))[0]
    if shape == "second_try" and not compose.has_fresh_answer(about, used):
        shape = "solved"  # one known fix for this issue: the first answer was it
    if shape == "second_try":
        reply(asker, "reply", compose.unsolved_post(about, rng), answer, 5.0)
        answer = reply(cast.helper(last, {asker}).author_id, "answer", compose.answer_post(about, rng, used), 0, 6.0)
    if shape in ("solved", "second_try"):
        reply(asker, "reply", compose.solved_post(about, rng, used), answer, 8.0)
        accepted = thread.posts[answer]
        accepted.accepted = True
        accepted.reactions += 1 + rng.randrange(6)
        accepted.helpful_votes = 2 + rng.randrange(9)
        return
    for _ in range(_counts(rng, 1, 4)):
        if rng.random() < 0.4:
            reply(asker, "reply", compose.unsolved_post(about, rng), answer, 10.0)
        kind = "answer" if compose.has_fresh_answer(about, used) else "reply"  # else a clarifying question
        answer = reply(cast.helper(last, {asker}).author_id, kind, compose.answer_post(about, rng, used), 0, 12.0)
        thread.posts[answer].helpful_votes = rng.randrange(4) if kind == "answer" else 0


def request_thread(rng: random.Random, cast: Cast, topic: SupportTopic, at: datetime) -> PlannedThread:
    slots = compose.bind(topic.slots, rng)
    title, text = compose.request_post(topic, rng, slots)
    author = cast.anyone(at).author_id
    thread = PlannedThread(channel="feature-requests", topic=topic.key)
    thread.add(PlannedPost(at, author, "comment", text, title=title, reactions=rng.randrange(12),
                           views=int(rng.lognormvariate(4.2, 0.7))))
    last = at
    for _ in range(_counts(rng, 1, 6)):
        last = later(rng, last, 18.0)
        thread.add(PlannedPost(last, cast.anyone(last, {author}).author_id, "reply",
                               compose.request_reply(topic, rng, slots), parent=0, reactions=rng.randrange(5)))
    if rng.random() < 0.5:
        last = later(rng, last, 24.0)
        thread.add(PlannedPost(last, cast.staff(last).author_id, "reply",
                               join(fill(rng.choice(_STAFF_ACK), rng), fill(rng.choice(_STAFF_TAIL), rng)), parent=0,
                               reactions=rng.randrange(6)))
    return thread


def social_thread(rng: random.Random, cast: Cast, topic: SocialTopic, channel: str, at: datetime,
                  author_id: str | None = None) -> PlannedThread:
    """A showcase, event, introduction or release thread: an opener, replies, the opener answering."""
    if author_id is None:
        author_id = _social_author(cast, topic, channel, at)
    slots = compose.bound_social(topic, rng)
    title, text = compose.social_opener(topic, rng, slots)
    thread = PlannedThread(channel=channel, topic=topic.key)
    loud = channel in ("showcase", "announcements")
    thread.add(PlannedPost(at, author_id, "comment", text, title=title,
                           reactions=rng.randrange(2, 15) if loud else rng.randrange(5),
                           views=int(rng.lognormvariate(5.0 if loud else 4.3, 0.7))))
    last = at
    for _ in range(_counts(rng, 1, 7)):
        last = later(rng, last, 10.0)
        replier = cast.anyone(last, {author_id}).author_id
        index = thread.add(PlannedPost(last, replier, "reply", compose.social_reply(topic, rng, slots), parent=0,
                                       reactions=rng.randrange(4)))
        if rng.random() < 0.35:
            last = later(rng, last, 5.0)
            thread.add(PlannedPost(last, author_id, "reply", compose.social_author_reply(topic, rng, slots),
                                   parent=index))
    return thread


def _social_author(cast: Cast, topic: SocialTopic, channel: str, at: datetime) -> str:
    if topic.key == "release" or (topic.key == "events" and channel == "announcements"):
        return cast.staff(at).author_id
    if topic.key == "showcase":
        return cast.builder(at).author_id
    return cast.anyone(at).author_id


def chat_thread(rng: random.Random, cast: Cast, topic: SupportTopic, at: datetime) -> PlannedThread:
    """A Slack thread: a quick question and fast, informal replies; Slack has no accepted answers."""
    asker = cast.asker(at).author_id
    about = compose.subject(topic, rng)
    thread = PlannedThread(channel=CHAT_CHANNEL, topic=topic.key, platform="slack")
    thread.add(PlannedPost(at, asker, "message", compose.chat_question(about, rng), reactions=rng.randrange(2)))
    used: list[str] = []
    last = later(rng, at, 0.4)
    thread.add(PlannedPost(last, cast.helper(last, {asker}).author_id, "message",
                           compose.answer_post(about, rng, used), parent=0, reactions=rng.randrange(4)))
    others = _counts(rng, 0, 2)
    for _ in range(others):
        last = later(rng, last, 0.5)
        thread.add(PlannedPost(last, cast.anyone(last, {asker}).author_id, "message",
                               compose.metoo_post(about, rng, used), parent=0, reactions=rng.randrange(2)))
    if rng.random() < 0.6:
        last = later(rng, last, 0.5)
        thread.add(PlannedPost(last, asker, "message", compose.solved_post(about, rng, used), parent=0))
    return thread


def ordinary_thread(rng: random.Random, cast: Cast, channel: str, at: datetime) -> PlannedThread:
    """A thread in ``channel`` on a topic that belongs there."""
    options = topics_for(channel) if channel != CHAT_CHANNEL else [(t, 1) for t in SUPPORT_TOPICS]
    topic = rng.choices([t for t, _ in options], weights=[w for _, w in options])[0]
    if channel == CHAT_CHANNEL:
        assert isinstance(topic, SupportTopic)
        return chat_thread(rng, cast, topic, at)
    if isinstance(topic, SocialTopic):
        return social_thread(rng, cast, topic, channel, at)
    if channel == "feature-requests":
        return request_thread(rng, cast, topic, at)
    return help_thread(rng, cast, topic, channel, at)
