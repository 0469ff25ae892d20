"""Demo community generator: one seed in; members, threads, feedback, KPIs and the planted truth out.

Everything comes from one ``random.Random(seed)`` and the given window, never from the
clock, so the same arguments give byte-identical files. The window is half-open:
``[start, start + months)``; the triage "as of" time for the demo is its end.

Example:
    >>> community = generate_community(seed=7)
    >>> len(community.truth["unsafe"])
    1
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from insight.demo import experiment, scenarios, stories, threads
from insight.demo.business import make_business
from insight.demo.feedback import make_feedback, support_deflection
from insight.demo.members import UNKNOWN_AUTHORS, Cast, Profile, make_members
from insight.demo.phrases import join, pii_sentence
from insight.demo.plan import PlannedThread, add_months, iso
from insight.demo.seeds import seed_rows

MEMBER_FIELDS = ("author_id", "platform", "joined_at", "motivation", "segment", "region", "plan",
                 "consent_analytics", "consent_quotes")
KPI_FIELDS = ("kpi_id", "period_start", "period_end", "cohort", "value", "n")
BUSINESS_FIELDS = {"accounts": ("account_id", "segment", "plan", "region", "size", "started_at"),
                   "outcomes": ("outcome_id", "account_id", "kind", "occurred_at", "amount")}
BUSINESS_FILES = ("accounts", "account_links", "touchpoints", "outcomes", "support_costs")
# Where ordinary threads start (activation threads, scenarios and stories come on top).
CHANNEL_WEIGHTS = {"help": 50, "integrations": 9, "feature-requests": 8, "showcase": 8, "announcements": 5,
                   "general": 8, threads.CHAT_CHANNEL: 12}
ORDINARY_THREADS_PER_MONTH = 95
ACTIVATION_SHARE = {"learn": 0.7, "build": 0.65, "lead": 0.75, "other": 0.45}
PII_SHARE = 0.035
UNKNOWN_AUTHOR_POSTS = 6
SLA_HOURS = 48
TRUTH_KEYS = ("rising_frustration", "unsafe", "unanswered", "excited_showcase", "stories")

Rows = list[dict[str, Any]]
Truth = dict[str, list[str]]


@dataclass
class Community:
    """A generated community: canonical rows ready to write, plus what was planted where.

    ``truth`` maps each scenario (``TRUTH_KEYS``) to thread ids, and also holds
    ``unsafe_posts`` and ``story_posts`` (post ids). ``unanswered`` lists the planted
    unanswered questions and every other thread that, once members without analytics
    consent are left out, asks something nobody else has answered and is over 48 hours
    old at the window's end. ``story_tags`` maps each story post id to its taxonomy tags.
    """

    members: Rows
    posts: Rows
    feedback: Rows
    kpi_observations: Rows
    story_seeds: Rows
    truth: Truth
    story_tags: Truth
    window_start: datetime
    window_end: datetime
    arms: dict[str, list[str]] = field(default_factory=dict)  # the registered experiment's arms
    business: dict[str, Rows] = field(default_factory=dict)  # accounts, links, touchpoints, outcomes, costs

    def write(self, folder: Path) -> dict[str, Path]:
        """Writes every demo file into ``folder`` (created if missing); returns name -> path."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        members = [{**m, "consent_analytics": _flag(m["consent_analytics"]),
                    "consent_quotes": _flag(m["consent_quotes"])} for m in self.members]
        return {
            "members": _write_csv(folder / "members.csv", MEMBER_FIELDS, members),
            "posts": _write_jsonl(folder / "posts.jsonl", self.posts),
            "feedback": _write_jsonl(folder / "feedback.jsonl", self.feedback),
            "kpi_observations": _write_csv(folder / "kpi_observations.csv", KPI_FIELDS, self.kpi_observations),
            "taxonomy": _copy_resource("insight.demo", "taxonomy.toml", folder / "taxonomy.toml"),
            # The packaged KPI dictionary: its computed KPIs are the ones insight computes, and its one
            # external KPI, support_deflection, is the one kpi_observations.csv carries.
            "kpis": _copy_resource("insight", "default_kpis.toml", folder / "kpis.toml"),
            "story_seeds": _write_jsonl(folder / "story_seeds.jsonl", self.story_seeds),
            **self._write_experiment(folder),
            **self._write_business(folder),
        }

    def _write_business(self, folder: Path) -> dict[str, Path]:
        """The business files `insight business ingest` reads (README, "Business data contracts")."""
        if not self.business:
            return {}
        return {"accounts": _write_csv(folder / "accounts.csv", BUSINESS_FIELDS["accounts"], self.business["accounts"]),
                "account_links": _write_csv(folder / "account_links.csv", ("author_id", "account_id"),
                                            self.business["links"]),
                "touchpoints": _write_jsonl(folder / "touchpoints.jsonl", self.business["touchpoints"]),
                "outcomes": _write_csv(folder / "outcomes.csv", BUSINESS_FIELDS["outcomes"], self.business["outcomes"]),
                "support_costs": _write_csv(folder / "support_costs.csv", ("period", "tickets", "cost_per_ticket"),
                                            self.business["support_costs"])}

    def _write_experiment(self, folder: Path) -> dict[str, Path]:
        """The registered experiment: experiments.toml and one file of member ids per arm."""
        if not self.arms:
            return {}
        (folder / "arms").mkdir(exist_ok=True)
        for arm, ids in self.arms.items():
            (folder / "arms" / f"{arm}.txt").write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
        target = folder / "experiments.toml"
        target.write_text(experiment.experiments_toml(), encoding="utf-8")
        return {"experiments": target}


def generate_community(seed: int = 7, start: date = date(2026, 6, 1), months: int = 5) -> Community:
    """A deterministic synthetic community over ``months`` months from ``start``.

    Args:
        seed: the only source of randomness; equal seeds give equal communities.
        start: first day of the window (UTC midnight).
        months: length of the window; posts, feedback and KPIs fall inside it.

    Returns:
        The ``Community``, with about 300 members, 3,000 posts in 600 threads and a few
        hundred feedback answers for the default five months.
    """
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    rng = random.Random(seed)
    window_start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    window_end = add_months(window_start, months)
    profiles = make_members(rng, window_start, window_end)
    cast = Cast(rng, profiles)
    # Planted scenarios need every voice seen by the analysis, which leaves out members without consent.
    visible_cast = Cast(rng, [p for p in profiles if p.consent_analytics])
    plans = [
        *_activation_threads(rng, cast, profiles, window_start, window_end),
        *_ordinary_threads(rng, cast, window_start, window_end, months),
        *_planted_threads(rng, visible_cast, window_end),
        *stories.story_threads(rng, cast, window_start, window_end),
    ]
    for thread in plans:
        thread.trim(window_end)
    # Stable sort by start time: ids follow time, so a planted thread's id says nothing about it.
    planned = sorted((t for t in plans if t.posts), key=lambda t: t.start)
    posts, truth, story_tags = _materialise(rng, planned)
    # The registered experiment: its own generator, so everything above stays as it was.
    arms = experiment.assign_arms([p.author_id for p in profiles], seed)
    experiment.plant_effect(posts, arms, seed)
    consent = {p.author_id: p.consent_analytics for p in profiles}
    truth["unanswered"] = sorted(set(truth["unanswered"]) | set(_unanswered(posts, consent, window_end)))
    return Community(
        members=[_member_row(p) for p in profiles],
        posts=posts,
        feedback=make_feedback(rng, cast, profiles, planned, window_start, window_end),
        kpi_observations=support_deflection(rng, profiles, planned, window_start, months),
        story_seeds=seed_rows(),
        truth=truth,
        story_tags=story_tags,
        window_start=window_start,
        window_end=window_end,
        arms=arms,
        business=make_business(seed, profiles, posts, window_start, window_end,
                               {p["author_id"] for p in posts if p["post_id"] in set(truth["story_posts"])}, months),
    )


def _activation_threads(rng: random.Random, cast: Cast, profiles: list[Profile], start: datetime,
                        end: datetime) -> list[PlannedThread]:
    """Most newcomers post soon after joining: a first question, an introduction or a first project."""
    first_posts = []
    for member in profiles:
        if member.staff or not rng.random() < ACTIVATION_SHARE[member.motivation]:
            continue
        at = member.joined_at + timedelta(hours=1.5 + min(rng.lognormvariate(3.5, 1.0), 20 * 24))
        kind = rng.choices(("help", "intro", "showcase"), weights=_FIRST_POST_WEIGHTS[member.motivation])[0]
        if not start <= at < end:
            continue
        if kind == "help":
            options = threads.topics_for("help")
            topic = rng.choices([t for t, _ in options], weights=[w for _, w in options])[0]
            assert isinstance(topic, threads.SupportTopic)
            first_posts.append(threads.help_thread(rng, cast, topic, "help", at, asker_id=member.author_id))
        else:
            topic_key = "intro" if kind == "intro" else "showcase"
            channel = "general" if kind == "intro" else "showcase"
            social = threads.TOPICS[topic_key]
            assert isinstance(social, threads.SocialTopic)
            first_posts.append(threads.social_thread(rng, cast, social, channel, at, author_id=member.author_id))
    return first_posts


_FIRST_POST_WEIGHTS = {"learn": (75, 25, 0), "build": (45, 40, 15), "lead": (40, 60, 0), "other": (30, 70, 0)}


def _ordinary_threads(rng: random.Random, cast: Cast, start: datetime, end: datetime,
                      months: int) -> list[PlannedThread]:
    channels = list(CHANNEL_WEIGHTS)
    weights = list(CHANNEL_WEIGHTS.values())
    made = []
    for _ in range(ORDINARY_THREADS_PER_MONTH * months):
        # Slightly more threads late in the window: the community is growing.
        at = start + (end - start) * rng.random() ** 0.85
        made.append(threads.ordinary_thread(rng, cast, rng.choices(channels, weights=weights)[0], at))
    return made


def _planted_threads(rng: random.Random, cast: Cast, end: datetime) -> list[PlannedThread]:
    return [
        *(scenarios.frustration_thread(rng, cast, end, case) for case in range(3)),
        scenarios.unsafe_thread(rng, cast, end),
        *scenarios.unanswered_threads(rng, cast, end),
        scenarios.excited_showcase_thread(rng, cast, end),
    ]


def _materialise(rng: random.Random, planned: list[PlannedThread]) -> tuple[Rows, Truth, Truth]:
    """Assigns ids, sprinkles personal data and a few unknown authors; returns rows, truth and story tags."""
    rows: Rows = []
    truth: Truth = {key: [] for key in (*TRUTH_KEYS, "unsafe_posts", "story_posts")}
    story_tags: Truth = {}
    editable: list[int] = []  # rows whose author may become unknown: ordinary replies by someone else
    for number, thread in enumerate(planned, start=1):
        thread_id = f"t{number:04d}"
        post_ids = [f"p{len(rows) + i + 1:05d}" for i in range(len(thread.posts))]
        for index, post in enumerate(thread.posts):
            text = post.text
            if not post.planted and rng.random() < PII_SHARE:
                text = join(text, pii_sentence(rng))
            if not post.planted and post.kind == "reply" and post.author != thread.posts[0].author:
                editable.append(len(rows))
            rows.append(_post_row(thread, thread_id, post_ids, index, text))
        if thread.scenario:
            truth[thread.scenario].append(thread_id)
        if thread.unsafe_post is not None:
            truth["unsafe_posts"].append(post_ids[thread.unsafe_post])
        if thread.story_post is not None:
            truth["story_posts"].append(post_ids[thread.story_post])
            story_tags[post_ids[thread.story_post]] = list(thread.story_tags)
    for i, row_index in enumerate(sorted(rng.sample(editable, UNKNOWN_AUTHOR_POSTS))):
        rows[row_index]["author_id"] = UNKNOWN_AUTHORS[i % len(UNKNOWN_AUTHORS)]
    rows.sort(key=lambda row: (row["created_at"], row["post_id"]))
    return rows, truth, story_tags


def _unanswered(posts: Rows, consent: dict[str, bool], end: datetime) -> list[str]:
    """Threads that ask something and, as the analysis sees them, got no reply past the response target.

    The analysis drops members without analytics consent (unknown authors stay), so a question
    answered only by them looks unanswered; that is what a moderator's queue will show. A thread
    asks something when its first post is a question or has a "?" in its title or text.
    """
    threads: dict[str, Rows] = {}
    for post in posts:
        if consent.get(post["author_id"], True):
            threads.setdefault(post["thread_id"], []).append(post)
    cutoff = iso(end - timedelta(hours=SLA_HOURS))
    found = []
    for thread_id, seen in threads.items():
        root = next((p for p in seen if p["parent_id"] is None), seen[0])
        asks = root["kind"] == "question" or "?" in (root["title"] or "") or "?" in root["text"]
        replied = any(p["author_id"] != root["author_id"] for p in seen)
        if asks and not replied and root["created_at"] <= cutoff:
            found.append(thread_id)
    return found


def _post_row(thread: PlannedThread, thread_id: str, post_ids: list[str], index: int, text: str) -> dict[str, Any]:
    post = thread.posts[index]
    if thread.platform == "slack":
        url = f"https://example.slack.com/archives/C0CHAT/p{int(post.at.timestamp())}{index:06d}"
    else:
        url = f"https://community.example.com/t/{thread_id}/{index + 1}"
    return {
        "post_id": post_ids[index],
        "thread_id": thread_id,
        "platform": thread.platform,
        "channel": thread.channel,
        "author_id": post.author,
        "created_at": iso(post.at),
        "text": text,
        "parent_id": None if post.parent is None else post_ids[post.parent],
        "title": post.title,
        "kind": post.kind,
        "accepted_answer": post.accepted,
        "reactions": post.reactions,
        "helpful_votes": post.helpful_votes,
        "views": post.views,
        "url": url,
    }


def _member_row(profile: Profile) -> dict[str, Any]:
    return {
        "author_id": profile.author_id,
        "platform": "discourse",
        "joined_at": iso(profile.joined_at),
        "motivation": profile.motivation,
        "segment": profile.segment,
        "region": profile.region,
        "plan": profile.plan,
        "consent_analytics": profile.consent_analytics,
        "consent_quotes": profile.consent_quotes,
    }


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write_csv(path: Path, fields: Iterable[str], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _copy_resource(package: str, name: str, target: Path) -> Path:
    target.write_bytes(resources.files(package).joinpath(name).read_bytes())
    return target
