"""Sheets and columns: find them by name as analysts write it, and stream their cells.

openpyxl's read-only worksheet streams cells fast but hides what an analyst's workbook needs
checking for: hidden rows and columns, merged cells, and formulas with no saved result (with
``data_only=True`` those come back as plain blanks). So this module drives openpyxl's own
worksheet parser (the one its read-only worksheet uses) and keeps those facts as it goes: one
pass over the XML. Each cell becomes a small tuple rather than openpyxl's dict (a quarter of
the memory, and less time).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from xml.etree.ElementTree import iterparse  # safe here: see files.open_checked

from openpyxl.cell.text import Text
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_to_tuple,
    get_column_letter,
    range_boundaries,
)
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import (
    COL_TAG,
    FORMULA_TAG,
    INLINE_STRING,
    MERGE_TAG,
    ROW_TAG,
    VALUE_TAG,
    WorkSheetParser,
    _cast_number,
)
from openpyxl.worksheet.merge import MergeCells

from csckpi.workbook.cells import is_blank, is_percent_format
from csckpi.workbook.files import OpenBook, open_checked, translated_errors

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

#: A parsed cell: (row, column, value, data_type, style_id), read with the indexes below.
#: data_type is openpyxl's: n (number), s (text), b, d (a date), e (an Excel error), and
#: f for a formula with no saved result.
Cell = tuple[int, int, Any, str, int]
Row = dict[int, Cell]
# Positions in a Cell, as literal constants so a type checker knows each field's type.
ROW: Final = 0
COLUMN: Final = 1
VALUE: Final = 2
TYPE: Final = 3
STYLE: Final = 4

#: How far down a sheet its header row may be (title rows above it are skipped).
HEADER_SEARCH_ROWS = 20

_SEPARATORS = re.compile(r"[\s_\-]+")


def canon(name: object) -> str:
    """A sheet or column name as matched: case-insensitive, spaces, `_` and `-` alike."""
    return _SEPARATORS.sub("_", str(name).strip().lower()).strip("_")


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_COLUMNS: dict[str, int] = {}  # "AB" -> 28, filled as columns are met


def cell_position(coordinate: str) -> tuple[int, int]:
    """(row, column) of a cell reference such as ``AB12``: what openpyxl's
    ``coordinate_to_tuple`` gives, without its regular expression for every cell (a tenth of a
    large read). Anything but plain letters then digits goes to openpyxl's, errors and all."""
    digits = coordinate.lstrip(_LETTERS)
    letters = coordinate[: len(coordinate) - len(digits)]
    if letters and digits.isascii() and digits.isdigit() and digits[0] != "0":
        column = _COLUMNS.get(letters)
        if column is None:
            column = _COLUMNS[letters] = column_index_from_string(letters)
        return int(digits), column
    return coordinate_to_tuple(coordinate)  # type: ignore[no-any-return]


class _Parser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's worksheet parser with ``data_only=True``, giving each cell as a tuple and
    marking formulas that have no saved value (which openpyxl returns as blanks).

    ``parse_cell`` follows openpyxl 3.1's own, for cached values only. ``parse`` keeps
    only the parts of openpyxl's that csckpi uses (rows, column widths and hiding, merged
    cells), and parses with the standard library's C-accelerated ``iterparse`` rather than
    the pure-Python one openpyxl takes from defusedxml: ``open_checked`` has refused any
    DTD first, which is what makes that safe.
    """

    def parse(self) -> Iterator[tuple[int, list[Cell]]]:
        for _event, element in iterparse(self.source):
            tag = element.tag
            if tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row
            elif tag == COL_TAG:
                self.parse_column_dimensions(element)
                element.clear()
            elif tag == MERGE_TAG:
                self.merged_cells = MergeCells.from_tree(element)
                element.clear()

    def parse_cell(self, element: Any) -> Cell:
        data_type = element.get("t", "n")
        coordinate = element.get("r")
        style = element.get("s")
        style_id = int(style) if style else 0
        if coordinate:
            row, column = cell_position(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        value: Any = None if data_type == "inlineStr" else element.findtext(VALUE_TAG) or None
        if value is not None:
            if data_type == "n":
                value = _cast_number(value)
                if style_id in self.date_formats:
                    try:
                        value = from_excel(
                            value, self.epoch, timedelta=style_id in self.timedelta_formats
                        )
                        data_type = "d"
                    except (OverflowError, ValueError):
                        data_type, value = "e", "#VALUE!"
            elif data_type == "s":
                value = self.shared_strings[int(value)]
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "str":
                data_type = "s"
            elif data_type == "d":
                value = from_ISO8601(value)
        elif data_type == "inlineStr":
            child = element.find(INLINE_STRING)
            if child is not None:
                data_type = "s"
                value = Text.from_tree(child).content
        elif element.find(FORMULA_TAG) is not None:
            data_type = "f"
        return (row, column, value, data_type, style_id)


def _column_letters(reference: str | None) -> str | None:
    return reference.rstrip("0123456789") if reference else None


class _Columns(_Parser):
    """The parser, parsing only the cells of the columns in ``keep`` once it is set."""

    keep: frozenset[str] | None = None

    def parse_row(self, element: Any) -> Any:
        keep = self.keep
        if keep is not None:
            cells = list(element)
            if all(cell.get("r") for cell in cells):  # positions known: drop the others
                element[:] = [c for c in cells if _column_letters(c.get("r")) in keep]
        return super().parse_row(element)


class SheetRows:
    """A sheet's rows as they are parsed: ``(row number, [Cell, ...])``, blank rows included.

    :meth:`only` narrows the rows still to come to some columns (the rest are not parsed):
    a reader finds its header in whole rows, then reads only the columns it needs.
    """

    def __init__(self, parser: _Columns) -> None:
        self._parser = parser
        self._rows = parser.parse()

    def __iter__(self) -> Iterator[tuple[int, list[Cell]]]:
        return self._rows

    def __next__(self) -> tuple[int, list[Cell]]:
        return next(self._rows)

    def only(self, columns: Iterable[int]) -> None:
        """Parse only these columns (1 = A) of the rows still to come."""
        self._parser.keep = frozenset(get_column_letter(c) for c in columns)


@contextmanager
def sheet_rows(opened: OpenBook, path: Path, title: str) -> Iterator[SheetRows]:
    """Stream the cells of sheet ``title`` of an open workbook, row by row, with the same
    parser (and the same checks and error messages, naming ``path``) as :meth:`Book.read`,
    keeping nothing: for a reader of large sheets of records."""
    wb = opened.wb
    with translated_errors(path), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open_checked(opened.archive, opened.sheets[title]) as source:
            yield SheetRows(
                _Columns(
                    source,
                    opened.strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
            )


@dataclass
class RawSheet:
    """The non-blank rows of one sheet, and what Excel hides or merges in it."""

    title: str
    rows: list[tuple[int, Row]]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_col, min_row, max_col, max_row)
    blank_rows_skipped: int = 0
    filled_down: tuple[str, ...] = ()  # merged ranges whose text was copied to every row

    def merge_at(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        for box in self.merged:
            if box[0] <= column <= box[2] and box[1] <= row <= box[3]:
                return box
        return None


@dataclass
class Book:
    """An open workbook: its sheets by canonical name, and the styles that mean percent."""

    opened: OpenBook
    path: Path
    percent_styles: frozenset[int] = field(init=False)
    _titles: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self._titles = {}
        for title in self.opened.sheets:
            self._titles.setdefault(canon(title), []).append(title)
        self.percent_styles = frozenset(_percent_styles(self.opened.wb))

    @property
    def titles(self) -> list[str]:
        return list(self.opened.sheets)

    def find(self, name: str) -> list[str]:
        """Every sheet whose name matches ``name`` (normally none or one)."""
        return self._titles.get(canon(name), [])

    def read(self, title: str) -> RawSheet:
        """Stream one sheet, keeping non-blank rows only (formatted empty rows cost nothing)."""
        wb = self.opened.wb
        rows: list[tuple[int, Row]] = []
        skipped = 0
        with translated_errors(self.path), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_checked(self.opened.archive, self.opened.sheets[title]) as source:
                parser = _Parser(
                    source,
                    self.opened.strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                for index, cells in parser.parse():
                    for cell in cells:
                        value = cell[VALUE]
                        if value is not None and not (type(value) is str and not value.strip()):
                            break
                        if cell[TYPE] == "f":
                            break
                    else:
                        skipped += 1
                        continue
                    rows.append((index, {cell[COLUMN]: cell for cell in cells}))
        merged = _merged(parser.merged_cells)
        filled = _fill_down(rows, merged)
        return RawSheet(
            title=title,
            rows=rows,
            hidden_rows=frozenset(_hidden_rows(parser.row_dimensions)),
            hidden_columns=frozenset(_hidden_columns(parser.column_dimensions)),
            merged=merged,
            blank_rows_skipped=skipped,
            filled_down=filled,
        )


def _fill_down(
    rows: list[tuple[int, Row]], merged: tuple[tuple[int, int, int, int], ...]
) -> tuple[str, ...]:
    """Text merged down one column (a code over its value, numerator and denominator rows)
    is read on every row of the merge, as the analyst sees it. Merged numbers are not
    copied: one figure shown across cells is one figure."""
    from openpyxl.utils.cell import get_column_letter

    filled: list[str] = []
    by_row = dict(rows)
    for min_col, min_row, max_col, max_row in merged:
        if min_col != max_col or max_row == min_row:
            continue
        top = by_row.get(min_row, {}).get(min_col)
        if top is None or not isinstance(top[VALUE], str) or not top[VALUE].strip():
            continue
        for row in range(min_row + 1, max_row + 1):
            cells = by_row.get(row)
            if cells is not None and (min_col not in cells or is_blank(cells[min_col][VALUE])):
                cells[min_col] = (row, *top[1:])
        letter = get_column_letter(min_col)
        filled.append(f"{letter}{min_row}:{letter}{max_row}")
    return tuple(filled)


def _percent_styles(wb: Workbook) -> set[int]:
    """Style ids whose number format shows a percent sign (as openpyxl indexes dates)."""
    styles: set[int] = set()
    custom = wb._number_formats
    for index, style in enumerate(wb._cell_styles):
        number_format_id = style.numFmtId
        if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(number_format_id, "General")
        else:
            number_format = custom[number_format_id - BUILTIN_FORMATS_MAX_SIZE]
        if is_percent_format(number_format):
            styles.add(index)
    return styles


def _true(flag: object) -> bool:
    return str(flag).lower() in ("1", "true")


def _hidden_rows(dimensions: dict[str, dict[str, str]]) -> set[int]:
    return {int(row) for row, attrs in dimensions.items() if _true(attrs.get("hidden"))}


def _hidden_columns(dimensions: dict[str, dict[str, str]]) -> set[int]:
    hidden: set[int] = set()
    for attrs in dimensions.values():
        if _true(attrs.get("hidden")):
            first = int(attrs.get("min", 0))
            last = int(attrs.get("max", first))
            hidden.update(range(first, min(last, 16384) + 1))
    return hidden


def _merged(merged_cells: Any) -> tuple[tuple[int, int, int, int], ...]:
    if merged_cells is None:
        return ()
    boxes = []
    for merge in merged_cells.mergeCell:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
        except (TypeError, ValueError):
            continue
        if None not in (min_col, min_row, max_col, max_row):
            boxes.append((min_col, min_row, max_col, max_row))
    return tuple(boxes)


@dataclass
class Table:
    """A sheet read as a table: its header row, its named columns, the rows below."""

    sheet: RawSheet
    header_row: int  # the sheet row number of the header
    header: Row  # the header row's cells
    columns: dict[str, int]  # canonical column name -> column number (first one wins)
    duplicates: list[tuple[str, int, int]]  # (name, first column, repeated column)
    body: list[tuple[int, Row]]

    @property
    def title(self) -> str:
        return self.sheet.title


def find_table(sheet: RawSheet, anchor: str) -> Table | None:
    """The table whose header row is the first (of the top rows) with an ``anchor`` column."""
    for position, (index, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        names = {
            column: canon(cell[VALUE])
            for column, cell in cells.items()
            if not is_blank(cell[VALUE])
        }
        if anchor not in names.values():
            continue
        columns: dict[str, int] = {}
        duplicates: list[tuple[str, int, int]] = []
        for column in sorted(names):
            name = names[column]
            if name in columns:
                duplicates.append((name, columns[name], column))
            else:
                columns[name] = column
        return Table(
            sheet=sheet,
            header_row=index,
            header=cells,
            columns=columns,
            duplicates=duplicates,
            body=sheet.rows[position + 1 :],
        )
    return None
