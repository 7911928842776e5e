"""Small workbooks for the reader's tests, built cell by cell with openpyxl.

``base()`` is a valid three-indicator workbook; tests change one thing and check what the
reader says. Nothing here knows what the reader will answer.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Sheets = dict[str, list[list[Any]]]

OCT, NOV, DEC = dt.datetime(2020, 10, 1), dt.datetime(2020, 11, 1), dt.datetime(2020, 12, 1)

BASE: Sheets = {
    "Indicators": [
        ["code", "title", "section", "unit", "polarity", "measure", "target"],
        [
            "CSC 038",
            "C&F assessments in timescale",
            "Assessments",
            "percent",
            "up",
            "cumulative",
            90,
        ],
        ["CSC 201", "Children in care", "Children in care", "count", "none", "snapshot", None],
        ["CSC 022", "Referrals within 1 working day", "Referrals", "percent", "up", "ratio", 90],
    ],
    "Monthly": [
        ["code", "part", OCT, NOV, DEC],
        ["CSC 038", "value", 84.1, 84.9, 85.2],
        ["CSC 201", "value", 280, 282, 284],
        ["CSC 022", "value", 70, 75, 80],
        ["CSC 022", "numerator", 7, 30, 40],
        ["CSC 022", "denominator", 10, 40, 50],
    ],
}


def base() -> Sheets:
    """A fresh copy of the valid workbook's sheets, to change."""
    return copy.deepcopy(BASE)


def write(
    path: Path,
    sheets: Sheets,
    *,
    formats: dict[tuple[str, str], str] | None = None,
    date_format: str = "mmm-yy",
    hidden_rows: dict[str, Iterable[int]] | None = None,
    hidden_columns: dict[str, Iterable[str]] | None = None,
    merged: dict[str, Iterable[str]] | None = None,
) -> Path:
    """Write ``sheets`` ({title: rows}) to ``path``; ``formats`` sets number formats by cell."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = date_format
    for (title, ref), number_format in (formats or {}).items():
        wb[title][ref].number_format = number_format
    for title, rows in (hidden_rows or {}).items():
        for row in rows:
            wb[title].row_dimensions[row].hidden = True
    for title, letters in (hidden_columns or {}).items():
        for letter in letters:
            wb[title].column_dimensions[letter].hidden = True
    for title, ranges in (merged or {}).items():
        for ref in ranges:
            wb[title].merge_cells(ref)
    wb.save(path)
    return path


def rezip(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """Copy a workbook's zip, replacing (or with None, dropping) some members."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in change:
                continue
            zout.writestr(info, zin.read(info.filename))
        for name, data in change.items():
            if data is not None:
                zout.writestr(name, data)
    return target


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
