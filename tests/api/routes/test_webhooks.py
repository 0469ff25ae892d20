"""Webhooks: signatures checked per platform, posts queued once, stored and scored by the worker once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from insight.ingest.base import Reject
from insight.services import jobs, webhooks
from insight.services.jobs import PipelineScorer
from insight.storage.db import session_scope
from insight.storage.tables import PostRow, ScoringJobRow, SignalRow
from tests.support.paths import PLATFORM_FORMATS
from tests.support.payloads import body, discourse_post, github_comment, slack_message
from tests.support.service import SECRETS

CASES = {
    "discourse": (body(discourse_post(501, "The export button does nothing since the update.")), "discourse-secret"),
    "slack": (body(slack_message("1779184800.000100", "Is anyone else seeing the sync fail?")), "slack-secret"),
    "github": (body(github_comment(9001, "This is awful: the CLI crashes on start and I am furious.")),
               "github-secret"),
}


def post(service, platform: str, raw: bytes, secret: str | None = None, headers: dict | None = None):  # type: ignore[no-untyped-def]
    signed = webhooks.sign(platform, secret, raw) if secret else {}
    return service.client.post(f"/webhooks/{platform}", content=raw,
                               headers={"Content-Type": "application/json", **signed, **(headers or {})})


@pytest.mark.parametrize("platform", sorted(CASES))
def test_webhooks_signed_call_is_queued_and_answered_at_once(shared_service, platform: str) -> None:
    raw, secret = CASES[platform]
    started = time.perf_counter()
    answer = post(shared_service, platform, raw, secret)
    assert answer.status_code == 202, answer.text
    assert time.perf_counter() - started < 1.0  # nothing is scored in the request
    queued = answer.json()["queued"]
    assert queued == (2 if platform == "github" else 1)  # the issue and its comment
    again = post(shared_service, platform, raw, secret)  # platforms redeliver
    assert again.status_code == 202 and again.json()["queued"] == 0 and again.json()["duplicates"] == queued


@pytest.mark.parametrize("platform", sorted(CASES))
def test_webhooks_bad_or_missing_signature_is_refused(shared_service, platform: str) -> None:
    raw, secret = CASES[platform]
    wrong = post(shared_service, platform, raw, "not-the-secret")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "E704"
    assert "does not match" in wrong.json()["error"]["message"]
    missing = post(shared_service, platform, raw)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "E704"
    keyed = post(shared_service, platform, raw, headers=shared_service.headers("admin"))  # a key is no signature
    assert keyed.status_code == 401 and keyed.json()["error"]["code"] == "E704"
    tampered = post(shared_service, platform, raw.replace(b"does", b"DOES").replace(b"the", b"THE"), None,
                    webhooks.sign(platform, secret, raw))
    assert tampered.status_code == 401


def test_webhooks_slack_replay_outside_tolerance_is_refused(shared_service) -> None:
    raw, secret = CASES["slack"]
    old = webhooks.sign("slack", secret, raw, timestamp=int(time.time()) - 3600)
    answer = post(shared_service, "slack", raw, headers=old)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "E705"


def test_webhooks_handshakes_and_unreadable_bodies(shared_service) -> None:
    challenge = body({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                      "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl"})
    answer = post(shared_service, "slack", challenge, "slack-secret")
    assert answer.status_code == 200 and answer.json()["challenge"].startswith("3eZbrw1a")
    ping = post(shared_service, "github", body({"zen": "Keep it logically awesome.", "hook_id": 1}), "github-secret",
                {"X-GitHub-Event": "ping"})
    assert ping.status_code == 200 and ping.json()["pong"] is True
    junk = post(shared_service, "discourse", b"{not json", "discourse-secret")
    assert junk.status_code == 400 and junk.json()["error"]["code"] == "E707"
    other = post(shared_service, "discourse", body({"user": {"id": 3}}), "discourse-secret")
    assert other.status_code == 400 and "not a discourse webhook payload" in other.json()["error"]["message"]
    empty = post(shared_service, "discourse", body(discourse_post(777, "")), "discourse-secret")
    assert empty.status_code == 202 and empty.json()["queued"] == 0
    assert empty.json()["rejects"][0]["reason"] == "empty_text"


def test_webhooks_unconfigured_secret_answers_503(shared_service) -> None:
    from fastapi.testclient import TestClient

    from insight.api import create_app

    settings = shared_service.settings.model_copy(
        update={"api": shared_service.settings.api.model_copy(update={"github_webhook_secret": ""})})
    with TestClient(create_app(settings, shared_service.engine, workers=0)) as client:
        raw, _ = CASES["github"]
        answer = client.post("/webhooks/github", content=raw, headers=webhooks.sign("github", "x", raw))
    assert answer.status_code == 503 and "github_webhook_secret" in answer.json()["error"]["message"]


def _counts(engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return {
            "posts": session.scalar(select(func.count()).select_from(PostRow)),
            "signals": session.scalar(select(func.count()).select_from(SignalRow)),
            "done": session.scalar(select(func.count()).select_from(ScoringJobRow)
                                   .where(ScoringJobRow.status == "done")),
        }


def test_webhooks_worker_stores_and_scores_each_post_once(service) -> None:
    before = _counts(service.engine)
    for platform, (raw, secret) in CASES.items():
        assert post(service, platform, raw, secret).status_code == 202
    total = jobs.run_worker(service.engine, service.settings, until_empty=True)
    assert total == {"scored": 4}
    after = _counts(service.engine)
    assert after["posts"] - before["posts"] == 4 and after["signals"] - before["signals"] == 4
    with session_scope(service.engine) as session:
        rows = session.execute(select(PostRow.author_id, PostRow.text_redacted, SignalRow.sentiment_label,
                                      ScoringJobRow.row, ScoringJobRow.outcome)
                               .join(SignalRow, SignalRow.post_pk == PostRow.id)
                               .join(ScoringJobRow, ScoringJobRow.post_pk == PostRow.id)).all()
    assert len(rows) == 4
    for author, _text, label, row, outcome in rows:
        assert author.startswith("m_") and label in ("negative", "neutral", "positive")
        assert row == {} and outcome == "scored"  # the raw row is not kept once stored
    crash = next(r for r in rows if "crashes" in r.text_redacted)
    assert crash.sentiment_label == "negative"
    # Redelivered after scoring: nothing queued, nothing scored again.
    raw, secret = CASES["slack"]
    assert post(service, "slack", raw, secret).json()["queued"] == 0
    assert jobs.run_worker(service.engine, service.settings, until_empty=True) == {}
    assert _counts(service.engine) == after


def test_webhooks_lease_recovers_a_dead_worker_and_the_late_one_stores_nothing(service) -> None:
    for n in range(5):
        raw = body(discourse_post(600 + n, f"Reply number {n}: the upload still fails with error 500."))
        post(service, "discourse", raw, SECRETS["discourse_webhook_secret"])
    settings = service.settings
    dead = jobs.claim(service.engine, "worker-that-dies", settings)
    assert len(dead) == 5
    assert jobs.claim(service.engine, "other", settings) == []  # leased: nobody else takes them
    later = jobs._now() + timedelta(seconds=settings.api.job_lease_seconds + 1)
    taken = jobs.claim(service.engine, "rescuer", settings, now=later)
    assert [j.id for j in taken] == [j.id for j in dead] and all(j.attempts == 2 for j in taken)
    scorer = PipelineScorer(settings, jobs.Redactor(names=False))
    assert jobs.process(service.engine, settings, "rescuer", taken, scorer) == {"scored": 5}
    # The first worker was only slow: its late results are refused, the posts keep one scoring.
    with session_scope(service.engine) as session:
        first = dict(session.execute(select(SignalRow.post_pk, SignalRow.run_id)).all())
    assert jobs.process(service.engine, settings, "worker-that-dies", dead, scorer) == {"lease_lost": 5}
    with session_scope(service.engine) as session:
        assert dict(session.execute(select(SignalRow.post_pk, SignalRow.run_id)).all()) == first


def test_webhooks_failing_scorer_retries_then_fails_for_good(service) -> None:
    raw, secret = CASES["discourse"]
    post(service, "discourse", raw, secret)

    def broken(_posts):  # type: ignore[no-untyped-def]
        raise RuntimeError("model file is corrupt")

    settings = service.settings
    for attempt in range(settings.api.job_max_attempts):
        assert jobs.run_once(service.engine, settings, f"w{attempt}", broken) == {"failed": 1}
    assert jobs.run_once(service.engine, settings, "w-last", broken) == {}
    stats = service.client.get("/api/v1/jobs", headers=service.headers("admin")).json()
    assert stats["by_status"]["failed"] == 1 and stats["by_status"]["queued"] == 0
    with session_scope(service.engine) as session:
        error = session.scalar(select(ScoringJobRow.error))
    assert "model file is corrupt" in error
    # Fixed: an admin queues it again and a working scorer finishes it.
    assert service.client.post("/api/v1/jobs/retry", headers=service.headers("moderator")).status_code == 403
    assert service.client.post("/api/v1/jobs/retry", headers=service.headers("admin")).json() == {"requeued": 1}
    assert jobs.run_worker(service.engine, settings, until_empty=True) == {"scored": 1}


def test_webhooks_post_reaches_the_queue_after_scoring_and_a_refresh(service) -> None:
    threat = body(discourse_post(880, "Fix the billing bug by Friday. I know where you live.", topic_id=4242,
                                 number=1, created_at="2026-05-20T09:00:00Z"))
    assert post(service, "discourse", threat, "discourse-secret").json()["queued"] == 1
    assert jobs.run_worker(service.engine, service.settings, until_empty=True) == {"scored": 1}
    moderator = service.headers("moderator")
    refreshed = service.client.post("/api/v1/triage/refresh", json={"as_of": "2026-05-20T12:30:00Z"}, headers=moderator)
    assert refreshed.status_code == 200 and refreshed.json()["opened"] >= 1
    queue = service.client.get("/api/v1/triage/queue?reason=safety_concern&limit=100", headers=moderator).json()
    item = next(i for i in queue["items"] if i["thread_id"] == "discourse:4242")
    assert item["evidence"][0]["text"].startswith("Fix the billing bug")


def test_webhooks_unsafe_post_reaches_the_queue_with_no_command_run(service) -> None:
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    threat = body(discourse_post(881, "Refund me by Friday or I will find you and hurt you. I know where you live.",
                                 topic_id=4343, number=1, created_at=now))
    assert post(service, "discourse", threat, "discourse-secret").json()["queued"] == 1
    assert jobs.run_worker(service.engine, service.settings, until_empty=True) == {"scored": 1}
    # The worker re-ranked the queue itself: no refresh call, no CLI.
    queue = service.client.get("/api/v1/triage/queue?reason=safety_concern&limit=100",
                               headers=service.headers("moderator")).json()
    assert any(i["thread_id"] == "discourse:4343" for i in queue["items"])


GITHUB_SAMPLES = PLATFORM_FORMATS / "github_webhooks"


@pytest.mark.skipif(not GITHUB_SAMPLES.is_dir(), reason="../shared/data/platform_formats is not here")
def test_webhooks_real_github_payloads_become_the_rows_an_export_gives(service) -> None:
    from insight.ingest.adapters.github import GitHubAdapter

    files = sorted(GITHUB_SAMPLES.rglob("*.json"))
    expected = {r.data["post_id"] for f in files for r in GitHubAdapter().read(f) if not isinstance(r, Reject)}
    queued = 0
    for path in files:
        answer = post(service, "github", path.read_bytes(), "github-secret", {"X-GitHub-Event": path.parent.name})
        assert answer.status_code == 202, (path, answer.text)
        queued += answer.json()["queued"]
    assert queued == len(expected)  # events that change no text (labeled, locked...) queue nothing new
    total = jobs.run_worker(service.engine, service.settings, until_empty=True)
    with session_scope(service.engine) as session:
        stored = set(session.scalars(select(PostRow.post_id).where(PostRow.platform == "github")))
    assert stored == expected and total["scored"] == len(expected)
