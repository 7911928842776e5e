"""The Benchmarks sheet: comparators' figures (statistical neighbours, region, England) -> the
benchmarks frame, each with the financial year its figure describes and the release it came
from.

``year`` is read as a data year (:func:`csckpi.periods.parse_data_year`): `2019/20`; a bare
`2020`, as workbooks before this column's meaning was fixed wrote it (and as the published
files head their columns), is the year ending 31 March 2020, 2019/20; `as at 31 March 2020`
is 2019/20 too. ``release`` (with an optional ``version``) is where the figure was published;
``source`` is its older name, read when the sheet has no ``release`` column.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csckpi.dataset import benchmark_schema
from csckpi.model import Comparator, Unit, allowed, parse_choice
from csckpi.periods import fy_label, parse_data_year
from csckpi.workbook.cells import cell_name, quoted, show
from csckpi.workbook.columns import Columns, number_at
from csckpi.workbook.layout import BENCHMARKS, BENCHMARKS_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import RawSheet, Row

_YEAR_HINT = (
    "write the financial year its figure describes, e.g. 2019/20 (or as at 31 March 2020 "
    "for a position)"
)


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
        undated = 0
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
            year = self._data_year(cols, index, cells, indicator.code, comparator.value)
            if year is None:
                undated += 1
                continue
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
                ("source", _release(cols, cells)),
                ("year", year),
                ("sheet", title),
                ("cell", cell_name(index, cols.column("value"))),
            ):
                rows[name].append(item)
        if "year" not in cols.known and undated:
            self.out.warn(
                title,
                table.header_row,
                0,
                "no-year-column",
                "the sheet has no year column: csckpi cannot tell which year "
                + (
                    f"its {undated} benchmarks describe, so they are"
                    if undated > 1
                    else "its benchmark describes, so it is"
                )
                + f" not read — add a year column and {_YEAR_HINT}",
            )
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return pl.DataFrame(rows, schema=benchmark_schema())

    def _data_year(
        self, cols: Columns, index: int, cells: Row, code: str, comparator: str
    ) -> str | None:
        """The row's data year as a label (`2019/20`), or None having warned why (a row
        without a usable year is read by no period, so it is left out, and said)."""
        if "year" not in cols.known:
            return None
        value = cols.value(cells, "year")
        start = parse_data_year(value)
        if start is None and isinstance(value, dt.datetime):
            start = parse_data_year(value.year)  # a year entered as a date: its year, as before
        if start is not None:
            return fy_label(start)
        written = cols.text(cells, "year")
        said = (
            f"{quoted(written)} is not a year, so {code} {comparator}"
            if written
            else f"{code} {comparator} has no year, so it"
        )
        self.out.warn(
            cols.table.title,
            index,
            cols.column("year"),
            "no-year",
            f"{said} is not read: csckpi cannot tell which periods it may be compared with "
            f"— {_YEAR_HINT}",
        )
        return None


def _release(cols: Columns, cells: Row) -> str:
    """The release as a sentence cites it: `LAIT 2020`, `... 2020 (revised)`."""
    name = cols.text(cells, "release") if "release" in cols.known else cols.text(cells, "source")
    version = cols.text(cells, "version")
    if name and version:
        return f"{name} ({version})"
    return name or version
