"""resolve_period(): the period a user asked for, checked against what the data can answer."""

from __future__ import annotations

from datetime import date

import polars as pl

from csckpi.compute.inputs import earliest_month, latest_month
from csckpi.compute.reported import reported_keys
from csckpi.dataset import Dataset
from csckpi.errors import PeriodError, no_figures_at_all
from csckpi.periods import Month, Period, PeriodKind, fy_label, parse_period


def resolve_period(dataset: Dataset, text: str | None) -> Period:
    """The period the user asked for, checked against what the data can answer.

    No text: the latest month with any figure. `YTD` / `2020/21 YTD` end at the latest month
    of that year. Raises :class:`PeriodError` saying why when the data cannot answer it.
    """
    latest = latest_month(dataset)
    if latest is None and dataset.reported.filter(pl.col("value").is_not_null()).is_empty():
        raise no_figures_at_all()
    if text is None or not text.strip():
        if latest is None:
            raise PeriodError(
                "There are no monthly figures, so there is no latest month.",
                "Give a period, e.g. --period 2019/20.",
            )
        return Period.of_month(latest)
    period = parse_period(text, latest)
    if period.kind is PeriodKind.YTD and period.end is None:
        period = _year_to_date(dataset, period, latest)
    if latest is not None and period.last > latest:
        to = "" if period.kind is PeriodKind.MONTH else f" (to {period.last})"
        raise PeriodError(
            f"There are no figures after {latest}, so {period.label}{to} cannot be computed yet.",
            _hint_for(period, latest),
        )
    if not _has_figures(dataset, period, latest):
        earliest = earliest_month(dataset)
        hint = (
            f"Monthly figures run from {earliest} to {latest}."
            if earliest is not None
            else "There are no monthly figures; only reported period figures."
        )
        raise PeriodError(f"There are no figures for {period.label}.", hint)
    return period


def _year_to_date(dataset: Dataset, period: Period, latest: Month | None) -> Period:
    """A year to date with no end: to the latest month of its year with a figure."""
    if latest is not None and period.fy > latest.fy:
        raise PeriodError(
            f"There are no figures after {latest}, so {period.label} has not started.",
            f"The latest year to date is {fy_label(latest.fy)} YTD.",
        )
    in_year = dataset.month_values().filter(
        pl.col("month").is_between(Month(period.fy, 4).date, Month(period.fy + 1, 3).date)
    )
    end = in_year.get_column("month").max()
    last = Month.from_date(end) if isinstance(end, date) else Month(period.fy + 1, 3)
    return Period.of_ytd(period.fy, last)


def _has_figures(dataset: Dataset, period: Period, latest: Month | None) -> bool:
    """Whether any month of ``period``, or any reported figure for it, has a value."""
    months = dataset.month_values().filter(
        pl.col("month").is_between(period.first.date, period.last.date)
    )
    reported = dataset.reported.filter(
        pl.col("period").is_in([key for key, _ in reported_keys(period, latest)])
        & pl.col("value").is_not_null()
    )
    return months.height > 0 or reported.height > 0


def _hint_for(period: Period, latest: Month) -> str:
    if period.kind is PeriodKind.YEAR and period.fy == latest.fy:
        return f"For the year so far, use '{fy_label(period.fy)} YTD'."
    return f"Ask for a period ending by {latest}, e.g. '{latest}' or '{fy_label(latest.fy)} YTD'."
