"""Dependencies point one way: cli -> render -> core. Checked on the source, not by convention."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "csckpi"
HEAVY = {"polars", "openpyxl", "numpy", "tabulate"}


def _modules(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


CORE = [
    p
    for p in _modules(PACKAGE)
    if not {"cli", "render"} & set(p.relative_to(PACKAGE).parts) and p.name != "__main__.py"
]
CLI = _modules(PACKAGE / "cli")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_the_cli_or_rendering(path: Path):
    bad = {
        name
        for name in _imports(path)
        if name.split(".")[0] in {"typer", "rich", "click"}
        or name.startswith(("csckpi.cli", "csckpi.render"))
    }
    assert not bad, f"{path.name} is core but imports {sorted(bad)}"


@pytest.mark.parametrize("path", CLI, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_cli_modules_import_heavy_libraries_only_inside_commands(path: Path):
    bad = {name for name in _imports(path, top_level_only=True) if name.split(".")[0] in HEAVY}
    assert not bad, f"{path.name} imports {sorted(bad)} at start-up; import inside the command"


def test_the_checks_see_the_package():
    assert len(CORE) >= 5 and len(CLI) >= 5
