"""Every kind of broken workbook, and exactly what the user is told about it.

Each case builds its bad file, reads it and compares what csckpi says with the expected
text below. The same table is docs/bad-input.md: ``CSCKPI_UPDATE_GOLDEN=1 pytest
tests/test_bad_input.py`` rewrites it, and a test fails while the file is stale.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_output_safety import HOSTILE, SAFE_OUTPUTS
from workbook_factory import DEC, NOV, OCT, base, rezip, write, zip_bytes

from csckpi.errors import WorkbookError
from csckpi.model import Comparator, Measure, Polarity, Unit, allowed
from csckpi.workbook import read

DOC = Path(__file__).resolve().parent.parent / "docs" / "bad-input.md"
BOOK = Path("book.xlsx")  # relative: messages name the file as the user typed it
#: The base workbook encrypted with the password "csckpi" as Excel does (agile encryption,
#: written with msoffcrypto-tool 6.1: ``OOXMLFile(plain).encrypt("csckpi", out)``).
PROTECTED = Path(__file__).resolve().parent / "fixtures" / "password-protected.xlsx"


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    build: Callable[[], Path]  # runs in a temporary folder; returns the path to read


def outcome(path: Path) -> tuple[str, ...]:
    """What the user sees: the one-line refusal, or every problem with its Sheet!Cell."""
    try:
        result = read(path)
    except WorkbookError as exc:
        return (f"csckpi: {exc}",)
    lines = [f"{p.severity.value}: {p}" for p in result.problems]
    if result.dataset is not None:
        lines.append(
            f"read: {len(result.dataset.indicators)} indicators, "
            f"{result.dataset.monthly.height} monthly figures"
        )
    lines += [f"note: {note}" for note in result.notes]
    lines += [f"ignored: {item}" for item in result.ignored]
    return tuple(lines)


# -- builders ---------------------------------------------------------------------------------
def with_cells(changes: dict[tuple[str, int, int], object], **kwargs: object) -> Callable[[], Path]:
    """The base workbook with some cells changed: {(sheet, row, column): value} (1-based)."""

    def build() -> Path:
        sheets = base()
        for (title, row, column), value in changes.items():
            rows = sheets[title]
            while len(rows) < row:
                rows.append([])
            cells = rows[row - 1]
            while len(cells) < column:
                cells.append(None)
            cells[column - 1] = value
        return write(BOOK, sheets, **kwargs)  # type: ignore[arg-type]

    return build


def file_with(data: bytes, name: str = "book.xlsx") -> Callable[[], Path]:
    def build() -> Path:
        path = Path(name)
        path.write_bytes(data)
        return path

    return build


def valid_bytes() -> bytes:
    write(Path("valid.xlsx"), base())
    return Path("valid.xlsx").read_bytes()


def truncated() -> Path:
    data = valid_bytes()
    BOOK.write_bytes(data[: len(data) // 2])
    return BOOK


def corrupt_member() -> Path:
    """A complete zip whose worksheet's compressed bytes are damaged."""
    data = bytearray(valid_bytes())
    with zipfile.ZipFile(Path("valid.xlsx")) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    BOOK.write_bytes(bytes(data))
    return BOOK


def directory() -> Path:
    Path("folder.xlsx").mkdir()
    return Path("folder.xlsx")


def ole(*streams: str) -> bytes:
    """The start of an OLE2 compound file (what .xls and encrypted .xlsx files are)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = b"".join(name.encode("utf-16-le") + bytes(64 - 2 * len(name)) for name in streams)
    return header + names + bytes(512)


def xlsm() -> Path:
    write(Path("plain.xlsx"), base())
    with zipfile.ZipFile("plain.xlsx") as archive:
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        b"<Default ",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        b'vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    return rezip(
        Path("plain.xlsx"),
        Path("book.xlsm"),
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/vbaProject.bin": ole("VBA", "PROJECT", "dir"),
        },
    )


def zip_bomb() -> Path:
    """A worksheet part that inflates 1,000 times to 300 MiB (built without holding it)."""
    write(Path("plain.xlsx"), base())
    rezip(Path("plain.xlsx"), BOOK, {})
    with (
        zipfile.ZipFile(BOOK, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/padding.xml", "w", force_zip64=True) as member,
    ):
        block = b" " * (1 << 20)
        for _ in range(300):
            member.write(block)
    return BOOK


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def entity_bomb(member: str) -> Callable[[], Path]:
    def build() -> Path:
        write(Path("plain.xlsx"), base())
        with zipfile.ZipFile("plain.xlsx") as archive:
            xml = archive.read(member)
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        body = body.replace(b"<c ", b"<c ", 1)
        if member.endswith("sheet2.xml"):
            body = body.replace(b"<v>280</v>", b"<v>&lol9;</v>", 1)
        return rezip(Path("plain.xlsx"), BOOK, {member: BOMB + body})

    return build


def million_cells() -> Path:
    """A sheet csckpi does not read with 100,000 rows of 10 filled cells (and no dimension)."""
    sheets = base()
    sheets["Case list"] = [["id"]]
    write(Path("small.xlsx"), sheets)
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 100_001)
    )
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    return rezip(Path("small.xlsx"), BOOK, {"xl/worksheets/sheet3.xml": xml})


def missing_sheet(title: str) -> Callable[[], Path]:
    def build() -> Path:
        sheets = base()
        sheets[f"{title} (old)"] = sheets.pop(title)
        return write(BOOK, sheets)

    return build


def report_sheets() -> Path:
    """A workbook whose sheets are a report's, not the layout's (`csckpi report -o q3.xlsx`)."""
    return write(BOOK, {"Overview": [["Code", "Indicator"]], "Summary": [["Referrals"]]})


def without_column(title: str, name: str) -> Callable[[], Path]:
    def build() -> Path:
        sheets = base()
        column = sheets[title][0].index(name)
        for row in sheets[title]:
            del row[column]
        return write(BOOK, sheets)

    return build


def long_layout(extra: list[list[object]]) -> Callable[[], Path]:
    def build() -> Path:
        sheets = base()
        rows: list[list[object]] = [["code", "month", "value"]]
        for code, part, *values in sheets["Monthly"][1:]:
            if part == "value":
                rows += [[code, month, v] for month, v in zip((OCT, NOV, DEC), values, strict=True)]
        sheets["Monthly"] = rows + extra
        return write(BOOK, sheets)

    return build


def empty_rows_after() -> Path:
    sheets = base()
    write(BOOK, sheets)
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    wb = load_workbook(BOOK)
    ws = wb["Monthly"]
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(7, 5007):
        for column in range(1, 6):
            cell = ws.cell(row, column)
            cell.fill = fill
            cell.number_format = "0.0%"
    wb.save(BOOK)
    return BOOK


def fractions() -> Path:
    sheets = base()
    sheets["Monthly"][1][2:] = [0.841, 0.849, 0.852]
    return write(BOOK, sheets)


def percent_formatted() -> Path:
    sheets = base()
    sheets["Monthly"][1][2:] = [0.841, 0.849, 0.852]
    formats = {("Monthly", ref): "0.0%" for ref in ("C2", "D2", "E2")}
    return write(BOOK, sheets, formats=formats)


def extra_sheet_and_columns() -> Path:
    sheets = base()
    sheets["Notes"] = [["Figures are provisional"]]
    sheets["Indicators"][0].append("owner")
    sheets["Indicators"][1].append("J. Smith")
    return write(BOOK, sheets)


def title_rows() -> Path:
    sheets = base()
    sheets["Monthly"] = [["Darlington monthly figures"], [], *sheets["Monthly"]]
    return write(BOOK, sheets)


def text_month_headers() -> Path:
    sheets = base()
    sheets["Monthly"][0][2:] = ["Oct-20", "November 2020", "2020-12"]
    return write(BOOK, sheets)


#: Six months, Jul-20 to Dec-20, in columns C to H: enough for a figure to stand out from
#: its row (the base workbook's three are too few to judge one against the others).
JUL, AUG, SEP = dt.datetime(2020, 7, 1), dt.datetime(2020, 8, 1), dt.datetime(2020, 9, 1)


def six_months(
    changes: dict[tuple[int, int], object] | None = None, drop: int | None = None
) -> Callable[[], Path]:
    """The base indicators over Jul-20 to Dec-20, with some Monthly cells changed
    ({(row, column): value}, 1-based) and optionally one column deleted afterwards."""

    def build() -> Path:
        sheets = base()
        sheets["Monthly"] = [
            ["code", "part", JUL, AUG, SEP, OCT, NOV, DEC],
            ["CSC 038", "value", 81.6, 80.4, 81.5, 84.1, 84.9, 85.2],
            ["CSC 201", "value", 303, 302, 292, 280, 282, 284],
            ["CSC 022", "value", 70, 72, 75, 70, 75, 80],
            ["CSC 022", "numerator", 7, 18, 30, 7, 30, 40],
            ["CSC 022", "denominator", 10, 25, 40, 10, 40, 50],
        ]
        for (row, column), value in (changes or {}).items():
            sheets["Monthly"][row - 1][column - 1] = value
        if drop is not None:
            for cells in sheets["Monthly"]:
                del cells[drop - 1]
        return write(BOOK, sheets)

    return build


def pooled_periods() -> Path:
    """A ratio (CSC 022) over Apr-20 to Dec-20 and its reported figures: one for the year still
    running (at Dec-20) that its months cannot pool to, a quarter outside its months and one
    inside; a cumulative indicator's (CSC 038), not pooled, is not checked."""
    sheets = base()
    april = [dt.datetime(2020, month, 1) for month in range(4, 13)]
    sheets["Monthly"] = [
        ["code", "part", *april],
        ["CSC 022", "value", 80, 100, 100, 100, 100, 85.7, 87.5, 100, 100],
        ["CSC 038", "value", 71.7, 62.8, 75.4, 77.8, 81.6, 80.4, 81.5, 83.7, 85.2],
    ]
    sheets["Periods"] = [
        ["code", "period", "value"],
        ["CSC 022", "2020/21", 100],
        ["CSC 022", "Q3 2020/21", 80],
        ["CSC 022", "Q2 2020/21", 95],
        ["CSC 038", "2020/21", 99],
    ]
    return write(BOOK, sheets)


def rates_and_population() -> Path:
    """A rate per 10,000 (CSC 200) beside its count (CSC 201), as the example has them from
    Jul-20, with Dec-20's count typed over (284 -> 286), and the example's 0-17 population
    (22,450), not the one its other months' rates were worked out from (22,453 to 22,461)."""
    sheets = base()
    sheets["Indicators"].append(
        ["CSC 200", "Children in care per 10,000", "Children in care", "rate", "none", "snapshot"]
    )
    july = [dt.datetime(2020, month, 1) for month in range(7, 13)]
    sheets["Monthly"] = [
        ["code", "part", *july],
        ["CSC 201", "value", 302, 303, 302, 292, 287, 286],
        ["CSC 200", "value", 134.5, 134.9, 134.5, 130.0, 127.8, 126.5],
    ]
    sheets["Context"] = [
        ["key", "value", "year"],
        ["council", "Darlington", None],
        ["population_0_17", 22450, "2020/21"],
    ]
    return write(BOOK, sheets)


def other_sheets(
    periods: list[list[object]], benchmarks: list[list[object]], context: list[list[object]]
) -> Callable[[], Path]:
    """The base workbook with Periods, Benchmarks and Context rows (headers added)."""

    def build() -> Path:
        sheets = base()
        sheets["Periods"] = [["code", "period", "value", "figure"], *periods]
        sheets["Benchmarks"] = [["code", "comparator", "value", "source", "year"], *benchmarks]
        sheets["Context"] = [["key", "value", "year"], *context]
        return write(BOOK, sheets)

    return build


def commentary(rows: list[list[object]]) -> Callable[[], Path]:
    """The base workbook with Commentary rows (header added)."""

    def build() -> Path:
        sheets = base()
        sheets["Commentary"] = [["code", "period", "text", "carry", "author"], *rows]
        return write(BOOK, sheets)

    return build


def labels(given: list[object]) -> Callable[[], Path]:
    """The base workbook with a `label` column on Indicators, one value per indicator."""

    def build() -> Path:
        sheets = base()
        sheets["Indicators"][0].append("label")
        for row, label in zip(sheets["Indicators"][1:], given, strict=True):
            row.append(label)
        return write(BOOK, sheets)

    return build


def targets_and_benchmarks(
    targets: list[list[object]],
    benchmarks: list[list[object]],
    benchmark_header: tuple[str, ...] = ("code", "comparator", "value", "year", "release"),
) -> Callable[[], Path]:
    """The base workbook with Targets and Benchmarks rows (headers added)."""

    def build() -> Path:
        sheets = base()
        if targets:
            sheets["Targets"] = [["code", "year", "target", "tolerance", "per"], *targets]
        if benchmarks:
            sheets["Benchmarks"] = [list(benchmark_header), *benchmarks]
        return write(BOOK, sheets)

    return build


CASES: tuple[Case, ...] = (
    # -- not a workbook ----------------------------------------------------------------------
    Case("Not a workbook", "a missing path", lambda: Path("nowhere.xlsx")),
    Case("Not a workbook", "a directory", directory),
    Case("Not a workbook", "an empty file", file_with(b"")),
    Case(
        "Not a workbook",
        "a CSV file named .xlsx",
        file_with(b"code,month,value\nCSC 038,2020-12,85.2\n"),
    ),
    Case("Not a workbook", "a text file named .xlsx", file_with(b"Figures for December\n")),
    Case("Not a workbook", "a truncated zip (half a download)", truncated),
    Case("Not a workbook", "a zip with a damaged part", corrupt_member),
    Case(
        "Not a workbook",
        "an old Excel 97-2003 .xls",
        file_with(ole("Workbook", "SummaryInformation"), "book.xls"),
    ),
    Case(
        "Not a workbook",
        "a password-protected workbook",
        file_with(ole("EncryptionInfo", "EncryptedPackage")),
    ),
    Case(
        "Not a workbook",
        "a password-protected workbook (a real one, ECMA-376 agile encryption)",
        file_with(PROTECTED.read_bytes()),
    ),
    Case(
        "Not a workbook",
        "a zip that is not a workbook (a Word file)",
        file_with(zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})),
    ),
    Case(
        "Not a workbook",
        "an OpenDocument spreadsheet",
        file_with(
            zip_bytes(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                }
            ),
            "book.ods",
        ),
    ),
    Case("Not a workbook", "an .xlsm with macros: the data is read, the macros ignored", xlsm),
    # -- hostile files ------------------------------------------------------------------------
    Case("Hostile files", "a zip bomb", zip_bomb),
    Case(
        "Hostile files",
        "an XML entity bomb (the workbook part)",
        entity_bomb("xl/workbook.xml"),
    ),
    Case(
        "Hostile files",
        "an XML entity bomb (a worksheet)",
        entity_bomb("xl/worksheets/sheet2.xml"),
    ),
    Case(
        "Hostile files",
        "a million filled cells in an unrelated sheet (never parsed)",
        million_cells,
    ),
    # -- structure ----------------------------------------------------------------------------
    Case("Structure", "no Monthly sheet", missing_sheet("Monthly")),
    Case("Structure", "no Indicators sheet", missing_sheet("Indicators")),
    Case("Structure", "none of its sheets (a report's .xlsx)", report_sheets),
    Case("Structure", "a required column missing", without_column("Indicators", "unit")),
    Case(
        "Structure",
        "an unknown unit, polarity and measure",
        with_cells(
            {
                ("Indicators", 2, 4): "percentage points",
                ("Indicators", 3, 5): "better",
                ("Indicators", 4, 6): "average",
            }
        ),
    ),
    Case(
        "Structure",
        "the same code twice in Indicators",
        with_cells(
            {
                ("Indicators", 5, 1): "csc038",
                ("Indicators", 5, 2): "Assessments again",
                ("Indicators", 5, 4): "percent",
                ("Indicators", 5, 5): "up",
                ("Indicators", 5, 6): "ratio",
            }
        ),
    ),
    Case(
        "Structure",
        "a code in Monthly that Indicators does not define",
        with_cells(
            {("Monthly", 4, 1): "CSC 22", ("Monthly", 5, 1): "CSC 22", ("Monthly", 6, 1): "CSC 22"}
        ),
    ),
    Case(
        "Structure",
        "the same month twice (wide: two columns)",
        with_cells({("Monthly", 1, 6): dt.datetime(2020, 12, 31), ("Monthly", 2, 6): 85.3}),
    ),
    Case(
        "Structure",
        "the same month twice (long: two rows)",
        long_layout([["CSC 038", "Dec-20", 85.3]]),
    ),
    Case(
        "Structure",
        "a month header that is no month",
        with_cells({("Monthly", 1, 4): "Novmber 2020"}),
    ),
    Case(
        "Structure",
        "a whole-year column among the months",
        with_cells({("Monthly", 1, 6): "2019/20", ("Monthly", 2, 6): 80.1}),
    ),
    Case("Structure", "an unknown part", with_cells({("Monthly", 5, 2): "top"})),
    Case(
        "Structure",
        "merged header cells",
        with_cells({("Monthly", 2, 6): 85.3}, merged={"Monthly": ["E1:F1"]}),
    ),
    Case(
        "Structure",
        "hidden rows and columns are read",
        with_cells({}, hidden_rows={"Monthly": [3, 4]}, hidden_columns={"Monthly": ["D"]}),
    ),
    Case("Structure", "thousands of empty formatted rows after the data", empty_rows_after),
    Case("Structure", "title rows above the header", title_rows),
    Case("Structure", "extra sheets and columns are ignored", extra_sheet_and_columns),
    Case("Structure", "month headers written as text", text_month_headers),
    Case(
        "Structure",
        "a month header with a slipped year (Sep-21 between Aug-20 and Oct-20)",
        six_months({(1, 5): "Sep-21"}),
    ),
    Case(
        "Structure",
        "a month header a year beyond the others (Dec-21 after Nov-20)",
        six_months({(1, 8): "Dec-21"}),
    ),
    Case(
        "Structure",
        "a month header years before the others (Jul-10 before Aug-20)",
        six_months({(1, 3): "Jul-10"}),
    ),
    Case("Structure", "a month column deleted (Sep-20)", six_months(drop=5)),
    Case(
        "Structure",
        "a ratio's period figures its months cannot pool to",
        pooled_periods,
    ),
    Case(
        "Structure",
        "a rate per 10,000 that does not go with its count or the population",
        rates_and_population,
    ),
    Case(
        "Structure",
        "a period that is no period, the same period twice, an unknown figure",
        other_sheets(
            [
                ["CSC 038", "2019/20", 88.7],
                ["CSC 038", "2019-20", 88.7],
                ["CSC 038", "Q5 2020/21", 80],
                ["CSC 201", "2020/22", 280],
                ["CSC 201", "Q3 2020/21", 13, "total"],
            ],
            [],
            [],
        ),
    ),
    Case(
        "Structure",
        "an unknown comparator",
        other_sheets([], [["CSC 038", "county average", 88.1, "LAIT 2020", 2020]], []),
    ),
    Case(
        "Structure",
        "labels: one too long, two the same",
        labels(
            [
                "assessments completed within 45 working days of the start of the assessment",
                "Children in care",
                "children  in care",
            ]
        ),
    ),
    Case(
        "Structure",
        "targets: no financial year, a year twice, an unknown per, over 100, no target",
        targets_and_benchmarks(
            [
                ["CSC 038", "2020", 90, None, None],
                ["CSC 038", "2019/20", 85, 5, "year"],
                ["CSC 038", "2019-20", 88, None, None],
                ["CSC 201", "2020/21", 280, None, "weekly"],
                ["CSC 022", "2020/21", 120, -1, "month"],
                ["CSC 022", "2018/19", None, 2, None],
            ],
            [],
        ),
    ),
    Case(
        "Structure",
        "benchmarks: a year that is no year, a row with no year",
        targets_and_benchmarks(
            [],
            [
                ["CSC 038", "england", 83.8, "2019/20", "LAIT 2020"],
                ["CSC 038", "region", 88.8, "LAIT", "LAIT 2020"],
                ["CSC 038", "statistical neighbours", 87.7, None, "LAIT 2020"],
            ],
        ),
    ),
    Case(
        "Structure",
        "benchmarks with no year column",
        targets_and_benchmarks(
            [],
            [["CSC 038", "england", 83.8, "LAIT 2020"], ["CSC 038", "region", 88.8, "LAIT 2020"]],
            ("code", "comparator", "value", "source"),
        ),
    ),
    Case(
        "Structure",
        "control limits: a baseline that is no range or under 12 months, a new process that "
        "is no month, a baseline past a new process",
        with_cells(
            {
                ("Indicators", 1, 8): "baseline",
                ("Indicators", 1, 9): "new process from",
                ("Indicators", 2, 8): "Apr-19..Sep-19",
                ("Indicators", 3, 8): "spring 2019",
                ("Indicators", 3, 9): "next spring",
                ("Indicators", 4, 8): "Apr-19..Mar-21",
                ("Indicators", 4, 9): "Oct-20",
            }
        ),
    ),
    Case(
        "Structure",
        "control limits: a baseline outside the months, a new process after them",
        with_cells(
            {
                ("Indicators", 1, 8): "baseline",
                ("Indicators", 1, 9): "new process from",
                ("Indicators", 2, 8): "Apr-15..Mar-16",
                ("Indicators", 3, 9): "Apr-25",
            }
        ),
    ),
    Case(
        "Structure",
        "a population that is not a number, or has no year",
        other_sheets(
            [], [], [["population_0_17", "about 22k", "2020/21"], ["population_0_17", 22450, None]]
        ),
    ),
    Case(
        "Structure",
        "commentary: no period, a carry that is not yes or no, a pair twice, an unknown code",
        commentary(
            [
                ["CSC 038", "Q3 2020/21", "Two social workers left.", "yes", "A. Analyst"],
                ["CSC 038", "Q5 2020/21", "A quarter that is none."],
                ["CSC 201", "Dec-20", "Four came into care together.", "perhaps"],
                ["csc038", "Q3 20/21", "The same quarter again."],
                ["CSC 99", "Dec-20", "No such indicator."],
                ["CSC 022", "Dec-20", "", "yes"],
                ["CSC 022", "Nov-20", "x" * 4001],
            ]
        ),
    ),
    # -- cells --------------------------------------------------------------------------------
    Case(
        "Cells",
        'text in number cells: "n/a", "-", "*"',
        with_cells({("Monthly", 2, 3): "n/a", ("Monthly", 3, 3): "-", ("Monthly", 4, 3): "*"}),
    ),
    Case("Cells", 'text in number cells: "TBC"', with_cells({("Monthly", 2, 5): "TBC"})),
    Case(
        "Cells",
        'numbers written as text: "85.2%", "1,002", " 12 "',
        with_cells(
            {("Monthly", 2, 5): "85.2%", ("Monthly", 3, 5): "1,002", ("Monthly", 3, 4): " 12 "}
        ),
    ),
    Case(
        "Cells",
        "Excel errors: #DIV/0!, #N/A",
        with_cells({("Monthly", 2, 5): "#DIV/0!", ("Monthly", 4, 5): "#N/A"}),
    ),
    Case(
        "Cells",
        "formulas without saved results",
        with_cells({("Monthly", 3, 5): "=D3+2", ("Monthly", 4, 5): "=E5/E6*100"}),
    ),
    Case("Cells", "a numerator larger than its denominator", with_cells({("Monthly", 5, 5): 60})),
    Case(
        "Cells",
        "a percentage that is not its numerator over its denominator",
        with_cells({("Monthly", 4, 5): 60}),
    ),
    Case(
        "Cells",
        "a percentage rounded from its parts either way (41 / 80 = 51.25 written 51.2)",
        with_cells({("Monthly", 4, 5): 51.2, ("Monthly", 5, 5): 41, ("Monthly", 6, 5): 80}),
    ),
    Case("Cells", "a negative count", with_cells({("Monthly", 3, 5): -284})),
    Case("Cells", "a percentage over 100", with_cells({("Monthly", 2, 5): 852})),
    Case(
        "Cells",
        "a percentage typed as 85.2 into a percent-formatted cell",
        with_cells({("Monthly", 2, 5): 85.2}, formats={("Monthly", "E2"): "0.0%"}),
    ),
    Case("Cells", "a percent indicator written as fractions", fractions),
    Case(
        "Cells",
        "a percentage typed as a fraction among percentages (0.849 for 84.9)",
        six_months({(2, 7): 0.849}),
    ),
    Case(
        "Cells",
        "a fraction among percentages, with its numerator and denominator",
        six_months({(4, 7): 0.75}),
    ),
    Case(
        "Cells",
        "a percentage among fractions (84.9 among 0.816 … 0.852)",
        six_months({(2, 3): 0.816, (2, 4): 0.804, (2, 5): 0.815, (2, 6): 0.841, (2, 8): 0.852}),
    ),
    Case("Cells", "percent-formatted fractions are read as percentages", percent_formatted),
    Case(
        "Cells",
        "a date in a number cell",
        with_cells({("Monthly", 3, 5): dt.datetime(2020, 12, 31)}),
    ),
)


#: What the user sees for each case: reviewed by hand, kept in step with docs/bad-input.md.
#: Lists of allowed values come from the model, so adding a unit or measure changes them.
EXPECTED: dict[str, tuple[str, ...]] = {
    "a missing path": ("csckpi: nowhere.xlsx does not exist. Check the file name and folder.",),
    "a directory": (
        "csckpi: folder.xlsx is a folder, not a workbook. Give the path of an .xlsx file.",
    ),
    "an empty file": (
        (
            "csckpi: book.xlsx is empty (0 bytes). Open it in Excel and save it again as an Excel "
            "Workbook (.xlsx)."
        ),
    ),
    "a CSV file named .xlsx": (
        (
            "csckpi: book.xlsx is a CSV file, not an Excel workbook. Open it in Excel and save it "
            "as .xlsx (Excel Workbook)."
        ),
    ),
    "a text file named .xlsx": (
        (
            "csckpi: book.xlsx is text, not an Excel workbook. Open it in Excel and save it as "
            ".xlsx (Excel Workbook)."
        ),
    ),
    "a truncated zip (half a download)": (
        (
            "csckpi: book.xlsx is damaged: it is not a complete .xlsx file. Save it from Excel "
            "again, or copy it again if it was downloaded or emailed."
        ),
    ),
    "a zip with a damaged part": (
        (
            "csckpi: book.xlsx is damaged: it is not a complete .xlsx file. Save it from Excel "
            "again, or copy it again if it was downloaded or emailed."
        ),
    ),
    "an old Excel 97-2003 .xls": (
        (
            "csckpi: book.xls is an old Excel 97-2003 (.xls) file. Open it in Excel and save it as "
            ".xlsx (Excel Workbook)."
        ),
    ),
    "a password-protected workbook": (
        (
            "csckpi: book.xlsx is protected with a password. Open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and save it."
        ),
    ),
    "a password-protected workbook (a real one, ECMA-376 agile encryption)": (
        (
            "csckpi: book.xlsx is protected with a password. Open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and save it."
        ),
    ),
    "a zip that is not a workbook (a Word file)": (
        "csckpi: book.xlsx is a zip file but not an Excel workbook. Give the .xlsx file itself.",
    ),
    "an OpenDocument spreadsheet": (
        (
            "csckpi: book.ods is an OpenDocument spreadsheet (.ods). Open it and save it as .xlsx "
            "(Excel Workbook)."
        ),
    ),
    "an .xlsm with macros: the data is read, the macros ignored": (
        "read: 3 indicators, 15 monthly figures",
    ),
    "a zip bomb": (
        (
            "csckpi: book.xlsx is refused: its part xl/worksheets/padding.xml would expand 1,029 "
            "times to 300 MiB. A real workbook compresses far less; this looks like a zip bomb."
        ),
    ),
    "an XML entity bomb (the workbook part)": (
        (
            "csckpi: book.xlsx is refused: its XML declares entities or a DTD, which Excel never "
            "writes (a possible entity-expansion attack). Save it from Excel again."
        ),
    ),
    "an XML entity bomb (a worksheet)": (
        (
            "csckpi: book.xlsx is refused: its XML declares entities or a DTD, which Excel never "
            "writes (a possible entity-expansion attack). Save it from Excel again."
        ),
    ),
    "a million filled cells in an unrelated sheet (never parsed)": (
        "read: 3 indicators, 15 monthly figures",
        'ignored: sheet "Case list": not a sheet csckpi reads',
    ),
    "no Monthly sheet": (
        (
            'error: Monthly: the workbook has no Monthly sheet (its sheets: "Indicators" and '
            '"Monthly (old)"). Did you mean "Monthly (old)"?'
        ),
        'ignored: sheet "Monthly (old)": not a sheet csckpi reads',
    ),
    "no Indicators sheet": (
        (
            'error: Indicators: the workbook has no Indicators sheet (its sheets: "Monthly" and '
            '"Indicators (old)"). Did you mean "Indicators (old)"?'
        ),
        'ignored: sheet "Indicators (old)": not a sheet csckpi reads',
    ),
    "none of its sheets (a report's .xlsx)": (
        (
            'error: Indicators: the workbook has no Indicators sheet (its sheets: "Overview" and '
            '"Summary"). It is not a performance workbook: docs/workbook.md describes one, and '
            "csckpi template writes an empty one."
        ),
        "error: Monthly: the workbook has no Monthly sheet either.",
        'ignored: sheet "Overview": not a sheet csckpi reads',
        'ignored: sheet "Summary": not a sheet csckpi reads',
    ),
    "a required column missing": (
        (
            'error: Indicators: no "unit" column — the header row (row 1) needs code, title, unit, '
            "polarity and measure"
        ),
    ),
    "an unknown unit, polarity and measure": (
        f'error: Indicators!D2: "percentage points" is not a unit — write {allowed(Unit)}',
        (
            f'error: Indicators!E3: "better" is not a polarity — write {allowed(Polarity)} '
            '("higher is better" and "lower is better" work too)'
        ),
        f'error: Indicators!F4: "average" is not a measure — write {allowed(Measure)}',
    ),
    "the same code twice in Indicators": (
        (
            'error: Indicators!A5: "csc038" is the same indicator as "CSC 038" on row 2 — each '
            "code once"
        ),
    ),
    "a code in Monthly that Indicators does not define": (
        'error: Monthly!A4: "CSC 22" is not on the Indicators sheet. Did you mean "CSC 022"?',
        'error: Monthly!A5: "CSC 22" is not on the Indicators sheet. Did you mean "CSC 022"?',
        'error: Monthly!A6: "CSC 22" is not on the Indicators sheet. Did you mean "CSC 022"?',
    ),
    "the same month twice (wide: two columns)": (
        "error: Monthly!F1: Dec-20 is already the header of column E — each month once",
    ),
    "the same month twice (long: two rows)": (
        "error: Monthly!B11: Dec-20 for CSC 038 is already on row 4 — each month once",
    ),
    "a month header that is no month": (
        (
            'error: Monthly!D1: "Novmber 2020" is not a month — write it like Apr-20, April 2020 '
            "or 2020-04, or use a date"
        ),
    ),
    "a whole-year column among the months": (
        (
            'warning: Monthly!F1: "2019/20" is a period, not a month — column F ignored (put '
            "figures for whole periods on the Periods sheet)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "an unknown part": (
        (
            'error: Monthly!B5: "top" is not a part — write value, numerator or denominator (blank '
            "means value)"
        ),
    ),
    "merged header cells": (
        (
            "warning: Monthly!F1: column F has figures but no header — ignored (the header cell is "
            "merged with E1: unmerge it and give each column its own header)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "hidden rows and columns are read": (
        "read: 3 indicators, 15 monthly figures",
        "note: Monthly: rows 3–4 are hidden in Excel; their figures were read",
        "note: Monthly: column D is hidden in Excel; its figures were read",
    ),
    "thousands of empty formatted rows after the data": (
        "read: 3 indicators, 15 monthly figures",
        "note: Monthly: 5,000 empty rows skipped",
    ),
    "title rows above the header": (
        "read: 3 indicators, 15 monthly figures",
        "note: Monthly: the header is on row 3; rows above it were skipped as titles",
    ),
    "extra sheets and columns are ignored": (
        "read: 3 indicators, 15 monthly figures",
        'ignored: sheet "Notes": not a sheet csckpi reads',
        'ignored: column "owner" on Indicators (H): not a column csckpi reads',
    ),
    "month headers written as text": ("read: 3 indicators, 15 monthly figures",),
    "a month header with a slipped year (Sep-21 between Aug-20 and Oct-20)": (
        (
            "error: Monthly!E1: Sep-21 comes between Aug-20 and Oct-20, but the months here "
            "run from the earliest to the latest: did you mean Sep-20?"
        ),
    ),
    "a month header a year beyond the others (Dec-21 after Nov-20)": (
        (
            "error: Monthly!H1: Dec-21 is 13 months after Nov-20, the latest of the other "
            "months: did you mean Dec-20?"
        ),
    ),
    "a month header years before the others (Jul-10 before Aug-20)": (
        (
            "warning: Monthly!C1: Jul-10 is about 10 years before Aug-20, the earliest of the "
            "other months — check the header's year (its figures are read as July 2010's)"
        ),
        "read: 3 indicators, 30 monthly figures",
    ),
    "a month column deleted (Sep-20)": (
        (
            "warning: Monthly!E1: no column for Sep-20, between Aug-20 (D1) and Oct-20 (E1) — "
            "quarters and years to date would be worked out without it: put the column back "
            "(blank if it has no figures yet)"
        ),
        "read: 3 indicators, 25 monthly figures",
    ),
    "a ratio's period figures its months cannot pool to": (
        (
            "warning: Periods!C2: 100.0% for CSC 022 in 2020/21 is at the edge of its months "
            "(Apr-20 to Dec-20: 80.0% to 100.0%): pooled from them it comes to 100.0% only if "
            "Apr-20 (80.0%) held under 1% of the cases; it is Dec-20's own figure, not the year "
            "so far — check it"
        ),
        (
            "warning: Periods!C3: 80.0% for CSC 022 in Q3 2020/21 lies outside its months "
            "(Oct-20 to Dec-20: 87.5% to 100.0%), so it is not pooled from them — check it"
        ),
        "read: 3 indicators, 18 monthly figures",
    ),
    "a rate per 10,000 that does not go with its count or the population": (
        (
            "warning: Context!B3: the rates per 10,000 on Monthly for 2020/21 were worked out "
            "from a population of 22,453 to 22,461, not 22,450: worked out again from 22,450, "
            "CSC 200's Oct-20 is 130.1 where Monthly!F3 says 130.0 — give the population the "
            "rates came from"
        ),
        (
            "warning: Monthly!H3: CSC 200's Dec-20 rate, 126.5 per 10,000, does not go with "
            "CSC 201's Dec-20 count, 286 (Monthly!H2): in CSC 200's other months of 2020/21, "
            "CSC 201's counts give its rates from a population of 22,453 to 22,461, by which "
            "286 would be 127.3 to 127.4 per 10,000 and 126.5 would be 284 — check both figures"
        ),
        "read: 4 indicators, 12 monthly figures",
    ),
    "a period that is no period, the same period twice, an unknown figure": (
        "error: Periods!B3: 2019/20 for CSC 038 is already on row 2 — each period once",
        (
            'error: Periods!B4: "Q5 2020/21" is not a period — write a financial year (2019/20), a '
            "year to date (2020/21 YTD), a quarter of the financial year (Q3 2020/21) or a month "
            "(Dec-20)"
        ),
        (
            'error: Periods!B5: "2020/22" is not a period — write a financial year (2019/20), a '
            "year to date (2020/21 YTD), a quarter of the financial year (Q3 2020/21) or a month "
            "(Dec-20)"
        ),
        (
            'error: Periods!D6: "total" is not a figure — write flow (a cumulative indicator\'s '
            "count for the period alone) or leave it blank"
        ),
    ),
    "an unknown comparator": (
        (
            f'error: Benchmarks!B2: "county average" is not a comparator — write '
            f'{allowed(Comparator)} ("national", "stat neighbours" and "regional average" work '
            "too)"
        ),
    ),
    "labels: one too long, two the same": (
        (
            "warning: Indicators!H2: the label of CSC 038 is 75 characters — a label is a short "
            "name (up to 40); the title says the rest"
        ),
        (
            'warning: Indicators!H4: CSC 022 has the label "children in care", as CSC 201 on row '
            "3 — key messages could not tell them apart; give each its own"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "targets: no financial year, a year twice, an unknown per, over 100, no target": (
        (
            'error: Targets!B2: "2020" is not a financial year for CSC 038\'s target — write the '
            "financial year it is for, e.g. 2020/21"
        ),
        (
            "error: Targets!B4: CSC 038's target for 2019/20 is already on row 3 — one target "
            "per indicator and year"
        ),
        (
            'error: Targets!E5: "weekly" is not a length of period — write month, quarter, year, '
            "ytd or snapshot (what the target is a target for), or leave it blank"
        ),
        "error: Targets!C6: target 120 for CSC 022 2020/21 is not a percentage (0 to 100)",
        (
            "error: Targets!D6: tolerance -1 is negative — give the width of the amber band, 0 "
            "or more"
        ),
        (
            "error: Targets!C7: CSC 022 2018/19 has no target — give the target as a number in "
            "the indicator's unit, or delete the row"
        ),
    ),
    "benchmarks: a year that is no year, a row with no year": (
        (
            'warning: Benchmarks!D3: "LAIT" is not a year, so CSC 038 region is not read: csckpi '
            "cannot tell which periods it may be compared with — write the financial year its "
            "figure describes, e.g. 2019/20 (or as at 31 March 2020 for a position)"
        ),
        (
            "warning: Benchmarks!D4: CSC 038 statistical neighbours has no year, so it is not "
            "read: csckpi cannot tell which periods it may be compared with — write the "
            "financial year its figure describes, e.g. 2019/20 (or as at 31 March 2020 for a "
            "position)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "benchmarks with no year column": (
        (
            "warning: Benchmarks!1: the sheet has no year column: csckpi cannot tell which year "
            "its 2 benchmarks describe, so they are not read — add a year column and write the "
            "financial year its figure describes, e.g. 2019/20 (or as at 31 March 2020 for a "
            "position)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "control limits: a baseline that is no range or under 12 months, a new process that is no "
    "month, a baseline past a new process": (
        "error: Indicators!H2: the baseline Apr-19..Sep-19 is 6 months; control limits need at "
        "least 12 — give 12 months or more, e.g. Apr-19..Mar-20",
        'error: Indicators!H3: "spring 2019" is not a range of months — write its first and last '
        "month with two dots, e.g. Apr-19..Mar-20",
        'error: Indicators!I3: "next spring" is not a month a new process starts from — write its '
        "first month, e.g. Apr-20 (several: Apr-20; Oct-21), or a month range for the new "
        "process's own baseline, e.g. Apr-20..Mar-21",
        "error: Indicators!H4: the baseline Apr-19..Mar-21 runs past the new process from Oct-20 "
        "— end it by Sep-20, or drop one of them",
    ),
    "control limits: a baseline outside the months, a new process after them": (
        "warning: Indicators!H2: the baseline Apr-15..Mar-16 has 0 months with a figure for "
        "CSC 038 in this workbook (its months: Oct-20 to Dec-20); control limits need 12 of "
        "them, so CSC 038 has none from this baseline unless the store holds the rest — check "
        "the years",
        "warning: Indicators!I3: the new process from Apr-25 starts after the last month with a "
        "figure for CSC 201 in this workbook (its months: Oct-20 to Dec-20), so it changes no "
        "limits yet — check the year",
        "read: 3 indicators, 15 monthly figures",
    ),
    "a population that is not a number, or has no year": (
        (
            'error: Context!B2: "about 22k" is not a population — write the number of children '
            "aged 0-17, e.g. 22450"
        ),
        (
            "error: Context!C3: population_0_17 has no year — write the year it applies to, e.g. "
            "2020/21"
        ),
    ),
    "commentary: no period, a carry that is not yes or no, a pair twice, an unknown code": (
        (
            'error: Commentary!B3: "Q5 2020/21" is not a period — write the period it is about: '
            "a month (Dec-20), a quarter (Q3 2020/21), a year to date (2020/21 YTD) or a "
            "financial year (2020/21)"
        ),
        (
            'error: Commentary!D4: "perhaps" is not yes or no — write yes to offer the comment '
            "again in the periods after, no (or leave it blank) to keep it to its period"
        ),
        (
            "error: Commentary!B5: CSC 038 Q3 2020/21 already has a comment on row 2 — one "
            "comment per indicator and period (join the two)"
        ),
        'error: Commentary!A6: "CSC 99" is not on the Indicators sheet.',
        ("error: Commentary!C8: the comment is 4,001 characters long; the most kept is 4,000"),
        "note: Commentary row 7: CSC 022 Dec-20 has no text yet — skipped",
    ),
    'text in number cells: "n/a", "-", "*"': (
        "read: 3 indicators, 12 monthly figures",
        'note: Monthly: 3 cells holding "n/a", "-", "*" or similar read as blank',
        'note: Monthly!C2: "n/a" read as blank',
        'note: Monthly!C3: "-" read as blank',
        'note: Monthly!C4: "*" read as blank',
    ),
    'text in number cells: "TBC"': (
        'warning: Monthly!E2: "TBC" is not a number — left blank',
        "read: 3 indicators, 14 monthly figures",
    ),
    'numbers written as text: "85.2%", "1,002", " 12 "': (
        'warning: Monthly!E2: "85.2%" is text — read as 85.2; enter it as a number',
        'warning: Monthly!D3: " 12 " is text — read as 12; enter it as a number',
        'warning: Monthly!E3: "1,002" is text — read as 1002; enter it as a number',
        "read: 3 indicators, 15 monthly figures",
    ),
    "Excel errors: #DIV/0!, #N/A": (
        "warning: Monthly!E2: #DIV/0! is an Excel error — left blank",
        "warning: Monthly!E4: #N/A is an Excel error — left blank",
        "read: 3 indicators, 13 monthly figures",
    ),
    "formulas without saved results": (
        (
            "error: Monthly!E3: the formula here has no saved result — open the workbook in Excel "
            "and save it so formulas get their values"
        ),
        (
            "error: Monthly!E4: the formula here has no saved result — open the workbook in Excel "
            "and save it so formulas get their values"
        ),
    ),
    "a numerator larger than its denominator": (
        "error: Monthly!E5: numerator 60 is larger than its denominator 50 (Monthly!E6)",
    ),
    "a percentage that is not its numerator over its denominator": (
        (
            "warning: Monthly!E4: 60.0% is not its numerator 40 (Monthly!E5) over its "
            "denominator 50 (Monthly!E6), which is 80.0% — correct whichever cell is wrong "
            "(csckpi reports the percentage as written, beside its parts)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "a percentage rounded from its parts either way (41 / 80 = 51.25 written 51.2)": (
        "read: 3 indicators, 15 monthly figures",
    ),
    "a negative count": ("error: Monthly!E3: -284 is negative — a count cannot be below 0",),
    "a percentage over 100": ("error: Monthly!E2: 852 is over 100 for a percentage (CSC 038)",),
    "a percentage typed as 85.2 into a percent-formatted cell": (
        (
            "error: Monthly!E2: 8520 is over 100 for a percentage (CSC 038) — the cell is "
            "formatted as a percentage, so 85.2 shows as 8520%: type 0.852 or format the cell as a "
            "number"
        ),
    ),
    "a percent indicator written as fractions": (
        (
            "warning: Monthly!C2: 0.841 looks like a fraction: format the cells as percentages or "
            "multiply by 100 (every CSC 038 figure here is 1 or less)"
        ),
        "read: 3 indicators, 15 monthly figures",
    ),
    "a percentage typed as a fraction among percentages (0.849 for 84.9)": (
        (
            "warning: Monthly!G2: 0.849 is about a hundredth of CSC 038's other months here "
            "(80.4 to 85.2, median 81.6): typed as a fraction? Type 84.9, or format the cell "
            "as a percentage"
        ),
        "read: 3 indicators, 30 monthly figures",
    ),
    "a fraction among percentages, with its numerator and denominator": (
        (
            "warning: Monthly!G4: 0.8% is not its numerator 30 (Monthly!G5) over its "
            "denominator 40 (Monthly!G6), which is 75.0% — correct whichever cell is wrong "
            "(csckpi reports the percentage as written, beside its parts)"
        ),
        (
            "warning: Monthly!G4: 0.75 is about a hundredth of CSC 022's other months here (70 "
            "to 80, median 72): typed as a fraction? Type 75, or format the cell as a "
            "percentage"
        ),
        "read: 3 indicators, 30 monthly figures",
    ),
    "a percentage among fractions (84.9 among 0.816 … 0.852)": (
        (
            "warning: Monthly!C2: 0.816 looks like a fraction: format the cells as percentages "
            "or multiply by 100 (every CSC 038 figure here but G2 is 1 or less)"
        ),
        (
            "warning: Monthly!G2: 84.9 is about 100 times CSC 038's other months here (0.804 "
            "to 0.852, median 0.816): typed as a percentage among fractions? Write the months "
            "alike: all as percentages (85.2), or all as fractions formatted as percentages"
        ),
        "read: 3 indicators, 30 monthly figures",
    ),
    "percent-formatted fractions are read as percentages": (
        "read: 3 indicators, 15 monthly figures",
    ),
    "a date in a number cell": (
        "warning: Monthly!E3: 2020-12-31 is a date, not a number — left blank",
        "read: 3 indicators, 14 monthly figures",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert outcome(case.build()) == EXPECTED[case.name]


def render() -> str:
    """docs/bad-input.md: every case and what the user sees, from the table above."""
    lines = [
        "# Bad input: every broken workbook and what csckpi says",
        "",
        "<!-- Generated from tests/test_bad_input.py: do not edit by hand. Regenerate with",
        "     CSCKPI_UPDATE_GOLDEN=1 python -m pytest tests/test_bad_input.py -->",
        "",
        "Each row is a test: it builds the bad file, reads it, and checks that csckpi says",
        "exactly this. `csckpi:` lines are files refused outright (nothing is read, exit code 1).",
        "Otherwise every problem in the file is listed at once, sorted by sheet and cell:",
        "`error` means nothing is stored (exit code 1); `warning` means the figures are stored",
        "and the analyst should fix the sheet (`--strict` makes warnings errors); `note` lines",
        "are shown with `--verbose`; `read` says what was read when nothing stopped it.",
        "",
        "The test workbook has three indicators (CSC 038 percent, CSC 201 count, CSC 022",
        "percent with numerator and denominator rows) and the months Oct-20 to Dec-20 in",
        "columns C to E of `Monthly`; each case changes one thing.",
        "",
        "Some warnings weigh figures against each other, allowing for their rounding: a ratio's",
        "quarter or year must lie between its months (pooled from them), and a rate per 10,000",
        "must go with its count and the Context population; [workbook.md](workbook.md) says how",
        "each is checked.",
    ]
    group = None
    for case in CASES:
        if case.group != group:
            group = case.group
            lines += ["", f"## {group}", "", "| Case | What csckpi says |", "| --- | --- |"]
        said = "<br>".join(f"`{line}`".replace("|", "\\|") for line in EXPECTED[case.name])
        lines.append(f"| {case.name} | {said} |")
    lines += [
        "",
        "## Output",
        "",
        "Text that came from a workbook and starts with `=`, `+`, `-` or `@` is written with a",
        "leading apostrophe, so a spreadsheet shows it as text and never runs it as a formula.",
        "Tested (tests/test_output_safety.py) on every file csckpi writes that a spreadsheet",
        f"opens: {', '.join(f'`{w}`' for w in SAFE_OUTPUTS)}.",
        "",
        "| Case | What csckpi writes in the cell |",
        "| --- | --- |",
    ]
    for sheet, key, column, text in HOSTILE:
        shown = text.replace("|", "\\|")
        lines.append(f"| {sheet} `{column}` of {key} is `{shown}` | `'{shown}` |")
    lines += [
        "",
        "## The store, and random bad cells",
        "",
        "What happens when an ingest fails, is killed (`kill -9`), runs beside another, or meets",
        "a store from a newer or older csckpi is in [store-safety.md](store-safety.md), generated",
        "the same way from tests/test_store_cases.py. A property test",
        "(tests/test_workbook_property.py, hypothesis) writes workbooks with random bad cells and",
        "checks that each is either read with every good figure kept or refused with messages",
        "naming their cells — never a traceback, never a figure silently lost.",
    ]
    return "\n".join(lines) + "\n"


def test_every_case_has_an_expected_answer() -> None:
    assert [c.name for c in CASES] == list(EXPECTED)


def test_doc_is_current() -> None:
    text = render()
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    assert DOC.exists(), "docs/bad-input.md is missing: CSCKPI_UPDATE_GOLDEN=1 pytest " + __file__
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/bad-input.md is stale: CSCKPI_UPDATE_GOLDEN=1 pytest tests/test_bad_input.py"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_through_the_command(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``csckpi ingest --verbose`` says the same, with the exit code the table promises.

    A refused file is one line on stderr and exit code 1; errors are exit code 1 and create
    no store; warnings alone are stored (exit code 0). Never a traceback.
    """
    from typer.testing import CliRunner

    from csckpi.cli import app

    monkeypatch.chdir(tmp_path)
    path = case.build()
    result = CliRunner().invoke(app, ["ingest", str(path), "--verbose"])
    expected = EXPECTED[case.name]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    said = result.stderr.splitlines()
    if expected[0].startswith("csckpi: "):
        assert said == [expected[0]]
        assert result.exit_code == 1
        assert result.stdout == ""
    else:
        shown = [line for line in expected if not line.startswith("read: ")]
        problems = [line for line in shown if line.startswith(("error: ", "warning: "))]
        assert [line for line in said if line in problems] == problems  # by sheet and cell
        assert set(shown) <= set(said)
        failed = any(line.startswith("error: ") for line in expected)
        assert result.exit_code == (1 if failed else 0)
        assert Path("csckpi.db").exists() is not failed
