"""A big council's ten years (108,000 figures) are stored, revised and loaded back whole.

How fast is measured by `python benchmarks/run.py` (docs/performance.md), not asserted here.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from test_store import FakeRead

from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.store import open_store

INDICATORS = 300
MONTHS = 120  # ten years


def big_dataset(months: int = MONTHS, bump: float = 0.0) -> Dataset:
    """300 ratio indicators x 120 months x value/numerator/denominator: 108,000 figures."""
    codes = [f"KPI {n:03d}" for n in range(INDICATORS)]
    indicators = tuple(
        Indicator(
            code, f"Title {code}", "Section", Unit.PERCENT, Polarity.UP, Measure.RATIO, order=n
        )
        for n, code in enumerate(codes)
    )
    grid = (
        pl.DataFrame({"code": codes})
        .join(pl.DataFrame({"m": list(range(months))}), how="cross")
        .join(pl.DataFrame({"part": ["value", "numerator", "denominator"]}), how="cross")
    )
    monthly = grid.select(
        key=pl.col("code").str.replace(" ", ""),
        code="code",
        month=pl.lit(dt.date(2011, 4, 1)).dt.offset_by(pl.format("{}mo", pl.col("m"))),
        part="part",
        value=(pl.col("m") * 7 % 101).cast(pl.Float64) + bump * (pl.col("m") == 0),
        sheet=pl.lit("Monthly"),
        cell=pl.format("R{}C{}", pl.col("code").str.slice(4), pl.col("m")),
    ).cast(monthly_schema())
    return Dataset(
        indicators,
        monthly,
        pl.DataFrame(schema=reported_schema()),
        pl.DataFrame(schema=benchmark_schema()),
    )


def test_a_ten_year_workbook_of_300_indicators_is_stored_revised_and_loaded(place):
    first = big_dataset()
    assert first.monthly.height == 108_000
    store = open_store(place.location)
    summary = store.ingest(FakeRead(first, sha256="1" * 64))
    assert summary.added == 108_000

    summary = store.ingest(FakeRead(big_dataset(MONTHS + 1, bump=1.0), sha256="2" * 64))
    assert (summary.added, summary.revised, summary.unchanged) == (900, 900, 107_100)
    assert store.load().monthly.height == 108_900
