"""The PII set (tests/data/privacy, frozen before the redactor was extended): 0 leaks, 0 false redactions."""

from __future__ import annotations

import json

import pytest

from insight.privacy.pii import iban_ok, luhn_ok
from insight.privacy.redact import Redactor
from tests.support.paths import TEST_DATA

PII = [json.loads(line) for line in (TEST_DATA / "privacy" / "pii_set.jsonl").read_text().splitlines()]
NON_PII = [json.loads(line) for line in (TEST_DATA / "privacy" / "non_pii_set.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("case", PII, ids=[c["id"] for c in PII])
def test_every_pii_value_of_the_set_is_redacted(case: dict) -> None:  # type: ignore[type-arg]
    redacted = Redactor(names=False).redact(case["text"])
    assert case["secret"] not in redacted.text, redacted.text
    assert case["kind"] in redacted.kinds or (case["kind"] == "SECRET" and "URL" in redacted.kinds)


@pytest.mark.parametrize("case", NON_PII, ids=[c["id"] for c in NON_PII])
def test_look_alikes_are_left_alone(case: dict) -> None:  # type: ignore[type-arg]
    assert Redactor(names=False).redact(case["text"]).text == case["text"]


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82WEST12345698765432") and not iban_ok("GB82WEST12345698765433")
