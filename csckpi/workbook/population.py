"""Rates per 10,000 against their counts and the Context sheet's 0-17 population.

A rate per 10,000 is its count over the year's 0-17 population × 10,000 (docs/computation.md).
Its count is the rate's own numerator row, or a count indicator of the same measure and
section whose figures are the rate's: CSC 201 (children in care) for CSC 200 (their rate per
10,000), both in Children in Care. (Within a section, so that a workbook of many indicators
pairs each rate with a few counts, not every count of its measure.) A
count indicator is taken to be a rate's count in a financial year when all but at most one of
their shared months — and at least three — give the rate from one population.

Each month's rate, written to its decimals, pins the population to a range: 284 children at
126.5 per 10,000 were counted among 22,442 to 22,460 children (126.45 to 126.55; a rate
exactly halfway is taken either way), and a year's months together pin it closer. Two checks
come of it, each a warning:

* **a month whose rate and count do not go together** when the year's other months do (a
  count typed over, or a rate not updated with it): at the rate's cell, naming the count's;
* **a population the rates were not worked out from**: a Context population outside the
  range its year's rates imply, beyond its own rounding to a whole number. Rates worked out
  again from it read differently from the workbook's: at the population's cell.

Where rounding explains a difference there is no warning. A rate with a denominator row has
its own population and is not checked.
"""

from __future__ import annotations

import math
import re

import polars as pl

from csckpi.model import Context, Indicator, Unit
from csckpi.numbers import number
from csckpi.periods import Month, fy_label
from csckpi.workbook.problems import Collector

#: A month's financial year (its April's year).
_FY = pl.col("month").dt.year().cast(pl.Int64) - (pl.col("month").dt.month() < 4).cast(pl.Int64)
#: Half a unit in a rate's last decimal place.
_HALF = pl.lit(0.5) * pl.lit(10.0).pow(-pl.col("places").cast(pl.Float64))
#: Floating-point slack on a range's ends (a rate exactly halfway is taken either way).
_SLACK = 1e-9
#: A count indicator is a rate's when this many of their shared months of a year agree...
_AGREE = 3
#: ... and no more than this many do not.
_ODD = 1
_GROUP = ["key", "count_key", "fy"]


def check_rates(
    monthly: pl.DataFrame,
    context: Context,
    cells: dict[int, tuple[str, int, int]],
    indicators: dict[str, Indicator],
    out: Collector,
) -> None:
    """Warn at each month whose rate per 10,000 and count do not go together, and at each
    population cell (``cells``: financial year -> sheet, row, column) the rates were not
    worked out from. ``monthly`` is the Monthly frame (key, code, month, part, value, sheet,
    cell)."""
    rates = {k: i for k, i in indicators.items() if i.unit is Unit.RATE}
    if not rates or monthly.height == 0:
        return
    months = _agreeing(_pairs(monthly, rates, indicators))
    if months.height == 0:
        return
    odd = (
        months.filter(~pl.col("fits"))
        .sort("own", descending=True)  # a rate off its numerator and a count: said once
        .unique(["sheet", "rate_cell"], keep="first", maintain_order=True)
    )
    for row in odd.iter_rows(named=True):
        _odd_month(row, out)
    if context.population:
        _population(months.filter(pl.col("fits")), context, cells, out)


def _pairs(
    monthly: pl.DataFrame, rates: dict[str, Indicator], indicators: dict[str, Indicator]
) -> pl.DataFrame:
    """Each rate's month with a count for it — its own numerator, and each count indicator of
    the same measure and section — and the population range the two pin."""
    counts = {k: i for k, i in indicators.items() if i.unit is Unit.COUNT}
    both = rates | counts
    measure = pl.col("key").replace_strict(
        {k: i.measure.value for k, i in both.items()}, return_dtype=pl.String
    )
    section = pl.col("key").replace_strict(
        {k: i.section for k, i in both.items()}, return_dtype=pl.String
    )
    places = {k: i.places for k, i in rates.items()}
    figures = monthly.filter(pl.col("value").is_not_null())
    of_rates = figures.filter(pl.col("key").is_in(list(rates)))
    own_population = of_rates.filter(pl.col("part") == "denominator").select("key", "month")
    values = (
        of_rates.filter(pl.col("part") == "value")
        .join(own_population, on=["key", "month"], how="anti")
        .select(
            "key",
            "code",
            "month",
            "sheet",
            rate="value",
            rate_cell="cell",
            measure=measure,
            section=section,
            places=pl.col("key").replace_strict(places, return_dtype=pl.Int64),
        )
    )
    own = of_rates.filter(pl.col("part") == "numerator").select(
        "key",
        "month",
        count_key="key",
        count_code="code",
        count="value",
        count_cell="cell",
        own=pl.lit(True),
    )
    linked = figures.filter(pl.col("key").is_in(list(counts)) & (pl.col("part") == "value")).select(
        "month",
        count_key="key",
        count_code="code",
        count="value",
        count_cell="cell",
        own=pl.lit(False),
        measure=measure,
        section=section,
    )
    return (
        pl.concat(
            [
                values.join(own, on=["key", "month"]),
                values.join(linked, on=["month", "measure", "section"]).select(
                    *values.columns, *own.columns[2:]
                ),
            ]
        )
        .filter((pl.col("count") > 0) & (pl.col("rate") >= 0))
        .with_columns(
            fy=_FY,
            low=pl.col("count") * 10_000 / (pl.col("rate") + _HALF) * (1 - _SLACK),
            high=pl.when(pl.col("rate") > _HALF)
            .then(pl.col("count") * 10_000 / (pl.col("rate") - _HALF) * (1 + _SLACK))
            .otherwise(float("inf")),
        )
    )


def _agreeing(pairs: pl.DataFrame) -> pl.DataFrame:
    """The months of each rate and count whose year agrees on one population but for at most
    :data:`_ODD` months: ``fits`` (the month agrees), and ``lowest`` and ``highest``, the range
    the agreeing months pin."""
    if pairs.height == 0:
        return pairs
    # The population most months agree on: the start of some month's range.
    best = (
        pairs.select(*_GROUP, point="low")
        .unique()
        .join(pairs.select(*_GROUP, "low", "high"), on=_GROUP)
        .filter(pl.col("point").is_between(pl.col("low"), pl.col("high")))
        .group_by(*_GROUP, "point")
        .agg(agree=pl.len())
        .group_by(_GROUP)
        .agg(pl.col("point").sort_by("agree", descending=True).first(), pl.col("agree").max())
    )
    fits = pl.col("point").is_between(pl.col("low"), pl.col("high"))
    return (
        pairs.join(best, on=_GROUP)
        .with_columns(fits=fits, shared=pl.len().over(_GROUP))
        .filter(
            (pl.col("agree") >= _AGREE) & (pl.col("shared") - pl.col("agree") <= _ODD)
            | pl.col("own") & (pl.col("agree") == pl.col("shared"))
        )
        .with_columns(
            lowest=pl.col("low").filter(pl.col("fits")).max().over(_GROUP),
            highest=pl.col("high").filter(pl.col("fits")).min().over(_GROUP),
        )
    )


def _odd_month(row: dict[str, object], out: Collector) -> None:
    """The warning at a month whose rate and count do not go together."""
    places = int(row["places"])  # type: ignore[call-overload]
    rate, count = float(row["rate"]), float(row["count"])  # type: ignore[arg-type]
    lowest, highest = float(row["lowest"]), float(row["highest"])  # type: ignore[arg-type]
    month = Month.from_date(row["month"])  # type: ignore[arg-type]
    code, sheet = row["code"], row["sheet"]
    worked = _between(count * 10_000 / highest, count * 10_000 / lowest, places)
    half = 0.5 * 10.0**-places
    fewest = math.ceil((rate - half) * lowest / 10_000 - _SLACK)
    most = math.floor((rate + half) * highest / 10_000 + _SLACK)
    implied = (
        _between(fewest, most, 0) if fewest <= most else f"about {rate * lowest / 10_000:,.0f}"
    )
    fy = fy_label(int(row["fy"]))  # type: ignore[call-overload]
    if row["own"]:
        whose = f"its numerator, {count:,.0f} ({sheet}!{row['count_cell']})"
        others = f"in its other months of {fy}, the numerators give its rates"
    else:
        whose = f"{row['count_code']}'s {month} count, {count:,.0f} ({sheet}!{row['count_cell']})"
        others = f"in {code}'s other months of {fy}, {row['count_code']}'s counts give its rates"
    at_row, at_column = _cell(str(row["rate_cell"]))
    out.warn(
        str(sheet),
        at_row,
        at_column,
        "rate-not-its-count",
        f"{code}'s {month} rate, {number(rate, places)} per 10,000, does not go with {whose}: "
        f"{others} from a population of {_population_range(lowest, highest)}, by which "
        f"{count:,.0f} would be {worked} per 10,000 and {number(rate, places)} would be "
        f"{implied} — check both figures",
    )


def _population(
    months: pl.DataFrame,
    context: Context,
    cells: dict[int, tuple[str, int, int]],
    out: Collector,
) -> None:
    """Warn at each population cell its year's rates were not worked out from."""
    population = pl.DataFrame(
        list(context.population),
        schema={"population_fy": pl.Int64, "population": pl.Float64},
        orient="row",
    ).sort("population_fy")
    worked = pl.col("count") * 10_000 / pl.col("population")
    implied = (
        months.sort("fy")
        # each year's rates use its own population, else the latest year's before it
        .join_asof(population, left_on="fy", right_on="population_fy", strategy="backward")
        .filter(pl.col("population").is_not_null())
        .with_columns(
            worked=worked,
            changes=(pl.col("population") < pl.col("low"))
            | (pl.col("population") > pl.col("high")),
            off=(worked - pl.col("rate")).abs(),
        )
        .group_by("fy", maintain_order=True)
        .agg(
            pl.col("population_fy", "population").first(),
            pl.col("low").max(),
            pl.col("high").min(),
            pl.col("code", "month", "rate", "worked", "sheet", "rate_cell", "places")
            .sort_by("changes", "off", descending=True)
            .first(),
        )
        .filter(pl.col("low") <= pl.col("high"))  # the year's rates agree on one population
        .filter(
            (pl.col("population") + 0.5 < pl.col("low"))
            | (pl.col("population") - 0.5 > pl.col("high"))
        )
    )
    for row in implied.sort("fy").iter_rows(named=True):
        fy, given = row["fy"], row["population_fy"]
        if given not in cells:
            continue
        sheet, at_row, at_column = cells[given]
        places, shown = row["places"], f"{row['population']:,.0f}"
        fix = "give the population the rates came from"
        if given != fy:
            fix = (
                f"it is {fy_label(given)}'s, used for {fy_label(fy)} too: give {fy_label(fy)} "
                "its own population, the one its rates came from"
            )
        out.warn(
            sheet,
            at_row,
            at_column,
            "population-not-the-rates",
            f"the rates per 10,000 on {row['sheet']} for {fy_label(fy)} were worked out from a "
            f"population of {_population_range(row['low'], row['high'])}, not {shown}: worked "
            f"out again from {shown}, {row['code']}'s {Month.from_date(row['month'])} is "
            f"{number(row['worked'], places)} where {row['sheet']}!{row['rate_cell']} says "
            f"{number(row['rate'], places)} — {fix}",
        )


def _population_range(low: float, high: float) -> str:
    """The whole populations between ``low`` and ``high``: `22,453 to 22,457`."""
    first, last = math.ceil(low), math.floor(high)
    if first > last:  # none between two whole numbers
        return f"about {round((low + high) / 2):,}"
    return _between(first, last, 0)


def _between(low: float, high: float, places: int) -> str:
    """`127.4`, or `127.3 to 127.4` where the two read differently."""
    first, last = number(low, places), number(high, places)
    return first if first == last else f"{first} to {last}"


def _cell(name: str) -> tuple[int, int]:
    """`J30` -> (30, 10)."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", name).groups()  # type: ignore[union-attr]
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits), column
