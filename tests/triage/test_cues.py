"""Text cues: "+1" replies, the asker saying it is solved, greetings, questions back to the asker."""

from __future__ import annotations

import pytest

from insight.triage.cues import asks_back, greets, is_me_too, says_resolved


@pytest.mark.parametrize("text,expected", [
    ("+1, same question here.", True), ("Same here, any update?", True), ("Did you ever find a fix?", True),
    ("Following", True), ("Try clearing the cache, then restart the worker.", False),
    ("Same problem here. " + "Here is what finally worked for us after a long afternoon of digging. " * 2, False),
])
def test_cues_me_too(text: str, expected: bool) -> None:
    assert is_me_too(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("It works now! Thank you so much, and sorry for the rant.", True), ("Problem solved.", True),
    ("That did it, thanks!", True), ("This still isn't resolved.", False), ("Still not fixed, it works nowhere", False),
    ("It's not resolved at all", False), ("It never worked.", False),
])
def test_cues_says_resolved(text: str, expected: bool) -> None:
    assert says_resolved(text) is expected


def test_cues_greetings_and_questions_back() -> None:
    assert greets("Welcome aboard!") and greets("Great to have you here.") and not greets("Great release!")
    assert asks_back("Could you send the crash log from Settings?")
    assert asks_back("What resources did you give the container?")
    assert not asks_back("Is anyone looking at this?") and not asks_back("You fixed it, thanks.")
