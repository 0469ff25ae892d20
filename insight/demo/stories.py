"""Member stories worth telling: each with a before, what the community did, and an outcome.

Four kinds, matching the demo taxonomy's tags: a mentor guided a newcomer, a peer answer
saved a deal or launch, a bug fixed together, an event that led to a collaboration. Most
stories open their own thread; one per tag is told as an update at the end of the help
or event thread where it happened, which is how stories usually surface.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from insight.demo import threads
from insight.demo.bank_platform import API, DEPLOY
from insight.demo.bank_product import AUTH, EXPORT
from insight.demo.bank_social import EVENTS
from insight.demo.members import Cast
from insight.demo.phrases import Slots, join, maybe, pick_fill
from insight.demo.plan import PlannedPost, PlannedThread, later
from insight.demo.topics import SupportTopic, bind


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


# First names of the members who help in stories: the report must never show them (they are PII).
HELPER_NAMES = ("Priya", "Tom", "Kenji", "Amara", "Lukas", "Sofia", "Diego", "Aisha", "Wei", "Ines", "Ravi", "Hannah")

MENTOR = StoryKind(
    tag="mentor_guidance",
    titles=("How this community got me to my first deploy", "From zero to production, thanks to a mentor",
            "A thank-you to {mentor}", "My first real deploy, and who made it happen"),
    before=("When I joined {when}, I had never deployed anything outside my laptop.",
            "Not long ago I was a {newbie_role} who had never touched {tool}.",
            "I joined as a complete beginner, and honestly my first questions here were pretty confused.",
            "{when_cap} I was stuck on the basics: containers, environment variables, all of it."),
    action=("{mentor} from the mentoring program paired with me every {weekday} for {weeks} weeks, walked me "
            "through {skill} and reviewed my {artifact}.",
            "{mentor} picked up my question, jumped on a call and explained {skill} step by step, then checked in "
            "on me the week after.",
            "{mentor} answered every one of my questions, even the silly ones, and shared the {artifact} they use "
            "for their own team."),
    outcome=("Last week I shipped my first deploy to production, on my own.",
             "Our team's app now runs on {tool}, and I'm the one who set it up.",
             "Yesterday I answered my first newcomer question here, which felt great.",
             "I went from never having deployed anything to running our staging and production setups."),
    closing=("If you're new: ask, people here really do help.", "Thank you {mentor}, I owe you one!",
             "Pay it forward, everyone."),
    slots={"mentor": HELPER_NAMES, "when": ("this spring", "at the start of the summer", "a couple of months ago"),
           "when_cap": ("This spring", "At the start of the summer", "A couple of months ago"),
           "newbie_role": ("junior developer", "data analyst", "student", "designer learning to code"),
           "tool": ("Docker", "Kubernetes", "Fly.io", "Docker Compose"), "weeks": ("three", "four", "six"),
           "skill": ("Dockerfiles", "health checks and rollouts", "environment variables and secrets",
                     "reading logs properly"),
           "artifact": ("Dockerfile", "deployment checklist", "first pull request", "Helm values file")},
)

PEER_DEAL = StoryKind(
    tag="peer_answer_saved_deal",
    titles=("A forum answer saved our launch", "Thank you for saving our customer demo",
            "How one reply here closed our biggest deal", "Launch day rescue"),
    before=("We were two days away from launching with {customer}, and our {integration} kept failing with {err}.",
            "A big customer demo was booked for {weekday}, and our {integration} broke that morning with {err}.",
            "Our biggest prospect was about to walk away because the {integration} failed with {err} during "
            "their trial."),
    action=("I posted here late at night, and {helper} answered within the hour with the exact fix: {fix}.",
            "{helper}, who had hit the same wall last year, replied with a step-by-step answer: {fix}.",
            "Within an hour {helper} had replied with the fix ({fix}), and it was the accepted solution before "
            "our standup."),
    outcome=("We launched on time, and the customer signed a {term} contract the next week.",
             "The demo went perfectly, and the deal closed that Friday.",
             "We kept the customer, and our CEO now tells every new engineer to search this forum first."),
    closing=("This community is the reason we hit our date.", "Thank you {helper}, drinks are on me.",
             "Never underestimate a good forum answer."),
    slots={"helper": HELPER_NAMES,
           "customer": ("a large retail customer", "our first enterprise customer", "a hospital network",
                        "a national bank"),
           "term": ("two-year", "three-year", "multi-year", "one-year")},
    cases=(
        {"integration": "SSO setup", "err": "`invalid_grant`", "fix": "remove the trailing slash from the ACS URL"},
        {"integration": "webhook integration", "err": "a signature mismatch",
         "fix": "hash the raw body before verifying the signature"},
        {"integration": "API sync", "err": "`429 Too Many Requests`", "fix": "back off on Retry-After"},
        {"integration": "deployment", "err": "`CrashLoopBackOff`", "fix": "run the migration as a Kubernetes Job"},
    ),
)

BUG_TOGETHER = StoryKind(
    tag="bug_fixed_together",
    titles=("The bug we fixed together", "Report to release in four days: a thank-you",
            "How we tracked down the {bug} together", "Community bug hunt: solved"),
    before=("{bug_before}",),
    action=("{helper} reproduced it with a minimal example, {helper2} found the root cause in {component}, and "
            "the team shipped a patch after a dozen of us tested the fix.",
            "People shared logs until {helper} spotted the pattern in {component}; {helper2} wrote the patch and "
            "we all tested the beta.",
            "{helper} set up a shared test workspace, {helper2} bisected the releases, and the maintainers merged "
            "the fix in {component} with everyone's test results attached."),
    outcome=("It took four days from report to a patch release.",
             "Everything has been clean ever since the patch shipped.",
             "The patch landed in the next release, and the thread is now linked from the changelog."),
    closing=("Proud of this community.", "Thanks {helper} and {helper2}!", "This is what open collaboration looks "
                                                                          "like."),
    slots={"helper": HELPER_NAMES[:6], "helper2": HELPER_NAMES[6:]},
    cases=(
        {"bug_before": "For weeks our exports came out with corrupted accented names, and we assumed the bug was ours.",
         "component": "the CSV encoder", "bug": "export encoding bug"},
        {"bug_before": "Webhooks were silently dropped for some of us, and nobody could reproduce it reliably.",
         "component": "the webhook retry queue", "bug": "webhook drop"},
        {"bug_before": "After an upgrade, search results went missing for a few workspaces, including ours.",
         "component": "the search indexer", "bug": "search glitch"},
        {"bug_before": "Scheduled digests went out at 3 am for half the community, and nobody knew why.",
         "component": "the timezone handling", "bug": "digest timing bug"},
    ),
)

EVENT_COLLAB = StoryKind(
    tag="event_collaboration",
    titles=("Met my collaborator at the {city} {event_kind}", "What happened after the hack night",
            "A meetup turned into a project", "Thank you for the {city} {event_kind}"),
    before=("I went to the {city} {event_kind} not knowing a single person.",
            "I almost skipped the {event_kind} in {city}; I'm not great at networking.",
            "I joined the online {event_kind} on {talk_topic} mostly to lurk."),
    action=("During the {event_kind} I sat next to {name}, who was fighting the same webhook problem, and we "
            "paired on it for the rest of the evening.",
            "In the breakout room I got talking with {name} about {talk_topic}, and we swapped notes afterwards.",
            "{name} gave a lightning talk on {talk_topic}; I asked a question afterwards and we talked for an hour."),
    outcome=("We've since built {project} together and presented it at the next {event_kind}.",
             "Three months later we're collaborating on {project}, and {name}'s team became a customer.",
             "We now run a monthly study group together, with twelve regulars."),
    closing=("Come to the events, they're worth it.", "Thanks to the organisers!",
             "Say hi if you see us at the next one."),
    slots={**EVENTS.slots, "name": HELPER_NAMES,
           "project": ("a webhook replay tool", "an open-source moderation bot", "a shared analytics dashboard")},
)

STORY_KINDS: tuple[StoryKind, ...] = (MENTOR, PEER_DEAL, BUG_TOGETHER, EVENT_COLLAB)
# Where the embedded story of each kind happens: a help thread on the matching subject.
# (topic, issue index or None for any, the kind's case that fits that issue or None).
_EMBEDDED: dict[str, tuple[SupportTopic, int | None, int | None]] = {
    MENTOR.tag: (DEPLOY, None, None), PEER_DEAL.tag: (AUTH, 0, 0), BUG_TOGETHER.tag: (EXPORT, 2, 0),
    EVENT_COLLAB.tag: (API, 1, None),
}
_CHEERS = ("So good to read this, congrats!", "Love this story.", "This is why I hang out here.",
           "Congrats on shipping!", "Stories like this make my week.", "Amazing, well done to everyone involved.")
_CHEERS_MORE = ("Thanks for taking the time to write it up.", "Bookmarking this for our next newsletter.",
                "Hope to read the sequel soon.", "Welcome to the other side!", "Go team!")


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
    text = join(rng.choice(("Update for anyone who finds this later:", "A little follow-up, weeks later:",
                            "Coming back to this thread to share how it ended.")),
                story_text(kind, rng, story_slots(kind, rng, case)))
    thread.story_post = thread.add(PlannedPost(last, author, "reply", text, parent=0, reactions=4 + rng.randrange(10),
                                               planted=True))
    return thread

