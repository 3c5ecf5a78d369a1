"""The layering of STYLE.md §2, read from the source: imports and migrations point one way.

    partnerships (the kernel) ← platser ← meetings, surveys ← measures ← reports
        ← records, demo, bench

``config`` is the top of the house: it may import any app, and no app imports it. Inside an app
no two modules import each other (services queue tasks by name, see ``partnerships.jobs``).
Every import counts, also one inside a function: a late import hides a dependency, it does not
remove it.
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

BASE_DIR = Path(__file__).resolve().parent.parent

# The rank of each app: an app may depend only on apps of a lower rank. measures depends on
# meetings (a measure can come from a meeting's decision), so it stands one step above it.
RANK = {
    "partnerships": 0,
    "platser": 1,
    "meetings": 2,
    "surveys": 2,
    "measures": 3,
    "reports": 4,
    "records": 5,
    "demo": 5,
    "bench": 5,
}
TOP = "config"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for app in [*RANK, TOP]:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``path`` imports, absolute names, including imports inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path) for name, path in modules.items()}


def test_apps_import_only_the_layers_below_them(graph):
    wrong = set()
    for module, imported in graph.items():
        app = module.split(".")[0]
        for target in imported:
            other = target.split(".")[0]
            if other == app or other not in [*RANK, TOP]:
                continue
            if app == TOP:
                continue
            if other == TOP or RANK[other] >= RANK[app]:
                wrong.add(f"{module} imports {target}")
    assert sorted(wrong) == []


def test_no_two_modules_import_each_other(graph):
    modules = set(graph)
    edges = {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}
    # Tarjan's strongly connected components: any component of more than one module is a circle.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert circles == []


def test_migrations_depend_only_on_the_layers_below():
    wrong = []
    for app, rank in RANK.items():
        config = apps.get_app_config(app)
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("0*.py")):
            migration = importlib.import_module(f"{app}.migrations.{path.stem}").Migration
            for label, _name in migration.dependencies:
                if label in RANK and label != app and RANK[label] >= rank:
                    wrong.append(f"{app}.{path.stem} depends on {label}")
    assert wrong == []


def test_the_graph_is_read_at_all(graph):
    """The checks above pass on an empty graph too: make sure the reader sees real imports."""
    assert "partnerships.models" in graph["platser.models"]
    assert "partnerships.jobs" in graph["meetings.services"]
