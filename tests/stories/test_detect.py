"""The story detector: its weights match their pin; missing or wrong weights are a coded error."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

from insight.errors import ModelError
from insight.stories.detect import default_path, load_detector
from tests.support.paths import REPO

pytestmark = pytest.mark.slow


def test_detector_weights_match_their_pin() -> None:
    pin = tomllib.loads((REPO / "models" / "story_tagger" / "model.toml").read_text())
    assert hashlib.sha256(default_path().read_bytes()).hexdigest() == pin["detector"]["sha256"]
    assert load_detector().revision == pin["detector"]["sha256"][:12]


def test_detector_missing_or_wrong_weights_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        load_detector(tmp_path / "nope.json")
    assert err.value.code == "E332"
    bad = tmp_path / "short.json"
    bad.write_text(json.dumps({"coef": [0.1, 0.2], "intercept": 0, "threshold": 0.5}))
    with pytest.raises(ModelError):
        load_detector(bad)
