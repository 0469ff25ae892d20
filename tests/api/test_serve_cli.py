"""`insight keys` and `insight serve` as a user runs them: the key works once, the server answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.api.live import free_port, wait_healthy
from tests.cli.test_commands import run_cli


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
