"""The Monthly sheet, wide (a column per month) or long (a row per month) -> figures."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from csckpi.errors import PeriodError
from csckpi.model import column_letter
from csckpi.periods import Month, PeriodKind, parse_month, parse_period
from csckpi.workbook.cells import is_blank, quoted, read_number, text
from csckpi.workbook.columns import Columns
from csckpi.workbook.figures import Figures, check, day_number, empty_monthly, monthly_frame
from csckpi.workbook.layout import (
    MONTHLY_LONG,
    MONTHLY_LONG_OPTIONAL,
    MONTHLY_WIDE,
    MONTHLY_WIDE_OPTIONAL,
)
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sequence import check_sequence
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import STYLE, TYPE, VALUE, Cell, RawSheet, Row, Table, canon

_PARTS = {
    "value": "value",
    "numerator": "numerator",
    "num": "numerator",
    "denominator": "denominator",
    "den": "denominator",
    "denom": "denominator",
}
# A header that tries to be a month: digits, or a month's name or abbreviation as a word.
_MONTHISH = re.compile(
    r"\d|\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\b",
    re.IGNORECASE,
)
_FINANCIAL_YEAR = re.compile(r"\d{4}\s*/\s*\d{2}")
_MONTH_HINT = "write it like Apr-20, April 2020 or 2020-04, or use a date"


class MonthlyReader(SheetReader):
    """The Monthly sheet; the layout (wide or long) is told by its columns."""

    def _monthly(self, sheet: RawSheet) -> pl.DataFrame:
        table = self._table(sheet, "code", MONTHLY_WIDE)
        if table is None:
            return empty_monthly()
        figures = Figures(sheet.title)
        headers: dict[int, Month] = {}  # wide: the month of each month column
        if "month" in table.columns and "value" in table.columns:
            self.layout = "long"
            cols = Columns(table, MONTHLY_LONG, MONTHLY_LONG_OPTIONAL, self.out)
            self._no_header_columns(table, set(cols.known.values()), warn=True)
            if cols.ok:
                self._monthly_long(table, cols, figures)
            used = list(cols.known.values())
        else:
            cols = Columns(
                table, MONTHLY_WIDE, MONTHLY_WIDE_OPTIONAL, self.out, extra_allowed=False
            )
            months = self._month_columns(table, cols)
            headers = {c: Month.from_index(_index(d)) for c, d in months.items()}
            used = [*cols.known.values(), *months]
            self._no_header_columns(table, set(used), warn=True)
            if cols.ok:
                self._monthly_wide(table, cols, months, figures)
        sheet_notes(sheet, table, used, self.out)
        table.body.clear()  # the parsed cells are done with: free them before framing
        sheet.rows.clear()
        frame = figures.frame(pl.Date())
        figures.clear()
        if headers and cols.ok:
            filled = set(frame.get_column("column").unique().to_list())
            check_sequence(sheet.title, table.header_row, headers, filled, self.today, self.out)
        check(frame, sheet.title, self.indicators, self.out)
        return monthly_frame(frame, sheet.title)

    def _month_columns(self, table: Table, cols: Columns) -> dict[int, int]:
        """Month columns: column number -> the month's day_number."""
        title = table.title
        months: dict[int, int] = {}
        seen: dict[Month, int] = {}
        skip = set(cols.known.values())
        for column in sorted(table.header):
            if column in skip:
                continue
            value = table.header[column][VALUE]
            if is_blank(value):
                continue
            month = parse_month(value) if isinstance(value, str | dt.date) else None
            if month is None:
                self._not_a_month_header(table, column, value)
                continue
            if month in seen:
                self.out.error(
                    title,
                    table.header_row,
                    column,
                    "duplicate-month",
                    f"{month} is already the header of column "
                    f"{column_letter(seen[month])} — each month once",
                )
                continue
            seen[month] = column
            months[column] = day_number(month)
        if not months and cols.ok:
            self.out.error(
                title,
                0,
                0,
                "no-months",
                "no month columns — head one column per month (Apr-20, April 2020, 2020-04 or "
                "a date) after code, or use the long layout: code, month, value",
            )
        return months

    def _not_a_month_header(self, table: Table, column: int, value: object) -> None:
        title = table.title
        shown = text(value)
        letter = column_letter(column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.out.error(
                title,
                table.header_row,
                column,
                "not-a-month",
                f"{shown} is not a month — {_MONTH_HINT} (a date shown as a number? "
                "format the cell as a date)",
            )
        elif _FINANCIAL_YEAR.search(shown) or _is_period(shown):
            self.out.warn(
                title,
                table.header_row,
                column,
                "period-column",
                f"{quoted(shown)} is a period, not a month — column {letter} ignored "
                "(put figures for whole periods on the Periods sheet)",
            )
        elif _MONTHISH.search(shown):
            self.out.error(
                title,
                table.header_row,
                column,
                "not-a-month",
                f"{quoted(shown)} is not a month — {_MONTH_HINT}",
            )
        else:
            self.out.ignored.append(f'column "{shown}" on {title} ({letter}): not a month')

    def _monthly_wide(
        self, table: Table, cols: Columns, months: dict[int, int], figures: Figures
    ) -> None:
        title = table.title
        percent = self.percent
        out = self.out
        add_record = figures.record_of.append
        add_slot = figures.slot.append
        add_value = figures.value.append
        add_column = figures.column.append
        add_percent = figures.percent.append
        seen: dict[tuple[str, str], int] = {}
        part_column = cols.column("part")
        month_columns = [*cols.known.values(), *months]
        for index, cells in table.body:
            indicator = self._code(
                title,
                index,
                cols.get(cells, "code"),
                cols.column("code"),
                lambda cells=cells: _any_filled(cells, month_columns),  # type: ignore[misc]
            )
            if indicator is None:
                continue
            part = self._part(title, index, cols.get(cells, "part"), part_column)
            if part is None:
                continue
            key = indicator.key
            if (key, part) in seen:
                out.error(
                    title,
                    index,
                    cols.column("code"),
                    "duplicate-row",
                    f"{indicator.code} {part} is already on row {seen[key, part]} — "
                    "one row per code and part",
                )
                continue
            seen[key, part] = index
            record = figures.record(key, indicator.code, "value", part, index)
            for column, cell in cells.items():
                month = months.get(column)
                if month is None:
                    continue
                value = cell[VALUE]
                kind = type(value)
                if kind is float or kind is int:
                    flag = cell[STYLE] in percent
                    if flag:
                        value = round(value * 100, 9)
                elif value is None and cell[TYPE] != "f":
                    continue
                else:
                    reading = read_number(value, cell[TYPE], cell[STYLE] in percent)
                    out.add(title, index, column, reading)
                    if reading[0] is None:
                        if reading[1] is None and not is_blank(value):
                            out.quiet_blank(title, index, column, value, (key, part, month))
                        continue
                    value, flag = reading[0], False
                add_record(record)
                add_slot(month)
                add_value(value)
                add_column(column)
                add_percent(flag)

    def _part(self, title: str, index: int, cell: Cell | None, column: int) -> str | None:
        written = text(None if cell is None else cell[VALUE])
        if not written:
            return "value"
        part = _PARTS.get(canon(written))
        if part is None:
            self.out.error(
                title,
                index,
                column,
                "unknown-part",
                f"{quoted(written)} is not a part — write value, numerator or "
                "denominator (blank means value)",
            )
        return part

    def _monthly_long(self, table: Table, cols: Columns, figures: Figures) -> None:
        title = table.title
        seen: dict[tuple[str, Month], int] = {}
        month_column = cols.column("month")
        parts = [p for p in ("value", "numerator", "denominator") if p in cols.known]
        for index, cells in table.body:
            indicator = self._row_code(cols, index, cells)
            if indicator is None:
                continue
            month_value = cols.value(cells, "month")
            month = parse_month(month_value) if isinstance(month_value, str | dt.date) else None
            if month is None:
                if is_blank(month_value):
                    message = f"{indicator.code} has no month — {_MONTH_HINT}"
                else:
                    message = f"{quoted(text(month_value))} is not a month — {_MONTH_HINT}"
                self.out.error(title, index, month_column, "not-a-month", message)
                continue
            if (indicator.key, month) in seen:
                self.out.error(
                    title,
                    index,
                    month_column,
                    "duplicate-month",
                    f"{month} for {indicator.code} is already on row "
                    f"{seen[indicator.key, month]} — each month once",
                )
                continue
            seen[indicator.key, month] = index
            for part in parts:
                record = figures.record(indicator.key, indicator.code, "value", part, index)
                slot = day_number(month)
                where = (indicator.key, part, slot)
                self._figure(figures, title, record, slot, cols.get(cells, part), where)


def _index(day: int) -> int:
    """A day_number (the first of a month) as the month's index."""
    return Month.from_date(_EPOCH + dt.timedelta(days=day)).index


_EPOCH = dt.date(1970, 1, 1)


def _any_filled(cells: Row, columns: list[int]) -> bool:
    return any(
        column in cells and (not is_blank(cells[column][VALUE]) or cells[column][TYPE] == "f")
        for column in columns
    )


def _is_period(written: str) -> bool:
    try:
        period = parse_period(written)
    except PeriodError:
        return False
    return period.kind is not PeriodKind.MONTH
