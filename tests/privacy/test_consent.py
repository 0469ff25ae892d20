"""The consent rules, every stored answer (True, False, unknown) and no member record, under both
``unknown_members`` policies."""

from __future__ import annotations

import pytest

from insight.privacy.consent import may_analyse, may_quote, may_show, quotes_consented, withdrawn
from insight.records import Member

ANSWERS = (True, False, None)
POLICIES = ("include", "exclude")


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("answer", ANSWERS)
def test_may_analyse_an_answer_decides_else_the_policy(answer: bool | None, policy: str) -> None:
    expected = {True: True, False: False, None: policy == "include"}[answer]
    assert may_analyse(answer, policy) is expected


@pytest.mark.parametrize("answer", ANSWERS)
def test_withdrawn_only_after_an_explicit_no(answer: bool | None) -> None:
    assert withdrawn(Member("m1", consent_analytics=answer)) is (answer is False)
    assert withdrawn(None) is False


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("answer", ANSWERS)
def test_may_show_a_member_unless_withdrawn_and_no_record_by_policy(answer: bool | None, policy: str) -> None:
    # With a member record only a withdrawal hides what was derived; an unknown answer does not.
    assert may_show(Member("m1", consent_analytics=answer), policy) is (answer is not False)
    assert may_show(None, policy) is (policy == "include")


@pytest.mark.parametrize("answer", ANSWERS)
def test_quotes_only_on_an_explicit_yes(answer: bool | None) -> None:
    assert quotes_consented(answer) is (answer is True)
    assert may_quote(Member("m1", consent_analytics=True, consent_quotes=answer)) is (answer is True)
    assert may_quote(None) is False
