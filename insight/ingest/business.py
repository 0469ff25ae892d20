"""Business files (accounts, member links, touchpoints, outcomes, support costs): a canonical row
becomes a record, or a ``RowProblem`` naming field and reason, as posts do (``validate``).

Files are told apart by their columns (``sniff_business``) unless the caller names the kind.
Ids without a column of their own (a touchpoint or outcome written without an id) get a stable
id from the row's content, so ingesting the same file again adds nothing.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Any

from insight.ingest.base import Reason, RowKind
from insight.ingest.canonical import _first_keys, _suffix
from insight.ingest.validate import RowProblem, TimeWindow, choice, opt_str, parse_count, parse_time, req_str
from insight.records import OUTCOME_KINDS, TOUCHPOINT_KINDS, Account, AccountLink, Outcome, SupportCost, Touchpoint

KINDS: dict[str, RowKind] = {"accounts": "account", "links": "link", "touchpoints": "touchpoint",
                             "outcomes": "outcome", "support_costs": "support_cost"}
MAX_AMOUNT = 1e12  # a deal of a trillion is a unit mistake, not a deal
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _amount(value: Any, name: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a number, got {str(value)[:40]!r}") from None
    if not math.isfinite(number) or abs(number) > MAX_AMOUNT:
        raise RowProblem(name, Reason.OUT_OF_RANGE, f"'{name}' must be finite and at most {MAX_AMOUNT:.0e}")
    if number < 0:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' must be >= 0, got {number}")
    return number


def _content_id(prefix: str, *parts: Any) -> str:
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def to_account(data: dict[str, Any], window: TimeWindow) -> Account:
    size = data.get("size")
    return Account(
        account_id=req_str(data, "account_id"),
        segment=opt_str(data, "segment"),
        plan=opt_str(data, "plan"),
        region=opt_str(data, "region"),
        size=None if size is None or (isinstance(size, str) and not size.strip()) else parse_count(size, "size"),
        started_at=parse_time(data.get("started_at"), "started_at", required=False, window=window),
    )


def to_link(data: dict[str, Any]) -> AccountLink:
    """``author_id`` is already pseudonymised by the caller (same key and rule as posts)."""
    return AccountLink(author_id=req_str(data, "author_id"), account_id=req_str(data, "account_id"))


def to_touchpoint(data: dict[str, Any], window: TimeWindow) -> Touchpoint:
    account, author = opt_str(data, "account_id"), opt_str(data, "author_id")
    if account is None and author is None:
        raise RowProblem("account_id", Reason.MISSING_FIELD, "a touchpoint needs 'account_id' or 'author_id'")
    at = parse_time(data.get("occurred_at"), "occurred_at", window=window)
    kind = choice(data.get("kind"), "kind", TOUCHPOINT_KINDS, None)
    if kind is None:
        raise RowProblem("kind", Reason.MISSING_FIELD, "'kind' is required")
    channel, source = opt_str(data, "channel"), opt_str(data, "source_id")
    assert at is not None
    touchpoint_id = opt_str(data, "touchpoint_id") or _content_id("tp_", account, author, at.isoformat(), kind,
                                                                  channel, source)
    return Touchpoint(touchpoint_id, at, kind, account, author, channel, source)


def to_outcome(data: dict[str, Any], window: TimeWindow) -> Outcome:
    account = req_str(data, "account_id")
    kind = choice(data.get("kind"), "kind", OUTCOME_KINDS, None)
    if kind is None:
        raise RowProblem("kind", Reason.MISSING_FIELD, "'kind' is required")
    at = parse_time(data.get("occurred_at"), "occurred_at", window=window)
    amount = _amount(data.get("amount"), "amount")
    assert at is not None
    outcome_id = opt_str(data, "outcome_id") or _content_id("oc_", account, kind, at.isoformat(), amount)
    return Outcome(outcome_id, account, kind, at, amount)


def to_support_cost(data: dict[str, Any]) -> SupportCost:
    period = req_str(data, "period")
    match = _PERIOD.match(period)
    if match is None or not 1970 <= int(match.group(1)) <= 2200:
        raise RowProblem("period", Reason.BAD_VALUE, f"'period' must be a month YYYY-MM from 1970 to 2200, "
                                                      f"got {period[:40]!r}")
    if data.get("tickets") is None or (isinstance(data.get("tickets"), str) and not data["tickets"].strip()):
        raise RowProblem("tickets", Reason.MISSING_FIELD, "'tickets' is required")
    if data.get("cost_per_ticket") is None or (isinstance(data.get("cost_per_ticket"), str)
                                               and not data["cost_per_ticket"].strip()):
        raise RowProblem("cost_per_ticket", Reason.MISSING_FIELD, "'cost_per_ticket' is required")
    return SupportCost(period, parse_count(data.get("tickets"), "tickets"),
                       _amount(data.get("cost_per_ticket"), "cost_per_ticket"))


def sniff_business(path: Path) -> RowKind | None:
    """Which business file ``path`` is, from its header or first object's keys; None when no rule fits.

    ``tickets`` means support costs; ``amount`` or ``outcome_id`` outcomes; ``touchpoint_id``, or
    ``occurred_at`` with ``kind``, touchpoints; ``author_id`` with ``account_id`` links (a members file
    with an ``account_id`` column too); ``account_id`` alone accounts.
    """
    keys = _first_keys(path, _suffix(path))
    if not keys:
        return None
    if "tickets" in keys:
        return "support_cost"
    if "outcome_id" in keys or ("amount" in keys and "account_id" in keys):
        return "outcome"
    if "touchpoint_id" in keys or {"occurred_at", "kind"} <= keys:
        return "touchpoint"
    if {"author_id", "account_id"} <= keys:
        return "link"
    if "account_id" in keys:
        return "account"
    return None
