"""Planted triage scenarios: rising frustration, one veiled threat, unanswered questions, an excited showcase.

Each builder places its thread in the last days of the window, where a moderator's queue
looks, and marks its posts as planted so later steps (PII sprinkling, author swaps) leave
them as written. The threat is veiled, not graphic, and it is the only unsafe post.

What the posts say is in ``data/scenarios.toml`` (read once through ``banks``); this module
decides when they come and who writes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.demo import banks, threads
from insight.demo import topics as compose
from insight.demo.members import Cast
from insight.demo.phrases import fill, join, put
from insight.demo.plan import PlannedPost, PlannedThread, at_days_before, later
from insight.demo.topics import SupportTopic

_SCRIPT = banks.read("scenarios.toml")


@dataclass(frozen=True)
class _Frustration:
    """One rising-frustration thread: the help issue it is about, its error, and its own wording."""

    topic: SupportTopic
    issue: int
    error_slot: str  # the topic's slot that names the error, fixed to ``error`` for the whole thread
    error: str
    what: str  # what is down
    action: str  # what users can't do
    polite: str
    tried: str
    still_broken: str
    impact: str
    unacceptable: str
    pile_on: tuple[str, ...]  # two lines from other members, after the first and the second angry step


def _frustration_cases(table: banks.Table) -> tuple[_Frustration, ...]:
    texts = ("error_slot", "error", "what", "action", "polite", "tried", "still_broken", "impact", "unacceptable")
    cases = []
    for case in table.tables("cases"):
        topic, issue = threads.help_issue(case.only("topic", "issue", "pile_on", *texts))
        if issue is None:
            raise case.error("issue", "missing")
        pile_on = case.texts("pile_on")
        if len(pile_on) != 2:
            raise case.error("pile_on", f"expected two lines, got {len(pile_on)}")
        cases.append(_Frustration(topic, issue, *(case.text(key) for key in texts), pile_on=pile_on))
    return tuple(cases)


_FRUSTRATION = _SCRIPT.table("frustration").only("error_line", "days", "cases")
_FRUSTRATION_CASES = _frustration_cases(_FRUSTRATION)
_ERROR_LINE = _FRUSTRATION.text("error_line")
_DAYS = _FRUSTRATION.texts("days")
_UNSAFE = _SCRIPT.table("unsafe").only("title", "threat", "escalation", "posts")
_UNSAFE_POSTS = tuple(
    (post.only("hours", "author", "kind", "text").number("hours"), post.pick("author", ("asker", "staff", "bystander")),
     post.pick("kind", ("question", "answer", "reply")), post.text("text"))
    for post in _UNSAFE.tables("posts")
)
UNSAFE_TEXT = _UNSAFE.text("threat")
_SHOWCASE = _SCRIPT.table("excited_showcase").only("title", "text", "excitement", "author_thanks", "installs")
_LEVELS = _SHOWCASE.table("excitement")
_EXCITEMENT = tuple(_LEVELS.texts(level) for level in _LEVELS.data)  # from polite interest to delight
_AUTHOR_THANKS = _SHOWCASE.texts("author_thanks")
if len(_AUTHOR_THANKS) != 2:
    raise _SHOWCASE.error("author_thanks", f"expected two lines (midway, near the end), got {len(_AUTHOR_THANKS)}")
_INSTALLS = _SHOWCASE.texts("installs")


def _frustrated_subject(rng: random.Random, case: int) -> compose.Subject:
    """The case's issue, with its error fixed so every post names the same one."""
    chosen = _FRUSTRATION_CASES[case]
    bound = compose.subject(chosen.topic, rng, chosen.issue)
    error = (chosen.error,)
    slots = {**bound.slots, chosen.error_slot: error, "err": error, "what": (chosen.what,),
             "action": (chosen.action,), "days": _DAYS}
    return compose.Subject(chosen.topic, bound.issue, slots)


def frustration_thread(rng: random.Random, cast: Cast, end: datetime, case: int) -> PlannedThread:
    """A help question whose asker grows angrier over the last ten days, with others piling on."""
    case %= len(_FRUSTRATION_CASES)
    about = _frustrated_subject(rng, case)
    script = _FRUSTRATION_CASES[case]
    slots = about.slots
    start = at_days_before(end, rng, 9.0, 11.5)
    asker = cast.asker(start)
    thread = PlannedThread(channel="help", topic=about.topic.key, scenario="rising_frustration")
    title = fill(rng.choice(about.issue.titles), rng, slots)
    text = join(fill(rng.choice(about.issue.questions), rng, slots), fill(_ERROR_LINE, rng, slots), script.polite)
    thread.add(PlannedPost(start, asker.author_id, "question", text, title=title, views=180 + rng.randrange(200)))
    first = later(rng, start, 3.0, cap_hours=8)
    helper = cast.helper(first, {asker.author_id}).author_id
    used: list[str] = []
    answer = thread.add(PlannedPost(first, helper, "answer", compose.answer_post(about, rng, used), parent=0))
    tried_at = first + timedelta(hours=rng.uniform(14, 26))
    thread.add(PlannedPost(tried_at, asker.author_id, "reply", fill(script.tried, rng, slots), parent=answer))
    second_at = tried_at + timedelta(hours=rng.uniform(20, 30))
    other = cast.helper(second_at, {asker.author_id, helper}).author_id
    thread.add(PlannedPost(second_at, other, "answer", compose.answer_post(about, rng, used), parent=0))
    # Each case takes its own wording, so the three threads read as three different people.
    steps = (
        (at_days_before(end, rng, 4.0, 4.8), asker.author_id, join(script.still_broken, script.impact)),
        (at_days_before(end, rng, 2.8, 3.5), None, script.pile_on[0]),
        (at_days_before(end, rng, 1.0, 1.8), asker.author_id, script.unacceptable),
        (at_days_before(end, rng, 0.2, 0.7), None, script.pile_on[1]),
    )
    for step, (at, author, template) in enumerate(steps):
        author = author or cast.anyone(at, {asker.author_id, helper, other}).author_id
        index = thread.add(PlannedPost(at, author, "reply", fill(template, rng, slots), parent=0))
        if step == 0:
            # "Still broken, third time asking" and what it costs them: a friction story, the kind a
            # report tells beside a worsening KPI (the demo taxonomy's ``left_waiting`` tag).
            thread.story_post, thread.story_tags = index, ("left_waiting",)
    _mark_planted(thread)
    return thread


def unsafe_thread(rng: random.Random, cast: Cast, end: datetime) -> PlannedThread:
    """A heated billing thread in which one post carries a veiled threat."""
    start = at_days_before(end, rng, 6.0, 7.0)
    asker = cast.asker(start).author_id
    staff = cast.staff(start).author_id
    bystander = cast.anyone(start, {asker, staff}).author_id
    billing = threads.SUPPORT["billing"]
    amount = rng.choice(billing.slots["amount"])
    people = {"asker": asker, "staff": staff, "bystander": bystander}
    thread = PlannedThread(channel="help", topic=billing.key, scenario="unsafe")
    for index, (offset, author, kind, text) in enumerate(_UNSAFE_POSTS):
        title = _UNSAFE.text("title") if index == 0 else None
        parent = None if index == 0 else 0
        thread.add(PlannedPost(start + timedelta(hours=offset), people[author], kind, put(text, amount=amount),
                               parent=parent, title=title))
    threat_at = at_days_before(end, rng, 1.6, 2.2)
    thread.unsafe_post = thread.add(PlannedPost(threat_at, asker, "reply", UNSAFE_TEXT, parent=0))
    thread.add(PlannedPost(threat_at + timedelta(hours=2.5), staff, "reply", _UNSAFE.text("escalation"),
                           parent=thread.unsafe_post))
    _mark_planted(thread)
    return thread


def unanswered_threads(rng: random.Random, cast: Cast, end: datetime) -> list[PlannedThread]:
    """Two questions nobody answered, both older than a 48-hour response target at the window's end."""
    cases = ((threads.SUPPORT["export"], "help", 3.5, 5.0), (threads.SUPPORT["api"], "integrations", 2.4, 3.0))
    made = []
    for topic, channel, low, high in cases:
        at = at_days_before(end, rng, low, high)
        title, text = compose.question_post(compose.subject(topic, rng), rng)
        thread = PlannedThread(channel=channel, topic=topic.key, scenario="unanswered")
        thread.add(PlannedPost(at, cast.asker(at).author_id, "question", text, title=title,
                               views=20 + rng.randrange(40)))
        _mark_planted(thread)
        made.append(thread)
    return made


def excited_showcase_thread(rng: random.Random, cast: Cast, end: datetime) -> PlannedThread:
    """A showcase whose replies and reactions grow more enthusiastic day by day."""
    start = at_days_before(end, rng, 7.5, 8.5)
    author = cast.builder(start).author_id
    showcase = threads.SOCIAL["showcase"]
    slots = {**showcase.slots, "installs": _INSTALLS}
    name = rng.choice(showcase.slots["project_name"])
    what = rng.choice(showcase.slots["project_what"])
    text = fill(put(_SHOWCASE.text("text"), name=name, what=what), rng, slots)
    thread = PlannedThread(channel="showcase", topic=showcase.key, scenario="excited_showcase")
    thread.add(PlannedPost(start, author, "comment", text, title=put(_SHOWCASE.text("title"), name=name, what=what),
                           reactions=9, views=900 + rng.randrange(400)))
    replies = 9
    span = (end - timedelta(hours=10)) - start
    seen = {author}
    # Each level's phrasings in random order, used once each: no reply repeats another.
    wording = [rng.sample(options, len(options)) for options in _EXCITEMENT]
    for i in range(replies):
        at = start + span * ((i + 1) / replies) - timedelta(minutes=rng.randrange(60))
        level = min(len(_EXCITEMENT) - 1, i * len(_EXCITEMENT) // replies)
        replier = cast.anyone(at, seen).author_id
        seen.add(replier)
        index = thread.add(PlannedPost(at, replier, "reply", wording[level].pop(), parent=0,
                                       reactions=3 + 4 * i + rng.randrange(3)))
        if i in (4, 7):
            thread.add(PlannedPost(at + timedelta(minutes=40), author, "reply",
                                   fill(_AUTHOR_THANKS[i == 7], rng, slots), parent=index, reactions=5 + 2 * i))
    _mark_planted(thread)
    return thread


def _mark_planted(thread: PlannedThread) -> None:
    for post in thread.posts:
        post.planted = True
