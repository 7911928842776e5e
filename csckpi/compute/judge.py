"""Rounding as shown, RAG and direction of travel: expressions over a frame's columns."""

from __future__ import annotations

import polars as pl

_EPS = 1e-9


def round_half_up(value: float | None, places: int) -> float | None:
    """Round as Excel and analysts do (half away from zero): 0.25 -> 0.3 at one place."""
    if value is None:
        return None
    factor = 10.0**places
    magnitude = int(abs(value) * factor + 0.5 + _EPS) / factor
    return magnitude if value >= 0 else -magnitude


def shown(expr: pl.Expr, places: pl.Expr) -> pl.Expr:
    """``expr`` rounded half away from zero to ``places`` decimals (a column, per row)."""
    factor = pl.lit(10.0).pow(places.cast(pl.Float64))
    return expr.sign() * (expr.abs() * factor + 0.5 + _EPS).floor() / factor


def within_rounding(places: pl.Expr) -> pl.Expr:
    """Half a unit in the last decimal place shown: two figures closer than this read alike."""
    return 0.5 * pl.lit(10.0).pow(-places.cast(pl.Float64)) + _EPS


def rag(value: pl.Expr) -> pl.Expr:
    """green / amber / red from the shown value, target, tolerance and polarity."""
    target = pl.col("target")
    tol = pl.col("tolerance").fill_null(0.0)
    up, down = pl.col("polarity") == "up", pl.col("polarity") == "down"
    judged = value.is_not_null() & target.is_not_null()
    return (
        pl.when(judged & up & (value >= target - _EPS))
        .then(pl.lit("green"))
        .when(judged & down & (value <= target + _EPS))
        .then(pl.lit("green"))
        .when(judged & up & (tol > 0) & (value >= target - tol - _EPS))
        .then(pl.lit("amber"))
        .when(judged & down & (tol > 0) & (value <= target + tol + _EPS))
        .then(pl.lit("amber"))
        .when(judged & (up | down))
        .then(pl.lit("red"))
    )


def direction(now: pl.Expr, then: pl.Expr) -> pl.Expr:
    """improved / worsened / unchanged through polarity; up / down / unchanged for none."""
    delta = now - then
    up, down = pl.col("polarity") == "up", pl.col("polarity") == "down"
    return (
        pl.when(now.is_null() | then.is_null())
        .then(None)
        .when(delta.abs() <= _EPS)
        .then(pl.lit("unchanged"))
        .when((up & (delta > 0)) | (down & (delta < 0)))
        .then(pl.lit("improved"))
        .when(up | down)
        .then(pl.lit("worsened"))
        .when(delta > 0)
        .then(pl.lit("up"))
        .otherwise(pl.lit("down"))
    )
