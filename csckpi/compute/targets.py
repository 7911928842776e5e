"""The target a period's figures are judged by: its own year's, for its own length of period.

A target belongs to a financial year and to a length of period (``per``: month, quarter,
year, ytd, snapshot). The Targets sheet gives a year's target; a year without a row has the
Indicators sheet's, for the length the measure's Monthly cell holds
(:attr:`~csckpi.compute.measures.MeasureRule.target_per`).

Where a figure grows with its period (a count or rate of a measure that ``grows``: flow,
cumulative, distinct), a target for one length is made a target for another by the number of
months, when the measure's months add up (flow; cumulative, whose year to date is the sum of
its months): a monthly target of 12 is 36 for a quarter, 108 for the year to date at
December. A distinct count's months do not add up (a child counted in October and in
November is one child), so its target is compared only with a figure of the target's own
length, and otherwise withheld. A `ytd` target is compared only with a year to date. A
`snapshot` target, and any target of a figure that does not grow (a percentage, a
position), is compared as it is, whatever the period. See docs/computation.md#targets.
"""

from __future__ import annotations

import polars as pl

from csckpi.compute.measures import having, per_measure
from csckpi.dataset import Dataset
from csckpi.model import TargetPer, Unit
from csckpi.periods import Month, Period, fy_label

#: The columns :func:`period_targets` adds (beside ``target`` and ``tolerance``, replaced).
COLUMNS = (
    "target_as_set",
    "target_year",
    "target_per",
    "target_scale",
    "ytd_target",
    "flow_target",
    "span",
)

#: Months in the period a target is for (`ytd` and `snapshot` have none of their own).
PER_MONTHS = {TargetPer.MONTH.value: 1, TargetPer.QUARTER.value: 3, TargetPer.YEAR.value: 12}


def grows() -> pl.Expr:
    """Whether a row's figure grows with the length of its period: a count or a rate (never a
    percentage) of a measure that grows."""
    return having(lambda r: r.grows) & (pl.col("unit") != Unit.PERCENT.value)


def _scale(span: int, to_date: int) -> pl.Expr:
    """What the target (as set) is multiplied by to judge a figure over ``span`` months, when
    the year to date at the period's end is ``to_date`` months; null: not comparable."""
    per = pl.col("target_per")
    per_months = per.replace_strict(PER_MONTHS, default=None, return_dtype=pl.Float64)
    adds_up = having(lambda r: r.summable or r.running_total)
    return (
        pl.when(~grows() | (per == TargetPer.SNAPSHOT.value))
        .then(pl.lit(1.0))
        .when(per == TargetPer.YTD.value)
        .then(pl.when(pl.lit(span == to_date)).then(pl.lit(1.0)))
        .when(adds_up)
        .then(pl.lit(float(span)) / per_months)
        .when(per_months == float(span))
        .then(pl.lit(1.0))
    )


def period_targets(
    dataset: Dataset, period: Period, indicators: pl.DataFrame, *, month: bool = False
) -> pl.DataFrame:
    """``indicators`` (compute's indicator frame) with ``target`` and ``tolerance`` the
    period's, and :data:`COLUMNS`: ``target_as_set`` (the year's target as the workbook
    sets it), ``target_year`` (the Targets row's year, null for the
    Indicators sheet's target), ``target_per`` (what length it is set for),
    ``target_scale`` (the value is judged against target × scale: null where the target
    cannot be set against the period's figure), ``ytd_target`` and ``flow_target`` (the target
    for the year to date, and for a cumulative count's own count in the period) and ``span``
    (the months the value covers, where it grows with its period; else null). ``month``: also
    ``month_target``, what :func:`month_targets` gives for the period's last month (the
    same year's target, in the same query)."""
    year = fy_label(period.fy)
    months = len(period.months())
    to_date = period.last.index - Month(period.fy, 4).index + 1
    value, part = pl.col("value"), pl.col("part")
    rows = (
        dataset.targets.lazy()
        .filter(pl.col("year") == year)
        .group_by("key")
        .agg(
            _target=value.filter(part == "target").first(),
            _tolerance=value.filter(part == "tolerance").first(),
            _per=pl.col("per").first(),
        )
    )
    has_row = pl.col("_target").is_not_null()
    running = having(lambda r: r.running_total)
    value_span = pl.when(running).then(pl.lit(to_date)).otherwise(pl.lit(months))
    value_scale = pl.when(running).then(_scale(to_date, to_date)).otherwise(_scale(months, to_date))
    raw_target, raw_tolerance = pl.col("target_as_set"), pl.col("_raw_tolerance")
    # the last month's own target: its year is the period's, and so is its year to date
    one_month = _for_a_month((raw_target * _scale(1, to_date)).round(9))
    month_target = {"month_target": one_month} if month else {}
    return (
        indicators.lazy()
        .join(rows, on="key", how="left", maintain_order="left")
        .with_columns(
            target_as_set=pl.when(has_row).then(pl.col("_target")).otherwise(pl.col("target")),
            _raw_tolerance=pl.when(has_row)
            .then(pl.col("_tolerance"))
            .otherwise(pl.col("tolerance")),
            target_year=pl.when(has_row).then(pl.lit(year)),
            target_per=pl.coalesce(
                pl.col("_per"), per_measure(lambda r: pl.lit(r.target_per.value))
            ),
        )
        .with_columns(
            target_scale=pl.when(raw_target.is_not_null()).then(value_scale),
            _ytd_scale=_scale(to_date, to_date),
            _flow_scale=_scale(months, to_date),
            span=pl.when(grows()).then(value_span),
        )
        .with_columns(
            # rounded to 9 places, so a year's 120 a month is 10, not 10.000000000000002
            target=(raw_target * pl.col("target_scale")).round(9),
            tolerance=(raw_tolerance * pl.col("target_scale")).round(9),
            ytd_target=(raw_target * pl.col("_ytd_scale")).round(9),
            flow_target=(raw_target * pl.col("_flow_scale")).round(9),
            **month_target,
        )
        .drop("_target", "_tolerance", "_per", "_raw_tolerance")
        .drop("_ytd_scale", "_flow_scale")
        .collect(engine="in-memory")
    )


def month_targets(dataset: Dataset, month: Month, indicators: pl.DataFrame) -> pl.DataFrame:
    """key, target: the target one month's own figure in ``month``'s financial year is set
    against — what statistical process control's assurance compares with the limits. The
    year's target (its Targets row, else the Indicators sheet's), for one month: a flow's or a
    cumulative count's quarter or year divided by its months; a distinct count's only when set
    for a month; a `ytd` target of a figure that grows, none (a month's own figure is not a
    year to date); as set where the figure does not grow (a percentage, a position)."""
    frame = period_targets(dataset, Period.of_month(month), indicators)
    return frame.select("key", _for_a_month(pl.col("flow_target")).alias("target"))


def _for_a_month(flow_target: pl.Expr) -> pl.Expr:
    """A one-month ``flow_target`` as :func:`month_targets` gives it (none from a `ytd`
    target of a figure that grows)."""
    ytd = pl.col("target_per") == TargetPer.YTD.value
    return pl.when(grows() & ytd).then(None).otherwise(flow_target).alias("month_target")
