"""Person names (insight.privacy.names through the Redactor, real spaCy model): product and tool
words kept, names found in every position (greetings, signatures, lowercase, non-English)."""

from __future__ import annotations

import pytest

from insight.privacy.redact import Redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(names=True)


@pytest.mark.parametrize("text", [
    "Webhook signature verification fails",  # the "[PERSON] signature verification fails"
    "my Pixel 8 keeps rebooting",  # the "my [PERSON] 8"
    "Thanks again for the help!",
    "Hi all, the build is green",
    "Wait, the export works now",
    "Finally, the Jetson Nano build passes",
    "Click here. I'm on the Galaxy S23",
])
def test_names_ordinary_words_and_products_survive(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(("text", "expected"), [
    ("thx sam, the proxy works", "thx [PERSON], the proxy works"),
    ("thanks to bartek and miguel for the reviews", "thanks to [PERSON] and [PERSON] for the reviews"),
    ("Works now.\n\nCheers,\nPriyanka", "Works now.\n\nCheers,\n[PERSON]"),
    ("Thanks a lot,\n- Rahul", "Thanks a lot,\n- [PERSON]"),
    ("Hello Wojciech, your issue is tracked", "Hello [PERSON], your issue is tracked"),
    ("Hi everyone, Ulla here, first post.", "Hi everyone, [PERSON] here, first post."),
    ("Zainab, the setting is under org policies.", "[PERSON], the setting is under org policies."),
    ("Kudos to Hamid for the guide. Hamid rocks.", "Kudos to [PERSON] for the guide. [PERSON] rocks."),
])
def test_names_found_where_only_a_person_stands(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected


def test_names_in_code_are_left(redactor: Redactor) -> None:
    text = "thanks, `Kenji replied` is the log line"
    assert redactor.redact(text).text == text
