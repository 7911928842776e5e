"""A sheet's header checked against the columns it needs and allows, and a cell read as a number
with what it says about it."""

from __future__ import annotations

from typing import Any

from csckpi.model import column_letter
from csckpi.workbook.cells import is_blank, read_number, text
from csckpi.workbook.problems import Collector, and_list
from csckpi.workbook.sheets import COLUMN, ROW, STYLE, TYPE, VALUE, Cell, Row, Table


class Columns:
    """A table's columns checked against what a sheet needs and allows."""

    def __init__(
        self,
        table: Table,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        out: Collector,
        *,
        extra_allowed: bool = True,
    ) -> None:
        self.table = table
        self.ok = True
        title = table.title
        for name, first, repeated in table.duplicates:
            if name in required or name in optional:
                out.error(
                    title,
                    table.header_row,
                    repeated,
                    "duplicate-column",
                    f'a second "{name}" column (the first is {column_letter(first)}) — '
                    "delete or rename one",
                )
        missing = [name for name in required if name not in table.columns]
        for name in missing:
            out.error(
                title,
                0,
                0,
                "missing-column",
                f'no "{name}" column — the header row (row {table.header_row}) needs '
                f"{and_list(required)}",
            )
            self.ok = False
        self.known = {
            name: table.columns[name] for name in (*required, *optional) if name in table.columns
        }
        if extra_allowed:
            for name, column in table.columns.items():
                if name not in self.known:
                    shown = text(table.header[column][VALUE])
                    out.ignored.append(
                        f'column "{shown}" on {title} ({column_letter(column)}): not a '
                        "column csckpi reads"
                    )

    def get(self, cells: Row, name: str) -> Cell | None:
        column = self.known.get(name)
        return None if column is None else cells.get(column)

    def value(self, cells: Row, name: str) -> Any:
        cell = self.get(cells, name)
        return None if cell is None else cell[VALUE]

    def text(self, cells: Row, name: str) -> str:
        return text(self.value(cells, name))

    def column(self, name: str) -> int:
        return self.known.get(name, 0)

    def any_filled(self, cells: Row) -> bool:
        return any(
            not is_blank(cells[column][VALUE]) or cells[column][TYPE] == "f"
            for column in self.known.values()
            if column in cells
        )


def number_at(
    cell: Cell | None, percent_styles: frozenset[int], out: Collector, sheet: str
) -> float | None:
    """One cell as a number, reporting what it says about it."""
    if cell is None:
        return None
    value = cell[VALUE]
    reading = read_number(value, cell[TYPE], cell[STYLE] in percent_styles)
    out.add(sheet, cell[ROW], cell[COLUMN], reading)
    if reading[0] is None and reading[1] is None and not is_blank(value):
        out.quiet_blank(sheet, cell[ROW], cell[COLUMN], value)
    return reading[0]
