"""Triage quality: precision in the top k on the written thread set and on the demo's planted truth.

``tests/data/triage/threads.jsonl`` holds 42 threads (canonical posts) and ``labels.jsonl`` says
which need attention and why: veiled threats, doxxing, a self-harm hint and harassment;
frustration building across replies; questions past their SLA; excitement growing; and calm
threads with traps (dev idioms like "kill the process", a heated thread the asker calls solved,
a question still within its SLA, sarcasm such as "Great, the embed is broken again", a welcome
chorus, an angry thread from a month ago). Sentiment comes from the scoring stages: the default
ones (the trained signals model) and the VADER baseline, so the rules hold on either.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from insight.config import load_config
from insight.services.triage import assess_stored, score_file_threads
from insight.triage.rank import assess_threads
from tests.support.paths import TRIAGE_DATA
from tests.support.triage import AS_OF, REASON_OF


@pytest.fixture(scope="module")
def labels() -> dict[str, dict]:  # type: ignore[type-arg]
    rows = [json.loads(line) for line in (TRIAGE_DATA / "labels.jsonl").read_text().splitlines()]
    return {row["thread_id"]: row for row in rows}


SCORERS = {
    "default": {},  # the configured scoring stages (the trained signals model)
    "vader": {"models": {"sentiment": "insight.sentiment.vader.v1"},
              "pipeline": {"score_stages": ["insight.sentiment.v1", "insight.safety.keywords.v1"]}},
}


@pytest.fixture(scope="module", params=[pytest.param("default", marks=pytest.mark.slow), "vader"])
def ranked(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    settings = load_config(overrides=SCORERS[request.param], env={})
    threads = score_file_threads(TRIAGE_DATA / "threads.jsonl", settings, "eval")
    return assess_threads(threads, as_of=AS_OF, settings=settings.triage)


def test_eval_written_threads_precision_at_k(ranked, labels) -> None:  # type: ignore[no-untyped-def]
    assert len(ranked) == len(labels) == 42
    k = sum(row["needs_attention"] for row in labels.values())
    top = [a.item for a in ranked[:k]]
    precision = sum(labels[i.thread_id]["needs_attention"] for i in top) / k
    flagged = [a.item for a in ranked if a.item.needs_attention]
    flag_precision = sum(labels[i.thread_id]["needs_attention"] for i in flagged) / len(flagged)
    flag_recall = sum(labels[i.thread_id]["needs_attention"] for i in flagged) / k
    print(f"written set: k={k} precision@k={precision:.3f} "  # noqa: T201  the figures, shown with -s
          f"needs_attention precision={flag_precision:.3f} recall={flag_recall:.3f}")
    assert precision >= 0.9
    # Issue 16 (escalation from evidence): precision 1.00, recall 1.00 (18 of 18) with the signals model and VADER;
    # before it, 16 of 18 with the signals model, when this mark had been lowered to 0.85. Back to 0.9.
    assert flag_precision >= 0.9 and flag_recall >= 0.9


def test_eval_written_threads_right_reasons_safety_first(ranked, labels) -> None:  # type: ignore[no-untyped-def]
    safety = {t for t, row in labels.items() if "safety_concern" in row["reasons"]}
    assert {a.item.thread_id for a in ranked[:len(safety)]} == safety
    right = 0
    attention = [a.item for a in ranked if labels[a.item.thread_id]["needs_attention"]]
    for item in attention:
        wanted = labels[item.thread_id]["reasons"]
        right += bool(item.reasons) and item.reasons[0] == wanted[0] and set(wanted) <= set(item.reasons)
    print(f"written set: right leading reason for {right} of {len(attention)} attention threads")  # noqa: T201
    # Issue 16: 18 of 18 with the signals model and with VADER (before: 16 of 18 with the model, mark lowered to 0.85).
    assert right / len(attention) >= 0.9
    # Explanations name evidence posts, never unsafe words.
    for a in ranked[:len(safety)]:
        assert a.item.thread_id + "-p" in a.item.explanation
        assert "where you live" not in a.item.explanation and "Birch" not in a.item.explanation


def test_eval_tricky_threads_stay_calm(ranked) -> None:  # type: ignore[no-untyped-def]
    by_id = {a.item.thread_id: a.item for a in ranked}
    # kill the process, "killing me"/nuke the cache, heated but solved, within SLA, sarcasm, I'd kill for,
    # you'll regret skipping tests, welcome chorus, a month-old rant, "I can't do this anymore with Webpack".
    for thread_id in ("t20", "t21", "t22", "t23", "t24", "t25", "t26", "t28", "t29", "t32", "t42"):
        assert not by_id[thread_id].needs_attention, (thread_id, by_id[thread_id].explanation)


def test_eval_demo_planted_truth(demo_db) -> None:  # type: ignore[no-untyped-def]
    truth = demo_db.community.truth
    as_of = demo_db.community.window_end
    ranked = assess_stored(demo_db.engine, demo_db.settings, as_of=as_of)
    by_id = {a.item.thread_id.split(":", 1)[1]: a.item for a in ranked}
    planted = {t: REASON_OF[key] for key in REASON_OF for t in truth[key]}
    missed = [(t, r) for t, r in planted.items() if not (by_id[t].needs_attention and r in by_id[t].reasons)]
    assert missed == []
    k = len(planted)
    top = [a.item.thread_id.split(":", 1)[1] for a in ranked[:k]]
    precision = sum(t in planted for t in top) / k
    flagged = sum(a.item.needs_attention for a in ranked)
    print(f"demo truth: k={k} precision@k={precision:.3f}; {flagged} threads flagged")  # noqa: T201
    assert precision >= 0.9
    assert top[0] in truth["unsafe"]
    # Fresh work before stale backlog: every frustration thread and every question asked in the last
    # two weeks ranks above every question waiting for a month or more.
    rank_of = {t: i for i, t in enumerate(a.item.thread_id.split(":", 1)[1] for a in ranked)}
    asked = {p["thread_id"]: datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))
             for p in demo_db.community.posts if p["parent_id"] is None}
    stale = [t for t in truth["unanswered"] if as_of - asked[t] > timedelta(days=30)]
    fresh = [t for t in truth["unanswered"] if as_of - asked[t] < timedelta(days=14)] + truth["rising_frustration"]
    assert stale and fresh
    assert max(rank_of[t] for t in fresh) < min(rank_of[t] for t in stale)
