"""docs/workbook.md pictures each sheet with the example workbook's real rows, kept current.

``CSCKPI_UPDATE_GOLDEN=1 pytest tests/test_workbook_doc.py`` redraws the pictures from the
example; the test fails while the doc shows rows the example no longer has. It also checks
that every column the reader knows is documented.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from csckpi.model import Comparator, Measure, Polarity, TargetPer, Unit
from csckpi.workbook import layout

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "workbook.md"
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
WIDTH = 28  # longer text is cut with an ellipsis

#: picture name -> (layout, sheet, columns shown, the first N rows, then the rows of a code:
#: its first n (n > 0) or last -n (n < 0))
PICTURES: dict[str, tuple[str, str, list[int], int, tuple[str, int] | None]] = {
    "indicators": ("wide", "Indicators", [1, 2, 3, 4, 5, 6, 7], 4, None),
    "monthly-wide": ("wide", "Monthly", [1, 2, 3, 4, 10, 11, 12], 3, ("CSC 038", 3)),
    "monthly-long": ("long", "Monthly", [1, 2, 3, 4, 5], 3, ("CSC 038", -3)),
    "periods": ("wide", "Periods", [1, 2, 3, 4, 5, 6, 7], 4, ("CSC 036", 6)),
    "benchmarks": ("wide", "Benchmarks", [1, 2, 3, 4, 5], 4, None),
    "context": ("wide", "Context", [1, 2, 3], 4, None),
}


def shown(value: object, number_format: str) -> str:
    """A cell as Excel shows it (for the formats the example uses)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%b-%y") if "mmm" in number_format else value.date().isoformat()
    if isinstance(value, int | float):
        if number_format == "0.0":
            return f"{value:.1f}"
        if number_format == "0":
            return f"{value:.0f}"
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value)
    return text if len(text) <= WIDTH else text[: WIDTH - 1].rstrip() + "…"


def picture(
    path: Path, sheet: str, columns: list[int], first: int, code: tuple[str, int] | None
) -> str:
    """A markdown table of some rows and columns, with `…` where some are left out."""
    ws = load_workbook(path)[sheet]
    rows = {r[0].row: r for r in ws.iter_rows(min_row=1, max_row=ws.max_row)}
    wanted = list(range(1, first + 1))
    if code is not None:
        numbers = [n for n, r in rows.items() if r[0].value == code[0] and n > first]
        wanted += numbers[: code[1]] if code[1] > 0 else numbers[code[1] :]
    slots: list[int] = []  # column numbers, 0 for a gap
    for column in columns:
        if slots and column != slots[-1] + 1:
            slots.append(0)
        slots.append(column)
    if ws.max_column > columns[-1]:
        slots.append(0)
    letters = [get_column_letter(c) if c else "…" for c in slots]
    lines = ["|   | " + " | ".join(letters) + " |", "|" + " --- |" * (len(letters) + 1)]
    previous = 0
    for number in wanted:
        if number != previous + 1:
            lines.append("| … |" + " |" * len(letters))
        previous = number
        cells = [
            shown(rows[number][c - 1].value, rows[number][c - 1].number_format) if c else "…"
            for c in slots
        ]
        lines.append(f"| {number} | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from build_example import build
    finally:
        sys.path.pop(0)
    return {"wide": EXAMPLE, "long": build(tmp_path_factory.mktemp("doc") / "long.xlsx", "long")}


def render(text: str, books: dict[str, Path]) -> str:
    def redraw(match: re.Match[str]) -> str:
        which, sheet, columns, first, code = PICTURES[match["name"]]
        table = picture(books[which], sheet, columns, first, code)
        return f"<!-- picture: {match['name']} -->\n{table}\n<!-- /picture -->"

    return re.sub(
        r"<!-- picture: (?P<name>[\w-]+) -->\n.*?<!-- /picture -->", redraw, text, flags=re.DOTALL
    )


def test_pictures_are_the_example_rows(books: dict[str, Path]) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert sorted(re.findall(r"<!-- picture: ([\w-]+) -->", text)) == sorted(PICTURES)
    current = render(text, books)
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        DOC.write_text(current, encoding="utf-8")
    assert text == current or os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1", (
        "docs/workbook.md is stale: CSCKPI_UPDATE_GOLDEN=1 pytest tests/test_workbook_doc.py"
    )


def test_every_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in (
        *layout.INDICATORS,
        *layout.INDICATORS_OPTIONAL,
        *layout.MONTHLY_WIDE_OPTIONAL,
        *layout.MONTHLY_LONG,
        *layout.MONTHLY_LONG_OPTIONAL,
        *layout.PERIODS,
        *layout.PERIODS_OPTIONAL,
        *layout.TARGETS,
        *layout.TARGETS_OPTIONAL,
        *layout.BENCHMARKS,
        *layout.BENCHMARKS_OPTIONAL,
        *layout.CONTEXT_OPTIONAL,
        *layout.COMMENTARY,
        *layout.COMMENTARY_OPTIONAL,
    ):
        assert f"`{name}`" in text, name
    for sheet in layout.SHEETS:
        assert f"## {sheet}" in text, sheet


def test_every_allowed_value_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for enum in (Unit, Polarity, Measure, Comparator, TargetPer):
        for choice in enum:
            assert f"`{choice.value}`" in text, f"{enum.__name__}.{choice.name}"
