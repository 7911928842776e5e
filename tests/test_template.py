"""`write_template`: the empty workbook reads back cleanly and documents every choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from workbook_factory import write

from csckpi.model import Comparator, Measure, Polarity, TargetPer, Unit, allowed
from csckpi.workbook import read
from csckpi.workbook.layout import INDICATORS, INDICATORS_OPTIONAL
from csckpi.workbook.template import write_template


def test_template_reads_back_with_no_errors(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, fy=2020)
    result = read(path)
    assert result.errors == ()
    assert [(p.location, p.message) for p in result.warnings] == [
        ("Indicators", "the sheet has a header but no indicators below it")
    ]
    assert result.ignored == ('sheet "Instructions": not a sheet csckpi reads',)
    assert result.dataset is not None
    assert result.dataset.indicators == ()


def test_template_sheets_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, fy=2020)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Instructions",
        "Indicators",
        "Monthly",
        "Periods",
        "Targets",
        "Benchmarks",
        "Context",
        "Commentary",
    ]
    assert [c.value for c in wb["Commentary"][1]] == ["code", "period", "text", "carry", "author"]
    indicators = [c.value for c in wb["Indicators"][1]]
    # written as a person writes them (`new process from`), read as the layout names them
    assert {h.replace(" ", "_") for h in indicators} == {*INDICATORS, *INDICATORS_OPTIONAL}
    assert indicators[-2:] == ["baseline", "new process from"]
    assert indicators[:6] == ["code", "title", "section", "unit", "polarity", "measure"]
    monthly = [c.value for c in wb["Monthly"][1]]
    assert monthly[:2] == ["code", "part"]
    assert monthly[2] == dt.datetime(2020, 4, 1)
    assert monthly[-1] == dt.datetime(2021, 3, 1)
    assert len(monthly) == 14
    assert [c.value for c in wb["Context"]["A"]] == ["key", "council", "population_0_17"]
    assert wb["Context"]["C3"].value == "2020/21"


def test_instructions_list_every_allowed_value(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, fy=2020)
    text = "\n".join(
        str(cell.value) for row in load_workbook(path)["Instructions"].iter_rows() for cell in row
    )
    for enum in (Unit, Polarity, Measure, Comparator, TargetPer):
        assert allowed(enum) in text
    assert "csckpi ingest" in text


def test_filled_template_is_read(tmp_path: Path) -> None:
    """The template's own headers are what the reader reads: fill a row and it is a figure."""
    path = tmp_path / "template.xlsx"
    write_template(path, fy=2020)
    wb = load_workbook(path)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    header = sheets["Indicators"][0]
    row: list[object] = [None] * len(header)
    filled_in = {
        "code": "CSC 201",
        "title": "Children in care",
        "section": "CiC",
        "unit": "count",
        "polarity": "none",
        "measure": "snapshot",
        "baseline": "April 2020 to March 2021",
    }
    for name, value in filled_in.items():
        row[header.index(name)] = value
    sheets["Indicators"].append(row)
    sheets["Monthly"].append(["CSC 201", None, *range(270, 282)])
    sheets["Targets"].append(["CSC 201", "2020/21", 280, 5, "snapshot"])
    sheets["Benchmarks"].append(["CSC 201", "england", 250, "2019/20", "LAIT 2020", "revised"])
    sheets["Context"][1][1] = "Darlington"
    sheets["Context"][2][1] = 22450
    sheets["Commentary"].append(["CSC 201", "Dec-20", "Two sibling groups.", "yes", "A. Analyst"])
    filled = write(tmp_path / "filled.xlsx", sheets)
    result = read(filled)
    assert result.problems == ()
    dataset = result.dataset
    assert dataset is not None
    assert dataset.monthly.height == 12
    assert dataset.indicators[0].baseline == "Apr-20..Mar-21"  # as csckpi writes it
    assert dataset.monthly.get_column("value").to_list() == [float(v) for v in range(270, 282)]
    assert dataset.context.council == "Darlington"
    assert dataset.context.population == ((2020, 22450.0),)
    [comment] = dataset.commentary
    assert (comment.code, comment.period, comment.text, comment.carry, comment.author) == (
        "CSC 201",
        "2020-12",
        "Two sibling groups.",
        True,
        "A. Analyst",
    )
    assert comment.location == "Commentary!C2"
    assert dataset.targets.select("year", "part", "per", "value").rows() == [
        ("2020/21", "target", "snapshot", 280.0),
        ("2020/21", "tolerance", "snapshot", 5.0),
    ]
    assert dataset.benchmarks.select("comparator", "value", "source", "year").rows() == [
        ("england", 250.0, "LAIT 2020 (revised)", "2019/20")
    ]


def test_the_documented_column_order_covers_exactly_the_indicator_columns():
    from csckpi.workbook.layout import INDICATORS, INDICATORS_COLUMNS, INDICATORS_OPTIONAL

    assert sorted(INDICATORS_COLUMNS) == sorted(INDICATORS + INDICATORS_OPTIONAL)


def test_the_written_columns_are_the_read_ones_but_older_names():
    from csckpi.workbook import layout

    assert sorted(layout.TARGETS_COLUMNS) == sorted(layout.TARGETS + layout.TARGETS_OPTIONAL)
    # `source` is read (workbooks before `release`), never written
    assert sorted((*layout.BENCHMARKS_COLUMNS, "source")) == sorted(
        layout.BENCHMARKS + layout.BENCHMARKS_OPTIONAL
    )
