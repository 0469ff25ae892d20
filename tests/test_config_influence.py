"""[attribution] and [deflection] settings: inconsistent ranges and weights are coded config errors."""

from __future__ import annotations

from typing import Any

import pytest

from insight.config import load_config
from insight.errors import ConfigError


@pytest.mark.parametrize("overrides,code", [
    ({"deflection": {"share_of_solved_views": [0.05, 0.03, 0.06]}}, "E120"),
    ({"deflection": {"cost_factor": [0.8, 1.0]}}, "E120"),
    ({"deflection": {"share_of_solved_views": [0.1, 0.5, 1.5]}}, "E120"),
    ({"attribution": {"position_first": 0.7, "position_last": 0.5}}, "E121"),
    ({"attribution": {"blend_weights": {"u_shaped": 1.0}}}, "E122"),
    ({"attribution": {"blend_weights": {"linear": -1.0}}}, "E122"),
])
def test_config_influence_bad_settings_are_coded(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(ConfigError) as found:
        load_config(overrides=overrides, env={})
    assert found.value.code == code


def test_config_influence_defaults_and_overrides() -> None:
    settings = load_config(overrides={"attribution": {"half_life_days": 14.0}}, env={})
    assert settings.attribution.half_life_days == 14.0 and settings.attribution.lookback_days == 90.0
    assert settings.deflection.share_of_solved_views == [0.01, 0.03, 0.06]
    assert sum(settings.attribution.blend_weights.values()) == pytest.approx(1.0)
