from __future__ import annotations

import pytest

from insight.signals.normalize import normalize


@pytest.mark.parametrize("raw,clean", [
    ("It\\u2019s great &amp; fast", "It’s great & fast"),
    ("see https://example.com/a?b=1 now", "see http now"),
    ("thanks @jane_doe and @bob.smith!", "thanks @user and @user!"),
    ("run `kill -9 1234` then\n```\nrm -rf build\n```\ndone", "run [code] then [code] done"),
    ("&amp;amp; double", "& double"),
    ("  many   spaces\n\nhere ", "many spaces here"),
])
def test_normalize_cases(raw: str, clean: str) -> None:
    assert normalize(raw) == clean


def test_normalize_keeps_email_at_sign_context() -> None:
    # An email is not a mention: the local part stays (redaction handles emails separately).
    assert normalize("mail jane@example.com") == "mail jane@example.com"
