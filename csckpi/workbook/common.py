"""What every sheet reader shares: the problem list, cell text, and column bookkeeping."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from csckpi.model import Problem, Severity, column_letter
from csckpi.workbook.cells import Reading, is_blank, read_number
from csckpi.workbook.sheets import (
    COLUMN,
    ROW,
    STYLE,
    TYPE,
    VALUE,
    Cell,
    RawSheet,
    Row,
    Table,
)


@dataclass
class Collector:
    """Problems, ignored parts and notes found while reading one workbook."""

    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quiet_blanks: dict[str, int] = field(default_factory=dict)

    def error(self, sheet: str, row: int, column: int, kind: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, Severity.ERROR, kind, message))

    def warn(self, sheet: str, row: int, column: int, kind: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, Severity.WARNING, kind, message))

    def add(self, sheet: str, row: int, column: int, reading: Reading) -> None:
        _value, severity, kind, message = reading
        if severity is not None:
            self.problems.append(Problem(sheet, row, column, severity, kind, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


_LETTERS: dict[int, str] = {}


def cell_name(row: int, column: int) -> str:
    """`K14`."""
    letters = _LETTERS.get(column)
    if letters is None:
        letters = _LETTERS[column] = column_letter(column)
    return f"{letters}{row}"


def text(value: Any) -> str:
    """A cell as text, as Excel shows it: 38.0 -> "38", a date -> "2020-12-01"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


def suggestion(wrong: str, candidates: dict[str, str]) -> str:
    """` Did you mean "CSC 022"?` from {key: shown}, or `` when nothing is close."""
    match = difflib.get_close_matches(wrong, list(candidates), n=1, cutoff=0.6)
    return f' Did you mean "{candidates[match[0]]}"?' if match else ""


def and_list(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def spans(numbers: Iterable[int], name: Any = str) -> str:
    """`3, 5–7, 10` from 3, 5, 6, 7, 10."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = None
    for number in [*ordered, None]:
        if (
            start is not None
            and number is not None
            and previous is not None
            and number == previous + 1
        ):
            previous = number
            continue
        if start is not None and previous is not None:
            parts.append(name(start) if start == previous else f"{name(start)}–{name(previous)}")
        start = previous = number
    return ", ".join(parts)


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
        out.quiet_blanks[sheet] = out.quiet_blanks.get(sheet, 0) + 1
    return reading[0]


def sheet_notes(sheet: RawSheet, table: Table | None, used: Iterable[int], out: Collector) -> None:
    """Say (for --verbose) what Excel hides or merges in the part of the sheet that was read."""
    title = sheet.title
    if table is not None:
        first = sheet.rows[0][0] if sheet.rows else table.header_row
        if table.header_row > first:
            out.notes.append(
                f"{title}: the header is on row {table.header_row}; rows above it "
                "were skipped as titles"
            )
        body_rows = {index for index, _ in table.body}
        hidden_rows = sheet.hidden_rows & body_rows
        if hidden_rows:
            out.notes.append(f"{title}: {_are_hidden('row', spans(hidden_rows), hidden_rows)}")
    hidden_columns = sheet.hidden_columns & set(used)
    if hidden_columns:
        shown = spans(hidden_columns, column_letter)
        out.notes.append(f"{title}: {_are_hidden('column', shown, hidden_columns)}")
    if sheet.filled_down:
        out.notes.append(
            f"{title}: merged cells {and_list(sheet.filled_down)} read as their text on every row"
        )
    if sheet.blank_rows_skipped >= 100:
        out.notes.append(f"{title}: {sheet.blank_rows_skipped:,} empty rows skipped")
    count = out.quiet_blanks.get(title, 0)
    if count:
        out.notes.append(
            f'{title}: {count:,} cell{"s" if count > 1 else ""} holding "n/a", "-", "*" or '
            "similar read as blank"
        )


def _are_hidden(what: str, shown: str, items: set[int]) -> str:
    if len(items) == 1:
        return f"{what} {shown} is hidden in Excel; its figures were read"
    return f"{what}s {shown} are hidden in Excel; their figures were read"
