"""The report service on the demo's stored data: reproducible, consent-safe, every KPI told."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from insight.config import load_config
from insight.errors import InputError
from insight.services import reports
from insight.services.demo import DEMO_ANNOTATIONS
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow
from insight.topics import text

pytestmark = pytest.mark.slow


def build(settings, out: Path, formats=("json", "html", "md"), annotations=DEMO_ANNOTATIONS):  # type: ignore[no-untyped-def]
    # The demo's registered experiment, as the demo's own report reads it.
    experiments = Path(settings.data_dir) / "data" / "experiments.toml"
    data = reports.build_report(make_engine(settings), settings, "2026-10", annotations=annotations,
                                experiments=experiments)
    return data, reports.write_report(data, out, formats)


def test_report_twice_on_the_same_data_is_byte_identical(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary, demo_out, settings = demo_run
    _, first = build(settings, tmp_path / "a")
    _, second = build(settings, tmp_path / "b")
    for fmt in ("json", "html", "md"):
        assert Path(first[fmt]).read_bytes() == Path(second[fmt]).read_bytes(), fmt
    charts_a = sorted((tmp_path / "a" / "report-2026-10-charts").iterdir())
    assert len(charts_a) >= 16  # a trend and a cohort chart per KPI, topics, sentiment
    for png in charts_a:
        assert png.read_bytes() == (tmp_path / "b" / "report-2026-10-charts" / png.name).read_bytes()
    # The demo's own report came from the same inputs and config: the same JSON, run id included.
    assert Path(first["json"]).read_bytes() == (demo_out / "report-2026-10.json").read_bytes()
    record = json.loads(Path(first["json"]).read_text())["run"]
    assert re.fullmatch(r"report-[0-9a-f]{16}", record["run_id"])
    assert re.fullmatch(r"[0-9a-f]{64}", record["input_hash"])
    assert record["inputs"]["posts"]["rows"] > 2000 and record["inputs"]["signals"]["rows"] > 2000
    assert record["seeds"] == {"topics": 42} and record["insight_version"]
    assert any(stage.startswith("insight.signals") for stage in record["models"])
    assert summary["run_id"] in record["pipeline_runs"]


def test_the_input_hash_follows_the_stored_content(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary, _, _ = demo_run
    source = Path(summary["database"].removeprefix("sqlite:///"))
    copy = tmp_path / "copy.db"
    shutil.copy(source, copy)
    settings = load_config(overrides={"database_url": f"sqlite:///{copy}", "data_dir": str(tmp_path)}, env={})
    before = reports.build_report(make_engine(settings), settings, "2026-10").run
    with session_scope(make_engine(settings)) as session:
        pk = session.scalar(select(PostRow.id).order_by(PostRow.id).limit(1))
        session.execute(update(PostRow).where(PostRow.id == pk).values(text_redacted="edited text"))
    after = reports.build_report(make_engine(settings), settings, "2026-10").run
    assert after["inputs"]["posts"]["rows"] == before["inputs"]["posts"]["rows"]
    assert after["inputs"]["posts"]["sha256"] != before["inputs"]["posts"]["sha256"]
    assert after["input_hash"] != before["input_hash"] and after["run_id"] != before["run_id"]
    assert after["inputs"]["signals"] == before["inputs"]["signals"]


def test_every_kpi_has_a_trend_a_number_and_a_consented_story_or_a_note(  # type: ignore[no-untyped-def]
        demo_run, tmp_path: Path) -> None:
    _, _, settings = demo_run
    data, paths = build(settings, tmp_path)
    html = Path(paths["html"]).read_text()
    pairs = {p["story_id"]: p for p in data.story_metric_pairs}
    told = 0
    for kpi in data.kpis:
        # Six months back, but not before the first stored post (June): no 0% artefacts before the data.
        assert [t["period"] for t in kpi["trend"]] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
        assert kpi["value"] is not None and kpi["n"] > 0
        article = html[html.index(f'data-kpi="{kpi["id"]}"'):]
        article = article[:article.index("</article>")]
        assert f'data-chart="kpi-{kpi["id"]}-trend"' in article
        assert re.search(r'<span class="value" data-value>[0-9.]+( ?%| h| days)?</span>', article)
        assert f"n = {kpi['n']:,}" in article
        story = kpi["story"]
        if story["quote"]:
            told += 1
            assert pairs[story["story_id"]]["quote"] is not None  # only consented words
            assert story["quote"][:40] in article.replace("&#39;", "'").replace("&quot;", '"')
        else:
            assert "No consented story for this KPI" in article
    assert told >= 6  # the demo's confirmed stories cover most KPIs
    assert {p["tagger"].split(":")[0] for p in data.story_metric_pairs} == {"person"}  # confirmed in review
    # A story whose member did not consent to quotes may be a candidate, but its words never show.
    private = [p for p in data.story_metric_pairs if p["quote"] is None]
    with session_scope(make_engine(settings)) as session:
        words = [session.scalar(select(PostRow.text_redacted).where(PostRow.post_id == p["source_post_ids"][0]))
                 for p in private]
    for fmt in ("html", "md", "json"):
        text = Path(paths[fmt]).read_text()
        assert not [w for w in words if w and w[:60] in text], fmt
    assert not {k["story"]["story_id"] for k in data.kpis} & {p["story_id"] for p in private}


def test_headline_and_sections_are_derived_from_the_data(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, settings = demo_run
    data, paths = build(settings, tmp_path, ("html",))
    by_id = {k["id"]: k for k in data.kpis}
    win, worry, plan = data.headline["win"], data.headline["worry"], data.headline["experiment"]
    ranking = data.headline["ranking"]
    # Win and worry are the strongest eligible evidence each way, shown with the whole ranking.
    assert worry["kpi_id"] == next(r["kpi_id"] for r in ranking if r["eligible"] and r["verdict"] == "worse")
    assert win["kpi_id"] == next(r["kpi_id"] for r in ranking if r["eligible"] and r["verdict"] == "better")
    assert worry["evidence"]["p_value"] < 0.05 and worry["verdict"] == "worse"
    assert by_id[worry["kpi_id"]]["value"] == worry["value"] and plan["kpi_id"] == worry["kpi_id"]
    assert plan["per_arm"] and plan["months"] and (plan["months"] <= 3) == plan["feasible"]
    # One sign convention: relative_change is the value's own change over the evidence's span.
    start, end = worry["evidence"]["from_value"], worry["evidence"]["to_value"]
    assert worry["relative_change"] == pytest.approx((end - start) / abs(start))
    # The planted October incidents annotate the response KPIs; the rising-frustration threads show as a topic.
    marks = {a["title"] for a in by_id["median_first_response_hours"]["annotations"]}
    assert "API gateway 504 timeouts on /v2 endpoints" in marks
    assert data.topic_moves["rising"] and data.topic_moves["falling"]
    assert {s["cohort"].split("=")[0] for s in data.sentiment_by_cohort} == {"motivation", "segment"}
    assert data.queue and any("safety_concern" in q["reasons"] for q in data.queue)
    # The worsening KPI is told with a story of what got in the way (the demo taxonomy's friction tag),
    # the improving one with a story of what worked.
    assert by_id[worry["kpi_id"]]["story"]["valence"] == "friction"
    assert by_id[worry["kpi_id"]]["story"]["tag"] == "left_waiting"
    assert by_id[win["kpi_id"]]["story"]["valence"] == "mechanism"
    # Topic labels name subjects; the mood of the frustrated threads is sentiment's to report.
    labels = [w for t in data.topics for w in t["label"].split(", ")]
    assert labels and not text.mood_words(labels)
    html = Path(paths["html"]).read_text()
    assert 'data-card="win"' in html and 'data-card="experiment"' in html and "per arm" in html
    assert "data-ranking" in html and "Evidence:" in html


def test_report_rejects_a_period_without_data_and_names_bad_annotations(  # type: ignore[no-untyped-def]
        demo_run, tmp_path: Path) -> None:
    _, _, settings = demo_run
    with pytest.raises(InputError) as err:
        reports.build_report(make_engine(settings), settings, "2025-01")
    assert err.value.code == "E654" and "2026-06 to 2026-10" in str(err.value)
    notes = tmp_path / "notes.toml"
    notes.write_text('[[annotations]]\ndate = 2026-10-02\nkind = "release"\ntitle = "ok"\n\n'
                     '[[annotations]]\ndate = 2026-10-03\nkind = "oops"\ntitle = "bad"\n\n'
                     '[[annotations]]\ndate = 2026-01-05\nend = 2026-06-15\nkind = "experiment"\ntitle = "long"\n\n'
                     '[[annotations]]\ndate = 2026-01-05\nend = 2026-05-31\nkind = "experiment"\ntitle = "over"\n')
    data = reports.build_report(make_engine(settings), settings, "2026-10", annotations=notes)
    # The trend window starts in June (the first stored month): a pilot running into June is on the charts.
    assert [a["title"] for a in data.annotations] == ["long", "ok"]
    assert [(a["mark"], a["period"]) for a in data.kpis[0]["annotations"]] == [("1", "2026-06"), ("2", "2026-10")]
    assert any(n.startswith("[E653]") and "annotations[1]" in n for n in data.notes)


def test_story_candidates_are_empty_before_a_taxonomy_is_stored(settings) -> None:  # type: ignore[no-untyped-def]
    assert reports.story_candidates(make_engine(settings), settings, "2026-10") == []


def test_cli_report_writes_the_json_and_names_bad_files(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary, demo_out, _ = demo_run
    env = {**os.environ, "INSIGHT_DATA_DIR": str(tmp_path)}
    env.pop("INSIGHT_DATABASE_URL", None)
    base = [sys.executable, "-m", "insight", "report", "--period", "2026-10", "--db", summary["database"],
            "--out", str(tmp_path)]
    done = subprocess.run([*base, "--format", "json", "--annotations", str(DEMO_ANNOTATIONS),
                           "--kpis", str(demo_out / "data" / "kpis.toml"),
                           "--experiments", str(demo_out / "data" / "experiments.toml")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(printed["report"]).read_bytes() == (demo_out / "report-2026-10.json").read_bytes()
    with pytest.raises(InputError) as missing:
        build(load_config(overrides={"database_url": summary["database"]}, env={}), tmp_path, ("json",),
              annotations=tmp_path / "none.toml")
    assert missing.value.code == "E651"


def test_every_number_has_its_interval_in_json_chart_and_words(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, settings = demo_run
    data, paths = build(settings, tmp_path, ("json", "md"))
    for kpi in data.kpis:
        assert kpi["ci_low"] <= kpi["value"] <= kpi["ci_high"], kpi["id"]
        assert kpi["change_ci_low"] is not None and kpi["change_ci_low"] <= kpi["change"] <= kpi["change_ci_high"]
        for cohort in kpi["cohorts"]:
            assert cohort["n"] >= settings.reports.min_cohort_n and "ci_low" in cohort and "change_ci_low" in cohort
        for point in kpi["trend"]:
            assert point["value"] is None or point["ci_low"] <= point["value"] <= point["ci_high"]
    md = Path(paths["md"]).read_text()
    assert "95% CI" in md and "within noise" in md
    spec = json.dumps(reports.report_charts(data)["kpi-retention_90d-trend"])
    assert '"y2": {"field": "high"' in spec  # the error bars, from the interval's bounds


def test_the_demo_experiment_is_read_out_with_its_planted_effect(demo_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, settings = demo_run
    data, paths = build(settings, tmp_path, ("md",))
    readout = next(e for e in data.experiments if e["name"] == "answer-reminder")
    assert readout["design"] == "randomised" and readout["ci_low"] > 0 and readout["p_value"] < 0.05
    assert set(readout["n_per_arm"]) == {"reminder", "control"} and min(readout["n_per_arm"].values()) >= 30
    # Registered experiments appear as annotations on their KPI.
    marks = [a["title"] for a in next(k for k in data.kpis if k["id"] == "solution_acceptance_rate")["annotations"]]
    assert any("answer-reminder" in m for m in marks)
    md = Path(paths["md"]).read_text()
    assert "## Experiments" in md and "## Retention as survival" in md and "Uplift +" in md
    assert data.survival[0]["cohort"] == "all" and data.queue_total is not None and data.queue_total >= len(data.queue)
