"""A published file as a table of texts: its header row and every row below it, numbered.

A CSV file is read with polars (every column as text: a code such as ``c`` is never a
number, and ``01`` stays ``01``); an .xlsx file (the benchmarking tool's download can be one)
through csckpi's hardened workbook reader. Either way the table's columns are ``c0``,
``c1``, ... in header order, plus ``row``: the row a spreadsheet shows (the header is row 1
unless title rows sit above it). Cells stay text; numbers are parsed later, in polars.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csckpi.errors import WorkbookError

if TYPE_CHECKING:
    import polars as pl

HEADER_SEARCH_ROWS = 20  # how far down a file its header row may be
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = re.compile(r"[\s_\-]+")

#: Is this row of cell texts a layout's header? (one test per layout, in layouts.py)
HeaderTest = Callable[[list[str]], bool]
Rows = list[tuple[int, list[str]]]  # (row number, cell texts)


def canon(name: object) -> str:
    """Header names match in any case, with spaces, `_` and `-` alike: `LA Number` = `la_number`."""
    return _SEPARATORS.sub(" ", str(name).replace("\ufeff", "")).strip().lower()


def canon_column(text: pl.Expr) -> pl.Expr:
    """:func:`canon` over a column of texts, in polars."""
    return text.str.replace_all(r"[\s_\-]+", " ").str.strip_chars().str.to_lowercase()


class Unreadable(Exception):
    """The file cannot be read as a table at all; the message says why and what to do."""


@dataclass
class RawTable:
    """The header and rows of a published file, every cell as text."""

    name: str  # the file name, as messages name it
    header: list[str]  # the header row's cells, as written (stripped)
    header_row: int  # 1-based
    frame: pl.DataFrame  # c0 ... cN (String) and row (Int64)
    sha256: str
    sheet: str = ""  # the worksheet, for an .xlsx file
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """What Problems call the file: `file.csv`, or `file.xlsx` for its sheet."""
        return self.name

    def column(self, name: str) -> int | None:
        """The 0-based position of the column called ``name`` (first match), else None."""
        wanted = canon(name)
        for index, cell in enumerate(self.header):
            if canon(cell) == wanted:
                return index
        return None


def read_table(path: Path, is_header: HeaderTest) -> RawTable:
    """The file's table: its header row is the first of its first 20 rows that ``is_header``
    accepts (else the first row). Raises :class:`Unreadable` with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise Unreadable(f"{path} does not exist. Check the file name and folder.")
    if path.is_dir():
        raise Unreadable(f"{path} is a folder. Give the path of a .csv or .xlsx file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if not data.strip():
        raise Unreadable(f"{path} is empty. Download the file again.")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_OLE):
        raise Unreadable(
            f"{path} is an old Excel 97-2003 (.xls) file. Save it as .csv or .xlsx and import that."
        )
    if data.startswith(_ZIP):
        sheet, rows = _xlsx_rows(path, data, is_header)
        return _table(path.name, rows, digest, is_header, sheet)
    text, note = _decode(path, data)
    return _csv_table(path.name, text, digest, is_header, note)


def _decode(path: Path, data: bytes) -> tuple[str, str | None]:
    if b"\x00" in data[:4096]:
        raise Unreadable(f"{path} is not a CSV file (it holds binary data).")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), (
            f"{path.name} is not UTF-8: it was read as Windows-1252 (Excel's 'CSV', not "
            "'CSV UTF-8')"
        )


def _csv_table(
    name: str, text: str, digest: str, is_header: HeaderTest, note: str | None
) -> RawTable:
    import polars as pl

    head = list(csv.reader(itertools.islice(io.StringIO(text), HEADER_SEARCH_ROWS)))
    index = next((i for i, row in enumerate(head) if is_header([c.strip() for c in row])), 0)
    try:
        frame = pl.read_csv(
            io.StringIO(text),
            has_header=False,
            skip_rows=index,
            infer_schema=False,
            truncate_ragged_lines=True,
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unreadable(f"{name} cannot be read as CSV ({detail}).") from None
    header = [str(c or "").strip() for c in frame.row(0)] if frame.height else []
    frame = frame.slice(1).rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_row_index("row", offset=index + 2).with_columns(pl.col("row").cast(pl.Int64))
    table = RawTable(name, header, index + 1, frame, digest)
    if note:
        table.notes.append(note)
    return table


def _xlsx_rows(path: Path, data: bytes, is_header: HeaderTest) -> tuple[str, Rows]:
    """The title and rows (row number, cell texts) of the first sheet with a header row
    (else of the first sheet)."""
    from csckpi.workbook.files import open_workbook, sniff
    from csckpi.workbook.sheets import COLUMN, VALUE, Book

    try:
        sniff(path, data)
        opened = open_workbook(path, data)
    except WorkbookError as exc:
        raise Unreadable(str(exc)) from None
    try:
        book = Book(opened, path)
        first: tuple[str, Rows] | None = None
        for title in book.titles:
            rows: Rows = []
            for number, cells in book.read(title).rows:
                texts = [""] * (max(cells) if cells else 0)
                for cell in cells.values():
                    texts[int(cell[COLUMN]) - 1] = _text(cell[VALUE])
                rows.append((number, texts))
            if any(is_header(texts) for _n, texts in rows[:HEADER_SEARCH_ROWS]):
                return title, rows
            first = first or (title, rows)
    except WorkbookError as exc:
        raise Unreadable(str(exc)) from None
    finally:
        opened.close()
    return first or ("", [])


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _table(name: str, body: Rows, digest: str, is_header: HeaderTest, sheet: str) -> RawTable:
    import polars as pl

    index = next(
        (i for i, (_n, cells) in enumerate(body[:HEADER_SEARCH_ROWS]) if is_header(cells)), 0
    )
    header_row, header = body[index] if body else (1, [])
    width = len(header)
    data: dict[str, list[Any]] = {"row": []} | {f"c{i}": [] for i in range(width)}
    for number, cells in body[index + 1 :]:
        data["row"].append(number)
        for i in range(width):
            data[f"c{i}"].append(cells[i] if i < len(cells) else "")
    frame = pl.DataFrame(
        data, schema={"row": pl.Int64} | {f"c{i}": pl.String for i in range(width)}
    ).select([f"c{i}" for i in range(width)] + ["row"])
    return RawTable(name, list(header), header_row, frame, digest, sheet=sheet)
