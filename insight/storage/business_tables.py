"""ORM tables of the business side (issue 20): accounts, member-to-account links, touchpoints,
outcomes and support costs, read by community influence (attribution, engaged vs matched,
deflection savings).

Kept beside ``tables`` (same ``Base``); ``schema`` imports it so migrations see every table.
Member ids are pseudonyms, as in ``posts``; nothing here holds a name or raw id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insight.storage.tables import Base


class AccountRow(Base):
    __tablename__ = "accounts"
    account_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    segment: Mapped[str | None] = mapped_column(String(80))
    plan: Mapped[str | None] = mapped_column(String(80))
    region: Mapped[str | None] = mapped_column(String(80))
    size: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None]
    run_id: Mapped[str] = mapped_column(String(40), index=True)


class AccountLinkRow(Base):
    """A member (pseudonym) who belongs to an account."""

    __tablename__ = "account_links"
    author_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(256), primary_key=True, index=True)
    run_id: Mapped[str] = mapped_column(String(40), index=True)


class TouchpointRow(Base):
    __tablename__ = "touchpoints"
    touchpoint_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(String(256), index=True)
    author_id: Mapped[str | None] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(256))
    source_id: Mapped[str | None] = mapped_column(String(256))
    run_id: Mapped[str] = mapped_column(String(40), index=True)


class OutcomeRow(Base):
    __tablename__ = "outcomes"
    outcome_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(256), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    amount: Mapped[float] = mapped_column(Float)
    run_id: Mapped[str] = mapped_column(String(40), index=True)


class SupportCostRow(Base):
    __tablename__ = "support_costs"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer)
    cost_per_ticket: Mapped[float] = mapped_column(Float)
    run_id: Mapped[str] = mapped_column(String(40), index=True)
