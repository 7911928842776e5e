"""Every kind of bad published file, map or neighbour list, and exactly what the user is told.

Each case builds its files in an empty folder, imports them and compares what csckpi says
with the expected text below. The same table is the "Bad input" section of
docs/benchmarks.md: ``CSCKPI_UPDATE_GOLDEN=1 pytest tests/test_published_bad_input.py``
rewrites it, and a test fails while it is stale.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from published_factory import (
    COUNCILS,
    HEADER,
    MAP,
    make,
    rows,
    write_csv,
    write_dfe,
    write_lait_csv,
    write_map,
    write_neighbours,
)

from csckpi.published import import_published

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START = "<!-- bad-input: generated from tests/test_published_bad_input.py -->"
END = "<!-- /bad-input -->"
DATA = Path("c1_referrals.csv")
ONE = MAP.split("[[indicator]]")[0] + "[[indicator]]" + MAP.split("[[indicator]]")[1]


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    build: Callable[[], tuple[Path, Path]]  # runs in an empty folder: (data file, map)
    indicator: str | None = None


def outcome(case: Case) -> tuple[str, ...]:
    data, mapping = case.build()
    result = import_published(data, mapping, indicator=case.indicator)
    lines = [f"{p.severity.value}: {p}" for p in result.problems]
    if not result.errors:
        benchmarks = sum(b.value is not None for b in result.benchmarks)
        ranks = sum(s.rank is not None for s in result.standings)
        lines.append(f"read: {benchmarks} benchmarks, {ranks} rank{'s' if ranks != 1 else ''}")
    lines += [f"note: {note}" for note in result.notes]
    return tuple(lines)


# -- builders ---------------------------------------------------------------------------------
def dfe(
    body: str = ONE, *, cells: dict[tuple[int, str], dict[str, str]] | None = None
) -> Callable[[], tuple[Path, Path]]:
    """The 152-council file and its neighbour list, read with the map ``body``."""

    def build() -> tuple[Path, Path]:
        path = write_dfe(Path(), make(overrides=cells), name=DATA.name)
        write_neighbours(Path())
        return path, write_map(Path(), body)

    return build


def edited(change: Callable[[list[list[str]]], list[list[str]]], body: str = ONE):
    def build() -> tuple[Path, Path]:
        path = write_csv(DATA, HEADER, change(rows(make())))
        write_neighbours(Path())
        return path, write_map(Path(), body)

    return build


def text_file(name: str, text: str | bytes, body: str = ONE) -> Callable[[], tuple[Path, Path]]:
    def build() -> tuple[Path, Path]:
        path = Path(name)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        write_neighbours(Path())
        return path, write_map(Path(), body)

    return build


def a_workbook() -> tuple[Path, Path]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Monthly"
    sheet.append(["code", "Apr-20", "May-20"])
    sheet.append(["CSC 032", 18.1, 19.0])
    book.save("scorecard.xlsx")
    return Path("scorecard.xlsx"), write_map(Path(), ONE)


def neighbours_with(text: str, body: str = ONE) -> Callable[[], tuple[Path, Path]]:
    def build() -> tuple[Path, Path]:
        path = write_dfe(Path(), make(), name=DATA.name)
        Path("sn_april_2021.csv").write_text(text, encoding="utf-8")
        return path, write_map(Path(), body)

    return build


def short_list() -> tuple[Path, Path]:
    path = write_dfe(Path(), make(), name=DATA.name)
    sn = write_neighbours(Path())
    lines = sn.read_text().splitlines()
    cells = lines[1].split(",")  # Darlington's row: ..., SN10, SNP, '' (the trailing comma)
    cells[-3:-1] = ["", ""]
    lines[1] = ",".join(cells)
    sn.write_text("\n".join(lines) + "\n")
    return path, write_map(Path(), ONE)


def unknown_neighbour() -> tuple[Path, Path]:
    path = write_dfe(Path(), make(), name=DATA.name)
    sn = write_neighbours(Path())
    lines = sn.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5] = "999"  # Darlington's closest neighbour: a code no council in the file has
    lines[1] = ",".join(cells)
    sn.write_text("\n".join(lines) + "\n")
    return path, write_map(Path(), ONE)


def two_categories(rows_: list[list[str]]) -> list[list[str]]:
    out = []
    for row in rows_:
        out.append(row)
        if row[9] == "Darlington" and row[0] == "2020":
            out.append([*row[:10], "Referrals only", *row[11:]])
    return out


def repeated(rows_: list[list[str]]) -> list[list[str]]:
    return rows_ + [r for r in rows_ if r[9] == "Darlington" and r[0] == "2019"]


def lait(body: str) -> Callable[[], tuple[Path, Path]]:
    def build() -> tuple[Path, Path]:
        path = write_lait_csv(Path(), make(), "rereferral_percent")
        write_neighbours(Path())
        return path, write_map(Path(), body)

    return build


def lait_suppressed() -> tuple[Path, Path]:
    data = make(overrides={(2019, "841"): {"rereferral_percent": "c"}})
    path = write_lait_csv(Path(), data, "rereferral_percent")
    write_neighbours(Path())
    return path, write_map(Path(), LAIT)


def replace(old: str, new: str, body: str = ONE) -> str:
    assert old in body, old
    return body.replace(old, new)


LAIT = replace('new_la_code = "E06000005"', 'old_la_code = "841"').replace(
    'column = "rereferral_percent"\nwhere = { category = "Referrals and Re-referrals" }\n', ""
)

CASES = [
    Case("Not a published file", "a missing file", lambda: (Path("x.csv"), write_map(Path(), ONE))),
    Case("Not a published file", "an empty file", text_file("c1.csv", "")),
    Case(
        "Not a published file",
        "an old Excel .xls",
        text_file("c1.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    ),
    Case(
        "Not a published file",
        "a file in neither layout",
        text_file("c1.csv", "la,value\nDarlington,12\n"),
    ),
    Case("Not a published file", "a performance workbook, not a published file", a_workbook),
    Case(
        "The map", "no map", lambda: (write_dfe(Path(), make(), name=DATA.name), Path("nomap.toml"))
    ),
    Case("The map", "a map that is not TOML", dfe("[release\nname = 1")),
    Case(
        "The map",
        "a map with no release and a misspelt key",
        dfe(
            replace('[release]\nname = "Characteristics of children in need 2020"\n', "[relase]\n")
        ),
    ),
    Case(
        "The map",
        "no council, and a polarity that is none of the three",
        dfe(replace('new_la_code = "E06000005"', "").replace('"down"', '"good"')),
    ),
    Case(
        "The map",
        "the map names a column the file does not have",
        dfe(replace('"rereferral_percent"', '"rereferal_percent"')),
    ),
    Case(
        "The map",
        "the map picks rows by a value no row has",
        dfe(replace('"Referrals and Re-referrals"', '"Referrals"')),
    ),
    Case("The map", "an indicator the map does not have", dfe(), indicator="CSC 99"),
    Case(
        "The council", "a council code not in the file", dfe(replace('"E06000005"', '"E06000050"'))
    ),
    Case(
        "The council",
        "the tool's export with an ONS code",
        lait(replace('old_la_code = "841"', 'new_la_code = "E06000005"', LAIT)),
    ),
    Case(
        "Cells",
        "the council's own figure suppressed",
        dfe(cells={(2020, "841"): {"rereferral_percent": "c"}}),
    ),
    Case(
        "Cells",
        "a figure that is neither a number nor a code",
        dfe(cells={(2020, COUNCILS[7].old): {"rereferral_percent": "12%"}}),
    ),
    Case(
        "Cells",
        "a time period that is not a year",
        edited(
            lambda r: [
                ["2019/20", *x[1:]] if x[9] == "Darlington" and x[0] == "2020" else x for x in r
            ]
        ),
    ),
    Case(
        "Cells",
        "periods that are not years are left out",
        edited(lambda r: r + [["2020", "Calendar year", *x[2:]] for x in r[:3]]),
    ),
    Case(
        "Rows",
        "two rows for one council and year (a filter the map does not pin)",
        edited(
            two_categories, replace('where = { category = "Referrals and Re-referrals" }\n', "")
        ),
    ),
    Case("Rows", "the same row twice", edited(repeated)),
    Case(
        "Rows",
        "no National row",
        lambda: (
            write_dfe(Path(), make(), name=DATA.name, national=False),
            write_neighbours(Path()) and write_map(Path(), ONE),
        ),
    ),
    Case(
        "The neighbour list",
        "a list that is not a neighbour list",
        neighbours_with("code,name\n841,Darlington\n"),
    ),
    Case(
        "The neighbour list",
        "the council is not in the list",
        neighbours_with("LA num,LA Name,SN1,SN2\n805,Hartlepool,841,806\n"),
    ),
    Case("The neighbour list", "nine neighbours, not ten", short_list),
    Case("The neighbour list", "a neighbour the file does not have", unknown_neighbour),
    Case("The tool's export", "the council has no figure in the export (NA)", lait_suppressed),
    Case(
        "The tool's export",
        "an export read with a map of three indicators",
        lait(MAP.replace('new_la_code = "E06000005"', 'old_la_code = "841"')),
    ),
]

EXPECTED: dict[str, tuple[str, ...]] = {
    "a missing file": ("error: x.csv: x.csv does not exist. Check the file name and folder.",),
    "an empty file": ("error: c1.csv: c1.csv is empty. Download the file again.",),
    "an old Excel .xls": (
        (
            "error: c1.xls: c1.xls is an old Excel 97-2003 (.xls) file. Save it as .csv or .xlsx "
            "and import that."
        ),
    ),
    "a file in neither layout": (
        (
            "error: c1.csv!1: this file is in neither layout csckpi reads: it is not the "
            "Department for Education's published statistics layout (a header row with "
            "time_period, time_identifier and geographic_level) nor the benchmarking tool's "
            "(LAIT) export (a header row with LA Number, LA and Regions and a column per year). "
            "Its first row has 'la', 'value'."
        ),
    ),
    "a performance workbook, not a published file": (
        (
            "error: scorecard.xlsx!1: this file is in neither layout csckpi reads: it is not the "
            "Department for Education's published statistics layout (a header row with "
            "time_period, time_identifier and geographic_level) nor the benchmarking tool's "
            "(LAIT) export (a header row with LA Number, LA and Regions and a column per year). "
            "Its first row has 'code', 'Apr-20', 'May-20'."
        ),
    ),
    "no map": ("error: nomap.toml: the map nomap.toml does not exist.",),
    "a map that is not TOML": (
        (
            "error: map.toml!1: the map is not valid TOML: Expected ']' at the end of a table "
            'declaration (line 1, column 9). Write it like [release] name = "Children looked'
            ' after in England 2020".'
        ),
    ),
    "a map with no release and a misspelt key": (
        (
            "warning: map.toml: 'relase' in the top level is not something the map says. Did you "
            "mean 'release'?"
        ),
        (
            "error: map.toml: the map has no [release]: name the release, e.g. [release] name = "
            '"Children looked after in England 2020".'
        ),
    ),
    "no council, and a polarity that is none of the three": (
        (
            'error: map.toml!4: [council] must name the council by old_la_code (e.g. "841") or '
            'new_la_code (e.g. "E06000005"), one of the two.'
        ),
        "error: map.toml!15: indicator CSC 032: polarity must be up, down or none, not 'good'.",
    ),
    "the map names a column the file does not have": (
        (
            "error: c1_referrals.csv!1: the map reads indicator CSC 032 from column "
            "'rereferal_percent', which the file does not have. Did you mean "
            "'rereferral_percent'?"
        ),
    ),
    "the map picks rows by a value no row has": (
        (
            "error: c1_referrals.csv!K1: no row has category = 'Referrals' (indicator CSC 032); "
            "the file has 'Referrals and Re-referrals'."
        ),
    ),
    "an indicator the map does not have": (
        "error: map.toml: the map has no indicator CSC 99 (it has CSC 032).",
    ),
    "a council code not in the file": (
        (
            "error: c1_referrals.csv!I: the map's council (new_la_code E06000050) is not in this "
            "file: none of its 152 councils has that new_la_code. Did you mean E06000250 (Council"
            " 700)?"
        ),
    ),
    "the tool's export with an ONS code": (
        (
            "error: map.toml: the benchmarking tool's export names councils by LA Number (the "
            "three-digit old_la_code), not E06000005: name the council by old_la_code in the map."
        ),
        "note: columns that are not years are not read: 'Change from previous year', 'Rank'",
    ),
    "the council's own figure suppressed": (
        (
            "warning: c1_referrals.csv!N174: Darlington's published figure for 2019/20 is c "
            "(confidential: suppressed to protect individuals): it is not ranked (CSC 032)."
        ),
        "read: 6 benchmarks, 1 rank",
    ),
    "a figure that is neither a number nor a code": (
        (
            "error: c1_referrals.csv!N181: '12%' in rereferral_percent is neither a number nor a "
            "published symbol (c, k, low, u, x, z, : or ~)."
        ),
    ),
    "a time period that is not a year": (
        (
            "error: c1_referrals.csv!A174: time_period '2019/20' is not a year: write 2020 (with "
            'time_identifier "Reporting year") or 201920 ("Financial year", "Academic year").'
        ),
    ),
    "periods that are not years are left out": (
        "read: 6 benchmarks, 2 ranks",
        (
            "note: 3 rows are for periods that are not financial, reporting or academic years "
            "('Calendar year'), and not read"
        ),
    ),
    "two rows for one council and year (a filter the map does not pin)": (
        (
            "error: c1_referrals.csv!N175: rows 174 and 175 are both Darlington (E06000005) for "
            "2019/20 (CSC 032): one row per geography and year is needed. They differ in category"
            " ('Referrals and Re-referrals' and 'Referrals only'): pick one in the map, e.g. "
            'where = { category = "Referrals and Re-referrals" }.'
        ),
    ),
    "the same row twice": (
        (
            "error: c1_referrals.csv!N326: rows 12 and 326 are both Darlington (E06000005) for "
            "2018/19 (CSC 032): one row per geography and year is needed. The rows are the same: "
            "remove the repeats."
        ),
    ),
    "no National row": (
        (
            "warning: c1_referrals.csv: the file has no National row (England) for 2018/19 or "
            "2019/20 (CSC 032)."
        ),
        "read: 4 benchmarks, 2 ranks",
    ),
    "a list that is not a neighbour list": (
        (
            "error: sn_april_2021.csv!1: this is not a statistical-neighbour list: it needs a "
            "column of council codes (LA num or old_la_code) and the neighbours' codes in SN1 ..."
            " SN10."
        ),
    ),
    "the council is not in the list": (
        (
            "error: sn_april_2021.csv!A: the council (841 / E06000005) is not in the list's LA "
            "num column: check the map's council code, or give the list the council belongs to."
        ),
    ),
    "nine neighbours, not ten": (
        (
            "warning: sn_april_2021.csv!A2: the list has 9 neighbours for 841, not 10: the "
            "averages are of the 9 listed."
        ),
        "read: 6 benchmarks, 2 ranks",
    ),
    "a neighbour the file does not have": (
        (
            "warning: sn_april_2021.csv: neighbour 999 of Darlington in the list is not in "
            "c1_referrals.csv: it is left out of every average."
        ),
        "read: 6 benchmarks, 2 ranks",
    ),
    "the council has no figure in the export (NA)": (
        (
            "warning: lait.csv!C153: Darlington's published figure for 2018/19 is NA (the export "
            "has no figure: suppressed or not collected, it does not say which): it is not ranked"
            " (CSC 032)."
        ),
        "read: 6 benchmarks, 1 rank",
        "note: columns that are not years are not read: 'Change from previous year', 'Rank'",
    ),
    "an export read with a map of three indicators": (
        (
            "error: lait.csv!1: the benchmarking tool's export holds one indicator, and the map "
            "names 3 (CSC 032, CSC 038, CSC 200): name the one this file holds when importing it,"
            " or give the file a map of its own."
        ),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert outcome(case) == EXPECTED[case.name]


def render() -> str:
    lines = [
        START,
        "",
        "Each row is a test (tests/test_published_bad_input.py): it builds the bad file, imports",
        "it and checks that csckpi says exactly this. Problems name the file and the cell",
        "(`c1_referrals.csv!N174` is column N, row 174 as a spreadsheet shows the file); a",
        "problem in the map names the map and its line. `error` means nothing is imported;",
        "`warning` means the rest is; `read` counts the benchmarks with a figure and the",
        "ranks; `note` lines say what was left out. The test file is the 152-council file of",
        "tests/published_factory.py: Darlington's 2019/20 row is row 174 (its re-referral rate",
        "in column N).",
    ]
    group = None
    for case in CASES:
        if case.group != group:
            group = case.group
            lines += ["", f"### {group}", "", "| Case | What csckpi says |", "| --- | --- |"]
        said = "<br>".join(f"`{line}`".replace("|", "\\|") for line in EXPECTED[case.name])
        lines.append(f"| {case.name} | {said} |")
    lines += ["", END]
    return "\n".join(lines)


def test_every_case_has_an_expected_answer() -> None:
    assert [c.name for c in CASES] == list(EXPECTED)


def test_doc_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    assert section.search(text), f"docs/benchmarks.md has no {START} ... {END} section"
    current = section.sub(lambda _m: render(), text)
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        DOC.write_text(current, encoding="utf-8")
        text = current
    assert text == current, (
        "docs/benchmarks.md is stale: CSCKPI_UPDATE_GOLDEN=1 pytest "
        "tests/test_published_bad_input.py"
    )
