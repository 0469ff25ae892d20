"""Webhook jobs, on SQLite and PostgreSQL: a poison job fails alone, a bad value never reaches the queue,
and a finished or failed job keeps no raw text or raw author id."""

from __future__ import annotations

import json

from sqlalchemy import select

from insight.services import jobs, webhooks
from insight.services.jobs import PipelineScorer
from insight.storage.db import session_scope
from insight.storage.tables import PostRow, ScoringJobRow
from tests.support.payloads import body, discourse_post


def _send(service, payload: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    raw = body(payload)
    answer = service.client.post("/webhooks/discourse", content=raw,
                                 headers={"Content-Type": "application/json",
                                          **webhooks.sign("discourse", "discourse-secret", raw)})
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_a_poison_job_fails_alone_and_the_valid_jobs_of_its_batch_are_scored(service) -> None:  # type: ignore[no-untyped-def]
    for n, text in enumerate(["The upload works again, thanks!", "POISON makes the model choke", "Search is slow."]):
        assert _send(service, discourse_post(700 + n, text, user_id=60 + n))["queued"] == 1
    real = PipelineScorer(service.settings, jobs.Redactor(names=False))

    def choking(posts):  # type: ignore[no-untyped-def]
        if any("POISON" in p.text for p in posts):  # plumbing fake: a model that fails on one input
            raise RuntimeError("tensor shape mismatch")
        return real(posts)

    settings = service.settings
    first = jobs.run_once(service.engine, settings, "w0", choking)
    assert first == {"scored": 2, "failed": 1}
    for attempt in range(1, settings.api.job_max_attempts):
        assert jobs.run_once(service.engine, settings, f"w{attempt}", choking) == {"failed": 1}
    assert jobs.run_once(service.engine, settings, "w-last", choking) == {}
    with session_scope(service.engine) as session:
        states = {pid: (status, row, error) for pid, status, row, error in session.execute(
            select(ScoringJobRow.post_id, ScoringJobRow.status, ScoringJobRow.row, ScoringJobRow.error))}
    assert sorted(s for s, _, _ in states.values()) == ["done", "done", "failed"]
    assert all(row == {} for _, row, _ in states.values())  # no raw text, no raw author id kept
    failed = next(error for status, _, error in states.values() if status == "failed")
    assert failed.startswith("RuntimeError: tensor shape mismatch")


def test_bad_values_are_rejected_at_the_door_and_never_fail_a_batch(service) -> None:  # type: ignore[no-untyped-def]
    far = _send(service, discourse_post(801, "A post from the future", created_at="9999-12-31T23:00:00-05:00"))
    assert (far["queued"], far["rejected"]) == (0, 1) and far["rejects"][0]["reason"] == "bad_timestamp"
    year_one = _send(service, discourse_post(802, "A post from year one", created_at="0001-01-01T00:00:00+01:00"))
    assert year_one["rejected"] == 1
    nul = _send(service, discourse_post(803, "Text with a NUL \u0000 byte and a \ud800 half pair"))
    good = _send(service, discourse_post(804, "The export works."))
    assert nul["queued"] == 1 and good["queued"] == 1
    assert jobs.run_worker(service.engine, service.settings, until_empty=True) == {"scored": 2}
    with session_scope(service.engine) as session:
        texts = list(session.scalars(select(PostRow.text)))
    assert any(t.startswith("Text with a NUL  byte and a \ufffd") for t in texts)


def test_hostile_webhook_bodies_and_headers_are_4xx(service) -> None:  # type: ignore[no-untyped-def]
    raw = body(discourse_post(900, "hello"))
    odd_signature = service.client.post("/webhooks/discourse", content=raw,
                                        headers={"X-Discourse-Event-Signature": "sha256=\u00e9\u00e9".encode()})
    assert odd_signature.status_code == 401 and odd_signature.json()["error"]["code"] == "E704"
    slack_digits = service.client.post("/webhooks/slack", content=raw, headers={
        "X-Slack-Request-Timestamp": "\u00b2\u00b3".encode(), "X-Slack-Signature": "v0=00"})
    assert slack_digits.status_code == 401
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    answer = service.client.post("/webhooks/discourse", content=deep, headers=webhooks.sign("discourse",
                                                                                              "discourse-secret", deep))
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "E707"
    odd = body({"post": {"id": 10**70, "topic_id": [1], "raw": {"x": 1}, "created_at": 5}})
    answer = service.client.post("/webhooks/discourse", content=odd, headers=webhooks.sign("discourse",
                                                                                            "discourse-secret", odd))
    assert answer.status_code in (202, 400) and json.loads(answer.text)
