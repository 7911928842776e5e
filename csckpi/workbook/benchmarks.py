"""The Benchmarks sheet: comparators' figures (statistical neighbours, region, England) -> the
benchmarks frame."""

from __future__ import annotations

import datetime as dt

import polars as pl

from csckpi.dataset import benchmark_schema
from csckpi.model import Comparator, Unit, allowed, parse_choice
from csckpi.workbook.cells import cell_name, quoted, show
from csckpi.workbook.columns import Columns, number_at
from csckpi.workbook.layout import BENCHMARKS, BENCHMARKS_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import RawSheet


class BenchmarksReader(SheetReader):
    """The Benchmarks sheet."""

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
            indicator = self._row_code(cols, index, cells)
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
