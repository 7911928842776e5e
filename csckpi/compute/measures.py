"""The measure table: how each kind of measure makes a period's figure from its months.

One :class:`MeasureRule` per :class:`~csckpi.model.Measure`, in :data:`MEASURES`. A rule says in
data what the rest of csckpi asks about a measure (its figure is the last month's, its months
may be summed, its months are a running total, its figure is pooled from parts) and gives, as
polars expressions over one row per indicator and period (:class:`Cell`), its value, where the
value came from, its flow, why it has none, and what it is compared with in the period before.
:func:`per_measure` folds one of those over the table into a single expression, so the pass
computes every indicator at once whatever its measure.

To add a measure kind: name it in ``csckpi.model.Measure`` and give it a rule here; nothing
else branches on the measure (``docs/computation.md`` says in words what each rule does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from csckpi.compute.reasons import Why
from csckpi.model import Measure, TargetPer, Unit
from csckpi.periods import PeriodKind

#: How a ratio's numerator / denominator becomes its unit.
MULTIPLIER: dict[str, float] = {
    Unit.PERCENT.value: 100.0,
    Unit.RATE.value: 10_000.0,
    Unit.COUNT.value: 1.0,
    Unit.NUMBER.value: 1.0,
}


class Cell:
    """The columns a rule reads: one indicator in one period, its months aggregated.

    ``figures.py`` builds them; ``value`` is the period's value once chosen (the months', else
    the workbook's reported figure), read only by ``flow``.
    """

    unit = pl.col("unit")
    is_month = pl.col("kind") == PeriodKind.MONTH
    months = pl.col("_n")  # months in the period
    with_value = pl.col("_n_value")  # months with a value
    complete = with_value == months
    #: Every month of the period came from the children's records (``Dataset.records``): the
    #: value's basis is then `records` whatever the measure (the workbook's own figure for a
    #: month, where it gives one, is ``reported`` beside it).
    records = pl.col("_n_records") == months
    all_parts = pl.col("_n_both") == months  # months with a numerator and a denominator
    sum_value = pl.col("_sum_value")
    sum_num = pl.col("_sum_num")
    sum_den = pl.col("_sum_den")
    last_value = pl.col("_last_value")  # the period's last month
    before = pl.col("_prev_value")  # the month before the period (none before April)
    starts_year = pl.col("prev").is_null()  # the period starts in April
    reported_flow = pl.col("reported_flow")
    value = pl.col("value")
    multiplier = unit.replace_strict(MULTIPLIER, default=1.0, return_dtype=pl.Float64)


def _computed_or_month() -> pl.Expr:
    return pl.when(Cell.is_month).then(pl.lit("month")).otherwise(pl.lit("computed"))


def _month() -> pl.Expr:
    return pl.lit("month")


def _no_figures_else(why: Why) -> pl.Expr:
    return (
        pl.when(Cell.with_value == 0)
        .then(pl.lit(Why.NO_FIGURES.value))
        .otherwise(pl.lit(why.value))
    )


def _by_value(unit: Unit, running: bool) -> str | None:
    return "value"


# -- flow: events in the month ---------------------------------------------------------------


def _flow_value() -> pl.Expr:
    return pl.when(Cell.complete).then(Cell.sum_value)


# -- ratio: % of events in the month ---------------------------------------------------------


def _pooled() -> pl.Expr:
    return Cell.all_parts & (Cell.sum_den != 0)


def _ratio_value() -> pl.Expr:
    return (
        pl.when(_pooled())
        .then(Cell.sum_num / Cell.sum_den * Cell.multiplier)
        .when(Cell.is_month)
        .then(Cell.last_value)
    )


def _ratio_basis() -> pl.Expr:
    return pl.when(_pooled()).then(pl.lit("computed")).otherwise(pl.lit("month"))


def _ratio_missing() -> pl.Expr:
    return (
        pl.when(Cell.all_parts)
        .then(pl.lit(Why.ZERO_DENOMINATOR.value))
        .otherwise(_no_figures_else(Why.NOT_POOLED))
    )


# -- snapshot and cumulative: the figure at the month's end ----------------------------------


def _last_value() -> pl.Expr:
    return Cell.last_value


def _cumulative_missing() -> pl.Expr:
    only_flow = (Cell.unit == Unit.COUNT) & Cell.reported_flow.is_not_null()
    return (
        pl.when(only_flow)
        .then(pl.lit(Why.FLOW_ONLY.value))
        .otherwise(_no_figures_else(Why.NO_LAST_MONTH))
    )


def _cumulative_flow() -> pl.Expr:
    """A running count's own count in the period: its rise since the month before the period
    (the value itself from April), else the workbook's reported flow."""
    rise = pl.when(Cell.starts_year).then(Cell.value).otherwise(Cell.last_value - Cell.before)
    return pl.when(Cell.unit == Unit.COUNT).then(pl.coalesce(rise, Cell.reported_flow))


def _cumulative_previous(unit: Unit, running: bool) -> str | None:
    """A running total against the one before is larger by construction (534 to date in Q3 on
    331 in Q2): within a year a count compares its flows (203 on 189) and a rate, whose flow is
    not known, is not compared. A year to date or a year is compared as it stands."""
    if running and unit is Unit.COUNT:
        return "flow"
    if running and unit is Unit.RATE:
        return None
    return "value"


# -- distinct: people counted once in the period ---------------------------------------------


def _distinct_value() -> pl.Expr:
    return pl.when(Cell.is_month).then(Cell.last_value)


def _distinct_missing() -> pl.Expr:
    return (
        pl.when(~Cell.is_month)
        .then(pl.lit(Why.NOT_SUMMED.value))
        .otherwise(_no_figures_else(Why.NO_LAST_MONTH))
    )


# -- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRule:
    """How one kind of measure makes a period's figure from its months."""

    measure: Measure
    #: Its period figure is its last month's (a position, or a total already run up). The
    #: numerator and denominator are then the last month's too, and a workbook's bare `2020/21`
    #: figure for a year still running (its latest month) is its year to date.
    at_end: bool
    #: Its months add up to the period's figure.
    summable: bool
    #: Its months hold a total run up from April: it has a flow (the count in the period), and
    #: within a year it is compared with the period before by that flow.
    running_total: bool
    #: Its figure is pooled from numerators and denominators, so a figure for several months
    #: lies between their lowest and highest.
    pooled: bool
    #: The value from the months (null where they cannot give one).
    value: Callable[[], pl.Expr]
    #: Where that value came from: `computed` (combined from the months) or `month`.
    basis: Callable[[], pl.Expr]
    #: Why there is no value at all (a :class:`Why`), read only where the value is null.
    missing: Callable[[], pl.Expr]
    #: The count in the period alone, or None where the measure has none.
    flow: Callable[[], pl.Expr] | None = None
    #: Given the indicator's unit and whether the period runs within a year (a month, a
    #: quarter): which of its figures is compared with the period before's, `value` or `flow`,
    #: or None for no comparison.
    previous: Callable[[Unit, bool], str | None] = _by_value
    #: Its figure (a count or a rate; a percentage never) grows with the length of its
    #: period, so a target or a benchmark of it is for a period of some length: a month's
    #: target is not a quarter's, a year's benchmark is not a quarter's figure.
    grows: bool = False
    #: What length of period its Indicators sheet target is for, when the Targets sheet does
    #: not say (`per`): the length its Monthly cell holds.
    target_per: TargetPer = TargetPer.SNAPSHOT


MEASURES: Mapping[Measure, MeasureRule] = {
    rule.measure: rule
    for rule in (
        MeasureRule(
            Measure.FLOW,
            at_end=False,
            summable=True,
            running_total=False,
            pooled=False,
            value=_flow_value,
            basis=_computed_or_month,
            missing=lambda: _no_figures_else(Why.MISSING_MONTHS),
            grows=True,
            target_per=TargetPer.MONTH,
        ),
        MeasureRule(
            Measure.RATIO,
            at_end=False,
            summable=False,
            running_total=False,
            pooled=True,
            value=_ratio_value,
            basis=_ratio_basis,
            missing=_ratio_missing,
        ),
        MeasureRule(
            Measure.SNAPSHOT,
            at_end=True,
            summable=False,
            running_total=False,
            pooled=False,
            value=_last_value,
            basis=_month,
            missing=lambda: _no_figures_else(Why.NO_LAST_MONTH),
        ),
        MeasureRule(
            Measure.CUMULATIVE,
            at_end=True,
            summable=False,
            running_total=True,
            pooled=False,
            value=_last_value,
            basis=_month,
            missing=_cumulative_missing,
            flow=_cumulative_flow,
            previous=_cumulative_previous,
            grows=True,
            target_per=TargetPer.YTD,
        ),
        MeasureRule(
            Measure.DISTINCT,
            at_end=False,
            summable=False,
            running_total=False,
            pooled=False,
            value=_distinct_value,
            basis=_month,
            missing=_distinct_missing,
            grows=True,
            target_per=TargetPer.MONTH,
        ),
    )
}


def measure_rule(measure: Measure | str) -> MeasureRule:
    """The rule of ``measure`` (a :class:`Measure` or its name)."""
    return MEASURES[Measure(measure)]


def having(prop: Callable[[MeasureRule], bool]) -> pl.Expr:
    """Whether a row's measure has a property: ``having(lambda r: r.at_end)``."""
    found = pl.lit(False)
    for measure, r in MEASURES.items():  # one term per kind of measure, never one per row
        if prop(r):
            found = found | (pl.col("measure") == measure.value)
    return found


def per_measure(part: Callable[[MeasureRule], pl.Expr | None]) -> pl.Expr:
    """One expression choosing, per row, ``part`` of the row's measure rule (null for a rule
    without it)."""
    branches = [(measure.value, part(r)) for measure, r in MEASURES.items()]
    chosen: Any = pl
    for kind, expr in branches:  # one branch per kind of measure, never one per row
        if expr is not None:
            chosen = chosen.when(pl.col("measure") == kind).then(expr)
    return pl.lit(None) if chosen is pl else chosen
