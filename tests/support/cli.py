"""The ``insight`` command line as a user runs it (a subprocess) and in process (one JSON line back)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_cli(*args: str, cwd: Path, env_extra: dict[str, str] | None = None,
            timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``python -m insight *args`` in ``cwd``, writing under it; the caller's database URL is not passed on."""
    env = {**os.environ, "INSIGHT_DATA_DIR": str(cwd), **(env_extra or {})}
    env.pop("INSIGHT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "insight", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def cli_json(*args: str) -> dict[str, Any]:
    """In process: the last line printed, as JSON; an insight error as {"error": code, "message": text}."""
    from typer.testing import CliRunner

    from insight.cli import command_line
    from insight.errors import InsightError

    result = CliRunner().invoke(command_line(), list(args))
    if isinstance(result.exception, InsightError):
        return {"error": result.exception.code, "message": str(result.exception)}
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])
