from __future__ import annotations

from pathlib import Path

import pytest

from insight.config import DEFAULT_PSEUDONYM_KEY, load_config
from insight.errors import ConfigError


def test_config_defaults_validate() -> None:
    settings = load_config(env={})
    assert settings.environment == "development"
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("insight.db")


def test_config_user_file_overrides_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[topics]\nseed = 7\n[triage]\nunanswered_sla_hours = { "*" = 24, "help" = 4 }\n')
    settings = load_config(path, env={})
    assert settings.topics.seed == 7
    assert settings.topics.min_topic_size == 10  # untouched defaults stay
    assert settings.triage.sla_hours("help") == 4
    assert settings.triage.sla_hours("general") == 24


@pytest.mark.parametrize("content,code", [("[topics]\nsede = 3\n", "E103"), ("[topics\n", "E102")])
def test_config_bad_file_is_refused_with_code(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert info.value.code == code
    assert str(path) in str(info.value) or "sede" in str(info.value)


def test_config_missing_file() -> None:
    with pytest.raises(ConfigError, match=r"\[E101\]"):
        load_config("/nonexistent/insight.toml", env={})


def test_config_env_overrides_top_level_keys() -> None:
    settings = load_config(env={"INSIGHT_DATABASE_URL": "postgres://u@h/db", "INSIGHT_ENVIRONMENT": "test"})
    assert settings.resolved_database_url == "postgresql+psycopg://u@h/db"
    assert settings.environment == "test"


@pytest.mark.parametrize("environment", ["production", "test"])
def test_config_default_pseudonym_key_refused_outside_development(environment: str) -> None:
    settings = load_config(env={"INSIGHT_ENVIRONMENT": environment})
    assert settings.pseudonym_key == DEFAULT_PSEUDONYM_KEY
    with pytest.raises(ConfigError) as info:
        settings.checked_pseudonym_key()
    assert info.value.code == "E104"
    ok = load_config(env={"INSIGHT_ENVIRONMENT": environment, "INSIGHT_PSEUDONYM_KEY": "s3cret-" * 6})
    assert ok.checked_pseudonym_key() == ("s3cret-" * 6).encode()


def test_config_hash_changes_with_outputs_not_secrets() -> None:
    a = load_config(env={})
    b = load_config(env={"INSIGHT_PSEUDONYM_KEY": "other"})
    c = load_config(overrides={"topics": {"seed": 1}}, env={})
    assert a.config_hash() == b.config_hash()
    assert a.config_hash() != c.config_hash()
