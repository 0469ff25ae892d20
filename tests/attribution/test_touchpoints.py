"""Community posts become touchpoints, and member touchpoints land on their accounts."""

from __future__ import annotations

import pandas as pd

from insight.attribution.touchpoints import from_posts, on_accounts
from tests.support.attribution import at


def test_touchpoints_from_posts_by_role_in_the_thread() -> None:
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3"], "thread_id": ["discourse:t1"] * 3,
                          "author_id": ["m_a", "m_b", "m_c"], "created_at": [at(-3), at(-2), at(-1)],
                          "parent_id": [None, "p1", "p1"], "accepted_answer": [False, True, False],
                          "channel": ["help", "help", None], "platform": ["discourse"] * 3})
    found = from_posts(posts)
    assert found["kind"].tolist() == ["thread_question", "accepted_solution", "thread_answer"]
    assert found["touchpoint_id"].tolist() == ["post:discourse:p1", "post:discourse:p2", "post:discourse:p3"]
    assert found["channel"].tolist() == ["help", "help", "community"]
    assert found["source_id"].tolist() == ["p1", "p2", "p3"]


def test_touchpoints_on_accounts_through_links() -> None:
    tps = pd.DataFrame([
        {"touchpoint_id": "x", "account_id": "A", "author_id": None, "occurred_at": at(-1), "kind": "webinar",
         "channel": "marketing", "source_id": None},
        {"touchpoint_id": "y", "account_id": None, "author_id": "m_a", "occurred_at": at(-2), "kind": "office_hours",
         "channel": "events", "source_id": None},
        {"touchpoint_id": "z", "account_id": None, "author_id": "m_unlinked", "occurred_at": at(-2),
         "kind": "thread_answer", "channel": "help", "source_id": None},
    ])
    links = pd.DataFrame({"author_id": ["m_a", "m_a"], "account_id": ["A", "B"]})
    found = on_accounts(tps, links).sort_values(["touchpoint_id", "account_id"])
    assert found[["touchpoint_id", "account_id", "community"]].values.tolist() == [
        ["x", "A", False], ["y", "A", True], ["y", "B", True]]
