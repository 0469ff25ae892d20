"""Annotations file: good notes load sorted, bad entries are named and skipped, unusable files stop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from insight.errors import InputError
from insight.reports.annotations import load_annotations
from insight.services.demo import DEMO_ANNOTATIONS

GOOD = """
[[annotations]]
date = 2026-10-21
kind = "incident"
title = "API 504s"
kpis = ["median_first_response_hours"]

[[annotations]]
date = "2026-07-01"
end = 2026-09-30
kind = "experiment"
title = "Mentor pilot"
cohort = "motivation=learn"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_annotations_load_sorted_by_date_with_their_scope(tmp_path: Path) -> None:
    notes, problems = load_annotations(write(tmp_path, GOOD))
    assert problems == []
    assert [n.title for n in notes] == ["Mentor pilot", "API 504s"]
    pilot, incident = notes
    assert (pilot.date, pilot.end, pilot.cohort) == (date(2026, 7, 1), date(2026, 9, 30), "motivation=learn")
    assert pilot.concerns("retention_90d")  # no kpis listed: it may concern every KPI
    assert incident.concerns("median_first_response_hours") and not incident.concerns("activation_rate")
    assert incident.as_dict()["date"] == "2026-10-21"


@pytest.mark.parametrize(("entry", "detail"), [
    ('date = "21/10/2026"\nkind = "release"\ntitle = "x"', "date '21/10/2026'"),
    ('date = 2026-10-21\nkind = "launch"\ntitle = "x"', "kind 'launch'"),
    ('date = 2026-10-21\nkind = "event"\ntitle = ""', "title: required"),
    ('date = 2026-10-21\nkind = "event"\ntitle = "x"\nowner = "me"', "unknown field 'owner'"),
    ('date = 2026-10-21\nend = 2026-10-01\nkind = "experiment"\ntitle = "x"', "end 2026-10-01 is before"),
    ('date = 2026-10-21\nkind = "event"\ntitle = "x"\nkpis = "activation_rate"', "kpis: a list"),
])
def test_a_bad_entry_is_skipped_with_a_coded_message_and_the_rest_load(tmp_path: Path, entry: str,
                                                                      detail: str) -> None:
    notes, problems = load_annotations(write(tmp_path, GOOD + "\n[[annotations]]\n" + entry + "\n"))
    assert len(notes) == 2
    assert len(problems) == 1 and problems[0].startswith("[E653]")
    assert "annotations[2]" in problems[0] and detail in problems[0]


def test_unusable_annotation_files_stop_with_a_code(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        load_annotations(tmp_path / "nope.toml")
    assert missing.value.code == "E651"
    with pytest.raises(InputError) as broken:
        load_annotations(write(tmp_path, "[[annotations]\ndate = "))
    assert broken.value.code == "E652"
    with pytest.raises(InputError) as empty:
        load_annotations(write(tmp_path, 'title = "no tables"'))
    assert empty.value.code == "E652" and "[[annotations]]" in str(empty.value)


def test_the_demo_annotations_load_cleanly_and_cover_the_planted_october_incidents() -> None:
    notes, problems = load_annotations(DEMO_ANNOTATIONS)
    assert problems == []
    october = [n for n in notes if n.date >= date(2026, 10, 20)]
    titles = " ".join(n.title for n in october)
    # The planted frustration threads (API 504s, SAML, pods after 2.10.3), the billing thread and the showcase.
    for word in ("504", "SAML", "2.10.3", "charged twice", "ThreadLens"):
        assert word in titles
