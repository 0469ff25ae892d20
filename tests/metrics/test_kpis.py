"""Tests for insight.metrics.kpis: small hand-built communities whose KPIs can be read off by eye."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import pytest

from insight.errors import InputError
from insight.metrics.kpis import COMPUTED_KPI_IDS, KpiValue, compute_kpis, kpi_trend, period_bounds

PERIOD = "2026-03"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def make_posts(*rows: tuple) -> pd.DataFrame:
    """Rows of (post_id, thread_id, author_id, created_at, kind[, accepted_answer])."""
    records = []
    for row in rows:
        post_id, thread_id, author_id, created_at, kind, *rest = row
        records.append(
            {
                "post_id": post_id,
                "thread_id": thread_id,
                "author_id": author_id,
                "created_at": ts(created_at),
                "kind": kind,
                "parent_id": None,
                "accepted_answer": bool(rest[0]) if rest else False,
                "channel": "help",
            }
        )
    columns = ["post_id", "thread_id", "author_id", "created_at", "kind", "parent_id", "accepted_answer", "channel"]
    frame = pd.DataFrame(records, columns=columns)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def make_members(*rows: tuple) -> pd.DataFrame:
    """Rows of (author_id, joined_at or None, motivation, segment[, consent_analytics=True])."""
    records = [
        {
            "author_id": author_id,
            "joined_at": ts(joined) if joined else pd.NaT,
            "motivation": motivation,
            "segment": segment,
            "consent_analytics": rest[0] if rest else True,
        }
        for author_id, joined, motivation, segment, *rest in rows
    ]
    frame = pd.DataFrame(records, columns=["author_id", "joined_at", "motivation", "segment", "consent_analytics"])
    frame["joined_at"] = pd.to_datetime(frame["joined_at"], utc=True)
    return frame


def kpi(values: list[KpiValue], kpi_id: str, cohort: str = "all") -> KpiValue:
    matches = [v for v in values if v.kpi_id == kpi_id and v.cohort == cohort]
    assert len(matches) == 1, f"expected one {kpi_id} / {cohort}, got {matches}"
    return matches[0]


@pytest.fixture
def helpers() -> pd.DataFrame:
    """Members who only answer: old, consenting, motivation 'lead'."""
    return make_members(("h1", "2025-01-10", "lead", "enterprise"), ("h2", "2025-01-10", "lead", "enterprise"))


# --- thread KPIs -------------------------------------------------------------------------------


def test_kpis_solution_acceptance_four_questions_one_accepted(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question"),
        ("r1", "t1", "h1", "2026-03-02 11:00", "answer", True),
        ("q2", "t2", "a", "2026-03-03 10:00", "question"),
        ("r2", "t2", "h1", "2026-03-03 12:00", "answer"),
        ("q3", "t3", "a", "2026-03-04 10:00", "question"),
        ("q4", "t4", "a", "2026-03-05 10:00", "question"),
    )
    members = pd.concat([helpers, make_members(("a", "2026-01-05", "learn", "startup"))])
    value = kpi(compute_kpis(posts, members, PERIOD), "solution_acceptance_rate")
    assert value.value == pytest.approx(0.25)
    assert value.n == 4


def test_kpis_first_response_median_and_unanswered(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question"),
        ("r1", "t1", "h1", "2026-03-02 13:00", "answer"),  # 3 h
        ("r1b", "t1", "h2", "2026-03-02 20:00", "answer"),  # later responses do not matter
        ("q2", "t2", "a", "2026-03-03 10:00", "question"),
        ("s2", "t2", "a", "2026-03-03 11:00", "reply"),  # the asker's own follow-up is no response
        ("r2", "t2", "h2", "2026-03-03 15:00", "answer"),  # 5 h
        ("q3", "t3", "a", "2026-03-04 10:00", "question"),  # never answered
    )
    members = pd.concat([helpers, make_members(("a", "2026-01-05", "learn", "startup"))])
    values = compute_kpis(posts, members, PERIOD)
    response = kpi(values, "median_first_response_hours")
    assert response.value == pytest.approx(4.0)
    assert response.n == 2
    unanswered = kpi(values, "unanswered_rate")
    assert unanswered.value == pytest.approx(1 / 3)
    assert unanswered.n == 3


def test_kpis_unanswered_is_judged_as_of(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-31 22:00", "question"),
        ("r1", "t1", "h1", "2026-04-01 08:00", "answer"),  # after the period ends
    )
    members = pd.concat([helpers, make_members(("a", "2026-01-05", "learn", "startup"))])
    at_period_end = kpi(compute_kpis(posts, members, PERIOD), "unanswered_rate")
    assert (at_period_end.value, at_period_end.n) == (1.0, 1)
    later = compute_kpis(posts, members, PERIOD, as_of=datetime(2026, 4, 2, tzinfo=UTC))
    assert kpi(later, "unanswered_rate").value == 0.0
    assert kpi(later, "median_first_response_hours").value == pytest.approx(10.0)


def test_kpis_question_is_thread_root_with_question_or_missing_kind(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", None),  # no kind: the root counts as a question
        ("q2", "t2", "a", "2026-03-02 11:00", "message"),  # a chat message is not a question
        ("r2", "t2", "h1", "2026-03-02 12:00", "question"),  # nor is a "question" that is a reply
    )
    members = pd.concat([helpers, make_members(("a", "2026-01-05", "learn", "startup"))])
    value = kpi(compute_kpis(posts, members, PERIOD), "unanswered_rate")
    assert (value.value, value.n) == (1.0, 1)


# --- consent ----------------------------------------------------------------------------------


def test_kpis_non_consenting_members_and_their_posts_do_not_count(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question"),
        ("r1", "t1", "x", "2026-03-02 11:00", "answer", True),  # by x, who did not consent
        ("q2", "t2", "x", "2026-03-03 10:00", "question"),  # x's question: not counted
        ("r2", "t2", "h1", "2026-03-03 11:00", "answer"),  # must not become a "question" either
        ("p3", "t3", "x", "2026-03-04 10:00", "message"),
    )
    members = pd.concat(
        [
            helpers,
            make_members(("a", "2026-03-01", "learn", "startup"), ("x", "2026-03-01", "learn", "startup", False)),
        ]
    )
    values = compute_kpis(posts, members, PERIOD)
    assert (kpi(values, "unanswered_rate").value, kpi(values, "unanswered_rate").n) == (1.0, 1)
    assert kpi(values, "solution_acceptance_rate").value == 0.0
    assert kpi(values, "median_first_response_hours").n == 0
    assert (kpi(values, "activation_rate").value, kpi(values, "activation_rate").n) == (1.0, 1)
    contribution = kpi(values, "contribution_frequency")
    assert (contribution.value, contribution.n) == (1.0, 2)  # a and h1, one post each


def test_kpis_missing_consent_value_excludes_the_member():
    posts = make_posts(("p1", "t1", "a", "2026-03-02 10:00", "message"))
    members = make_members(("a", "2026-03-01", "learn", "startup", None))
    assert kpi(compute_kpis(posts, members, PERIOD), "contribution_frequency").n == 0


def test_kpis_author_without_member_record_counts_in_all_only(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question"),
        ("r1", "t1", "ghost", "2026-03-02 12:00", "answer"),  # unknown author still answers
        ("p2", "t2", "ghost", "2026-03-03 10:00", "message"),
    )
    members = pd.concat([helpers, make_members(("a", "2026-03-01", "learn", "startup"))])
    values = compute_kpis(posts, members, PERIOD)
    assert kpi(values, "median_first_response_hours").value == pytest.approx(2.0)
    assert kpi(values, "contribution_frequency").n == 2
    assert kpi(values, "contribution_frequency", "motivation=learn").n == 1
    assert not any("ghost" in v.cohort for v in values)


# --- member KPIs -------------------------------------------------------------------------------


def test_kpis_activation_rate_counts_posts_within_30_days_of_joining():
    posts = make_posts(
        ("p1", "t1", "a", "2026-03-06 10:00", "message"),  # 5 days after joining
        ("p2", "t2", "b", "2026-04-20 10:00", "message"),  # 50 days after joining: too late
        ("p3", "t3", "old", "2026-03-02 10:00", "message"),  # joined before the period
    )
    members = make_members(
        ("a", "2026-03-01", "learn", "startup"),
        ("b", "2026-03-01", "build", "startup"),
        ("c", "2026-03-10", "learn", "enterprise"),  # never posts
        ("old", "2026-02-01", "learn", "startup"),
    )
    values = compute_kpis(posts, members, PERIOD, as_of=ts("2026-06-01"))
    value = kpi(values, "activation_rate")
    assert value.value == pytest.approx(1 / 3)
    assert value.n == 3
    assert kpi(values, "activation_rate", "motivation=learn").value == pytest.approx(0.5)
    assert kpi(values, "activation_rate", "segment=enterprise").value == 0.0


def test_kpis_time_to_first_value_median_days(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-03 00:00", "question"),
        ("r1", "t1", "h1", "2026-03-04 12:00", "answer"),  # a: 3.5 days after joining
        ("q2", "t2", "b", "2026-01-20 00:00", "question"),
        ("r2", "t2", "h1", "2026-01-25 00:00", "answer"),  # b: 10 days after joining
        ("q3", "t3", "c", "2026-03-05 00:00", "question"),  # c: unanswered, not measured
        ("q4", "t4", "d", "2026-03-05 00:00", "question"),
        ("r4", "t4", "h1", "2026-03-06 00:00", "answer"),  # d joined too early to be followed
        ("q5", "t5", "a", "2026-03-10 00:00", "question"),  # a's second question does not matter
        ("r5", "t5", "h1", "2026-03-10 01:00", "answer"),
    )
    members = pd.concat(
        [
            helpers,
            make_members(
                ("a", "2026-03-01", "learn", "startup"),
                ("b", "2026-01-15", "build", "startup"),
                ("c", "2026-03-01", "learn", "startup"),
                ("d", "2025-12-01", "learn", "startup"),
            ),
        ]
    )
    values = compute_kpis(posts, members, PERIOD)
    value = kpi(values, "time_to_first_value")
    assert value.value == pytest.approx((3.5 + 10) / 2)
    assert value.n == 2
    assert kpi(values, "time_to_first_value", "join_month=2026-01").value == pytest.approx(10.0)


def test_kpis_retention_90d():
    posts = make_posts(
        ("p1", "t1", "a", "2026-02-10 10:00", "message"),
        ("p2", "t2", "b", "2026-01-10 10:00", "message"),
        ("p3", "t3", "c", "2025-12-15 10:00", "message"),
        ("p4", "t4", "d", "2026-02-27 10:00", "message"),
        ("p5", "t5", "e", "2025-11-01 10:00", "message"),  # more than 90 days before: not in the base
        ("p6", "t6", "a", "2026-03-05 10:00", "message"),
        ("p7", "t7", "c", "2026-03-20 10:00", "message"),
        ("p8", "t8", "e", "2026-03-21 10:00", "message"),
    )
    members = make_members(*[(m, "2025-06-01", "learn", "startup") for m in "abcde"])
    value = kpi(compute_kpis(posts, members, PERIOD), "retention_90d")
    assert value.value == pytest.approx(0.5)
    assert value.n == 4


def test_kpis_contribution_frequency_posts_per_active_member():
    posts = make_posts(
        ("p1", "t1", "a", "2026-03-02 10:00", "message"),
        ("p2", "t1", "a", "2026-03-02 11:00", "message"),
        ("p3", "t2", "a", "2026-03-09 10:00", "message"),
        ("p4", "t2", "b", "2026-03-09 11:00", "message"),
        ("p5", "t3", "b", "2026-02-09 11:00", "message"),  # previous month
    )
    members = make_members(("a", "2025-06-01", "learn", "startup"), ("b", "2025-06-01", "build", "startup"))
    values = compute_kpis(posts, members, PERIOD)
    assert (kpi(values, "contribution_frequency").value, kpi(values, "contribution_frequency").n) == (2.0, 2)
    assert kpi(values, "contribution_frequency", "motivation=learn").value == 3.0


# --- cohorts -----------------------------------------------------------------------------------


def test_kpis_thread_kpis_split_by_asker_cohort(helpers):
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question"),
        ("r1", "t1", "h1", "2026-03-02 11:00", "answer", True),
        ("q2", "t2", "a", "2026-03-03 10:00", "question"),
        ("q3", "t3", "b", "2026-03-04 10:00", "question"),
        ("r3", "t3", "h1", "2026-03-04 12:00", "answer", True),
    )
    members = pd.concat(
        [helpers, make_members(("a", "2026-02-10", "learn", "startup"), ("b", "2026-03-01", "build", "enterprise"))]
    )
    values = compute_kpis(posts, members, PERIOD)
    assert kpi(values, "solution_acceptance_rate", "motivation=learn").value == pytest.approx(0.5)
    assert kpi(values, "solution_acceptance_rate", "motivation=build").value == 1.0
    assert kpi(values, "solution_acceptance_rate", "join_month=2026-02").n == 2
    assert kpi(values, "solution_acceptance_rate", "segment=enterprise").n == 1
    # The helpers answered but asked nothing: their cohort exists, with no data.
    lead = kpi(values, "solution_acceptance_rate", "motivation=lead")
    assert (lead.value, lead.n) == (None, 0)


def test_kpis_empty_cohort_is_none_with_n_zero():
    posts = make_posts(("p1", "t1", "a", "2026-03-02 10:00", "message"))
    members = make_members(("a", "2025-06-01", "learn", "startup"), ("b", "2025-06-01", "build", "agency"))
    values = compute_kpis(posts, members, PERIOD)
    for kpi_id in COMPUTED_KPI_IDS:
        empty = kpi(values, kpi_id, "segment=agency")
        assert (empty.value, empty.n) == (None, 0)


def test_kpis_join_month_cohorts_stop_at_the_period():
    posts = make_posts(("p1", "t1", "a", "2026-03-02 10:00", "message"))
    members = make_members(("a", "2026-03-01", "learn", "startup"), ("z", "2026-05-01", "learn", "startup"))
    cohorts = {v.cohort for v in compute_kpis(posts, members, PERIOD)}
    assert "join_month=2026-03" in cohorts
    assert "join_month=2026-05" not in cohorts


def test_kpis_cohorts_argument_and_order():
    posts = make_posts(("p1", "t1", "a", "2026-03-02 10:00", "message"))
    members = make_members(("a", "2026-03-01", "learn", "startup"))
    values = compute_kpis(posts, members, PERIOD, cohorts=("all", "motivation"))
    assert [v.kpi_id for v in values][::2] == list(COMPUTED_KPI_IDS)
    assert {v.cohort for v in values} == {"all", "motivation=learn"}
    assert all(v.period == PERIOD for v in values)


def test_kpis_no_data_never_divides_by_zero():
    values = compute_kpis(make_posts(), make_members(), PERIOD)
    assert [v.kpi_id for v in values] == list(COMPUTED_KPI_IDS)
    assert all(v.value is None and v.n == 0 and v.cohort == "all" for v in values)


# --- trend and input checks ----------------------------------------------------------------------


def test_kpis_trend_frame_has_one_block_per_period():
    posts = make_posts(
        ("p1", "t1", "a", "2026-02-02 10:00", "message"),
        ("p2", "t2", "a", "2026-03-02 10:00", "message"),
        ("p3", "t3", "a", "2026-03-03 10:00", "message"),
    )
    members = make_members(("a", "2025-06-01", "learn", "startup"))
    trend = kpi_trend(posts, members, ["2026-02", "2026-03"])
    assert list(trend.columns) == ["kpi_id", "period", "cohort", "value", "n", "ci_low", "ci_high"]
    assert list(trend["period"].unique()) == ["2026-02", "2026-03"]
    frequency = trend[(trend["kpi_id"] == "contribution_frequency") & (trend["cohort"] == "all")]
    assert frequency["value"].tolist() == [1.0, 2.0]
    activation = trend[(trend["kpi_id"] == "activation_rate") & (trend["cohort"] == "all")]
    assert math.isnan(activation["value"].iloc[0]) and activation["n"].iloc[0] == 0


@pytest.mark.parametrize("period", ["2026-3", "2026-13", "March", ""])
def test_kpis_bad_period_is_rejected(period):
    with pytest.raises(InputError) as err:
        compute_kpis(make_posts(), make_members(), period)
    assert err.value.code == "E606"


def test_kpis_period_bounds_cross_the_year():
    assert period_bounds("2026-12") == (ts("2026-12-01"), ts("2027-01-01"))


def test_kpis_unknown_cohort_is_rejected():
    with pytest.raises(InputError) as err:
        compute_kpis(make_posts(), make_members(), PERIOD, cohorts=("all", "region"))
    assert err.value.code == "E606"
    assert "region" in str(err.value)


def test_kpis_missing_columns_are_named():
    with pytest.raises(InputError) as err:
        compute_kpis(make_posts().drop(columns=["thread_id"]), make_members(), PERIOD)
    assert err.value.code == "E604"
    assert "thread_id" in str(err.value)


def test_kpis_same_on_arrow_backed_frames_and_the_callers_frame_is_untouched(helpers):
    """The service passes Arrow-backed text columns (``storage.posts.posts_frame``): same values as
    plain object columns, and compute_kpis never changes the frame it is given."""
    posts = make_posts(
        ("q1", "t1", "a", "2026-03-02 10:00", "question", True),
        ("s1", "t1", "a", "2026-03-02 11:00", "reply"),  # the asker's follow-up: no response
        ("r1", "t1", "h1", "2026-03-02 13:00", "answer"),
        ("q2", "t2", "b", "2026-03-05 09:00", None),
        ("e2", "t2", "h2", "2026-03-05 08:00", "answer"),  # earlier than its root's time: it is the root
        ("q3", "t3", "a", "2026-03-09 10:00", "question"),
        ("late", "t3", "h2", "2026-04-09 10:00", "answer"),  # after as_of: not seen
    )
    members = pd.concat([helpers, make_members(("a", "2026-03-01", "learn", "startup"),
                                               ("b", "2026-02-01", "build", "startup"))])
    arrow = posts.astype(dict.fromkeys(("post_id", "thread_id", "author_id", "kind", "channel"), "string[pyarrow]"))
    before = arrow.copy()
    assert compute_kpis(arrow, members, PERIOD) == compute_kpis(posts, members, PERIOD)
    pd.testing.assert_frame_equal(arrow, before)
    assert kpi(compute_kpis(arrow, members, PERIOD), "solution_acceptance_rate").value == pytest.approx(1 / 2)
