"""Pages without a browser: empty states and bad filters are explained on the page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from insight.api import create_app
from insight.services import auth
from insight.storage.db import make_engine


def test_pages_explain_missing_taxonomy_and_bad_filters(settings) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    key = auth.create_key(engine, "admin", "fresh")["key"]
    with TestClient(create_app(settings, engine, workers=0), cookies={"insight_key": key}) as client:
        stories = client.get("/stories")
        assert stories.status_code == 200 and "No story taxonomy is stored yet" in stories.text
        queue = client.get("/queue?reason=boredom")
        assert queue.status_code == 200 and "Invalid value for --reason" in queue.text
        assert "Nothing in the queue" in client.get("/queue").text
        report = client.get("/report?period=2026-13")
        # The same coded error the API gives (E606, 400), as a page; a month with no data is E654, 404.
        assert report.status_code == 400 and "[E606]" in report.text and "use a month as YYYY-MM" in report.text
        assert "<iframe" not in report.text
        empty = client.get("/report?period=2020-01")
        assert empty.status_code == 404 and "[E654]" in empty.text and "<iframe" not in empty.text
