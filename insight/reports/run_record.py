"""The run record every report carries: what went in, which models and seeds, which config.

The same inputs must regenerate the same report byte for byte, so the record holds no clock
time and no random id: the report's id is a hash of the record itself. Inputs are hashed row
by row (``snapshot``), per table, so a changed post, signal or consent flag changes the
hash even when every count stays the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

RENDERER_PACKAGES = ("altair", "vl-convert-python", "jinja2")


def snapshot(rows: Iterable[Iterable[Any]]) -> dict[str, Any]:
    """Row count and SHA-256 of rows given in a stable order (each row a tuple of plain values)."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps([_plain(v) for v in row], ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def text_digest(text: str | bytes | None) -> str | None:
    """SHA-256 of a file's content (or None when there is no file)."""
    if text is None:
        return None
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def run_record(*, inputs: Mapping[str, Mapping[str, Any]], models: Mapping[str, str], seeds: Mapping[str, int],
               config: Mapping[str, Any], settings_hash: str, insight_version: str,
               pipeline_runs: Iterable[str]) -> dict[str, Any]:
    """The report's provenance, with ``run_id`` and ``input_hash`` derived from the content.

    Args:
        inputs: per table ``snapshot`` results.
        models: ``{stage: "model@revision"}`` of the stored outputs the report reads.
        seeds: random seeds of those outputs (e.g. ``{"topics": 42}``).
        config: the report's own settings (trend length, thresholds, file digests).
        settings_hash: ``Settings.config_hash()``.
        insight_version: the package version.
        pipeline_runs: run ids of the stored outputs read (signals, topics, triage).
    """
    input_hash = hashlib.sha256(json.dumps(dict(sorted(inputs.items())), sort_keys=True).encode()).hexdigest()
    config_hash = hashlib.sha256(json.dumps({"settings": settings_hash, **config}, sort_keys=True,
                                            default=str).encode()).hexdigest()[:12]
    record: dict[str, Any] = {
        "input_hash": input_hash,
        "config_hash": config_hash,
        "settings_hash": settings_hash,
        "insight_version": insight_version,
        "models": dict(sorted(models.items())),
        "seeds": dict(sorted(seeds.items())),
        "config": dict(sorted(config.items())),
        "renderers": {name: _version(name) for name in RENDERER_PACKAGES},
        "pipeline_runs": sorted(set(pipeline_runs)),
        "inputs": dict(sorted(inputs.items())),
    }
    report_hash = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()
    return {"run_id": f"report-{report_hash[:16]}", **record}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite gives naive UTC times, PostgreSQL aware ones: one form for both.
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 9)  # the last bits of a float may differ between databases; 9 digits do not
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None
