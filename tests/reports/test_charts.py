"""Charts render offline to SVG and PNG, deterministically, with direct labels and dashed annotations."""

from __future__ import annotations

from insight.reports import charts

POINTS = [{"period": "2026-08", "y": 79.5, "label": "79.5%"}, {"period": "2026-09", "y": 82.1, "label": "82.1%"},
          {"period": "2026-10", "y": 83.3, "label": "83.3%"}]


def test_trend_chart_labels_every_point_and_draws_annotations_dashed() -> None:
    spec = charts.trend_spec(POINTS, [{"period": "2026-09", "mark": "4"}], title="Activation rate", y_title="percent")
    svg = charts.to_svg(spec)
    assert svg.startswith("<svg")
    for text in ("79.5%", "82.1%", "83.3%", "Activation rate", ">4<"):
        assert text in svg
    assert "stroke-dasharray" in svg  # the annotation rule: dashed, not told apart by colour
    assert charts.to_svg(charts.trend_spec(POINTS, [], title="t", y_title="y")).count("stroke-dasharray") == 0


def test_charts_are_deterministic_in_both_formats() -> None:
    make = lambda: charts.change_bars_spec(  # noqa: E731
        [{"name": "motivation=learn", "change": -5.2, "label": "▼ -5.2 pp, worse; n=40", "verdict": "worse"},
         {"name": "segment=startup", "change": 3.1, "label": "▲ +3.1 pp, better; n=22", "verdict": "better"}],
        title="By cohort", x_title="percent")
    assert make() == make()
    assert charts.to_svg(make()) == charts.to_svg(make())
    png = charts.to_png(make())
    assert png.startswith(b"\x89PNG") and png == charts.to_png(make())
    svg = charts.to_svg(make())
    assert "worse; n=40" in svg and "better; n=22" in svg  # the verdict is words, colour only repeats it


def test_sentiment_chart_labels_segments_with_their_share() -> None:
    svg = charts.to_svg(charts.sentiment_spec(
        [{"name": "help", "positive": 0.2, "neutral": 0.5, "negative": 0.3}], title="Sentiment"))
    for text in ("pos 20%", "neu 50%", "neg 30%", "help"):
        assert text in svg
