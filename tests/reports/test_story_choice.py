"""Story choice: evidence and representativeness decide, consent is a hard rule, ties are deterministic."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

from insight.records import StoryMetricPair
from insight.reports.story_choice import (
    KpiFocus,
    choose_stories,
    choose_story,
    evidence_strength,
    shorten,
)

FOCUS = KpiFocus("activation_rate", "motivation=learn", {"all": 100, "motivation=learn": 40, "segment=startup": 10})


def pair(story: str, **changes) -> StoryMetricPair:  # type: ignore[no-untyped-def]
    base = StoryMetricPair(
        kpi_id="activation_rate", cohort="motivation=learn", period="2026-10", value=0.8, n=40, story_id=story,
        link_id=f"l-{story}", tag="mentor_guidance", tag_score=0.8, quote=f"Story {story}: a mentor helped me.",
        source_post_ids=("p1",), tagger="model:tagger@1", taxonomy_version="2026-11",
        linked_at=datetime(2026, 10, 5, tzinfo=UTC))
    return replace(base, **changes)


def test_story_without_quote_consent_is_never_chosen_even_when_strongest() -> None:
    private = pair("private", quote=None, tag_score=1.0, tagger="person:ana", source_post_ids=("a", "b", "c", "d", "e"))
    weak = pair("weak", tag_score=0.3)
    choice = choose_story([private, weak], FOCUS)
    assert choice.pair is weak
    assert choice.as_dict()["quote"] == weak.quote
    assert (choice.candidates, choice.consented) == (2, 1)
    # A story linked to two cohorts is one candidate story, not two.
    assert choose_story([weak, replace(weak, cohort="all", link_id="l-weak-all")], FOCUS).candidates == 1


def test_no_consented_story_gives_none_and_says_why() -> None:
    choice = choose_story([pair("a", quote=None), pair("b", quote="  ")], FOCUS)
    assert choice.pair is None
    assert "none of the 2 candidate stories has quote consent" in choice.reason
    assert choice.as_dict()["quote"] is None
    assert choose_story([], FOCUS).reason == "no confirmed story links to this KPI in the months the report looks at"


def test_evidence_person_confirmation_and_source_posts_count() -> None:
    model = pair("model")
    person = pair("person", tagger="person:ana")
    sourced = pair("sourced", source_post_ids=("p1", "p2", "p3", "p4", "p5"))
    assert evidence_strength(person) > evidence_strength(model)
    assert evidence_strength(sourced) > evidence_strength(model)
    assert choose_story([model, person], FOCUS).pair is person
    assert choose_story([model, sourced], FOCUS).pair is sourced


def test_representativeness_prefers_focus_cohort_and_usual_tag() -> None:
    in_focus = pair("focus")
    small_cohort = pair("small", cohort="segment=startup")
    assert choose_story([small_cohort, in_focus], FOCUS).pair is in_focus
    # Three mentor stories (one of them private) and one odd event story of equal evidence:
    # the usual kind of story for the KPI wins, judged over every candidate.
    odd = pair("odd", tag="event_collaboration")
    usual = pair("usual")
    others = [pair("m2", quote=None), pair("m3", quote=None)]
    choice = choose_story([odd, usual, *others], FOCUS)
    assert choice.pair is usual
    assert choice.representativeness > 0.5


def test_a_story_told_this_period_beats_an_equal_older_one() -> None:
    focus = KpiFocus("activation_rate", "motivation=learn", {"all": 100}, period="2026-10")
    older = pair("older", period="2026-08", linked_at=datetime(2026, 8, 1, tzinfo=UTC))
    current = pair("current", period="2026-10")
    choice = choose_story([older, current], focus)
    assert choice.pair is current
    assert choose_story([older], focus).representativeness < choice.representativeness


def test_choice_ignores_other_kpis_and_does_not_depend_on_input_order() -> None:
    candidates = [pair(f"s{i}", linked_at=datetime(2026, 10, 1 + i, tzinfo=UTC)) for i in range(6)]
    candidates.append(pair("other-kpi", kpi_id="retention_90d", tag_score=1.0))
    first = choose_story(candidates, FOCUS)
    assert first.pair is not None and first.pair.story_id == "s0"  # equal scores: earliest linked wins
    for seed in range(5):
        shuffled = candidates[:]
        random.Random(seed).shuffle(shuffled)
        assert choose_story(shuffled, FOCUS) == first


def test_choose_stories_tells_a_story_once_while_others_are_left() -> None:
    shared = pair("shared", tag_score=1.0)
    candidates = [shared, replace(shared, kpi_id="time_to_first_value", link_id="l2"),
                  pair("second", kpi_id="time_to_first_value", tag_score=0.5),
                  replace(shared, kpi_id="retention_90d", link_id="l3")]
    choices = choose_stories(candidates, [FOCUS, KpiFocus("time_to_first_value"), KpiFocus("retention_90d")])
    assert choices["activation_rate"].pair.story_id == "shared"  # type: ignore[union-attr]
    assert choices["time_to_first_value"].pair.story_id == "second"  # type: ignore[union-attr]
    # Nothing else is left for retention: the story is told again rather than none.
    assert choices["retention_90d"].pair.story_id == "shared"  # type: ignore[union-attr]


def test_shorten_cuts_long_quotes_at_a_word() -> None:
    text = "word " * 100
    short = shorten(text, 40)
    assert short.endswith("…") and len(short) <= 41 and "  " not in short
    assert shorten("short  quote") == "short quote"


def test_a_worsening_kpi_prefers_a_friction_story_and_says_so_when_there_is_none() -> None:
    mechanism = pair("mech", tag_score=0.9, tagger="person:ana")
    friction = pair("fric", tag="left_waiting", tag_score=0.4)
    valences = {"mentor_guidance": "mechanism", "left_waiting": "friction"}
    worse = replace(FOCUS, prefer="friction", valences=valences)
    better = replace(FOCUS, prefer="mechanism", valences=valences)
    chosen = choose_story([mechanism, friction], worse)
    assert chosen.pair is friction and chosen.as_dict()["valence"] == "friction"
    assert choose_story([mechanism, friction], better).pair is mechanism  # the stronger story, and a mechanism
    fallback = choose_story([mechanism], worse)
    assert fallback.pair is mechanism and "no consented friction story" in fallback.reason
