"""Dependencies point one way, along the layers docs/architecture.md lists.

The layer list is read from the module map at the top of docs/architecture.md, so the document
and the check cannot disagree: every module of the package must be placed by an entry of the
map, and may import (at start-up or inside a function) only modules of its own entry and of
the entries below it. Checked on the source, not by convention.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "csckpi"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
HEAVY = {"polars", "openpyxl", "numpy", "tabulate"}
#: Imported by any layer: the package's version string lives in csckpi/__init__.py.
METADATA = {"csckpi.__version__"}


def _modules(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Every module ``path`` imports; ``from a import b`` gives both ``a`` and ``a.b``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layers() -> list[str]:
    """The module map's entries, top layer first: `csckpi/cli`, `csckpi/render`, ...
    (`csckpi/x.py` is written `csckpi/x`)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    entries = re.findall(r"^    (csckpi/[\w/.]+)", text, flags=re.MULTILINE)
    return [e.rstrip("/").removesuffix(".py") for e in entries]


def layer_of(module: str, entries: list[str]) -> int | None:
    """The index of the entry that places ``module`` (the longest matching entry)."""
    path = module.replace(".", "/")
    found = [
        (len(entry), i)
        for i, entry in enumerate(entries)
        if path == entry or path.startswith(entry + "/")
    ]
    return max(found)[1] if found else None


LAYERS = layers()
ALL = [p for p in _modules(PACKAGE) if p.name != "__main__.py" and p != PACKAGE / "__init__.py"]
#: csckpi/api.py writes a report through render (the library's verbs include `report`), so it
#: is not core; it still never touches Typer, click or rich (test below).
API = PACKAGE / "api.py"
CORE = [p for p in ALL if not {"cli", "render"} & set(p.relative_to(PACKAGE).parts) and p != API]
CLI = _modules(PACKAGE / "cli")


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_every_module_is_placed_by_the_module_map(path: Path):
    module = _module_name(path)
    assert layer_of(module, LAYERS) is not None, (
        f"{module} is in no entry of the module map in docs/architecture.md: add it there, "
        "in the layer it belongs to"
    )


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_imports_point_down_the_layers(path: Path):
    module = _module_name(path)
    mine = layer_of(module, LAYERS)
    assert mine is not None
    upward = sorted(
        name
        for name in _imports(path)
        if name.startswith("csckpi.")
        and name not in METADATA
        and (theirs := layer_of(name, LAYERS)) is not None
        and theirs < mine
    )
    assert not upward, (
        f"{module} ({LAYERS[mine]}) imports {upward}, which the module map in "
        "docs/architecture.md places above it"
    )


@pytest.mark.parametrize("path", CORE, ids=_id)
def test_core_never_imports_the_cli_or_rendering(path: Path):
    bad = {
        name
        for name in _imports(path)
        if name.split(".")[0] in {"typer", "rich", "click"}
        or name.startswith(("csckpi.cli", "csckpi.render"))
    }
    assert not bad, f"{path.name} is core but imports {sorted(bad)}"


def test_the_library_api_is_no_command_line():
    bad = {name for name in _imports(API) if name.split(".")[0] in {"typer", "rich", "click"}}
    assert not bad and "csckpi.cli" not in {n[:10] for n in _imports(API)}, sorted(bad)


@pytest.mark.parametrize("path", CLI, ids=_id)
def test_cli_modules_import_heavy_libraries_only_inside_commands(path: Path):
    bad = {name for name in _imports(path, top_level_only=True) if name.split(".")[0] in HEAVY}
    assert not bad, f"{path.name} imports {sorted(bad)} at start-up; import inside the command"


def test_the_checks_see_the_package():
    assert len(CORE) >= 5 and len(CLI) >= 5
    assert len(LAYERS) >= 8 and LAYERS[0] == "csckpi/cli", LAYERS


def test_an_upward_import_is_caught(tmp_path: Path):
    """The check can fail: a model module importing compute is an import pointing up."""
    fake = tmp_path / "model.py"
    fake.write_text("from csckpi.compute import compute\n", encoding="utf-8")
    names = _imports(fake)
    mine = layer_of("csckpi.model", LAYERS)
    theirs = layer_of("csckpi.compute", LAYERS)
    assert "csckpi.compute.compute" in names
    assert mine is not None and theirs is not None and theirs < mine
    assert layer_of("csckpi.nowhere", LAYERS) is None
