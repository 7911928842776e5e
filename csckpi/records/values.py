"""Cells -> typed columns: dates, numbers, text; each with a flag where a cell cannot be read.

A column arrives as one Python list per column (from a workbook: datetimes where Excel shows a
date, numbers, text, booleans; from a CSV file: text) and leaves as a polars Series and a
boolean Series saying which non-blank cells could not be read. Everything after that is
vectorised.

Dates are read as Excel dates, as Excel serial numbers (a number in a date column, 44183 =
18/12/2020), or as text in UK order: ``18/12/2020``, ``18-12-2020``, ``18.12.2020``,
``18/12/20``, ``18 Dec 2020``, ``18-December-2020``, also ISO ``2020-12-18``; any of them with
a time after it. Never US order: ``12/18/2020`` is not a date. Text that is none of these is
a problem (the caller reports it by cell, without quoting it: it may be personal).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import polars as pl

from csckpi.records.lists import Kind

#: Cells that mean "nothing here" in councils' extracts; read as blank without a word.
BLANKS = ("", "null", "n/a", "na", "-", "none", "#n/a", "not recorded", "not applicable")
EXCEL_ERRORS = ("#null!", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#n/a")

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_UK = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + "$"
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$"
_NAMED = r"^(\d{1,2})(?:st|nd|rd|th)?[ \-/]([A-Za-z]{3,9})\.?[ \-/,]+(\d{4}|\d{2})" + _TIME + "$"
_SERIAL = r"^(\d{4,5})(?:\.\d+)?$"
_MONTHS = {
    name: f"{number:02d}"
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
#: Excel's day 0 in the 1900 date system (serials after 28/02/1900, which is all of them).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: A number in a date column is a serial only between these (1 Jan 1950 - 31 Dec 2099).
SERIAL_RANGE = (18264, 73050)


#: A whole cell (stripped) that is one of BLANKS or EXCEL_ERRORS, whatever its case: a regular
#: expression rejects most cells at their first character, where lower-casing reads them all.
_NOTHING = "^(?i:" + "|".join(re.escape(word) for word in sorted({*BLANKS, *EXCEL_ERRORS})) + ")$"
_BLANK = "^(?i:" + "|".join(re.escape(word) for word in BLANKS) + ")$"


def _blank(text: pl.Expr) -> pl.Expr:
    return text.is_null() | text.str.contains(_BLANK)


def _year(text: pl.Expr) -> pl.Expr:
    """Two-digit years are this century's up to 69, the last's from 70."""
    return (
        pl.when(text.str.len_chars() == 2)
        .then(
            pl.when(text.cast(pl.Int32, strict=False) < 70).then("20" + text).otherwise("19" + text)
        )
        .otherwise(text)
    )


def _iso_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    text = pl.concat_str(_year(year), month.str.zfill(2), day.str.zfill(2), separator="-")
    return text.str.to_date("%Y-%m-%d", strict=False)


def text_to_date(text: pl.Expr) -> pl.Expr:
    """A text date in any accepted form -> Date (null when it is none of them)."""
    cleaned = text.str.strip_chars()
    uk = cleaned.str.extract_groups(_UK)
    iso = cleaned.str.extract_groups(_ISO)
    named = cleaned.str.extract_groups(_NAMED)
    month_name = named.struct.field("2").str.to_lowercase().str.slice(0, 3)
    serial = cleaned.str.extract(_SERIAL, 1).cast(pl.Int64, strict=False)
    return pl.coalesce(
        _iso_date(uk.struct.field("3"), uk.struct.field("2"), uk.struct.field("1")),
        _iso_date(iso.struct.field("1"), iso.struct.field("2"), iso.struct.field("3")),
        _iso_date(
            named.struct.field("3"),
            month_name.replace_strict(_MONTHS, default=None, return_dtype=pl.String),
            named.struct.field("1"),
        ),
        serial_to_date(serial),
    )


def serial_to_date(serial: pl.Expr) -> pl.Expr:
    """An Excel serial day number -> Date, null outside SERIAL_RANGE."""
    whole = serial.floor().cast(pl.Int64, strict=False)
    inside = whole.is_between(*SERIAL_RANGE)
    return pl.when(inside).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=whole)).otherwise(None)


def _by_type(values: Sequence[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """Split a workbook column into its dates, numbers and text (None elsewhere)."""
    dates: list[Any] = [None] * len(values)
    numbers: list[Any] = [None] * len(values)
    texts: list[Any] = [None] * len(values)
    for i, value in enumerate(values):
        kind = type(value)
        if value is None:
            continue
        if kind is dt.datetime:
            dates[i] = value.date()
        elif kind is dt.date:
            dates[i] = value
        elif kind is float or kind is int:
            numbers[i] = float(value)
        elif kind is str:
            texts[i] = value
        else:  # a boolean, a time: kept as text so it shows as unreadable where it matters
            texts[i] = str(value)
    return dates, numbers, texts


def column(values: Sequence[Any] | pl.Series, kind: Kind) -> tuple[pl.Series, pl.Series]:
    """A column of cells -> (typed Series, Series of True where a non-blank cell is unreadable)."""
    if isinstance(values, pl.Series):
        return _from_text(pl.DataFrame({"t": values.cast(pl.String)}), kind)
    if all(value is None or type(value) is str for value in values):
        frame = pl.DataFrame({"t": values}, schema={"t": pl.String})
        return _from_text(frame, kind)
    dates, numbers, texts = _by_type(values)
    frame = pl.DataFrame(
        {"d": dates, "n": numbers, "t": texts},
        schema={"d": pl.Date, "n": pl.Float64, "t": pl.String},
    )
    text_value, text_bad = _from_text(frame.select("t"), kind)
    frame = frame.with_columns(tv=text_value, tb=text_bad)
    if kind is Kind.DATE:
        out = frame.select(
            v=pl.coalesce(pl.col("d"), serial_to_date(pl.col("n")), pl.col("tv")),
            b=(pl.col("n").is_not_null() & serial_to_date(pl.col("n")).is_null()) | pl.col("tb"),
        )
    elif kind is Kind.NUMBER:
        out = frame.select(
            v=pl.coalesce(pl.col("n"), pl.col("tv")),
            b=pl.col("d").is_not_null() | pl.col("tb"),
        )
    else:  # identifiers and text: a number reads as it shows (12, not 12.0)
        shown = (
            pl.when(pl.col("n") == pl.col("n").round(0))
            .then(pl.col("n").cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(pl.col("n").cast(pl.String))
        )
        out = frame.select(
            v=pl.coalesce(pl.col("tv"), shown, pl.col("d").dt.strftime("%d/%m/%Y")),
            b=pl.col("tb"),
        )
    return out.get_column("v"), out.get_column("b")


def _plain(text: pl.Expr, form: str) -> pl.Expr:
    """A date in one exact form with a four-digit year, else null."""
    day = text.str.to_date(form, strict=False)
    return pl.when(day.dt.year() >= 1000).then(day)


def _dates_from_text(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Most cells are 18/12/2020: those are read in one pass over the column as it is; only
    the rest (spaces around it, ISO, a time after the date, a month's name, a two-digit year,
    a blank word, text that is no date) go through every accepted form."""
    frame = pl.DataFrame({"t": text})
    first = (
        frame.with_columns(_d=pl.col("t").str.to_date("%d/%m/%Y", strict=False))
        .select(v=pl.when(pl.col("_d").dt.year() >= 1000).then(pl.col("_d")))
        .get_column("v")
    )
    rest = first.is_null() & text.is_not_null()
    bad = _none_bad(frame.height)
    if not rest.any():
        return first, bad
    indexes = rest.arg_true()
    stripped = pl.col("t").str.strip_chars()
    again = frame[indexes].select(
        v=pl.coalesce(_plain(stripped, "%Y-%m-%d"), text_to_date(pl.col("t"))),
        blank=_blank(stripped),
    )
    value = again.get_column("v")
    return first.scatter(indexes, value), bad.scatter(indexes, value.is_null() & ~again["blank"])


def _none_bad(height: int) -> pl.Series:
    return pl.repeat(False, height, dtype=pl.Boolean, eager=True).alias("b")


def _from_text(frame: pl.DataFrame, kind: Kind) -> tuple[pl.Series, pl.Series]:
    text = frame.get_column("t")
    if kind is Kind.DATE:
        return _dates_from_text(text)
    if kind is Kind.NUMBER:
        # most cells are plain numbers: cast as they are; the rest are cleaned and tried again
        first = text.cast(pl.Float64, strict=False)
        rest = first.is_null() & text.is_not_null()
        bad = _none_bad(len(text))
        if not rest.any():
            return first, bad
        indexes = rest.arg_true()
        stripped = pl.col("t").str.strip_chars()
        again = frame[indexes].select(
            v=stripped.str.replace_all(",", "").cast(pl.Float64, strict=False),
            blank=_blank(stripped),
        )
        value = again.get_column("v")
        return first.scatter(indexes, value), bad.scatter(
            indexes, value.is_null() & ~again["blank"]
        )
    stripped = pl.col("t").str.strip_chars()
    out = frame.select(
        v=pl.when(stripped.str.contains(_NOTHING)).then(None).otherwise(stripped),
        b=pl.lit(False),
    )
    return out.get_column("v"), out.get_column("b")
