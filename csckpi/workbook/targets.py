"""The Targets sheet: an indicator's target for a financial year, and the length of period it
is a target for -> the targets frame.

The Indicators sheet's ``target`` stays the target of every year this sheet gives no row
for, so a workbook without the sheet is judged as before (docs/workbook.md, the rules in
docs/computation.md).
"""

from __future__ import annotations

import polars as pl

from csckpi.dataset import target_schema
from csckpi.errors import PeriodError
from csckpi.model import TargetPer, Unit, allowed, parse_choice
from csckpi.periods import PeriodKind, parse_period
from csckpi.workbook.cells import cell_name, quoted, show
from csckpi.workbook.columns import Columns, number_at
from csckpi.workbook.layout import TARGETS, TARGETS_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import RawSheet, Row

_YEAR_HINT = "write the financial year it is for, e.g. 2020/21"


class TargetsReader(SheetReader):
    """The Targets sheet."""

    def _targets(self, sheet: RawSheet) -> pl.DataFrame:
        empty = pl.DataFrame(schema=target_schema())
        table = self._table(sheet, "code", TARGETS)
        if table is None:
            return empty
        cols = Columns(table, TARGETS, TARGETS_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not cols.ok:
            sheet_notes(sheet, table, cols.known.values(), self.out)
            return empty
        rows: dict[str, list[object]] = {name: [] for name in target_schema()}
        seen: dict[tuple[str, str], int] = {}
        for index, cells in table.body:
            found = self._target_row(cols, index, cells, seen)
            if found is None:
                continue
            key, code, year, per, figures = found
            for part, value, column in figures:
                for name, item in (
                    ("key", key),
                    ("code", code),
                    ("year", year),
                    ("part", part),
                    ("per", per),
                    ("value", value),
                    ("sheet", sheet.title),
                    ("cell", cell_name(index, column)),
                ):
                    rows[name].append(item)
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return pl.DataFrame(rows, schema=target_schema())

    def _target_row(
        self, cols: Columns, index: int, cells: Row, seen: dict[tuple[str, str], int]
    ) -> tuple[str, str, str, str | None, list[tuple[str, float, int]]] | None:
        """One row's (key, code, year, per, [(part, value, column)]), or None having said why."""
        title = cols.table.title
        indicator = self._row_code(cols, index, cells)
        if indicator is None:
            return None
        written = cols.text(cells, "year")
        year = _year(written)
        if year is None:
            found = f"{quoted(written)} is not a financial year" if written else "no year"
            self.out.error(
                title,
                index,
                cols.column("year"),
                "not-a-year",
                f"{found} for {indicator.code}'s target — {_YEAR_HINT}",
            )
            return None
        per_text = cols.text(cells, "per")
        per = parse_choice(TargetPer, per_text) if per_text else None
        if per_text and per is None:
            self.out.error(
                title,
                index,
                cols.column("per"),
                "unknown-per",
                f"{quoted(per_text)} is not a length of period — write {allowed(TargetPer)} "
                "(what the target is a target for), or leave it blank",
            )
            return None
        slot = (indicator.key, year)
        if slot in seen:
            self.out.error(
                title,
                index,
                cols.column("year"),
                "duplicate-target",
                f"{indicator.code}'s target for {year} is already on row {seen[slot]} — "
                "one target per indicator and year",
            )
            return None
        seen[slot] = index
        target = number_at(cols.get(cells, "target"), self.percent, self.out, title)
        tolerance = number_at(cols.get(cells, "tolerance"), self.percent, self.out, title)
        if target is None:
            self.out.error(
                title,
                index,
                cols.column("target"),
                "missing-target",
                f"{indicator.code} {year} has no target — give the target as a number in the "
                "indicator's unit, or delete the row",
            )
            return None
        bad = False
        if target < 0 or (indicator.unit is Unit.PERCENT and target > 100):
            what = "a percentage (0 to 100)" if indicator.unit is Unit.PERCENT else "0 or more"
            self.out.error(
                title,
                index,
                cols.column("target"),
                "out-of-range",
                f"target {show(target)} for {indicator.code} {year} is not {what}",
            )
            bad = True
        if tolerance is not None and tolerance < 0:
            self.out.error(
                title,
                index,
                cols.column("tolerance"),
                "negative",
                f"tolerance {show(tolerance)} is negative — give the width of the amber band, "
                "0 or more",
            )
            bad = True
        if bad:
            return None
        figures = [("target", target, cols.column("target"))]
        if tolerance is not None:
            figures.append(("tolerance", tolerance, cols.column("tolerance")))
        return (
            indicator.key,
            indicator.code,
            year,
            per.value if per is not None else None,
            figures,
        )


def _year(written: str) -> str | None:
    """`2020/21` (any spelling of a financial year) as its label; None for anything else."""
    if not written:
        return None
    try:
        period = parse_period(written)
    except PeriodError:
        return None
    return period.label if period.kind is PeriodKind.YEAR else None
