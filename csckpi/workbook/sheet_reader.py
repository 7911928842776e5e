"""What every sheet's reader shares: state, problems, codes, header checks, one figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal, TypeVar

from csckpi.model import Indicator, Measure, Polarity, Unit, column_letter, normalise_code
from csckpi.workbook.cells import cell_name, is_blank, quoted, read_number, text
from csckpi.workbook.columns import Columns
from csckpi.workbook.figures import Figures
from csckpi.workbook.problems import Collector, and_list, suggestion
from csckpi.workbook.processes import Written
from csckpi.workbook.sheets import (
    COLUMN,
    ROW,
    STYLE,
    TYPE,
    VALUE,
    Book,
    Cell,
    RawSheet,
    Row,
    Table,
    find_table,
)

Layout = Literal["wide", "long"]
E = TypeVar("E", Unit, Polarity, Measure)


class SheetReader:
    """State and helpers every sheet's reader shares; problems go to ``out``."""

    def __init__(self, book: Book, source: str, today: dt.date | None = None) -> None:
        self.book = book
        self.today = today or dt.date.today()  # months after it cannot have figures yet
        self.source = source
        self.out = Collector()
        self.percent = book.percent_styles
        self.indicators: dict[str, Indicator] = {}
        self.shown_codes: dict[str, str] = {}
        self.processes: dict[str, Written] = {}  # the Indicators sheet's SPC settings
        self.layout: Layout = "wide"
        self.lenient = False  # True when the Indicators sheet cannot be used at all
        #: Context: each financial year's population_0_17 cell (sheet, row, column)
        self.population_cells: dict[int, tuple[str, int, int]] = {}
        self._stand_ins: dict[str, Indicator] = {}

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

    # -- codes on the other sheets ---------------------------------------------------------------
    def _row_code(self, cols: Columns, index: int, cells: Row) -> Indicator | None:
        """The indicator a table row's code column names, or None (having said why, when it
        matters: figures with no code, a code not on the Indicators sheet)."""
        return self._code(
            cols.table.title,
            index,
            cols.get(cells, "code"),
            cols.column("code"),
            lambda: cols.any_filled(cells),
        )

    def _code(
        self, title: str, index: int, cell: Cell | None, column: int, filled: Callable[[], bool]
    ) -> Indicator | None:
        """The indicator a row is about, or None (having said why, when it matters)."""
        code = text(None if cell is None else cell[VALUE])
        if not code:
            if filled():
                self.out.error(
                    title, index, column, "missing-code", "this row has figures but no code"
                )
            return None
        key = normalise_code(code)
        indicator = self.indicators.get(key)
        if indicator is None and (self.lenient or key in self.shown_codes):
            # Indicators cannot say what this code is (the sheet, or this code's row, has
            # errors already reported): read its cells anyway, so their problems are found
            # in this run too. Nothing is stored while there are errors.
            return self._stand_in(code)
        if indicator is None:
            self.out.error(
                title,
                index,
                column,
                "unknown-code",
                f"{quoted(code)} is not on the Indicators sheet."
                + suggestion(key, self.shown_codes),
            )
        return indicator

    def _stand_in(self, code: str) -> Indicator:
        key = normalise_code(code)
        stand_in = self._stand_ins.get(key)
        if stand_in is None:
            stand_in = Indicator(
                code=self.shown_codes.get(key, code),
                title="",
                section="",
                unit=Unit.NUMBER,  # no unit, so no check that needs one
                polarity=Polarity.NONE,
                measure=Measure.SNAPSHOT,
            )
            self._stand_ins[key] = stand_in
        return stand_in

    def _no_header_columns(self, table: Table, used: set[int], *, warn: bool) -> None:
        """Columns holding figures under a blank header: a warning on Monthly, else a note."""
        filled: dict[int, int] = {}
        for index, cells in table.body:
            for column, cell in cells.items():
                if (
                    column not in table.header
                    and column not in filled
                    and not is_blank(cell[VALUE])
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

    def _figure(
        self,
        figures: Figures,
        title: str,
        record: int,
        slot: object,
        cell: Cell | None,
        figure: tuple[str, str, int] | None = None,
    ) -> None:
        if cell is None:
            return
        value = cell[VALUE]
        percent = cell[STYLE] in self.percent
        reading = read_number(value, cell[TYPE], percent)
        self.out.add(title, cell[ROW], cell[COLUMN], reading)
        if reading[0] is not None:
            figures.add(record, slot, reading[0], cell[COLUMN], percent and reading[1] is None)
        elif reading[1] is None and not is_blank(value):
            self.out.quiet_blank(title, cell[ROW], cell[COLUMN], value, figure)
