"""Tests for insight.safety.rules: threats and self-harm caught, dev idioms left alone."""

from __future__ import annotations

import pytest

from insight.records import Safety
from insight.safety.rules import CATEGORIES, assess_safety, find_hits, normalise

UNSAFE: list[tuple[str, str]] = [
    # veiled threats
    ("I know where your office is.", "threat"),
    ("Keep posting that and you'll regret this.", "threat"),
    ("Watch your back, mate.", "threat"),
    ("It would be a shame if something happened to your little project.", "threat"),
    ("Don't bother hiding. I'll find you.", "threat"),
    ("Keep talking. See what happens when I show up.", "threat"),
    ("I know where you live, Dan.", "threat"),
    ("I know where your kids go to school", "threat"),
    ("Better sleep with one eye open tonight", "threat"),
    ("I\u2019m going to show up at your house and we'll talk", "threat"),
    ("Delete that review or you will regret it", "threat"),
    # explicit threats
    ("I will hurt you if you post that again", "threat"),
    ("I'm going to kill you", "threat"),
    ("Ill fucking kill u", "threat"),
    ("We will come for your family", "threat"),
    ("Say that again and I'll beat up him and his friends", "threat"),
    ("You're dead. Seriously.", "threat"),
    ("Someone should shoot him for that code review.", "threat"),
    # self-harm hints
    ("Honestly I want to end it all.", "self_harm"),
    ("There's no reason to go on after this.", "self_harm"),
    ("I keep thinking of hurting myself", "self_harm"),
    ("Everyone would be better off without me.", "self_harm"),
    ("I can't do this anymore. It all feels hopeless.", "self_harm"),
    ("Nobody would notice if I disappeared", "self_harm"),
    ("I don't want to live anymore", "self_harm"),
    ("Been feeling suicidal since the layoffs", "self_harm"),
    # doxxing
    ("His address is 12 Elm Street, go tell him what you think.", "doxxing"),
    ("Here's her phone number: (415) 555-0100", "doxxing"),
    ("The guy who wrote this lives at 221b Baker Street", "doxxing"),
    ("Maria's home address: 48 Oak Avenue", "doxxing"),
    # harassment
    ("Just go kill yourself", "harassment"),
    ("Nobody wants you here, leave.", "harassment"),
]

SAFE: list[str] = [
    "Just kill the process and restart it.",
    "Try kill -9 on the worker pid.",
    "This bug is killing me.",
    "Execute the job again with --force.",
    "Shoot me a message when the PR is up.",
    "I'll shoot you an email with the logs.",
    "Nuke the cache and rebuild.",
    "The build died again at step 3.",
    "I'd kill for a dark mode.",
    "Don't hang the thread on a blocking call.",
    "Terminate the instance once the job finishes.",
    "Live reload is a killer feature.",
    "Blow away the container and pull again.",
    "I can't do this anymore with Webpack, every upgrade breaks something.",
    "I'll find you a link to the docs.",
    "I'll find you on Slack later to pair.",
    "Skip the tests and you'll regret it in production.",
    "Zombie processes again? I'll kill them with pkill.",
    "I'll beat you to it, already pushing the fix.",
    "Let's hit you up after the standup.",
    "Our office address is on the contact page.",
    "The server's number of open connections is 1024.",
    "This refactor will hurt performance a little.",
    "Kill it with fire, that legacy module.",
    "You're dead right about the race condition.",
    "Watch your backups, retention is only 7 days.",
    "I'm so tired of this flaky CI, everything breaks.",
    "Don't deploy on a Friday, you'll regret it.",
    "We will end the session after 30 minutes idle.",
    "The company's address is 100 Main Street.",
    "The daemon keeps dying, I'm going to end it and respawn.",
]


def test_table_sizes() -> None:
    assert len(UNSAFE) >= 25 and len(SAFE) >= 25


@pytest.mark.parametrize(("text", "category"), UNSAFE)
def test_unsafe_caught(text: str, category: str) -> None:
    result = assess_safety(text)
    assert result.label == "unsafe", text
    assert result.category == category
    assert 0.0 < result.score <= 1.0
    assert result.evidence and result.evidence in text


@pytest.mark.parametrize("text", SAFE)
def test_dev_idioms_safe(text: str) -> None:
    result = assess_safety(text)
    assert result == Safety(label="safe", category=None, score=0.0, evidence=None), find_hits(text)


def test_recall_and_false_alarms_on_table() -> None:
    caught = sum(assess_safety(t).label == "unsafe" for t, _ in UNSAFE)
    alarms = sum(assess_safety(t).label == "unsafe" for t in SAFE)
    assert caught / len(UNSAFE) == 1.0
    assert alarms == 0


def test_evidence_is_exact_span_of_original() -> None:
    text = "Fine.  But   I KNOW where   YOUR office is."
    result = assess_safety(text)
    assert result.evidence == "I KNOW where   YOUR office"
    hit = find_hits(text)[0]
    assert text[hit.start : hit.end] == hit.evidence


def test_curly_apostrophes_normalised() -> None:
    assert assess_safety("You\u2019ll regret this.").category == "threat"


def test_strongest_hit_wins() -> None:
    text = "Watch your back. I will kill you."
    result = assess_safety(text)
    assert result.category == "threat"
    assert result.evidence == "I will kill you"
    assert [h.score for h in find_hits(text)] == sorted((h.score for h in find_hits(text)), reverse=True)


def test_despair_context_needed_for_cant_do_this() -> None:
    assert assess_safety("I can't do this anymore, this sprint is too much.").label == "safe"
    assert assess_safety("I can't do this anymore. What's the point.").category == "self_harm"


def test_normalise_maps_back_to_original() -> None:
    text = "A\u2019B   C\n\nD"
    norm, index = normalise(text)
    assert norm == "a'b c d"
    assert [text[i] for i in index] == ["A", "\u2019", "B", " ", "C", "\n", "D"]


def test_empty_text_is_safe() -> None:
    assert assess_safety("").label == "safe"


def test_categories_declared() -> None:
    for _, category in UNSAFE:
        assert category in CATEGORIES


@pytest.mark.parametrize("text", [
    "Reporting this user: he DM'd me 'I know where you live and I'll make you pay'. Screenshot attached.",
    "A user told me to go kill myself. I reported it and blocked him.",
    "Content warning, quoting the threat so the mods can act: \"you're dead\".",
])
def test_abuse_quoted_in_a_report_is_not_flagged(text: str) -> None:
    assert assess_safety(text).label == "safe"


def test_the_same_words_unquoted_are_still_flagged() -> None:
    assert assess_safety("I know where you live and I'll make you pay.").category == "threat"


def test_someone_offering_help_about_pills_is_not_flagged_but_the_person_with_them_is() -> None:
    assert assess_safety("You said you have the pills ready. Please give them to someone tonight.").label == "safe"
    assert assess_safety("I have the pills ready.").category == "self_harm"
