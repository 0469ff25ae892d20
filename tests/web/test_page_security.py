"""Cookie-authenticated forms: CSRF token (double submit) and Origin check; login rate limit."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from insight.api import create_app
from insight.services import auth, triage
from insight.storage.db import make_engine
from tests.support.triage import AS_OF, store_threads


def _client(settings) -> tuple[TestClient, str, int]:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    store_threads(engine, settings)
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    item = triage.list_queue(engine)[0].id
    key = auth.create_key(engine, "moderator", "mod-ana")["key"]
    return TestClient(create_app(settings, engine, workers=0), follow_redirects=False), key, item


def _login(client: TestClient, key: str) -> str:
    answer = client.post("/login", data={"key": key, "next": "/queue"})
    assert answer.status_code == 303
    page = client.get("/queue").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token and token.group(1) == client.cookies.get("insight_csrf")
    return token.group(1)


def test_forms_need_the_session_token_and_this_origin(settings) -> None:  # type: ignore[no-untyped-def]
    client, key, item = _client(settings)
    with client:
        token = _login(client, key)
        url = f"/queue/{item}/act"
        no_token = client.post(url, data={"action": "acknowledge"})
        assert no_token.status_code == 403 and "E711" in no_token.text
        wrong = client.post(url, data={"action": "acknowledge", "csrf": token[:-2] + "xx"})
        assert wrong.status_code == 403
        other_port = client.post(url, data={"action": "acknowledge", "csrf": token},
                                 headers={"Origin": "http://testserver:8081"})
        assert other_port.status_code == 403 and "another origin" in other_port.text
        assert triage.list_queue(client.app.state.engine)[0].status == "open"  # nothing happened
        done = client.post(url, data={"action": "acknowledge", "csrf": token}, headers={"Origin": "http://testserver"})
        assert done.status_code == 303 and "error" not in done.headers["location"]
        # Every form of a team's day is refused the same way without the token (issue 18).
        for path, data in ((f"/queue/{item}/assign", {"claim": "1"}), (f"/queue/{item}/note", {"text": "x"}),
                           (f"/queue/{item}/snooze", {"hours": "1"}), ("/queue/bulk", {"action": "resolve",
                                                                                     "item_ids": str(item)}),
                           ("/queue/undo", {"action_ids": "1"})):
            refused = client.post(path, data=data)
            assert refused.status_code == 403 and "E711" in refused.text, path
        assert triage.queue_history(client.app.state.engine, item)[-1].action == "acknowledge"  # nothing happened
        assert client.post("/logout", data={}).status_code == 403
        assert client.post("/logout", data={"csrf": token}).status_code == 303


def test_login_is_rate_limited_per_client(settings) -> None:  # type: ignore[no-untyped-def]
    limited = settings.model_copy(update={"api": settings.api.model_copy(update={"login_failures_per_minute": 5})})
    client, key, _ = _client(limited)
    with client:
        codes = [client.post("/login", data={"key": f"wrong-{n}"}).status_code for n in range(8)]
        assert codes == [401] * 5 + [429] * 3
        refused = client.post("/login", data={"key": key})  # even the right key waits: no oracle
        assert refused.status_code == 429 and "E712" in refused.text and int(refused.headers["retry-after"]) > 0
        assert client.post("/login", data={"key": key}, headers={"Origin": "http://evil.example"}).status_code == 403
