"""The members page (admins only), without a browser: a suggestion merged with its evidence shown, a
person's account unmerged, both audited; other roles are refused; a refused merge says why."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from insight.api import create_app
from insight.services import auth, members
from insight.storage.db import make_engine
from tests.support.privacy import ingest_community


def _token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_members_page_merges_a_suggestion_and_unmerges_an_account(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    ingest_community(engine, settings, tmp_path / "in")
    admin = auth.create_key(engine, "admin", "dpo-ana")["key"]
    moderator = auth.create_key(engine, "moderator", "mod")["key"]
    app = create_app(settings, engine, workers=0)
    with TestClient(app, cookies={"insight_key": moderator}) as client:
        assert client.get("/members").status_code == 403
    with TestClient(app, follow_redirects=False) as client:
        assert client.post("/login", data={"key": admin, "next": "/members"}).status_code == 303
        page = client.get("/members").text
        # Bob's two accounts share a username and said nothing on linking: a suggestion, not a link.
        (bob,) = members.suggestions(engine)
        assert f'data-pair="{bob["author_a"]}|{bob["author_b"]}"' in page
        assert "same username on slack and discourse" in page and "0.80" in page
        # Alice consented on both platforms with one e-mail: already one person, shown with unmerge buttons.
        alice = next(p for p in members.linked_persons(engine) if len(p["accounts"]) == 2)
        assert f'data-person="{alice["person_id"]}"' in page
        done = client.post("/members/merge", data={"account_a": bob["author_a"], "account_b": bob["author_b"],
                                                   "note": "same person, asked by mail", "csrf": _token(page)},
                           follow_redirects=False)
        assert done.status_code == 303 and "Linked+into+person" in done.headers["location"]
        assert any(set(p["accounts"]) == {bob["author_a"], bob["author_b"]} for p in members.linked_persons(engine))
        page = client.get("/members").text
        undone = client.post("/members/unmerge", data={"account": alice["accounts"][0], "csrf": _token(page)},
                             follow_redirects=False)
        assert undone.status_code == 303 and "taken+out+of+person" in undone.headers["location"]
        assert not any(alice["accounts"][0] in p["accounts"] for p in members.linked_persons(engine))
        again = client.post("/members/unmerge", data={"account": alice["accounts"][0], "csrf": _token(page)},
                            follow_redirects=False)
        assert "E456" in again.headers["location"] or "not+linked" in again.headers["location"].lower()
    assert members.verify_audit(engine)["ok"]
