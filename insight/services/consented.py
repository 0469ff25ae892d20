"""Stored rows as analysis may read them: storage returns each row with its author's stored
consent answers, and ``insight.privacy.consent`` decides here which rows count.

Every analysis read goes through these (signals, topics, triage, stories, KPIs, reports), so the
consent rule is written once, in ``privacy.consent``, and no SQL filter restates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from insight.privacy import consent
from insight.privacy.identity import analysed_links, by_person, members_by_person
from insight.records import StoredPost
from insight.storage import members, persons, posts


def stored_posts(session: Session, unknown_members: str, thread_keys: Sequence[str] | None = None) -> list[StoredPost]:
    """Posts (of ``thread_keys`` when given) of authors who may be analysed (``consent.may_analyse``),
    in thread and time order."""
    return [post for post, answer in posts.stored_posts(session, thread_keys)
            if consent.may_analyse(answer, unknown_members)]


def feedback_answers(session: Session, unknown_members: str) -> list[dict[str, Any]]:
    """Feedback answers (column values) of authors who may be analysed, by time."""
    return [row for row, answer in posts.feedback_answers(session) if consent.may_analyse(answer, unknown_members)]


def members_frame(session: Session, unknown_members: str) -> pd.DataFrame:
    """Members as a DataFrame whose consent columns hold decisions, not answers: ``consent_analytics``
    whether the member is analysed (unknown decided by ``unknown_members``), ``consent_quotes``
    whether they may be quoted."""
    frame = members.members_frame(session)
    analysed = [consent.may_analyse(_answer(v), unknown_members) for v in frame["consent_analytics"]]
    quoted = [consent.quotes_consented(_answer(v)) for v in frame["consent_quotes"]]
    frame["consent_analytics"] = pd.Series(analysed, index=frame.index, dtype=bool)
    frame["consent_quotes"] = pd.Series(quoted, index=frame.index, dtype=bool)
    return frame


def _answer(value: Any) -> bool | None:
    # A DataFrame column may hold None, NaN or numpy booleans for the stored True/False/None.
    return None if pd.isna(value) else bool(value)


def people_frame(session: Session, unknown_members: str) -> pd.DataFrame:
    """``members_frame`` with a person's linked accounts as one member: the members side of ``kpi_frames``."""
    return members_by_person(members_frame(session, unknown_members), persons.person_of(session))


def kpi_frames(session: Session, unknown_members: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts and members as KPIs, cohorts and pairs read them: a person whose accounts are linked
    (``insight members merge``, or consent at ingest) counts once, under the person id."""
    return by_person(posts.posts_frame(session), members_frame(session, unknown_members), persons.person_of(session))


def person_links(session: Session, unknown_members: str) -> dict[str, str]:
    """account -> person for the accounts ``kpi_frames`` counts under a person (experiment arms follow it)."""
    return analysed_links(members_frame(session, unknown_members), persons.person_of(session))


def linked_note(session: Session) -> list[str]:
    """The report's sentence on linked accounts (none when no account is linked)."""
    accounts, people = persons.linked_accounts(session)
    if not accounts:
        return []
    return [f"{accounts} platform accounts are linked into {people} people (by their consent or an admin's "
            "merge); each person counts once in every number."]
