"""The workbook's own figures for whole periods, and which of them answer a period."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from csckpi.compute.measures import having
from csckpi.dataset import Dataset
from csckpi.periods import Month, Period, PeriodKind, fy_label

#: The reported columns of a figure, by its `figure` and `part`.
COLUMNS = ("reported", "reported_numerator", "reported_denominator", "reported_flow")


def data_end(fy: int, latest: Month | None) -> Month:
    """The last month of ``fy`` the data can speak for: March, or the latest month."""
    march = Month(fy + 1, 3)
    if latest is None or latest >= march:
        return march
    return latest


def reported_keys(period: Period, latest: Month | None) -> list[tuple[str, bool]]:
    """The `reported` period keys that mean this period, best first, each with whether it
    answers only a measure whose figure is its last month's (``MeasureRule.at_end``).

    Only a row labelled as a year to date (`2020/21 YTD`) answers a ratio's or a flow's year to
    date. A bare `2020/21` answers the whole year once it is complete; while the year runs,
    the workbook's bare `2020/21` cell holds its latest month's figure (the "annual trend" of a
    monthly percentage), which is the year to date only of a snapshot or cumulative indicator.
    """
    if period.kind is PeriodKind.YTD:
        # A reported year to date is the one at the workbook's latest month.
        if period.end is not None and period.end == data_end(period.fy, latest):
            whole_year = period.end.month == 3
            return [(period.label, False), (fy_label(period.fy), not whole_year)]
        return []
    if period.kind is PeriodKind.YEAR:
        if latest is None or latest >= Month(period.fy + 1, 3):
            return [(period.label, False), (f"{period.label} YTD", False)]
        return []
    return [(period.key, False)]


def reported_frame(
    dataset: Dataset, indicators: pl.LazyFrame, periods: Sequence[Period], latest: Month | None
) -> pl.LazyFrame:
    """key, pid, and the best reported figure of each kind (:data:`COLUMNS`) for each period.

    ``indicators``: key and measure of the indicators wanted.
    """
    wanted = pl.LazyFrame(
        [
            {"pid": pid, "_rkey": rkey, "_rank": rank, "_at_end_only": at_end_only}
            for pid, period in enumerate(periods)
            for rank, (rkey, at_end_only) in enumerate(reported_keys(period, latest))
        ],
        schema={"pid": pl.Int64, "_rkey": pl.String, "_rank": pl.Int64, "_at_end_only": pl.Boolean},
        orient="row",
    )
    figure = pl.col("figure").fill_null("value")
    part = pl.col("part").fill_null("value")
    column = (
        pl.when(figure == "flow")
        .then(pl.lit("reported_flow"))
        .when(part == "value")
        .then(pl.lit("reported"))
        .otherwise(pl.concat_str(pl.lit("reported_"), part))
    )
    value = pl.col("value")
    return (
        dataset.reported.lazy()
        .filter(value.is_not_null())
        .join(indicators.select("key", "measure"), on="key", how="inner")
        .join(wanted, left_on="period", right_on="_rkey", how="inner")
        .filter(~pl.col("_at_end_only") | having(lambda r: r.at_end))
        .with_columns(_col=column)
        .sort("_rank", maintain_order=True)
        .group_by("key", "pid")
        .agg(value.filter(pl.col("_col") == name).first().alias(name) for name in COLUMNS)
    )


def period_frame(periods: Sequence[Period]) -> pl.LazyFrame:
    """One row per period asked for: pid (its index), label, kind, first and last month, and
    the month before it within its financial year (none for a period starting in April)."""
    return pl.LazyFrame(
        {
            "pid": list(range(len(periods))),
            "period": [p.label for p in periods],
            "kind": [p.kind.value for p in periods],
            "first": [p.first.date for p in periods],
            "last": [p.last.date for p in periods],
            "prev": [None if p.first.month == 4 else (p.first - 1).date for p in periods],
        },
        schema={
            "pid": pl.Int64,
            "period": pl.String,
            "kind": pl.String,
            "first": pl.Date,
            "last": pl.Date,
            "prev": pl.Date,
        },
    )
