"""Safety from rules and classifier heads: a rule that fires decides; else hate, then abuse, each only
at or above its (high) threshold; below both the post is safe."""

from __future__ import annotations

import pytest

from insight.records import Safety
from insight.safety.combine import ABUSE_THRESHOLD, EVIDENCE_CHARS, HATE_THRESHOLD, combine, flagged_category

SAFE = Safety(label="safe", category=None, score=0.0)
THREAT = Safety(label="unsafe", category="threat", score=0.9, evidence="I know where you live")


def test_combine_a_rule_that_fires_wins_over_the_heads() -> None:
    assert combine(THREAT, {"hate": 0.99, "offensive": 0.99}, "I know where you live, Dan.") is THREAT


def test_combine_hate_at_its_threshold_is_unsafe_with_the_text_as_evidence() -> None:
    text = "x" * (EVIDENCE_CHARS + 50)
    verdict = combine(SAFE, {"hate": HATE_THRESHOLD, "offensive": 0.99}, text)
    assert verdict == Safety(label="unsafe", category="hate", score=HATE_THRESHOLD, evidence=text[:EVIDENCE_CHARS])


def test_combine_offensive_above_its_threshold_is_harassment_with_a_rounded_score() -> None:
    offensive = ABUSE_THRESHOLD + 0.00123456
    verdict = combine(SAFE, {"hate": 0.2, "offensive": offensive}, "you are all idiots")
    assert verdict == Safety(label="unsafe", category="harassment", score=round(offensive, 4),
                             evidence="you are all idiots")


@pytest.mark.parametrize("toxicity", [
    {},  # no heads ran
    {"hate": HATE_THRESHOLD - 0.01, "offensive": ABUSE_THRESHOLD - 0.01},
    {"offensive": 0.9},  # plain profanity ("this f***ing bug") stays frustration, not a safety case
])
def test_combine_below_both_thresholds_is_safe_with_the_higher_score(toxicity: dict[str, float]) -> None:
    verdict = combine(SAFE, toxicity, "this f***ing bug again")
    assert verdict == Safety(label="safe", category=None, score=round(max(toxicity.values(), default=0.0), 4),
                             evidence=None)


def test_combine_per_category_thresholds_flag_the_category_furthest_over_its_own() -> None:
    limits = {"threat": 0.45, "self_harm": 0.55, "harassment": 0.6}
    assert flagged_category({"threat": 0.5, "self_harm": 0.54, "harassment": 0.59}, limits) == "threat"
    assert flagged_category({"threat": 0.44, "self_harm": 0.54, "harassment": 0.59}, limits) is None
    assert flagged_category({"threat": 0.46, "self_harm": 0.7, "harassment": 0.1}, limits) == "self_harm"
    verdict = combine(SAFE, {}, "see you at the exit", {"threat": 0.5, "self_harm": 0.1, "harassment": 0.1}, limits)
    assert (verdict.label, verdict.category, verdict.score) == ("unsafe", "threat", 0.5)
    assert combine(SAFE, {}, "ok", {"threat": 0.5, "self_harm": 0.1, "harassment": 0.1}, 0.6).label == "safe"
