"""The community influence section's display rows: money, shares, intervals and assumptions in words."""

from __future__ import annotations

from insight.attribution.deflection import deflection_savings
from insight.reports.influence_rows import influence_context


def test_influence_rows_word_every_number() -> None:
    section = {
        "window": {"start": "2026-05-01", "end": "2026-11-01", "lookback_days": 90.0},
        "models": [{"model": "position_based", "influenced_revenue": 12345.6, "community_share": 0.256,
                    "influenced_pipeline": 500.0, "pipeline_share": None, "total_revenue": 48000.0,
                    "by_kind": {"thread_answer": 9000.0, "office_hours": 3345.6}}],
        "spread": {"min_share": 0.2, "max_share": 0.3}, "influenced_any_touch": 20000.0,
        "engaged_vs_matched": [{"metric": "close_rate", "engaged_rate": 0.5, "matched_rate": 0.3, "difference": 0.2,
                                "ci_low": 0.05, "ci_high": 0.35, "p_value": 0.01, "n": 60, "raw_difference": 0.25,
                                "unmatched_engaged": 2}],
        "claim": "Association, not causation.",
        "deflection_savings": deflection_savings(4, 1000, 300, 20.0, (0.01, 0.03, 0.06), (0.8, 1.0, 1.3)),
        "story": {"quote": None, "reason": "no confirmed story is told by a member of an influenced account"},
    }
    rows = influence_context(section)
    assert rows is not None
    model = rows["models"][0]
    assert (model["model"], model["revenue"], model["share"], model["pipeline_share"]) == (
        "Position-based", "12,346", "25.6%", "n/a")
    assert model["kinds"] == "thread_answer 9,000, office_hours 3,346"
    matched = rows["matched"][0]
    assert (matched["difference"], matched["interval"], matched["p"]) == ("+20.0 pp", "95% CI +5.0 to +35.0 pp",
                                                                          "p = 0.010")
    assert rows["savings"] == {"low": "160", "base": "600", "high": "1,560"}  # 1000 views x share x 20 x factor
    assert {"name": "share_of_solved_views", "value": "0.01 / 0.03 / 0.06 (low / base / high)",
            "source": section["deflection_savings"]["assumptions"][2]["source"]} in rows["assumptions"]
    assert influence_context(None) is None
