"""The scorecard as an Excel sheet (``csckpi compute -o scorecard.xlsx``): each figure as shown,
with a number format, RAG as fills; under ``--publish`` the symbols in the cells and the note
below the table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.render.tables import safe_text

if TYPE_CHECKING:
    import polars as pl

    from csckpi.publish import Publication

XLSX_COLUMNS = (
    ("Section", "section", 28),
    ("Code", "code", 11),
    ("Indicator", "title", 60),
    ("Period", "period", 12),
    ("Value", "value", 10),
    ("In period", "flow", 9),
    ("Last year in period", "last_year_flow", 10),
    ("Change in period", "flow_change", 9),
    ("Target", "target", 8),
    ("Tolerance", "tolerance", 9),
    ("Target year", "target_year", 10),
    ("Target per", "target_per", 9),
    ("RAG", "rag", 8),
    ("Last year", "last_year", 10),
    ("Change", "change", 9),
    ("Direction", "direction", 11),
    ("Previous", "previous", 10),
    ("Previous change", "previous_change", 10),
    ("Previous direction", "previous_direction", 11),
    ("YTD", "ytd", 10),
    ("Basis", "basis", 10),
    ("Reported", "reported", 10),
    ("Numerator", "numerator", 10),
    ("Denominator", "denominator", 11),
    ("Unit", "unit", 9),
    ("Polarity", "polarity", 9),
    ("Measure", "measure", 11),
    ("Reason", "reason", 60),
    ("Variation", "variation", 24),
    ("Variation side", "variation_side", 9),
    ("Assurance", "assurance", 20),
    ("SPC", "spc_reason", 40),
)
_IN_UNIT = {"value", "flow", "target", "tolerance", "last_year", "change", "previous"}
_IN_UNIT |= {"previous_change", "ytd", "reported", "last_year_flow", "flow_change"}
#: Differences: signed, and for a percentage in points (85.2% on 80.4% is +4.8 pts, not +4.8%).
_CHANGES = {"change", "previous_change", "flow_change"}
#: Counts whatever the indicator's unit.
_COUNTS = {"flow", "last_year_flow", "flow_change", "tolerance"}
RAG_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}


def write_xlsx(
    frame: pl.DataFrame, path: Path, title: str, publish: Publication | None = None
) -> None:
    """The scorecard as an Excel sheet: each figure as shown (rounded half up to the
    indicator's decimals, as in JSON: the number RAG was judged on) with a number format, RAG
    as fills, a frozen header row and a filter; text Excel would run as a formula is escaped."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from csckpi.errors import OutputError
    from csckpi.render.scorecard import data_rows

    book = Workbook()
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecard"
    for col, (header, _field, width) in enumerate(XLSX_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    rows = data_rows(frame, publish)
    for r, row in enumerate(rows, start=2):
        for col, (_header, field, _width) in enumerate(XLSX_COLUMNS, start=1):
            value = row[field]
            cell = sheet.cell(row=r, column=col, value=safe_text(value))
            if isinstance(value, str) and field in _IN_UNIT | {"numerator", "denominator"}:
                cell.alignment = Alignment(horizontal="right")  # `c`, `z`, `x` (--publish)
            elif field in _IN_UNIT and value is not None:
                unit = "count" if field in _COUNTS else row["unit"]
                if field in ("target", "tolerance"):
                    cell.number_format = numbers.excel_target_format(value, unit, row["decimals"])
                else:
                    cell.number_format = numbers.excel_format(
                        row["decimals"], unit, signed=field in _CHANGES
                    )
            elif field in ("numerator", "denominator") and value is not None:
                cell.number_format = numbers.excel_format(0 if float(value).is_integer() else 1)
            if field in ("rag", "value") and row["rag"] in RAG_FILL:
                colour = RAG_FILL[row["rag"]]
                cell.fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
    if publish is not None:  # what was suppressed and why, below the table
        sheet.cell(row=frame.height + 3, column=1, value=safe_text(publish.note))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{max(frame.height + 1, 1)}"
    sheet.oddHeader.center.text = safe_text(title)
    try:
        book.save(path)
    except OSError as exc:
        raise OutputError(f"Cannot write {path}: {exc.strerror or exc}.") from None
