"""`insight members ...` and `insight retention apply`: JSON out, the footprint written to a file,
coded refusals for a missing actor or an unconfirmed erasure."""

from __future__ import annotations

import json
from pathlib import Path

from insight.storage.db import make_engine
from tests.support.cli import cli_json
from tests.support.databases import settings_in
from tests.support.privacy import ALICE_TEXTS, ingest_community


def test_members_commands_from_suggestion_to_erasure(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    engine = make_engine(settings)
    ingest_community(engine, settings, tmp_path / "in")
    engine.dispose()
    db = ["--db", settings.database_url]

    found = cli_json("members", "suggestions", *db)
    assert found["count"] == 1 and found["suggestions"][0]["confidence"] == 0.8
    assert cli_json("members", "merge", "slack:bob-s", "discourse:bob-d", *db)["error"] == "E680"
    merged = cli_json("members", "merge", "slack:bob-s", "discourse:bob-d", "--actor", "ana", *db)
    assert merged["how"] == "admin" and merged["person_id"].startswith("p_")
    assert cli_json("members", "unmerge", "slack:bob-s", "--actor", "ana", *db)["person_id"] == merged["person_id"]

    out = tmp_path / "alice.json"
    summary = cli_json("members", "export", "slack:alice-s", "--output", str(out), *db)
    assert summary["rows"]["posts"] == 3 and len(summary["accounts"]) == 2
    written = json.loads(out.read_text())
    assert sorted(p["text"] for p in written["rows"]["posts"]) == sorted(ALICE_TEXTS)

    assert cli_json("members", "erase", "slack:alice-s", "--actor", "ana", *db)["error"] == "E681"
    assert cli_json("members", "erase", "slack:alice-s", "--yes", *db)["error"] == "E680"
    erased = cli_json("members", "erase", "slack:alice-s", "--actor", "ana", "--yes", *db)
    assert erased["removed"]["posts"] == 3 and erased["erasure_id"] == 1
    assert cli_json("members", "export", "slack:alice-s", *db)["error"] == "E453"
    assert cli_json("members", "verify", *db)["ok"] is True
    applied = cli_json("retention", "apply", *db)
    assert applied["posts_raw_text_expired"] == 0 and applied["run_id"]  # nothing scored yet: raw text stays
