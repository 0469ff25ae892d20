"""Identity keys and merge suggestions: hashes only, the confidence each kind of evidence gives, and
KPI frames in which a person's accounts count once."""

from __future__ import annotations

import pandas as pd

from insight.privacy.identity import (
    EMAIL_CONFIDENCE,
    USERNAME_CONFIDENCE,
    Identity,
    arms_by_person,
    as_flag,
    by_person,
    compare,
    identity_of,
    suggestions,
)

KEY = b"test-key"


def _id(author: str, platform: str, **data: str) -> Identity:
    return identity_of(KEY, author, platform, data)


def test_identity_keeps_hashes_only_and_normalises() -> None:
    a = _id("m_a", "slack", email=" Ana.Lima@Example.org ", username="@AnaL", display_name="Ána Lima",
            link_accounts="yes")
    b = _id("m_b", "discourse", email="ana.lima@example.org", username="anal", display_name="ana lima")
    assert a.email_hash == b.email_hash and a.username_hash == b.username_hash
    assert set(a.name_tokens) == set(b.name_tokens) and len(a.name_tokens) == 2
    assert "ana" not in repr(a).lower() and "example" not in repr(a)
    assert a.link_accounts is True and b.link_accounts is None
    assert identity_of(b"other-key", "m_a", "slack", {"email": "ana.lima@example.org"}).email_hash != a.email_hash
    assert [as_flag(v) for v in ("true", "No", "1", "", None, "maybe", False)] == [True, False, True, None, None,
                                                                                     None, False]


def test_evidence_sets_the_confidence() -> None:
    email = compare(_id("m_1", "slack", email="x@y.org"), _id("m_2", "github", email="X@y.org"))
    assert email is not None and email.confidence == EMAIL_CONFIDENCE
    user = compare(_id("m_1", "slack", username="kit"), _id("m_2", "github", username="Kit"))
    assert user is not None and user.confidence == USERNAME_CONFIDENCE and "same username" in user.evidence[0]
    names = compare(_id("m_1", "slack", display_name="Kit Marlowe Jr"),
                    _id("m_2", "github", display_name="Kit Marlowe"))
    assert names is not None and 0 < names.confidence < USERNAME_CONFIDENCE
    assert "share 2 of 3 words" in names.evidence[0]
    assert compare(_id("m_1", "slack", display_name="Kit Marlowe"), _id("m_2", "github", display_name="Ann Bo")) is None


def test_suggestions_skip_one_platform_and_linked_accounts() -> None:
    ids = [_id("m_1", "slack", username="kit"), _id("m_2", "slack", username="kit"),
           _id("m_3", "github", username="kit")]
    found = suggestions(ids, {})
    assert [(s.author_a, s.author_b) for s in found] == [("m_1", "m_3"), ("m_2", "m_3")]
    assert [(s.author_a, s.author_b) for s in suggestions(ids, {"m_1": "p", "m_3": "p"})] == [("m_2", "m_3")]


def test_by_person_merges_analysed_accounts_only() -> None:
    posts = pd.DataFrame({"author_id": ["a", "b", "c"], "post_id": ["1", "2", "3"]})
    members = pd.DataFrame({"author_id": ["a", "b", "c"], "consent_analytics": [True, True, False],
                            "joined_at": pd.to_datetime(["2026-02-01", "2026-01-01", "2026-01-01"], utc=True),
                            "motivation": ["learn", "build", "other"]})
    p, m = by_person(posts, members, {"a": "p_1", "b": "p_1", "c": "p_1"})
    assert list(p["author_id"]) == ["p_1", "p_1", "c"]  # c said no: left as it is, so KPIs still drop it
    person = m.set_index("author_id").loc["p_1"]
    assert person["motivation"] == "build" and str(person["joined_at"].date()) == "2026-01-01"
    assert sorted(m["author_id"]) == ["c", "p_1"]


def test_experiment_arms_follow_persons() -> None:
    arms = {"treat": ("a", "b", "x"), "control": ("c", "d")}
    links = {"a": "p_1", "b": "p_1", "c": "p_2", "x": "p_2"}
    # a and b are one person, listed once; x and c are one person in both arms: out of both
    assert arms_by_person(arms, links) == {"treat": ("p_1",), "control": ("d",)}
    assert arms_by_person(arms, {}) == {"treat": ("a", "b", "x"), "control": ("c", "d")}
