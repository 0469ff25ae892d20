"""Every route with every role (and with no key): 2xx for its roles and admin, 403 for others, 401 without a key."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from insight.services import auth, stories
from insight.storage.db import session_scope
from insight.storage.tables import PostRow
from insight.triage.queue import ACTIVE

ROLES = (*auth.ROLES, None)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as in the OpenAPI document
    roles: tuple[str, ...]  # who gets in besides admin
    ok: int = 200
    url: Callable[[Any, str], str] | None = None  # the concrete URL for a role
    body: dict[str, Any] | None = None
    check: Callable[[Any], bool] = field(default=lambda _answer: True)  # the answer means something


def _item(service, role: str) -> int:  # type: ignore[no-untyped-def]
    """A different active item per role, so each allowed call is a valid action."""
    items = service.client.get("/api/v1/triage/queue", headers=service.headers("admin")).json()["items"]
    return items[list(auth.ROLES).index(role)]["id"]


def _suggestion(service, role: str) -> int:  # type: ignore[no-untyped-def]
    """A different pending suggestion per role (the first seeded story is confirmed already)."""
    return service.stories[1 + list(auth.ROLES).index(role)]["suggestion_id"]


def _last_item(service, role: str) -> int:  # type: ignore[no-untyped-def]
    """An active item from the bottom of the list per role (snoozing it leaves the top items where they are)."""
    items = service.client.get("/api/v1/triage/queue?limit=500", headers=service.headers("admin")).json()["items"]
    return items[-1 - list(auth.ROLES).index(role)]["id"]


def _decided(service, role: str) -> str:  # type: ignore[no-untyped-def]
    """A confirmed suggestion to undo (confirmed again here when an earlier call undid it); the review
    route's suggestions (``_suggestion``) are others."""
    suggestion = service.stories[5 + list(auth.ROLES).index(role) % 3]["suggestion_id"]
    if any(s["suggestion_id"] == suggestion for s in stories.suggestions(service.engine, limit=None)):  # pending
        stories.review(service.engine, suggestion, "confirm", "seed-researcher")
    return f"/api/v1/stories/suggestions/{suggestion}/undo"


def _author(service) -> str:  # type: ignore[no-untyped-def]
    """A stored member key with posts."""
    with session_scope(service.engine) as session:
        return session.scalars(select(PostRow.author_id).order_by(PostRow.id)).first()  # type: ignore[return-value]


def _fresh_key(service, _role: str) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/keys/{auth.create_key(service.engine, 'reporter', 'to-revoke')['id']}"


API = [
    Route("GET", "/api/v1/triage/queue", ("moderator",),
          check=lambda a: a["total"] > 0 and all(i["status"] in ACTIVE and "evidence" in i for i in a["items"])),
    Route("GET", "/api/v1/triage/items/{item_id}", ("moderator",),
          url=lambda s, r: f"/api/v1/triage/items/{_item(s, r)}",
          check=lambda a: a["history"][0]["action"] == "open" and a["evidence"]
          and all(e["text"][s:t] for e in a["evidence"] for s, t in e["highlights"])),
    Route("POST", "/api/v1/triage/items/{item_id}/actions", ("moderator",),
          url=lambda s, r: f"/api/v1/triage/items/{_item(s, r)}/actions", body={"action": "escalate"},
          check=lambda a: a["item"]["status"] == "escalated" and a["action"]["actor"].startswith("test-")),
    Route("POST", "/api/v1/triage/refresh", ("moderator",), body={"as_of": "2026-05-20T13:00:00Z"},
          check=lambda a: a["active"] > 0),
    Route("POST", "/api/v1/triage/items/{item_id}/assign", ("moderator",),
          url=lambda s, r: f"/api/v1/triage/items/{_item(s, r)}/assign", body={"claim": True},
          check=lambda a: a["assignee"].startswith("test-") and a["action"]["action"] == "assign"),
    Route("POST", "/api/v1/triage/items/{item_id}/notes", ("moderator",),
          url=lambda s, r: f"/api/v1/triage/items/{_item(s, r)}/notes", body={"text": "Mail ann@example.com"},
          check=lambda a: a["text"] == "Mail [EMAIL]" and a["action"]["action"] == "note"),
    Route("POST", "/api/v1/triage/items/{item_id}/snooze", ("moderator",),
          url=lambda s, r: f"/api/v1/triage/items/{_last_item(s, r)}/snooze", body={"until": "2099-01-01T00:00:00Z"},
          check=lambda a: a["snoozed_until"].startswith("2099-01-01")),
    Route("POST", "/api/v1/triage/bulk", ("moderator",), body={"item_ids": [999999], "action": "acknowledge"},
          check=lambda a: a["done"] == 0 and a["skipped"][0]["item_id"] == 999999),
    Route("POST", "/api/v1/triage/undo", ("moderator",), ok=409, body={"action_ids": [999999]},
          check=lambda a: a["error"]["code"] == "E438"),
    Route("GET", "/api/v1/kpis", ("reporter",), url=lambda s, r: "/api/v1/kpis?period=2026-05",
          check=lambda a: {k["id"] for k in a} >= {"activation_rate", "unanswered_rate"}),
    Route("GET", "/api/v1/reports/{period}", ("reporter",), url=lambda s, r: "/api/v1/reports/2026-05",
          check=lambda a: a["period"] == "2026-05" and a["kpis"]),
    Route("GET", "/api/v1/influence/{period}", ("reporter",), ok=404, url=lambda s, r: "/api/v1/influence/2026-05",
          check=lambda a: a["error"]["code"] == "E730"),  # no business data stored in this service
    Route("GET", "/api/v1/retention/survival", ("reporter",),
          url=lambda s, r: "/api/v1/retention/survival?period=2026-05", check=lambda a: a[0]["cohort"] == "all"),
    Route("GET", "/api/v1/experiments", ("reporter",), check=lambda a: a == []),  # none configured
    Route("GET", "/api/v1/experiments/{name}/readout", ("reporter",), ok=404,
          url=lambda s, r: "/api/v1/experiments/none/readout", check=lambda a: a["error"]["code"] == "E658"),
    Route("GET", "/api/v1/stories/suggestions", ("researcher",),
          check=lambda a: a and all(s["status"] == "pending" and s["highlights"] for s in a)),
    Route("POST", "/api/v1/stories/suggestions/{suggestion_id}/review", ("researcher",),
          url=lambda s, r: f"/api/v1/stories/suggestions/{_suggestion(s, r)}/review", body={"decision": "confirm"},
          check=lambda a: a["status"] == "confirmed" and "test-" in a["actor"] and a["links"]),
    Route("GET", "/api/v1/stories/links/{link_id}/trace", ("researcher",),
          url=lambda s, r: f"/api/v1/stories/links/{s.links[0]}/trace",
          check=lambda a: a["sources"] and a["events"]),
    Route("GET", "/api/v1/stories/review", ("researcher",),
          check=lambda a: a["total"] > 0 and a["threshold"] == 0.5 and all(s["score_reason"] for s in a["items"])),
    Route("POST", "/api/v1/stories/suggestions/{suggestion_id}/undo", ("researcher",), url=_decided,
          check=lambda a: a["undid"] == "confirm" and a["status"] == "pending" and a["links_ended"]),
    Route("POST", "/api/v1/stories/suggestions/reject-below", ("researcher",), body={"below": 0.0},
          check=lambda a: a["rejected"] == 0),
    Route("GET", "/api/v1/stories/export.csv", ("researcher",),
          check=lambda text: text.startswith("story_id,tag,tag_name")),
    Route("POST", "/api/v1/taxonomy/preview", ("researcher",),
          body={"op": "rename", "tag": "mentor_guidance", "new_id": "mentoring"},
          check=lambda a: a["mappings"][0]["kind"] == "rename" and a["retagged"] >= 1),
    Route("POST", "/api/v1/taxonomy/changes", ("researcher",), ok=409,
          body={"op": "retire", "tag": "no_such_tag", "reason": "gone"},
          check=lambda a: a["error"]["code"] == "E629"),
    Route("GET", "/api/v1/taxonomy", ("researcher",), check=lambda a: len(a["tags"]) >= 4),
    Route("GET", "/api/v1/taxonomy/versions", ("researcher",), check=lambda a: len(a) == 1),
    Route("GET", "/api/v1/pairs", ("reporter",), url=lambda s, r: "/api/v1/pairs?period=2026-05",
          check=lambda a: a and all(p["period"] == "2026-05" and p["link_id"] for p in a)),
    Route("POST", "/api/v1/keys", (), ok=201, body={"role": "moderator", "name": "new-mod"},
          check=lambda a: a["key"].startswith("ik_") and a["role"] == "moderator"),
    Route("GET", "/api/v1/keys", (), check=lambda a: all("key" not in k and "key_hash" not in k for k in a)),
    Route("DELETE", "/api/v1/keys/{key_id}", (), url=_fresh_key, check=lambda a: a["revoked_at"] is not None),
    Route("GET", "/api/v1/jobs", (), check=lambda a: "queued" in a["by_status"]),
    Route("POST", "/api/v1/jobs/retry", (), check=lambda a: a == {"requeued": 0}),
    # member privacy (issue 19): admin only; nothing is merged or erased in the shared service
    Route("GET", "/api/v1/members/suggestions", (), check=lambda a: isinstance(a, list)),
    Route("POST", "/api/v1/members/merge", (), ok=404, body={"accounts": ["slack:nobody", "github:nobody"]},
          check=lambda a: a["error"]["code"] == "E453"),
    Route("POST", "/api/v1/members/unmerge", (), ok=404, body={"account": "slack:nobody"},
          check=lambda a: a["error"]["code"] == "E453"),
    Route("GET", "/api/v1/members/audit/verify", (), check=lambda a: a["ok"] is True),
    Route("GET", "/api/v1/members/{member}/export", (), url=lambda s, r: f"/api/v1/members/{_author(s)}/export",
          check=lambda a: a["rows"]["posts"] and a["provenance"]["stage"] == "members.export"),
    Route("POST", "/api/v1/members/{member}/erase", (), ok=404, url=lambda s, r: "/api/v1/members/slack:nobody/erase",
          body={"confirm": "slack:nobody"}, check=lambda a: a["error"]["code"] == "E453"),
]

# Pages answer with a redirect to the login page instead of 401, and a page instead of JSON.
PAGES = [
    Route("GET", "/queue", ("moderator",), check=lambda html: "Triage queue" in html and "data-item" in html),
    Route("GET", "/stories", ("researcher",), check=lambda html: "Story review" in html and "<mark>" in html),
    Route("GET", "/taxonomy", ("researcher",), check=lambda html: "Story taxonomy" in html and "op-rename" in html),
    Route("GET", "/stories/export.csv", ("researcher",), check=lambda text: text.startswith("story_id,")),
    Route("GET", "/report", ("reporter",), url=lambda s, r: "/report?period=2026-05",
          check=lambda html: "/report/view?period=2026-05" in html),
    Route("GET", "/report/view", ("reporter",), url=lambda s, r: "/report/view?period=2026-05",
          check=lambda html: "Key metrics" in html),
]

UNKEYED = {"/healthz", "/webhooks/{platform}"}  # open, or signed by the platform (tests/api/routes/test_webhooks.py)


def _expected(route: Route, role: str | None) -> int:
    if role is None:
        return 401
    return route.ok if role == "admin" or role in route.roles else 403


def test_roles_table_covers_every_route(shared_service) -> None:
    paths = shared_service.client.get("/openapi.json").json()["paths"]
    documented = {(m.upper(), p) for p, ops in paths.items() for m in ops} - {(m, p) for m in ("GET", "POST")
                                                                              for p in UNKEYED}
    assert documented == {(r.method, r.path) for r in API}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-key")
@pytest.mark.parametrize("route", API, ids=lambda r: f"{r.method} {r.path}")
def test_roles_api(shared_service, route: Route, role: str | None) -> None:
    url = route.url(shared_service, role or "admin") if route.url else route.path
    answer = shared_service.client.request(route.method, url, json=route.body, headers=shared_service.headers(role))
    expected = _expected(route, role)
    assert answer.status_code == expected, answer.text
    if expected in (401, 403):
        assert answer.json()["error"]["code"] == {401: "E701", 403: "E703"}[expected]
    else:  # allowed in: the route's own answer (a coded 404 for a route whose thing does not exist)
        assert route.check(answer.text if "text/csv" in answer.headers["content-type"] else answer.json())


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-key")
@pytest.mark.parametrize("route", PAGES, ids=lambda r: f"{r.method} {r.path}")
def test_roles_pages(shared_service, route: Route, role: str | None) -> None:
    url = route.url(shared_service, role or "admin") if route.url else route.path
    cookies = {"insight_key": shared_service.keys[role]} if role else {}
    shared_service.client.cookies.clear()
    answer = shared_service.client.request(route.method, url, cookies=cookies, follow_redirects=False)
    expected = _expected(route, role)
    if expected == 401:
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    else:
        assert answer.status_code == expected
        assert route.check(answer.text) if expected == 200 else "Not for your role" in answer.text


def test_roles_bad_and_revoked_keys_get_401(shared_service) -> None:
    client = shared_service.client
    bad = client.get("/api/v1/jobs", headers={"Authorization": "Bearer ik_00000000_nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "E702"
    made = auth.create_key(shared_service.engine, "admin", "short-lived")
    assert client.get("/api/v1/jobs", headers={"X-API-Key": made["key"]}).status_code == 200
    auth.revoke_key(shared_service.engine, made["id"])
    assert client.get("/api/v1/jobs", headers={"X-API-Key": made["key"]}).status_code == 401


def test_roles_keys_are_stored_hashed(shared_service) -> None:
    from insight.storage.tables import ApiKeyRow

    with session_scope(shared_service.engine) as session:
        stored = session.execute(select(ApiKeyRow.key_hash, ApiKeyRow.prefix)).all()
    secrets = set(shared_service.keys.values())
    assert stored and all(h not in secrets and len(h) == 64 for h, _ in stored)
    assert {auth.hash_key(k) for k in secrets} <= {h for h, _ in stored}


def test_roles_reporter_answers_carry_no_author_ids(shared_service) -> None:
    with session_scope(shared_service.engine) as session:
        authors = set(session.scalars(select(PostRow.author_id)))
    reporter = shared_service.headers("reporter")
    for url in ("/api/v1/kpis?period=2026-05", "/api/v1/pairs?period=2026-05", "/api/v1/reports/2026-05",
                "/api/v1/reports/2026-05?format=md", "/api/v1/reports/2026-05?format=html"):
        text = shared_service.client.get(url, headers=reporter).text
        assert '"author_id"' not in text
        assert not [a for a in authors if a in text], url
    assert json.loads(shared_service.client.get("/api/v1/kpis?period=2026-05", headers=reporter).text)
