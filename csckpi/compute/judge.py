"""RAG and direction of travel: expressions over a frame's columns (rounding as shown is
csckpi.numbers's, re-exported here for compute's modules)."""

from __future__ import annotations

import polars as pl

from csckpi.numbers import round_half_up, within_rounding
from csckpi.numbers import shown_column as shown

_EPS = 1e-9

__all__ = ["direction", "rag", "round_half_up", "shown", "within_rounding"]


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
