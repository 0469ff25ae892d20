from __future__ import annotations

import re

import pytest

from insight.errors import MESSAGES, InputError, InsightError
from tests.support.paths import PACKAGE


def test_errors_codes_are_well_formed() -> None:
    for code in MESSAGES:
        assert re.fullmatch(r"E[1-7]\d\d", code)


def test_errors_every_code_is_used_in_the_package() -> None:
    source = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py") if p.name != "errors.py")
    unused = [code for code in MESSAGES if f'"{code}"' not in source]
    assert unused == []


def test_errors_message_names_code_and_context() -> None:
    err = InputError("E601", path="/x/posts.jsonl")
    assert str(err).startswith("[E601]")
    assert "/x/posts.jsonl" in str(err)
    assert err.code == "E601"


def test_errors_unknown_code_is_a_bug() -> None:
    with pytest.raises(KeyError):
        InsightError("E999")
