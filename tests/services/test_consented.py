"""Analysis reads decide consent through ``privacy.consent``: every stored answer (True, False, unknown,
no member record) under both ``unknown_members`` policies, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from insight.config import Settings
from insight.privacy import consent
from insight.records import FeedbackAnswer, Member
from insight.services import consented
from insight.storage.db import make_engine, session_scope
from tests.support.storage import T0, post, store

# author -> stored analytics answer; "stranger" has no member record (read as unknown).
ANSWERS: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None, "stranger": None}
# The rule spelt out, so the test does not only compare consent.py with itself.
ANALYSED = {"include": {"yes", "unknown", "stranger"}, "exclude": {"yes"}}


@pytest.mark.parametrize("policy", ["include", "exclude"])
def test_consented_reads_follow_may_analyse(db_settings: Settings, policy: str) -> None:
    engine = make_engine(db_settings)
    quotes = {"yes": True, "no": None, "unknown": False}
    store(engine, *(Member(a, consent_analytics=ANSWERS[a], consent_quotes=quotes[a]) for a in quotes),
          *(post(f"p-{a}", a, i) for i, a in enumerate(ANSWERS)),
          *(FeedbackAnswer(f"f-{a}", "q", "other", a, T0, "text") for a in ANSWERS))
    with session_scope(engine) as session:
        post_authors = {p.post.author_id for p in consented.stored_posts(session, policy)}
        feedback_authors = {f["author_id"] for f in consented.feedback_answers(session, policy)}
        frame = consented.members_frame(session, policy).set_index("author_id")
    engine.dispose()
    expected = {a for a, answer in ANSWERS.items() if consent.may_analyse(answer, policy)}
    assert post_authors == feedback_authors == expected == ANALYSED[policy]
    assert frame["consent_analytics"].dtype == bool and frame["consent_quotes"].dtype == bool
    assert frame["consent_analytics"].to_dict() == {a: consent.may_analyse(ANSWERS[a], policy) for a in quotes}
    assert frame["consent_quotes"].to_dict() == {a: consent.quotes_consented(q) for a, q in quotes.items()}
    assert frame["consent_quotes"].to_dict() == {"yes": True, "no": False, "unknown": False}


def test_consented_members_frame_of_no_members_keeps_boolean_columns(db_settings: Settings) -> None:
    engine = make_engine(db_settings)
    with session_scope(engine) as session:
        frame = consented.members_frame(session, "include")
    engine.dispose()
    assert frame.empty and frame["consent_analytics"].dtype == bool and frame["consent_quotes"].dtype == bool
