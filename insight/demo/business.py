"""The demo's business side: accounts, member links, touchpoints, outcomes and support costs, with
a planted effect of community engagement on closing deals.

Own generator (``random.Random`` seeded from the community's seed), run after the posts are final,
so the community itself stays exactly as it was. An account's deal is decided at a date; the account
is **engaged** when it has a community touchpoint (a post by a linked member who consented to
analytics, or an event, office hours or guide touchpoint) in the ``LOOKBACK_DAYS`` before that date,
the definition the analysis uses. Engaged accounts close with probability ``base + CLOSE_EFFECT``
(base by segment), the others with ``base``: the matched comparison should find +20 pp. Renewals
get ``RENEWAL_EFFECT``. Enterprise accounts have more linked members, so engagement is confounded
with segment (which is why the comparison matches).
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from insight.demo.members import Profile
from insight.demo.plan import add_months, iso

CLOSE_EFFECT = 0.20
RENEWAL_EFFECT = 0.15
LOOKBACK_DAYS = 90  # [attribution] lookback_days of the default config
ACCOUNTS = 1500  # enough matched prospects that a +20 pp effect stands clear of zero (about +-10 pp)
PROSPECT_SHARE = 0.65
SEGMENTS = {"smb": 50, "mid_market": 30, "enterprise": 20}
BASE_CLOSE = {"smb": 0.25, "mid_market": 0.30, "enterprise": 0.35}
BASE_RENEWAL = {"smb": 0.70, "mid_market": 0.75, "enterprise": 0.80}
SIZE = {"smb": (5, 60), "mid_market": (60, 400), "enterprise": (400, 5000)}
DEAL = {"smb": 6_000, "mid_market": 24_000, "enterprise": 90_000}
PLANS = {"smb": {"pro": 80, "team": 20}, "mid_market": {"pro": 40, "team": 60}, "enterprise": {"team": 100}}
LINK_SHARE = {"smb": 0.25, "mid_market": 0.45, "enterprise": 0.7}  # accounts with members in the community
EVENT_KINDS = ("event_attended", "office_hours", "roundtable", "guide_viewed")
SALES_KINDS = ("sales_meeting", "demo_call", "marketing_email", "webinar")
CHANNEL = {"event_attended": "events", "office_hours": "events", "roundtable": "events", "guide_viewed": "docs",
           "sales_meeting": "sales", "demo_call": "sales", "marketing_email": "marketing", "webinar": "marketing"}
TICKETS_PER_MONTH = (420, 560)
COST_PER_TICKET = (19.0, 26.0)

Rows = list[dict[str, Any]]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_business(seed: int, profiles: list[Profile], posts: Rows, start: datetime, end: datetime,
                  story_authors: set[str], months: int) -> dict[str, Rows]:
    """accounts, links, touchpoints, outcomes and support_costs rows (the contracts' columns)."""
    rng = random.Random(f"business-{seed}")
    accounts = [_account(rng, i, start) for i in range(ACCOUNTS)]
    links = _links(rng, accounts, profiles, story_authors)
    touchpoints = _touchpoints(rng, accounts, links, start, end)
    analysed = {p.author_id for p in profiles if p.consent_analytics}
    community = _community_times(posts, links, touchpoints, analysed)
    outcomes = [row for a in accounts for row in _outcomes(rng, a, community.get(a["account_id"], []), start, end)]
    costs = [{"period": add_months(start, m).strftime("%Y-%m"), "tickets": rng.randint(*TICKETS_PER_MONTH),
              "cost_per_ticket": round(rng.uniform(*COST_PER_TICKET), 2)} for m in range(months)]
    return {"accounts": accounts, "links": links, "touchpoints": touchpoints, "outcomes": outcomes,
            "support_costs": costs}


def _account(rng: random.Random, index: int, start: datetime) -> dict[str, Any]:
    segment = _pick(rng, SEGMENTS)
    prospect = rng.random() < PROSPECT_SHARE
    days = rng.uniform(0, 120) if prospect else -rng.uniform(200, 1400)  # prospects start in the window
    started = start + timedelta(days=days)
    return {"account_id": f"acct-{index + 1:04d}", "segment": segment, "plan": _pick(rng, PLANS[segment]),
            "region": rng.choice(("NA", "EU", "APAC")), "size": rng.randint(*SIZE[segment]),
            "started_at": iso(started)}


def _links(rng: random.Random, accounts: Rows, profiles: list[Profile], story_authors: set[str]) -> Rows:
    """Members who work at an account: story authors always (so a story ties to an account), others often."""
    linked = [a for a in accounts if rng.random() < LINK_SHARE[a["segment"]]]
    rows = []
    for profile in profiles:
        if profile.staff or not linked or (profile.author_id not in story_authors and rng.random() < 0.35):
            continue
        rows.append({"author_id": profile.author_id, "account_id": rng.choice(linked)["account_id"]})
    return rows


def _touchpoints(rng: random.Random, accounts: Rows, links: Rows, start: datetime, end: datetime) -> Rows:
    span = (end - start).total_seconds()
    rows = []
    members = defaultdict(list)
    for link in links:
        members[link["account_id"]].append(link["author_id"])
    for account in accounts:
        for _ in range(rng.randint(1, 4)):  # sales and marketing reach every account
            kind = rng.choice(SALES_KINDS)
            rows.append(_touch(f"tp-{len(rows) + 1:05d}", account["account_id"], None, kind,
                               start + timedelta(seconds=rng.uniform(0, span))))
        if rng.random() < 0.15:  # an event or a guide, by the account or one of its members
            who = rng.choice(members[account["account_id"]]) if members[account["account_id"]] else None
            rows.append(_touch(f"tp-{len(rows) + 1:05d}", None if who else account["account_id"], who,
                               rng.choice(EVENT_KINDS), start + timedelta(seconds=rng.uniform(0, span))))
    return rows


def _touch(tid: str, account: str | None, author: str | None, kind: str, at: datetime) -> dict[str, Any]:
    return {"touchpoint_id": tid, "account_id": account, "author_id": author, "occurred_at": iso(at), "kind": kind,
            "channel": CHANNEL[kind], "source_id": None}


def _community_times(posts: Rows, links: Rows, touchpoints: Rows, analysed: set[str]) -> dict[str, list[str]]:
    """Sorted ISO times of each account's community touchpoints, as the analysis will see them."""
    accounts_of = defaultdict(list)
    for link in links:
        accounts_of[link["author_id"]].append(link["account_id"])
    times: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        if post["author_id"] in analysed:
            for account in accounts_of.get(post["author_id"], []):
                times[account].append(post["created_at"])
    for t in touchpoints:
        if t["kind"] in EVENT_KINDS and (t["author_id"] is None or t["author_id"] in analysed):
            for account in ([t["account_id"]] if t["account_id"] else accounts_of.get(t["author_id"], [])):
                times[account].append(t["occurred_at"])
    return {a: sorted(v) for a, v in times.items()}


def _engaged(times: list[str], at: datetime) -> bool:
    lo, hi = iso(at - timedelta(days=LOOKBACK_DAYS)), iso(at)
    i = bisect_left(times, lo)
    return i < len(times) and times[i] < hi


def _outcomes(rng: random.Random, account: dict[str, Any], times: list[str], start: datetime, end: datetime) -> Rows:
    aid, segment = account["account_id"], account["segment"]
    at = start + timedelta(days=rng.uniform(30, (end - start).days - 1))
    amount = round(DEAL[segment] * rng.uniform(0.6, 1.6), 2)
    engaged = _engaged(times, at)
    if datetime.fromisoformat(account["started_at"].replace("Z", "+00:00")) >= start:  # a prospect
        won = rng.random() < BASE_CLOSE[segment] + CLOSE_EFFECT * engaged
        opened = at - timedelta(days=rng.uniform(15, 30))
        return [_outcome(aid, "opportunity", opened, amount), _outcome(aid, "closed_won" if won else "closed_lost",
                                                                       at, amount if won else 0.0)]
    renewed = rng.random() < BASE_RENEWAL[segment] + RENEWAL_EFFECT * engaged
    rows = [_outcome(aid, "renewal" if renewed else "churn", at, amount if renewed else 0.0)]
    if renewed and rng.random() < 0.2 and at + timedelta(days=20) < end:
        rows.append(_outcome(aid, "expansion", at + timedelta(days=rng.uniform(5, 20)), round(amount * 0.3, 2)))
    return rows


def _outcome(account: str, kind: str, at: datetime, amount: float) -> dict[str, Any]:
    return {"outcome_id": f"{account}-{kind}-{at:%Y%m%d}", "account_id": account, "kind": kind,
            "occurred_at": iso(at), "amount": amount}
