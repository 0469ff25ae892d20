"""One member key per platform account, on SQLite and PostgreSQL: a members file's consent reaches
every platform's posts, whichever is ingested first, and re-ingest keeps attributes it did not receive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import MemberRow, PostRow
from tests.support.payloads import discourse_post, github_comment


def _slack(folder: Path, user: str) -> Path:
    root = folder / "slack"
    (root / "general").mkdir(parents=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "users.json").write_text(json.dumps([{"id": user, "name": "bob"}, {"id": "UANN", "name": "ann"}]))
    messages = [{"type": "message", "user": user, "text": "My private rant about billing.", "ts": "1772359200.000100"},
                {"type": "message", "user": "UANN", "text": "Search is slow today.", "ts": "1772359300.000100"}]
    (root / "general" / "2026-03-01.json").write_text(json.dumps(messages))
    return root


def _discord(folder: Path, user: str) -> Path:
    def message(mid: str, author: str, text: str) -> dict:  # type: ignore[type-arg]
        return {"id": mid, "type": "Default", "timestamp": "2026-03-01T10:00:00+00:00", "content": text,
                "author": {"id": author, "name": author, "isBot": False}, "reactions": []}

    export = {"guild": {"id": "G1", "name": "g"}, "channel": {"id": "CH1", "name": "general"},
              "messages": [message("1", user, "My private rant about billing."),
                           message("2", "999", "Search is slow today.")]}
    path = folder / "discord.json"
    path.write_text(json.dumps(export))
    return path


def _discourse(folder: Path, user: str) -> Path:
    folder.mkdir(exist_ok=True)
    for n, (uid, text) in enumerate([(int(user), "My private rant about billing."), (77, "Search is slow today.")]):
        (folder / f"post{n}.json").write_text(json.dumps(
            discourse_post(500 + n, text, user_id=uid, number=n + 1, created_at="2026-03-01T10:00:00Z")))
    return folder


def _github(folder: Path, user: str) -> Path:
    path = folder / "github.json"
    payload = github_comment(9001, "My private rant about billing.", user_id=int(user))
    payload["issue"]["user"] = {"id": 42, "login": "other", "type": "User"}
    path.write_text(json.dumps(payload))
    return path


PLATFORMS = {"slack": (_slack, "UBOB"), "discord": (_discord, "424242"), "discourse": (_discourse, "41"),
             "github": (_github, "5001")}


def _members(folder: Path, platform: str, user: str, consent: str = "false") -> Path:
    path = folder / "members.csv"
    path.write_text("author_id,platform,joined_at,motivation,segment,consent_analytics,consent_quotes\n"
                    f"{user},{platform},2025-06-01T00:00:00Z,lead,enterprise,{consent},false\n")
    return path


def _texts(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return sorted(session.scalars(select(PostRow.text)))


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("order", ["members first", "posts first"])
def test_members_file_consent_reaches_the_platform_posts(platform: str, order: str, db_settings,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    write, user = PLATFORMS[platform]
    export = write(tmp_path / "export", user) if platform == "discourse" else write(tmp_path, user)
    members = _members(tmp_path, platform, user)
    engine = make_engine(db_settings)
    if order == "members first":
        ingest_paths([members, export], engine=engine, settings=db_settings)
    else:
        ingest_paths([export], engine=engine, settings=db_settings)
        assert "My private rant about billing." in _texts(engine)
        summary = ingest_paths([members], engine=engine, settings=db_settings)
        assert summary.purged_posts == 1
    texts = _texts(engine)
    assert "My private rant about billing." not in texts
    assert platform == "github" or "Search is slow today." in texts  # the other member's post stays


@pytest.mark.parametrize("platform", ["slack", "discourse"])
def test_reingesting_an_export_keeps_member_attributes_it_did_not_receive(platform: str, db_settings,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    write, user = PLATFORMS[platform]
    export = write(tmp_path / "export", user) if platform == "discourse" else write(tmp_path, user)
    engine = make_engine(db_settings)
    ingest_paths([_members(tmp_path, platform, user, consent="true"), export], engine=engine, settings=db_settings)
    ingest_paths([export], engine=engine, settings=db_settings)
    with session_scope(engine) as session:
        rows = session.execute(select(MemberRow.motivation, MemberRow.segment, MemberRow.joined_at,
                                      MemberRow.consent_analytics).where(MemberRow.segment.is_not(None))).all()
    assert len(rows) == 1
    motivation, segment, joined, consented = rows[0]
    assert (motivation, segment, joined.year, consented) == ("lead", "enterprise", 2025, True)
    with session_scope(engine) as session:
        author = session.scalar(select(PostRow.author_id).where(PostRow.text.startswith("My private")))
        known = set(session.scalars(select(MemberRow.author_id)))
    assert author in known  # the account's posts belong to the member record, not to a second one
