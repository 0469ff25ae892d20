"""Planted triage scenarios: rising frustration, one veiled threat, unanswered questions, an excited showcase.

Each builder places its thread in the last days of the window, where a moderator's queue
looks, and marks its posts as planted so later steps (PII sprinkling, author swaps) leave
them as written. The threat is veiled, not graphic, and it is the only unsafe post.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from insight.demo import topics as compose
from insight.demo.bank_platform import API, DEPLOY
from insight.demo.bank_product import AUTH, BILLING, EXPORT
from insight.demo.bank_social import SHOWCASE
from insight.demo.members import Cast
from insight.demo.phrases import fill, join
from insight.demo.plan import PlannedPost, PlannedThread, at_days_before, later
from insight.demo.topics import SupportTopic

UNSAFE_TEXT = "I know where your office is, and you'll regret ignoring me."

# Frustration grows in three steps from a polite question; every step names the same problem so
# the thread reads as one story, and the later words are plainly, densely negative, the way angry
# posts are, so that even a lexicon sentiment model sees the fall.
_POLITE = ("Thanks in advance, we really like the product otherwise!", "Any help is much appreciated, thank you!",
           "Thanks so much, you folks are usually great with this.")
_TRIED = (
    "Tried that, no luck. Still getting {err} on every attempt, which is frustrating.",
    "Thanks, but that didn't change anything. Same {err}. Getting a bit annoyed now.",
    "I did exactly that and nothing changed, {err} again. Disappointing.",
)
_STILL_BROKEN = (
    "Still broken. Third time asking and still no reply. This is really frustrating and bad for us.",
    "Third time asking: is anyone looking at this? Still broken, and I'm angry and frustrated.",
    "It's still broken. Third time asking, {days} days, no answer. Terrible.",
)
_IMPACT = ("Our users can't {action}, and they're upset.", "Support tickets are piling up, it's a mess.",
           "We had to postpone a launch. Awful.")
_UNACCEPTABLE = (
    "This is unacceptable. Terrible, awful support while {what} is down. We're considering moving off the platform.",
    "Honestly, this is unacceptable, awful and infuriating. We're considering moving off and evaluating alternatives.",
    "This is unacceptable for a paid product. Horrible, angry-making silence. We're considering moving off.",
)
_PILE_ON = (
    "+1, same {err}, blocking our release. Very frustrating and disappointing.",
    "Same here, still broken. Really disappointing that nobody responds. Terrible.",
    "Same boat. Angry and frustrated, {days} days without a fix is terrible.",
    "Also broken for us. Our customers are upset and angry. Awful.",
    "Still broken on our side too. Awful and frustrating.",
    "Another one here, equally frustrated and disappointed. No reply to our ticket either.",
)
# (topic, issue index, the topic's error slot, its value, what is down, what users can't do)
_FRUSTRATION_CASES: tuple[tuple[SupportTopic, int, str, str, str, str], ...] = (
    (DEPLOY, 0, "deploy_error", "`CrashLoopBackOff`", "production", "reach our app"),
    (API, 0, "api_error", "`504 Gateway Timeout`", "our integration", "sync their data"),
    (AUTH, 0, "auth_error", "`SAML signature mismatch`", "login for half the company", "log in"),
)


def _frustrated_subject(rng: random.Random, case: int) -> compose.Subject:
    """The case's issue, with its error fixed so every post names the same one."""
    topic, issue, error_slot, error, what, action = _FRUSTRATION_CASES[case]
    bound = compose.subject(topic, rng, issue)
    slots = {**bound.slots, error_slot: (error,), "err": (error,), "what": (what,), "action": (action,),
             "days": ("four", "five", "six", "seven")}
    return compose.Subject(topic, bound.issue, slots)


def frustration_thread(rng: random.Random, cast: Cast, end: datetime, case: int) -> PlannedThread:
    """A help question whose asker grows angrier over the last ten days, with others piling on."""
    case %= len(_FRUSTRATION_CASES)
    about = _frustrated_subject(rng, case)
    slots = about.slots
    start = at_days_before(end, rng, 9.0, 11.5)
    asker = cast.asker(start)
    thread = PlannedThread(channel="help", topic=about.topic.key, scenario="rising_frustration")
    title = fill(rng.choice(about.issue.titles), rng, slots)
    text = join(fill(rng.choice(about.issue.questions), rng, slots), fill("The exact error is {err}.", rng, slots),
                _POLITE[case])
    thread.add(PlannedPost(start, asker.author_id, "question", text, title=title, views=180 + rng.randrange(200)))
    first = later(rng, start, 3.0, cap_hours=8)
    helper = cast.helper(first, {asker.author_id}).author_id
    used: list[str] = []
    answer = thread.add(PlannedPost(first, helper, "answer", compose.answer_post(about, rng, used), parent=0))
    tried_at = first + timedelta(hours=rng.uniform(14, 26))
    thread.add(PlannedPost(tried_at, asker.author_id, "reply", fill(_TRIED[case], rng, slots), parent=answer))
    second_at = tried_at + timedelta(hours=rng.uniform(20, 30))
    other = cast.helper(second_at, {asker.author_id, helper}).author_id
    thread.add(PlannedPost(second_at, other, "answer", compose.answer_post(about, rng, used), parent=0))
    # Each case takes its own wording, so the three threads read as three different people.
    pile_on = (_PILE_ON[2 * case], _PILE_ON[2 * case + 1])
    steps = (
        (at_days_before(end, rng, 4.0, 4.8), asker.author_id, join(_STILL_BROKEN[case], _IMPACT[case])),
        (at_days_before(end, rng, 2.8, 3.5), None, pile_on[0]),
        (at_days_before(end, rng, 1.0, 1.8), asker.author_id, _UNACCEPTABLE[case]),
        (at_days_before(end, rng, 0.2, 0.7), None, pile_on[1]),
    )
    for at, author, template in steps:
        author = author or cast.anyone(at, {asker.author_id, helper, other}).author_id
        thread.add(PlannedPost(at, author, "reply", fill(template, rng, slots), parent=0))
    _mark_planted(thread)
    return thread


def unsafe_thread(rng: random.Random, cast: Cast, end: datetime) -> PlannedThread:
    """A heated billing thread in which one post carries a veiled threat."""
    start = at_days_before(end, rng, 6.0, 7.0)
    asker = cast.asker(start).author_id
    staff = cast.staff(start).author_id
    bystander = cast.anyone(start, {asker, staff}).author_id
    amount = rng.choice(BILLING.slots["amount"])
    hours = (0.0, 5.0, 49.0, 53.0, 74.0)
    texts = (
        (asker, "question", f"We were charged twice ({amount} each) for the Team plan and I've emailed billing "
                            "support three times. Nobody answers. How do I get a refund?"),
        (staff, "answer", "Sorry about this! I've flagged it to the billing team; they'll reach out by email "
                          "within a day."),
        (asker, "reply", "Two days, no email. I want the refund today, not 'within a day'."),
        (bystander, "reply", "Billing support is usually slow at the end of the month, maybe give them "
                             "a little more time."),
        (asker, "reply", "Don't tell me to be patient. This is the worst support I've ever dealt with, "
                         "and I'm done being polite."),
    )
    thread = PlannedThread(channel="help", topic=BILLING.key, scenario="unsafe")
    for offset, (author, kind, text) in zip(hours, texts, strict=True):
        title = "Charged twice and no reply from billing" if offset == 0 else None
        parent = None if offset == 0 else 0
        thread.add(PlannedPost(start + timedelta(hours=offset), author, kind, text, parent=parent, title=title))
    threat_at = at_days_before(end, rng, 1.6, 2.2)
    thread.unsafe_post = thread.add(PlannedPost(threat_at, asker, "reply", UNSAFE_TEXT, parent=0))
    thread.add(PlannedPost(threat_at + timedelta(hours=2.5), staff, "reply",
                           "We've escalated your refund and a team lead will contact you today. Please keep this "
                           "thread respectful; we've also reached out to you privately.", parent=thread.unsafe_post))
    _mark_planted(thread)
    return thread


def unanswered_threads(rng: random.Random, cast: Cast, end: datetime) -> list[PlannedThread]:
    """Two questions nobody answered, both older than a 48-hour response target at the window's end."""
    cases = ((EXPORT, "help", 3.5, 5.0), (API, "integrations", 2.4, 3.0))
    threads = []
    for topic, channel, low, high in cases:
        at = at_days_before(end, rng, low, high)
        title, text = compose.question_post(compose.subject(topic, rng), rng)
        thread = PlannedThread(channel=channel, topic=topic.key, scenario="unanswered")
        thread.add(PlannedPost(at, cast.asker(at).author_id, "question", text, title=title,
                               views=20 + rng.randrange(40)))
        _mark_planted(thread)
        threads.append(thread)
    return threads


# Replies warm up from polite interest to delight; reactions grow with them.
_EXCITEMENT = (
    ("Will check it out this week.", "Bookmarked, I'll try it on our staging workspace.", "Is there a demo video?"),
    ("Just tried it, pretty good so far.", "Set it up in ten minutes, works well."),
    ("This is great, my team likes it a lot!", "Wow, this is exactly what we needed. Thank you!"),
    ("Amazing!! Best thing in this community all year, love it 🚀",
     "Absolutely love it. We rolled it out to everyone today and people are thrilled!!"),
    ("Fantastic, wonderful work! Everyone here is thrilled and so excited!!",
     "This made my week. Incredible, brilliant work, please keep going!!! 🎉"),
)
_AUTHOR_THANKS = ("Thank you so much, I'm delighted by the response!",
                  "Wow, {installs} installs in two days. Thank you all, this is amazing!!")


def excited_showcase_thread(rng: random.Random, cast: Cast, end: datetime) -> PlannedThread:
    """A showcase whose replies and reactions grow more enthusiastic day by day."""
    start = at_days_before(end, rng, 7.5, 8.5)
    author = cast.builder(start).author_id
    slots = {**SHOWCASE.slots, "installs": ("150", "200", "300")}
    name = rng.choice(SHOWCASE.slots["project_name"])
    what = rng.choice(SHOWCASE.slots["project_what"])
    text = fill(f"After three months of evenings I launched {name}: {what}, built with {{stack}}. "
                "It's live for community projects and the repo is public.", rng, slots)
    thread = PlannedThread(channel="showcase", topic=SHOWCASE.key, scenario="excited_showcase")
    thread.add(PlannedPost(start, author, "comment", text, title=f"Launched: {name}, {what}", reactions=9,
                           views=900 + rng.randrange(400)))
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
