"""The README's commands run: every `insight ...` and `python ...` line of its bash blocks is run
with `--help` (cheap, and it fails when a command, subcommand or script is gone or broken), and
`insight db upgrade` on a tiny fresh database. A broken documented command fails CI."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.support.paths import PACKAGE

REPO = PACKAGE.parent
SETUP_WORDS = ("pip install", "apt-get", "venv", "pytest", "command -v")


def readme_commands() -> list[list[str]]:
    """The command lines of the README's bash blocks, comments and optional [..] parts dropped."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()]
    commands = []
    for line in lines:
        line = re.sub(r"\s+#.*$", "", line).strip()
        line = re.sub(r"\[[^\]]*\]", "", line)
        if not line or any(word in line for word in SETUP_WORDS):
            continue
        words = shlex.split(line)
        if words[0] == "nice":
            words = words[1:]
        if words[0] in ("insight", "python"):
            commands.append(words)
    return commands


def _help(words: list[str]) -> list[str]:
    """The command up to its first positional value, then --help (eager: it answers before the arguments)."""
    if words[0] == "python":
        script = words[1:3] if words[1] == "-m" else words[1:2]
        return [sys.executable, *script, "--help"]
    kept = [words[1]]
    for word in words[2:]:
        if word.startswith("-") or not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        kept.append(word)
    return kept + ["--help"]


COMMANDS = readme_commands()


def test_the_readme_documents_commands() -> None:
    assert sum(w[0] == "insight" for w in COMMANDS) >= 20 and sum(w[0] == "python" for w in COMMANDS) >= 5


@pytest.mark.parametrize("words", [w for w in COMMANDS if w[0] == "insight"], ids=" ".join)
def test_each_insight_command_of_the_readme_answers_help(words: list[str]) -> None:
    from typer.testing import CliRunner

    from insight.cli import command_line

    app = command_line()

    result = CliRunner().invoke(app, _help(words))
    assert result.exit_code == 0 and "Usage" in result.output, (words, result.output)


@pytest.mark.parametrize("words", sorted({tuple(_help(w)) for w in COMMANDS if w[0] == "python"}),
                         ids=lambda w: " ".join(w[1:]))
def test_each_python_command_of_the_readme_runs_from_the_checkout(words: tuple[str, ...]) -> None:
    env_free = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"}  # as from a fresh clone
    result = subprocess.run(list(words), cwd=REPO, capture_output=True, text=True, timeout=300, env=env_free)
    assert result.returncode == 0 and "usage" in result.stdout.lower(), result.stderr[-2000:]


def test_db_upgrade_runs_on_a_tiny_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.cli import run_cli

    result = run_cli("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path, timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
