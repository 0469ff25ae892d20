"""Alert rules: which queue changes are alerted (reasons, min_priority), the text (redacted, linked),
the [alerts] checks (E111-E115), and alerts queued by the queue refresh once per item episode."""

from __future__ import annotations

import pytest

from insight.config import AlertSettings, Settings
from insight.errors import ConfigError
from insight.services import alerts, triage
from insight.storage.db import make_engine
from tests.support.alerts import T, queue_item
from tests.support.triage import AS_OF, store_threads

_item = queue_item


def test_alerts_rules_reasons_and_min_priority() -> None:
    default = AlertSettings(webhook_url="http://127.0.0.1:9/h", webhook_secret="s")
    safety, frustration = _item(("safety_concern",), 1.6), _item(("rising_frustration",), 0.8)
    assert alerts.matched(default, safety, "open", ("safety_concern",)) == ("safety_concern",)
    assert alerts.matched(default, safety, "reopen", ("safety_concern",)) == ("safety_concern",)
    assert alerts.matched(default, frustration, "open", ("rising_frustration",)) == ()
    # An update alerts only for a reason that refresh newly raised, never for the item's old ones.
    assert alerts.matched(default, safety, "update", ()) == ()
    assert alerts.matched(default, safety, "update", ("safety_concern",)) == ("safety_concern",)
    wider = AlertSettings(reasons=["safety_concern", "rising_frustration"])
    assert alerts.matched(wider, frustration, "open", ("rising_frustration",)) == ("rising_frustration",)
    by_priority = AlertSettings(min_priority=0.75)
    assert alerts.matched(by_priority, frustration, "open", ("rising_frustration",)) == ("priority",)
    assert alerts.matched(by_priority, _item(("unanswered_question",), 0.5), "open", ()) == ()


@pytest.mark.parametrize(("values", "code"), [
    ({"reasons": ["safety"]}, "E111"),
    ({"webhook_url": "127.0.0.1:9000/hook", "webhook_secret": "s"}, "E112"),
    ({"slack_webhook_url": "ftp://hooks.example/x"}, "E112"),
    ({"webhook_url": "http://127.0.0.1:9/h"}, "E113"),
    ({"min_priority": 3.0}, "E114"),
])
def test_alerts_bad_settings_are_coded(values: dict, code: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as caught:
        alerts.check_settings(AlertSettings(**values))
    assert caught.value.code == code and "[alerts]" in str(caught.value)


def test_alerts_no_destination_is_e115_only_for_the_notifier() -> None:
    alerts.check_settings(AlertSettings())  # serving without alerts is fine
    with pytest.raises(ConfigError) as caught:
        alerts.check_settings(AlertSettings(), need_destination=True)
    assert caught.value.code == "E115"


def test_alerts_text_is_redacted_and_links_the_item(settings: Settings) -> None:
    settings = settings.model_copy(update={"alerts": AlertSettings(base_url="https://mod.example.org/")})
    item = _item(("safety_concern",), 1.62, title="Refund jane.doe@example.com now")
    payload = alerts.payload_for(settings, 3, item, "open", ("safety_concern",), T)
    assert "jane.doe@example.com" not in str(payload) and "[EMAIL]" in payload["text"]
    assert payload["url"].startswith("https://mod.example.org/queue?") and "sel=3" in payload["url"]
    assert payload["text"].startswith("[insight] Safety concern (new, priority 1.62) in billing:")
    assert payload["text"].endswith(payload["url"])


def _alerting(settings: Settings, **values: object) -> Settings:
    cfg = AlertSettings(webhook_url="http://127.0.0.1:9/hook", webhook_secret="s",
                        slack_webhook_url="http://127.0.0.1:9/slack", **values)  # type: ignore[arg-type]
    return settings.model_copy(update={"alerts": cfg})


def test_alerts_queued_by_the_refresh_once_per_episode(db_settings: Settings) -> None:
    settings = _alerting(db_settings)
    engine = make_engine(settings)
    store_threads(engine, settings)
    summary = triage.refresh_queue(engine, settings, as_of=AS_OF)
    safety = {i.id for i in triage.list_queue(engine, reason="safety_concern")}
    queued = alerts.list_alerts(engine, limit=None)
    assert summary["opened"] > len(safety) >= 1  # other reasons opened items too, and are not alerted
    assert {a["queue_item_id"] for a in queued} == safety
    assert sorted(a["destination"] for a in queued) == sorted(["slack", "webhook"] * len(safety))
    # Refreshing again (same time, later) changes no episode: nothing new is queued.
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    assert len(alerts.list_alerts(engine, limit=None)) == len(queued)


def test_alerts_no_destination_queues_nothing(db_settings: Settings) -> None:
    engine = make_engine(db_settings)
    store_threads(engine, db_settings)
    assert triage.refresh_queue(engine, db_settings, as_of=AS_OF)["opened"] > 0
    assert alerts.list_alerts(engine, limit=None) == []


def test_alerts_min_priority_adds_items_above_it(settings: Settings) -> None:
    settings = _alerting(settings, min_priority=0.6)
    engine = make_engine(settings)
    store_threads(engine, settings)
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    items = triage.list_queue(engine)
    wanted = {i.id for i in items if "safety_concern" in i.reasons or i.priority >= 0.6}
    assert wanted - {i.id for i in items if "safety_concern" in i.reasons}  # the threshold added items
    assert {a["queue_item_id"] for a in alerts.list_alerts(engine, limit=None)} == wanted
