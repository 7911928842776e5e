"""Shared fixtures: the example workbook, a fresh store, golden-file comparison."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stable output: no colour, a fixed width, no store from the developer's shell."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("CSCKPI_STORE", raising=False)


@pytest.fixture
def example_workbook() -> Path:
    assert EXAMPLE.exists(), "build it: python examples/build_example.py"
    return EXAMPLE


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "csckpi.db"


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; CSCKPI_UPDATE_GOLDEN=1 rewrites it for review."""
    path = GOLDEN / name
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1" or not path.exists():
        if os.environ.get("CI") and not path.exists():
            pytest.fail(f"golden file {name} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from tests/golden/{name}"
