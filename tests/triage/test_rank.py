"""Tests for insight.triage.rank on hand-built threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from insight.config import TriageSettings
from insight.records import Post, Provenance, Safety
from insight.triage.rank import ScoredPost, ThreadView, rank_threads

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AS_OF = T0 + timedelta(days=3)
SETTINGS = TriageSettings()  # SLA 48 h, window 14 days, threshold 0.35


def sp(
    post_id: str,
    thread_id: str,
    author: str,
    hours: float,
    sentiment: float,
    *,
    text: str = "ok",
    kind: str | None = None,
    title: str | None = None,
    reactions: int = 0,
    views: int = 0,
    safety: Safety | None = None,
    root: bool = False,
) -> ScoredPost:
    post = Post(
        post_id=post_id,
        thread_id=thread_id,
        author_id=author,
        created_at=T0 + timedelta(hours=hours),
        text=text,
        channel="help",
        parent_id=None if root else f"{thread_id}-root",
        title=title,
        kind=kind,
        reactions=reactions,
        views=views,
    )
    return ScoredPost(post=post, sentiment=sentiment, safety=safety)


def thread(thread_id: str, *posts: ScoredPost, title: str | None = None) -> ThreadView:
    return ThreadView(thread_id=thread_id, posts=posts, channel="help", title=title)


def calm() -> ThreadView:
    return thread(
        "t-calm",
        sp("c1", "t-calm", "a", 0, 0.1, text="How do I set the log level?", kind="question", root=True),
        sp("c2", "t-calm", "b", 2, 0.2, text="Use --log-level debug."),
        sp("c3", "t-calm", "a", 3, 0.3, text="That worked, thanks."),
    )


def frustrated() -> ThreadView:
    return thread(
        "t-frust",
        sp("p10", "t-frust", "a", 0, 0.45, text="Trying the new release, looks neat.", root=True),
        sp("p12", "t-frust", "b", 5, 0.45, text="Same here."),
        sp("p13", "t-frust", "a", 10, -0.1, text="Hmm, the migration failed."),
        sp("p14", "t-frust", "c", 20, -0.4, text="Still broken after the patch."),
        sp("p15", "t-frust", "a", 30, -0.62, text="This is the third day I lose on this."),
        sp("p16", "t-frust", "d", 40, -0.5, text="Same failure, very annoying."),
    )


def unsafe() -> ThreadView:
    verdict = Safety(label="unsafe", category="threat", score=0.85, evidence="I know where your office")
    return thread(
        "t-unsafe",
        sp("u1", "t-unsafe", "a", 0, 0.0, text="Your plugin broke my site.", root=True),
        sp("u2", "t-unsafe", "b", 1, 0.0, text="Can you share logs?"),
        sp("u3", "t-unsafe", "a", 2, -0.6, text="I know where your office is.", safety=verdict),
    )


def showcase() -> ThreadView:
    return thread(
        "t-show",
        sp("s1", "t-show", "a", 0, 0.4, text="I built a dashboard with insight!", reactions=3, views=800, root=True),
        sp("s2", "t-show", "b", 4, 0.6, text="This is great.", reactions=4),
        sp("s3", "t-show", "c", 8, 0.7, text="Love it, sharing with my team.", reactions=6),
        sp("s4", "t-show", "d", 12, 0.8, text="Amazing work!", reactions=9),
        sp("s5", "t-show", "e", 16, 0.85, text="Wow, can we feature this?", reactions=12),
    )


def question(thread_id: str, hours: float) -> ThreadView:
    return thread(
        thread_id,
        sp(
            f"{thread_id}-q",
            thread_id,
            "asker",
            hours,
            -0.1,
            text="Why does sync time out?",
            kind="question",
            root=True,
        ),
        title="Sync times out",
    )


def by_id(items: list) -> dict:
    return {item.thread_id: item for item in items}


def test_unsafe_thread_ranks_first_regardless_of_others() -> None:
    threads = [calm(), frustrated(), showcase(), question("t-q", 0), unsafe()]
    items = rank_threads(threads, as_of=AS_OF, settings=SETTINGS)
    first = items[0]
    assert first.thread_id == "t-unsafe"
    assert first.reasons[0] == "safety_concern"
    assert first.needs_attention and first.priority >= 1.0
    assert all(item.priority < 1.0 for item in items[1:])
    # Names category and post, not the words.
    assert "threat" in first.explanation and "u3" in first.explanation
    assert "office" not in first.explanation
    assert "u3" in first.evidence_post_ids


def test_frustrated_ranks_above_calm() -> None:
    items = rank_threads([calm(), frustrated()], as_of=AS_OF, settings=SETTINGS)
    assert [i.thread_id for i in items] == ["t-frust", "t-calm"]
    frust = items[0]
    assert frust.reasons == ("rising_frustration",)
    assert frust.needs_attention
    assert "Sentiment fell from +0.45 to -0.62" in frust.explanation
    assert "p12" in frust.explanation and "p15" in frust.explanation
    assert frust.evidence_post_ids == ("p12", "p15")
    assert "4 participants" in frust.explanation


def test_frustration_needs_three_posts() -> None:
    short = thread(
        "t-short",
        sp("x1", "t-short", "a", 0, 0.8, root=True),
        sp("x2", "t-short", "b", 1, -0.9),
    )
    item = rank_threads([short], as_of=AS_OF, settings=SETTINGS)[0]
    assert "rising_frustration" not in item.reasons


def test_unanswered_past_sla_flagged_within_sla_not() -> None:
    late = question("t-late", 0)  # 72 h old at AS_OF, SLA 48 h
    fresh = question("t-fresh", 60)  # 12 h old
    items = by_id(rank_threads([late, fresh], as_of=AS_OF, settings=SETTINGS))
    assert items["t-late"].reasons == ("unanswered_question",)
    assert items["t-late"].needs_attention
    assert "t-late-q" in items["t-late"].explanation and "SLA 48 h" in items["t-late"].explanation
    assert items["t-fresh"].reasons == ()
    assert not items["t-fresh"].needs_attention


def test_unanswered_grows_with_age_and_self_bump_is_not_an_answer() -> None:
    older = question("t-old", -96)
    bumped = thread(
        "t-bump",
        *question("t-bump", 0).posts,
        sp("bump", "t-bump", "asker", 30, -0.3, text="Anyone?"),
    )
    answered = thread("t-ans", *question("t-ans", 0).posts, sp("ans", "t-ans", "helper", 1, 0.3))
    items = by_id(rank_threads([older, question("t-new", 0), bumped, answered], as_of=AS_OF, settings=SETTINGS))
    assert items["t-old"].priority > items["t-new"].priority
    assert "unanswered_question" in items["t-bump"].reasons
    assert "unanswered_question" not in items["t-ans"].reasons


def test_channel_sla_is_used() -> None:
    settings = TriageSettings(unanswered_sla_hours={"*": 48.0, "help": 100.0})
    item = rank_threads([question("t-q", 0)], as_of=AS_OF, settings=settings)[0]
    assert item.reasons == ()


def test_showcase_flagged_amplify_excitement() -> None:
    item = rank_threads([showcase(), calm()], as_of=AS_OF, settings=SETTINGS)[0]
    assert item.thread_id == "t-show"
    assert item.reasons == ("amplify_excitement",)
    assert item.needs_attention
    assert "s5" in item.explanation and "worth amplifying" in item.explanation


def test_calm_answered_thread_needs_no_attention() -> None:
    item = rank_threads([calm()], as_of=AS_OF, settings=SETTINGS)[0]
    assert item.needs_attention is False
    assert item.reasons == ()
    assert item.priority == 0.0
    assert "No triage signal" in item.explanation


def test_as_of_before_late_posts_changes_result() -> None:
    # At T0 + 12 h only p10..p13 exist: no sustained fall yet.
    early = rank_threads([frustrated()], as_of=T0 + timedelta(hours=12), settings=SETTINGS)[0]
    later = rank_threads([frustrated()], as_of=AS_OF, settings=SETTINGS)[0]
    assert "rising_frustration" not in early.reasons
    assert "rising_frustration" in later.reasons
    # The unsafe post at +2 h does not exist at +1 h.
    before = rank_threads([unsafe()], as_of=T0 + timedelta(hours=1), settings=SETTINGS)[0]
    assert "safety_concern" not in before.reasons
    # A thread that did not exist yet is left out.
    assert rank_threads([question("t-future", 100)], as_of=AS_OF, settings=SETTINGS) == []


def test_same_inputs_same_queue_and_ties_by_thread_id() -> None:
    threads = [calm(), frustrated(), showcase(), unsafe(), question("t-q", 0)]
    first = rank_threads(threads, as_of=AS_OF, settings=SETTINGS)
    second = rank_threads(list(reversed(threads)), as_of=AS_OF, settings=SETTINGS)
    assert first == second
    twins = [question("t-b", 0), question("t-a", 0)]
    assert [i.thread_id for i in rank_threads(twins, as_of=AS_OF, settings=SETTINGS)] == ["t-a", "t-b"]


def test_window_excludes_old_sentiment() -> None:
    settings = TriageSettings(window_days=1)
    item = rank_threads([frustrated()], as_of=T0 + timedelta(days=10), settings=settings)[0]
    assert "rising_frustration" not in item.reasons


def test_naive_as_of_taken_as_utc_and_provenance_attached() -> None:
    prov = Provenance(stage="triage", model=None, model_revision=None, config_hash="abc", run_id="r1")
    naive = AS_OF.replace(tzinfo=None)
    items = rank_threads([frustrated()], as_of=naive, settings=SETTINGS, provenance=prov)
    assert items[0].provenance == prov
    assert items[0].as_dict()["reasons"] == ["rising_frustration"]


@pytest.mark.parametrize("make", [calm, frustrated, unsafe, showcase])
def test_priority_in_range(make) -> None:
    item = rank_threads([make()], as_of=AS_OF, settings=SETTINGS)[0]
    assert 0.0 <= item.priority <= 2.0
