"""Shared fixtures: the example workbook, a fresh store, golden-file comparison."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from stores import BACKENDS, Place, PostgresPlace, make_place

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


@pytest.fixture
def pg_place(tmp_path: Path) -> Iterator[Place]:
    """A store on the PostgreSQL test server (skipped without one, failing under CI)."""
    found = make_place("postgres", tmp_path)
    try:
        yield found
    finally:
        assert isinstance(found, PostgresPlace)
        found.drop()


@pytest.fixture(params=BACKENDS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A store for the test on each backend in turn (tests/stores.py)."""
    found = make_place(request.param, tmp_path)
    try:
        yield found
    finally:
        if isinstance(found, PostgresPlace):
            found.drop()


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME. Only an explicit CSCKPI_UPDATE_GOLDEN=1 writes it (for
    review, like code); a missing golden fails the test and says how to make it."""
    path = GOLDEN / name
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(
            f"tests/golden/{name} is missing: review the output, then write it with "
            "CSCKPI_UPDATE_GOLDEN=1 python -m pytest <this test>"
        )
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from tests/golden/{name}"
