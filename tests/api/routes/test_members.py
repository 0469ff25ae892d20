"""Admin member-privacy routes: suggestions, merge, footprint, erasure (confirmed by repeating the id),
the audit chain; other roles get 403."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from insight.api.app import create_app
from insight.services import auth
from insight.storage.db import make_engine
from tests.support.databases import settings_in
from tests.support.privacy import ingest_community


def test_member_privacy_routes(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    engine = make_engine(settings)
    ingest_community(engine, settings, tmp_path / "in")
    admin = {"Authorization": f"Bearer {auth.create_key(engine, 'admin', 'dpo')['key']}"}
    reporter = {"Authorization": f"Bearer {auth.create_key(engine, 'reporter', 'rep')['key']}"}
    with TestClient(create_app(settings, engine, workers=0)) as client:
        assert client.get("/api/v1/members/suggestions", headers=reporter).status_code == 403
        (suggestion,) = client.get("/api/v1/members/suggestions", headers=admin).json()
        merged = client.post("/api/v1/members/merge", headers=admin,
                             json={"accounts": [suggestion["author_a"], suggestion["author_b"]]}).json()
        assert merged["accounts"][0]["actor"] == "dpo" and merged["how"] == "admin"
        refused = client.post("/api/v1/members/merge", headers=admin, json={"accounts": ["carol", "slack:bob-s"]})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "E454"

        footprint = client.get("/api/v1/members/discourse:alice-d/export", headers=admin).json()
        assert {p["platform"] for p in footprint["rows"]["posts"]} == {"slack", "discourse"}
        missing = client.get("/api/v1/members/discourse:nobody/export", headers=admin)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "E453"

        unconfirmed = client.post("/api/v1/members/discourse:alice-d/erase", headers=admin, json={"confirm": "x"})
        assert unconfirmed.status_code == 400 and unconfirmed.json()["error"]["code"] == "E720"
        erased = client.post("/api/v1/members/discourse:alice-d/erase", headers=admin,
                             json={"confirm": "discourse:alice-d"}).json()
        assert erased["removed"]["posts"] == 3
        assert client.get("/api/v1/members/discourse:alice-d/export", headers=admin).status_code == 404
        assert client.get("/api/v1/members/audit/verify", headers=admin).json()["ok"] is True
    engine.dispose()
