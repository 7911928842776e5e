"""A percentage about a hundred times off the rest of its indicator's figures.

In a row of percentages written as numbers (85.2), one month pasted as a fraction (0.837)
reads as 0.837%, and a sentence would say "0.8% of assessments were completed in time"; in a
row of fractions, one month typed as a percentage (83.7) is the odd one out the other way.
Neither is impossible on its own (0.837% can be a true figure), so each is a warning at its
cell — as a whole row of fractions is — and ``--strict`` makes it an error. A figure is
judged against the median of the indicator's *other* figures on the sheet (a median, so one
more slip or an unusual month does not move it), and only when there are at least
:data:`MIN_OTHERS` of them.
"""

from __future__ import annotations

import polars as pl

from csckpi.model import Unit
from csckpi.workbook.cells import show
from csckpi.workbook.problems import Collector

#: How many other figures an indicator needs before one can be called a hundred times off.
MIN_OTHERS = 3
#: A figure read a hundred times too small or too large lands within this factor of the
#: others' median once multiplied (or divided) by 100.
_FACTOR = 3.0
#: Percentages whose others' median is below this are too small to tell a fraction from a
#: small percentage (0.1% beside 3.6% may be true).
_SMALLEST_MEDIAN = 10.0


def hundredfold(data: pl.DataFrame, sheet: str, slots: str, out: Collector) -> pl.DataFrame:
    """Warn at every percentage about a hundred times off its indicator's other figures on the
    sheet; return those cells (key, row, column), so the whole-row fraction check can leave them
    out. ``data`` is a sheet's figures with their indicator's ``unit``; ``slots`` names what
    the figures are of ("months", "periods")."""
    values = data.filter(
        (pl.col("part") == "value")
        & (pl.col("figure") == "value")
        & (pl.col("unit") == Unit.PERCENT.value)
        & pl.col("value").is_not_null()
    ).select("key", "code", "value", "row", "column", "percent")
    if values.height <= MIN_OTHERS:
        return values.select("key", "row", "column").clear()
    others = pl.len().over("key") - 1
    rank = pl.col("value").rank("ordinal").over("key").cast(pl.Int64) - 1
    ordered = pl.col("value").sort().implode().over("key")
    judged = (
        values.with_columns(others.alias("others"), rank.alias("rank"), ordered.alias("ordered"))
        .filter(pl.col("others") >= MIN_OTHERS)
        .with_columns(_others_median().alias("median"), *_others_range())
    )
    median = pl.col("median")
    value = pl.col("value")
    fraction = (
        (value > 0)
        & (value <= 1)
        & (median >= _SMALLEST_MEDIAN)
        & (value * 100 <= median * _FACTOR)
        & (value * 100 >= median / _FACTOR)
    )
    percentage = (
        (value > 1)
        & (value <= 100)
        & (median <= 1)
        & (median > 0)
        & (value / 100 <= median * _FACTOR)
        & (value / 100 >= median / _FACTOR)
    )
    found = judged.filter(fraction | percentage).with_columns(fraction.alias("fraction"))
    for row in found.sort("row", "column").iter_rows(named=True):
        out.warn(sheet, row["row"], row["column"], "hundredfold", _message(row, slots))
    return found.select("key", "row", "column")


def _others_median() -> pl.Expr:
    """The median of the other figures of the row's indicator, from its sorted figures
    (``ordered``) and the row's place among them (``rank``): with ``n`` others, the middle
    one or two of the sorted list with the row's own figure left out."""
    n = pl.col("others")
    return (_other_at((n - 1) // 2) + _other_at(n // 2)) / 2


def _other_at(position: pl.Expr) -> pl.Expr:
    """The figure at ``position`` among the others: the sorted list with the row's own
    figure taken out shifts every later one down by one."""
    shifted = pl.when(position < pl.col("rank")).then(position).otherwise(position + 1)
    return pl.col("ordered").list.get(shifted)


def _others_range() -> tuple[pl.Expr, pl.Expr]:
    """The lowest and highest of the others."""
    last = pl.col("others")  # the list holds others + 1 figures: the last index is `others`
    lowest = pl.col("ordered").list.get(pl.when(pl.col("rank") == 0).then(1).otherwise(0))
    highest = pl.col("ordered").list.get(
        pl.when(pl.col("rank") == last).then(last - 1).otherwise(last)
    )
    return lowest.alias("lowest"), highest.alias("highest")


def _message(row: dict[str, object], slots: str) -> str:
    value = float(row["value"])  # type: ignore[arg-type]
    others = (
        f"{row['code']}'s other {slots} here ({show(_tidy(row['lowest']))} to "
        f"{show(_tidy(row['highest']))}, median {show(_tidy(row['median']))})"
    )
    if row["fraction"]:
        fix = (
            f"type {show(_tidy(value * 100))}% (the cell is formatted as a percentage)"
            if row["percent"]
            else f"type {show(_tidy(value * 100))}, or format the cell as a percentage"
        )
        fix = fix[0].upper() + fix[1:]
        return f"{show(value)} is about a hundredth of {others}: typed as a fraction? {fix}"
    return (
        f"{show(value)} is about 100 times {others}: typed as a percentage among fractions? "
        f"Write the {slots} alike: all as percentages (85.2), or all as fractions formatted "
        "as percentages"
    )


def _tidy(value: object) -> float:
    """A figure as written, without float noise (0.837 * 100 is 83.69999999999999)."""
    return round(float(value), 9)  # type: ignore[arg-type]
