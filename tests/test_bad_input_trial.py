"""The example workbook broken as a new analyst broke it, and the checks behind those cases:
a percentage about 100 times off its row, month headers out of sequence, and a ratio's
reported figure its months cannot pool to. (Each kind's wording is in docs/bad-input.md, from
tests/test_bad_input.py; here: the real example, the clock, --strict, the median.)"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import openpyxl
import pytest
from example_says import EXAMPLE_WARNINGS
from typer.testing import CliRunner
from workbook_factory import DEC, NOV, OCT, base, write

from csckpi.cli import app
from csckpi.workbook import read


def _example_with(tmp_path: Path, example: Path, change) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(example)
    change(wb)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def _cell(ws, code: str, year: int, month: int):  # type: ignore[no-untyped-def]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    column = next(
        c
        for c in range(3, ws.max_column + 1)
        if isinstance(ws.cell(1, c).value, dt.datetime)
        and (ws.cell(1, c).value.year, ws.cell(1, c).value.month) == (year, month)
    )
    return ws.cell(row, column)


def _said(path: Path) -> list[tuple[str, str, str]]:
    result = read(path)
    return [(p.severity.value, p.location, p.kind) for p in result.problems]


#: What the example itself says (tests/example_says.py): CSC 178's 2020/21 figure (as the
#: reference report prints it) is December's, not a figure its months pool to. Its population,
#: 22,455, goes with every rate it prints for 2020/21, so nothing is said of it.
EXAMPLE_SAYS = [("warning", "Periods!C54", "period-not-pooled")]


def test_the_example_says_only_its_one_true_warning(example_workbook: Path) -> None:
    result = read(example_workbook)
    assert result.dataset is not None
    assert [(p.severity.value, p.location, p.kind) for p in result.problems] == EXAMPLE_SAYS
    assert [f"{p.severity.value}: {p}" for p in result.problems] == list(EXAMPLE_WARNINGS)
    (pooled,) = result.problems
    assert pooled.message.startswith("100.0% for CSC 178 in 2020/21 is at the edge of its months")
    assert "Apr-20 (80.0%)" in pooled.message
    assert "it is Dec-20's own figure, not the year so far" in pooled.message


def _context_cell(ws, key: str):  # type: ignore[no-untyped-def]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
    return ws.cell(row, 2)


@pytest.mark.parametrize("population", [22_453, 22_457])
def test_the_examples_rates_go_with_every_population_its_source_names(
    tmp_path: Path, example_workbook: Path, population: int
) -> None:
    """examples/source/README.md: every whole population from 22,453 to 22,457 reproduces the
    report's 2020/21 rates; the example gives the middle one, 22,455."""
    assert (
        _context_cell(openpyxl.load_workbook(example_workbook)["Context"], "population_0_17").value
        == 22_455
    )

    def change(wb):  # type: ignore[no-untyped-def]
        _context_cell(wb["Context"], "population_0_17").value = population

    assert _said(_example_with(tmp_path, example_workbook, change)) == EXAMPLE_SAYS


def test_the_example_with_the_population_one_rate_implies_is_warned(
    tmp_path: Path, example_workbook: Path
) -> None:
    """The example's Context at 22,450 (284 children at 126.5 per 10,000 alone), as
    docs/workbook.md shows it: the report's other rates say otherwise."""

    def change(wb):  # type: ignore[no-untyped-def]
        _context_cell(wb["Context"], "population_0_17").value = 22_450

    result = read(_example_with(tmp_path, example_workbook, change))
    assert [(p.location, p.kind) for p in result.problems] == [
        ("Context!B4", "population-not-the-rates"),
        ("Periods!C54", "period-not-pooled"),
    ]
    assert result.problems[0].message == (
        "the rates per 10,000 on Monthly for 2020/21 were worked out from a population of "
        "22,453 to 22,459, not 22,450: worked out again from 22,450, CSC 200's Oct-20 is 130.1 "
        "where Monthly!J30 says 130.0 — give the population the rates came from"
    )


def test_a_fraction_pasted_among_the_examples_percentages(
    tmp_path: Path, example_workbook: Path
) -> None:
    def change(wb):  # type: ignore[no-untyped-def]
        _cell(wb["Monthly"], "CSC 038", 2020, 11).value = 0.837

    said = read(_example_with(tmp_path, example_workbook, change))
    warned = [p for p in said.problems if p.kind == "hundredfold"]
    assert [p.location for p in warned] == ["Monthly!K11"]
    others = [71.7, 62.8, 75.4, 77.8, 81.6, 80.4, 81.5, 85.2]  # CSC 038's other months
    assert warned[0].message == (
        f"0.837 is about a hundredth of CSC 038's other months here ({min(others)} to "
        f"{max(others)}, median {statistics.median(others)}): typed as a fraction? Type 83.7, "
        "or format the cell as a percentage"
    )


def test_a_percentage_typed_among_fractions_in_the_example(
    tmp_path: Path, example_workbook: Path
) -> None:
    """CSC 038 as plain fractions, Nov-20 typed as 83.7: both the row and the cell are said,
    and Dec-20's fraction beside its numerator and denominator is said at its cell."""

    def change(wb):  # type: ignore[no-untyped-def]
        ws = wb["Monthly"]
        for month in (4, 5, 6, 7, 8, 9, 10, 12):
            cell = _cell(ws, "CSC 038", 2020, month)
            cell.value = round(cell.value / 100, 3)

    said = _said(_example_with(tmp_path, example_workbook, change))
    (pooled,) = EXAMPLE_SAYS
    assert said == [
        ("warning", "Monthly!D11", "looks-like-fraction"),
        ("warning", "Monthly!K11", "hundredfold"),
        ("warning", "Monthly!L11", "value-not-its-parts"),
        pooled,
    ]


def test_a_count_of_children_in_care_typed_over_in_the_example(
    tmp_path: Path, example_workbook: Path
) -> None:
    """The new-user trial: CSC 201's Dec-20 changed from 284 to 286, and CSC 200's rate per
    10,000 left at 126.5 (its own numerator row still 284)."""

    def change(wb):  # type: ignore[no-untyped-def]
        cell = _cell(wb["Monthly"], "CSC 201", 2020, 12)
        assert cell.value == 284
        cell.value = 286

    result = read(_example_with(tmp_path, example_workbook, change))
    (pooled,) = EXAMPLE_SAYS
    assert [(p.severity.value, p.location, p.kind) for p in result.problems] == [
        ("warning", "Monthly!L30", "rate-not-its-count"),
        pooled,
    ]
    assert result.problems[0].message.startswith(
        "CSC 200's Dec-20 rate, 126.5 per 10,000, does not go with CSC 201's Dec-20 count, 286 "
        "(Monthly!L29)"
    )


def test_a_slipped_year_in_the_examples_headers_is_refused(
    tmp_path: Path, example_workbook: Path
) -> None:
    def change(wb):  # type: ignore[no-untyped-def]
        ws = wb["Monthly"]
        _header(ws, 2020, 10).value = "Oct-21"

    result = read(_example_with(tmp_path, example_workbook, change))
    assert result.dataset is None
    assert [(p.location, p.message) for p in result.errors] == [
        (
            "Monthly!J1",
            "Oct-21 comes between Sep-20 and Nov-20, but the months here run from the earliest "
            "to the latest: did you mean Oct-20?",
        )
    ]


def test_a_deleted_month_column_in_the_example_is_said(
    tmp_path: Path, example_workbook: Path
) -> None:
    def change(wb):  # type: ignore[no-untyped-def]
        ws = wb["Monthly"]
        ws.delete_cols(_header(ws, 2020, 8).column)

    result = read(_example_with(tmp_path, example_workbook, change))
    assert result.dataset is not None
    gaps = [p for p in result.problems if p.kind == "month-missing"]
    assert [(p.location, p.severity.value) for p in gaps] == [("Monthly!H1", "warning")]
    assert gaps[0].message.startswith("no column for Aug-20, between Jul-20 (G1) and Sep-20 (H1)")


def _header(ws, year: int, month: int):  # type: ignore[no-untyped-def]
    return next(
        ws.cell(1, c)
        for c in range(3, ws.max_column + 1)
        if isinstance(ws.cell(1, c).value, dt.datetime)
        and (ws.cell(1, c).value.year, ws.cell(1, c).value.month) == (year, month)
    )


# -- months after today ---------------------------------------------------------------------
def test_a_month_after_today_with_figures_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "b.xlsx", base())  # Oct-20 to Dec-20, all with figures
    assert read(path, today=dt.date(2020, 12, 31)).dataset is not None
    result = read(path, today=dt.date(2020, 11, 30))
    assert result.dataset is None
    assert [(p.location, p.message) for p in result.problems] == [
        (
            "Monthly!E1",
            "Dec-20 is after this month (Nov-20), but column E has figures — check the "
            "header's year",
        )
    ]


def test_empty_columns_for_the_months_to_come_are_fine(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"][0] += [dt.datetime(2021, 1, 1), dt.datetime(2021, 2, 1)]
    result = read(write(tmp_path / "b.xlsx", sheets), today=dt.date(2020, 12, 15))
    assert result.problems == ()
    assert result.dataset is not None


def test_months_newest_first_with_one_out_of_place(tmp_path: Path) -> None:
    """A sheet running from the latest month to the earliest is read; a month out of that
    order is named, with the month that fits."""
    sheets = base()
    sheets["Monthly"][0][2:] = [DEC, NOV, OCT]
    sheets["Monthly"][0].append(dt.datetime(2021, 9, 1))
    for row in sheets["Monthly"][1:]:
        row.append(row[-1])
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert [(p.location, p.message) for p in result.problems] == [
        (
            "Monthly!F1",
            "Sep-21 comes after Oct-20, but the months here run from the latest to the "
            "earliest: did you mean Sep-20?",
        )
    ]


# -- --strict ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("strict", "code"),
    [(False, 0), (True, 1)],
)
def test_strict_makes_a_hundredfold_warning_an_error(
    tmp_path: Path, strict: bool, code: int
) -> None:
    sheets = base()
    sheets["Monthly"][0] += [dt.datetime(2021, 1, 1)]
    for row, extra in zip(sheets["Monthly"][1:], [0.853, 285, 80, 40, 50], strict=True):
        row.append(extra)
    path = write(tmp_path / "b.xlsx", sheets)
    store = tmp_path / "s.db"
    args = ["ingest", str(path), "--store", str(store), *(["--strict"] if strict else [])]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    assert "warning: Monthly!F2: 0.853 is about a hundredth of CSC 038" in result.stderr or (
        "error: Monthly!F2: 0.853 is about a hundredth of CSC 038" in result.stderr
    )
    assert store.exists() is not strict


# -- the median of the other months ------------------------------------------------------------
@pytest.mark.parametrize(
    "others",
    [
        [81.5, 85.2, 60.0],
        [81.5, 85.2, 60.0, 99.0],
        [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0],
        [50.0, 50.0, 50.0, 12.5, 97.0, 33.0],
    ],
)
@pytest.mark.parametrize("place", [0, 1, -1])
def test_the_median_said_is_the_median_of_the_other_months(
    tmp_path: Path, others: list[float], place: int
) -> None:
    """The row's own figure is left out wherever it sorts (first, between, last)."""
    figures = list(others)
    figures.insert(len(figures) if place == -1 else place, 0.5)
    months = [dt.datetime(2020 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(len(figures))]
    sheets = base()
    sheets["Monthly"] = [["code", "part", *months], ["CSC 038", "value", *figures]]
    result = read(write(tmp_path / "b.xlsx", sheets))
    (problem,) = [p for p in result.problems if p.kind == "hundredfold"]
    median = statistics.median(others)
    shown = int(median) if median == int(median) else median
    assert f"median {shown})" in problem.message
    assert f"({int(min(others)) if min(others) == int(min(others)) else min(others)} to" in (
        problem.message
    )
