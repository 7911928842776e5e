"""compute(): every indicator for one period, with its target, RAG and comparisons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from csckpi.compute import series
from csckpi.compute.figures import figure_pass, inputs
from csckpi.compute.inputs import collect, monthly_values, months
from csckpi.compute.judge import direction, rag, shown
from csckpi.compute.measures import per_measure
from csckpi.compute.reasons import explain
from csckpi.compute.targets import COLUMNS as TARGET_COLUMNS
from csckpi.compute.targets import period_targets
from csckpi.dataset import Dataset
from csckpi.errors import PeriodError
from csckpi.model import Unit
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.spc import SpcOptions

#: The columns of :func:`compute`, in order (docs/architecture.md).
COLUMNS = (
    "key",
    "code",
    "title",
    "section",
    "order",
    "unit",
    "polarity",
    "measure",
    "decimals",
    "period",
    "value",
    "basis",
    "reported",
    "numerator",
    "denominator",
    "flow",
    "ytd",
    "target",
    "tolerance",
    "rag",
    "last_year",
    "change",
    "direction",
    "previous",
    "previous_change",
    "previous_direction",
    "reason",
    "last_year_flow",  # a cumulative count's own flow a year earlier (CSC 036 Q3 2019/20: 204)
    "flow_change",  # flow - last_year_flow
    "flow_direction",  # flow against last_year_flow, through polarity
    *TARGET_COLUMNS,  # which target, for what length; the year to date's and the flow's; span
    *series.COLUMNS,  # SPC's icons for the period's last month, or why there are none
)

# The periods computed beside the one asked for, by pid.
_MAIN, _LAST_YEAR, _PREVIOUS, _YTD = range(4)


def compute(
    dataset: Dataset,
    period: Period,
    keys: Iterable[str] | None = None,
    spc: SpcOptions | None = None,
) -> pl.DataFrame:
    """Every indicator for ``period``: one row each, in workbook order (see COLUMNS).

    Values are unrounded; ``rag`` and ``direction`` judge the values as shown (rounded to the
    indicator's decimals), so a table never says "90.0 red against 90". ``target`` and
    ``tolerance`` are the period's: its year's (the Targets sheet, else the Indicators
    sheet's), made for the period's length where the figure grows with it
    (``compute.targets``); RAG is judged against them. ``spc``: statistical
    process control as asked (``spc.options()``), judged on the months up to the period's
    last; without it (or with it off) its columns are null.
    """
    return _compute(dataset, period, keys, spc)[0]


def compute_with_trend(
    dataset: Dataset,
    period: Period,
    keys: Iterable[str] | None = None,
    spc: SpcOptions | None = None,
    months: int = 12,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`compute` and each indicator's values in the ``months`` months to the period's
    end (``inputs.monthly_values``: the scorecard's trend), made together: with SPC on, the
    trend is read from the months SPC has made, not made again."""
    frame, every = _compute(dataset, period, keys, spc)
    first, last = period.last - (months - 1), period.last
    if every is None:
        wanted = frame.get_column("key").to_list()
        return frame, monthly_values(dataset, wanted, first=first, last=last)
    window = every.filter(pl.col("month").is_between(first.date, last.date))
    return frame, window.drop("stored", "from_records").sort("key", "month")


def _compute(
    dataset: Dataset,
    period: Period,
    keys: Iterable[str] | None,
    spc: SpcOptions | None,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """:func:`compute`'s frame, and every month to the period's end (``inputs.months``)
    where SPC made them."""
    if period.kind is PeriodKind.YTD and period.end is None:
        raise PeriodError(f"{period.label} has no end month.", "Use resolve_period().")
    periods = [period, period.last_year(), period.previous(), period.ytd()]
    ins = inputs(dataset, periods, None if keys is None else list(keys))
    control = every = None
    spc_on = spc is not None and spc.enabled
    # the period's targets, and (for SPC's assurance) its last month's, in one query
    targets = period_targets(dataset, period, ins.indicators, month=spc_on)
    if spc is not None and spc_on:
        # every month up to the period's end, made once: the pass reads its own months from it
        every = collect(months(dataset, ins.indicators, None, period.last))
        first = min(p.first for p in periods) - 1
        ins = replace(ins, months=every.lazy().filter(pl.col("month") >= first.date))
        values = collect(series.series(every.lazy(), ins.indicators))
        result = series.analyse(
            dataset,
            spc,
            ins.indicators.get_column("key").to_list(),
            period.last,
            values=values,
            latest_only=True,
            indicators=ins.indicators,
            targets=targets.select("key", target="month_target"),
        )
        control = series.columns(result, values, ins.indicators)
    figs = collect(figure_pass(dataset, periods, ins)).lazy()  # read twice below: run once
    pid = pl.col("pid")
    main = figs.filter(pid == _MAIN).drop("pid", "unit", "decimals")
    value, flow = pl.col("value"), pl.col("flow")

    def of(column: pl.Expr, which: int) -> pl.Expr:  # one row per period: the largest is it
        return pl.when(pid == which).then(column).max()

    others = (
        figs.filter(pid != _MAIN)
        .group_by("key")
        .agg(
            last_year=of(value, _LAST_YEAR),
            last_year_flow=of(flow, _LAST_YEAR),
            _previous_value=of(value, _PREVIOUS),
            _previous_flow=of(flow, _PREVIOUS),
            ytd=of(value, _YTD),
        )
    )
    # What each measure compares with the period before: its value, its flow, or nothing.
    running = period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
    by = per_measure(
        lambda r: pl.col("unit").replace_strict(
            {unit.value: r.previous(unit, running) for unit in Unit},
            default=None,
            return_dtype=pl.String,
        )
    )
    by_flow = by == "flow"
    now = pl.when(by_flow).then(flow).otherwise(value)
    places = pl.col("decimals")
    query = (
        targets.lazy()
        .select(pl.exclude("month_target"))
        .join(main, on="key", how="left", maintain_order="left")
        .join(others, on="key", how="left", maintain_order="left")
        .with_columns(
            previous=pl.when(by_flow)
            .then(pl.col("_previous_flow"))
            .when(by.is_null())
            .then(None)
            .otherwise(pl.col("_previous_value"))
        )
        .with_columns(
            change=value - pl.col("last_year"),
            previous_change=now - pl.col("previous"),
            rag=rag(shown(value, places)),
            direction=direction(shown(value, places), shown(pl.col("last_year"), places)),
            previous_direction=direction(shown(now, places), shown(pl.col("previous"), places)),
            flow_change=flow - pl.col("last_year_flow"),
            flow_direction=direction(shown(flow, places), shown(pl.col("last_year_flow"), places)),
        )
    )
    table = explain(collect(query))
    if control is None:
        return table.with_columns(pl.lit(None, pl.String).alias(c) for c in series.COLUMNS).select(
            COLUMNS
        ), every
    return table.join(control, on="key", how="left", maintain_order="left").select(COLUMNS), every
