"""Business rows against their contracts: records, or a problem naming field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.ingest.base import Reason
from insight.ingest.business import sniff_business, to_account, to_link, to_outcome, to_support_cost, to_touchpoint
from insight.ingest.validate import RowProblem, TimeWindow

WINDOW = TimeWindow.default()


def test_business_good_rows_become_records() -> None:
    account = to_account({"account_id": " acct-1 ", "segment": "smb", "size": "20", "started_at": "2025-01-01"},
                         WINDOW)
    assert (account.account_id, account.size, account.started_at.year) == ("acct-1", 20, 2025)  # type: ignore[union-attr]
    assert to_link({"author_id": "m_x", "account_id": "acct-1"}).account_id == "acct-1"
    touch = to_touchpoint({"author_id": "m_x", "occurred_at": "2026-09-01T10:00:00Z", "kind": "Office_Hours"}, WINDOW)
    assert touch.kind == "office_hours" and touch.community and touch.touchpoint_id.startswith("tp_")
    same = to_touchpoint({"author_id": "m_x", "occurred_at": "2026-09-01T10:00:00Z", "kind": "office_hours"}, WINDOW)
    assert same.touchpoint_id == touch.touchpoint_id  # a content id: the same row twice is one touchpoint
    outcome = to_outcome({"account_id": "a", "kind": "closed_won", "occurred_at": "2026-10-01", "amount": "1200.5"},
                         WINDOW)
    assert outcome.amount == 1200.5 and outcome.outcome_id.startswith("oc_")
    assert to_support_cost({"period": "2026-10", "tickets": "500", "cost_per_ticket": 21}).cost_per_ticket == 21.0


@pytest.mark.parametrize("convert,row,field,reason", [
    (to_account, {"account_id": "a", "size": -3}, "size", Reason.BAD_VALUE),
    (to_account, {"account_id": "a" * 300}, "account_id", Reason.TOO_LONG),
    (to_touchpoint, {"account_id": "a", "occurred_at": "2026-09-01T10:00:00Z"}, "kind", Reason.MISSING_FIELD),
    (to_touchpoint, {"account_id": "a", "occurred_at": "1900-01-01T00:00:00Z", "kind": "webinar"}, "occurred_at",
     Reason.BAD_TIMESTAMP),
    (to_outcome, {"account_id": "a", "kind": "closed_won", "occurred_at": "2026-10-01", "amount": 1e13}, "amount",
     Reason.OUT_OF_RANGE),
    (to_outcome, {"account_id": "a", "kind": "closed_won", "occurred_at": "2026-10-01", "amount": True}, "amount",
     Reason.BAD_TYPE),
    (to_outcome, {"kind": "closed_won", "occurred_at": "2026-10-01"}, "account_id", Reason.MISSING_FIELD),
])
def test_business_bad_rows_name_field_and_reason(convert, row, field: str, reason: Reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RowProblem) as problem:
        convert(row, WINDOW)
    assert (problem.value.field, problem.value.reason) == (field, reason)


def test_business_support_cost_period_and_numbers() -> None:
    for row, field in (({"period": "2026-1", "tickets": 1, "cost_per_ticket": 1}, "period"),
                       ({"period": "1969-12", "tickets": 1, "cost_per_ticket": 1}, "period"),
                       ({"period": "2026-10", "tickets": "x", "cost_per_ticket": 1}, "tickets"),
                       ({"period": "2026-10", "tickets": 1, "cost_per_ticket": "nan"}, "cost_per_ticket")):
        with pytest.raises(RowProblem) as problem:
            to_support_cost(row)
        assert problem.value.field == field


@pytest.mark.parametrize("header,kind", [
    ("account_id,segment,plan", "account"), ("author_id,account_id", "link"),
    ("author_id,platform,consent_analytics,account_id", "link"),  # a members file with accounts
    ("account_id,occurred_at,kind", "touchpoint"), ("touchpoint_id,author_id", "touchpoint"),
    ("account_id,kind,occurred_at,amount", "outcome"), ("period,tickets,cost_per_ticket", "support_cost"),
    ("post_id,thread_id", None),
])
def test_business_files_are_sniffed_by_their_columns(tmp_path: Path, header: str, kind: str | None) -> None:
    path = tmp_path / "f.csv"
    path.write_text(header + "\n", encoding="utf-8")
    assert sniff_business(path) == kind
