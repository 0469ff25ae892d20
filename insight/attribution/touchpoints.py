"""Touchpoints as attribution reads them: the stored ones plus community posts, each on an account.

A post becomes a touchpoint of its author's accounts (member-to-account links): the first post
of a thread is a ``thread_question``, an accepted answer an ``accepted_solution``, any other
reply a ``thread_answer``; its channel is the post's channel. A touchpoint written with a member
id and no account goes to every account the member is linked to.
"""

from __future__ import annotations

import pandas as pd

from insight.records import COMMUNITY_TOUCHPOINTS

COLUMNS = ["touchpoint_id", "account_id", "author_id", "occurred_at", "kind", "channel", "source_id"]


def from_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints (``COLUMNS``, no account yet) of posts: post_id, thread_id, author_id, created_at,
    parent_id, accepted_answer, channel, platform."""
    if posts.empty:
        return pd.DataFrame(columns=COLUMNS)
    accepted = posts["accepted_answer"].fillna(False).astype(bool)
    root = posts["parent_id"].isna()
    kind = pd.Series("thread_answer", index=posts.index)
    kind[root] = "thread_question"
    kind[accepted] = "accepted_solution"
    return pd.DataFrame({
        "touchpoint_id": "post:" + posts["platform"].astype(str) + ":" + posts["post_id"].astype(str),
        "account_id": None,
        "author_id": posts["author_id"],
        "occurred_at": posts["created_at"],
        "kind": kind,
        "channel": posts["channel"].fillna("community"),
        "source_id": posts["post_id"],
    })[COLUMNS]


def on_accounts(touchpoints: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints each on one account (member touchpoints through the links; unlinked ones dropped),
    with ``community`` (bool) from the kind."""
    direct = touchpoints[touchpoints["account_id"].notna()]
    by_member = touchpoints[touchpoints["account_id"].isna() & touchpoints["author_id"].notna()]
    linked = by_member.drop(columns="account_id").merge(links[["author_id", "account_id"]], on="author_id")
    out = pd.concat([direct, linked[COLUMNS]], ignore_index=True) if not linked.empty else direct.copy()
    out = out.drop_duplicates(["touchpoint_id", "account_id"]).reset_index(drop=True)
    out["community"] = out["kind"].isin(COMMUNITY_TOUCHPOINTS)
    out["occurred_at"] = pd.to_datetime(out["occurred_at"], utc=True)
    return out
