"""Deflection savings equal the hand computation, with every assumption returned beside the numbers."""

from __future__ import annotations

from insight.attribution.deflection import deflection_savings


def test_deflection_savings_low_base_high_by_hand() -> None:
    out = deflection_savings(12, 5000, 400, 20.0, (0.01, 0.03, 0.06), (0.8, 1.0, 1.3))
    assert out["low"] == 5000 * 0.01 * 20.0 * 0.8 == 800.0
    assert out["base"] == 5000 * 0.03 * 20.0 * 1.0 == 3000.0
    assert out["high"] == round(5000 * 0.06 * 20.0 * 1.3, 2) == 7800.0
    assert out["deflected_tickets"] == {"low": 50.0, "base": 150.0, "high": 300.0}
    assert out["share_of_tickets"] == {"low": 0.125, "base": 0.375, "high": 0.75}
    named = {a["name"]: a for a in out["assumptions"]}
    assert named["solved_threads"]["value"] == 12 and named["solved_views"]["value"] == 5000
    assert (named["share_of_solved_views"]["low"], named["share_of_solved_views"]["high"]) == (0.01, 0.06)
    assert named["cost_per_ticket"]["value"] == 20.0 and named["cost_factor"]["base"] == 1.0


def test_deflection_without_a_support_cost_says_it_cannot_price() -> None:
    out = deflection_savings(3, 900, None, None, (0.01, 0.03, 0.06), (0.8, 1.0, 1.3))
    assert (out["low"], out["base"], out["high"]) == (None, None, None)
    assert out["deflected_tickets"]["base"] == 27.0 and out["share_of_tickets"] is None
    assert "support_costs" in out["note"]
