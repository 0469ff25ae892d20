"""Tests for insight.demo.community: determinism, data contracts, sizes, and the planted scenarios."""

from __future__ import annotations

import csv
import json
import tomllib
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from insight.demo.community import Community, generate_community
from insight.ingest.validate import to_feedback, to_kpi, to_member, to_post
from insight.metrics.dictionary import load_kpi_dictionary

MAX_CHARS = 20000
COMPUTED_KPIS = {"activation_rate", "time_to_first_value", "retention_90d", "contribution_frequency",
                 "solution_acceptance_rate", "median_first_response_hours", "unanswered_rate"}
FRUSTRATION_PHRASES = ("still broken", "third time asking", "unacceptable", "considering moving off")


@pytest.fixture(scope="module")
def community() -> Community:
    return generate_community()


@pytest.fixture(scope="module")
def written(community: Community, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return community.write(tmp_path_factory.mktemp("demo"))


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _threads(community: Community) -> dict[str, list[dict[str, Any]]]:
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for post in community.posts:
        threads[post["thread_id"]].append(post)
    return {tid: sorted(posts, key=lambda p: (p["created_at"], p["post_id"])) for tid, posts in threads.items()}


# --- determinism -----------------------------------------------------------------------------


def test_community_same_seed_same_data(community: Community) -> None:
    assert generate_community() == community


def test_community_write_is_byte_identical(community: Community, tmp_path: Path) -> None:
    first = community.write(tmp_path / "a")
    second = generate_community().write(tmp_path / "b")
    assert first.keys() == second.keys()
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name


def test_community_other_seed_differs(community: Community) -> None:
    other = generate_community(seed=8)
    assert [p["text"] for p in other.posts[:50]] != [p["text"] for p in community.posts[:50]]


@pytest.mark.parametrize(("start", "months"), [(date(2025, 1, 15), 2), (date(2026, 6, 1), 5)])
def test_community_stays_inside_its_window(start: date, months: int) -> None:
    community = generate_community(seed=3, start=start, months=months)
    window_start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    assert community.window_start == window_start
    assert community.window_end > window_start + timedelta(days=27 * months)
    for row in (*community.posts, *community.feedback):
        assert community.window_start <= _time(row["created_at"]) < community.window_end
    assert len({row["period_start"] for row in community.kpi_observations}) == months


def test_community_rejects_empty_window() -> None:
    with pytest.raises(ValueError, match="months"):
        generate_community(months=0)


# --- sizes and contracts ---------------------------------------------------------------------


def test_community_sizes(community: Community) -> None:
    assert 250 <= len(community.members) <= 350
    assert 2500 <= len(community.posts) <= 3500
    assert 500 <= len(_threads(community)) <= 700
    assert 200 <= len(community.feedback) <= 600
    assert len(community.kpi_observations) == 5 * 5  # months x (all + four motivations)


def test_community_rows_validate(community: Community) -> None:
    for row in community.posts:
        post, truncated = to_post(row, MAX_CHARS)
        assert not truncated and post.post_id == row["post_id"]
    for row in community.members:
        assert to_member(row).author_id == row["author_id"]
    for row in community.feedback:
        answer, truncated = to_feedback(row, MAX_CHARS)
        assert not truncated and answer.rating is not None
    for row in community.kpi_observations:
        assert to_kpi(row).kpi_id == "support_deflection"


def test_community_written_files_read_back(community: Community, written: dict[str, Path]) -> None:
    with written["members"].open(encoding="utf-8", newline="") as handle:
        members = [to_member(row) for row in csv.DictReader(handle)]
    assert [m.author_id for m in members] == [m["author_id"] for m in community.members]
    assert [m.consent_analytics for m in members] == [m["consent_analytics"] for m in community.members]
    with written["kpi_observations"].open(encoding="utf-8", newline="") as handle:
        assert [to_kpi(row).value for row in csv.DictReader(handle)] == [
            row["value"] for row in community.kpi_observations
        ]
    for name, rows in (("posts", community.posts), ("feedback", community.feedback)):
        lines = written[name].read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == rows


def test_community_ids_and_replies_are_consistent(community: Community) -> None:
    by_id = {p["post_id"]: p for p in community.posts}
    assert len(by_id) == len(community.posts)
    for thread_id, posts in _threads(community).items():
        roots = [p for p in posts if p["parent_id"] is None]
        assert roots == [posts[0]], thread_id  # one root, and it came first
        for post in posts[1:]:
            parent = by_id[post["parent_id"]]
            assert parent["thread_id"] == thread_id
            assert parent["created_at"] <= post["created_at"]
            assert post["title"] is None
        if posts[0]["platform"] == "discourse":
            assert posts[0]["title"]


def test_community_posts_follow_their_platform(community: Community) -> None:
    platforms = Counter(p["platform"] for p in community.posts)
    assert set(platforms) == {"discourse", "slack"} and platforms["slack"] > 50
    for post in community.posts:
        if post["platform"] == "slack":
            assert post["kind"] == "message" and not post["accepted_answer"]
        if post["accepted_answer"]:
            assert post["kind"] == "answer"
    channels = {p["channel"] for p in community.posts}
    assert {"help", "showcase", "announcements", "general", "feature-requests", "integrations"} <= channels
    accepted = sum(p["accepted_answer"] for p in community.posts)
    questions = sum(p["kind"] == "question" for p in community.posts)
    assert 0.3 * questions < accepted < 0.8 * questions


def test_community_authors_post_after_joining(community: Community) -> None:
    joined = {m["author_id"]: _time(m["joined_at"]) for m in community.members}
    unknown = Counter(p["author_id"] for p in community.posts if p["author_id"] not in joined)
    assert 1 <= sum(unknown.values()) <= 10  # a handful from accounts missing in members.csv
    for row in (*community.posts, *community.feedback):
        if row["author_id"] in joined:
            assert _time(row["created_at"]) > joined[row["author_id"]], row


def test_community_members_cover_cohorts(community: Community) -> None:
    members = community.members
    join_months = Counter(m["joined_at"][:7] for m in members)
    assert sum(n for month, n in join_months.items() if month < "2026-06") > 50  # joined before the window
    assert all(join_months[f"2026-{month:02d}"] > 10 for month in range(6, 11))
    assert {m["motivation"] for m in members} == {"learn", "lead", "build", "other"}
    assert {"hobbyist", "startup", "enterprise", "student"} <= {m["segment"] for m in members}
    assert {m["plan"] for m in members} == {"free", "pro", "team"}


def test_community_consent_flags(community: Community) -> None:
    without = sum(not m["consent_analytics"] for m in community.members) / len(community.members)
    assert 0.05 <= without <= 0.15
    assert all(m["consent_analytics"] for m in community.members if m["consent_quotes"])
    assert sum(m["consent_quotes"] for m in community.members) < sum(m["consent_analytics"] for m in community.members)


def test_community_texts_are_varied(community: Community) -> None:
    counts = Counter(p["text"] for p in community.posts)
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates / len(community.posts) < 0.05


def test_community_texts_carry_some_personal_data(community: Community) -> None:
    texts = [p["text"] for p in community.posts]
    assert sum("@example.com" in t or "@example.org" in t for t in texts) >= 5
    assert sum(" 555" in t or "7946" in t for t in texts) >= 5
    assert 0.01 < sum("@example." in t or " 555" in t or "7946" in t for t in texts) / len(texts) < 0.08


def test_community_topics_have_their_own_vocabulary(community: Community) -> None:
    for word in ("sso", "invoice", "webhook", "kubernetes", "csv"):
        hits = [p for p in community.posts if word in p["text"].lower()]
        assert len(hits) >= 30, word


# --- planted scenarios -----------------------------------------------------------------------


def test_community_truth_names_every_scenario(community: Community) -> None:
    thread_ids = set(_threads(community))
    for key in ("rising_frustration", "unsafe", "unanswered", "excited_showcase", "stories"):
        assert community.truth[key], key
        assert set(community.truth[key]) <= thread_ids, key
    assert len(community.truth["rising_frustration"]) == 3
    assert len(community.truth["unsafe"]) == len(community.truth["excited_showcase"]) == 1


def test_community_unanswered_questions_are_overdue(community: Community) -> None:
    threads = _threads(community)
    cutoff = community.window_end - timedelta(hours=48)
    consent = {m["author_id"]: m["consent_analytics"] for m in community.members}
    lonely = []
    for thread_id in community.truth["unanswered"]:
        visible = [p for p in threads[thread_id] if consent.get(p["author_id"], True)]
        root = visible[0]
        assert _time(root["created_at"]) <= cutoff
        assert all(p["author_id"] == root["author_id"] for p in visible), thread_id
        if len(threads[thread_id]) == 1 and root["kind"] == "question":
            lonely.append(thread_id)
    assert lonely  # at least one question nobody at all replied to
    recent = [t for t in lonely if _time(threads[t][0]["created_at"]) > community.window_end - timedelta(days=7)]
    assert recent  # and one of them from the last week, where a moderator still can help


def test_community_frustration_rises_at_the_end(community: Community) -> None:
    threads = _threads(community)
    for thread_id in community.truth["rising_frustration"]:
        posts = threads[thread_id]
        assert posts[0]["kind"] == "question" and len(posts) >= 6
        assert _time(posts[-1]["created_at"]) > community.window_end - timedelta(days=2)
        early = " ".join(p["text"].lower() for p in posts[:2])
        late = " ".join(p["text"].lower() for p in posts[len(posts) // 2:])
        assert sum(phrase in late for phrase in FRUSTRATION_PHRASES) >= 3, thread_id
        assert not any(phrase in early for phrase in FRUSTRATION_PHRASES)


def test_community_has_exactly_one_unsafe_post(community: Community) -> None:
    (post_id,) = community.truth["unsafe_posts"]
    threat = [p for p in community.posts if "know where your office is" in p["text"]]
    assert [p["post_id"] for p in threat] == [post_id]
    assert [threat[0]["thread_id"]] == community.truth["unsafe"]
    assert _time(threat[0]["created_at"]) > community.window_end - timedelta(days=7)
    assert not any("regret" in f["text"] for f in community.feedback)


def test_community_excited_showcase_grows(community: Community) -> None:
    (thread_id,) = community.truth["excited_showcase"]
    posts = _threads(community)[thread_id]
    assert posts[0]["channel"] == "showcase" and len(posts) >= 8
    replies = [p["reactions"] for p in posts[1:] if p["author_id"] != posts[0]["author_id"]]
    assert replies[-1] > 3 * replies[0]
    assert sum("!" in p["text"] for p in posts[len(posts) // 2:]) >= 3


def test_community_stories_are_tagged_and_quotable(community: Community) -> None:
    by_id = {p["post_id"]: p for p in community.posts}
    tags = {t["id"] for t in _taxonomy()["tags"]}
    members = {m["author_id"]: m for m in community.members}
    # Twelve stories of what worked, in story threads; three of what got in the way (the friction tag),
    # told by the askers of the rising-frustration threads.
    friction = sorted(p for p, ts in community.story_tags.items() if ts == ["left_waiting"])
    told = sorted(set(community.truth["story_posts"]) - set(friction))
    assert len(community.truth["stories"]) == len(told) == 12
    assert sorted(by_id[p]["thread_id"] for p in friction) == sorted(community.truth["rising_frustration"])
    assert set(community.story_tags) == set(community.truth["story_posts"])
    assert Counter(tag for ts in community.story_tags.values() for tag in ts) == dict.fromkeys(tags, 3)
    for post_id in community.truth["story_posts"]:
        assert members[by_id[post_id]["author_id"]]["consent_analytics"]
    for post_id in told:
        post = by_id[post_id]
        assert post["thread_id"] in community.truth["stories"]
        assert len(post["text"]) > 200  # a before, what the community did, an outcome
    quoted = [members[by_id[p]["author_id"]]["consent_quotes"] for p in told]
    assert quoted.count(False) == 1  # one story the reports must paraphrase
    assert any(members[by_id[p]["author_id"]]["consent_quotes"] for p in friction)  # a friction story to quote


# --- KPIs, taxonomy, seeds ---------------------------------------------------------------------


def test_community_support_deflection_rows(community: Community) -> None:
    rows = community.kpi_observations
    assert {r["cohort"] for r in rows} == {"all", "motivation=learn", "motivation=lead", "motivation=build",
                                           "motivation=other"}
    for period in {r["period_start"] for r in rows}:
        month = [r for r in rows if r["period_start"] == period]
        total = next(r for r in month if r["cohort"] == "all")
        assert total["n"] == sum(r["n"] for r in month if r["cohort"] != "all") > 0
        assert all(0.0 <= r["value"] <= 1.0 for r in month)


def test_community_kpi_dictionary_loads(written: dict[str, Path]) -> None:
    kpis = load_kpi_dictionary(written["kpis"])
    assert COMPUTED_KPIS | {"support_deflection"} <= set(kpis)
    assert kpis["support_deflection"].source == "external"


def _taxonomy() -> dict[str, Any]:
    from importlib import resources

    return tomllib.loads(resources.files("insight.demo").joinpath("taxonomy.toml").read_text(encoding="utf-8"))


def test_community_taxonomy_and_seeds(written: dict[str, Path]) -> None:
    taxonomy = tomllib.loads(written["taxonomy"].read_text(encoding="utf-8"))
    assert taxonomy["version"]
    ids = {tag["id"] for tag in taxonomy["tags"]}
    assert all({"id", "name", "description", "kpis"} <= set(tag) for tag in taxonomy["tags"])
    assert all(set(tag["kpis"]) <= COMPUTED_KPIS | {"support_deflection"} for tag in taxonomy["tags"])
    seeds = [json.loads(line) for line in written["story_seeds"].read_text(encoding="utf-8").splitlines()]
    per_tag = Counter(tag for seed in seeds for tag in seed["tags"])
    assert set(per_tag) == ids and min(per_tag.values()) >= 6
    assert any(seed["tags"] == [] for seed in seeds)  # non-stories, to leave untagged
