"""Reading a source tree's imports with ``ast``, and planting a violation in a copy of it.

Shared by the checks that hold the package's layers (``tests/test_layers.py``) and the tests'
own layout (``tests/test_tests_layout.py``): both name file and line of what they find, and
both show they fail by planting an import in a copied tree.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    """``root/a/b.py`` -> ``<root name>.a.b``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(root: Path, dotted: str) -> bool:
    """Whether ``<root name>.a.b`` is a module or package under ``root`` (an attribute is not)."""
    path = root.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def targets(node: ast.Import | ast.ImportFrom, path: Path, root: Path) -> list[str]:
    """The modules an import statement in ``path`` reads, relative imports resolved.

    ``from a.b import c`` reads ``a.b.c`` when that is a module under ``root``, else ``a.b``.
    """
    if isinstance(node, ast.Import):
        return list(dict.fromkeys(alias.name for alias in node.names))
    source = module_name(path, root).split(".")
    base = source if path.name == "__init__.py" else source[:-1]
    prefix = base[: len(base) - node.level + 1] if node.level else []
    target = ".".join([*prefix, node.module] if node.module else prefix)
    inside = target.split(".")[0] == root.name
    return list(dict.fromkeys(f"{target}.{a.name}" if inside and is_module(root, f"{target}.{a.name}") else target
                              for a in node.names))


def copy_tree(source: Path, tmp_path: Path, *ignore: str) -> Path:
    """A copy of ``source`` under ``tmp_path`` (same folder name), without ``__pycache__`` or ``ignore``."""
    root = tmp_path / source.name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__", *ignore))
    return root


def plant(root: Path, relative: str, line: str) -> int:
    """Append ``line`` inside a new function of ``root/relative``; the line number it lands on."""
    path = root / relative
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())
