"""The Context sheet: the council's name and its 0-17 population by financial year -> Context."""

from __future__ import annotations

import datetime as dt
import re

from csckpi.errors import PeriodError
from csckpi.model import Context
from csckpi.periods import Month, PeriodKind, parse_period
from csckpi.workbook.cells import quoted, read_number, show, text
from csckpi.workbook.columns import Columns
from csckpi.workbook.layout import CONTEXT, CONTEXT_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import TYPE, VALUE, RawSheet, canon


class ContextReader(SheetReader):
    """The Context sheet."""

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
                fy = self._financial_year(
                    title, index, cols.column("year"), year_value, written, cols.column("value")
                )
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
                    self.population_cells[fy] = (title, index, cols.column("value"))
                    value = show(number)
            items.append((key, year, value))
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return Context(
            council=council,
            population=tuple(sorted(population.items())),
            items=tuple(items),
        )

    def _financial_year(
        self, title: str, index: int, column: int, value: object, key: str, at: int
    ) -> int | None:
        """The financial year a population row applies to (required); an error at its year
        cell, or at its value's when the sheet has no year column."""
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
            fix = "write the year it applies to, e.g. 2020/21"
            if not column:  # no year column (0): name the population's own cell
                found, fix = f"{key} has no year", "add a column headed year and " + fix
            self.out.error(title, index, column or at, "bad-year", f"{found} — {fix}")
            return None
        return fy
