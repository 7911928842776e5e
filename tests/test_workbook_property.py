"""Property: whatever an analyst types in the figure cells, reading never crashes and never
loses a figure silently — each non-blank cell is either a figure from that very cell, or a
problem located at it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl.utils.cell import coordinate_to_tuple
from properties import examples
from workbook_factory import with_shared_strings, write

from csckpi.model import Severity, column_letter
from csckpi.workbook import read
from csckpi.workbook.cells import QUIET_BLANKS
from csckpi.workbook.sheets import cell_position

MONTHS = [dt.datetime(2020, m, 1) for m in range(4, 10)]
INDICATORS = [
    ["code", "title", "unit", "polarity", "measure"],
    ["K1", "A count", "count", "none", "flow"],
    ["K2", "A percentage", "percent", "up", "ratio"],
    ["K3", "A number", "number", "none", "snapshot"],
]

cell_values = st.one_of(
    st.none(),
    st.floats(min_value=-50, max_value=150, allow_nan=False).map(lambda v: round(v, 3)),
    st.integers(min_value=-10, max_value=2000),
    st.sampled_from(["85.2%", "1,002", " 12 ", "-3", "0.5", "1,5", "12,00"]),
    st.sampled_from(sorted(QUIET_BLANKS | {"", "  "})),
    st.sampled_from(["TBC", "tbc", "n/k", "see note", "?", "#DIV/0!", "#N/A", "#VALUE!"]),
    st.text(alphabet="abcxyz0123456789 .,%-", min_size=1, max_size=6),
    st.just("=1+1"),  # a formula: openpyxl saves no result for it
    st.booleans(),
)
grids = st.lists(st.lists(cell_values, min_size=6, max_size=6), min_size=3, max_size=3)


def is_blank(value: object) -> bool:
    return value is None or (
        isinstance(value, str) and " ".join(value.split()).lower() in QUIET_BLANKS | {""}
    )


@settings(max_examples=examples(60), deadline=None)
@given(grid=grids, shared=st.booleans())
def test_no_crash_and_no_silent_loss(grid: list[list[object]], shared: bool) -> None:
    monthly = [["code", *MONTHS]] + [
        [code, *row] for code, row in zip(("K1", "K2", "K3"), grid, strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "random.xlsx", {"Indicators": INDICATORS, "Monthly": monthly})
        if shared:  # text as Excel stores it, in the shared string table
            path = with_shared_strings(path, Path(folder) / "shared.xlsx")
        result = read(path)  # any exception fails the property

    located = {p.location for p in result.problems}
    assert all(p.sheet in ("Indicators", "Monthly") for p in result.problems)
    if result.dataset is None:
        assert result.errors, "no dataset, yet no error says why"
        figures: dict[str, float] = {}
    else:
        assert not result.errors
        frame = result.dataset.monthly
        assert frame.get_column("cell").is_unique().all()
        figures = dict(zip(frame.get_column("cell"), frame.get_column("value"), strict=True))
        assert frame.filter(pl.col("value").is_nan()).height == 0

    for r, row in enumerate(grid, start=2):
        for c, value in enumerate(row, start=2):
            cell = f"{column_letter(c)}{r}"
            where = f"Monthly!{cell}"
            if is_blank(value):
                assert cell not in figures, f"{where}: a blank ({value!r}) became a figure"
                assert where not in located, f"{where}: a blank ({value!r}) got a problem"
                continue
            if result.dataset is not None:
                assert cell in figures or where in located, f"{where}: {value!r} was lost"
                plain = isinstance(value, int | float) and not isinstance(value, bool)
                if plain and cell in figures:
                    assert figures[cell] == float(value)  # type: ignore[arg-type]
                if not plain and cell in figures:
                    assert where in located, f"{where}: text {value!r} read without a warning"
            elif isinstance(value, str) and value.startswith("="):
                assert any(
                    p.location == where and p.severity is Severity.ERROR for p in result.problems
                )


NAMES = [
    "code",
    "title",
    "unit",
    "polarity",
    "measure",
    "part",
    "month",
    "value",
    "numerator",
    "denominator",
    "period",
    "figure",
    "comparator",
    "key",
    "year",
    "target",
    "decimals",
]
WORDS = [
    "CSC 1",
    "csc1",
    "CSC 2",
    "percent",
    "count",
    "up",
    "down",
    "flow",
    "ratio",
    "numerator",
    "denominator",
    "2019/20",
    "Q3 2020/21",
    "Dec-20",
    "2020-13",
    "national",
    "population_0_17",
    "council",
    "2020/21",
    "TBC",
    "#N/A",
    "=A1",
    "n/a",
    "",
    " ",
]
anything = st.one_of(
    st.none(),
    st.sampled_from(NAMES + WORDS),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(min_value=-5, max_value=50_000),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.booleans(),
    st.text(max_size=5),
)
sheet_grids = st.lists(st.lists(anything, max_size=6), max_size=6)
books = st.dictionaries(
    st.sampled_from(
        ["Indicators", "monthly", "MONTHLY ", "Periods", "Benchmarks", "Context", "Other"]
    ),
    sheet_grids,
    min_size=1,
    max_size=5,
)


@settings(max_examples=examples(80), deadline=None)
@given(sheets=books)
def test_any_arrangement_of_sheets_and_cells_is_answered(
    sheets: dict[str, list[list[object]]],
) -> None:
    """Whatever the sheets hold, reading answers with a result or a one-line refusal."""
    from csckpi.errors import WorkbookError

    with tempfile.TemporaryDirectory() as folder:
        cleaned = {
            name: [[_excel_safe(v) for v in row] for row in rows] for name, rows in sheets.items()
        }
        if len({n.strip().lower() for n in cleaned}) < len(cleaned):
            return  # Excel itself refuses two sheets whose names differ only in case
        path = write(Path(folder) / "any.xlsx", cleaned)
        try:
            result = read(path)
        except WorkbookError as exc:  # allowed, but it must be one line
            assert "\n" not in str(exc)
            return
    assert result.dataset is not None or result.errors
    for problem in result.problems:
        assert problem.message and "\n" not in problem.message
        assert problem.severity in (Severity.ERROR, Severity.WARNING)
    assert list(result.problems) == sorted(result.problems)


def _excel_safe(value: object) -> object:
    """Text openpyxl can store (no control characters)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable())
    return value


# Figures any of the three indicators takes, then up to three cells made bad (or blank): so
# that many workbooks are stored and the "every good figure" half of the property is exercised.
good_values = st.one_of(
    st.integers(min_value=0, max_value=100),
    st.floats(min_value=1.5, max_value=100, allow_nan=False).map(lambda v: round(v, 1)),
)


@st.composite
def mostly_good_grids(draw: st.DrawFn) -> list[list[object]]:
    grid = draw(st.lists(st.lists(good_values, min_size=6, max_size=6), min_size=3, max_size=3))
    spots = st.tuples(st.integers(0, 2), st.integers(0, 5), cell_values)
    for row, column, value in draw(st.lists(spots, max_size=3)):
        grid[row][column] = value
    return grid


@settings(max_examples=examples(60), deadline=None)
@given(grid=mostly_good_grids())
def test_ingest_stores_every_good_figure_or_fails_with_located_messages(
    grid: list[list[object]],
) -> None:
    """Through ``csckpi ingest``: exit 0 with every figure stored from its own cell (text read
    as a number only with a warning naming the cell), or exit 1 with errors naming their cells
    and no store at all. Never a traceback."""
    import re

    from typer.testing import CliRunner

    from csckpi.cli import app
    from csckpi.store import open_store

    monthly = [["code", *MONTHS]] + [
        [code, *row] for code, row in zip(("K1", "K2", "K3"), grid, strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "random.xlsx", {"Indicators": INDICATORS, "Monthly": monthly})
        store = Path(folder) / "csckpi.db"
        result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(store)])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        event(f"exit code {result.exit_code}")
        lines = result.stderr.splitlines()
        named = set(re.findall(r"^(?:error|warning): (Monthly![A-Z]+\d+):", result.stderr, re.M))
        if result.exit_code == 1:
            errors = [line for line in lines if line.startswith("error: ")]
            assert errors and all(re.match(r"error: \w+(![A-Z]+\d+)?: ", e) for e in errors)
            assert not store.exists()
            return
        assert result.exit_code == 0, result.output
        frame = open_store(store).load().monthly
        stored = dict(zip(frame.get_column("cell"), frame.get_column("value"), strict=True))

    for r, row in enumerate(grid, start=2):
        for c, value in enumerate(row, start=2):
            cell = f"{column_letter(c)}{r}"
            if is_blank(value):
                assert cell not in stored, f"Monthly!{cell}: a blank ({value!r}) was stored"
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert stored.get(cell) == float(value), f"Monthly!{cell}: {value!r} lost"
            else:
                assert f"Monthly!{cell}" in named, f"Monthly!{cell}: {value!r} without a message"


def _outcome(parse, coordinate: str) -> object:
    try:
        return parse(coordinate)
    except Exception as exc:
        return type(exc)


@given(
    st.one_of(
        st.builds(
            lambda column, row: f"{column_letter(column)}{row}",
            st.integers(min_value=1, max_value=16384),
            st.integers(min_value=1, max_value=1048576),
        ),
        st.text(alphabet="ABCXYZabc0123456789$:²٣ ", max_size=9),
    )
)
@settings(max_examples=examples(400), deadline=None)
def test_a_cell_reference_is_placed_as_openpyxl_places_it(coordinate: str) -> None:
    """The reader's fast reference parser agrees with openpyxl's, failures included."""
    assert _outcome(cell_position, coordinate) == _outcome(coordinate_to_tuple, coordinate)
