"""What the pass reads: the indicators as a frame, and each month's value per indicator."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from csckpi.compute.measures import MULTIPLIER
from csckpi.dataset import PARTS, Dataset
from csckpi.model import Unit, normalise_code
from csckpi.periods import Month

_INDICATOR_SCHEMA = {
    "key": pl.String,
    "code": pl.String,
    "title": pl.String,
    "section": pl.String,
    "order": pl.Int64,
    "unit": pl.String,
    "polarity": pl.String,
    "measure": pl.String,
    "decimals": pl.Int64,
    "target": pl.Float64,
    "tolerance": pl.Float64,
}


def indicator_frame(dataset: Dataset, keys: Iterable[str] | None = None) -> pl.DataFrame:
    """One row per indicator (workbook order): its definition as columns."""
    wanted = None if keys is None else {normalise_code(k) for k in keys}
    chosen = [i for i in dataset.indicators if wanted is None or i.key in wanted]
    columns = {
        "key": [i.key for i in chosen],
        "code": [i.code for i in chosen],
        "title": [i.title for i in chosen],
        "section": [i.section for i in chosen],
        "order": [i.order for i in chosen],
        "unit": [i.unit.value for i in chosen],
        "polarity": [i.polarity.value for i in chosen],
        "measure": [i.measure.value for i in chosen],
        "decimals": [i.places for i in chosen],
        "target": [i.target for i in chosen],
        "tolerance": [i.tolerance for i in chosen],
    }
    frame = pl.DataFrame(columns, schema=_INDICATOR_SCHEMA)
    return frame.with_row_index("_pos").sort("order", "_pos").drop("_pos")


def collect(query: pl.LazyFrame) -> pl.DataFrame:
    """Run ``query`` on polars' in-memory engine, as eager frames run: the streaming engine
    (polars 2's default for a lazy query) costs more on frames this small, and its partial sums
    may add floats in another order."""
    return query.collect(engine="in-memory")


def _month_of(value: object) -> Month | None:
    if value is None:
        return None
    return Month(value.year, value.month)  # type: ignore[attr-defined]


def latest_month(dataset: Dataset) -> Month | None:
    """The latest month with any monthly figure, or None when there are none."""
    latest = dataset.month_values().get_column("month").max()
    return _month_of(latest)


def earliest_month(dataset: Dataset) -> Month | None:
    """The earliest month with any monthly figure, or None when there are none."""
    earliest = dataset.month_values().get_column("month").min()
    return _month_of(earliest)


def _population(dataset: Dataset, first: Month, last: Month) -> pl.LazyFrame:
    """fy -> population_0_17 (Context.population_for) for the financial years first..last."""
    fys = list(range(first.fy, last.fy + 1))
    return pl.LazyFrame(
        {"_fy": fys, "_population": [dataset.context.population_for(fy) for fy in fys]},
        schema={"_fy": pl.Int32, "_population": pl.Float64},
    )


#: the frame last checked by :func:`_in_order`, its height then, and the answer (a store's frame
#: is checked once however many queries read it; one grown in place since is checked again)
_CHECKED: list[tuple[pl.DataFrame, int, bool]] = []


def _in_order(frame: pl.DataFrame) -> bool:
    """Whether ``frame``'s rows are in order of key, month and part (a null part being the
    value), each part at most once a month: as a store keeps them."""
    if _CHECKED and _CHECKED[0][0] is frame and _CHECKED[0][1] == frame.height:
        return _CHECKED[0][2]
    key, month, part = pl.col("key"), pl.col("month"), pl.col("part").fill_null("value")
    same_key, same_month = key == key.shift(1), month == month.shift(1)
    after = (key > key.shift(1)) | (
        same_key & ((month > month.shift(1)) | (same_month & (part > part.shift(1))))
    )
    ordered = bool(frame.select(after.slice(1).fill_null(False).all()).item())
    _CHECKED[:] = [(frame, frame.height, ordered)]
    return ordered


def _side_by_side(long: pl.LazyFrame, part: pl.Expr) -> pl.LazyFrame:
    """key, month and each part of the month: a month's figures are neighbouring rows, at most
    one a part (:func:`_in_order`), so its last row takes its parts from the rows before it
    in the same month, with no grouping."""
    key, month, value = pl.col("key"), pl.col("month"), pl.col("value")

    def same_month(offset: int) -> pl.Expr:
        return (key.shift(offset) == key) & (month.shift(offset) == month)

    columns = []
    for name in PARTS:
        found: Any = pl.when(part == name).then(value)
        for offset in range(1, len(PARTS)):
            found = found.when(same_month(offset) & (part.shift(offset) == name)).then(
                value.shift(offset)
            )
        columns.append(found.alias(name))
    last = ~same_month(-1).fill_null(False)
    return long.with_columns(columns).filter(last).select("key", "month", *PARTS)


def monthly_values(
    dataset: Dataset,
    keys: Iterable[str] | None = None,
    *,
    first: Month | None = None,
    last: Month | None = None,
) -> pl.DataFrame:
    """Each month's value per indicator: key, month, value, numerator, denominator.

    A rate with a numerator is numerator / that financial year's ``population_0_17`` x 10,000
    (the stored rate when there is no population); a ratio with no value but a numerator and a
    denominator is numerator / denominator in its unit. ``first`` / ``last`` limit the months
    (a scorecard's sparkline needs 12 of a store's 120).
    """
    indicators = indicator_frame(dataset, keys)
    frame = months(dataset, indicators, first, last).drop("stored", "from_records")
    return collect(frame.sort("key", "month"))


def months(
    dataset: Dataset,
    indicators: pl.DataFrame,
    first: Month | None = None,
    last: Month | None = None,
) -> pl.LazyFrame:
    """monthly_values of ``indicators`` plus ``stored`` and ``from_records``.

    A month the children's records give (``Dataset.records``) takes its figures from them,
    and ``stored`` is then the workbook's own figure for it; elsewhere ``stored`` is the figure
    the workbook gives where ``value`` was recomputed from a numerator (else null), so a
    disagreement can be shown. ``from_records`` says which months came from the records.
    """
    ind = indicators.lazy().select("key", "unit")
    keys = indicators.get_column("key").implode()
    subset = indicators.height != len(dataset.indicators)

    def wide(frame: pl.DataFrame) -> pl.LazyFrame:
        long = frame.lazy().select("key", "month", "part", "value")
        if subset:
            long = long.filter(pl.col("key").is_in(keys))
        if first is not None:
            long = long.filter(pl.col("month") >= first.date)
        if last is not None:
            long = long.filter(pl.col("month") <= last.date)
        part = pl.col("part").fill_null("value")
        if _in_order(frame):
            return _side_by_side(long, part)
        # A month has one figure per part, so its largest is the one there is (and a fast
        # aggregation, where filter().first() is evaluated group by group).
        return long.group_by("key", "month", maintain_order=True).agg(
            pl.when(part == name).then(pl.col("value")).max().alias(name) for name in PARTS
        )

    dates = dataset.monthly.get_column("month")
    records = dataset.records
    if records is not None and records.height:
        dates = pl.concat([dates, records.get_column("month")])
    span_first = first or _month_of(dates.min()) or Month(2000, 4)
    span_last = last or _month_of(dates.max()) or span_first
    book = wide(dataset.monthly).with_columns(_book=pl.col("value"), from_records=pl.lit(False))
    if records is not None and records.height:
        derived = wide(records).rename({name: f"_r_{name}" for name in PARTS})
        taken = pl.col("_r").fill_null(False)
        book = (
            book.join(derived.with_columns(_r=pl.lit(True)), on=["key", "month"], how="full")
            .with_columns(
                pl.coalesce("key", "key_right"),
                pl.coalesce("month", "month_right"),
                *(
                    pl.when(taken).then(pl.col(f"_r_{name}")).otherwise(pl.col(name)).alias(name)
                    for name in PARTS
                ),
                from_records=taken,
            )
            .drop("key_right", "month_right")
        )
    fy = (pl.col("month").dt.year() - (pl.col("month").dt.month() < 4).cast(pl.Int32)).cast(
        pl.Int32
    )
    joined = (
        book.join(ind, on="key", how="inner", maintain_order="left")
        .with_columns(_fy=fy)
        .join(
            _population(dataset, span_first, span_last),
            on="_fy",
            how="left",
            maintain_order="left",
        )
    )
    mult = pl.col("unit").replace_strict(MULTIPLIER, default=1.0, return_dtype=pl.Float64)
    num, den = pl.col("numerator"), pl.col("denominator")
    recomputed = (pl.col("unit") == Unit.RATE) & num.is_not_null() & pl.col("_population").gt(0)
    value = (
        pl.when(recomputed)
        .then(num / pl.col("_population") * 10_000.0)
        .when(pl.col("value").is_null() & num.is_not_null() & den.is_not_null() & (den != 0))
        .then(num / den * mult)
        .otherwise(pl.col("value"))
    )
    stored = (
        pl.when(pl.col("from_records")).then(pl.col("_book")).when(recomputed).then(pl.col("value"))
    )
    return joined.with_columns(value=value, stored=stored).select(
        "key", "month", "value", "numerator", "denominator", "stored", "from_records"
    )
