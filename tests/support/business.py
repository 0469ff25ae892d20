"""Business files for tests: each kind with good rows and one bad row per reason that kind can give."""

from __future__ import annotations

from pathlib import Path

ACCOUNTS = """account_id,segment,plan,region,size,started_at
acct-1,smb,pro,EU,20,2025-01-01T00:00:00Z
acct-2,enterprise,team,NA,900,2024-03-01
,smb,pro,EU,5,2025-01-01T00:00:00Z
acct-3,smb,pro,EU,many,2025-01-01T00:00:00Z
acct-4,smb,pro,EU,5,yesterday
"""
LINKS = """author_id,account_id
u0001,acct-1
u0002,acct-2
u0003,acct-404
,acct-1
"""
TOUCHPOINTS = "\n".join([
    '{"touchpoint_id": "tp-1", "account_id": "acct-1", "occurred_at": "2026-09-01T10:00:00Z", "kind": "webinar"}',
    '{"touchpoint_id": "tp-2", "author_id": "u0001", "occurred_at": "2026-09-05T10:00:00Z", '
    '"kind": "office_hours", "channel": "events"}',
    '{"account_id": "acct-2", "occurred_at": "2026-09-07T10:00:00Z", "kind": "guide_viewed"}',
    '{"touchpoint_id": "tp-4", "account_id": "acct-1", "occurred_at": "2026-09-01T10:00:00Z", '
    '"kind": "carrier_pigeon"}',
    '{"touchpoint_id": "tp-5", "occurred_at": "2026-09-01T10:00:00Z", "kind": "webinar"}',
    '{"touchpoint_id": "tp-6", "account_id": "acct-1", "occurred_at": "2026-09-01T10:00:00", "kind": "webinar"}',
    '{"touchpoint_id": "tp-7", "account_id": "acct-404", "occurred_at": "2026-09-01T10:00:00Z", "kind": "webinar"}',
    'not json',
]) + "\n"
OUTCOMES = """outcome_id,account_id,kind,occurred_at,amount
o-1,acct-1,opportunity,2026-09-10T00:00:00Z,5000
o-2,acct-1,closed_won,2026-10-02T00:00:00Z,5000
o-3,acct-2,renewal,2026-10-05T00:00:00Z,90000
o-4,acct-2,closed_won,2026-10-05T00:00:00Z,-5
o-5,acct-2,closed_won,2026-10-05T00:00:00Z,inf
o-6,acct-2,won_maybe,2026-10-05T00:00:00Z,10
o-7,acct-404,closed_won,2026-10-05T00:00:00Z,10
"""
SUPPORT_COSTS = """period,tickets,cost_per_ticket
2026-09,480,21.5
2026-10,512,22.0
2026-13,10,1
2026-11,-4,20
2026-12,10,
"""
# (file, field, reason) of every bad row above.
EXPECTED_REJECTS = {
    ("accounts.csv", "account_id", "missing_field"), ("accounts.csv", "size", "bad_type"),
    ("accounts.csv", "started_at", "bad_timestamp"),
    ("account_links.csv", "account_id", "unknown_reference"), ("account_links.csv", "author_id", "missing_field"),
    ("touchpoints.jsonl", "kind", "bad_value"), ("touchpoints.jsonl", "account_id", "missing_field"),
    ("touchpoints.jsonl", "occurred_at", "bad_timestamp"), ("touchpoints.jsonl", "account_id", "unknown_reference"),
    ("touchpoints.jsonl", None, "malformed"),
    ("outcomes.csv", "amount", "bad_value"), ("outcomes.csv", "amount", "out_of_range"),
    ("outcomes.csv", "kind", "bad_value"), ("outcomes.csv", "account_id", "unknown_reference"),
    ("support_costs.csv", "period", "bad_value"), ("support_costs.csv", "tickets", "bad_value"),
    ("support_costs.csv", "cost_per_ticket", "missing_field"),
}
GOOD = {"accounts": 2, "links": 2, "touchpoints": 3, "outcomes": 3, "support_costs": 2}


def write_business(folder: Path) -> list[Path]:
    """The five files in ``folder``, in an order that is not the storing order (the command sorts them)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"outcomes.csv": OUTCOMES, "touchpoints.jsonl": TOUCHPOINTS, "support_costs.csv": SUPPORT_COSTS,
             "account_links.csv": LINKS, "accounts.csv": ACCOUNTS}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]
