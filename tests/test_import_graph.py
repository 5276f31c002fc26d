"""The project's modules import each other without cycles, and apps depend one way only.

The graph is read from the source with ``ast`` (nothing is imported): an edge for every import
of a project module, at module level (what runs at import time, class bodies included) and, in
a second graph, also inside functions — a cycle hidden in a deferred import is still a cycle
of responsibilities (the import tasks calling the import service that imported the tasks).

Apps are layered: the function apps import ``households``, ``households`` imports ``accounts``,
``accounts`` imports ``core``; ``config`` (settings, URLs, Celery) sits on top of all of them.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lower layers never import higher ones; apps of one layer do not import each other.
LAYERS = {
    "core": 0,
    "accounts": 1,
    "households": 2,
    "programs": 3,
    "referrals": 4,
    "complaints": 4,
    "graduation": 4,
    "config": 5,
}
ALLOWED_UPWARD = {
    # The menu's sections are a list in config.navigation that accounts' context processor
    # reads, until each app declares its own section; and the function apps' URLs show
    # config.views.section_coming until they are built.
    ("accounts", "config"),
    ("programs", "config"),
    ("referrals", "config"),
    ("complaints", "config"),
    ("graduation", "config"),
}
# The design's dependencies inside the top layer; a complaint opens a referral (issue #11), so
# complaints may use the referral services, never the reverse.
ALLOWED_SIDEWAYS = {
    ("graduation", "programs"),
    ("referrals", "programs"),
    ("complaints", "referrals"),
}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported_names(node, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module
    # ``from package import name`` names a submodule or an attribute of the package.
    return [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]


def _imports(tree, *, inside_functions: bool):
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if not inside_functions and isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))


def import_graph(*, inside_functions: bool) -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets = set()
        for node in _imports(tree, inside_functions=inside_functions):
            names = _imported_names(node, module, path.name == "__init__.py")
            # The most specific project module each statement names (a submodule imported
            # by ``from package import submodule``, else the package itself).
            found = [name for name in names if name in modules]
            if isinstance(node, ast.ImportFrom):
                specific = [name for name in found if name != names[-1]]
                found = specific or found
            targets.update(found)
        targets.discard(module)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def app_of(module: str) -> str:
    return module.split(".", 1)[0]


@pytest.mark.parametrize("inside_functions", [False, True], ids=["module-level", "all"])
def test_no_module_imports_itself_through_others(inside_functions):
    assert cycles(import_graph(inside_functions=inside_functions)) == []


def test_apps_depend_one_way():
    upward = set()
    for module, targets in import_graph(inside_functions=True).items():
        for target in targets:
            edge = (app_of(module), app_of(target))
            downward = edge[0] == edge[1] or LAYERS[edge[0]] > LAYERS[edge[1]]
            if not downward and edge not in ALLOWED_SIDEWAYS:
                upward.add((*edge, module, target))
    unexpected = sorted(edge for edge in upward if edge[:2] not in ALLOWED_UPWARD)
    assert not unexpected, unexpected


def test_the_graph_sees_the_project():
    """Guards the test itself: known edges are found, so an empty graph cannot pass."""
    graph = import_graph(inside_functions=False)
    assert "households.services.imports" in graph["households.tasks"]
    assert "households.services.duplicates" in graph["households.importer.load"]
    assert "core.scope" in graph["households.models.registry"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
