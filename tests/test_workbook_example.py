"""The shipped example workbook reads cleanly, says what the report says, in both layouts."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
from pathlib import Path

import polars as pl
import pytest
from example_says import EXAMPLE_WARNINGS
from polars.testing import assert_frame_equal

from csckpi.dataset import Dataset
from csckpi.model import normalise_code
from csckpi.workbook import ReadResult, read, read_dataset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples" / "source"


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReadResult]:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from build_example import build
    finally:
        sys.path.pop(0)
    folder = tmp_path_factory.mktemp("layouts")
    return {layout: read(build(folder / f"{layout}.xlsx", layout)) for layout in ("wide", "long")}


def test_example_reads_with_only_its_two_true_warnings(example_workbook: Path) -> None:
    result = read(example_workbook)
    assert [f"{p.severity.value}: {p}" for p in result.problems] == list(EXAMPLE_WARNINGS)
    assert result.ignored == ()
    assert result.layout == "wide"
    assert result.source == "darlington-2020-21-q3.xlsx"
    assert result.sha256 == hashlib.sha256(example_workbook.read_bytes()).hexdigest()


def figure(frame: pl.DataFrame, **where: object) -> list[float]:
    mask = pl.lit(True)
    for column, value in where.items():
        mask = mask & (pl.col(column) == value)
    return frame.filter(mask).get_column("value").to_list()


def test_figures_the_report_prints(example_workbook: Path) -> None:
    dataset = read_dataset(example_workbook)
    december = dt.date(2020, 12, 1)
    assert figure(dataset.monthly, key="CSC038", month=december, part="value") == [85.2]
    assert figure(dataset.monthly, key="CSC038", month=december, part="numerator") == [455.0]
    assert figure(dataset.monthly, key="CSC038", month=december, part="denominator") == [534.0]
    assert figure(dataset.monthly, key="CSC201", month=december, part="value") == [284.0]
    assert figure(dataset.reported, key="CSC036", period="2017/18", figure="value") == [1002.0]
    assert figure(dataset.reported, key="CSC036", period="Q3 2020/21", figure="flow") == [203.0]
    assert figure(dataset.reported, key="CSC022", period="2020/21 YTD") == [77.7]
    assert dataset.context.council == "Darlington"
    assert dataset.context.population == ((2020, 22455.0),)


def test_codes_are_shown_as_written_and_keyed_normalised(example_workbook: Path) -> None:
    dataset = read_dataset(example_workbook)
    cic = dataset.indicator("CSC201")
    assert cic is not None
    assert cic.code == "CSC 201"
    codes = dataset.monthly.filter(pl.col("key") == "CSC201").get_column("code").unique()
    assert codes.to_list() == ["CSC 201"]


def test_every_source_figure_is_read_from_its_cell(example_workbook: Path) -> None:
    """No figure the transcription holds is lost or changed on the way in."""
    dataset = read_dataset(example_workbook)
    with (SOURCE / "monthly.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = sorted(
        (normalise_code(row["code"]), row["month"], part, float(row[part]))
        for row in rows
        for part in ("value", "numerator", "denominator")
        if row[part].strip()
    )
    actual = sorted(
        (key, month.strftime("%Y-%m"), part, value)
        for key, month, part, value in dataset.monthly.select(
            "key", "month", "part", "value"
        ).iter_rows()
    )
    assert actual == expected
    cells = dataset.monthly.select("sheet", "cell").unique()
    assert cells.height == dataset.monthly.height  # one cell per figure


def comparable(dataset: Dataset) -> dict[str, object]:
    """Everything a layout must not change (cells differ: the figures sit elsewhere)."""
    return {
        "indicators": dataset.indicators,
        "monthly": dataset.monthly.drop("cell").sort("key", "month", "part"),
        "reported": dataset.reported.sort("key", "period", "figure", "part"),
        "benchmarks": dataset.benchmarks.sort("key", "comparator", "year"),
        "context": dataset.context,
    }


def test_wide_and_long_give_the_same_dataset(layouts: dict[str, ReadResult]) -> None:
    wide, long = layouts["wide"], layouts["long"]
    assert (wide.layout, long.layout) == ("wide", "long")
    assert [f"{p.severity.value}: {p}" for p in wide.problems] == list(EXAMPLE_WARNINGS)
    assert [(p.kind, p.message) for p in long.problems] == [
        (p.kind, p.message.replace("Monthly!J30", "Monthly!C235")) for p in wide.problems
    ]
    assert wide.dataset is not None
    assert long.dataset is not None
    a, b = comparable(wide.dataset), comparable(long.dataset)
    for name in ("monthly", "reported", "benchmarks"):
        assert_frame_equal(a.pop(name), b.pop(name))  # type: ignore[arg-type]
    assert a == b
    assert wide.dataset.monthly.height > 300
