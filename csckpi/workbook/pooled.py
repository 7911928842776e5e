"""A reported period figure of a ratio indicator, against the months it is pooled from.

A ratio's figure for a quarter, a year to date or a year is its numerators over its
denominators summed over the months (docs/computation.md): a weighted mean of the monthly
percentages, so it lies between the lowest and the highest of them, and comes near one end
only if the months at the other end held almost none of the cases. The other measures have no
such bound (a flow's year is a sum; a snapshot's or a cumulative figure's year is its last
month, which a year still running does not have yet; a distinct count is its own), so only
ratios are checked.

Where the Periods sheet gives a ratio's figure for a period whose every month has a figure on
the Monthly sheet, a figure outside its months' range — or so near one end that the months at
the other would have held under :data:`_SHARE` of an average month's cases — is a warning at
its cell. A year not over at the workbook's last month is checked against its months so far,
and the warning says it is a part-year figure. (The figure stays as the workbook gives it: a
report shows it as the workbook's own.)
"""

from __future__ import annotations

import math

import polars as pl

from csckpi.errors import PeriodError
from csckpi.model import Indicator, Measure, Unit
from csckpi.numbers import number
from csckpi.periods import Month, PeriodKind, fy_label, parse_period
from csckpi.workbook.problems import Collector

#: The smallest share of an average month's cases a month is taken to hold (a quarter).
_SHARE = 0.25
#: Floating-point slack on the rounding's bounds (a figure exactly at one is possible).
_SLACK = 1e-9
#: Months: polars dates as month indexes (year * 12 + month - 1).
_INDEX = pl.col("month").dt.year().cast(pl.Int64) * 12 + pl.col("month").dt.month() - 1


def check_pooled(
    reported: pl.DataFrame,
    monthly: pl.DataFrame,
    sheet: str,
    indicators: dict[str, Indicator],
    out: Collector,
) -> None:
    """Warn at each ratio's reported period figure its months cannot pool to. ``reported`` is
    the Periods sheet's figures (key, code, slot, figure, part, value, row, column);
    ``monthly`` the Monthly sheet's frame (key, month, part, value)."""
    ratios = {k: i for k, i in indicators.items() if i.measure is Measure.RATIO}
    figures = reported.filter(
        pl.col("key").is_in(list(ratios))
        & (pl.col("part") == "value")
        & (pl.col("figure") == "value")
        & pl.col("value").is_not_null()
    )
    months = monthly.filter((pl.col("part") == "value") & pl.col("value").is_not_null())
    if figures.height == 0 or months.height == 0:
        return
    latest = Month.from_index(months.select(_INDEX.max()).item())
    spans = _spans(figures.get_column("slot").unique().to_list(), latest)
    if spans.height == 0:
        return
    places = {k: i.places for k, i in ratios.items()}
    tolerance = pl.lit(10.0).pow(-pl.col("places").cast(pl.Float64))  # half a place, twice
    spread = pl.col("highest") - pl.col("lowest")
    near_top = (pl.col("highest") - pl.col("value") + tolerance) / spread
    near_bottom = (pl.col("value") - pl.col("lowest") + tolerance) / spread
    top = near_top <= near_bottom  # near the top: the lowest month would weigh next to nothing
    found = (
        figures.join(spans, on="slot")
        .join(months.select("key", _INDEX.alias("index"), "value"), on="key", suffix="_month")
        .filter(pl.col("index").is_between(pl.col("first"), pl.col("end")))
        .group_by("row", "column", maintain_order=True)
        .agg(
            pl.col("key", "code", "slot", "value", "first", "end", "label", "running").first(),
            pl.len().alias("months"),
            pl.col("value_month").min().alias("lowest"),
            pl.col("value_month").max().alias("highest"),
            pl.col("index").sort_by("value_month").first().alias("lowest_at"),
            pl.col("index").sort_by("value_month", descending=True).first().alias("highest_at"),
            pl.col("value_month").filter(pl.col("index") == pl.col("end")).first().alias("last"),
        )
        .filter(pl.col("months") == pl.col("end") - pl.col("first") + 1)
        .filter(pl.col("months") >= 2)
        .with_columns(places=pl.col("key").replace_strict(places, return_dtype=pl.Int64))
        .with_columns(
            outside=(pl.col("value") > pl.col("highest") + tolerance + _SLACK)
            | (pl.col("value") < pl.col("lowest") - tolerance - _SLACK),
            share=pl.when(spread > 2 * tolerance).then(pl.min_horizontal(near_top, near_bottom)),
            other=pl.when(top).then("lowest").otherwise("highest"),
            at=pl.when(top).then("lowest_at").otherwise("highest_at"),
            is_last=(pl.col("value") - pl.col("last")).abs() <= tolerance / 2,
        )
        .filter(pl.col("outside") | (pl.col("share") < _SHARE / pl.col("months")))
    )
    for row in found.sort("row", "column").iter_rows(named=True):
        indicator = ratios[row["key"]]
        out.warn(sheet, row["row"], row["column"], "period-not-pooled", _message(row, indicator))


def _spans(slots: list[str], latest: Month) -> pl.DataFrame:
    """For each period on the sheet that is pooled from months: its first and last month
    with a figure possible (to ``latest``, the workbook's last month), its label, and the
    financial year still running at ``latest`` (a part-year figure) or None."""
    rows: list[tuple[str, int, int, str, str | None]] = []
    for slot in slots:
        try:
            period = parse_period(slot)
        except PeriodError:
            continue
        if period.kind is PeriodKind.MONTH:
            continue
        if period.kind is PeriodKind.YTD:
            if period.fy != latest.fy:
                continue  # a past year's "year to date": to which month, it does not say
            last = latest
        else:
            last = period.last
        end = min(last, latest)
        if end < period.first:
            continue
        running = fy_label(period.fy) if period.kind is PeriodKind.YEAR and latest < last else None
        rows.append((slot, period.first.index, end.index, period.label, running))
    return pl.DataFrame(
        rows,
        schema={
            "slot": pl.String,
            "first": pl.Int64,
            "end": pl.Int64,
            "label": pl.String,
            "running": pl.String,
        },
        orient="row",
    )


def _message(row: dict[str, object], indicator: Indicator) -> str:
    """What is wrong with one figure against its months' range."""
    places = indicator.places
    value, low, high = (float(row[k]) for k in ("value", "lowest", "highest"))  # type: ignore[arg-type]
    first, end = (Month.from_index(int(row[k])) for k in ("first", "end"))  # type: ignore[call-overload]
    unit = "%" if indicator.unit is Unit.PERCENT else ""

    def shown(x: float) -> str:
        return number(x, places) + unit

    months = f"{first} to {end}: {shown(low)} to {shown(high)}"
    what = f"{shown(value)} for {row['code']} in {row['label']}"
    if row["running"] and row["is_last"]:
        check = f"; it is {end}'s own figure, not the year so far — check it"
    elif row["running"]:
        check = f" — check it (a part-year figure: {row['running']} is still running at {end})"
    else:
        check = " — check it"
    if row["outside"]:
        return f"{what} lies outside its months ({months}), so it is not pooled from them{check}"
    month = Month.from_index(int(row["at"]))  # type: ignore[call-overload]
    most = max(1, math.ceil(float(row["share"]) * 100))  # type: ignore[arg-type]
    other = shown(float(row["other"]))  # type: ignore[arg-type]
    return (
        f"{what} is at the edge of its months ({months}): pooled from them it comes to "
        f"{shown(value)} only if {month} ({other}) held under {most}% of the cases{check}"
    )
