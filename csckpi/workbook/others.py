"""The optional sheets: Periods (reported period figures), Benchmarks and Context."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from csckpi.dataset import benchmark_schema
from csckpi.errors import PeriodError
from csckpi.model import Comparator, Context, Unit, allowed, parse_choice
from csckpi.periods import Month, PeriodKind, parse_period
from csckpi.workbook.base import SheetReader
from csckpi.workbook.cells import quoted, read_number, show
from csckpi.workbook.common import Columns, cell_name, number_at, sheet_notes, text
from csckpi.workbook.figures import Figures, check, empty_reported, reported_frame
from csckpi.workbook.layout import (
    BENCHMARKS,
    BENCHMARKS_OPTIONAL,
    CONTEXT,
    CONTEXT_OPTIONAL,
    PERIODS,
    PERIODS_OPTIONAL,
)
from csckpi.workbook.sheets import TYPE, VALUE, RawSheet, Table, canon

_FIGURES = {"value": "value", "flow": "flow"}
_PERIOD_HINT = (
    "write a financial year (2019/20), a year to date (2020/21 YTD), a quarter of the "
    "financial year (Q3 2020/21) or a month (Dec-20)"
)


class OtherSheetsReader(SheetReader):
    """Periods, Benchmarks and Context."""

    def _periods(self, sheet: RawSheet) -> pl.DataFrame:
        table = self._table(sheet, "code", PERIODS)
        if table is None:
            return empty_reported()
        cols = Columns(table, PERIODS, PERIODS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        figures = Figures(sheet.title)
        if cols.ok:
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
                label = Month.from_date(period_value).short
            else:
                written = text(period_value)
                try:
                    period = parse_period(written)
                except PeriodError:
                    found = (
                        f"{quoted(written)} is not a period"
                        if written
                        else (f"{indicator.code} has no period")
                    )
                    self.out.error(
                        title, index, period_column, "not-a-period", f"{found} — {_PERIOD_HINT}"
                    )
                    continue
                period_key, label = period.key, period.label
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
                    f"{label} for {indicator.code} is already on row "
                    f"{seen[slot]} — each period once",
                )
                continue
            seen[slot] = index
            for part in parts:
                record = figures.record(indicator.key, indicator.code, figure, part, index)
                self._figure(figures, title, record, period_key, cols.get(cells, part))

    # -- Benchmarks ------------------------------------------------------------------------------
    def _benchmarks(self, sheet: RawSheet) -> pl.DataFrame:
        empty = pl.DataFrame(schema=benchmark_schema())
        table = self._table(sheet, "code", BENCHMARKS)
        if table is None:
            return empty
        cols = Columns(table, BENCHMARKS, BENCHMARKS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not cols.ok:
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
                cell = cols.get(cells, "value")
                reading = read_number(
                    None if cell is None else cell[VALUE],
                    "n" if cell is None else cell[TYPE],
                    False,
                )
                number = reading[0]
                if number is not None:  # said once: a text number's warning, else the error
                    self.out.add(title, index, cols.column("value"), reading)
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
