"""The package layout keeps the pipeline's order: no module imports a higher stage, no import cycle.

Stages, lowest first (``DESIGN.md`` §2): ``core`` and ``model`` < ``store`` < ``load`` < ``derive``
< ``check`` < ``ask`` < ``publish`` < the entry points (``api``, ``cli``, the package itself).
Every import counts, also those inside functions and under ``TYPE_CHECKING``: a late import
hides a dependency from the interpreter, not from a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"

RANKS: dict[str, int] = {
    "core": 0, "model": 0, "store": 1, "load": 2, "derive": 3, "check": 4, "ask": 5, "publish": 6,
    "api": 7, "cli": 7, "__main__": 7, "": 7,
}


def modules(root: Path) -> dict[str, Path]:
    """Every module under ``root/sovkg`` by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((root / "sovkg").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(path: Path, name: str, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """The sovkg modules ``path`` imports, with line numbers (``from a import b`` is ``a.b`` when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sovkg":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "sovkg":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in known else base), node.lineno


def rank(module: str) -> int:
    """The stage of a module: the first name after ``sovkg``."""
    parts = module.split(".")
    return RANKS[parts[1] if len(parts) > 1 else ""]


def problems(root: Path) -> list[str]:
    """Upward imports and import cycles in the tree under ``root``, as readable lines."""
    known = modules(root)
    edges: dict[str, set[str]] = {name: set() for name in known}
    found: list[str] = []
    for name, path in known.items():
        for target, line in imports(path, name, known):
            if target not in known or target == name:
                continue
            # The package root's lazy API attribute is the one sanctioned way in from the top.
            if name == "sovkg" and target == "sovkg.api":
                continue
            edges[name].add(target)
            if rank(target) > rank(name):
                found.append(f"{path.relative_to(root)}:{line}: {name} imports the higher stage {target}")
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append([*sorted(component), sorted(component)[0]])

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_upward_import_and_no_cycle() -> None:
    assert problems(SOURCE) == []


def test_every_stage_is_a_package_with_a_docstring() -> None:
    for stage in ("core", "store", "load", "derive", "check", "ask", "publish"):
        init = SOURCE / "sovkg" / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage


def test_every_module_has_a_stage() -> None:
    for name in modules(SOURCE):
        rank(name)  # a KeyError names a module outside every stage


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small copy of the layout: core, derive (with two modules) and check."""
    files = {
        "sovkg/__init__.py": "",
        "sovkg/core/__init__.py": "",
        "sovkg/core/errors.py": "class E(Exception): ...\n",
        "sovkg/derive/__init__.py": "",
        "sovkg/derive/run.py": "from sovkg.core.errors import E\nfrom sovkg.derive import common\n",
        "sovkg/derive/common.py": "from sovkg.core import errors\n",
        "sovkg/check/__init__.py": "",
        "sovkg/check/shapes.py": "from sovkg.derive.run import E\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_the_check_sees_a_clean_tree_as_clean(tree: Path) -> None:
    assert problems(tree) == []


def test_the_check_fails_on_an_upward_import(tree: Path) -> None:
    (tree / "sovkg/derive/extra.py").write_text("def f():\n    from sovkg.check.shapes import E\n")
    assert problems(tree) == [
        "sovkg/derive/extra.py:2: sovkg.derive.extra imports the higher stage sovkg.check.shapes"
    ]


def test_the_check_fails_on_a_cycle(tree: Path) -> None:
    (tree / "sovkg/derive/common.py").write_text("from sovkg.derive import run\n")
    assert problems(tree) == ["import cycle: sovkg.derive.common -> sovkg.derive.run -> sovkg.derive.common"]
