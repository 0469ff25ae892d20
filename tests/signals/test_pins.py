"""The signals weights are checked against their sha256 pins in model.toml when they load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from insight.errors import ModelError
from insight.signals.pins import read_pins, sha256_of, verify, write_pins
from insight.signals.scorer import load_model, load_safety
from tests.support.paths import REPO

SIGNALS = REPO / "models" / "signals"


def test_every_shipped_weights_file_matches_its_pin() -> None:
    pins = read_pins(SIGNALS)
    assert {"signals.safetensors"} <= set(pins)
    assert verify(SIGNALS, tuple(pins)) == pins


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "signals"
    shutil.copytree(SIGNALS, folder, ignore=shutil.ignore_patterns("sets", "*.md", "*.jsonl"))
    return folder


def test_a_changed_weights_file_stops_loading_with_e310(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    data = bytearray((folder / "signals.safetensors").read_bytes())
    data[-1] ^= 0xFF  # one flipped byte in the last weight
    (folder / "signals.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"\[E310\].*signals.safetensors") as info:
        load_model(str(folder))
    assert "fit_heads" in str(info.value)  # says how to rebuild


def test_a_weights_file_without_a_pin_stops_loading_with_e311(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "model.toml").write_text('name = "no pins"\n')
    with pytest.raises(ModelError, match=r"\[E311\]"):
        load_model(str(folder))


@pytest.mark.skipif(not (SIGNALS / "heads.json").exists(), reason="no adapted heads shipped")
def test_a_changed_safety_threshold_file_stops_loading_with_e310(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "heads.json").write_text((folder / "heads.json").read_text().replace('"threshold"', '"threshold" ', 1))
    with pytest.raises(ModelError, match=r"\[E310\].*heads.json"):
        load_safety(str(folder))


def test_write_pins_updates_the_files_table_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"one")
    (tmp_path / "model.toml").write_text('name = "x"\n\n[files]\n"a.bin" = "stale"\n"b.bin" = "kept"\n')
    assert write_pins(tmp_path, ("a.bin", "missing.bin")) == {"a.bin": sha256_of(tmp_path / "a.bin")}
    text = (tmp_path / "model.toml").read_text()
    assert text.startswith('name = "x"\n') and "stale" not in text and text.count("[files]") == 1
    assert read_pins(tmp_path) == {"a.bin": sha256_of(tmp_path / "a.bin"), "b.bin": "kept"}
