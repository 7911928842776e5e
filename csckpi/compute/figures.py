"""The pass: every indicator's figure for every period asked for, in one polars query.

The months of every period are laid out as one frame (indicator x period x month), joined to
the monthly values and aggregated per (indicator, period) into the columns of
:class:`~csckpi.compute.measures.Cell`; each row's measure rule then gives its value, basis,
flow and, where there is no value, why (``measures.py``). Nothing loops over indicators or
figures in Python; the reasons' words are written afterwards, from their fields
(``reasons.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from csckpi.compute.inputs import collect, indicator_frame, latest_month, months
from csckpi.compute.judge import within_rounding
from csckpi.compute.measures import Cell, having, per_measure
from csckpi.compute.reasons import FIELDS, Why, explain
from csckpi.compute.reported import period_frame, reported_frame
from csckpi.dataset import Dataset
from csckpi.periods import Month, Period

#: The columns of :func:`figures`.
COLUMNS = (
    "key",
    "pid",
    "period",
    "value",
    "basis",
    "reported",
    "numerator",
    "denominator",
    "flow",
    "reason",
)


@dataclass(frozen=True)
class Inputs:
    """The indicators wanted and their months, as the pass reads them."""

    indicators: pl.DataFrame  # indicator_frame
    months: pl.LazyFrame  # inputs.months: monthly values and the workbook's stored rate
    latest: Month | None


def inputs(dataset: Dataset, periods: Sequence[Period], keys: Iterable[str] | None) -> Inputs:
    """The indicators and only the months ``periods`` need (and the month before each)."""
    indicators = indicator_frame(dataset, keys)
    first = min(p.first for p in periods) - 1 if periods else None
    last = max(p.last for p in periods) if periods else None
    return Inputs(indicators, months(dataset, indicators, first, last), latest_month(dataset))


def figures(
    dataset: Dataset, periods: Sequence[Period], keys: Iterable[str] | None = None
) -> pl.DataFrame:
    """Each indicator's figure for each period, in one pass.

    Columns (:data:`COLUMNS`): key, pid (index into ``periods``), period (label), value, basis,
    reported, numerator, denominator, flow, reason.
    """
    frame = collect(figure_pass(dataset, periods, inputs(dataset, periods, keys)))
    return explain(frame).select(COLUMNS)


def _aggregate(ins: Inputs, periods: pl.LazyFrame) -> pl.LazyFrame:
    """Per (key, pid): the counts, sums, extremes and last month of the period's months."""
    members = periods.select("pid", "last", month=pl.date_ranges("first", "last", interval="1mo"))
    grid = (
        ins.indicators.lazy()
        .select("key")
        .join(members.explode("month"), how="cross")
        .join(ins.months, on=["key", "month"], how="left")
    )
    value, num, den = pl.col("value"), pl.col("numerator"), pl.col("denominator")
    at_last = pl.col("month") == pl.col("last")

    def last(column: str) -> pl.Expr:  # one row per month: its largest is the only one
        return pl.when(at_last).then(pl.col(column)).max()

    return grid.group_by("key", "pid").agg(
        _n=pl.len(),
        _n_value=value.is_not_null().sum(),
        _n_num=num.is_not_null().sum(),
        _n_den=den.is_not_null().sum(),
        _n_both=(num.is_not_null() & den.is_not_null()).sum(),
        _sum_value=value.sum(),
        _sum_num=num.sum(),
        _sum_den=den.sum(),
        _min_value=value.min(),
        _max_value=value.max(),
        _last_value=last("value"),
        _last_num=last("numerator"),
        _last_den=last("denominator"),
        _last_stored=last("stored"),
        _n_records=pl.col("from_records").fill_null(False).sum(),
        _missing=pl.col("month").filter(value.is_null()).sort(),
    )


def _cells(dataset: Dataset, periods: Sequence[Period], ins: Inputs) -> pl.LazyFrame:
    """One row per (indicator, period): its definition, the period and its months aggregated,
    the month before it and the workbook's reported figures for it."""
    ind = ins.indicators.lazy().select("key", "unit", "measure", "decimals")
    pf = period_frame(periods)
    before = (
        ind.select("key")
        .join(pf.select("pid", "prev"), how="cross")
        .join(
            ins.months.select("key", pl.col("month").alias("prev"), _prev_value="value"),
            on=["key", "prev"],
            how="left",
        )
        .select("key", "pid", "_prev_value")
    )
    reported = reported_frame(dataset, ind, periods, ins.latest)
    # A rate recomputed from its numerator is checked against the rate the workbook gives for
    # that month, as any reported figure is.
    one_month = Cell.is_month | having(lambda r: r.at_end)
    return (
        ind.join(pf, how="cross")
        .join(_aggregate(ins, pf), on=["key", "pid"], how="left")
        .join(before, on=["key", "pid"], how="left")
        .join(reported, on=["key", "pid"], how="left")
        .with_columns(
            reported=pl.coalesce("reported", pl.when(one_month).then(pl.col("_last_stored")))
        )
    )


def _parts(name: str) -> pl.Expr:
    """The period's numerator or denominator: the workbook's where the months gave no value,
    else the last month's for a one-month figure, else the months' sum when all have one."""
    at_end = having(lambda r: r.at_end)
    return (
        pl.when(pl.col("_derived").is_null())
        .then(pl.col(f"reported_{name}"))
        .when(at_end | Cell.is_month)
        .then(pl.col(f"_last_{name[:3]}"))
        .when(pl.col(f"_n_{name[:3]}") == Cell.months)
        .then(pl.col(f"_sum_{name[:3]}"))
    )


def _why() -> pl.Expr:
    """Why there is no value (the measure's rule), or a warning beside one: a pooled figure
    the workbook reports outside its months' range is not that period's (often the latest
    month's, or a slip), though the value is still the workbook's."""
    tolerance = within_rounding(pl.col("decimals"))
    value = Cell.value
    outside = (
        having(lambda r: r.pooled)
        & ~Cell.is_month
        & (pl.col("basis") == "reported")
        & Cell.complete
        & ((value < pl.col("_min_value") - tolerance) | (value > pl.col("_max_value") + tolerance))
    )
    none_derived = pl.col("_derived").is_null() & pl.col("reported").is_not_null() & Cell.records
    return (
        pl.when(none_derived)
        .then(pl.lit(Why.RECORDS_NONE.value))
        .when(outside)
        .then(pl.lit(Why.OUTSIDE_RANGE.value))
        .when(value.is_null())
        .then(per_measure(lambda r: r.missing()))
    )


def figure_pass(dataset: Dataset, periods: Sequence[Period], ins: Inputs) -> pl.LazyFrame:
    """The figures of :func:`figures` as a query, with the fields of their reasons
    (``reasons.FIELDS``) in place of the words."""
    derived = pl.col("_derived")
    differs = (derived - pl.col("reported")).abs() > within_rounding(pl.col("decimals"))
    basis = (
        pl.when(derived.is_not_null())
        .then(
            pl.when(pl.col("reported").is_not_null() & differs)
            .then(pl.lit("differs"))
            .when(Cell.records)
            .then(pl.lit("records"))
            .otherwise(per_measure(lambda r: r.basis()))
        )
        # the records give no figure (0 conferences in the month), the workbook does
        .when(pl.col("reported").is_not_null() & Cell.records)
        .then(pl.lit("differs"))
        .when(pl.col("reported").is_not_null())
        .then(pl.lit("reported"))
        .otherwise(pl.lit("none"))
    )
    fields = [f for f in FIELDS if f not in COLUMNS and f != "_why"]
    return (
        _cells(dataset, periods, ins)
        .with_columns(_derived=per_measure(lambda r: r.value()))
        .with_columns(
            value=pl.coalesce("_derived", "reported"),
            basis=basis,
            numerator=_parts("numerator"),
            denominator=_parts("denominator"),
        )
        .with_columns(
            flow=per_measure(lambda r: r.flow() if r.flow else None),
            _why=_why(),
        )
        .select(*(c for c in COLUMNS if c != "reason"), "_why", *fields)
    )
