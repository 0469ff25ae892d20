"""Tests for insight.metrics.dictionary: the packaged KPI dictionary and validation of user files."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.errors import ConfigError
from insight.metrics.dictionary import FIELDS, KpiDefinition, load_kpi_dictionary
from insight.metrics.kpis import COMPUTED_KPI_IDS

VALID_ENTRY = """
[[kpis]]
id = "activation_rate"
name = "Activation rate"
definition = "Share of new members who post within 30 days."
formula = "activated / joined"
source = "computed"
owner = "community-team"
cadence = "monthly"
direction = "up"
kind = "leading"
category = "health"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kpis.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_dictionary_default_has_every_computed_kpi_and_support_deflection():
    kpis = load_kpi_dictionary()
    computed = [k.id for k in kpis.values() if k.source == "computed"]
    assert computed == list(COMPUTED_KPI_IDS)
    assert kpis["support_deflection"].source == "external"
    assert len(kpis) == len(COMPUTED_KPI_IDS) + 1  # every computed KPI and support deflection


def test_dictionary_default_entries_are_complete():
    for kpi in load_kpi_dictionary().values():
        assert isinstance(kpi, KpiDefinition)
        assert all(getattr(kpi, name) for name in FIELDS)
        assert kpi.direction in ("up", "down")
    kpis = load_kpi_dictionary()
    assert kpis["unanswered_rate"].direction == "down"
    assert kpis["activation_rate"].direction == "up"


def test_dictionary_reads_a_user_file(tmp_path):
    kpis = load_kpi_dictionary(write(tmp_path, VALID_ENTRY))
    assert list(kpis) == ["activation_rate"]
    assert kpis["activation_rate"].is_computed


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        (('direction = "up"', 'direction = "sideways"'), "kpis[1].direction", "up, down"),
        (('owner = "community-team"', ""), "kpis[1].owner", "required"),
        (('kind = "leading"', 'kind = "leading"\ncolour = "red"'), "kpis[1].colour", "unknown field"),
        (('category = "health"', 'category = "fun"'), "kpis[1].category", "advocacy"),
        (('cadence = "monthly"', "cadence = 30"), "kpis[1].cadence", "string"),
        (('id = "retention_90d"', 'id = "retention_90"'), "kpis[1].id", "computes only"),
        (('source = "computed"', 'source = "guessed"'), "kpis[1].source", "external"),
    ],
)
def test_dictionary_invalid_entry_names_file_index_and_field(tmp_path, change, field, detail):
    second = VALID_ENTRY.replace('"activation_rate"', '"retention_90d"').replace(*change)
    path = write(tmp_path, VALID_ENTRY + second)
    with pytest.raises(ConfigError) as err:
        load_kpi_dictionary(path)
    assert err.value.code == "E103"
    assert f"{path}: {field}" in str(err.value)
    assert detail in str(err.value)


def test_dictionary_duplicate_id_is_rejected(tmp_path):
    path = write(tmp_path, VALID_ENTRY + VALID_ENTRY)
    with pytest.raises(ConfigError) as err:
        load_kpi_dictionary(path)
    assert "kpis[1].id" in str(err.value)
    assert "duplicate" in str(err.value)


def test_dictionary_external_kpis_may_have_any_id(tmp_path):
    entry = VALID_ENTRY.replace('"activation_rate"', '"nps"').replace('"computed"', '"external"')
    assert list(load_kpi_dictionary(write(tmp_path, entry))) == ["nps"]


@pytest.mark.parametrize("text", ["", 'title = "x"', "kpis = []"])
def test_dictionary_without_kpis_is_rejected(tmp_path, text):
    with pytest.raises(ConfigError) as err:
        load_kpi_dictionary(write(tmp_path, text))
    assert err.value.code == "E103"
    assert ": kpis" in str(err.value)


def test_dictionary_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError) as missing:
        load_kpi_dictionary(tmp_path / "nope.toml")
    assert missing.value.code == "E101"
    with pytest.raises(ConfigError) as bad:
        load_kpi_dictionary(write(tmp_path, "[[kpis]\nid ="))
    assert bad.value.code == "E102"
