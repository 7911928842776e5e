"""`csckpi template OUT.xlsx`: an empty workbook in the documented layout, with instructions.

The sheets and columns come from the reader's own lists (csckpi.workbook.layout), and the
allowed values from the model's enums, so the template cannot drift from what is read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csckpi.model import Comparator, Measure, Polarity, TargetPer, Unit, allowed
from csckpi.periods import fy_label, fy_months

_HEADER_FILL = "DDEBF7"
_WIDTHS = {
    "code": 12,
    "title": 44,
    "label": 24,
    "section": 24,
    "definition": 50,
    "phrase": 44,
    "note": 30,
    "text": 90,
    "author": 20,
    "baseline": 16,
    "new process from": 18,
}


def _instructions(fy: int) -> list[tuple[str, str]]:
    year = fy_label(fy)
    return [
        ("csckpi performance workbook", ""),
        ("", ""),
        ("How to use it", "Fill in the sheets below, then run: csckpi ingest this-file.xlsx"),
        ("", "Sheet and column names may use any case; spaces, _ and - are alike."),
        (
            "",
            "Sheets and columns csckpi does not know are ignored (csckpi ingest --verbose "
            "lists them).",
        ),
        (
            "",
            "Every problem is reported at once, with its Sheet!Cell; nothing is stored "
            "until there are no errors.",
        ),
        ("", ""),
        ("Indicators", "One row per indicator."),
        ("code", "Required. Any scheme: CSC 038, NI 59, LAC01. CSC 038 = CSC038 = csc038."),
        ("title", "Required. What the indicator counts."),
        (
            "label",
            "Optional. A short name for key messages, the report's tables and charts, e.g. "
            "'re-referrals' (default: a short form of the title).",
        ),
        ("section", "Optional. The report section it belongs to."),
        ("unit", f"Required: {allowed(Unit)} (rate = per 10,000 children aged 0-17)."),
        (
            "polarity",
            f"Required: {allowed(Polarity)} (or 'higher is better', "
            "'lower is better'; blank = none).",
        ),
        (
            "measure",
            f"Required: {allowed(Measure)}. flow: events in the month (summed); "
            "ratio: % of events (numerators / denominators); snapshot: position at "
            "month end; cumulative: the month already holds the year to date; distinct: "
            "people counted once in the period (never summed: give each period's figure "
            "on Periods).",
        ),
        ("target", "Optional, in the indicator's unit (90 for 90%)."),
        ("tolerance", "Optional amber band, in the indicator's unit (5 = 5 points)."),
        ("definition", "Optional. The definition printed in the report."),
        (
            "phrase",
            "Optional. The words sentences use, e.g. 'of referrals were completed "
            "within 1 working day'.",
        ),
        ("decimals", "Optional. Decimal places to show (0-6)."),
        (
            "pattern",
            "Optional. The indicator's whole summary paragraph with {placeholders}, e.g. "
            "'{council} looked after {value} children {period_wording}.' (docs/narrative.md).",
        ),
        (
            "records_measure",
            "Optional. The Annex A measure its figures are derived from, e.g. 'AA ICPC 15' "
            "(a cumulative indicator: its year to date), for csckpi ingest of an Annex A "
            "extract (docs/records.md).",
        ),
        (
            "baseline",
            "Optional. The months the control limits come from, 12 or more, e.g. "
            "Apr-19..Mar-20 (docs/spc.md); limits from every month when blank. "
            "csckpi --spc-baseline overrides it.",
        ),
        (
            "new process from",
            "Optional. The first month of a new process, e.g. Apr-20 (several: Apr-20; "
            "Oct-21): the control limits are worked out again from there; a range "
            "(Apr-20..Mar-21) gives the new process its own baseline.",
        ),
        ("", ""),
        ("Monthly", "One row per indicator (and part), one column per month (wide layout)."),
        ("code", "Required. A code from Indicators."),
        (
            "part",
            "Optional: value, numerator or denominator (blank = value). Give "
            "numerators and denominators so quarters and years are computed exactly.",
        ),
        (
            "month columns",
            f"Headed by a month: a date, Apr-20, April 2020 or 2020-04. These "
            f"are {year}; add columns for other months.",
        ),
        (
            "long layout",
            "Or instead: one row per indicator and month, with columns code, "
            "month, value, and optional numerator, denominator.",
        ),
        (
            "cells",
            "Numbers. A percent-formatted 0.852 reads as 85.2. Leave a cell blank "
            "(or n/a, -, *) when there is no figure. Text like 'TBC' is warned about "
            "and left blank. Formulas must have been saved by Excel.",
        ),
        ("", ""),
        ("Periods", "Optional. Figures reported for whole periods (annual trend rows)."),
        ("code, period, value", "period: 2019/20, 2020/21 YTD, Q3 2020/21 or a month."),
        ("numerator, denominator", "Optional parts of the period's figure."),
        (
            "figure",
            "Optional: blank = the indicator's figure; flow = a cumulative "
            "indicator's count for the period alone.",
        ),
        ("note", "Optional. Not used by calculations."),
        ("", ""),
        (
            "Targets",
            "Optional. A target for one financial year, where it differs from the Indicators "
            "sheet's (which stays the target of every other year).",
        ),
        ("code, year, target", f"year: the financial year it is for, e.g. {year}."),
        ("tolerance", "Optional amber band that year, in the indicator's unit."),
        (
            "per",
            f"Optional: {allowed(TargetPer)}: the length of period the target is for (a "
            "flow's monthly target of 12 is 36 a quarter). Blank: month for a flow, ytd for "
            "a cumulative indicator, snapshot (any period) otherwise.",
        ),
        ("", ""),
        ("Benchmarks", "Optional. Comparators' figures."),
        (
            "code, comparator, value",
            f"comparator: {allowed(Comparator)} (or 'national', "
            "'stat neighbours', 'regional average').",
        ),
        (
            "year",
            "The financial year the figure describes, e.g. 2019/20 (or 'as at 31 March 2020'). "
            "A period is compared with the latest year not after it.",
        ),
        (
            "release, version",
            "Optional. Where the figure was published, e.g. LAIT 2020, and which version "
            "(e.g. revised).",
        ),
        ("", ""),
        ("Context", "Optional. About the council."),
        (
            "key, value, year",
            "council: the council's name; population_0_17: children aged "
            f"0-17 (one row per financial year, e.g. {year}), for rates.",
        ),
        ("", ""),
        (
            "Commentary",
            "Optional. The service's own words on an indicator in a period, printed after the "
            'generated sentences (or use: csckpi comment CODE --period P "text").',
        ),
        ("code, period, text", "period: a month (Dec-20), Q3 2020/21, 2020/21 YTD or 2020/21."),
        (
            "carry",
            "Optional: yes to offer the comment again in the periods after, until a later "
            "one; blank or no keeps it to its period.",
        ),
        ("author", "Optional. Who wrote it."),
        (
            "",
            "Commentary is printed as written, even in a published report: no names, and no "
            "counts of 1 to 5 children.",
        ),
        ("", ""),
        ("More", "docs/workbook.md in the csckpi repository describes every sheet."),
    ]


def write_template(path: Path, *, fy: int | None = None) -> None:
    """Write the empty workbook: Instructions, Indicators, Monthly (months of ``fy``, by
    default the current financial year), Periods, Targets, Benchmarks, Context, Commentary."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from csckpi.workbook.layout import (
        BENCHMARKS_COLUMNS,
        COMMENTARY,
        COMMENTARY_OPTIONAL,
        CONTEXT,
        CONTEXT_OPTIONAL,
        INDICATORS_COLUMNS,
        MONTHLY_WIDE,
        MONTHLY_WIDE_OPTIONAL,
        PARTS,
        PERIODS,
        PERIODS_OPTIONAL,
        TARGETS_COLUMNS,
    )

    if fy is None:
        today = dt.date.today()
        fy = today.year if today.month >= 4 else today.year - 1
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)

    wb = Workbook()
    guide = wb.active
    guide.title = "Instructions"
    for row in _instructions(fy):
        guide.append(row)
    guide["A1"].font = Font(bold=True, size=14)
    for row in guide.iter_rows(min_row=2):
        if row[0].value and not row[1].value.startswith(("Required", "Optional")):
            row[0].font = bold
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 110

    indicator_columns = list(INDICATORS_COLUMNS)
    sheets: dict[str, list[str | dt.date]] = {
        "Indicators": list(indicator_columns),
        "Monthly": [*MONTHLY_WIDE, *MONTHLY_WIDE_OPTIONAL, *(m.date for m in fy_months(fy))],
        "Periods": [*PERIODS, *PERIODS_OPTIONAL],
        "Targets": list(TARGETS_COLUMNS),
        "Benchmarks": list(BENCHMARKS_COLUMNS),
        "Context": [*CONTEXT, *CONTEXT_OPTIONAL],
        "Commentary": [*COMMENTARY, *COMMENTARY_OPTIONAL],
    }
    for title, header in sheets.items():
        ws = wb.create_sheet(title)
        # a column's name as a person writes it: `new process from` (read alike)
        ws.append([h.replace("_", " ") if isinstance(h, str) else h for h in header])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            if isinstance(cell.value, dt.date):
                cell.number_format = "mmm-yy"
            name = cell.value if isinstance(cell.value, str) else ""
            ws.column_dimensions[cell.column_letter].width = _WIDTHS.get(name, 12)
        ws.freeze_panes = "B2" if title == "Monthly" else "A2"

    indicators = wb["Indicators"]
    for name, enum in (("unit", Unit), ("polarity", Polarity), ("measure", Measure)):
        letter = indicators.cell(1, indicator_columns.index(name) + 1).column_letter
        choice = DataValidation(
            type="list",
            formula1='"' + ",".join(e.value for e in enum) + '"',
            allow_blank=True,
            showErrorMessage=False,  # aliases such as "higher is better" are read too
        )
        choice.add(f"{letter}2:{letter}1000")
        indicators.add_data_validation(choice)
    part = DataValidation(type="list", formula1='"' + ",".join(PARTS) + '"', allow_blank=True)
    part.add("B2:B3000")
    wb["Monthly"].add_data_validation(part)
    comparator = DataValidation(
        type="list",
        formula1='"' + ",".join(c.value for c in Comparator) + '"',
        allow_blank=True,
        showErrorMessage=False,
    )
    comparator.add("B2:B1000")
    wb["Benchmarks"].add_data_validation(comparator)
    carry = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    carry.add("D2:D2000")
    wb["Commentary"].add_data_validation(carry)
    per = DataValidation(
        type="list",
        formula1='"' + ",".join(p.value for p in TargetPer) + '"',
        allow_blank=True,
        showErrorMessage=False,  # "monthly", "year to date" ... are read too
    )
    per_letter = wb["Targets"].cell(1, TARGETS_COLUMNS.index("per") + 1).column_letter
    per.add(f"{per_letter}2:{per_letter}1000")
    wb["Targets"].add_data_validation(per)
    context = wb["Context"]
    context.append(["council", None, None])
    context.append(["population_0_17", None, fy_label(fy)])
    wb.save(path)
