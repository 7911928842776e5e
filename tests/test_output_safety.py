"""Text from a workbook never becomes a formula in a CSV, TSV or XLSX that csckpi writes.

One hostile workbook (the example with titles, definitions, a section, a benchmark source and
the council starting with ``=``, ``+``, ``-`` and ``@``, stored as plain text as Excel stores a
typed ``'=...``) goes through every command that writes a spreadsheet-readable file: each file
is opened and no text cell may start with a formula character, while the hostile text must be
there, escaped with a leading apostrophe (so the test cannot pass on output that dropped it).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import EXAMPLE
from openpyxl import load_workbook
from typer.testing import CliRunner

from csckpi.cli import app

STARTS = ("=", "+", "-", "@")
# What each hostile cell is set to: (sheet, code or key in column A, column, text).
HOSTILE = (
    ("Indicators", "CSC 022", "title", '=HYPERLINK("http://evil","022")'),
    ("Indicators", "CSC 026", "title", "+cmd|' /C calc'!A0"),
    ("Indicators", "CSC 034", "title", "-2+3 re-referrals"),
    ("Indicators", "CSC 032", "title", "@SUM(1+1) repeat referrals"),
    ("Indicators", "CSC 022", "definition", "=1+1 definition"),
    ("Indicators", "CSC 026", "section", "@Referrals"),
    ("Benchmarks", "CSC 032", "release", "=LAIT 2020"),
    ("Context", "council", "value", "+Darlington"),
)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbook with hostile text, ingested into ``csckpi.db`` beside it."""
    folder = tmp_path_factory.mktemp("hostile")
    wb = load_workbook(EXAMPLE)
    for sheet, key, column, text in HOSTILE:
        ws = wb[sheet]
        header = [cell.value for cell in ws[1]]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
        cell = ws.cell(row, header.index(column) + 1)
        cell.value = text
        cell.data_type = "s"  # text, as Excel stores a typed '=...: not a formula in the input
    book = folder / "=book.xlsx"  # the file name is shown by history: hostile too
    wb.save(book)
    result = CliRunner().invoke(app, ["ingest", str(book), "--store", str(folder / "csckpi.db")])
    assert result.exit_code == 0, result.output
    return folder


def run(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--store", str(folder / "csckpi.db")])
    assert result.exit_code == 0, result.output
    return result.stdout


def delimited_fields(text: str, delimiter: str) -> list[str]:
    return [field for row in csv.reader(io.StringIO(text), delimiter=delimiter) for field in row]


def xlsx_text(path: Path) -> list[str]:
    wb = load_workbook(path)
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells), "a cell is a formula"
    return [cell.value for cell in cells if isinstance(cell.value, str)]


def assert_safe(fields: list[str], expected: set[str]) -> None:
    """No field starts with a formula character unless it is a number; ``expected`` escaped."""
    unsafe = [f for f in fields if f.startswith(STARTS) and not is_number(f)]
    assert unsafe == []
    for text in expected:
        assert any(f.startswith("'" + text) for f in fields), f"{text!r} is missing"


TITLES = {text for _, _, column, text in HOSTILE if column == "title"}
#: Every command that writes CSV, TSV or XLSX (shown in docs/bad-input.md).
SAFE_OUTPUTS = (
    "compute --format csv|tsv",
    "compute -o FILE.csv|.tsv|.xlsx",
    "compare --format csv|tsv",
    "history --format csv|tsv",
    "indicators --format csv|tsv",
    "report -o FILE.xlsx",
)


@pytest.mark.parametrize(
    ("args", "delimiter", "expected"),
    [
        (("indicators", "-f", "csv"), ",", TITLES | {"@Referrals"}),
        (("indicators", "-f", "tsv"), "\t", TITLES | {"@Referrals"}),
        (("compute", "-p", "Dec-20", "-f", "csv"), ",", TITLES | {"@Referrals"}),
        (("compute", "-p", "Dec-20", "-f", "tsv"), "\t", TITLES | {"@Referrals"}),
        (("compare", "-i", "CSC 032", "-p", "Q3 2020/21", "-f", "csv"), ",", {"=LAIT 2020"}),
        (("compare", "-i", "CSC 032", "-p", "Q3 2020/21", "-f", "tsv"), "\t", {"=LAIT 2020"}),
        (("history", "-i", "CSC 022", "-f", "csv"), ",", {"=book.xlsx"}),
        (("history", "-i", "CSC 022", "-f", "tsv"), "\t", {"=book.xlsx"}),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_csv_and_tsv_on_stdout(
    hostile: Path, args: tuple[str, ...], delimiter: str, expected: set[str]
) -> None:
    assert_safe(delimited_fields(run(hostile, *args), delimiter), expected)


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_compute_output_files(hostile: Path, suffix: str, delimiter: str) -> None:
    out = hostile / f"scorecard{suffix}"
    run(hostile, "compute", "-p", "Dec-20", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert_safe(delimited_fields(text, delimiter), TITLES | {"@Referrals"})


def test_compute_xlsx(hostile: Path) -> None:
    out = hostile / "scorecard.xlsx"
    run(hostile, "compute", "-p", "Dec-20", "-o", str(out))
    assert_safe(xlsx_text(out), TITLES | {"@Referrals"})


def test_report_xlsx(hostile: Path) -> None:
    out = hostile / "report.xlsx"
    run(hostile, "report", "-p", "Q3 2020/21", "-o", str(out))
    assert_safe(xlsx_text(out), TITLES | {"=1+1 definition", "+Darlington"})
