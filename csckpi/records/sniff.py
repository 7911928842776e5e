"""Is this an Annex A extract? Asked of every file ``csckpi ingest`` is given, so it is cheap
and imports neither polars nor openpyxl."""

from __future__ import annotations

import re
from pathlib import Path

from csckpi.records.lists import list_number


def looks_like_annex_a(path: Path) -> bool:
    """True for a folder with a CSV file per list, or a workbook with `List N` sheets.

    Cheap, so ``csckpi ingest`` can ask it of every file: a workbook's sheet names are read
    from its ``xl/workbook.xml`` alone; anything that is not a readable workbook is False (its
    reader then says what is wrong with it)."""
    path = Path(path)
    if path.is_dir():
        return any(list_number(p.name) for p in path.glob("*.csv"))
    return any(list_number(t) and "list" in t.lower() for t in _sheet_names(path))


def mistaken_extract(path: Path) -> tuple[str, str] | None:
    """(message, hint) when ``path`` looks meant as an Annex A extract but cannot be one: one
    list's CSV file (the extract is their folder), or a folder of CSV files none of which is
    named after a list. None otherwise (a workbook's reader says what else is wrong)."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".csv" and list_number(path.name):
        folder = path.parent
        return (
            f"{path} is one list of an Annex A extract: an extract in CSV files is read from "
            "the folder that holds a file per list.",
            f"Give its folder instead: {folder}",
        )
    if path.is_dir() and any(path.glob("*.csv")) and not looks_like_annex_a(path):
        return (
            f"{path} is a folder of CSV files, none named after an Annex A list.",
            "Name each list's file after it ('List 3.csv', 'List 4 - Assessments.csv', "
            "'Referrals.csv'): docs/records.md lists the names read.",
        )
    return None


#: A sheet in xl/workbook.xml: <sheet name="List 3" sheetId="3" r:id="rId3"/>.
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def _sheet_names(path: Path) -> list[str]:
    import html  # a workbook's only: a folder of CSV files needs neither
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 10 * 1024 * 1024:
                return []
            text = archive.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return []
    return [html.unescape(name.decode("utf-8", "replace")) for name in _SHEET.findall(text)]
