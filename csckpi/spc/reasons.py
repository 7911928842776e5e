"""Why an indicator's segment has no control limits, in the words every output uses
(docs/spc.md): an expression over the engine's columns, for ``analysis``'s segments and its
latest-only summary alike."""

from __future__ import annotations

import polars as pl

from csckpi.spc.engine import HAS_LIMITS
from csckpi.spc.model import SpcSettings


def _short(date: pl.Expr) -> pl.Expr:
    return date.dt.strftime("%b-%y")  # Month.short: Apr-20


def _there_are(count: pl.Expr) -> pl.Expr:
    """`there are 9`, `there is 1`, `there are none`: how many months a reason counts."""
    return (
        pl.when(count == 0)
        .then(pl.lit("there are none"))
        .when(count == 1)
        .then(pl.lit("there is 1"))
        .otherwise(pl.format("there are {}", count))
    )


def segment_reason(
    settings: SpcSettings, start: pl.Expr, baseline_end: pl.Expr, points: pl.Expr, basis: pl.Expr
) -> pl.Expr:
    """Why a segment has no limits, in the words every output uses (docs/spc.md): `no control
    limits yet: they need 15 months, there are 9` — from its start, its baseline's end, its
    months and its baseline's."""
    since = (
        pl.when(start.is_null()).then(pl.lit("")).otherwise(pl.format(" since {}", _short(start)))
    )
    baseline = baseline_end.is_not_null()
    return (
        pl.when(pl.col(HAS_LIMITS))
        .then(None)
        .when(baseline & (basis < settings.min_baseline))
        .then(
            pl.format(
                "no control limits: they need {} months in the baseline {} to {}, {}",
                pl.lit(settings.min_baseline),
                _short(start),
                _short(baseline_end),
                _there_are(basis),
            )
        )
        .when(points < settings.min_points)
        .then(
            pl.format(
                "no control limits yet: they need {} months{}, {}",
                pl.lit(settings.min_points),
                since,
                _there_are(points),
            )
        )
        .otherwise(pl.lit("no two consecutive months to measure the month-to-month variation"))
    )
