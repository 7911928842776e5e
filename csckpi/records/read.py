"""Annex A in: a workbook of lists or a folder of one CSV file per list -> typed frames.

    records = read_records(Path("annex-a.xlsx"), {4: {"assessment_start", ...}})

Only the lists asked for are parsed, and of those only the columns asked for (the header row
is read whole, to recognise every heading). The workbook is streamed with csckpi's own sheet
reader (``csckpi.workbook.sheets``: openpyxl's worksheet parser over the standard library's
fast XML parser, after the hostile-file checks of ``csckpi.workbook.files``); CSV files with
polars. Each list becomes a :class:`ListData` whose frame has ``_row`` (the sheet row, or the
CSV line) and one typed column per field, and ``_text_<field>`` where a cell could not be read
as its type. Problems (headings not recognised, a date written as text that is no date) are
collected with their Sheet!Cell; nothing is raised for a bad cell. The records hold personal
data: they are returned to the caller and never stored or logged.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csckpi.errors import WorkbookError
from csckpi.model import Problem, Severity, column_letter
from csckpi.records.lists import BY_NUMBER, CHILD, AnnexList, Kind, list_number, match_heading
from csckpi.records.values import column

#: How far down a sheet the header row may be (title rows above it are skipped).
HEADER_ROWS = 20


@dataclass(frozen=True)
class ListData:
    """One Annex A list as read: its sheet, its header, the typed columns asked for."""

    annex: AnnexList
    sheet: str  # the sheet's title or the CSV file's name, as written
    header_row: int
    columns: Mapping[str, int]  # field id -> column number (1 = A), every heading recognised
    frame: pl.DataFrame  # _row, one column per field read, _text_<field> flags

    @property
    def number(self) -> int:
        return self.annex.number

    def cell(self, field_id: str, row: int) -> tuple[int, int]:
        return row, self.columns.get(field_id, 0)


@dataclass(frozen=True)
class Records:
    """An Annex A extract as read: its lists, and what was wrong with them."""

    source: str  # the file or folder name
    sha256: str  # of the workbook, or of the folder's list files (sha256_of)
    lists: Mapping[int, ListData]
    problems: tuple[Problem, ...]  # sorted
    ignored: tuple[str, ...] = ()  # sheets or files that are not Annex A lists
    sheets: Mapping[int, str] = field(default_factory=dict)  # every list found -> its name

    def get(self, number: int) -> ListData | None:
        return self.lists.get(number)


def read_records(path: Path, wanted: Mapping[int, Iterable[str]]) -> Records:
    """Read the lists and fields ``wanted`` (list number -> field ids) from an Annex A
    workbook or a folder of CSV files. Raises WorkbookError when it is neither."""
    path = Path(path)
    wanted_fields = {n: _with_keys(BY_NUMBER[n], fields) for n, fields in wanted.items()}
    if path.is_dir():
        return _read_folder(path, wanted_fields)
    return _read_workbook(path, wanted_fields)


def _with_keys(annex: AnnexList, fields: Iterable[str]) -> tuple[str, ...]:
    """The fields asked for, plus the child ID and the fields that make a row unique."""
    chosen = {annex.identifier, *annex.unique, *fields} & {f.id for f in annex.fields}
    return tuple(f.id for f in annex.fields if f.id in chosen)


# ----------------------------------------------------------------------------- headers


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # field -> column
    problems: list[Problem]


def _header(annex: AnnexList, sheet: str, row: int, cells: Mapping[int, Any]) -> _Header | None:
    """The header when this row is one: two or more of the list's headings, or its ID."""
    matched: dict[int, str | None] = {}
    for col, value in cells.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        matched[col] = match_heading(annex.number, value) if isinstance(value, str) else None
    found = [f for f in matched.values() if f]
    if len(found) < 2 and CHILD.id not in found and "adopter_id" not in found:
        return None
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for col in sorted(matched):
        field_id = matched[col]
        if field_id is None:
            kind = "unknown-heading"
            said = (
                f'"{str(cells[col]).strip()}" is not one of {annex.title}\'s headings '
                "— the column is not read"
            )
        elif field_id in columns:
            first = column_letter(columns[field_id])
            kind = "repeated-heading"
            said = f"this heading repeats column {first}'s — only column {first} is read"
        else:
            columns[field_id] = col
            continue
        problems.append(Problem(sheet, row, col, Severity.WARNING, kind, said))
    return _Header(row, columns, problems)


def _no_header(annex: AnnexList, sheet: str) -> Problem:
    """An error: the list is there, the measures need it, and none of it can be read."""
    return Problem(
        sheet,
        0,
        0,
        Severity.ERROR,
        "no-header",
        f'no row of {annex.title} headings (such as "{annex.fields[0].heading}") in the first '
        f"{HEADER_ROWS} rows — the list is not read",
    )


# ----------------------------------------------------------------------------- frames


def _frame(
    annex: AnnexList,
    sheet: str,
    header: _Header,
    fields: tuple[str, ...],
    rows: list[int] | pl.Series,
    values: Mapping[str, Sequence[Any] | pl.Series],
    problems: list[Problem],
) -> ListData:
    row = rows if isinstance(rows, pl.Series) else pl.Series(rows, dtype=pl.Int64)
    data: dict[str, pl.Series] = {"_row": row.alias("_row")}
    for field_id in fields:
        if field_id not in header.columns:
            continue
        kind = annex.field(field_id).kind  # type: ignore[union-attr]
        series, unreadable = column(values[field_id], kind)
        data[field_id] = series.alias(field_id)
        if kind in (Kind.DATE, Kind.NUMBER) and unreadable.any():
            data[f"_text_{field_id}"] = unreadable.alias(f"_text_{field_id}")
            what = "a date" if kind is Kind.DATE else "a number"
            col = header.columns[field_id]
            bad_rows = row.filter(unreadable).to_list()
            problems.extend(
                Problem(
                    sheet,
                    row,
                    col,
                    Severity.WARNING,
                    "date-as-text" if kind is Kind.DATE else "not-a-number",
                    f"this {annex.field(field_id).label} is not {what}"  # type: ignore[union-attr]
                    + (" (write dates as day/month/year: dd/mm/yyyy)" if kind is Kind.DATE else "")
                    + " — the row is left out of measures that need it",
                )
                for row in bad_rows
            )
    return ListData(annex, sheet, header.row, dict(header.columns), pl.DataFrame(data))


# ----------------------------------------------------------------------------- workbook


def _read_workbook(path: Path, wanted: Mapping[int, tuple[str, ...]]) -> Records:
    from csckpi.workbook.files import open_workbook, read_bytes

    data = read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    opened = open_workbook(path, data)
    problems: list[Problem] = []
    lists: dict[int, ListData] = {}
    found: dict[int, str] = {}
    ignored: list[str] = []
    try:
        for title in opened.sheets:
            number = list_number(title)
            if number is None:
                ignored.append(title)
                continue
            if number in found:
                problems.append(_second_sheet(title, number, found[number], number in wanted))
                continue
            found[number] = title
            if number not in wanted:
                continue
            annex = BY_NUMBER[number]
            read = _read_sheet(opened, path, title, annex, wanted[number], problems)
            if read is not None:
                lists[number] = read
    finally:
        opened.close()
    if not found:
        raise WorkbookError(
            f"{path} has no Annex A list: no sheet is named like 'List 3' or 'List 3 - Referrals'.",
            "Name each sheet after its list, as Ofsted's Annex A template does.",
        )
    return Records(path.name, digest, lists, tuple(sorted(problems)), tuple(ignored), found)


def _second_sheet(title: str, number: int, first: str, needed: bool) -> Problem:
    """An error when the measures need the list: which of the two is the extract's?"""
    return Problem(
        title,
        0,
        0,
        Severity.ERROR if needed else Severity.WARNING,
        "repeated-list",
        f"a second sheet for List {number} ('{first}' is read) — this sheet is not read",
    )


def _read_sheet(
    opened: Any,
    path: Path,
    title: str,
    annex: AnnexList,
    fields: tuple[str, ...],
    problems: list[Problem],
) -> ListData | None:
    from csckpi.workbook.sheets import sheet_rows

    with sheet_rows(opened, path, title) as rows:
        header = _find_header(rows, annex, title)
        if header is None:
            problems.append(_no_header(annex, title))
            return None
        problems.extend(header.problems)
        present = [f for f in fields if f in header.columns]
        positions = {header.columns[f]: i for i, f in enumerate(present)}
        rows.only(positions)
        numbers, table = _body(rows, positions)
    empty: tuple[Any, ...] = ()
    values = dict(zip(present, table, strict=True)) if table else dict.fromkeys(present, empty)
    return _frame(annex, title, header, fields, numbers, values, problems)


def _find_header(
    rows: Iterator[tuple[int, list[Any]]], annex: AnnexList, title: str
) -> _Header | None:
    from csckpi.workbook.sheets import COLUMN, VALUE

    for seen, (index, cells) in enumerate(rows):
        if seen >= HEADER_ROWS:
            return None
        header = _header(annex, title, index, {c[COLUMN]: c[VALUE] for c in cells})
        if header is not None:
            return header
    return None


def _body(
    rows: Iterator[tuple[int, list[Any]]], positions: Mapping[int, int]
) -> tuple[list[int], list[tuple[Any, ...]]]:
    """The rows below the header, as (row numbers, one tuple of values per column)."""
    from csckpi.workbook.sheets import COLUMN, TYPE, VALUE

    width = len(positions)
    numbers: list[int] = []
    kept: list[list[Any]] = []
    for index, cells in rows:
        values: list[Any] = [None] * width
        filled = False
        for cell in cells:
            position = positions.get(cell[COLUMN])
            if position is None:
                continue
            value = cell[VALUE]
            if value is None and cell[TYPE] == "f":
                value = "#NO VALUE"  # a formula with no saved result: unreadable, not blank
            if value is not None:
                values[position] = value
                filled = True
        if filled:
            numbers.append(index)
            kept.append(values)
    return numbers, list(zip(*kept, strict=True)) if kept else []


# ----------------------------------------------------------------------------- CSV folder


def sha256_of(path: Path) -> str:
    """The SHA-256 :func:`read_records` gives an extract: of a workbook's bytes, or of a
    folder's list files (each one's name and bytes, in name order), whichever lists are read."""
    path = Path(path)
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file, _number in _list_files(path):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _list_files(path: Path) -> Iterator[tuple[Path, int | None]]:
    """Each file of a folder in name order, with its list number (None: not a list)."""
    for file in sorted(path.iterdir(), key=lambda p: p.name):
        if file.is_file():
            yield file, list_number(file.name) if file.suffix.lower() == ".csv" else None


def _read_folder(path: Path, wanted: Mapping[int, tuple[str, ...]]) -> Records:
    problems: list[Problem] = []
    lists: dict[int, ListData] = {}
    found: dict[int, str] = {}
    ignored: list[str] = []
    digest = hashlib.sha256()
    for file, number in _list_files(path):
        if number is None:
            ignored.append(file.name)
            continue
        data = file.read_bytes()
        digest.update(file.name.encode() + b"\0" + data)
        if number in found:
            problems.append(_second_sheet(file.name, number, found[number], number in wanted))
            continue
        found[number] = file.name
        if number not in wanted:
            continue
        read = _read_csv(file, data, BY_NUMBER[number], wanted[number], problems)
        if read is not None:
            lists[number] = read
    if not found:
        raise WorkbookError(
            f"{path} has no Annex A list: no CSV file is named like 'List 3.csv' or "
            "'list_3_referrals.csv'.",
            "Name each file after its list.",
        )
    return Records(
        path.name, digest.hexdigest(), lists, tuple(sorted(problems)), tuple(ignored), found
    )


def _decode(data: bytes) -> tuple[str, bytes]:
    """The file's text, and its bytes as UTF-8 for polars (the same bytes when they are)."""
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, text.encode("utf-8")


def _read_csv(
    file: Path, data: bytes, annex: AnnexList, fields: tuple[str, ...], problems: list[Problem]
) -> ListData | None:
    text, utf8 = _decode(data)
    reader = csv.reader(io.StringIO(text))
    header: _Header | None = None
    for line, cells in enumerate(reader, start=1):
        if line > HEADER_ROWS:
            break
        header = _header(annex, file.name, line, dict(enumerate(cells, start=1)))
        if header is not None:
            break
    if header is None:
        problems.append(_no_header(annex, file.name))
        return None
    problems.extend(header.problems)
    present = sorted((f for f in fields if f in header.columns), key=header.columns.__getitem__)
    frame = pl.read_csv(
        io.BytesIO(utf8),
        has_header=False,
        skip_rows=header.row,
        columns=[header.columns[f] - 1 for f in present],
        infer_schema=False,
        truncate_ragged_lines=True,
    )
    # the columns come in file order, as ``present`` is sorted: name them by position
    frame = frame.rename(dict(zip(frame.columns, present, strict=True))).with_row_index(
        "_row", offset=header.row + 1
    )
    blank = pl.all_horizontal(
        pl.col(f).is_null() | (pl.col(f).str.strip_chars() == "") for f in present
    )
    frame = frame.filter(~blank) if present else frame.clear()
    values = {f: frame.get_column(f) for f in present}
    rows = frame.get_column("_row").cast(pl.Int64)
    return _frame(annex, file.name, header, fields, rows, values, problems)
