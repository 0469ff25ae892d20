"""Consent rules: whether a member's posts are analysed, what came of them shown, their words quoted.

Members carry two answers (``consent_analytics``, ``consent_quotes``), each True, False or None
(unknown: a platform user list says nothing about consent). ``[ingest] unknown_members``
("include" or "exclude") decides for unknown consent and for authors with no member record.
Consent is read when an answer is given, never cached from link time: a withdrawal takes effect
on the next report.
"""

from __future__ import annotations

from insight.records import Member


def may_analyse(consent_analytics: bool | None, unknown_members: str) -> bool:
    """Whether an author's posts are stored and analysed: an explicit answer decides, else the policy."""
    if consent_analytics is None:
        return unknown_members == "include"
    return consent_analytics


def withdrawn(member: Member | None) -> bool:
    """The member said no to analytics: nothing of theirs is shown any more."""
    return member is not None and member.consent_analytics is False


def may_show(member: Member | None, unknown_members: str) -> bool:
    """Whether what was derived from a member's posts (stories, story-metric pairs) may be shown now.

    Read at answer time: not after a withdrawal; an author with no member record only under "include".
    """
    if member is None:
        return unknown_members == "include"
    return not withdrawn(member)


def may_quote(member: Member | None) -> bool:
    """Whether a member's words may be quoted: only on an explicit yes."""
    return member is not None and quotes_consented(member.consent_quotes)


def quotes_consented(consent_quotes: bool | None) -> bool:
    """A stored quotes answer read as a decision: only an explicit yes is a yes."""
    return consent_quotes is True
