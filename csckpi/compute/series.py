"""Each indicator's monthly series for statistical process control, and SPC's columns.

The series is compute's own monthly frame (``inputs.months``: a ratio's month from its
numerator and denominator, a rate from its count and population), with one change: a running
total's month is what the month added to it. A cumulative count's month is its rise since the
month before (April's is its own figure, as the year starts there). A cumulative percentage or
rate is the month's own ratio: the rise of its numerator over the rise of its denominator
(April's: its own parts). After a missing month the rise is not known, so that month is
missing too. A figure to date whose workbook gives no numerator and denominator has no month
of its own, so it has no control limits, and ``spc_reason`` says why: too few months of its
figure when there are fewer than SPC needs anyway (the first thing missing), else that a
month's own figure is not known. docs/spc.md gives the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from csckpi.compute.inputs import collect, indicator_frame, months
from csckpi.compute.measures import MULTIPLIER, having
from csckpi.compute.targets import month_targets
from csckpi.model import Unit
from csckpi.periods import Month

if TYPE_CHECKING:
    from csckpi.dataset import Dataset
    from csckpi.spc import SpcFacts, SpcOptions, SpcResult

#: compute's columns from SPC (docs/json.md): the icons, and why there are none.
COLUMNS = ("variation", "variation_side", "assurance", "spc_reason")

#: Why a figure to date without its parts has no SPC (docs/spc.md).
TO_DATE = (
    "no control limits for a figure to date without its numerator and denominator: its "
    "months run up from April, and a month's own figure is not known"
)


def _running() -> pl.Expr:
    return having(lambda r: r.running_total)


def series(monthly: pl.LazyFrame, indicators: pl.DataFrame) -> pl.LazyFrame:
    """key, month, value, figure: each month's own value, sorted by key and month, from
    ``monthly`` (key, month, value, numerator, denominator, as ``inputs.months`` gives it) and
    ``indicators`` (key, unit, measure); ``figure`` is the month's figure as given."""
    # what each indicator's kind says, worked out on its one row and joined onto its months
    kinds = indicators.lazy().select(
        "key",
        _running=_running(),
        _count=pl.col("unit") == Unit.COUNT.value,
        _mult=pl.col("unit").replace_strict(MULTIPLIER, default=1.0, return_dtype=pl.Float64),
    )
    month = pl.col("month")
    index = month.dt.year() * 12 + month.dt.month()
    follows = (pl.col("key") == pl.col("key").shift(1)) & (index - index.shift(1) == 1)
    april = month.dt.month() == 4

    def rise(column: str) -> pl.Expr:
        part = pl.col(column)
        return pl.when(april).then(part).when(follows).then(part - part.shift(1))

    running, count = pl.col("_running"), pl.col("_count")
    numerator, denominator = rise("numerator"), rise("denominator")
    ratio = pl.when(denominator > 0).then(numerator / denominator * pl.col("_mult"))
    return (
        monthly.select("key", "month", "value", "numerator", "denominator")
        .sort("key", "month")
        .join(kinds, on="key", how="left", maintain_order="left")
        .with_columns(
            figure=pl.col("value"),
            value=pl.when(running & count)
            .then(rise("value"))
            .when(running)
            .then(ratio)
            .otherwise(pl.col("value")),
        )
        .select("key", "month", "value", "figure")
    )


def monthly_series(
    dataset: Dataset, keys: Sequence[str] | None = None, last: Month | None = None
) -> pl.DataFrame:
    """key, month, value, figure: every month up to ``last`` of each indicator's series for
    SPC (:func:`series`)."""
    indicators = indicator_frame(dataset, keys)
    return collect(series(months(dataset, indicators, None, last), indicators))


def analyse(
    dataset: Dataset,
    options: SpcOptions,
    keys: Sequence[str] | None = None,
    last: Month | None = None,
    *,
    values: pl.DataFrame | None = None,
    latest_only: bool = False,
    indicators: pl.DataFrame | None = None,
    targets: pl.DataFrame | None = None,
) -> SpcResult:
    """SPC of ``keys`` (default: every indicator) on their months up to ``last`` (the latest
    month of the period being judged), with the options' rules and the changes of process
    each indicator declares (its baseline and new processes, ``spc.declared``; the options'
    baseline in place of every indicator's own). ``values``: the series when already made
    (``monthly_series``). ``latest_only``: the summary alone (``spc.analyse``).
    ``indicators``: compute's indicator frame of ``keys`` when already made
    (``inputs.indicator_frame``); with it, ``targets``: key, target — each one's target for
    ``last``, when already made (``period_targets(..., month=True)``'s ``month_target``);
    ``values`` are then of those indicators alone, made from this dataset, and the frames are
    not checked again (``spc.analyse(checked=True)``). ``options`` must be enabled."""
    from csckpi import spc

    assert options.settings is not None, "SPC is off"
    wanted = None if keys is None else set(keys)
    chosen = [i for i in dataset.indicators if wanted is None or i.key in wanted]
    if values is None:
        values = monthly_series(dataset, [i.key for i in chosen], last)
    elif last is not None:
        values = values.filter(pl.col("month") <= last.date)
    checked = indicators is not None and targets is not None
    if indicators is not None and targets is not None:
        judged = indicators.select("key", "polarity").join(
            targets, on="key", how="left", maintain_order="left"
        )
    else:
        judged = _with_targets(dataset, spc.indicator_frame(chosen), values, last, indicators)
    return spc.analyse(
        values,
        judged,
        options.settings,
        spc.declared(chosen, options.baseline),
        latest_only=latest_only,
        checked=checked,
    )


def _with_targets(
    dataset: Dataset,
    frame: pl.DataFrame,
    values: pl.DataFrame,
    last: Month | None,
    indicators: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """SPC's indicator frame with each target the one a month's own figure is set against in
    the financial year of ``last`` (else of the latest month in ``values``): its year's, for
    one month (``targets.month_targets``), so assurance judges the year being judged."""
    if last is None:
        latest = values.get_column("month").max()
        if latest is None:
            return frame
        last = Month.from_date(latest)  # type: ignore[arg-type]
    if indicators is None:
        indicators = indicator_frame(dataset, frame.get_column("key").to_list())
    targets = month_targets(dataset, last, indicators)
    return frame.drop("target").join(targets, on="key", how="left", maintain_order="left")


def without_parts(values: pl.DataFrame, indicators: pl.DataFrame) -> dict[str, int]:
    """Figures to date with no month of their own (no numerator and denominator), by key:
    how many months of their figure there are."""
    to_date = _running() & (pl.col("unit") != Unit.COUNT.value)
    keys = indicators.filter(to_date).get_column("key")
    found = (
        values.filter(pl.col("key").is_in(keys.implode()))
        .group_by("key")
        .agg(pl.col("figure").count().alias("months"), pl.col("value").count().alias("own"))
        .filter(pl.col("own") == 0)
    )
    return dict(found.select("key", "months").iter_rows())


def there_are(count: int) -> str:
    """`there are 9`, `there is 1`, `there are none` (as csckpi.spc's reasons count)."""
    return "there are none" if count == 0 else "there is 1" if count == 1 else f"there are {count}"


def _reasons(values: pl.DataFrame, indicators: pl.DataFrame, minimum: int) -> dict[str, str]:
    """The reason for each figure to date without parts: too few months of it (`no control
    limits yet: they need 15 months, there are 9`), else TO_DATE."""
    return {
        key: TO_DATE
        if months >= minimum
        else f"no control limits yet: they need {minimum} months, {there_are(months)}"
        for key, months in without_parts(values, indicators).items()
    }


def columns(result: SpcResult, values: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """key and :data:`COLUMNS` for each indicator of ``result`` (made from ``values``): the
    icons, and the reason there are none."""
    reasons = _reasons(values, indicators, result.settings.min_points)
    return result.summary.select(
        "key",
        "variation",
        "variation_side",
        "assurance",
        pl.col("key")
        .replace_strict(reasons, default=pl.col("reason"), return_dtype=pl.String)
        .alias("spc_reason"),
    )


def facts(result: SpcResult, values: pl.DataFrame, indicators: pl.DataFrame) -> dict[str, SpcFacts]:
    """Every indicator's SPC record, by key, with the reason of :func:`columns`."""
    records = result.all_facts()
    for key, reason in _reasons(values, indicators, result.settings.min_points).items():
        records[key] = replace(records[key], reason=reason)
    return records
