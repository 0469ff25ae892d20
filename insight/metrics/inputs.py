"""What the KPI functions read: posts and members cleaned, consent applied, questions found.

``prepare`` builds it once per ``compute_kpis`` call (``insight.metrics.kpis``, whose docstring
states the conventions: period, as_of, consent, questions and responses, cohorts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from insight.errors import InputError

POST_COLUMNS = ("post_id", "thread_id", "author_id", "created_at")
# What the KPI functions read of a post beyond the required columns; the rest (channel, platform,
# anything a caller adds) stays out of the copy ``prepare`` makes.
OPTIONAL_POST_COLUMNS = ("kind", "parent_id", "accepted_answer", "helpful_votes")
MEMBER_COLUMNS = ("author_id", "consent_analytics")


@dataclass(frozen=True)
class Inputs:
    """Everything the KPI functions read, prepared once per call."""

    posts: pd.DataFrame  # analysable posts seen by as_of: author_id, thread_id, created_at
    authors: pd.DataFrame  # index author_id: joined_at, join_month, motivation, segment
    questions: pd.DataFrame  # one row per question: thread_id, author_id, asked_at, accepted, first_response_at
    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp

    def in_period(self, times: pd.Series) -> pd.Series:
        return (times >= self.start) & (times < self.end)


def prepare(
    posts: pd.DataFrame, members: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, as_of: pd.Timestamp
) -> Inputs:
    _require(posts, POST_COLUMNS, "posts")
    _require(members, MEMBER_COLUMNS, "members")
    seen = _clean_posts(posts, as_of)
    # Only an explicit True is consent: missing or unparsed values exclude the member.
    consents = members["consent_analytics"].eq(True)
    excluded = pd.Index(members.loc[~consents, "author_id"].unique())
    dropped = seen["author_id"].isin(excluded)
    # When no post is dropped, the kept posts are the seen ones, not a second copy of them; else a
    # copy of the columns the KPI functions read.
    kept = seen.loc[~dropped, _kpi_columns(seen)] if dropped.any() else seen
    authors = authors_table(members, kept["author_id"].unique())
    questions = _questions(seen, kept, excluded)
    return Inputs(kept, authors, questions, start, end, as_of)


def _clean_posts(posts: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The posts created by ``as_of``, cleaned, the caller's frame untouched.

    A frame already clean and in time order (as ``storage.posts.posts_frame`` reads it) gives a slice
    of its rows, no copy: a report computes its KPIs for six months over one frame, and a copy of a
    million posts per month was the largest thing the stage held. Any other frame gives one copy
    of its KPI columns, cleaned.
    """
    if _clean_and_in_time_order(posts):
        return posts.iloc[: posts["created_at"].searchsorted(as_of, side="right")]
    created = pd.to_datetime(posts["created_at"], utc=True)
    seen = (created <= as_of).to_numpy()
    out = posts.loc[seen, _kpi_columns(posts)]
    out["created_at"] = created[seen]
    if "kind" not in out:
        out["kind"] = None
    # A missing flag means "not accepted"; only an explicit True marks a solution.
    accepted = out["accepted_answer"] if "accepted_answer" in out else pd.Series(False, index=out.index)
    out["accepted_answer"] = accepted.eq(True)
    return out


def _clean_and_in_time_order(posts: pd.DataFrame) -> bool:
    created = posts["created_at"]
    return (isinstance(created.dtype, pd.DatetimeTZDtype) and str(created.dt.tz) == "UTC"
            and "kind" in posts and "accepted_answer" in posts and posts["accepted_answer"].dtype == bool
            and created.is_monotonic_increasing)


def _kpi_columns(posts: pd.DataFrame) -> list[str]:
    return [c for c in (*POST_COLUMNS, *OPTIONAL_POST_COLUMNS) if c in posts.columns]


def authors_table(members: pd.DataFrame, post_authors: Any = ()) -> pd.DataFrame:
    """Cohort fields per author, indexed by author_id: the members whose consent decision is yes (and
    no other record of theirs says no), plus ``post_authors`` with no member record (no cohort)."""
    consents = members["consent_analytics"].eq(True)
    excluded = members.loc[~consents, "author_id"]
    consenting = members[consents & ~members["author_id"].isin(excluded)]
    table = pd.DataFrame(
        {
            "author_id": consenting["author_id"],
            "joined_at": pd.to_datetime(_column(consenting, "joined_at"), utc=True),
            "motivation": _column(consenting, "motivation"),
            "segment": _column(consenting, "segment"),
        }
    ).drop_duplicates("author_id", keep="last")
    unknown = pd.Index(post_authors).difference(table["author_id"])
    table = pd.concat([table, pd.DataFrame({"author_id": unknown})], ignore_index=True)
    table["joined_at"] = pd.to_datetime(table["joined_at"], utc=True)
    table["join_month"] = table["joined_at"].dt.strftime("%Y-%m")
    return table.set_index("author_id")


def _questions(seen: pd.DataFrame, kept: pd.DataFrame, excluded: pd.Index) -> pd.DataFrame:
    """One row per question thread, with its acceptance and first response (by as_of).

    Roots come from every post seen, before the consent filter: dropping a non-consenting
    asker's root must drop the thread, not promote the next reply to "question".
    """
    roots = _roots(seen)
    is_question = roots["kind"].isna() | roots["kind"].eq("question")
    roots = roots[is_question & ~roots["author_id"].isin(excluded)]
    questions = pd.DataFrame(
        {"thread_id": roots["thread_id"], "author_id": roots["author_id"], "asked_at": roots["created_at"]}
    ).reset_index(drop=True)
    # Each kept post's question (its row in ``questions``, -1: not a question thread) and whether its
    # author is that question's asker, found by position in Arrow: merging every post with its
    # question would copy the posts' columns once more (130 MB at a million posts).
    row = _positions(kept["thread_id"], questions["thread_id"])
    in_question = row >= 0
    row = row[in_question]
    askers = questions["author_id"].drop_duplicates()
    author_is = _positions(kept["author_id"], askers)[in_question]
    asker_is = _positions(questions["author_id"], askers)[row]
    created = kept["created_at"].to_numpy(dtype="datetime64[ns]")[in_question]  # not one Timestamp object a post
    asked = questions["asked_at"].to_numpy(dtype="datetime64[ns]")[row]
    is_response = (author_is != asker_is) & (created >= asked)
    first_response = pd.Series(created[is_response]).groupby(row[is_response]).min()
    accepted = np.zeros(len(questions), dtype=bool)
    accepted[row[kept["accepted_answer"].to_numpy(dtype=bool)[in_question]]] = True

    # to_datetime keeps the column datetime-typed even when no thread has a response (the
    # empty groupby result is untyped) so the time differences downstream always work.
    questions["first_response_at"] = pd.to_datetime(first_response.reindex(range(len(questions))).array, utc=True)
    questions["accepted"] = accepted
    return questions


def _positions(values: pd.Series, among: pd.Series) -> np.ndarray:
    """Where each of ``values`` is in ``among`` (-1 where it is not), matched in Arrow: no Python
    object per value."""
    if len(values) == 0 or len(among) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    keys = pa.array(values, from_pandas=True)
    found = pc.index_in(keys, value_set=pa.array(among, type=keys.type, from_pandas=True))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _roots(posts: pd.DataFrame) -> pd.DataFrame:
    """The first post of each thread (earliest ``created_at``, ties by ``post_id``), in that order.

    Sorting every post by (time, id) would hold a Python string per post id; the earliest posts are
    found by group instead, and only those (about one a thread) are copied and sorted.
    """
    earliest = posts["created_at"].eq(posts.groupby("thread_id")["created_at"].transform("min"))
    roots = posts.loc[earliest, ["thread_id", "created_at", "post_id", "author_id", "kind"]]
    return roots.sort_values(["created_at", "post_id"], kind="stable").drop_duplicates("thread_id")


def period_questions(inp: Inputs) -> pd.DataFrame:
    return inp.questions[inp.in_period(inp.questions["asked_at"])]


def unit_frame(author_ids: Any, x: Any) -> pd.DataFrame:
    """The units frame every KPI function returns: author_id and measurement x."""
    # Explicit dtypes: an empty frame would otherwise get float ids that cannot join authors.
    return pd.DataFrame({"author_id": pd.Series(list(author_ids), dtype=object), "x": pd.Series(list(x), dtype=float)})


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError("E604", path=name, columns=", ".join(missing), found=", ".join(map(str, frame.columns)))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
