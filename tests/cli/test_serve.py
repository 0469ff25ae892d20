"""`insight keys` and `insight serve` as a user runs them: the key works once, the server answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from insight.api import serving
from insight.errors import ConfigError
from insight.storage.db import make_engine
from tests.support.cli import run_cli
from tests.support.databases import settings_in
from tests.support.service import free_port, wait_healthy


def test_serve_cli_keys_and_serve_on_the_embedded_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    bad = run_cli("keys", "create", "--role", "boss", "--db", db, cwd=tmp_path)
    assert bad.returncode == 2 and "[E708]" in bad.stderr and "moderator, researcher, reporter, admin" in bad.stderr

    port = free_port()
    env = {**os.environ, "INSIGHT_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "insight", "serve", "--db", db, "--port", str(port),
                               "--workers", "0"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        created = run_cli("keys", "create", "--role", "admin", "--name", "ana", "--db", db, cwd=tmp_path)
        key = json.loads(created.stdout)
        assert key["key"].startswith(key["prefix"] + "_") and key["role"] == "admin"
        auth = {"Authorization": f"Bearer {key['key']}"}
        assert httpx.get(base + "/api/v1/keys", headers=auth).json()[0]["name"] == "ana"
        assert httpx.get(base + "/api/v1/keys").status_code == 401
        assert "paths" in httpx.get(base + "/openapi.json").json()
        listed = [json.loads(line) for line in run_cli("keys", "list", "--db", db, cwd=tmp_path).stdout.splitlines()]
        assert [k["prefix"] for k in listed] == [key["prefix"]] and "key" not in listed[0]
        assert run_cli("keys", "revoke", str(key["id"]), "--db", db, cwd=tmp_path).returncode == 0
        assert httpx.get(base + "/api/v1/keys", headers=auth).status_code == 401
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "No admin key yet" in output and "insight keys create --role admin" in output


def test_serve_cli_worker_scores_the_queue_until_empty(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from insight.services import webhooks
    from tests.support.payloads import body, slack_message

    for n in range(3):
        raw = body(slack_message(f"17791848{n:02d}.000100", f"Message {n}: the sync keeps failing, please help"))
        answer = service.client.post("/webhooks/slack", content=raw,
                                     headers={**webhooks.sign("slack", "slack-secret", raw)})
        assert answer.json()["queued"] == 1
    config = tmp_path / "light.toml"
    config.write_text('[models]\nsentiment = "insight.sentiment.vader.v1"\n[redaction]\nnames = false\n'
                      '[pipeline]\nscore_stages = ["insight.sentiment.v1", "insight.safety.keywords.v1"]\n')
    done = run_cli("worker", "--until-empty", "--db", service.settings.database_url, "--config", str(config),
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"scored": 3}


def test_serve_with_two_http_processes_scores_webhook_posts_once_in_the_supervisor(tmp_path: Path) -> None:
    from insight.services import webhooks
    from tests.support.payloads import body, slack_message

    db = f"sqlite:///{tmp_path / 'serve.db'}"
    config = tmp_path / "light.toml"
    config.write_text('[models]\nsentiment = "insight.sentiment.vader.v1"\n[redaction]\nnames = false\n'
                      '[pipeline]\nscore_stages = ["insight.sentiment.v1", "insight.safety.keywords.v1"]\n'
                      '[api]\nslack_signing_secret = "slack-secret"\nworker_poll_seconds = 0.2\n')
    key = json.loads(run_cli("keys", "create", "--role", "admin", "--db", db, cwd=tmp_path).stdout)["key"]
    port = free_port()
    env = {**os.environ, "INSIGHT_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "insight", "serve", "--db", db, "--port", str(port),
                               "--config", str(config), "--workers", "1", "--processes", "2"], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        # Two HTTP processes under the supervisor (uvicorn spawns them), which runs the scoring worker.
        http = [p for p in psutil.Process(server.pid).children() if "spawn" in " ".join(p.cmdline())]
        assert len(http) == 2
        for n in range(4):
            raw = body(slack_message(f"17791849{n:02d}.000100", f"Message {n}: the sync keeps failing, please help"))
            queued = httpx.post(base + "/webhooks/slack", content=raw, headers=webhooks.sign("slack", "slack-secret",
                                                                                               raw))
            assert queued.json()["queued"] == 1
        auth = {"Authorization": f"Bearer {key}"}
        deadline = time.monotonic() + 60
        while (stats := httpx.get(base + "/api/v1/jobs", headers=auth).json())["by_status"].get("done", 0) < 4:
            assert time.monotonic() < deadline, stats
            time.sleep(0.2)
        assert stats["by_status"] == {"queued": 0, "running": 0, "done": 4, "failed": 0}
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert server.returncode == 0, output


def test_serve_refuses_a_process_count_below_one_and_an_http_process_outside_serve(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = settings_in(tmp_path)
    with pytest.raises(ConfigError) as refused:
        serving.serve(settings, make_engine(settings), host="127.0.0.1", port=free_port(), processes=0)
    assert refused.value.code == "E105" and "--processes 0" in str(refused.value)
    monkeypatch.delenv(serving.SETTINGS_ENV, raising=False)
    with pytest.raises(ConfigError) as outside:
        serving.http_process_app()
    assert outside.value.code == "E106" and "insight serve" in str(outside.value)
    monkeypatch.setenv(serving.SETTINGS_ENV, settings.model_dump_json())
    app = serving.http_process_app()
    assert app.state.settings == settings and str(app.state.engine.url) == settings.resolved_database_url
