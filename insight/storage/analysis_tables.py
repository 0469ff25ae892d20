"""ORM tables of incremental analysis (issue 13): stored embeddings, feedback signals, scoring
claims, fitted topic models, materialised KPI values and reports.

Kept beside ``tables`` (same ``Base``); ``schema`` imports both so migrations see every table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from insight.storage.tables import Base, ProvenanceColumns


class PostEmbeddingRow(Base):
    """A post's sentence embedding, float16 bytes (768 bytes for 384 dims): topics, stories and
    refits read it instead of encoding the post again."""

    __tablename__ = "post_embeddings"
    post_pk: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class FeedbackSignalRow(ProvenanceColumns, Base):
    """The latest sentiment and emotion of one feedback answer (re-scoring replaces the row)."""

    __tablename__ = "feedback_signals"
    response_id: Mapped[str] = mapped_column(ForeignKey("feedback_answers.response_id", ondelete="CASCADE"),
                                             primary_key=True)
    sentiment_label: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)
    sentiment_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    emotion: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AnalysisClaimRow(Base):
    """A post or a feedback answer being scored by one ``insight analyse`` process, under a lease.

    The claim goes when its results are committed; a claim whose lease ran out, or whose process
    is gone (same host, pid no longer alive), may be taken by another process.
    """

    __tablename__ = "analysis_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    post_pk: Mapped[int | None] = mapped_column(Integer, unique=True)
    response_id: Mapped[str | None] = mapped_column(String(256), unique=True)
    owner: Mapped[str] = mapped_column(String(80), index=True)
    lease_until: Mapped[datetime]


class TopicModelRow(Base):
    """A fitted topic model (arrays as safetensors bytes, the rest as JSON): new posts are assigned
    to the newest one, and a refit starts from it so topic ids are kept."""

    __tablename__ = "topic_models"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime]
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    arrays: Mapped[bytes] = mapped_column(LargeBinary)


class KpiValueRow(Base):
    """A KPI's value for one period and cohort, materialised by ``insight analyse`` for readers."""

    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("period", "kpi_id", "cohort", name="uq_kpi_values"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    kpi_id: Mapped[str] = mapped_column(String(80))
    cohort: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)  # the value's 95% interval
    ci_high: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[datetime]


class MaterialisedReportRow(Base):
    """A period's report (JSON, Markdown or HTML), valid while the stored inputs match ``fingerprint``."""

    __tablename__ = "materialised_reports"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    fmt: Mapped[str] = mapped_column(String(8), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[datetime]
