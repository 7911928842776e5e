"""The Indicators sheet: one row per indicator -> Indicator records."""

from __future__ import annotations

from csckpi.model import (
    Indicator,
    Measure,
    Polarity,
    Unit,
    allowed,
    column_letter,
    normalise_code,
    parse_choice,
)
from csckpi.workbook import processes
from csckpi.workbook.cells import is_blank, quoted, show, text
from csckpi.workbook.columns import Columns, number_at
from csckpi.workbook.layout import INDICATORS, INDICATORS_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import E, SheetReader
from csckpi.workbook.sheets import COLUMN, VALUE, Cell, RawSheet, Row

#: A label longer than this is warned about: it is meant to be a short name.
LONG_LABEL = 40


class IndicatorsReader(SheetReader):
    """The Indicators sheet."""

    def _indicators(self, sheet: RawSheet) -> bool:
        self._labels: dict[str, tuple[str, int]] = {}  # a label (casefolded) -> code, row
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
        measure_name = " ".join(cols.text(cells, "records_measure").split())
        written = processes.read(
            self.out,
            title,
            index,
            code,
            *(_at(cols, cells, name) for name in ("baseline", "new_process_from")),
        )
        if unit is None or polarity is None or measure is None or decimals is False or not ok:
            return None
        if written is not None:
            self.processes[normalise_code(code)] = written
        baseline, new_process = processes.as_text(written)
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
            pattern=cols.text(cells, "pattern"),
            records_measure=measure_name,
            records_cell=f"{title}!{column_letter(cols.column('records_measure'))}{index}"
            if measure_name
            else "",
            baseline=baseline,
            new_process=new_process,
            label=self._label(title, index, cols, cells, code),
            decimals=decimals if isinstance(decimals, int) else None,
            order=order,
        )

    def _label(self, title: str, index: int, cols: Columns, cells: Row, code: str) -> str:
        """The optional short name, its spaces tidied; one longer than :data:`LONG_LABEL`
        characters, or one another indicator has already, is kept and warned about."""
        label = " ".join(cols.text(cells, "label").split())
        if not label:
            return ""
        column = cols.column("label")
        if len(label) > LONG_LABEL:
            self.out.warn(
                title,
                index,
                column,
                "long-label",
                f"the label of {code} is {len(label)} characters — a label is a short name "
                f"(up to {LONG_LABEL}); the title says the rest",
            )
        same = self._labels.get(label.casefold())
        if same is not None:
            self.out.warn(
                title,
                index,
                column,
                "duplicate-label",
                f"{code} has the label {quoted(label)}, as {same[0]} on row {same[1]} — "
                "key messages could not tell them apart; give each its own",
            )
        else:
            self._labels[label.casefold()] = (code, index)
        return label

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

    def _decimals(self, title: str, index: int, cell: Cell | None) -> int | bool | None:
        if cell is None or is_blank(cell[VALUE]):
            return None
        value = cell[VALUE]
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
                cell[COLUMN],
                "bad-decimals",
                f"{quoted(text(value))} is not a number of decimal places — "
                "write a whole number from 0 to 6, or leave it blank",
            )
            return False
        return int(number)


def _at(cols: Columns, cells: Row, name: str) -> tuple[int, object] | None:
    """A column's cell on a row as (column, value); None without the column."""
    column = cols.column(name)
    if not column:
        return None
    cell = cells.get(column)
    return column, None if cell is None else cell[VALUE]
