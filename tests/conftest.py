"""Shared fixtures: the example workbook, a fresh store, the example ingested once into a
store each test gets a copy of, the example with the sample Annex A extract, the example's
PDF report rendered once, a generated council workbook, golden-file comparison, and the
Hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from stores import BACKENDS, Place, PostgresPlace, make_place

#: Hypothesis profiles (HYPOTHESIS_PROFILE picks one): ``ci``, the default, what the README's
#: test command and .ci/run use, each property test's own ``max_examples``, no deadline (a
#: shared machine is slow at times, and a slow example is not a failure); ``thorough`` for a
#: change to what a property guards, ten times the examples (tests/properties.py; 1,000
#: where a test says no number of its own).
settings.register_profile("ci", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
SAMPLE = ROOT / "examples" / "annex-a-sample.xlsx"
SAMPLE_MAP = ROOT / "examples" / "darlington-annex-a.toml"
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


@pytest.fixture(scope="session")
def example_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbook ingested once (``csckpi ingest``) into a SQLite store, for
    :func:`example_store` to copy."""
    from typer.testing import CliRunner

    from csckpi.cli import app

    path = tmp_path_factory.mktemp("example-store") / "csckpi.db"
    done = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--store", str(path)])
    assert done.exit_code == 0, done.output
    return path


@pytest.fixture(scope="session")
def example_with_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbook, then the sample Annex A extract from April 2020
    (docs/records.md), ingested into one SQLite store; for tests that only read it."""
    from typer.testing import CliRunner

    from csckpi.cli import app

    store = tmp_path_factory.mktemp("example-extract") / "csckpi.db"
    for args in ([str(EXAMPLE)], [str(SAMPLE), "--map", str(SAMPLE_MAP), "--since", "Apr-20"]):
        done = CliRunner().invoke(app, ["ingest", *args, "--store", str(store)])
        assert done.exit_code == 0, done.output
    return store


@pytest.fixture(scope="session")
def generated_council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's generator's council (benchmarks/generate.py): 40 indicators of every
    kind over 24 months (two financial years)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path_factory.mktemp("generated") / "council.xlsx"
    generate.council(path, indicators=40, years=2, seed=3)
    return path


@pytest.fixture
def example_store(tmp_path: Path, example_store_file: Path) -> Path:
    """A store of the test's own (``tmp_path / "csckpi.db"``) holding the example workbook's
    one ingest, exactly as ``csckpi ingest`` of the example into a new store leaves it: a copy
    of the file ingested once per session (a SQLite store is one file between commands)."""
    path = tmp_path / "csckpi.db"
    shutil.copyfile(example_store_file, path)
    return path


@dataclass(frozen=True)
class Rendered:
    """A command's run: its exit code and output, and the file it wrote."""

    exit_code: int
    output: str
    path: Path


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """``csckpi report -w <example> --period "Q3 2020/21" -o q3.pdf``, run once (Chromium
    takes seconds) for every test that checks that PDF; skipped without Chromium, failing
    under CI (tests/browser.py)."""
    from browser import require_chromium
    from typer.testing import CliRunner

    from csckpi.cli import app

    require_chromium()
    out = tmp_path_factory.mktemp("example-pdf") / "q3.pdf"
    args = ["report", "-w", str(EXAMPLE), "--period", "Q3 2020/21", "-o", str(out)]
    done = CliRunner().invoke(app, args)
    return Rendered(done.exit_code, done.output, out)


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
