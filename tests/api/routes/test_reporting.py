"""Reporting routes: intervals in the KPI values, survival, experiments, and a coded 404 for an empty month."""

from __future__ import annotations


def test_a_month_with_no_data_is_a_coded_404_on_every_reporting_route(service) -> None:  # type: ignore[no-untyped-def]
    reporter = service.headers("reporter")
    for path in ("/api/v1/pairs?period=2025-01", "/api/v1/kpis?period=2025-01", "/api/v1/reports/2025-01",
                 "/api/v1/retention/survival?period=2025-01"):
        answer = service.client.get(path, headers=reporter)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "E654", path


def test_kpi_values_carry_their_intervals(service) -> None:  # type: ignore[no-untyped-def]
    kpis = service.client.get("/api/v1/kpis?period=2026-05", headers=service.headers("reporter")).json()
    measured = [k for k in kpis if k["n"] >= 2 and k["kind"] == "rate"]
    assert measured
    for kpi in measured:
        assert kpi["ci_low"] <= kpi["value"] <= kpi["ci_high"]
        assert {"change_ci_low", "change_ci_high", "change_p_value", "relative_change", "evidence"} <= set(kpi)
        assert all(c["n"] >= service.settings.reports.min_cohort_n for c in kpi["cohorts"])


def test_survival_and_experiments_routes(service) -> None:  # type: ignore[no-untyped-def]
    reporter = service.headers("reporter")
    rows = service.client.get("/api/v1/retention/survival?period=2026-05", headers=reporter).json()
    assert rows[0]["cohort"] == "all" and rows[0]["n"] >= 1
    assert {"median_days", "median_ci_low", "median_ci_high", "curve"} <= set(rows[0])
    assert service.client.get("/api/v1/experiments", headers=reporter).json() == []  # none configured
    missing = service.client.get("/api/v1/experiments/nope/readout", headers=reporter)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E658"
    assert service.client.get("/api/v1/retention/survival?period=2026-05").status_code == 401


def test_a_malformed_request_is_a_coded_error_not_a_bare_422(service) -> None:  # type: ignore[no-untyped-def]
    answer = service.client.get("/api/v1/kpis", headers=service.headers("reporter"))  # period missing
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "E661" and "period" in answer.json()["error"]["message"]
