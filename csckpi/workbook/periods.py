"""The Periods sheet: figures the workbook reports for whole periods (a year, a year to date, a
quarter, a month) -> the reported frame."""

from __future__ import annotations

import datetime as dt

import polars as pl

from csckpi.errors import PeriodError
from csckpi.periods import Month, parse_period
from csckpi.workbook.cells import quoted, text
from csckpi.workbook.columns import Columns
from csckpi.workbook.figures import Figures, check, empty_reported, reported_frame
from csckpi.workbook.layout import PERIODS, PERIODS_OPTIONAL
from csckpi.workbook.pooled import check_pooled
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import RawSheet, Table, canon

_FIGURES = {"value": "value", "flow": "flow"}
_PERIOD_HINT = (
    "write a financial year (2019/20), a year to date (2020/21 YTD), a quarter of the "
    "financial year (Q3 2020/21) or a month (Dec-20)"
)


class PeriodsReader(SheetReader):
    """The Periods sheet."""

    def _periods(self, sheet: RawSheet, monthly: pl.DataFrame) -> pl.DataFrame:
        """The reported frame; ``monthly`` (the Monthly sheet's) is what a ratio's period
        figures are checked against."""
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
        check(frame, sheet.title, self.indicators, self.out, "periods")
        check_pooled(frame, monthly, sheet.title, self.indicators, self.out)
        return reported_frame(frame, sheet.title)

    def _period_rows(self, table: Table, cols: Columns, figures: Figures) -> None:
        title = table.title
        seen: dict[tuple[str, str, str], int] = {}
        parts = [p for p in ("value", "numerator", "denominator") if p in cols.known]
        for index, cells in table.body:
            indicator = self._row_code(cols, index, cells)
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
