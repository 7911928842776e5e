"""annual(): each financial year's figure per indicator (a report's annual trend)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from csckpi.compute.figures import Inputs, figure_pass
from csckpi.compute.inputs import collect, indicator_frame, latest_month, months
from csckpi.compute.reported import data_end
from csckpi.dataset import Dataset
from csckpi.errors import PeriodError
from csckpi.periods import Month, Period, PeriodKind, fy_label, parse_period

_SCHEMA = {
    "key": pl.String,
    "fy": pl.Int64,
    "year": pl.String,
    "value": pl.Float64,
    "basis": pl.String,
    "reported": pl.Float64,
}


def _years(dataset: Dataset, latest: Month | None) -> list[int]:
    """The financial years with any monthly or reported figure, up to the latest month's."""
    dates = dataset.month_values().get_column("month")
    fys = {int(d.year - (d.month < 4)) for d in dates.unique().to_list()}
    for text in dataset.reported.get_column("period").unique().to_list():
        try:
            parsed = parse_period(text)
        except PeriodError:
            continue
        if parsed.kind in (PeriodKind.YEAR, PeriodKind.YTD):
            fys.add(parsed.fy)
    return sorted(fy for fy in fys if latest is None or fy <= latest.fy)


def annual(dataset: Dataset, keys: Iterable[str] | None = None) -> pl.DataFrame:
    """Each financial year's figure per indicator: key, fy, year, value, basis, reported.

    A finished year is computed like the period `2019/20`; the year still running is its year
    to date (`2020/21 YTD`, to the latest month), or, where that has no figure, the workbook's
    bare `2020/21` figure with basis `reported` and the year labelled `2020/21`. Years known only
    from reported rows use them.
    """
    latest = latest_month(dataset)
    periods = [
        Period.of_year(fy)
        if latest is None or latest >= Month(fy + 1, 3)
        else Period.of_ytd(fy, data_end(fy, latest))
        for fy in _years(dataset, latest)
    ]
    if not periods:
        return pl.DataFrame(schema=_SCHEMA)
    indicators = indicator_frame(dataset, None if keys is None else list(keys))
    ins = Inputs(indicators, months(dataset, indicators), latest)
    fy_frame = pl.LazyFrame(
        {"pid": list(range(len(periods))), "fy": [p.fy for p in periods]},
        schema={"pid": pl.Int64, "fy": pl.Int64},
    )
    order = indicators.lazy().select("key").with_row_index("_pos")
    # The year still running, where its year to date has no figure: the workbook's bare
    # `2020/21` cell, shown as the workbook's figure under its own label (not as a YTD).
    running = periods[-1].fy if periods[-1].kind is PeriodKind.YTD else None
    bare = (
        dataset.reported.lazy()
        .filter(
            (pl.col("period") == (fy_label(running) if running is not None else ""))
            & pl.col("value").is_not_null()
            & (pl.col("figure").fill_null("value") == "value")
            & (pl.col("part").fill_null("value") == "value")
        )
        .group_by("key", maintain_order=True)
        .agg(_bare=pl.col("value").first())
    )
    use_bare = (
        (pl.col("fy") == (running if running is not None else -1))
        & pl.col("value").is_null()
        & pl.col("_bare").is_not_null()
    )
    query = (
        figure_pass(dataset, periods, ins)
        .join(fy_frame, on="pid")
        .join(order, on="key")
        .join(bare, on="key", how="left")
        .with_columns(
            period=pl.when(use_bare).then(pl.lit(fy_label(running or 0))).otherwise("period"),
            basis=pl.when(use_bare).then(pl.lit("reported")).otherwise("basis"),
            value=pl.when(use_bare).then("_bare").otherwise("value"),
            reported=pl.when(use_bare).then("_bare").otherwise("reported"),
        )
        .sort("_pos", "fy")
        .select("key", "fy", pl.col("period").alias("year"), "value", "basis", "reported")
    )
    return collect(query)
