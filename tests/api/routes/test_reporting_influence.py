"""GET /api/v1/influence/{period}: the report's community influence section, with coded errors."""

from __future__ import annotations

from pathlib import Path

from insight.services.business import ingest_business


def _business(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accounts.csv").write_text("account_id,segment,plan\nacct-1,smb,pro\nacct-2,smb,pro\n")
    (folder / "touchpoints.csv").write_text("touchpoint_id,account_id,occurred_at,kind\n"
                                            "x1,acct-1,2026-05-02T10:00:00Z,office_hours\n"
                                            "x2,acct-1,2026-05-04T10:00:00Z,sales_meeting\n")
    (folder / "outcomes.csv").write_text("outcome_id,account_id,kind,occurred_at,amount\n"
                                         "w1,acct-1,closed_won,2026-05-10T00:00:00Z,1000\n"
                                         "l2,acct-2,closed_lost,2026-05-12T00:00:00Z,0\n")
    return sorted(folder.iterdir())


def test_influence_route_answers_coded_errors_then_the_section(shared_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, reporter = shared_service.client, shared_service.headers("reporter")
    empty = client.get("/api/v1/influence/2026-05", headers=reporter)
    assert empty.status_code == 404 and empty.json()["error"]["code"] == "E730"
    assert client.get("/api/v1/influence/2026-05").status_code == 401
    assert client.get("/api/v1/influence/2026-05", headers=shared_service.headers("moderator")).status_code == 403
    ingest_business(_business(tmp_path / "b"), engine=shared_service.engine, settings=shared_service.settings)
    answer = client.get("/api/v1/influence/2026-05", headers=reporter)
    assert answer.status_code == 200
    models = {m["model"]: m for m in answer.json()["models"]}
    assert models["first_touch"]["influenced_revenue"] == 1000.0 and models["first_touch"]["community_share"] == 1.0
    assert models["last_touch"]["influenced_revenue"] == 0.0  # the sales meeting came last
    assert models["linear"]["influenced_revenue"] == 500.0
    one = client.get("/api/v1/influence/2026-05?model=linear", headers=reporter).json()
    assert [m["model"] for m in one["models"]] == ["linear"]
    unknown = client.get("/api/v1/influence/2026-05?model=u_shaped", headers=reporter)
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "E661"  # the documented enum
    report = client.get("/api/v1/reports/2026-05", headers=reporter).json()
    assert report["community_influence"]["models"] == answer.json()["models"]  # one truth: the stored report
    no_posts = client.get("/api/v1/influence/2025-01", headers=reporter)
    assert no_posts.status_code == 404 and no_posts.json()["error"]["code"] == "E654"
