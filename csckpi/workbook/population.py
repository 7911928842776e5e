"""The Context sheet's 0-17 population against the rates per 10,000 the Monthly sheet states.

A rate indicator with a numerator row is worked out again from its count and the year's
population (docs/computation.md), so the population must be the one the rates were worked out
from. Each month's stated rate, rounded to its decimals, pins the population to a range
(284 children at 126.5 per 10,000: 22,442 to 22,460); the months of a year together pin it
closer. A population outside that range — beyond its own rounding to a whole number — gives
rates that read differently from the workbook's: a warning at the population's cell, naming
the population the figures imply and a month that would change.
"""

from __future__ import annotations

import math

import polars as pl

from csckpi.model import Context, Indicator, Unit
from csckpi.numbers import number
from csckpi.periods import Month, fy_label
from csckpi.workbook.problems import Collector

_FY = (
    pl.col("month").dt.year().cast(pl.Int64) - (pl.col("month").dt.month() < 4).cast(pl.Int64)
).alias("fy")


def check_population(
    monthly: pl.DataFrame,
    context: Context,
    cells: dict[int, tuple[str, int, int]],
    indicators: dict[str, Indicator],
    out: Collector,
) -> None:
    """Warn at each population cell (``cells``: financial year -> sheet, row, column) the
    Monthly sheet's rates with numerators were not worked out from. ``monthly`` is the
    Monthly frame (key, code, month, part, value, sheet, cell)."""
    rates = {k: i.places for k, i in indicators.items() if i.unit is Unit.RATE}
    if not rates or not context.population or monthly.height == 0:
        return
    parts = monthly.filter(pl.col("key").is_in(list(rates)) & pl.col("value").is_not_null())
    wanted = ["key", "code", "month"]
    values = parts.filter(pl.col("part") == "value").select(*wanted, "value", "sheet", "cell")
    counts = parts.filter(pl.col("part") == "numerator").select(*wanted, numerator="value")
    own = parts.filter(pl.col("part") == "denominator").select(*wanted)  # its own population
    population = pl.DataFrame(
        list(context.population),
        schema={"population_fy": pl.Int64, "population": pl.Float64},
        orient="row",
    ).sort("population_fy")
    half = pl.lit(0.5) * pl.lit(10.0).pow(-pl.col("places").cast(pl.Float64))
    months = (
        values.join(counts, on=wanted)
        .join(own, on=wanted, how="anti")
        .filter(pl.col("numerator") > 0)
        .with_columns(_FY, places=pl.col("key").replace_strict(rates, return_dtype=pl.Int64))
        .sort("fy")
        # each year's rates use its own population, else the latest year's before it
        .join_asof(population, left_on="fy", right_on="population_fy", strategy="backward")
        .filter(pl.col("population").is_not_null())
        .with_columns(
            low=pl.col("numerator") * 10_000 / (pl.col("value") + half),
            high=pl.when(pl.col("value") > half)
            .then(pl.col("numerator") * 10_000 / (pl.col("value") - half))
            .otherwise(float("inf")),
            worked=pl.col("numerator") * 10_000 / pl.col("population"),
        )
        .with_columns(
            off=(pl.col("worked") - pl.col("value")).abs(),
            changes=(pl.col("population") < pl.col("low"))
            | (pl.col("population") > pl.col("high")),
        )
    )
    if months.height == 0:
        return
    implied = (
        months.group_by("population_fy", maintain_order=True)
        .agg(
            pl.col("population").first(),
            pl.col("low").max(),
            pl.col("high").min(),
            pl.col("key", "code", "month", "value", "worked", "sheet", "cell", "places")
            .sort_by("changes", "off", descending=True)
            .first(),
        )
        .filter(pl.col("low") <= pl.col("high"))  # the rates agree on one population
        .filter(
            (pl.col("population") + 0.5 < pl.col("low"))
            | (pl.col("population") - 0.5 > pl.col("high"))
        )
    )
    for row in implied.sort("population_fy").iter_rows(named=True):
        fy = row["population_fy"]
        if fy not in cells:
            continue
        sheet, at_row, at_column = cells[fy]
        low, high = math.ceil(row["low"]), math.floor(row["high"])
        if low < high:
            fits = f"{low:,} to {high:,}"
        else:  # one whole number, or none between two
            fits = f"{low:,}" if low == high else f"about {round((row['low'] + row['high']) / 2):,}"
        month = Month.from_date(row["month"])
        places = row["places"]
        out.warn(
            sheet,
            at_row,
            at_column,
            "population-not-the-rates",
            f"the rates per 10,000 on {row['sheet']} were worked out from a population of "
            f"{fits} for {fy_label(fy)}, not {row['population']:,.0f}: worked out again from "
            f"{row['population']:,.0f}, {row['code']}'s {month} is "
            f"{number(row['worked'], places)} where {row['sheet']}!{row['cell']} says "
            f"{number(row['value'], places)} — give the population the rates came from",
        )
