"""The model store: where its root comes from, what a missing file says, and that serving reads through it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from insight import model_store as ms
from insight.config import load_config
from insight.errors import ModelError
from insight.model_store import ModelStore, default_root, installed_sources, model_store
from insight.runtime.stage import StageContext
from insight.services import stories as story_service
from insight.signals.scorer import SignalsScorer, default_weights_folder
from insight.signals.stages import SignalsStage, build_sentiment_model
from insight.stories.detect import default_path
from insight.training.stories import sets
from insight.training.stories.train_detector import training_rows
from tests.support.paths import REPO


def test_the_setting_names_the_root(tmp_path: Path) -> None:
    settings = load_config(overrides={"models_dir": str(tmp_path)}, env={})
    assert model_store(settings).root == tmp_path
    (tmp_path / "signals").mkdir()
    (tmp_path / "signals" / "signals.safetensors").write_bytes(b"x")
    assert model_store(settings).path("signals", "signals.safetensors") == tmp_path / "signals" / "signals.safetensors"


def test_the_environment_overrides_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_config(env={"INSIGHT_MODELS_DIR": str(tmp_path)})
    assert settings.models_dir == str(tmp_path) and model_store(settings).root == tmp_path
    monkeypatch.setenv("INSIGHT_MODELS_DIR", str(tmp_path / "other"))
    assert model_store().root == tmp_path / "other"  # no settings given: the defaults and INSIGHT_* variables


def test_config_hash_ignores_where_the_models_are(tmp_path: Path) -> None:
    """A location, not behaviour: the hash printed in past outputs must not change."""
    base = load_config(env={})
    moved = load_config(overrides={"models_dir": str(tmp_path)}, env={"INSIGHT_MODELS_DIR": "/elsewhere"})
    assert moved.models_dir == str(tmp_path)
    assert moved.config_hash() == base.config_hash()


def test_a_missing_file_names_itself_and_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        ModelStore(tmp_path).path("signals", "signals.safetensors")
    assert err.value.code == "E301"
    assert str(tmp_path / "signals" / "signals.safetensors") in err.value.message
    assert "INSIGHT_MODELS_DIR" in err.value.message and "models_dir" in err.value.message
    assert ModelStore(tmp_path).location("signals") == tmp_path / "signals"  # writers get a path, unchecked


def test_default_root_in_a_checkout_is_its_models_folder(tmp_path: Path) -> None:
    assert default_root(REPO) == REPO / "models"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "insight"\n')
    assert default_root(tmp_path) == tmp_path / "models"


@dataclass
class _Dist:
    direct_url: str | None

    def read_text(self, name: str) -> str | None:
        return self.direct_url if name == "direct_url.json" else None


def test_default_root_elsewhere_is_the_installed_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "clone"
    (source / "models").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "some-other-project"\n')
    # A stray insight.egg-info (no direct_url.json) comes first; the real dist-info after it.
    dists = [_Dist(None), _Dist('{"url": "https://example.org/insight.whl"}'),
             _Dist(f'{{"dir_info": {{"editable": true}}, "url": "{source.as_uri()}"}}')]
    monkeypatch.setattr(ms.metadata, "distributions", lambda name: dists)
    assert installed_sources() == [source]
    assert default_root(tmp_path) == source / "models"
    monkeypatch.setattr(ms.metadata, "distributions", lambda name: dists[:2])
    assert default_root(tmp_path) == tmp_path / "models"  # nothing recorded: ./models


def test_signals_read_the_settings_store_and_models_signals_still_wins(tmp_path: Path) -> None:
    settings = load_config(overrides={"models_dir": str(tmp_path)}, env={})
    stage = SignalsStage(StageContext(settings, "run-1"))  # building never loads the weights
    assert stage.scorer.folder == tmp_path / "signals"
    with pytest.raises(ModelError) as err:
        _ = stage.scorer.revision
    assert err.value.code == "E301" and str(tmp_path / "signals" / "signals.safetensors") in err.value.message
    assert build_sentiment_model("insight.sentiment.signals.v1", settings).scorer.folder == tmp_path / "signals"
    assert default_weights_folder(settings) == tmp_path / "signals"
    chosen = load_config(overrides={"models_dir": str(tmp_path), "models": {"signals": str(REPO / "x")}}, env={})
    assert default_weights_folder(chosen) == REPO / "x"
    assert SignalsStage(StageContext(chosen, "run-1")).scorer.folder == REPO / "x"
    assert SignalsScorer(REPO / "y").folder == REPO / "y"  # an explicit folder, as before


def test_the_story_detector_comes_from_the_settings_store(tmp_path: Path) -> None:
    settings = load_config(overrides={"models_dir": str(tmp_path)}, env={})
    assert default_path(ModelStore(tmp_path)) == tmp_path / "story_tagger" / "detector.json"
    with pytest.raises(ModelError) as err:  # detection comes first: no database is touched
        story_service.tag_stored(None, settings, "run-1")  # type: ignore[arg-type]
    assert err.value.code == "E332" and str(tmp_path / "story_tagger" / "detector.json") in err.value.message


def test_the_written_story_sets_are_in_the_store(tmp_path: Path) -> None:
    assert sets.folder(ModelStore(REPO / "models")) == REPO / "models" / "story_tagger" / "sets"
    rows = training_rows(REPO / "models" / "story_tagger" / "sets")
    assert len(rows) == 168 and sum(bool(r["is_story"]) for r in rows) == 76  # as models/story_tagger/CARD.md says
    taxonomy, examples = sets.read_written("heldout", REPO / "models" / "story_tagger" / "sets")
    assert len(taxonomy.tags) == 5 and examples
    with pytest.raises(ModelError) as err:
        sets.folder(ModelStore(tmp_path))
    assert err.value.code == "E301" and str(tmp_path / "story_tagger" / "sets") in err.value.message
