"""Feedback answers after key moments, and the externally computed KPI (support deflection).

Prompts follow the moments of PRODUCT.md: onboarding (a week after joining), an accepted
solution (the asker, shortly after), an attended event, a finished resource. Ratings lean
positive, as they do in practice, with a tail of unhappy answers worth reading.

The answers' wording is in ``data/feedback.toml``, read once through ``banks``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.demo import banks, threads
from insight.demo.members import Cast, Profile
from insight.demo.phrases import join, maybe, pick_fill, pii_sentence
from insight.demo.plan import PlannedThread, add_months, iso

PROMPTS = {
    "onboarding": "p-onboarding-v2",
    "solution_accepted": "p-solution-v1",
    "event_attended": "p-event-v1",
    "resource_finished": "p-resource-v1",
}
_FEEDBACK = banks.read("feedback.toml").only("slots_from", "subjects", "slots", "texts")
_SUBJECTS = _FEEDBACK.table("subjects")
# What each help topic is called in an answer: "my SSO question".
_SUBJECT = {topic: _SUBJECTS.text(topic) for topic in _SUBJECTS.only(*threads.SUPPORT).data}
_SLOTS: dict[str, tuple[str, ...]] = {
    **threads.TOPICS[_FEEDBACK.pick("slots_from", threads.TOPICS)].slots,
    "subject": tuple(_SUBJECT.values()),
    **_FEEDBACK.slots(),
}
_TEXT_BANKS = _FEEDBACK.table("texts").only(*PROMPTS)


def _by_rating(moment: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The moment's templates for ratings 4-5, rating 3 and ratings 1-2."""
    bank = _TEXT_BANKS.table(moment).only("high", "mid", "low")
    return bank.texts("high"), bank.texts("mid"), bank.texts("low")


_TEXTS = {moment: _by_rating(moment) for moment in PROMPTS}
_RATING_WEIGHTS = {
    "onboarding": (10, 22, 30, 25, 13),
    "solution_accepted": (3, 5, 12, 35, 45),
    "event_attended": (3, 6, 16, 40, 35),
    "resource_finished": (6, 10, 24, 35, 25),
}


@dataclass(frozen=True)
class _Answer:
    at: datetime
    moment: str
    author: str
    text: str
    rating: int


def _answer(rng: random.Random, moment: str, author: str, at: datetime, subject: str | None = None) -> _Answer:
    rating = rng.choices((1, 2, 3, 4, 5), weights=_RATING_WEIGHTS[moment])[0]
    high, mid, low = _TEXTS[moment]
    bank = high if rating >= 4 else mid if rating == 3 else low
    slots = {**_SLOTS, "subject": (subject,)} if subject else _SLOTS
    text = join(pick_fill(bank, rng, slots), maybe(rng, 0.25, rng.choice(bank), slots),
                maybe(rng, 0.9, "{extra}", slots))
    if rng.random() < 0.04:
        text = join(text, pii_sentence(rng))
    return _Answer(at, moment, author, text, rating)


def make_feedback(rng: random.Random, cast: Cast, members: list[Profile], planned: list[PlannedThread],
                  start: datetime, end: datetime) -> list[dict[str, object]]:
    """Feedback rows in time order, ids ``r0001``... in that order."""
    answers: list[_Answer] = []
    for member in members:
        at = member.joined_at + timedelta(days=rng.uniform(2, 8))
        if member.joined_at >= start and rng.random() < 0.55 and at < end:
            answers.append(_answer(rng, "onboarding", member.author_id, at))
    for thread in planned:
        answers.extend(_solution_answers(rng, thread, end))
        answers.extend(_event_answers(rng, cast, thread, end))
    for _ in range(60):
        at = start + (end - start) * rng.random()
        answers.append(_answer(rng, "resource_finished", cast.anyone(at).author_id, at))
    answers.sort(key=lambda a: a.at)
    return [
        {"response_id": f"r{i + 1:04d}", "prompt_id": PROMPTS[a.moment], "moment": a.moment, "author_id": a.author,
         "created_at": iso(a.at), "text": a.text, "rating": a.rating}
        for i, a in enumerate(answers)
    ]


def _solution_answers(rng: random.Random, thread: PlannedThread, end: datetime) -> list[_Answer]:
    accepted = [p for p in thread.posts if p.accepted]
    if not accepted or rng.random() >= 0.45:
        return []
    at = accepted[0].at + timedelta(days=rng.uniform(0.2, 2.0))
    if at >= end:
        return []
    return [_answer(rng, "solution_accepted", thread.posts[0].author, at, _SUBJECT.get(thread.topic))]


def _event_answers(rng: random.Random, cast: Cast, thread: PlannedThread, end: datetime) -> list[_Answer]:
    """Attendees of an announced event: some of the thread's repliers and a few others."""
    if thread.topic != "events" or thread.channel != "announcements":
        return []
    event_at = thread.start + timedelta(days=rng.uniform(5, 14))
    if event_at >= end:
        return []
    repliers = [p.author for p in thread.posts[1:]]
    others = [cast.anyone(event_at).author_id for _ in range(rng.randrange(4, 12))]
    attendees = list(dict.fromkeys(repliers + others))  # de-duplicated, order kept
    answers = []
    for author in attendees:
        at = event_at + timedelta(days=rng.uniform(0.2, 3.0))
        if rng.random() < 0.6 and at < end:
            answers.append(_answer(rng, "event_attended", author, at))
    return answers


_DEFLECTION_BASE = 0.34
_DEFLECTION_TREND = 0.035  # per month: the community answers a growing share of support questions
_DEFLECTION_OFFSET = {"learn": 0.06, "lead": 0.09, "build": 0.0, "other": -0.05}


def support_deflection(rng: random.Random, members: list[Profile], planned: list[PlannedThread],
                       start: datetime, months: int) -> list[dict[str, object]]:
    """Monthly support deflection per motivation cohort and for everyone, ``n`` = support questions asked.

    Periods are half-open: ``period_end`` is the first instant of the next month.
    """
    motivation = {m.author_id: m.motivation for m in members}
    rows: list[dict[str, object]] = []
    for month in range(months):
        lo, hi = add_months(start, month), add_months(start, month + 1)
        asked = [t.posts[0].author for t in planned
                 if t.posts[0].kind == "question" and lo <= t.start < hi]
        cohorts = []
        for key in ("learn", "lead", "build", "other"):
            n = sum(1 for author in asked if motivation.get(author) == key)
            value = _DEFLECTION_BASE + _DEFLECTION_TREND * month + _DEFLECTION_OFFSET[key] + rng.gauss(0, 0.02)
            cohorts.append((f"motivation={key}", min(max(value, 0.0), 1.0), n))
        total = sum(n for _, _, n in cohorts)
        overall = sum(v * n for _, v, n in cohorts) / total if total else 0.0
        for cohort, value, n in [("all", overall, total), *cohorts]:
            rows.append({"kpi_id": "support_deflection", "period_start": iso(lo), "period_end": iso(hi),
                         "cohort": cohort, "value": round(value, 3), "n": n})
    return rows
