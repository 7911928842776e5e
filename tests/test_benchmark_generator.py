"""The benchmark's generated council workbook is read without a problem, as docs/performance.md
says: its figures, its targets and its benchmarks (with the year each describes and its release)
all reach the Dataset, so the benchmark times a clean ingest and the narrate check over it
(tests/test_narrate_check.py) meets benchmarks too."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from csckpi.workbook import read


@pytest.fixture(scope="module")
def generated(generated_council: Path) -> Path:
    return generated_council


def test_the_generated_workbook_has_no_problem(generated: Path):
    result = read(generated)
    assert [str(p) for p in result.problems] == []
    assert result.dataset is not None


def test_its_benchmarks_say_the_year_they_describe_and_their_release(generated: Path):
    result = read(generated)
    assert result.dataset is not None
    benchmarks = result.dataset.benchmarks
    assert benchmarks.height > 0
    assert set(benchmarks.get_column("comparator")) == {
        "statistical neighbours",
        "region",
        "england",
    }
    years = benchmarks.select("year", "source").unique().sort("year")
    for year, source in years.iter_rows():
        start = int(year[:4])
        assert year == f"{start}/{(start + 1) % 100:02d}"
        assert source == f"LAIT {start + 1}"
    assert benchmarks.filter(pl.col("value").is_null()).height == 0
