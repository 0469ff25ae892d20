"""Milestone excitement: news answered by congratulations, not positive words or a greeting chorus."""

from __future__ import annotations

from datetime import timedelta

from insight.config import TriageSettings
from insight.triage.evidence import only_shares_the_question
from insight.triage.milestone import milestone_signal
from insight.triage.rank import rank_threads
from tests.support.triage import T0, sp, thread

SETTINGS = TriageSettings()


def test_milestone_merged_pr_with_congratulations_and_an_invitation() -> None:
    posts = [
        sp("m", 1, "new", 0, 0.6, "My first pull request was merged into the core today!", reactions=8),
        sp("m", 2, "a", 1, 0.8, "Congratulations, well earned!"),
        sp("m", 3, "b", 2, 0.7, "Well done! Would you write a short post for the blog?"),
    ]
    signal = milestone_signal(posts, T0 + timedelta(hours=3), SETTINGS)
    assert signal is not None and signal.reason == "amplify_excitement"
    assert signal.evidence[0] == "m-1" and "m-2" in signal.explanation and "invitation" in signal.explanation
    item = rank_threads([thread("m", *posts)], as_of=T0 + timedelta(hours=3), settings=SETTINGS)[0]
    assert item.needs_attention and item.reasons == ("amplify_excitement",)


def test_milestone_bad_news_or_no_congratulations_is_not_one() -> None:
    shipped_broken = [
        sp("s", 1, "u", 0, -0.6, "2.3 shipped and the crash is still there."),
        sp("s", 2, "a", 1, 0.5, "Well done on the release notes though, great job."),
        sp("s", 3, "b", 2, 0.5, "Congrats on shipping anyway."),
    ]
    assert milestone_signal(shipped_broken, T0 + timedelta(hours=3), SETTINGS) is None
    plans = [sp("p", 1, "u", 0, 0.5, "Bake sale on the 20th, drop cakes from 9."),
             sp("p", 2, "a", 1, 0.5, "I'll bring lemon drizzle."), sp("p", 3, "b", 2, 0.5, "Count me in.")]
    assert milestone_signal(plans, T0 + timedelta(hours=3), SETTINGS) is None


def test_unanswered_a_reply_sharing_the_question_is_not_an_answer_but_one_with_a_fix_is() -> None:
    assert only_shares_the_question("Mine smells the same way lately, hoping someone here knows.")
    assert only_shares_the_question("I'd like to know as well.")
    assert not only_shares_the_question("Had the same issue. Set `maxSurge: 1` and it went away.")
