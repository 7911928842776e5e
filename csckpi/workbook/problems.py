"""What reading a workbook finds besides figures: problems, ignored parts and notes, and the
wording its messages share ("Did you mean …", "A, B and C", "rows 3, 5–7")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from typing import Any

from csckpi.model import Problem, Severity, column_letter
from csckpi.workbook.cells import Reading
from csckpi.workbook.sheets import RawSheet, Table


@dataclass(frozen=True)
class Blank:
    """A cell holding "n/a", "-", "*" or similar, read as blank (no figure). ``figure`` is
    the monthly figure whose place it holds — (key, part, month as days since 1970-01-01) —
    where the reader knows it: a store that has that figure keeps it, and the ingest says so."""

    sheet: str
    row: int
    column: int
    text: str
    figure: tuple[str, str, int] | None = None

    @property
    def location(self) -> str:
        return f"{self.sheet}!{column_letter(self.column)}{self.row}"

    def as_dict(self) -> dict[str, str]:
        """As a problem in ingest's JSON: a note, by sheet and cell."""
        return {
            "severity": "note",
            "kind": "read-as-blank",
            "sheet": self.sheet,
            "cell": f"{column_letter(self.column)}{self.row}",
            "location": self.location,
            "message": f'"{self.text}" read as blank',
        }


@dataclass
class Collector:
    """Problems, ignored parts and notes found while reading one workbook."""

    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Cells holding "n/a", "-", "*" or similar, read as blank, by sheet.
    quiet_blanks: dict[str, list[Blank]] = field(default_factory=dict)

    def quiet_blank(
        self,
        sheet: str,
        row: int,
        column: int,
        text: object,
        figure: tuple[str, str, int] | None = None,
    ) -> None:
        """A cell holding a no-figure mark, read as blank (counted, and listed by cell)."""
        blank = Blank(sheet, row, column, str(text).strip(), figure)
        self.quiet_blanks.setdefault(sheet, []).append(blank)

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
    blanks = out.quiet_blanks.get(title, [])
    if blanks:
        count = len(blanks)
        out.notes.append(
            f'{title}: {count:,} cell{"s" if count > 1 else ""} holding "n/a", "-", "*" or '
            "similar read as blank"
        )
        out.notes.extend(
            f'{b.location}: "{b.text}" read as blank'
            for b in sorted(blanks, key=lambda b: (b.row, b.column))
        )


def _are_hidden(what: str, shown: str, items: Set[int]) -> str:
    if len(items) == 1:
        return f"{what} {shown} is hidden in Excel; its figures were read"
    return f"{what}s {shown} are hidden in Excel; their figures were read"
