"""Topics over time and per channel: counts, shares and each slice's own words."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from insight.topics.groups import period, topics_per_group
from insight.topics.model import TopicModel
from tests.support.topics import N_BASE, Sample


def test_groups_period_names_month_week_and_day() -> None:
    moment = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert (period(moment), period(moment, "week"), period(moment, "day")) == ("2026-03", "2026-W10", "2026-03-02")


@pytest.mark.slow
def test_groups_topics_per_channel_count_share_and_words(banking: Sample, fitted: TopicModel) -> None:
    texts, topics = banking.texts[:N_BASE], fitted.topics_
    groups = np.where(np.arange(N_BASE) % 2 == 0, "help", "billing")
    rows = topics_per_group(fitted, texts, topics, groups)
    assert sum(r["count"] for r in rows) == int((topics != -1).sum())
    for channel in ("help", "billing"):
        shares = [r["share"] for r in rows if r["group"] == channel]
        assert 0.9 <= sum(shares) <= 1.0 + 1e-6  # outliers are the rest
    biggest = max(rows, key=lambda r: r["count"])
    assert biggest["label"] == fitted.labels_[biggest["topic"]]
    assert biggest["words"] and set(biggest["words"]) & set(fitted.topic_words(25)[biggest["topic"]])
