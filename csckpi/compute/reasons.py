"""Why a period has no value (or a warning beside one), in words.

The pass (``figures.py``) decides only *which* reason applies, as a :class:`Why` in column
``_why``, and keeps the fields its words need (:data:`FIELDS`); :func:`explain` turns those
into the English of the ``reason`` column. Only rows with a reason are visited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl

from csckpi.compute.judge import round_half_up
from csckpi.model import Unit
from csckpi.periods import Month


class Why(StrEnum):
    """Why a period's value is missing, or (``OUTSIDE_RANGE``, ``RECORDS_NONE``) doubtful."""

    NO_FIGURES = "no figures"  # none of the period's months has a figure
    MISSING_MONTHS = "missing months"  # a total lacks some of its months
    NOT_POOLED = "not pooled"  # a ratio's months lack a numerator or denominator
    ZERO_DENOMINATOR = "zero denominator"  # a ratio pooled over nothing
    NOT_SUMMED = "not summed"  # a distinct count over more than a month
    NO_LAST_MONTH = "no last month"  # a figure at the period's end, without that month
    FLOW_ONLY = "flow only"  # a running total known only by its reported flow
    OUTSIDE_RANGE = "outside range"  # a reported pooled figure outside its months' range
    RECORDS_NONE = "records none"  # the records give no figure; the workbook's is the value


#: The columns :func:`explain` reads: the reason, the period's label and last month, the months
#: without a figure and how many had one, and a value beside its months' lowest and highest.
FIELDS = (
    "_why",
    "period",
    "last",
    "_missing",
    "_n_value",
    "value",
    "_min_value",
    "_max_value",
    "decimals",
    "unit",
    "_sum_den",
)

Fields = Mapping[str, Any]


def _month(value: date) -> str:
    return Month.from_date(value).short


def _months(values: list[date]) -> str:
    """`Oct-20, Nov-20`, or `5 months from Apr-20` when there are more than three."""
    if len(values) <= 3:
        return ", ".join(_month(v) for v in values)
    return f"{len(values)} months from {_month(values[0])}"


def _figure(value: float, r: Fields) -> str:
    """A figure rounded as shown, with no thousands separator: `80.0%`, `16`, `126.5`."""
    places = int(r["decimals"])
    rounded = round_half_up(value, places) or 0.0
    sign = "-" if rounded < 0 else ""
    percent = "%" if r["unit"] == Unit.PERCENT else ""
    return f"{sign}{abs(rounded):.{places}f}{percent}"


def _none_reported(r: Fields) -> str:
    return f", and no {r['period']} figure is reported"


def _flow_only(r: Fields) -> str:
    period = r["period"]
    months = (
        f"the months of {period} have no figures"
        if r["_n_value"] == 0
        else f"no figure for {_month(r['last'])}"
    )
    return (
        f"{months}: the workbook reports only the flow for {period} (the count in the period), "
        "not the year to date"
    )


def _outside_range(r: Fields) -> str:
    return (
        f"the workbook reports {_figure(r['value'], r)} for {r['period']}, outside its months' "
        f"{_figure(r['_min_value'], r)}–{_figure(r['_max_value'], r)}: a figure pooled over the "
        "months lies between them"
    )


def _records_none(r: Fields) -> str:
    counted = " (their denominator is 0)" if r["_sum_den"] == 0 else ""
    return (
        f"the children's records (Annex A) give no figure for {r['period']}{counted}; "
        f"the workbook reports {_figure(r['value'], r)}"
    )


#: The words of each reason, from its fields.
WORDS: dict[Why, Callable[[Fields], str]] = {
    Why.NO_FIGURES: lambda r: f"no figures for {r['period']}" + _none_reported(r),
    Why.MISSING_MONTHS: lambda r: (
        f"no figure for {_months(r['_missing'])}, so the {r['period']} total is incomplete"
        + _none_reported(r)
    ),
    Why.NOT_POOLED: lambda r: (
        "percentages cannot be averaged over months, not every month of "
        f"{r['period']} has its numerator and denominator" + _none_reported(r)
    ),
    Why.ZERO_DENOMINATOR: lambda r: f"the denominator for {r['period']} is 0" + _none_reported(r),
    Why.NOT_SUMMED: lambda r: (
        "a distinct count (each person counted once) cannot be added up over months"
        + _none_reported(r)
    ),
    Why.NO_LAST_MONTH: lambda r: f"no figure for {_month(r['last'])}" + _none_reported(r),
    Why.FLOW_ONLY: _flow_only,
    Why.OUTSIDE_RANGE: _outside_range,
    Why.RECORDS_NONE: _records_none,
}


def explain(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``reason`` in words from its :data:`FIELDS` (null where ``_why`` is)."""
    why = frame.get_column("_why")
    rows = frame.select(FIELDS).filter(why.is_not_null())
    texts = [WORDS[Why(r["_why"])](r) for r in rows.iter_rows(named=True)]
    reason = pl.Series("reason", [None] * frame.height, dtype=pl.String)
    if texts:
        where = why.is_not_null().arg_true()
        reason = reason.scatter(where, pl.Series(texts, dtype=pl.String))
    return frame.with_columns(reason)
