"""Small workbooks for the reader's tests, built cell by cell with openpyxl.

``base()`` is a valid three-indicator workbook; tests change one thing and check what the
reader says. Nothing here knows what the reader will answer.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
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


_INLINE = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(<t[^>]*>.*?</t>|<t[^>]*/>)</is></c>', re.S
)


def with_shared_strings(source: Path, target: Path, first: Iterable[str] = ()) -> Path:
    """Rewrite a workbook's inline strings into a shared string table, as Excel stores text.

    openpyxl writes text inline; Excel writes it once in xl/sharedStrings.xml and refers to it
    by index. ``first`` puts some strings at the start of the table.
    """
    table: dict[bytes, int] = {}
    for text in first:
        table.setdefault(f"<t>{text}</t>".encode(), len(table))
    changed: dict[str, bytes | None] = {}
    with zipfile.ZipFile(source) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        for name in sheets:
            xml = archive.read(name)

            def shared(match: re.Match[bytes]) -> bytes:
                index = table.setdefault(match[3], len(table))
                return b"<c " + match[1] + b't="s"' + match[2] + b"><v>%d</v></c>" % index

            changed[name] = _INLINE.sub(shared, xml)
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    items = b"".join(b"<si>" + t + b"</si>" for t in sorted(table, key=table.__getitem__))
    changed["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        + b'count="%d" uniqueCount="%d">' % (len(table), len(table))
        + items
        + b"</sst>"
    )
    changed["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    changed["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return rezip(source, target, changed)
