"""Topic banks' shape and the composers that turn a bank into post texts.

A ``SupportTopic`` is a help-desk subject (auth, deployment, billing...) with its own
vocabulary, so a topic model can tell the subjects apart. It holds several ``Issue``s;
one thread is about one issue, and its slot values (the identity provider, the error
message, the device) are drawn once per thread by ``subject()``, so the title, the
question, the answers and the "me too" replies all talk about the same thing. A
``SocialTopic`` is a community subject (showcase, events, introductions, releases).
The composers add the personal framing (greetings, context, asides, sign-offs).

The topics themselves are data: ``data/topics_product.toml`` and ``data/topics_platform.toml``
hold the help topics, ``data/topics_social.toml`` the community ones, and the composers' fixed
lines are in ``data/phrases.toml``; ``support_topics`` and ``social_topics`` build them once,
through ``banks``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from insight.demo import banks
from insight.demo.phrases import LINES, SHARED, Slots, fill, join, maybe, pick_fill, put

SUPPORT_FILES = ("topics_product.toml", "topics_platform.toml")
SOCIAL_FILE = "topics_social.toml"
_ISSUE_PARTS = ("titles", "questions", "details", "answers", "solved", "unsolved", "metoo")
_SOCIAL_PARTS = ("titles", "openers", "details", "replies", "author_replies", "extras")


@dataclass(frozen=True)
class Issue:
    """One problem within a topic, and how a thread about it unfolds."""

    titles: tuple[str, ...]
    questions: tuple[str, ...]
    details: tuple[str, ...]
    answers: tuple[str, ...]
    solved: tuple[str, ...]
    unsolved: tuple[str, ...]
    metoo: tuple[str, ...]


@dataclass(frozen=True)
class SupportTopic:
    """A help subject: its issues, plus lines that fit any issue in it, and feature requests."""

    key: str
    channels: tuple[tuple[str, int], ...]  # (channel, weight) where threads on this topic start
    issues: tuple[Issue, ...]
    details: tuple[str, ...]
    requests: tuple[tuple[str, str], ...]  # (title, body) of feature requests
    probes: tuple[str, ...]  # clarifying questions a helper asks when the known answers are used up
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SocialTopic:
    """A community subject: an opening post, replies from others, and the opener's answers."""

    key: str
    channels: tuple[tuple[str, int], ...]
    titles: tuple[str, ...]
    openers: tuple[str, ...]
    details: tuple[str, ...]
    replies: tuple[str, ...]
    author_replies: tuple[str, ...]
    extras: tuple[str, ...]  # a second, personal sentence that makes short replies less alike
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """What one support thread is about: a topic, one of its issues, slot values fixed for the thread."""

    topic: SupportTopic
    issue: Issue
    slots: Slots


Topic = TypeVar("Topic", SupportTopic, SocialTopic)


def support_topics(order: Sequence[str]) -> tuple[SupportTopic, ...]:
    """The help topics of ``SUPPORT_FILES``, in ``order`` (their keys, each once)."""
    found: dict[str, SupportTopic] = {}
    for file in SUPPORT_FILES:
        root = banks.read(file)
        for key in root.data:
            if key in found:
                raise root.error(key, f"topic '{key}' is already defined in another of {', '.join(SUPPORT_FILES)}")
            found[key] = _support_topic(key, root.table(key))
    return _ordered(found, order, ", ".join(SUPPORT_FILES))


def social_topics(order: Sequence[str]) -> tuple[SocialTopic, ...]:
    """The community topics of ``SOCIAL_FILE``, in ``order`` (their keys, each once)."""
    root = banks.read(SOCIAL_FILE)
    found = {key: _social_topic(key, root.table(key)) for key in root.data}
    return _ordered(found, order, SOCIAL_FILE)


def _ordered(found: dict[str, Topic], order: Sequence[str], files: str) -> tuple[Topic, ...]:
    # Which topic comes first is part of the seeded draw, so the generator fixes it, not the files;
    # a topic added to a file therefore needs its place in the generator's list too.
    if sorted(found) != sorted(order):
        raise banks.BankError(f"{banks.DATA_DIR}/{files}: the topics {', '.join(found)} differ from the ones the "
                              f"generator places, {', '.join(order)} (insight/demo/threads.py)")
    return tuple(found[key] for key in order)


def _support_topic(key: str, table: banks.Table) -> SupportTopic:
    table.only("channels", "details", "probes", "slots", "issues", "requests")
    issues = tuple(Issue(*(t.only(*_ISSUE_PARTS).texts(part) for part in _ISSUE_PARTS)) for t in table.tables("issues"))
    requests = tuple((t.only("title", "body").text("title"), t.text("body")) for t in table.tables("requests"))
    return SupportTopic(key=key, channels=_channels(table), issues=issues, details=table.texts("details"),
                        requests=requests, probes=table.texts("probes"), slots=table.slots())


def _social_topic(key: str, table: banks.Table) -> SocialTopic:
    table.only("channels", "slots", *_SOCIAL_PARTS)
    return SocialTopic(key, _channels(table), *(table.texts(part) for part in _SOCIAL_PARTS), slots=table.slots())


def _channels(topic: banks.Table) -> tuple[tuple[str, int], ...]:
    table = topic.table("channels")
    return tuple((channel, table.integer(channel)) for channel in table.data)


def bind(slots: Slots, rng: random.Random, shared: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Every slot in ``slots`` (and the named ``shared`` ones) reduced to one filled value."""
    bound = {name: (fill(rng.choice(values), rng, slots),) for name, values in slots.items()}
    bound.update({name: (fill(rng.choice(SHARED[name]), rng),) for name in shared})
    return bound


def subject(topic: SupportTopic, rng: random.Random, issue: int | None = None) -> Subject:
    chosen = topic.issues[issue] if issue is not None else rng.choice(topic.issues)
    return Subject(topic, chosen, bind(topic.slots, rng))


def bound_social(topic: SocialTopic, rng: random.Random) -> Slots:
    """A social thread's slots: its project, city or event stay the same from post to post."""
    return bind(topic.slots, rng, shared=("city",))


_QUESTION_DURATION = LINES.text("question_duration")
_CHAT_OPENERS = LINES.texts("chat_opener")
_SOLVED_CLOSERS = LINES.texts("solved_closer")
_FOLLOWING = LINES.texts("following")
_VOTES = LINES.texts("vote")
_REQUEST_TITLE = LINES.text("request_title")


def _details(s: Subject) -> tuple[str, ...]:
    return s.issue.details + s.topic.details


def question_post(s: Subject, rng: random.Random) -> tuple[str, str]:
    """(title, text) of a question that opens a help thread."""
    title = pick_fill(s.issue.titles, rng, s.slots)
    first, second = rng.sample(_details(s), 2)
    text = join(
        maybe(rng, 0.6, "{greeting}"),
        pick_fill(s.issue.questions, rng, s.slots),
        fill(first, rng, s.slots),
        maybe(rng, 0.35, second, s.slots),
        maybe(rng, 0.25, _QUESTION_DURATION),
        maybe(rng, 0.45, "{context}"),
        maybe(rng, 0.6, "{signoff}"),
    )
    return title, text


def chat_question(s: Subject, rng: random.Random) -> str:
    """A short chat message asking about the issue (no title, lighter framing)."""
    return join(
        maybe(rng, 0.3, rng.choice(_CHAT_OPENERS)),
        pick_fill(s.issue.questions, rng, s.slots),
        maybe(rng, 0.4, rng.choice(_details(s)), s.slots),
    )


def has_fresh_answer(s: Subject, used: list[str]) -> bool:
    """Whether an answer not yet given in the thread remains (else helpers can only ask questions)."""
    return any(a not in used for a in s.issue.answers)


def answer_post(s: Subject, rng: random.Random, used: list[str] | None = None) -> str:
    """An answer; with ``used``, each known answer is given once per thread, then helpers ask questions."""
    used = [] if used is None else used
    fresh = [a for a in s.issue.answers if a not in used] or [p for p in s.topic.probes if p not in used]
    template = rng.choice(fresh or s.topic.probes)
    used.append(template)
    opener = maybe(rng, 0.55, "{answer_open}")
    body = fill(template, rng, s.slots)
    closer = maybe(rng, 0.6, "{answer_close}")
    # A bare template answer would repeat word for word across threads; people rarely write that way.
    aside = "" if opener or closer else maybe(rng, 0.85, "{aside}")
    return join(opener, body, closer, aside)


def solved_post(s: Subject, rng: random.Random, used: list[str] | None = None) -> str:
    """The asker confirming a fix; when the issue pairs fixes with answers, the one for the last answer given."""
    solved, answers = s.issue.solved, s.issue.answers
    given = [u for u in used or () if u in answers]
    paired = bool(given) and len(solved) == len(answers)
    template = solved[answers.index(given[-1])] if paired else rng.choice(solved)
    return join(
        maybe(rng, 0.35, "{mention}"),
        maybe(rng, 0.5, "{thanks}!"),
        fill(template, rng, s.slots),
        maybe(rng, 0.3, rng.choice(_SOLVED_CLOSERS)),
        maybe(rng, 0.6, "{aside}"),
    )


def unsolved_post(s: Subject, rng: random.Random) -> str:
    return join(maybe(rng, 0.35, "{mention}"), pick_fill(s.issue.unsolved, rng, s.slots),
                maybe(rng, 0.6, rng.choice(_details(s)), s.slots), maybe(rng, 0.5, "{aside}"))


def metoo_post(s: Subject, rng: random.Random, used: list[str] | None = None) -> str:
    """Someone else with the same problem; each "me too" line once per thread, then plain following."""
    used = [] if used is None else used
    fresh = [m for m in s.issue.metoo if m not in used]
    template = rng.choice(fresh) if fresh else rng.choice(_FOLLOWING)
    used.append(template)
    return join(
        fill(template, rng, s.slots),
        maybe(rng, 0.6, rng.choice(s.topic.details), s.slots),
        maybe(rng, 0.5, "{context}"),
        maybe(rng, 0.5, "{aside}"),
    )


def request_post(topic: SupportTopic, rng: random.Random, slots: Slots) -> tuple[str, str]:
    """(title, text) of a feature request built from the topic's vocabulary."""
    title, body = rng.choice(topic.requests)
    text = join(maybe(rng, 0.4, "{greeting}"), fill(body, rng, slots), maybe(rng, 0.5, "{request_why}"),
                maybe(rng, 0.4, "{context}"))
    return put(_REQUEST_TITLE, title=fill(title, rng, slots)), text


def request_reply(topic: SupportTopic, rng: random.Random, slots: Slots) -> str:
    return join(maybe(rng, 0.2, "{mention}"), rng.choice(_VOTES), maybe(rng, 0.5, "{request_why}"),
                maybe(rng, 0.7, "{aside}"))


def social_opener(topic: SocialTopic, rng: random.Random, slots: Slots) -> tuple[str, str]:
    title = pick_fill(topic.titles, rng, slots)
    first, second = rng.sample(topic.details, 2)
    text = join(pick_fill(topic.openers, rng, slots), fill(first, rng, slots), maybe(rng, 0.4, second, slots))
    return title, text


def social_reply(topic: SocialTopic, rng: random.Random, slots: Slots) -> str:
    first, second = rng.sample(topic.replies, 2)
    return join(fill(first, rng, slots), maybe(rng, 0.95, rng.choice(topic.extras), slots),
                maybe(rng, 0.25, second, slots))


def social_author_reply(topic: SocialTopic, rng: random.Random, slots: Slots) -> str:
    return join(maybe(rng, 0.4, "{mention}"), pick_fill(topic.author_replies, rng, slots),
                maybe(rng, 0.95, rng.choice(topic.extras), slots))
