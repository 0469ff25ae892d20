"""The tests' own layout, checked on their files and import graph (imports inside functions included).

- Shared code comes from ``tests.support`` only: no test module, conftest, support module or
  benchmark imports a conftest or a ``test_*`` module, or any other ``tests.*`` module.
- Conftests hold fixtures only (and pytest hooks): helpers, classes and constants go in ``tests.support``.
- The folders mirror the package: every folder under ``tests/`` (but ``support``, ``data`` and
  ``benchmarks``) is a package or subpackage of ``insight/`` and has an ``__init__.py``; a test file
  there is ``test_<module>.py`` or ``test_<module>_<aspect>.py`` for a module or subpackage of it. At
  the top: tests of the root modules (``config``, ``errors``, ...) and of the package as a whole.

A failure names the file (and line) and what to do instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.imports import copy_tree, plant, targets
from tests.support.paths import PACKAGE

TESTS = Path(__file__).resolve().parent
SHARED = ("tests", "support")
NOT_MIRRORED = frozenset({"support", "data", "benchmarks"})
# Top-level tests of the package as a whole (the others at the top test a root module).
PACKAGE_LEVEL = frozenset({"layers", "public_api", "readme", "storage_boundary", "tests_layout"})
CONFTEST_NAMES = frozenset({"pytest_plugins", "collect_ignore", "collect_ignore_glob"})


def _python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def import_problems(root: Path = TESTS) -> list[str]:
    """One line per import of shared code from anywhere but ``tests.support``."""
    problems = []
    for path in _python_files(root):
        where = path.relative_to(root.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in dict.fromkeys(targets(node, path, root)):
                parts = tuple(target.split("."))
                from_tests = parts[0] == root.name and parts[:2] != SHARED
                if from_tests or parts[-1] == "conftest" or parts[-1].startswith("test_"):
                    problems.append(f"{where}:{node.lineno}: imports {target}; shared code comes from "
                                    "tests.support, never from a conftest or another test module")
    return problems


def _is_fixture_or_hook(node: ast.FunctionDef) -> bool:
    decorators = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
    return node.name.startswith("pytest_") or any(d in ("pytest.fixture", "fixture") for d in decorators)


def conftest_problems(root: Path = TESTS) -> list[str]:
    """One line per top-level statement of a conftest that is neither a fixture, a hook nor an import."""
    problems = []
    for path in sorted(root.rglob("conftest.py")):
        where = path.relative_to(root.parent)
        body = ast.parse(path.read_text(encoding="utf-8")).body
        for i, node in enumerate(body):
            if isinstance(node, ast.Import | ast.ImportFrom) or (i == 0 and isinstance(node, ast.Expr)):
                continue  # imports, and the docstring
            if isinstance(node, ast.FunctionDef) and _is_fixture_or_hook(node):
                continue
            if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id in CONFTEST_NAMES
                                                    for t in node.targets):
                continue
            name = getattr(node, "name", None) or ast.unparse(node).splitlines()[0][:60]
            problems.append(f"{where}:{node.lineno}: {name} is not a fixture; conftests hold fixtures only "
                            "(shared code goes in tests/support)")
    return problems


def _is_package(folder: Path) -> bool:
    """A folder of Python modules (with an ``__init__.py`` or a namespace package)."""
    return folder.is_dir() and any(folder.glob("*.py"))


def _modules(folder: Path, *, packages: bool) -> set[str]:
    """The modules of an ``insight`` package folder, and its subpackages when ``packages``."""
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    if packages:
        names |= {d.name for d in folder.iterdir() if _is_package(d)}
    return names


def layout_problems(root: Path = TESTS, package: Path = PACKAGE) -> list[str]:
    """One line per test folder that is not a package of ``insight/``, and per test file named for no module."""
    problems = []
    for folder in sorted(p for p in root.rglob("*") if p.is_dir()):
        rel = folder.relative_to(root)
        if rel.parts[0] in NOT_MIRRORED or "__pycache__" in rel.parts:
            continue
        if not _is_package(package / rel):
            problems.append(f"{root.name}/{rel.as_posix()}/: no package {package.name}/{rel.as_posix()}; test "
                            f"folders mirror the package (shared code goes in {root.name}/support)")
        elif not (folder / "__init__.py").is_file():
            problems.append(f"{root.name}/{rel.as_posix()}/: no __init__.py (every test folder is a package)")
    for path in sorted(root.rglob("test_*.py")):
        rel = path.parent.relative_to(root)
        if (rel.parts and rel.parts[0] in NOT_MIRRORED) or not (package / rel).is_dir():
            continue  # a folder problem, said above
        top = not rel.parts
        known = _modules(package / rel, packages=not top) | (PACKAGE_LEVEL if top else set())
        name = path.stem.removeprefix("test_")
        if not any(name == m or name.startswith(m + "_") for m in known):
            problems.append(f"{path.relative_to(root.parent).as_posix()}: tests no module of "
                            f"{(Path(package.name) / rel).as_posix()}/; name it test_<module>.py or "
                            "test_<module>_<aspect>.py")
    return problems


def test_tests_import_shared_code_only_from_support() -> None:
    problems = import_problems()
    assert not problems, "\n".join(problems)


def test_conftests_hold_fixtures_only() -> None:
    problems = conftest_problems()
    assert not problems, "\n".join(problems)


def test_test_folders_and_files_mirror_the_package() -> None:
    problems = layout_problems()
    assert not problems, "\n".join(problems)


def _copy(tmp_path: Path) -> Path:
    return copy_tree(TESTS, tmp_path, "data")


def test_imports_from_conftests_and_test_modules_fail_naming_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert import_problems(root) == []
    first = plant(root, "api/routes/test_stories.py", "from tests.api.conftest import shared_service")
    second = plant(root, "cli/test_serve.py", "from .test_commands import posts_csv")
    third = plant(root, "support/cli.py", "from tests.triage import test_rank")
    fourth = plant(root, "services/test_triage.py", "import tests.web.conftest")
    assert import_problems(root) == [
        f"tests/api/routes/test_stories.py:{first}: imports tests.api.conftest; shared code comes from "
        "tests.support, never from a conftest or another test module",
        f"tests/cli/test_serve.py:{second}: imports tests.cli.test_commands; shared code comes from "
        "tests.support, never from a conftest or another test module",
        f"tests/services/test_triage.py:{fourth}: imports tests.web.conftest; shared code comes from "
        "tests.support, never from a conftest or another test module",
        f"tests/support/cli.py:{third}: imports tests.triage.test_rank; shared code comes from "
        "tests.support, never from a conftest or another test module",
    ]


def test_a_helper_in_a_conftest_fails_naming_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert conftest_problems(root) == []
    line = plant(root, "storage/conftest.py", "pass") - 1  # the ``def`` line
    problems = conftest_problems(root)
    assert problems == [f"tests/storage/conftest.py:{line}: _planted is not a fixture; conftests hold fixtures "
                        "only (shared code goes in tests/support)"]


def test_folders_and_files_that_mirror_nothing_fail(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert layout_problems(root) == []
    (root / "widgets").mkdir()
    (root / "widgets" / "__init__.py").touch()
    (root / "triage" / "test_ranking.py").touch()  # ``rank`` is a module; ``ranking`` is not
    (root / "test_api.py").touch()  # a package's tests go in its folder
    (root / "api" / "routes" / "__init__.py").unlink()
    assert layout_problems(root) == [
        "tests/api/routes/: no __init__.py (every test folder is a package)",
        "tests/widgets/: no package insight/widgets; test folders mirror the package (shared code goes in "
        "tests/support)",
        "tests/test_api.py: tests no module of insight/; name it test_<module>.py or test_<module>_<aspect>.py",
        "tests/triage/test_ranking.py: tests no module of insight/triage/; name it test_<module>.py or "
        "test_<module>_<aspect>.py",
    ]
