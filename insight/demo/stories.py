"""Member stories worth telling: each with a before, what the community did, and an outcome.

Four kinds, matching the demo taxonomy's tags: a mentor guided a newcomer, a peer answer
saved a deal or launch, a bug fixed together, an event that led to a collaboration. Most
stories open their own thread; one per tag is told as an update at the end of the help
or event thread where it happened, which is how stories usually surface.

The kinds' wording, their helpers' names and the replies under stories are in
``data/stories.toml``, read once through ``banks``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.demo import banks, threads
from insight.demo.members import Cast
from insight.demo.phrases import Slots, join, maybe, pick_fill
from insight.demo.plan import PlannedPost, PlannedThread, later
from insight.demo.topics import SupportTopic, bind

_PARTS = ("titles", "before", "action", "outcome", "closing")


@dataclass(frozen=True)
class StoryKind:
    tag: str
    titles: tuple[str, ...]
    before: tuple[str, ...]
    action: tuple[str, ...]
    outcome: tuple[str, ...]
    closing: tuple[str, ...]
    slots: dict[str, tuple[str, ...]]
    cases: tuple[dict[str, str], ...] = ()  # slot values that only make sense together (an error and its fix)


# Where a kind's embedded story happens: a help topic, an issue index or None for any, and the kind's case
# that fits that issue or None.
Embedding = tuple[SupportTopic, int | None, int | None]


def _story_kind(tag: str, table: banks.Table, names: banks.Slots) -> tuple[StoryKind, Embedding]:
    table.only("embedded_in", "slots_from", "slots", "cases", *_PARTS)
    inherited = threads.TOPICS[table.pick("slots_from", threads.TOPICS)].slots if "slots_from" in table.data else {}
    cases = _cases(table) if "cases" in table.data else ()
    kind = StoryKind(tag, *(table.texts(part) for part in _PARTS), slots={**inherited, **table.slots(lists=names)},
                     cases=cases)
    where = table.table("embedded_in").only("topic", "issue", "case")
    topic, issue = threads.help_issue(where)
    case = where.integer("case") if "case" in where.data else None
    if case is not None and not 0 <= case < len(cases):
        raise where.error("case", f"the kind has {len(cases)} cases, so no case {case}")
    return kind, (topic, issue, case)


def _cases(kind: banks.Table) -> tuple[dict[str, str], ...]:
    return tuple({key: case.text(key) for key in case.data} for case in kind.tables("cases"))


_STORIES = banks.read("stories.toml")
# First names of the members who help in stories: the report must never show them (they are PII).
HELPER_NAMES = _STORIES.texts("helper_names")
_KINDS = _STORIES.table("kinds")
_BUILT = {tag: _story_kind(tag, _KINDS.table(tag), {"helper_names": HELPER_NAMES}) for tag in _KINDS.data}
STORY_KINDS: tuple[StoryKind, ...] = tuple(kind for kind, _ in _BUILT.values())
# Where the embedded story of each kind happens: a help thread on the matching subject.
_EMBEDDED: dict[str, Embedding] = {tag: where for tag, (_, where) in _BUILT.items()}


def _special(tag: str) -> StoryKind:
    _KINDS.table(tag)  # a BankError naming the file if the kind is gone: the generator has rules for it
    return _BUILT[tag][0]


MENTOR = _special("mentor_guidance")  # told by a newcomer
EVENT_COLLAB = _special("event_collaboration")  # sometimes told in the showcase channel
_LINES = _STORIES.table("lines")
_CHEERS = _LINES.texts("cheers")
_CHEERS_MORE = _LINES.texts("cheers_more")
_FOLLOW_UP = _LINES.texts("follow_up")


def story_slots(kind: StoryKind, rng: random.Random, case: int | None = None) -> Slots:
    """Slot values for one story: the same mentor, city and problem from title to closing line."""
    bound = bind(kind.slots, rng, shared=("city",))
    if kind.cases:
        chosen = kind.cases[case] if case is not None else rng.choice(kind.cases)
        bound.update({name: (value,) for name, value in chosen.items()})
    return bound


def story_text(kind: StoryKind, rng: random.Random, slots: Slots) -> str:
    """Before, community action, outcome and an optional closing line, as one post."""
    return join(pick_fill(kind.before, rng, slots), pick_fill(kind.action, rng, slots),
                pick_fill(kind.outcome, rng, slots), maybe(rng, 0.7, rng.choice(kind.closing), slots))


def story_threads(rng: random.Random, cast: Cast, start: datetime, end: datetime) -> list[PlannedThread]:
    """Three stories per kind: two in their own thread, one told at the end of a help thread."""
    planted = []
    span = (end - timedelta(days=10)) - (start + timedelta(days=10))
    for kind_index, kind in enumerate(STORY_KINDS):
        for j in range(3):
            # Embedded stories come weeks after their thread started, so those threads start earlier.
            at = start + timedelta(days=10) + span * rng.random() * (0.8 if j == 2 else 1.0)
            # One story author consented to analytics but not to quotes: reports must paraphrase them.
            quotes = not (kind_index == 2 and j == 1)
            author = cast.consenting(at, quotes=quotes, newcomer=kind is MENTOR).author_id
            thread = _embedded(rng, cast, kind, at, author) if j == 2 else _standalone(rng, cast, kind, at, author)
            thread.scenario = "stories"
            thread.story_tags = (kind.tag,)
            planted.append(thread)
    return planted


def _standalone(rng: random.Random, cast: Cast, kind: StoryKind, at: datetime, author: str) -> PlannedThread:
    channel = "showcase" if kind is EVENT_COLLAB and rng.random() < 0.5 else "general"
    thread = PlannedThread(channel=channel, topic="story")
    slots = story_slots(kind, rng)
    title = pick_fill(kind.titles, rng, slots)
    thread.story_post = thread.add(PlannedPost(at, author, "comment", story_text(kind, rng, slots), title=title,
                                               reactions=6 + rng.randrange(15), views=150 + rng.randrange(300),
                                               planted=True))
    last = at
    cheers = rng.sample(_CHEERS, rng.randrange(2, 5))
    for line in cheers:
        last = later(rng, last, 8.0)
        text = join(maybe(rng, 0.4, "{mention}"), line, maybe(rng, 0.7, rng.choice(_CHEERS_MORE)))
        thread.add(PlannedPost(last, cast.anyone(last, {author}).author_id, "reply", text, parent=0,
                               reactions=rng.randrange(5)))
    return thread


def _embedded(rng: random.Random, cast: Cast, kind: StoryKind, at: datetime, author: str) -> PlannedThread:
    topic, issue, case = _EMBEDDED[kind.tag]
    thread = threads.help_thread(rng, cast, topic, "help", at, asker_id=author, issue=issue)
    while len(thread.posts) < 2:  # a story needs something to have happened first
        thread = threads.help_thread(rng, cast, topic, "help", at, asker_id=author, issue=issue)
    last = thread.posts[-1].at + timedelta(days=rng.uniform(2, 6))
    text = join(rng.choice(_FOLLOW_UP), story_text(kind, rng, story_slots(kind, rng, case)))
    thread.story_post = thread.add(PlannedPost(last, author, "reply", text, parent=0, reactions=4 + rng.randrange(10),
                                               planted=True))
    return thread

