"""Triage on communities it was never tuned on (issue 16): the frozen set and its dev companion.

``tests/data/triage_transfer/test`` (31 threads: hobby, gaming, open source, B2B SaaS, local
groups, none using a cue word of ``insight/triage/cues.py``) was frozen in commit 353df55
before any detector changed, and is only measured here; ``dev/`` (12 threads) and
``tests/data/triage`` are what the rules were tuned on. Bar (issue 16): precision@k >= 0.9
(k = threads that need attention), right leading reason >= 0.9, every safety thread above every
other. Safety verdicts come from the configured safety stage (issue 14's classifier); the
triage rules guarantee the order once a post is flagged, so that part is checked on what the
classifier flagged, and the end-to-end safety recall is asserted apart (it fails until the
classifier finds the 2am crisis reply, the threat and the doxxing of the frozen set).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from insight.config import load_config
from insight.services.triage import score_file_threads
from insight.triage.rank import Assessment, assess_threads
from tests.support.paths import TRIAGE_TRANSFER

AS_OF = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
VADER = {"models": {"sentiment": "insight.sentiment.vader.v1"},
         "pipeline": {"score_stages": ["insight.sentiment.v1", "insight.safety.keywords.v1"]}}


def _labels(split: str) -> dict[str, dict]:  # type: ignore[type-arg]
    rows = [json.loads(line) for line in (TRIAGE_TRANSFER / split / "labels.jsonl").read_text().splitlines()]
    return {row["thread_id"]: row for row in rows}


def _ranked(split: str, overrides: dict) -> list[Assessment]:  # type: ignore[type-arg]
    settings = load_config(overrides=overrides, env={})
    threads = score_file_threads(TRIAGE_TRANSFER / split / "threads.jsonl", settings, "eval")
    return assess_threads(threads, as_of=AS_OF, settings=settings.triage)


@pytest.fixture(scope="module", params=["dev", "test"])
def case(request: pytest.FixtureRequest) -> tuple[str, list[Assessment], dict]:  # type: ignore[type-arg]
    return request.param, _ranked(request.param, VADER), _labels(request.param)


def _flagged_safety(ranked: list[Assessment]) -> set[str]:
    return {a.item.thread_id for a in ranked if "safety_concern" in a.item.reasons}


def test_transfer_precision_at_k_and_right_reasons(case) -> None:  # type: ignore[no-untyped-def]
    split, ranked, labels = case
    missed_by_classifier = {t for t, r in labels.items() if "safety_concern" in r["reasons"]} - _flagged_safety(ranked)
    # Precision at k over what triage decides: a thread the safety stage did not flag is left out of k.
    wanted = {t for t, r in labels.items() if r["needs_attention"]} - missed_by_classifier
    queued = [a.item for a in ranked if a.item.needs_attention]
    top = queued[:len(wanted)]
    precision = sum(i.thread_id in wanted for i in top) / len(wanted)
    right = sum(bool(i.reasons) and i.reasons[0] == labels[i.thread_id]["reasons"][0]
                for i in queued if i.thread_id in wanted)
    calm_flagged = [i.thread_id for i in queued if not labels[i.thread_id]["needs_attention"]]
    print(f"transfer {split}: k={len(wanted)} precision@k={precision:.3f} right reasons={right}/{len(wanted)} "  # noqa: T201
          f"calm flagged={calm_flagged} safety missed by the classifier={sorted(missed_by_classifier)}")
    assert precision >= 0.9
    assert right / len(wanted) >= 0.9
    assert calm_flagged == []


def test_transfer_safety_threads_rank_above_all_others(case) -> None:  # type: ignore[no-untyped-def]
    _, ranked, labels = case
    flagged = _flagged_safety(ranked)
    assert flagged <= {t for t, r in labels.items() if "safety_concern" in r["reasons"]}
    assert {a.item.thread_id for a in ranked[:len(flagged)]} == flagged
    for a in ranked[:len(flagged)]:
        assert a.item.reasons[0] == "safety_concern" and a.item.thread_id + "-p" in a.item.explanation


def test_transfer_explanations_name_the_evidence(case) -> None:  # type: ignore[no-untyped-def]
    _, ranked, labels = case
    for a in ranked:
        if a.item.needs_attention and labels[a.item.thread_id]["needs_attention"]:
            assert a.item.evidence_post_ids and all(pid in a.item.explanation for pid in a.item.evidence_post_ids[:1])


@pytest.mark.slow
def test_transfer_end_to_end_safety_recall_with_the_default_model() -> None:
    ranked, labels = _ranked("test", {}), _labels("test")
    safety = {t for t, r in labels.items() if "safety_concern" in r["reasons"]}
    assert {a.item.thread_id for a in ranked[:len(safety)]} == safety
