"""Build the csckpi example workbook from the plain-text sources in ``source/``.

The CSV files in ``examples/source/`` are the reviewable transcription of
Darlington's Q3 2020/21 Children's Social Care Performance & Quality Assurance
Report (see ``source/README.md``); this script only changes their shape.

    python examples/build_example.py                 # writes examples/darlington-2020-21-q3.xlsx
    python examples/build_example.py out.xlsx --layout long

Only the standard library, openpyxl and csckpi's own column lists
(``csckpi.workbook.layout``, so the example cannot drift from what is read) are used.
The output is deterministic: the same sources give a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from csckpi.workbook.layout import (
    BENCHMARKS_COLUMNS,
    CONTEXT,
    CONTEXT_OPTIONAL,
    INDICATORS_COLUMNS,
    MONTHLY_LONG,
    MONTHLY_LONG_OPTIONAL,
    MONTHLY_WIDE,
    MONTHLY_WIDE_OPTIONAL,
    PARTS,
    PERIODS,
    PERIODS_OPTIONAL,
)

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
DEFAULT_OUT = HERE / "darlington-2020-21-q3.xlsx"

#: Fixed workbook timestamps, so that rebuilding gives the same file.
FIXED_TIME = dt.datetime(2021, 2, 1, 9, 0, 0)
#: The financial year the report covers: its month columns are always present.
FIRST_MONTH = dt.datetime(2020, 4, 1)
MONTHS_IN_YEAR = 12
MONTH_FORMAT = "mmm-yy"

#: The layout's Indicators columns but `pattern`, `records_measure`, `baseline`,
#: `new_process_from` and `label`: the report's indicators have no paragraph pattern of their
#: own (their sentences come from the default patterns), the report says nothing of the
#: children's records (examples/darlington-annex-a.toml maps its codes to the Annex A measures
#: instead), it declares no control-limit baseline or change of process, and it gives them no
#: short names.
INDICATOR_COLUMNS = tuple(
    name
    for name in INDICATORS_COLUMNS
    if name not in ("pattern", "records_measure", "baseline", "new_process_from", "label")
)
NUMERIC_INDICATOR_COLUMNS = frozenset({"target", "tolerance", "decimals"})
PERIOD_COLUMNS = (*PERIODS, *PERIODS_OPTIONAL)
#: The layout's Benchmarks columns but `version`: every figure the report quotes is from one
#: release, LAIT 2020, with no version.
BENCHMARK_COLUMNS = tuple(name for name in BENCHMARKS_COLUMNS if name != "version")
CONTEXT_COLUMNS = (*CONTEXT, *CONTEXT_OPTIONAL)

Cell = str | int | float | dt.datetime | None
Row = dict[str, str]


def read_source(name: str, source: Path = SOURCE) -> list[Row]:
    """Read one CSV file of the transcription as a list of dicts of text."""
    with (source / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number(text: str) -> int | float | None:
    """A CSV figure as a number: blank stays blank, ``85.2`` is a float, ``284`` an int."""
    text = text.strip()
    if not text:
        return None
    return float(text) if "." in text else int(text)


def text(value: str) -> str | None:
    """A CSV text cell: blank stays blank."""
    return value if value.strip() else None


def month_of(label: str) -> dt.datetime:
    """``2020-04`` as the first day of that month."""
    year, month = label.split("-")
    return dt.datetime(int(year), int(month), 1)


def financial_year_months(first: dt.datetime = FIRST_MONTH) -> list[dt.datetime]:
    """The twelve months April-March starting at ``first``."""
    months = []
    for offset in range(MONTHS_IN_YEAR):
        index = first.month - 1 + offset
        months.append(dt.datetime(first.year + index // 12, index % 12 + 1, 1))
    return months


def number_format(decimals: int | float | None) -> str:
    """An Excel number format showing ``decimals`` places."""
    places = int(decimals or 0)
    return "0." + "0" * places if places else "0"


def _append(ws: Worksheet, values: Sequence[Cell], formats: Sequence[str | None] = ()) -> None:
    ws.append(list(values))
    for cell, fmt in zip(ws[ws.max_row], formats, strict=False):
        if fmt:
            cell.number_format = fmt


def _finish(ws: Worksheet, widths: Iterable[int]) -> None:
    ws.freeze_panes = "B2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width


def _indicators_sheet(wb: Workbook, indicators: list[Row]) -> None:
    ws = wb.create_sheet("Indicators")
    ws.append(list(INDICATOR_COLUMNS))
    for row in indicators:
        ws.append(
            [
                number(row[col]) if col in NUMERIC_INDICATOR_COLUMNS else text(row[col])
                for col in INDICATOR_COLUMNS
            ]
        )
    _finish(ws, (12, 60, 40, 9, 9, 11, 8, 10, 80, 80, 9))


def _monthly_wide(wb: Workbook, codes: list[str], monthly: list[Row], fmt: dict[str, str]) -> None:
    ws = wb.create_sheet("Monthly")
    months = sorted({month_of(r["month"]) for r in monthly} | set(financial_year_months()))
    _append(
        ws,
        [*MONTHLY_WIDE, *MONTHLY_WIDE_OPTIONAL, *months],
        [None, None, *[MONTH_FORMAT] * len(months)],
    )
    by_key: dict[tuple[str, str, dt.datetime], int | float] = {}
    for row in monthly:
        for part in PARTS:
            figure = number(row[part])
            if figure is not None:
                by_key[(row["code"], part, month_of(row["month"]))] = figure
    for code in codes:
        for part in PARTS:
            figures = [by_key.get((code, part, month)) for month in months]
            if all(figure is None for figure in figures):
                continue
            part_fmt = fmt[code] if part == "value" else "0"
            _append(ws, [code, part, *figures], [None, None, *[part_fmt] * len(months)])
    _finish(ws, (12, 12, *[9] * len(months)))


def _monthly_long(wb: Workbook, codes: list[str], monthly: list[Row], fmt: dict[str, str]) -> None:
    ws = wb.create_sheet("Monthly")
    ws.append([*MONTHLY_LONG, *MONTHLY_LONG_OPTIONAL])
    order = {code: index for index, code in enumerate(codes)}
    for row in sorted(monthly, key=lambda r: (order[r["code"]], r["month"])):
        _append(
            ws,
            [row["code"], month_of(row["month"]), *(number(row[part]) for part in PARTS)],
            [None, MONTH_FORMAT, fmt[row["code"]], "0", "0"],
        )
    _finish(ws, (12, 10, 9, 12, 12))


def _periods_sheet(wb: Workbook, periods: list[Row], fmt: dict[str, str]) -> None:
    ws = wb.create_sheet("Periods")
    ws.append(list(PERIOD_COLUMNS))
    for row in periods:
        # A cumulative indicator's "flow" figure is a count, whatever the indicator's unit.
        value_fmt = "0" if row["figure"] == "flow" else fmt[row["code"]]
        _append(
            ws,
            [
                row["code"],
                row["period"],
                number(row["value"]),
                number(row["numerator"]),
                number(row["denominator"]),
                text(row["figure"]),
                text(row["note"]),
            ],
            [None, None, value_fmt, "0", "0"],
        )
    _finish(ws, (12, 13, 9, 12, 12, 8, 50))


def _benchmarks_sheet(wb: Workbook, benchmarks: list[Row]) -> None:
    ws = wb.create_sheet("Benchmarks")
    ws.append(list(BENCHMARK_COLUMNS))
    for row in benchmarks:
        ws.append(
            [
                number(row[name]) if name == "value" else text(row[name])
                for name in BENCHMARK_COLUMNS
            ]
        )
    _finish(ws, (12, 22, 9, 9, 12))


def _context_sheet(wb: Workbook, context: list[Row]) -> None:
    ws = wb.create_sheet("Context")
    ws.append(list(CONTEXT_COLUMNS))
    for row in context:
        value: Cell = row["value"]
        if re.fullmatch(r"-?\d+(\.\d+)?", row["value"].strip()):
            value = number(row["value"])
        ws.append([row["key"], value, text(row["year"])])
    _finish(ws, (18, 64, 10))


def _normalise(path: Path) -> None:
    """Make the saved file byte-for-byte reproducible.

    openpyxl stamps ``modified`` with the time of saving and zip entries carry
    the current time; both are replaced with :data:`FIXED_TIME`.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)


def _check_codes(codes: list[str], tables: dict[str, list[Row]]) -> None:
    """Every figure belongs to an indicator, and no indicator is listed twice."""
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        msg = f"indicators.csv lists {', '.join(twice)} more than once"
        raise ValueError(msg)
    for name, rows in tables.items():
        unknown = sorted({row["code"] for row in rows} - set(codes))
        if unknown:
            msg = (
                f"{name} has figures for {', '.join(unknown)}, which indicators.csv does not define"
            )
            raise ValueError(msg)


def build(out: Path, layout: Literal["wide", "long"] = "wide", source: Path = SOURCE) -> Path:
    """Write the example workbook to ``out`` and return its path.

    ``layout="wide"`` gives one ``Monthly`` row per indicator and part
    (value, numerator, denominator) with a real-date column per month;
    ``layout="long"`` gives one ``Monthly`` row per indicator and month.
    """
    if layout not in ("wide", "long"):
        msg = f"layout must be 'wide' or 'long', not {layout!r}"
        raise ValueError(msg)
    indicators = read_source("indicators.csv", source)
    monthly = read_source("monthly.csv", source)
    periods = read_source("periods.csv", source)
    benchmarks = read_source("benchmarks.csv", source)
    codes = [row["code"] for row in indicators]
    _check_codes(
        codes, {"monthly.csv": monthly, "periods.csv": periods, "benchmarks.csv": benchmarks}
    )
    fmt = {row["code"]: number_format(number(row["decimals"])) for row in indicators}

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "csckpi examples/build_example.py"
    wb.properties.title = "Darlington children's social care performance, Q3 2020/21"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "csckpi"

    _indicators_sheet(wb, indicators)
    if layout == "wide":
        _monthly_wide(wb, codes, monthly, fmt)
    else:
        _monthly_long(wb, codes, monthly, fmt)
    _periods_sheet(wb, periods, fmt)
    _benchmarks_sheet(wb, benchmarks)
    _context_sheet(wb, read_source("context.csv", source))

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    _normalise(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Build the csckpi example workbook.")
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--layout", choices=("wide", "long"), default="wide")
    args = parser.parse_args(argv)
    print(build(args.out, args.layout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
