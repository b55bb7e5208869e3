"""The package's layout holds: galley's own imports (at the top of a module or inside a function)
form no circle, and none runs back up a layer. Read from the source with `ast`, so the test sees
every import, including those made only when a command runs (but not those for the type checker
alone, under `if TYPE_CHECKING:`, which never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "galley"
# Lowest first: a module may import its own layer and the layers below it.
LAYERS = (
    "util", "reading", "steps", "rendering", "engines", "check", "review", "pipeline", "preview",
    "commands",
)  # fmt: skip
ENTRY_POINTS = {"galley", "galley.__main__", "galley.cli", "galley.errors", "galley.project"}
SAME_LAYER = {"rendering": "engines", "engines": "rendering", "check": "review", "review": "check"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "templates" in path.relative_to(PACKAGE).parts:
            continue  # `galley init`'s new paper: files it writes, not modules of galley
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The galley modules `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):  # imports for the type checker only never run: not arrows
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING":
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in MODULES else base)
    return {target for target in targets if target in MODULES and target != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def test_only_entry_points_lie_at_the_top_of_the_package() -> None:
    loose = sorted(
        name
        for name in MODULES
        if name.count(".") == 1 and name not in ENTRY_POINTS and name.split(".")[1] not in LAYERS
    )
    assert not loose, f"modules outside a folder that names their job: {loose}"


def test_every_folder_is_a_known_layer() -> None:
    folders = {name.split(".")[1] for name in MODULES if name.count(".") >= 2}
    assert folders <= set(LAYERS), folders - set(LAYERS)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_import_runs_back_up_a_layer(name: str) -> None:
    here = _layer(name)
    if here is None:
        return
    for target in GRAPH[name]:
        there = _layer(target)
        if there is None or there == here or SAME_LAYER.get(here) == there:
            continue
        assert LAYERS.index(there) <= LAYERS.index(here), (
            f"{name} imports {target}: {there} is above {here}"
        )


def test_imports_form_no_circle() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert not circles, circles
