"""The five sheets of the documented layout -> a Dataset, and every problem found on the way.

Nothing stops at the first problem: each sheet is read as far as it can be, so one run
reports everything wrong with the file. The layout is described in docs/workbook.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import polars as pl

from csckpi.dataset import Dataset, benchmark_schema
from csckpi.errors import PeriodError
from csckpi.model import (
    Comparator,
    Context,
    Indicator,
    Measure,
    Polarity,
    Unit,
    allowed,
    column_letter,
    normalise_code,
    parse_choice,
)
from csckpi.periods import Month, PeriodKind, parse_month, parse_period
from csckpi.workbook.cells import is_blank, quoted, read_number, show
from csckpi.workbook.common import (
    Collector,
    Columns,
    and_list,
    cell_name,
    number_at,
    sheet_notes,
    suggestion,
    text,
)
from csckpi.workbook.figures import (
    Figures,
    check,
    empty_monthly,
    empty_reported,
    monthly_frame,
    reported_frame,
)
from csckpi.workbook.sheets import Book, CellDict, RawSheet, Row, Table, canon, find_table

INDICATORS = ("code", "title", "unit", "polarity", "measure")
INDICATORS_OPTIONAL = (
    "section",
    "target",
    "tolerance",
    "definition",
    "phrase",
    "decimals",
)
MONTHLY_WIDE = ("code",)
MONTHLY_WIDE_OPTIONAL = ("part",)
MONTHLY_LONG = ("code", "month", "value")
MONTHLY_LONG_OPTIONAL = ("numerator", "denominator")
PERIODS = ("code", "period", "value")
PERIODS_OPTIONAL = ("numerator", "denominator", "figure", "note")
BENCHMARKS = ("code", "comparator", "value")
BENCHMARKS_OPTIONAL = ("source", "year")
CONTEXT = ("key", "value")
CONTEXT_OPTIONAL = ("year",)

SHEETS: dict[str, bool] = {  # name -> required
    "Indicators": True,
    "Monthly": True,
    "Periods": False,
    "Benchmarks": False,
    "Context": False,
}
_PARTS = {
    "value": "value",
    "numerator": "numerator",
    "num": "numerator",
    "denominator": "denominator",
    "den": "denominator",
    "denom": "denominator",
}
_FIGURES = {"value": "value", "flow": "flow"}
_MONTHISH = re.compile(r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(r"\d{4}\s*/\s*\d{2}")
_MONTH_HINT = "write it like Apr-20, April 2020 or 2020-04, or use a date"

Layout = Literal["wide", "long"]
E = TypeVar("E", Unit, Polarity, Measure)


@dataclass(frozen=True)
class Outcome:
    dataset: Dataset | None
    layout: Layout


class Reader:
    """Reads one open workbook; collects its problems in ``out``."""

    def __init__(self, book: Book, source: str) -> None:
        self.book = book
        self.source = source
        self.out = Collector()
        self.percent = book.percent_styles
        self.indicators: dict[str, Indicator] = {}
        self.shown_codes: dict[str, str] = {}
        self.layout: Layout = "wide"

    # -- the whole workbook -----------------------------------------------------------------
    def run(self) -> Outcome:
        titles = self._locate()
        indicators_ok = False
        if "Indicators" in titles:
            indicators_ok = self._indicators(self.book.read(titles["Indicators"]))
        monthly = empty_monthly()
        reported = empty_reported()
        benchmarks = pl.DataFrame(schema=benchmark_schema())
        context = Context()
        if "Monthly" in titles:
            monthly = self._monthly(self.book.read(titles["Monthly"]), indicators_ok)
        if "Periods" in titles:
            reported = self._periods(self.book.read(titles["Periods"]), indicators_ok)
        if "Benchmarks" in titles:
            benchmarks = self._benchmarks(self.book.read(titles["Benchmarks"]), indicators_ok)
        if "Context" in titles:
            context = self._context(self.book.read(titles["Context"]))
        if self.out.has_errors:
            return Outcome(None, self.layout)
        dataset = Dataset(
            indicators=tuple(self.indicators.values()),
            monthly=monthly,
            reported=reported,
            benchmarks=benchmarks,
            context=context,
            source=self.source,
        )
        return Outcome(dataset, self.layout)

    def _locate(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        used: set[str] = set()
        for name, required in SHEETS.items():
            found = self.book.find(name)
            if len(found) > 1:
                self.out.error(
                    found[1],
                    0,
                    0,
                    "duplicate-sheet",
                    f'sheets "{found[0]}" and "{found[1]}" both match {name} — rename one',
                )
            if found:
                titles[name] = found[0]
                used.update(found)
            elif required:
                others = [t for t in self.book.titles if canon(t) not in _sheet_names()]
                close = suggestion(canon(name), {canon(t): t for t in others})
                self.out.error(
                    name,
                    0,
                    0,
                    "missing-sheet",
                    f"the workbook has no {name} sheet (its sheets: "
                    f"{and_list(quoted(t) for t in self.book.titles)}).{close}",
                )
        for title in self.book.titles:
            if title not in used:
                self.out.ignored.append(f'sheet "{title}": not a sheet csckpi reads')
        return titles

    def _table(self, sheet: RawSheet, anchor: str, required: tuple[str, ...]) -> Table | None:
        table = find_table(sheet, anchor)
        if table is None:
            where = f"in its first {min(len(sheet.rows), 20)} rows" if sheet.rows else ""
            what = "is empty" if not sheet.rows else f'has no header row with a "{anchor}" column'
            self.out.error(
                sheet.title,
                0,
                0,
                "missing-header",
                f"{sheet.title} {what}{(' ' + where) if where else ''} — its first row names "
                f"the columns: {and_list(required)}",
            )
        return table

    # -- Indicators ---------------------------------------------------------------------------
    def _indicators(self, sheet: RawSheet) -> bool:
        table = self._table(sheet, "code", INDICATORS)
        if table is None:
            return False
        cols = Columns(table, INDICATORS, INDICATORS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not cols.ok:
            sheet_notes(sheet, table, cols.known.values(), self.out)
            return False
        title = sheet.title
        first_row: dict[str, int] = {}
        for index, cells in table.body:
            code = cols.text(cells, "code")
            code_column = cols.column("code")
            if not code:
                if cols.any_filled(cells):
                    self.out.error(
                        title,
                        index,
                        code_column,
                        "missing-code",
                        "this row has no code — give each indicator a code",
                    )
                continue
            key = normalise_code(code)
            if not key:
                self.out.error(
                    title,
                    index,
                    code_column,
                    "not-a-code",
                    f"{quoted(code)} is not an indicator code",
                )
                continue
            if key in first_row:
                self.out.error(
                    title,
                    index,
                    code_column,
                    "duplicate-code",
                    f"{quoted(code)} is the same indicator as "
                    f"{quoted(self.indicators[key].code)} on row {first_row[key]} — "
                    "each code once",
                )
                continue
            indicator = self._indicator(title, index, cells, cols, code, len(first_row))
            first_row[key] = index
            if indicator is not None:
                self.indicators[key] = indicator
            self.shown_codes[key] = code
        if not first_row:
            self.out.warn(
                title, 0, 0, "no-indicators", "the sheet has a header but no indicators below it"
            )
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return True

    def _indicator(
        self, title: str, index: int, cells: Row, cols: Columns, code: str, order: int
    ) -> Indicator | None:
        ok = True
        name = cols.text(cells, "title")
        if not name:
            self.out.error(
                title, index, cols.column("title"), "missing-title", f"{code} has no title"
            )
            ok = False
        unit = self._choice(title, index, cells, cols, "unit", Unit, code)
        polarity = self._choice(title, index, cells, cols, "polarity", Polarity, code)
        measure = self._choice(title, index, cells, cols, "measure", Measure, code)
        target = number_at(cols.get(cells, "target"), self.percent, self.out, title)
        tolerance = number_at(cols.get(cells, "tolerance"), self.percent, self.out, title)
        if tolerance is not None and tolerance < 0:
            self.out.error(
                title,
                index,
                cols.column("tolerance"),
                "negative",
                f"tolerance {show(tolerance)} is negative — give the width of the "
                "amber band, 0 or more",
            )
            ok = False
        if unit is Unit.PERCENT and target is not None and not 0 <= target <= 100:
            self.out.error(
                title,
                index,
                cols.column("target"),
                "over-100",
                f"target {show(target)} is not a percentage (0 to 100)",
            )
            ok = False
        decimals = self._decimals(title, index, cols.get(cells, "decimals"))
        if unit is None or polarity is None or measure is None or decimals is False or not ok:
            return None
        return Indicator(
            code=code,
            title=name,
            section=cols.text(cells, "section"),
            unit=unit,
            polarity=polarity,
            measure=measure,
            target=target,
            tolerance=tolerance,
            definition=cols.text(cells, "definition"),
            phrase=cols.text(cells, "phrase"),
            decimals=decimals if isinstance(decimals, int) else None,
            order=order,
        )

    def _choice(
        self, title: str, index: int, cells: Row, cols: Columns, name: str, enum: type[E], code: str
    ) -> E | None:
        written = cols.text(cells, name)
        choice = parse_choice(enum, written)
        if choice is None:
            extra = (
                ' ("higher is better" and "lower is better" work too)' if enum is Polarity else ""
            )
            found = f"{quoted(written)} is not a {name}" if written else f"{code} has no {name}"
            self.out.error(
                title,
                index,
                cols.column(name),
                f"unknown-{name}",
                f"{found} — write {allowed(enum)}{extra}",
            )
        return choice

    def _decimals(self, title: str, index: int, cell: CellDict | None) -> int | bool | None:
        if cell is None or is_blank(cell["value"]):
            return None
        value = cell["value"]
        number = value if type(value) in (int, float) else None
        if number is None and isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is None or number != int(number) or not 0 <= number <= 6:
            self.out.error(
                title,
                index,
                cell["column"],
                "bad-decimals",
                f"{quoted(text(value))} is not a number of decimal places — "
                "write a whole number from 0 to 6, or leave it blank",
            )
            return False
        return int(number)

    # -- codes on the other sheets ---------------------------------------------------------------
    def _code(
        self, title: str, index: int, cell: CellDict | None, column: int, filled: Callable[[], bool]
    ) -> Indicator | None:
        """The indicator a row is about, or None (having said why, when it matters)."""
        code = text(None if cell is None else cell["value"])
        if not code:
            if filled():
                self.out.error(
                    title, index, column, "missing-code", "this row has figures but no code"
                )
            return None
        key = normalise_code(code)
        indicator = self.indicators.get(key)
        if indicator is None and key not in self.shown_codes:
            self.out.error(
                title,
                index,
                column,
                "unknown-code",
                f"{quoted(code)} is not on the Indicators sheet."
                + suggestion(key, self.shown_codes),
            )
        return indicator

    def _no_header_columns(self, table: Table, used: set[int], *, warn: bool) -> None:
        """Columns holding figures under a blank header: a warning on Monthly, else a note."""
        filled: dict[int, int] = {}
        for index, cells in table.body:
            for column, cell in cells.items():
                if (
                    column not in table.header
                    and column not in filled
                    and not is_blank(cell["value"])
                ):
                    filled[column] = index
        for column in sorted(set(filled) - used):
            letter = column_letter(column)
            merge = table.sheet.merge_at(table.header_row, column)
            merged = ""
            if merge is not None:
                merged = (
                    f" (the header cell is merged with "
                    f"{cell_name(merge[1], merge[0])}: unmerge it and give each column "
                    "its own header)"
                )
            if warn:
                self.out.warn(
                    table.title,
                    table.header_row,
                    column,
                    "no-header",
                    f"column {letter} has figures but no header — ignored{merged}",
                )
            else:
                self.out.ignored.append(f"column {letter} on {table.title}: no header")

    # -- Monthly -------------------------------------------------------------------------------
    def _monthly(self, sheet: RawSheet, indicators_ok: bool) -> pl.DataFrame:
        table = self._table(sheet, "code", MONTHLY_WIDE)
        if table is None:
            return empty_monthly()
        figures = Figures(sheet.title)
        if "month" in table.columns and "value" in table.columns:
            self.layout = "long"
            cols = Columns(table, MONTHLY_LONG, MONTHLY_LONG_OPTIONAL, self.out)
            self._no_header_columns(table, set(cols.known.values()), warn=True)
            if cols.ok and indicators_ok:
                self._monthly_long(table, cols, figures)
            used = list(cols.known.values())
        else:
            cols = Columns(
                table, MONTHLY_WIDE, MONTHLY_WIDE_OPTIONAL, self.out, extra_allowed=False
            )
            months = self._month_columns(table, cols)
            used = [*cols.known.values(), *months]
            self._no_header_columns(table, set(used), warn=True)
            if cols.ok and indicators_ok:
                self._monthly_wide(table, cols, months, figures)
        sheet_notes(sheet, table, used, self.out)
        frame = figures.frame(pl.Date())
        check(frame, sheet.title, self.indicators, self.out)
        return monthly_frame(frame, sheet.title)

    def _month_columns(self, table: Table, cols: Columns) -> dict[int, int]:
        """Month columns: column number -> Month.index."""
        title = table.title
        months: dict[int, int] = {}
        seen: dict[Month, int] = {}
        skip = set(cols.known.values())
        for column in sorted(table.header):
            if column in skip:
                continue
            value = table.header[column]["value"]
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
            months[column] = month.index
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
                value = cell["value"]
                kind = type(value)
                if kind is float or kind is int:
                    flag = cell["style_id"] in percent
                    if flag:
                        value = round(value * 100, 9)
                elif value is None and cell["data_type"] != "f":
                    continue
                else:
                    reading = read_number(value, cell["data_type"], cell["style_id"] in percent)
                    out.add(title, index, column, reading)
                    if reading[0] is None:
                        if reading[1] is None and not is_blank(value):
                            out.quiet_blanks[title] = out.quiet_blanks.get(title, 0) + 1
                        continue
                    value, flag = reading[0], False
                add_record(record)
                add_slot(month)
                add_value(value)
                add_column(column)
                add_percent(flag)

    def _part(self, title: str, index: int, cell: CellDict | None, column: int) -> str | None:
        written = text(None if cell is None else cell["value"])
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
            indicator = self._code(
                title,
                index,
                cols.get(cells, "code"),
                cols.column("code"),
                lambda cells=cells: cols.any_filled(cells),  # type: ignore[misc]
            )
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
                self._figure(figures, title, record, month.index, cols.get(cells, part))

    def _figure(
        self, figures: Figures, title: str, record: int, slot: object, cell: CellDict | None
    ) -> None:
        if cell is None:
            return
        value = cell["value"]
        percent = cell["style_id"] in self.percent
        reading = read_number(value, cell["data_type"], percent)
        self.out.add(title, cell["row"], cell["column"], reading)
        if reading[0] is not None:
            figures.add(record, slot, reading[0], cell["column"], percent and reading[1] is None)
        elif reading[1] is None and not is_blank(value):
            self.out.quiet_blanks[title] = self.out.quiet_blanks.get(title, 0) + 1

    # -- Periods -------------------------------------------------------------------------------
    def _periods(self, sheet: RawSheet, indicators_ok: bool) -> pl.DataFrame:
        table = self._table(sheet, "code", PERIODS)
        if table is None:
            return empty_reported()
        cols = Columns(table, PERIODS, PERIODS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        figures = Figures(sheet.title)
        if cols.ok and indicators_ok:
            self._period_rows(table, cols, figures)
        sheet_notes(sheet, table, cols.known.values(), self.out)
        frame = figures.frame(pl.String())
        check(frame, sheet.title, self.indicators, self.out)
        return reported_frame(frame, sheet.title)

    def _period_rows(self, table: Table, cols: Columns, figures: Figures) -> None:
        title = table.title
        seen: dict[tuple[str, str, str], int] = {}
        parts = [p for p in ("value", "numerator", "denominator") if p in cols.known]
        for index, cells in table.body:
            indicator = self._code(
                title,
                index,
                cols.get(cells, "code"),
                cols.column("code"),
                lambda cells=cells: cols.any_filled(cells),  # type: ignore[misc]
            )
            if indicator is None:
                continue
            period_value = cols.value(cells, "period")
            period_column = cols.column("period")
            if isinstance(period_value, dt.date):
                period_key = Month.from_date(period_value).iso
            else:
                written = text(period_value)
                try:
                    period = parse_period(written)
                except PeriodError as exc:
                    detail = str(exc) if written else f"{indicator.code} has no period."
                    self.out.error(title, index, period_column, "not-a-period", _sentence(detail))
                    continue
                period_key = period.key
                if period.kind is PeriodKind.YTD and period.end is None:
                    period_key = period.label
            figure_text = cols.text(cells, "figure")
            figure = _FIGURES.get(canon(figure_text or "value"))
            if figure is None:
                self.out.error(
                    title,
                    index,
                    cols.column("figure"),
                    "unknown-figure",
                    f"{quoted(figure_text)} is not a figure — write flow (a "
                    "cumulative indicator's count for the period alone) or leave "
                    "it blank",
                )
                continue
            slot = (indicator.key, period_key, figure)
            if slot in seen:
                self.out.error(
                    title,
                    index,
                    period_column,
                    "duplicate-period",
                    f"{text(period_value)} for {indicator.code} is already on row "
                    f"{seen[slot]} — each period once",
                )
                continue
            seen[slot] = index
            for part in parts:
                record = figures.record(indicator.key, indicator.code, figure, part, index)
                self._figure(figures, title, record, period_key, cols.get(cells, part))

    # -- Benchmarks ------------------------------------------------------------------------------
    def _benchmarks(self, sheet: RawSheet, indicators_ok: bool) -> pl.DataFrame:
        empty = pl.DataFrame(schema=benchmark_schema())
        table = self._table(sheet, "code", BENCHMARKS)
        if table is None:
            return empty
        cols = Columns(table, BENCHMARKS, BENCHMARKS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not (cols.ok and indicators_ok):
            sheet_notes(sheet, table, cols.known.values(), self.out)
            return empty
        title = sheet.title
        rows: dict[str, list[object]] = {name: [] for name in benchmark_schema()}
        seen: dict[tuple[str, str, str], int] = {}
        for index, cells in table.body:
            indicator = self._code(
                title,
                index,
                cols.get(cells, "code"),
                cols.column("code"),
                lambda cells=cells: cols.any_filled(cells),  # type: ignore[misc]
            )
            if indicator is None:
                continue
            written = cols.text(cells, "comparator")
            comparator = parse_choice(Comparator, written)
            if comparator is None:
                found = f"{quoted(written)} is not a comparator" if written else "no comparator"
                self.out.error(
                    title,
                    index,
                    cols.column("comparator"),
                    "unknown-comparator",
                    f'{found} — write {allowed(Comparator)} ("national", "stat '
                    'neighbours" and "regional average" work too)',
                )
                continue
            year = cols.text(cells, "year")
            year_value = cols.value(cells, "year")
            if isinstance(year_value, dt.datetime):
                year = str(year_value.year)
            slot = (indicator.key, comparator.value, year)
            if slot in seen:
                self.out.error(
                    title,
                    index,
                    cols.column("comparator"),
                    "duplicate-benchmark",
                    f"{indicator.code} {comparator.value} {year} is already on row {seen[slot]}",
                )
                continue
            seen[slot] = index
            cell = cols.get(cells, "value")
            value = number_at(cell, self.percent, self.out, title)
            if value is None:
                continue
            if value < 0 or (indicator.unit is Unit.PERCENT and value > 100):
                self.out.error(
                    title,
                    index,
                    cols.column("value"),
                    "out-of-range",
                    f"{show(value)} cannot be a {indicator.unit.value} benchmark",
                )
                continue
            for name, item in (
                ("key", indicator.key),
                ("code", indicator.code),
                ("comparator", comparator.value),
                ("value", value),
                ("source", cols.text(cells, "source")),
                ("year", year),
                ("sheet", title),
                ("cell", cell_name(index, cols.column("value"))),
            ):
                rows[name].append(item)
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return pl.DataFrame(rows, schema=benchmark_schema())

    # -- Context -------------------------------------------------------------------------------
    def _context(self, sheet: RawSheet) -> Context:
        table = self._table(sheet, "key", CONTEXT)
        if table is None:
            return Context()
        cols = Columns(table, CONTEXT, CONTEXT_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not cols.ok:
            return Context()
        title = sheet.title
        council: str | None = None
        population: dict[int, float] = {}
        items: list[tuple[str, str, str]] = []
        seen: dict[tuple[str, str], int] = {}
        for index, cells in table.body:
            written = cols.text(cells, "key")
            if not written:
                if cols.any_filled(cells):
                    self.out.error(
                        title,
                        index,
                        cols.column("key"),
                        "missing-key",
                        "this row has a value but no key",
                    )
                continue
            key = canon(written)
            year_value = cols.value(cells, "year")
            year = text(year_value)
            if (key, year) in seen:
                self.out.error(
                    title,
                    index,
                    cols.column("key"),
                    "duplicate-key",
                    f"{written}{' ' + year if year else ''} is already on row {seen[key, year]}",
                )
                continue
            seen[key, year] = index
            value = cols.text(cells, "value")
            if not value:
                continue  # a key not filled in yet (the template has council and population)
            if key == "council":
                council = value or None
            elif key in ("population_0_17", "population"):
                fy = self._financial_year(title, index, cols.column("year"), year_value, written)
                number = number_at(cols.get(cells, "value"), self.percent, self.out, title)
                if number is None or number <= 0:
                    self.out.error(
                        title,
                        index,
                        cols.column("value"),
                        "bad-population",
                        f"{quoted(value)} is not a population — write the number "
                        "of children aged 0-17, e.g. 22450",
                    )
                elif fy is not None:
                    population[fy] = number
                    value = show(number)
            items.append((key, year, value))
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return Context(
            council=council,
            population=tuple(sorted(population.items())),
            items=tuple(items),
        )

    def _financial_year(
        self, title: str, index: int, column: int, value: object, key: str
    ) -> int | None:
        written = text(value)
        fy: int | None = None
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            fy = int(value)
        elif isinstance(value, dt.date):
            fy = Month.from_date(value).fy
        elif written:
            if re.fullmatch(r"\d{4}", written):
                fy = int(written)
            else:
                try:
                    period = parse_period(written)
                except PeriodError:
                    period = None
                if period is not None and period.kind is PeriodKind.YEAR:
                    fy = period.fy
        if fy is None or not 1900 < fy < 2200:
            found = (
                f"{quoted(written)} is not a financial year" if written else f"{key} has no year"
            )
            self.out.error(
                title,
                index,
                column,
                "bad-year",
                f"{found} — write the year it applies to, e.g. 2020/21",
            )
            return None
        return fy


def _any_filled(cells: Row, columns: list[int]) -> bool:
    return any(
        column in cells
        and (not is_blank(cells[column]["value"]) or cells[column]["data_type"] == "f")
        for column in columns
    )


def _is_period(written: str) -> bool:
    try:
        period = parse_period(written)
    except PeriodError:
        return False
    return period.kind is not PeriodKind.MONTH


def _sentence(message: str) -> str:
    message = message.strip()
    if message and message[0].isupper() and not message.startswith(("Q", "'")):
        message = message[0].lower() + message[1:]
    return message.rstrip(".")


def _sheet_names() -> set[str]:
    return {canon(name) for name in SHEETS}
