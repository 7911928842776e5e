"""The report as an Excel workbook: an overview with RAG fills, the summary, a sheet per section.

Each section's sheet holds its definition and analysis, the month table (target row, months,
annual trend) and a native Excel chart per indicator, drawn from a chart-data block beside the
table so the chart stays live if someone corrects a figure. Every text cell goes through
:func:`csckpi.render.tables.safe_text`, so a title starting with "=" is never run as a formula.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from csckpi import numbers
from csckpi.commentary import HEADING
from csckpi.render.tables import safe_text
from csckpi.report import APPENDIX, OVERVIEW_KEY

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from csckpi.commentary import Shown
    from csckpi.report import Panel, Report, Section

Progress = Callable[[int, int], None]

RAG_FILLS = {
    "green": PatternFill("solid", fgColor="C6E8C9"),
    "amber": PatternFill("solid", fgColor="FDE3A7"),
    "red": PatternFill("solid", fgColor="F4C0BD"),
}
HEAD_FILL = PatternFill("solid", fgColor="1F3F66")
GROUP_FILL = PatternFill("solid", fgColor="DDE4EE")
TARGET_FILL = PatternFill("solid", fgColor="EEF2F7")
COMMENTARY_FILL = PatternFill("solid", fgColor="7A4B00")  # the service's words, set apart
COMMENT_FILL = PatternFill("solid", fgColor="FFF8EC")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
THIN = Side(style="thin", color="8C8C8C")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(report: Report, path: Path, on_chart: Progress | None = None) -> None:
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = "Overview"
    _overview(overview, report)
    _summary(wb.create_sheet("Summary"), report)
    taken = {"overview", "summary"}
    total = len(report.sections)
    for done, section in enumerate(report.sections, start=1):
        ws = wb.create_sheet(sheet_name(section.name, taken))
        _section(ws, section, report.byline)
        if on_chart is not None:
            on_chart(done, total)
    if report.has_appendix:
        _notes(wb.create_sheet(sheet_name("Notes for the analyst", taken)), report)
    wb.save(path)


def _notes(ws: Worksheet, report: Report) -> None:
    """The appendix for the analyst: where the figures come from (the committee's report),
    where each indicator's figures come from, why a period has none."""
    _text(ws, 1, 1, APPENDIX, font=Font(bold=True, size=13))
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    for row, (label, value) in enumerate(report.appendix_provenance, start=3):
        _text(ws, row, 1, label, font=BOLD)
        _text(ws, row, 2, value)
    top = 3 + len(report.appendix_provenance) + bool(report.appendix_provenance)
    for row, (heading, text) in enumerate(report.notes, start=top):
        _text(ws, row, 1, heading, font=BOLD, alignment=WRAP)
        _text(ws, row, 2, text, alignment=WRAP)
        ws.row_dimensions[row].height = _height(text, 100)


def sheet_name(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name: at most Excel's 31 characters, none of []:*?/\\, shortened
    first with the sector's usual abbreviations ("Children in Care - Dental Health Assessments"
    -> "CiC - Dental Health Assessments"), then at a word boundary, never mid-word; a name
    taken already gets " (2)", " (3)" ..."""
    base = _SHEET_BAD.sub("-", name).strip("' ") or "Section"
    for long, short in ABBREVIATIONS:
        if len(base) > SHEET_LIMIT:
            base = re.sub(rf"\b{re.escape(long)}\b", short, base, flags=re.IGNORECASE)
    candidate = _shortened(base, SHEET_LIMIT)
    n = 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = _shortened(base, SHEET_LIMIT - len(suffix)) + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


#: Excel's longest sheet name.
SHEET_LIMIT = 31
#: Shorter names children's services use, tried in order when a section's name is too long.
ABBREVIATIONS = (
    ("Initial Child Protection Conferences", "ICPC"),
    ("Children in Care", "CiC"),
    ("Child Protection", "CP"),
    ("Early Help", "EH"),
    ("Assessments", "Asmts"),
)


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters after a whole word, without a dangling
    separator ("... Care -" -> "... Care"); a first word longer than the limit is cut."""
    if len(text) <= limit:
        return text
    words, kept = text.split(" "), ""
    for word in words:
        longer = f"{kept} {word}" if kept else word
        if len(longer) > limit:
            break
        kept = longer
    kept = kept.rstrip(" -–—,&/+")
    return kept or text[:limit]


def _text(ws: Worksheet, row: int, col: int, value: Any, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=safe_text(value) if value is not None else None)
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _overview(ws: Worksheet, report: Report) -> None:
    _text(ws, 1, 1, report.title, font=Font(bold=True, size=14, color="1F3F66"))
    facts = [
        ("Council", report.council or ""),
        ("Period", f"{report.period} — {report.period_long}"),
        ("Generated", report.generated.isoformat()),
        *report.cover_provenance,  # the analyst's report: on the cover
    ]
    if report.disclosure:  # published: what was withheld and why
        facts.append(("Disclosure", report.disclosure))
    for i, (label, value) in enumerate(facts, start=2):
        _text(ws, i, 1, label, font=BOLD)
        _text(ws, i, 2, value)
    head = 2 + len(facts) + 1
    headers = (
        "Section",
        "Code",
        "Indicator",
        report.period,
        "Year to date",
        "Target",
        "Unit",
        "RAG",
        "Direction",
    )
    for col, header in enumerate(headers, start=1):
        _text(ws, head, col, header, font=WHITE_BOLD, fill=HEAD_FILL, border=BOX)
    row = head
    for item in report.overview:
        row += 1
        values: tuple[Any, ...] = (
            item.section,
            item.code,
            item.title,
            _or_symbol(item.raw_value, item.value),
            _or_symbol(item.raw_ytd, item.ytd),
            item.raw_target,
            item.unit.value,
            item.rag.title() if item.rag else None,
            item.direction.title() if item.direction else None,
        )
        for col, value in enumerate(values, start=1):
            cell = _text(ws, row, col, value, border=BOX)
            if col in (4, 5) and value is not None:
                cell.number_format = numbers.excel_format(item.decimals, item.unit)
            elif col == 6 and value is not None:
                cell.number_format = numbers.excel_target_format(value, item.unit, item.decimals)
        if item.rag:
            ws.cell(row=row, column=8).fill = RAG_FILLS[item.rag]
            ws.cell(row=row, column=8).alignment = Alignment(horizontal="center")
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    if report.overview:
        ws.auto_filter.ref = f"A{head}:I{row}"
        _text(ws, row + 2, 1, "Key", font=BOLD)
        _text(ws, row + 2, 2, OVERVIEW_KEY)
    for letter, width in zip("ABCDEFGHI", (30, 11, 70, 11, 11, 10, 9, 8, 11), strict=True):
        ws.column_dimensions[letter].width = width


def _summary(ws: Worksheet, report: Report) -> None:
    """The key messages, numbered, when there are any; then the Performance Summary."""
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 110
    top = 1
    if report.messages:
        _text(ws, 1, 1, "Key messages", font=Font(bold=True, size=13))
        for top, text in enumerate(report.messages, start=3):
            _text(ws, top, 1, top - 2)
            _text(ws, top, 2, text, alignment=WRAP)
            ws.row_dimensions[top].height = _height(text, 110)
        top += 2
    _text(ws, top, 1, report.summary_heading, font=Font(bold=True, size=13))
    for row, (heading, text) in enumerate(report.summary, start=top + 2):
        _text(ws, row, 1, heading, font=BOLD, alignment=WRAP)
        _text(ws, row, 2, text, alignment=WRAP)
        ws.row_dimensions[row].height = _height(text, 110)


def _commentary(
    ws: Worksheet, section: Section, row: int, last_col: int, byline: Callable[[Shown], str]
) -> int:
    """The service's own words, apart from the analysis: a labelled block, one row per
    comment with its indicator, its text and, in a column of its own, its ``byline`` (when it
    was written and where it is carried forward from; the analyst's report: who wrote it
    too); the next free row."""
    _text(ws, row, 1, HEADING.upper(), font=WHITE_BOLD, fill=COMMENTARY_FILL, alignment=WRAP)
    for item in section.commentary:
        _text(ws, row, 2, item.comment.code, font=BOLD, alignment=WRAP, fill=COMMENT_FILL)
        _text(ws, row, 3, item.text, alignment=WRAP, fill=COMMENT_FILL)
        if last_col - 1 > 3:
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=last_col - 1)
        _text(ws, row, last_col, byline(item), font=ITALIC, alignment=WRAP, fill=COMMENT_FILL)
        ws.row_dimensions[row].height = _height(item.text, 14 * max(1, last_col - 3))
        row += 1
    return row + 1


def _height(text: str, width_chars: int) -> float:
    lines = sum(max(1, math.ceil(len(part) / (width_chars * 1.1))) for part in text.split("\n"))
    return 15.0 * max(1, lines)


def _section(ws: Worksheet, section: Section, byline: Callable[[Shown], str]) -> None:
    ncols = len(section.columns)
    last_col = max(2 + ncols, 6)
    _text(ws, 1, 1, section.name.upper(), font=Font(bold=True, size=13, color="1F3F66"))
    row = 3
    for label, paragraphs in (
        ("DEFINITION", section.definition),
        ("PERFORMANCE ANALYSIS", section.analysis),
    ):
        if label == "DEFINITION" and not paragraphs:
            continue  # no definition: nothing printed
        first = row
        for text in paragraphs or ("",):
            _text(ws, row, 2, text, alignment=WRAP)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)
            ws.row_dimensions[row].height = _height(text, 12 + 14 * (last_col - 2))
            row += 1
        _text(ws, first, 1, label, font=WHITE_BOLD, fill=HEAD_FILL, alignment=WRAP)
        row += 1
    if section.commentary:
        row = _commentary(ws, section, row, last_col, byline)

    # the month table
    head = row
    _text(ws, head, 1, None, fill=HEAD_FILL)
    _text(ws, head, 2, None, fill=HEAD_FILL)
    for col, column in enumerate(section.columns, start=3):
        _text(ws, head, col, column.code, font=WHITE_BOLD, fill=HEAD_FILL, border=BOX)
        _text(ws, head + 1, col, column.title, alignment=WRAP, border=BOX)
    ws.row_dimensions[head + 1].height = _height(
        max((c.title for c in section.columns), key=len, default=""), 14
    )
    row = head + 2
    group = None
    for table_row in section.rows:
        name = "ANNUAL TREND" if table_row.kind == "annual" else "IN MONTH PERFORMANCE"
        if name != group:
            group = name
            _text(ws, row, 1, name, font=BOLD, fill=GROUP_FILL)
        _text(ws, row, 2, table_row.label, border=BOX)
        for col, (value, text, column) in enumerate(
            zip(table_row.values, table_row.cells, section.columns, strict=True), start=3
        ):
            cell = _text(ws, row, col, _or_symbol(value, text), border=BOX)
            if table_row.kind == "target" and value is not None:
                # as the other formats write it: `90%` over the month's `85.2`
                cell.number_format = numbers.excel_target_format(
                    value, column.unit, column.decimals
                )
            else:
                cell.number_format = numbers.excel_format(column.decimals)
        if table_row.kind == "target":
            for col in range(2, 3 + ncols):
                ws.cell(row=row, column=col).fill = TARGET_FILL
                ws.cell(row=row, column=col).font = BOLD
        row += 1
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 13
    for col in range(3, max(3 + ncols, last_col + 1)):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=head + 2, column=3)

    # chart data beside the table, a native chart per indicator below it
    data_col = max(last_col, 2 + ncols) + 2
    anchor_row = row + 1
    for i, panel in enumerate(section.chart.panels):
        first_col = data_col + i * 5
        chart = _chart(ws, panel, head, first_col)
        anchor = f"{get_column_letter(1 + (i % 2) * 8)}{anchor_row + (i // 2) * 17}"
        ws.add_chart(chart, anchor)


def _or_symbol(value: float | None, text: str) -> float | str | None:
    """A figure, or under ``--publish`` the symbol written in its place (`c`, `x`)."""
    if value is None and text in {symbol.value for symbol in numbers.Symbol}:
        return text
    return value


def _chart(ws: Worksheet, panel: Panel, top: int, col: int) -> BarChart | LineChart:
    """Write the panel's data at (top, col) and return a chart drawn from it."""
    _text(ws, top, col, f"Chart data: {panel.code}", font=BOLD)
    headers = ["Month", panel.this_label, panel.last_label]
    if panel.target is not None:
        headers.append("Target")
    for j, header in enumerate(headers):
        _text(ws, top + 1, col + j, header, font=BOLD)
    fmt = numbers.excel_format(panel.decimals)
    for i, month in enumerate(panel.months):
        r = top + 2 + i
        _text(ws, r, col, month)
        values = [panel.this_year[i], panel.last_year[i]]
        if panel.target is not None:
            values.append(panel.target)
        for j, value in enumerate(values, start=1):
            ws.cell(row=r, column=col + j, value=value).number_format = fmt
    first, last = top + 2, top + 1 + len(panel.months)
    cats = Reference(ws, min_col=col, min_row=first, max_row=last)

    def series_ref(offset: int) -> Reference:
        return Reference(ws, min_col=col + offset, min_row=top + 1, max_row=last)

    chart: BarChart | LineChart
    if panel.kind == "bar":
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.add_data(series_ref(1), titles_from_data=True)
        chart.add_data(series_ref(2), titles_from_data=True)
        this, last_s = chart.series[0], chart.series[1]
        this.graphicalProperties.solidFill = "1F3F66"
        last_s.graphicalProperties.solidFill = "FFFFFF"
        last_s.graphicalProperties.line.solidFill = "6B6B6B"
        if panel.target is not None:
            target = LineChart()
            target.add_data(series_ref(3), titles_from_data=True)
            _style_target(target.series[0])
            chart += target
    else:
        chart = LineChart()
        for offset in (1, 2) + ((3,) if panel.target is not None else ()):
            chart.add_data(series_ref(offset), titles_from_data=True)
        this, last_s = chart.series[0], chart.series[1]
        this.graphicalProperties.line.solidFill = "1F3F66"
        this.graphicalProperties.line.width = 28575
        this.marker.symbol = "circle"
        this.marker.graphicalProperties.solidFill = "1F3F66"
        last_s.graphicalProperties.line.solidFill = "6B6B6B"
        last_s.graphicalProperties.line.dashStyle = "dash"
        last_s.marker.symbol = "square"
        last_s.marker.graphicalProperties.solidFill = "FFFFFF"
        if panel.target is not None:
            _style_target(chart.series[2])
    chart.set_categories(cats)
    chart.title = safe_text(panel.heading if len(panel.heading) <= 90 else panel.heading[:89] + "…")
    chart.y_axis.title = panel.y_label
    chart.x_axis.title = f"Month ({panel.this_label})"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.height = 8
    chart.width = 15.5
    chart.legend.position = "b"
    return chart


def _style_target(series: Any) -> None:
    series.graphicalProperties.line.solidFill = "A3271F"
    series.graphicalProperties.line.dashStyle = "sysDot"
    series.marker.symbol = "none"
    series.smooth = False
