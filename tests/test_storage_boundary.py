"""The storage boundary: only ``insight.storage`` builds queries or touches ORM tables, and storage
imports nothing above it.

``boundary_violations`` reads every module with ``ast`` (imports inside functions included) and
names file and line of each breach:

- outside ``insight/storage/``: importing ``insight.storage.tables``; importing a SQLAlchemy name
  that builds a query (``select``, ``func``, ...), or using one through the module
  (``sqlalchemy.select``); running a statement on a session (``.execute``, ``.scalar``, ``.scalars``).
  ``Engine`` and ``Session`` as types are fine;
- inside it: importing an ``insight`` module other than records, config, errors and storage itself.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tests.support.paths import PACKAGE

QUERY_NAMES = frozenset({"select", "update", "delete", "insert", "func", "case", "text", "and_", "or_", "cast"})
SESSION_CALLS = frozenset({"execute", "scalar", "scalars"})
STORAGE_MAY_IMPORT = ("insight.records", "insight.config", "insight.errors", "insight.storage")


def _imports(tree: ast.AST) -> list[tuple[int, str, str | None, str | None]]:
    """(line, module, imported name or None, local alias) of every import in the tree."""
    out: list[tuple[int, str, str | None, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, None, a.asname or a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out += [(node.lineno, node.module, a.name, a.asname or a.name) for a in node.names]
    return out


def _outside_storage(tree: ast.AST, where: str) -> list[str]:
    found, sqlalchemy_aliases = [], set()
    for line, module, name, alias in _imports(tree):
        full = f"{module}.{name}" if name else module
        if full == "insight.storage.tables" or full.startswith("insight.storage.tables."):
            found.append(f"{where}:{line}: imports insight.storage.tables (ORM rows stay in storage)")
        elif module.split(".")[0] == "sqlalchemy":
            if name in QUERY_NAMES:
                found.append(f"{where}:{line}: imports sqlalchemy's {name} (queries belong in insight.storage)")
            elif name is None:
                sqlalchemy_aliases.add(alias)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr in QUERY_NAMES and isinstance(node.value, ast.Name) and node.value.id in sqlalchemy_aliases:
            found.append(f"{where}:{node.lineno}: uses sqlalchemy.{node.attr} (queries belong in insight.storage)")
        elif node.attr in SESSION_CALLS:
            found.append(f"{where}:{node.lineno}: calls .{node.attr}() (statements run in insight.storage)")
    return found


def _inside_storage(tree: ast.AST, where: str) -> list[str]:
    found = []
    for line, module, name, _ in _imports(tree):
        full = f"{module}.{name}" if name else module
        if full.split(".")[0] == "insight" and full != "insight" and not full.startswith(STORAGE_MAY_IMPORT):
            found.append(f"{where}:{line}: storage imports {full} (storage imports only records, config, errors)")
    return found


def boundary_violations(package: Path) -> list[str]:
    """Every breach of the storage boundary in the modules under ``package`` (an ``insight`` folder)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if relative.parts[:2] == ("insight", "storage"):
            found += _inside_storage(tree, str(relative))
        else:
            found += _outside_storage(tree, str(relative))
    return found


def test_only_storage_builds_queries_and_storage_imports_nothing_above_it() -> None:
    assert boundary_violations(PACKAGE) == []


def _plant(root: Path, relative: str, source: str) -> None:
    path = root / "insight" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def test_the_checker_names_file_and_line_of_planted_violations(tmp_path: Path) -> None:
    _plant(tmp_path, "services/fine.py", """\
        from sqlalchemy import Engine
        from sqlalchemy.orm import Session
        from insight.storage import posts
        from insight.storage.db import session_scope
        """)
    _plant(tmp_path, "services/bad.py", """\
        from sqlalchemy import Engine


        def count(engine: Engine) -> int:
            from sqlalchemy import func, select
            from insight.storage.tables import PostRow
            with engine.connect() as conn:
                return conn.scalar(select(func.count(PostRow.id)))
        """)
    _plant(tmp_path, "api/worse.py", """\
        import sqlalchemy as sa
        from insight.storage import tables

        QUERY = sa.text("select 1")
        """)
    _plant(tmp_path, "storage/fine.py", """\
        from sqlalchemy import select
        from insight.records import Post
        from insight.storage.tables import PostRow
        """)
    _plant(tmp_path, "storage/upward.py", """\
        def rule():
            from insight.privacy import consent
            return consent
        """)
    found = boundary_violations(tmp_path / "insight")
    assert found == [
        "insight/api/worse.py:2: imports insight.storage.tables (ORM rows stay in storage)",
        "insight/api/worse.py:4: uses sqlalchemy.text (queries belong in insight.storage)",
        "insight/services/bad.py:5: imports sqlalchemy's func (queries belong in insight.storage)",
        "insight/services/bad.py:5: imports sqlalchemy's select (queries belong in insight.storage)",
        "insight/services/bad.py:6: imports insight.storage.tables (ORM rows stay in storage)",
        "insight/services/bad.py:8: calls .scalar() (statements run in insight.storage)",
        "insight/storage/upward.py:2: storage imports insight.privacy.consent "
        "(storage imports only records, config, errors)",
    ]
