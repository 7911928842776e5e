"""Figures as column lists while reading, checked and turned into polars frames at the end.

Checks that need several figures at once (a numerator larger than its denominator, a
percentage over 100, a percent indicator written as fractions) run over whole frames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from csckpi.model import Indicator, Unit
from csckpi.numbers import number, within_rounding
from csckpi.periods import Month
from csckpi.workbook.cells import cell_name, show
from csckpi.workbook.hundredfold import hundredfold
from csckpi.workbook.problems import Collector, and_list


@dataclass
class Figures:
    """One sheet's figures as column lists: appended cell by cell, framed once.

    A *record* is what a sheet row says about one indicator and part (its key, code, part
    and row); each figure points at its record, so the per-cell work is a few list appends
    and the text columns are built once per row, not once per cell. Month slots are day
    numbers (:func:`day_number`) until the frame is built; period slots are period keys.
    """

    sheet: str
    key: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    figure: list[str] = field(default_factory=list)  # value | flow (Periods only)
    part: list[str] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    # one entry per figure
    record_of: list[int] = field(default_factory=list)
    slot: list[object] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    column: list[int] = field(default_factory=list)
    percent: list[bool] = field(default_factory=list)  # the cell was percent-formatted

    def record(self, key: str, code: str, figure: str, part: str, row: int) -> int:
        self.key.append(key)
        self.code.append(code)
        self.figure.append(figure)
        self.part.append(part)
        self.row.append(row)
        return len(self.key) - 1

    def add(self, record: int, slot: object, value: float, column: int, percent: bool) -> None:
        self.record_of.append(record)
        self.slot.append(slot)
        self.value.append(value)
        self.column.append(column)
        self.percent.append(percent)

    def clear(self) -> None:
        """Let the lists go once framed (a large sheet's figures are many Python objects)."""
        for values in (self.record_of, self.slot, self.value, self.column, self.percent):
            values.clear()

    def frame(self, slot_type: pl.DataType) -> pl.DataFrame:
        """key, code, slot, figure, part, value, row, column, percent."""
        records = pl.DataFrame(
            {
                "record": range(len(self.key)),
                "key": self.key,
                "code": self.code,
                "figure": self.figure,
                "part": self.part,
                "row": self.row,
            },
            schema={
                "record": pl.Int64(),
                "key": pl.String(),
                "code": pl.String(),
                "figure": pl.String(),
                "part": pl.String(),
                "row": pl.Int64(),
            },
        )
        month = slot_type == pl.Date()
        figures = pl.DataFrame(
            [
                pl.Series("record", self.record_of, dtype=pl.Int64()),
                # months arrive as days since 1970-01-01 (see day_number): cast, not computed
                pl.Series("slot", self.slot, dtype=pl.Int32() if month else slot_type).cast(
                    slot_type
                ),
                pl.Series("value", self.value, dtype=pl.Float64(), strict=False),
                pl.Series("column", self.column, dtype=pl.Int64()),
                pl.Series("percent", self.percent, dtype=pl.Boolean()),
            ]
        )
        return figures.join(records, on="record", how="left").select(
            "key", "code", "slot", "figure", "part", "value", "row", "column", "percent"
        )


def check(
    frame: pl.DataFrame,
    sheet: str,
    indicators: dict[str, Indicator],
    out: Collector,
    slots: str = "months",
) -> None:
    """Report figures no indicator of their unit can have, and percentages that look mistyped
    (a row of fractions; one figure about 100 times off the others), over the whole sheet at
    once. ``slots`` names what the sheet's figures are of: months, periods."""
    if frame.height == 0:
        return
    units = pl.DataFrame(
        {
            "key": list(indicators),
            "unit": [i.unit.value for i in indicators.values()],
            "places": [i.places for i in indicators.values()],
        },
        schema={"key": pl.String(), "unit": pl.String(), "places": pl.Int64()},
    )
    data = frame.join(units, on="key", how="left")
    part = pl.col("part")
    unit = pl.col("unit")
    value = pl.col("value")
    never_negative = (part != "value") | unit.is_in(
        [Unit.PERCENT.value, Unit.COUNT.value, Unit.RATE.value]
    )
    for row in data.filter(never_negative & (value < 0)).iter_rows(named=True):
        what = f"a {row['part']}" if row["part"] != "value" else f"a {row['unit']}"
        out.error(
            sheet,
            row["row"],
            row["column"],
            "negative",
            f"{show(row['value'])} is negative — {what} cannot be below 0",
        )
    over = (
        (part == "value")
        & (pl.col("figure") == "value")
        & (unit == Unit.PERCENT.value)
        & (value > 100)
    )
    for row in data.filter(over).iter_rows(named=True):
        out.error(
            sheet,
            row["row"],
            row["column"],
            "over-100",
            f"{show(row['value'])} is over 100 for a percentage ({row['code']})"
            + (
                f" — the cell is formatted as a percentage, so {show(row['value'] / 100)} "
                f"shows as {show(row['value'])}%: type {show(row['value'] / 10000)} or "
                "format the cell as a number"
                if row["percent"]
                else ""
            ),
        )
    _numerator_over_denominator(data, sheet, out)
    _value_against_parts(data, sheet, out)
    odd = hundredfold(data, sheet, slots, out)
    _fractions(data.join(odd, on=["key", "row", "column"], how="anti"), sheet, odd, out)


#: What a figure's parts are matched on: the same indicator, month (or period) and figure.
_SAME_FIGURE = ["key", "slot", "figure"]


def _part(data: pl.DataFrame, part: str, name: str) -> pl.DataFrame:
    """The figures of one ``part`` (numerator, denominator) as ``name``, ``name_row`` and
    ``name_column``, to join onto another part of the same figure."""
    return data.filter(pl.col("part") == part).select(
        *_SAME_FIGURE,
        pl.col("value").alias(name),
        pl.col("row").alias(f"{name}_row"),
        pl.col("column").alias(f"{name}_column"),
    )


def _numerator_over_denominator(data: pl.DataFrame, sheet: str, out: Collector) -> None:
    on = _SAME_FIGURE
    numerators = data.filter(
        (pl.col("part") == "numerator") & (pl.col("unit") == Unit.PERCENT.value)
    )
    if numerators.height == 0:
        return
    bad = numerators.join(_part(data, "denominator", "den"), on=on, how="inner").filter(
        pl.col("value") > pl.col("den")
    )
    for row in bad.sort("row", "column").iter_rows(named=True):
        out.error(
            sheet,
            row["row"],
            row["column"],
            "numerator-over-denominator",
            f"numerator {show(row['value'])} is larger than its denominator "
            f"{show(row['den'])} ({sheet}!{cell_name(row['den_row'], row['den_column'])})",
        )


def _value_against_parts(data: pl.DataFrame, sheet: str, out: Collector) -> None:
    """A percentage further from its numerator over its denominator than rounding explains
    (75.0% beside 455 / 534 = 85.2%): one of the three cells is wrong, and a sentence would
    print both. A warning on the percentage's cell, naming the parts' cells."""
    on = _SAME_FIGURE
    values = data.filter((pl.col("part") == "value") & (pl.col("unit") == Unit.PERCENT.value))
    if values.height == 0:
        return
    from_parts = pl.col("num") / pl.col("den") * 100
    both = (
        values.join(_part(data, "numerator", "num"), on=on, how="inner")
        .join(_part(data, "denominator", "den"), on=on, how="inner")
        .filter((pl.col("den") > 0) & (pl.col("num") <= pl.col("den")))
        .with_columns(from_parts.alias("from_parts"))
        # more than rounding apart: 51.2 beside 41 / 80 = 51.25 is a tie rounded to even
        .filter((pl.col("value") - pl.col("from_parts")).abs() > within_rounding(pl.col("places")))
    )
    for row in both.sort("row", "column").iter_rows(named=True):
        places = row["places"]
        written = number(row["value"], places)
        worked = number(row["from_parts"], places)
        out.warn(
            sheet,
            row["row"],
            row["column"],
            "value-not-its-parts",
            f"{written}% is not its numerator {show(row['num'])} "
            f"({sheet}!{cell_name(row['num_row'], row['num_column'])}) over its denominator "
            f"{show(row['den'])} ({sheet}!{cell_name(row['den_row'], row['den_column'])}), "
            f"which is {worked}% — correct whichever cell is wrong (csckpi reports the "
            f"percentage as written, beside its parts)",
        )


def _fractions(data: pl.DataFrame, sheet: str, odd: pl.DataFrame, out: Collector) -> None:
    """A percent indicator whose every figure is between 0 and 1 (and none formatted as a
    percentage): a row of fractions. ``odd`` are the cells left out as about 100 times off
    the rest (one percentage among fractions), which the message names."""
    values = data.filter(
        (pl.col("part") == "value")
        & (pl.col("unit") == Unit.PERCENT.value)
        & (pl.col("figure") == "value")
    )
    if values.height == 0:
        return
    suspects = (
        values.group_by("key", maintain_order=True)
        .agg(
            pl.col("value").max().alias("max"),
            pl.col("value").min().alias("min"),
            pl.col("percent").any().alias("formatted"),
            pl.col("code").first(),
            pl.col("row").sort_by("row", "column").first(),
            pl.col("column").sort_by("row", "column").first(),
            pl.col("value").sort_by("row", "column").first().alias("first"),
        )
        .filter(
            (pl.col("max") <= 1.0)
            & (pl.col("max") > 0)
            & (pl.col("min") >= 0)
            & ~pl.col("formatted")
        )
    )
    for row in suspects.sort("row", "column").iter_rows(named=True):
        apart = odd.filter(pl.col("key") == row["key"]).sort("row", "column")
        cells = and_list(cell_name(r, c) for r, c in apart.select("row", "column").iter_rows())
        but = f" but {cells}" if cells else ""
        out.warn(
            sheet,
            row["row"],
            row["column"],
            "looks-like-fraction",
            f"{show(row['first'])} looks like a fraction: format the cells as percentages or "
            f"multiply by 100 (every {row['code']} figure here{but} is 1 or less)",
        )


def monthly_frame(frame: pl.DataFrame, sheet: str) -> pl.DataFrame:
    from csckpi.dataset import monthly_schema

    return (
        _with_cells(frame, sheet)
        .select(
            "key",
            "code",
            pl.col("slot").alias("month"),
            "part",
            "value",
            "sheet",
            "cell",
        )
        .cast(pl.Schema(monthly_schema()))
    )


def reported_frame(frame: pl.DataFrame, sheet: str) -> pl.DataFrame:
    from csckpi.dataset import reported_schema

    return (
        _with_cells(frame, sheet)
        .select(
            "key",
            "code",
            pl.col("slot").alias("period"),
            "part",
            "figure",
            "value",
            "sheet",
            "cell",
        )
        .cast(pl.Schema(reported_schema()))
    )


def _with_cells(frame: pl.DataFrame, sheet: str) -> pl.DataFrame:
    letters = {c: cell_name(1, c)[:-1] for c in frame.get_column("column").unique().to_list()}
    return frame.with_columns(
        pl.lit(sheet, dtype=pl.String()).alias("sheet"),
        (
            pl.col("column").replace_strict(letters, return_dtype=pl.String())
            + pl.col("row").cast(pl.String())
        ).alias("cell"),
    )


def empty_monthly() -> pl.DataFrame:
    from csckpi.dataset import monthly_schema

    return pl.DataFrame(schema=monthly_schema())


def empty_reported() -> pl.DataFrame:
    from csckpi.dataset import reported_schema

    return pl.DataFrame(schema=reported_schema())


_EPOCH = dt.date(1970, 1, 1)


def day_number(month: Month) -> int:
    """The first of ``month`` as days since 1970-01-01: how a polars Date is stored."""
    return (month.date - _EPOCH).days
