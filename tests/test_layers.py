"""The package's layers, checked on its import graph (imports inside functions included).

From the top: entry points (``cli``, ``api``, ``web``, ``training``) → ``services`` → domain packages
→ ``storage`` → the base (``records``, ``config``, ``errors``, ...). A module may import its own
package, and packages of its layer or below; never above. Packages of one layer must not form a
cycle, and a few edges within a layer are ruled out by name (the pages never import the API; only
training imports training). A failure names the importing file and line and the edge it adds.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import insight
from tests.support.imports import copy_tree, module_name, plant, targets

PACKAGE = Path(insight.__file__).parent

FACADE = "insight"  # the public API (``insight/__init__.py``): for users, never imported from inside
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("entry points", frozenset({FACADE, "cli", "api", "web", "training", "__main__"})),
    ("services", frozenset({"services"})),
    ("domain", frozenset({"ingest", "signals", "safety", "privacy", "topics", "stories", "triage", "metrics",
                          "reports", "runtime", "demo", "attribution"})),
    ("storage", frozenset({"storage"})),
    ("base", frozenset({"records", "config", "errors", "version", "model_store"})),
)
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}
# Edges allowed by the layers but not wanted: (from, to); "*" is any package.
RULED_OUT = {("web", "api"): "the pages have their own router and dependencies",
             ("*", "training"): "training and evaluation are imported only by their own commands"}


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, dotted
    target: str  # imported module, dotted
    where: str  # file:line

    def packages(self) -> tuple[str, str]:
        return package_of(self.source), package_of(self.target)

    def __str__(self) -> str:
        return f"{self.where}: {self.source} -> {self.target}"


def package_of(module: str) -> str:
    """``insight.storage.db`` -> ``storage``; ``insight.records`` -> ``records``; ``insight`` -> the facade."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else FACADE


def _type_only(tree: ast.AST) -> set[ast.AST]:
    """Imports under ``if TYPE_CHECKING:``: never run, so they add no edge."""
    return {inner for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for stmt in node.body for inner in ast.walk(stmt)}


def imports(root: Path) -> list[Edge]:
    """Every import of ``insight.*`` in the package under ``root`` (migrations left out: Alembic runs them).

    ``from a.b import c`` is an edge to the module ``a.b.c`` when there is one, else to ``a.b``.
    """
    edges = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        source = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_only(tree)
        for node in ast.walk(tree):
            if node in skipped or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = targets(node, path, root)
            for name in names:
                if name == FACADE or name.startswith(FACADE + "."):
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    edges.append(Edge(source, name, where))
    return edges


def violations(root: Path = PACKAGE) -> list[str]:
    """What breaks the layers under ``root``, one line per offending import or cycle."""
    problems = []
    graph: dict[str, dict[str, Edge]] = defaultdict(dict)
    for edge in imports(root):
        source, target = edge.packages()
        if source == target:
            continue
        if source not in RANK or target not in RANK:
            unknown = source if source not in RANK else target
            problems.append(f"{edge}: package '{unknown}' has no layer; add it to LAYERS in {Path(__file__).name}")
            continue
        if target == FACADE:
            problems.append(f"{edge}: imports the public facade 'insight'; import the module that defines it")
            continue
        why = RULED_OUT.get((source, target)) or RULED_OUT.get(("*", target))
        if why and not (target == "training" and source == "training"):
            problems.append(f"{edge}: ruled out ({why})")
        if RANK[source] > RANK[target]:
            problems.append(f"{edge}: upward import, {LAYERS[RANK[source]][0]} '{source}' -> "
                            f"{LAYERS[RANK[target]][0]} '{target}'")
        graph[source].setdefault(target, edge)
    problems.extend(_cycles(graph))
    return problems


def _cycles(graph: dict[str, dict[str, Edge]]) -> list[str]:
    """One line per cycle between packages, naming each edge of it (shortest cycles, each reported once)."""
    out, seen = [], set()
    for start in sorted(graph):
        # Breadth-first from each neighbour back to ``start`` gives a shortest cycle through it.
        parents: dict[str, str] = {}
        queue = [start]
        while queue and start not in parents:
            node = queue.pop(0)
            for nxt in sorted(graph.get(node, {})):
                if nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        if start not in parents:
            continue
        path = [start]
        while parents[path[-1]] != start:
            path.append(parents[path[-1]])
        cycle = [start, *reversed(path[1:])]
        if frozenset(cycle) in seen:
            continue
        seen.add(frozenset(cycle))
        edges = [graph[a][b] for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)]
        out.append("cycle between packages " + " -> ".join([*cycle, cycle[0]]) + ": " + "; ".join(map(str, edges)))
    return out


def module_cycles(root: Path = PACKAGE) -> list[str]:
    """One line per group of modules that import each other (directly or round a loop), with its edges."""
    graph: dict[str, dict[str, Edge]] = defaultdict(dict)
    for edge in imports(root):
        if edge.source != edge.target:
            graph[edge.source].setdefault(edge.target, edge)
    return [line.replace("cycle between packages", "cycle between modules") for line in _cycles(graph)]


def test_the_package_keeps_its_layers() -> None:
    problems = violations()
    assert not problems, "\n".join(problems)


def test_no_two_modules_import_each_other() -> None:
    problems = module_cycles()
    assert not problems, "\n".join(problems)


def test_every_package_has_a_layer() -> None:
    packages = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
                if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())}
    assert packages <= set(RANK), f"packages without a layer: {sorted(packages - set(RANK))}"


def _copy(tmp_path: Path) -> Path:
    return copy_tree(PACKAGE, tmp_path, "templates", "static", "*.toml")


def test_an_upward_import_inside_a_function_fails_naming_the_edge(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert violations(root) == []
    line = plant(root, "storage/db.py", "from insight.services import auth")
    problems = violations(root)
    assert problems[0] == (f"insight/storage/db.py:{line}: insight.storage.db -> insight.services.auth: "
                           "upward import, storage 'storage' -> services 'services'")
    # Services import storage, so the planted edge also closes a cycle, named with both edges.
    assert problems[1].startswith("cycle between packages services -> storage -> services")
    assert len(problems) == 2


def test_a_cycle_between_domain_packages_fails_naming_its_edges(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    plant(root, "triage/rank.py", "import insight.stories.link")
    plant(root, "stories/link.py", "from insight.triage import rank")
    problems = violations(root)
    assert len(problems) == 1 and problems[0].startswith("cycle between packages stories -> triage -> stories")
    assert "insight.stories.link -> insight.triage" in problems[0]
    assert "insight.triage.rank -> insight.stories.link" in problems[0]


def test_pages_importing_the_api_and_serving_code_importing_training_fail(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    plant(root, "web/page.py", "from insight.api import deps")
    plant(root, "signals/scorer.py", "import insight.training")
    problems = violations(root)
    assert any("insight.web.page -> insight.api.deps: ruled out" in p for p in problems)
    assert any("insight.signals.scorer -> insight.training: ruled out" in p for p in problems)


def test_the_facade_is_not_imported_from_inside(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    plant(root, "reports/render.py", "from insight import __version__")
    assert any("imports the public facade" in p for p in violations(root))

