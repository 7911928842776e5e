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
