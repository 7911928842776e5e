"""The documented layout, as analysts write it: names in any case, text months, long rows,
title rows, aliases; periods, benchmarks and context; what is ignored and what is noted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from workbook_factory import DEC, NOV, OCT, base, write

from csckpi.errors import InvalidWorkbook
from csckpi.model import Context, Indicator, Measure, Polarity, Unit
from csckpi.workbook import read, read_dataset


def values(frame: pl.DataFrame, key: str, part: str = "value") -> list[tuple[object, float]]:
    rows = frame.filter((pl.col("key") == key) & (pl.col("part") == part)).sort("month")
    return list(rows.select("month", "value").iter_rows())


DECEMBER = [
    (dt.date(2020, 10, 1), 84.1),
    (dt.date(2020, 11, 1), 84.9),
    (dt.date(2020, 12, 1), 85.2),
]


def test_base_workbook(tmp_path: Path) -> None:
    dataset = read_dataset(write(tmp_path / "b.xlsx", base()))
    assert [i.code for i in dataset.indicators] == ["CSC 038", "CSC 201", "CSC 022"]
    assert dataset.indicators[0] == Indicator(
        code="CSC 038",
        title="C&F assessments in timescale",
        section="Assessments",
        unit=Unit.PERCENT,
        polarity=Polarity.UP,
        measure=Measure.CUMULATIVE,
        target=90.0,
        order=0,
    )
    assert values(dataset.monthly, "CSC038") == DECEMBER
    assert values(dataset.monthly, "CSC022", "denominator")[-1] == (dt.date(2020, 12, 1), 50.0)
    cells = dataset.monthly.filter(pl.col("key") == "CSC038").sort("month")
    assert cells.select("sheet", "cell").rows() == [
        ("Monthly", "C2"),
        ("Monthly", "D2"),
        ("Monthly", "E2"),
    ]


def test_names_match_in_any_case_with_spaces_underscores_dashes(tmp_path: Path) -> None:
    sheets = base()
    sheets["Indicators"][0] = [
        "Code",
        "TITLE",
        "Section ",
        "Unit",
        " polarity",
        "Measure",
        "Target",
    ]
    sheets["Monthly"][0][:2] = ["CODE", "Part"]
    sheets["context"] = [
        ["Key", "Value", "Year"],
        ["Population 0-17", 22450, "2020/21"],
        ["council", "Darlington", None],
    ]
    renamed = {
        "INDICATORS": sheets["Indicators"],
        " monthly": sheets["Monthly"],
        "CONTEXT": sheets["context"],
    }
    result = read(write(tmp_path / "b.xlsx", renamed))
    assert result.problems == ()
    assert result.dataset is not None
    assert values(result.dataset.monthly, "CSC038") == DECEMBER
    assert result.dataset.context == Context(
        council="Darlington",
        population=((2020, 22450.0),),
        items=(("population_0_17", "2020/21", "22450"), ("council", "", "Darlington")),
    )


@pytest.mark.parametrize(
    "headers",
    [
        ["Oct-20", "Nov-20", "Dec-20"],
        ["October 2020", "November 2020", "December 2020"],
        ["2020-10", "2020-11", "2020-12"],
        [dt.datetime(2020, 10, 31), dt.datetime(2020, 11, 30), dt.datetime(2020, 12, 31)],
    ],
)
def test_month_headers(tmp_path: Path, headers: list[object]) -> None:
    sheets = base()
    sheets["Monthly"][0][2:] = headers
    dataset = read_dataset(write(tmp_path / "b.xlsx", sheets))
    assert values(dataset.monthly, "CSC038") == DECEMBER


def test_long_layout_with_parts_and_text_months(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"] = [
        ["Code", "Month", "Value", "Numerator", "Denominator"],
        ["CSC 038", "Oct-20", 84.1, None, None],
        ["csc038", "2020-11", 84.9, None, None],
        ["CSC-038", DEC, 85.2, None, None],
        ["CSC 022", "October 2020", 70, 7, 10],
    ]
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.layout == "long"
    assert result.problems == ()
    assert result.dataset is not None
    monthly = result.dataset.monthly
    assert values(monthly, "CSC038") == DECEMBER
    assert values(monthly, "CSC022", "numerator") == [(dt.date(2020, 10, 1), 7.0)]
    assert set(monthly.get_column("code").to_list()) == {"CSC 038", "CSC 022"}  # as Indicators


def test_header_below_title_rows_and_blank_rows_between(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"] = [
        ["Monthly figures"],
        ["Q3 2020/21"],
        [],
        *sheets["Monthly"][:3],
        [],
        *sheets["Monthly"][3:],
    ]
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.problems == ()
    assert result.dataset is not None
    assert result.dataset.monthly.height == 15
    assert result.notes == (
        "Monthly: the header is on row 4; rows above it were skipped as titles",
    )


def test_periods_benchmarks_context(tmp_path: Path) -> None:
    sheets = base()
    sheets["Periods"] = [
        ["code", "period", "value", "numerator", "denominator", "figure", "note"],
        ["CSC 038", "2019/20", 88.7, None, None, None, None],
        ["CSC 038", "2020/21 YTD", 85.2, 455, 534, "", "to December"],
        ["CSC 201", "Q3 2019/20", 280, None, None, None, None],
        ["CSC 201", "Dec-19", 280, None, None, None, None],
        ["CSC 201", "Q3 2020/21", 13, None, None, "Flow", "came into care"],
    ]
    sheets["Benchmarks"] = [
        ["code", "comparator", "value", "source", "year"],
        ["CSC 038", "stat neighbours", 87.7, "LAIT 2020", 2020],
        ["CSC 038", "Regional average", 88.8, "LAIT 2020", 2020],
        ["CSC 038", "national", 0.838, "LAIT 2020", 2020],
    ]
    sheets["Context"] = [
        ["key", "value", "year"],
        ["council", "Darlington", None],
        ["population_0_17", 22450, "2020/21"],
        ["population_0_17", 22300, 2019],
    ]
    result = read(write(tmp_path / "b.xlsx", sheets, formats={("Benchmarks", "C4"): "0.0%"}))
    assert result.problems == ()
    assert result.dataset is not None
    reported = result.dataset.reported.sort("cell")
    assert reported.select("code", "period", "part", "figure", "value", "cell").rows() == [
        ("CSC 038", "2019/20", "value", "value", 88.7, "C2"),
        ("CSC 038", "2020/21 YTD", "value", "value", 85.2, "C3"),
        ("CSC 201", "Q3 2019/20", "value", "value", 280.0, "C4"),
        ("CSC 201", "2019-12", "value", "value", 280.0, "C5"),
        ("CSC 201", "Q3 2020/21", "value", "flow", 13.0, "C6"),
        ("CSC 038", "2020/21 YTD", "numerator", "value", 455.0, "D3"),
        ("CSC 038", "2020/21 YTD", "denominator", "value", 534.0, "E3"),
    ]
    # A workbook written before benchmarks had a data year: `source` is the release, and a
    # bare 2020 is the year ending 31 March 2020, as the published files head their columns.
    benchmarks = result.dataset.benchmarks
    assert benchmarks.select("code", "comparator", "value", "source", "year", "cell").rows() == [
        ("CSC 038", "statistical neighbours", 87.7, "LAIT 2020", "2019/20", "C2"),
        ("CSC 038", "region", 88.8, "LAIT 2020", "2019/20", "C3"),
        ("CSC 038", "england", 83.8, "LAIT 2020", "2019/20", "C4"),
    ]
    context = result.dataset.context
    assert context.council == "Darlington"
    assert context.population == ((2019, 22300.0), (2020, 22450.0))
    assert context.population_for(2020) == 22450.0


def test_percent_formatted_target_and_figures(tmp_path: Path) -> None:
    sheets = base()
    sheets["Indicators"][1][6] = 0.9
    sheets["Monthly"][1][2:] = [0.841, 0.849, 0.852]
    formats = {("Indicators", "G2"): "0%"} | {("Monthly", c): "0.0%" for c in ("C2", "D2", "E2")}
    dataset = read_dataset(write(tmp_path / "b.xlsx", sheets, formats=formats))
    assert dataset.indicators[0].target == 90.0
    assert values(dataset.monthly, "CSC038") == DECEMBER


def test_extra_sheets_and_columns_are_listed_not_read(tmp_path: Path) -> None:
    sheets = base()
    sheets["Chart data"] = [["x"], [1]]
    sheets["Indicators"][0].append("Lead officer")
    sheets["Monthly"][0].insert(2, "Title")
    for row in sheets["Monthly"][1:]:
        row.insert(2, "some words")
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.problems == ()
    assert result.ignored == (
        'sheet "Chart data": not a sheet csckpi reads',
        'column "Lead officer" on Indicators (H): not a column csckpi reads',
        'column "Title" on Monthly (C): not a month',
    )
    assert result.dataset is not None
    assert values(result.dataset.monthly, "CSC038") == DECEMBER


def test_every_problem_in_one_run_sorted(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"][3][4] = "TBC"
    sheets["Monthly"][1][2] = 185.2
    sheets["Indicators"][2][3] = "people"
    sheets["Monthly"][2][0] = "CSC 999"
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        'Indicators!D3: "people" is not a unit — write percent, count, rate or number',
        "Monthly!C2: 185.2 is over 100 for a percentage (CSC 038)",
        'Monthly!A3: "CSC 999" is not on the Indicators sheet.',
        'Monthly!E4: "TBC" is not a number — left blank',
    ]
    assert [p.severity.value for p in result.problems] == ["error", "error", "error", "warning"]
    assert result.dataset is None
    with pytest.raises(InvalidWorkbook) as raised:
        read_dataset(tmp_path / "b.xlsx")
    assert raised.value.problems == list(result.problems)
    assert str(raised.value) == (
        'b.xlsx has 3 errors; the first is Indicators!D3: "people" is not a unit — write '
        f"percent, count, rate or number. List them all with: csckpi ingest {tmp_path / 'b.xlsx'} "
        "--dry-run"
    )


def test_warnings_keep_the_dataset(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"][2][4] = "1,284"
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert [p.kind for p in result.warnings] == ["text-number"]
    assert result.errors == ()
    assert result.dataset is not None
    assert values(result.dataset.monthly, "CSC201")[-1] == (dt.date(2020, 12, 1), 1284.0)


def test_a_sheet_not_read_is_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big unrelated sheet costs nothing: its XML is never opened, not even to size it."""
    import zipfile

    from workbook_factory import rezip

    sheets = base()
    sheets["Case list"] = [["id"]]
    write(tmp_path / "small.xlsx", sheets)
    cells = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 100_001)
    )  # a million cells, and no <dimension>: openpyxl's load_workbook would scan them all
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()
    big = rezip(tmp_path / "small.xlsx", tmp_path / "big.xlsx", {"xl/worksheets/sheet3.xml": xml})
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return original(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = read(big)
    assert "xl/worksheets/sheet3.xml" not in opened
    assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(opened)
    assert result.problems == ()
    assert result.ignored == ('sheet "Case list": not a sheet csckpi reads',)


def test_formatted_empty_rows_and_columns_cost_no_problems(tmp_path: Path) -> None:
    sheets = base()
    for row in sheets["Monthly"]:
        row.extend([None] * 3)
    sheets["Monthly"] += [[None] * 8 for _ in range(2000)]
    sheets["Monthly"].append(["   ", None, None, None, None])
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.problems == ()
    assert result.dataset is not None
    assert result.dataset.monthly.height == 15


@pytest.mark.parametrize(
    ("sheet", "row", "column"), [("Monthly", 1, 0), ("Monthly", 1, 1), ("Indicators", 1, 0)]
)
def test_missing_header_row(tmp_path: Path, sheet: str, row: int, column: int) -> None:
    sheets = base()
    sheets[sheet][row - 1][column] = "identifier"
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.dataset is None
    assert any(p.sheet == sheet and p.severity.value == "error" for p in result.problems)


def test_rows_without_a_code(tmp_path: Path) -> None:
    sheets = base()
    sheets["Monthly"].append([None, None, 1, 2, 3])
    sheets["Monthly"].append(["Source: case management system, 5 January 2021"])
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        "Monthly!A7: this row has figures but no code",
        'Monthly!A8: "Source: case management system, 5 January 2021" is not on the Indicators '
        "sheet.",
    ]


def test_month_headers_newest_first(tmp_path: Path) -> None:
    """Months may run either way, as long as every one is in its place."""
    sheets = base()
    sheets["Monthly"][0][2:] = [DEC, NOV, OCT]
    dataset = read_dataset(write(tmp_path / "b.xlsx", sheets))
    assert values(dataset.monthly, "CSC201") == [
        (dt.date(2020, 10, 1), 284.0),
        (dt.date(2020, 11, 1), 282.0),
        (dt.date(2020, 12, 1), 280.0),
    ]


def test_month_headers_out_of_order_are_errors(tmp_path: Path) -> None:
    """A month out of its place is most often a slipped year: refused, at its header."""
    sheets = base()
    sheets["Monthly"][0][2:] = [DEC, OCT, NOV]
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.dataset is None
    assert [(p.location, p.kind) for p in result.problems] == [("Monthly!C1", "month-out-of-order")]


def test_shared_strings_as_excel_writes_them(tmp_path: Path, example_workbook: Path) -> None:
    """Excel keeps text in a shared string table; openpyxl (and so the example) inline."""
    from workbook_factory import with_shared_strings

    shared = with_shared_strings(example_workbook, tmp_path / "shared.xlsx")
    inline, excel = read_dataset(example_workbook), read_dataset(shared)
    assert excel.indicators == inline.indicators
    assert excel.monthly.equals(inline.monthly)
    assert excel.reported.equals(inline.reported)
    assert excel.benchmarks.equals(inline.benchmarks)
    assert excel.context == inline.context


def test_shared_strings_are_parsed_only_as_far_as_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text only an unread sheet uses (after the table's first strings) is never parsed."""
    import zipfile

    from workbook_factory import rezip, with_shared_strings

    from csckpi.workbook import files

    shared = with_shared_strings(write(tmp_path / "b.xlsx", base()), tmp_path / "shared.xlsx")
    with zipfile.ZipFile(shared) as archive:
        table = archive.read("xl/sharedStrings.xml")
    extra = b"".join(b"<si><t>case %d</t></si>" % i for i in range(100_000))
    big = rezip(
        shared,
        tmp_path / "big.xlsx",
        {"xl/sharedStrings.xml": table.replace(b"</sst>", extra + b"</sst>")},
    )
    parsed: list[str] = []
    original = files.SharedStrings._strings

    def counting(self: files.SharedStrings):  # type: ignore[no-untyped-def]
        for text in original(self):
            parsed.append(text)
            yield text

    monkeypatch.setattr(files.SharedStrings, "_strings", counting)
    dataset = read_dataset(big)
    assert values(dataset.monthly, "CSC038") == DECEMBER
    assert 0 < len(parsed) < 100


def test_formulas_with_saved_results_are_read(tmp_path: Path) -> None:
    """Excel saves each formula's result beside it: that result is the figure."""
    import re
    import zipfile

    from workbook_factory import rezip

    sheets = base()
    sheets["Monthly"][2][4] = "=D3+2"  # CSC 201 Dec-20
    sheets["Monthly"][3][4] = "=E5/E6*100"  # CSC 022 Dec-20
    book = write(tmp_path / "formulas.xlsx", sheets)
    with zipfile.ZipFile(book) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml")
    saved = {b"E3": b"<v>284</v>", b"E4": b"<v>80</v>"}
    xml = re.sub(
        rb'(<c r="(E3|E4)"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
        lambda m: m[1] + m[3] + saved[m[2]],
        xml,
    )
    dataset = read_dataset(rezip(book, tmp_path / "saved.xlsx", {"xl/worksheets/sheet2.xml": xml}))
    assert values(dataset.monthly, "CSC201")[-1] == (dt.date(2020, 12, 1), 284.0)
    assert values(dataset.monthly, "CSC022")[-1] == (dt.date(2020, 12, 1), 80.0)


def test_cells_are_checked_even_when_indicators_cannot_be_used(tmp_path: Path) -> None:
    """Every problem in one run: a broken Indicators sheet does not hide the cells' problems."""
    sheets = base()
    sheets["Monthly"][2][4] = "TBC"
    sheets["Monthly"][3][3] = "=1+1"
    del sheets["Indicators"]
    result = read(write(tmp_path / "no-indicators.xlsx", sheets))
    assert [(p.location, p.kind) for p in result.problems] == [
        ("Indicators", "missing-sheet"),
        ("Monthly!E3", "not-a-number"),
        ("Monthly!D4", "formula-no-value"),
    ]
    sheets = base()
    sheets["Indicators"][2][3] = "people"  # CSC 201's unit
    sheets["Monthly"][2][4] = "TBC"  # CSC 201 Dec-20
    result = read(write(tmp_path / "bad-unit.xlsx", sheets))
    assert [(p.location, p.kind) for p in result.problems] == [
        ("Indicators!D3", "unknown-unit"),
        ("Monthly!E3", "not-a-number"),
    ]


def test_a_code_merged_down_its_part_rows(tmp_path: Path) -> None:
    """Analysts merge a code over its value, numerator and denominator rows."""
    sheets = base()
    sheets["Monthly"][4][0] = None
    sheets["Monthly"][5][0] = None
    result = read(write(tmp_path / "merged.xlsx", sheets, merged={"Monthly": ["A4:A6"]}))
    assert result.problems == ()
    assert result.notes == ("Monthly: merged cells A4:A6 read as their text on every row",)
    assert result.dataset is not None
    assert values(result.dataset.monthly, "CSC022", "denominator")[-1] == (
        dt.date(2020, 12, 1),
        50.0,
    )


def test_optional_indicator_columns(tmp_path: Path) -> None:
    sheets = base()
    sheets["Indicators"][0] += ["tolerance", "definition", "phrase", "decimals", "pattern"]
    sheets["Indicators"][2] += [
        2,
        "Children looked after at the month's end.",
        "children were in care",
        0,
        "{council} looked after {value} children {period_wording}.",
    ]
    cic = read_dataset(write(tmp_path / "b.xlsx", sheets)).indicators[1]
    assert (cic.tolerance, cic.definition, cic.phrase, cic.decimals, cic.pattern) == (
        2.0,
        "Children looked after at the month's end.",
        "children were in care",
        0,
        "{council} looked after {value} children {period_wording}.",
    )
    assert cic.places == 0


def test_polarity_in_words_and_names_with_dashes_and_underscores(tmp_path: Path) -> None:
    """ "higher is better" / "lower is better" are polarities; a key written with "-" and "_"
    mixed, and headers in any case, are the same names."""
    sheets = base()
    sheets["Indicators"][0][4] = "Polarity"
    sheets["Indicators"][1][4] = "Higher is better"
    sheets["Indicators"][2][4] = "lower is better"
    sheets["Indicators"][0].append("Decimals")
    sheets["Indicators"][1].append(1)
    sheets["Context"] = [
        ["key", "value", "year"],
        ["Population-0_17", 22450, "2020/21"],
        ["COUNCIL", "Darlington", None],
    ]
    sheets["Periods"] = [["Code", "Period", "Value"], ["CSC 038", "2019/20", 88.7]]
    result = read(write(tmp_path / "b.xlsx", sheets))
    assert result.problems == ()
    assert result.dataset is not None
    first, second, third = result.dataset.indicators
    assert (first.polarity, second.polarity, third.polarity) == (
        Polarity.UP,
        Polarity.DOWN,
        Polarity.UP,
    )
    assert first.decimals == 1
    assert result.dataset.context.population == ((2020, 22450.0),)
    assert result.dataset.context.council == "Darlington"
