"""Thread-level signals and the priority: staleness, cooling down, resolution, me-too replies, member context."""

from __future__ import annotations

from datetime import timedelta

from insight.config import TriageSettings
from insight.records import Safety
from insight.triage.rank import assess_threads, rank_threads
from tests.support.triage import T0, question, sp, thread

SETTINGS = TriageSettings()  # SLA 48 h, stale after 14 days overdue


def by_id(items: list) -> dict:  # type: ignore[type-arg]
    return {item.thread_id: item for item in items}


def angry(thread_id: str, start: float, author: str = "a") -> object:
    """Polite question, an answer, then three ever angrier replies, 10 h apart."""
    return thread(
        thread_id,
        sp(thread_id, 1, author, start, 0.3, "Login fails after SSO, any idea? Thanks!", kind="question"),
        sp(thread_id, 2, "helper", start + 5, 0.3, "Check the callback URL."),
        sp(thread_id, 3, author, start + 15, -0.7, "Tried it, still broken. Frustrating."),
        sp(thread_id, 4, "c", start + 25, -0.9, "Same here, terrible."),
        sp(thread_id, 5, author, start + 35, -0.95, "Unacceptable, awful support."),
    )


def test_signals_fresh_question_and_active_frustration_outrank_a_stale_question() -> None:
    as_of = T0 + timedelta(days=130)
    fresh = question("t-fresh", 24 * 130 - 60)  # 60 h old: just past the 48 h SLA
    stale = question("t-stale", 0)  # 130 days old
    active = angry("t-angry", 24 * 130 - 40)
    items = rank_threads([stale, fresh, active], as_of=as_of, settings=SETTINGS)
    assert [i.thread_id for i in items] == ["t-angry", "t-fresh", "t-stale"]
    stale_item = items[-1]
    assert stale_item.needs_attention and stale_item.reasons == ("unanswered_question",)
    assert "Stale" in stale_item.explanation
    assert "Stale" not in items[1].explanation


def test_signals_unanswered_peaks_then_fades_with_staleness() -> None:
    ages_days = (3, 4, 10, 20, 40, 120)
    threads = [question(f"t{d:03d}", 0) for d in ages_days]
    priorities = []
    for days, t in zip(ages_days, threads, strict=True):
        item = rank_threads([t], as_of=T0 + timedelta(days=days), settings=SETTINGS)[0]
        priorities.append(item.priority)
    assert priorities[0] < priorities[1]  # still rising in the first SLA period overdue
    assert priorities[2] > priorities[3] > priorities[4] > priorities[5]  # stale: fading
    assert priorities[5] >= SETTINGS.attention_threshold  # but still queued


def test_signals_frustration_cools_down_when_the_thread_goes_quiet() -> None:
    now = rank_threads([angry("t", 0)], as_of=T0 + timedelta(hours=36), settings=SETTINGS)[0]
    later = rank_threads([angry("t", 0)], as_of=T0 + timedelta(days=6), settings=SETTINGS)[0]
    assert now.reasons == later.reasons == ("rising_frustration",)
    assert later.priority < now.priority
    assert "Quiet for" in later.explanation and "Quiet for" not in now.explanation


def test_signals_heated_thread_resolved_by_the_askers_word_is_not_frustration() -> None:
    base = angry("t-res", 0).posts  # type: ignore[attr-defined]
    # Scores negative (apology words), but the asker says it works: resolved.
    thanks = sp("t-res", 6, "a", 40, -0.1, "It works now, thank you! Sorry for the rant.")
    item = rank_threads([thread("t-res", *base, thanks)], as_of=T0 + timedelta(hours=41), settings=SETTINGS)[0]
    assert "rising_frustration" not in item.reasons
    accepted = sp("t-acc", 6, "staff", 40, -0.3, "Fixed the config on our side.", accepted=True)
    posts = [sp("t-acc", p.post.post_id.rsplit("-", 1)[1] and int(p.post.post_id.rsplit("-", 1)[1]), p.post.author_id,
                (p.post.created_at - T0).total_seconds() / 3600, p.sentiment, p.post.text) for p in base]
    item = rank_threads([thread("t-acc", *posts[:4], accepted, posts[4])], as_of=T0 + timedelta(hours=41),
                        settings=SETTINGS)[0]
    assert "rising_frustration" not in item.reasons


def test_signals_an_upbeat_staff_reply_does_not_resolve_frustration() -> None:
    base = angry("t-staff", 0).posts  # type: ignore[attr-defined]
    staff = sp("t-staff", 6, "staff", 37, 0.9, "Thanks for your patience, we're on it!")
    item = rank_threads([thread("t-staff", *base, staff)], as_of=T0 + timedelta(hours=38), settings=SETTINGS)[0]
    assert item.reasons == ("rising_frustration",)
    still = sp("t-staff", 7, "a", 38, -0.6, "Still not fixed.")
    item = rank_threads([thread("t-staff", *base, staff, still)], as_of=T0 + timedelta(hours=39),
                        settings=SETTINGS)[0]
    assert item.reasons == ("rising_frustration",)


def test_signals_me_too_reply_is_not_an_answer() -> None:
    q = question("t-q", 0).posts  # type: ignore[attr-defined]
    me_too = thread("t-q", *q, sp("t-q", 2, "other", 5, 0.0, "+1, same question here. Any update?"))
    answered = thread("t-a", sp("t-a", 1, "asker", 0, 0.0, "How do I rotate the API key?", kind="question"),
                      sp("t-a", 2, "other", 5, 0.0, "Settings, then API, then Rotate."))
    items = by_id(rank_threads([me_too, answered], as_of=T0 + timedelta(hours=72), settings=SETTINGS))
    assert items["t-q"].reasons == ("unanswered_question",)
    assert items["t-a"].reasons == ()


def test_signals_welcome_chorus_is_not_excitement_but_growing_launch_is() -> None:
    chorus = thread("t-hi", *(sp("t-hi", i + 1, f"w{i}", i, 0.6, "Welcome!") for i in range(6)), channel="general")
    launch = thread("t-launch", *(sp("t-launch", i + 1, f"p{i}", 4 * i, 0.1 + 0.12 * i, "Love it!", reactions=2 + 4 * i)
                                  for i in range(7)), channel="showcase")
    items = by_id(rank_threads([chorus, launch], as_of=T0 + timedelta(hours=30), settings=SETTINGS))
    assert items["t-hi"].reasons == ()
    assert items["t-launch"].reasons == ("amplify_excitement",)


def test_signals_safety_span_is_kept_but_doxxing_text_is_not() -> None:
    threat_text = "Fix it by Friday. I know where you live."
    threat = Safety(label="unsafe", category="threat", score=0.9, evidence="I know where you live")
    dox = Safety(label="unsafe", category="doxxing", score=0.85, evidence="his address is 14 Birch Lane")
    threads = [
        thread("t-threat", sp("t-threat", 1, "a", 0, -0.2, threat_text, safety=threat)),
        thread("t-dox", sp("t-dox", 1, "b", 0, 0.0, "FYI his address is 14 Birch Lane.", safety=dox)),
    ]
    found = {a.item.thread_id: a for a in assess_threads(threads, as_of=T0 + timedelta(hours=1), settings=SETTINGS)}
    span = found["t-threat"].signals[0].detail["spans"][0]
    assert span["span"] == "I know where you live"
    assert threat_text[span["start"]:span["end"]] == span["span"]
    dox_span = found["t-dox"].signals[0].detail["spans"][0]
    assert dox_span["category"] == "doxxing" and "span" not in dox_span and dox_span["start"] == 4
    assert "Birch" not in found["t-dox"].item.explanation
    assert found["t-threat"].signals[0].trigger_at == T0


def test_signals_newcomer_and_at_risk_raise_priority_and_are_explained() -> None:
    as_of = T0 + timedelta(hours=72)
    threads = [question("t-new", 0, author="newbie"), question("t-old", 0, author="veteran")]
    plain = by_id(rank_threads(threads, as_of=as_of, settings=SETTINGS))
    joined = {"newbie": as_of - timedelta(days=9), "veteran": as_of - timedelta(days=400)}
    ctx = by_id(rank_threads(threads, as_of=as_of, settings=SETTINGS, joined_at=joined))
    assert plain["t-new"].priority == plain["t-old"].priority
    assert ctx["t-new"].priority > ctx["t-old"].priority == plain["t-old"].priority
    assert "newcomer (joined 9 days ago)" in ctx["t-new"].explanation
    assert "newbie" not in ctx["t-new"].explanation  # never an author id
    risky = by_id(rank_threads(threads, as_of=as_of, settings=SETTINGS, at_risk={"veteran"}))
    assert risky["t-old"].priority > plain["t-old"].priority
    assert "at-risk cohort" in risky["t-old"].explanation


def test_signals_strong_threads_keep_their_order_below_safety() -> None:
    joined = {"a": T0, "b": T0}
    big = angry("t-big", 0, author="a")
    bigger = thread("t-bigger", *angry("t-bigger", 0, author="b").posts,  # type: ignore[attr-defined]
                    sp("t-bigger", 6, "d", 36, -0.97, "Awful."), sp("t-bigger", 7, "e", 36.5, -0.98, "Terrible."))
    items = rank_threads([big, bigger], as_of=T0 + timedelta(hours=37), settings=SETTINGS, joined_at=joined)
    assert items[0].priority > items[1].priority  # no tie at a hard cap
    assert all(0.8 < i.priority < 1.0 for i in items)


def test_signals_disabled_reason_never_fires() -> None:
    settings = TriageSettings(reasons=["safety_concern", "rising_frustration", "amplify_excitement"])
    item = rank_threads([question("t-q", 0)], as_of=T0 + timedelta(days=5), settings=settings)[0]
    assert item.reasons == () and not item.needs_attention
