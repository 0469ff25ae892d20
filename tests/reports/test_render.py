"""Tests for insight.reports.render: both formats from one hand-built ReportData."""

from __future__ import annotations

import re

import pytest

from insight.errors import InputError
from insight.reports.formatting import format_change, format_value
from insight.reports.render import ReportData, chart_files, render_report

KPIS = [
    {
        "id": "activation_rate",
        "name": "Activation rate",
        "direction": "up",
        "category": "health",
        "value": 0.25,
        "previous": 0.2,
        "n": 40,
        "cohorts": [
            {"cohort": "motivation=learn", "value": 0.5, "n": 4},
            {"cohort": "segment=agency", "value": None, "n": 0},
        ],
        "definition": "Share of new members who post within 30 days of joining.",
    },
    {
        "id": "median_first_response_hours",
        "name": "Median first response",
        "direction": "down",
        "category": "quality",
        "value": 4.0,
        "previous": 5.5,
        "n": 12,
        "cohorts": [],
        "definition": "Hours a question waits for its first response.",
    },
    {
        "id": "unanswered_rate",
        "name": "Unanswered rate",
        "direction": "down",
        "category": "quality",
        "value": 0.3,
        "previous": 0.1,
        "n": 1250,
        "cohorts": [],
        "definition": "Share of questions nobody responded to.",
    },
    {
        "id": "time_to_first_value",
        "name": "Time to first value",
        "direction": "down",
        "category": "impact",
        "value": None,
        "previous": 2.0,
        "n": 0,
        "cohorts": [],
        "definition": "Days to a first response.",
    },
]
FORMATTED = {
    "Activation rate": "25.0%",
    "Median first response": "4.0 h",
    "Unanswered rate": "30.0%",
    "Time to first value": "n/a",
}


def report(**changes) -> ReportData:
    fields = {
        "title": "Community report",
        "period": "2026-03",
        "generated_for": "2026-04-01T00:00:00+00:00",
        "run": {
            "run_id": "run-42",
            "config_hash": "cfg123",
            "input_hash": "in456",
            "models": {"sentiment": "vader-3.3.2", "embedder": "all-MiniLM-L6-v2@packaged"},
        },
        "kpis": KPIS,
        "topics": [
            {"topic": 0, "label": "install | pip", "words": ["pip", "install", "wheel"], "size": 1200, "share": 0.3}
        ],
        "sentiment_by_channel": [{"channel": "help", "positive": 0.2, "neutral": 0.5, "negative": 0.3, "n": 100}],
        "queue": [
            {
                "thread_id": "t9",
                "title": "Crash on start",
                "channel": "help",
                "priority": 0.87,
                "reasons": ["unanswered_question", "rising_frustration"],
                "explanation": "No answer after 50 h; replies getting angrier.",
            }
        ],
        "notes": ["3 members excluded: no analytics consent."],
    }
    fields.update(changes)
    return ReportData(**fields)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_every_kpi_name_and_value_appears(fmt):
    out = render_report(report(), fmt)
    for name, value in FORMATTED.items():
        assert name in out
        assert value in out
    for text in ("run-42", "cfg123", "in456", "vader-3.3.2", "pip, install, wheel", "1,250", "unanswered question"):
        assert text in out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_is_deterministic(fmt):
    assert render_report(report(), fmt) == render_report(report(), fmt)


def test_render_html_escapes_user_text():
    out = render_report(report(title="<script>alert(1)</script> & co"), "html")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in out


def test_render_markdown_keeps_user_text_out_of_html_and_table_syntax():
    out = render_report(report(title="<script>x</script>"), "md")
    assert not re.search(r"(?<!\\)<script>", out)
    assert r"\<script>" in out
    # Every row of a table has as many unescaped pipes as its header ("install | pip" is escaped).
    for block in re.findall(r"(?:^\|.*\n)+", out, flags=re.M):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(counts) == 1, block


def test_render_html_is_self_contained_and_accessible():
    out = render_report(report(), "html")
    assert out.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in out
    assert "<style>" in out
    for external in ("<link", "<script", "src=", "http://", "https://", "@import"):
        assert external not in out
    assert '<th scope="col">' in out
    assert "<caption>" in out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_missing_values_show_na(fmt):
    out = render_report(report(), fmt)
    assert "n/a" in out  # time_to_first_value has no value, so no change either
    html_or_md_row = "segment=agency"
    assert html_or_md_row in out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_changes_respect_direction(fmt):
    out = render_report(report(), fmt)
    text = re.sub(r"<[^>]+>", "", out)  # compare the visible text
    assert "▲ +5.0 pp, better" in text  # activation up, up is good
    assert "▼ -1.5 h, better" in text  # response time down, down is good
    assert "▲ +20.0 pp, worse" in text  # unanswered up, down is good


@pytest.mark.parametrize(
    ("value", "previous", "unit", "direction", "label"),
    [
        (0.25, 0.20, "rate", "up", "▲ +5.0 pp, better"),
        (0.20, 0.25, "rate", "up", "▼ -5.0 pp, worse"),
        (4.0, 5.5, "hours", "down", "▼ -1.5 h, better"),
        (3.0, 2.0, "days", "down", "▲ +1.0 days, worse"),
        (2.0, 1.5, "number", None, "▲ +0.50"),
        (0.2501, 0.25, "rate", "up", "no change"),
        (None, 0.25, "rate", "up", "n/a"),
        (0.25, None, "rate", "up", "n/a"),
        (float("nan"), 0.25, "rate", "up", "n/a"),
    ],
)
def test_render_format_change(value, previous, unit, direction, label):
    assert format_change(value, previous, unit, direction).label == label


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.25, "rate", "25.0%"),
        (4.04, "hours", "4.0 h"),
        (3.5, "days", "3.5 days"),
        (1.5, "number", "1.50"),
        (None, "rate", "n/a"),
    ],
)
def test_render_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_render_empty_sections_say_so():
    out = render_report(report(kpis=[], topics=[], sentiment_by_channel=[], queue=[], notes=[]), "md")
    assert "No KPI values for this period." in out
    assert "No threads need attention." in out
    assert "## Notes" not in out


def test_render_unknown_format_is_rejected():
    with pytest.raises(InputError) as err:
        render_report(report(), "pdf")  # type: ignore[arg-type]
    assert err.value.code == "E606"


# --- narrative parts: charts, annotations, stories, headline ------------------------------------

TREND = [{"period": p, "value": v, "n": 40} for p, v in (("2026-01", 0.18), ("2026-02", 0.2), ("2026-03", 0.25))]
STORY = {"kpi_id": "activation_rate", "story_id": "s1", "tag": "mentor_guidance", "cohort": "motivation=learn",
         "quote": "A mentor walked me through my first deploy.", "source_posts": 2, "tagger": "person:ana",
         "channel": "help", "reason": "chosen from 1 consented of 2 candidate stories"}


def narrative_report(story=STORY) -> ReportData:  # type: ignore[no-untyped-def]
    activation = {**KPIS[0], "trend": TREND, "story": story,
                  "cohorts": [{"cohort": "motivation=learn", "value": 0.5, "previous": 0.3, "n": 10, "impact": 2.0,
                               "change": 0.2}],
                  "annotations": [{"mark": "1", "date": "2026-03-02", "kind": "experiment", "title": "Mentor pilot"}]}
    head = {"win": {"kpi_id": "activation_rate", "relative_change": 0.25, "cohort": "motivation=learn"},
            "worry": None, "experiment": None}
    return report(kpis=[activation, *KPIS[1:]], headline=head)


def test_render_html_inlines_a_trend_chart_and_the_story_per_kpi() -> None:
    out = render_report(narrative_report(), "html")
    article = out[out.index('data-kpi="activation_rate"'):out.index('data-kpi="median_first_response_hours"')]
    assert 'data-chart="kpi-activation_rate-trend"' in article and "<svg" in article
    assert 'data-chart="kpi-activation_rate-cohorts"' in article
    assert "A mentor walked me through my first deploy." in article and "confirmed by a person" in article
    assert "2026-03-02, experiment: Mentor pilot" in re.sub(r"<[^>]+>", "", article)
    # The caption says in words what the chart shows (text alternative).
    assert "2026-01 18.0% (n=40), 2026-02 20.0% (n=40), 2026-03 25.0% (n=40)" in article
    assert "Activation rate: 20.0% to 25.0% (▲ +5.0 pp, better; +25% relative), n=40." in out
    assert "Largest contribution: motivation=learn, 30.0% to 50.0% (n=10)." in out
    for external in ("<script", "src=", "http://", "https://"):
        assert external not in out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_never_shows_words_without_consent(fmt) -> None:  # type: ignore[no-untyped-def]
    private = {**STORY, "quote": None, "reason": "none of the 2 candidate stories has quote consent"}
    out = render_report(narrative_report(private), fmt)
    assert "A mentor walked me through" not in out
    assert "No consented story for this KPI: none of the 2 candidate stories has quote consent." in out


def test_render_markdown_links_chart_images_that_chart_files_provides() -> None:
    data = narrative_report()
    out = render_report(data, "md")
    files = chart_files(data)
    assert "report-2026-03-charts/kpi-activation_rate-trend.png" in files
    for path, png in files.items():
        assert f"]({path})" in out
        assert png.startswith(b"\x89PNG")
    assert chart_files(data) == files  # same data, same bytes
    assert "![Activation rate trend: 2026-01 18.0% (n=40)" in out


def test_render_claim_gives_the_values_own_relative_change_for_lower_is_better_kpis() -> None:
    # Response hours fell 5.5 -> 4.0: a win, worded as the value's own change, -27%, as in the JSON.
    head = {"win": {"kpi_id": "median_first_response_hours", "relative_change": -1.5 / 5.5, "cohort": None},
            "worry": None, "experiment": None}
    out = render_report(report(headline=head), "md")
    line = next(x for x in out.splitlines() if "5.5" in x and "relative" in x)
    assert "-27% relative" in line and "+27%" not in line
