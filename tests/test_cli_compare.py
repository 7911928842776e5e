"""`csckpi compare` through CliRunner: exact output, exit codes, and the CLI equals the library."""

from __future__ import annotations

import json

import pytest
from conftest import assert_golden
from test_compare import example_figures
from test_store import FakeRead
from typer.testing import CliRunner

from csckpi import spc
from csckpi.cli import app
from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import verdict
from csckpi.render.comparison import as_json, plain_text
from csckpi.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def example():
    return example_figures()


@pytest.fixture
def store(example, store_path):
    open_store(store_path).ingest(FakeRead(example), file="darlington-2020-21-q3.xlsx")
    return str(store_path)


def invoke(*args: str):
    return runner.invoke(app, ["compare", *args])


def library(dataset, period: str | None, keys: list[str]) -> list:
    """What the command does: SPC on, with the default rules (``spc.options()``)."""
    return compare_many(dataset, resolve_period(dataset, period), keys, spc.options())


def test_golden_csc038_year_to_date_from_the_workbook(example_workbook):
    result = invoke("-w", str(example_workbook), "-i", "CSC038", "-p", "2020/21 YTD")
    assert result.exit_code == 0, result.output
    assert_golden("compare-csc038-2020-21-ytd.txt", result.stdout)


def test_golden_csc181_december_from_the_workbook(example_workbook):
    result = invoke("--workbook", str(example_workbook), "--indicator", "CSC 181", "-p", "Dec-20")
    assert result.exit_code == 0, result.output
    assert_golden("compare-csc181-dec-20.txt", result.stdout)
    assert "better" not in result.stdout and "worse" not in result.stdout
    assert "lower than statistical neighbours (53.9), the regional average (70.0)" in (
        result.stdout
    )


def test_one_indicator_as_text_equals_the_library(store):
    result = invoke("--indicator", "csc038", "--period", "2020/21 YTD", "--store", store)
    assert result.exit_code == 0, result.output
    data = open_store(store).load()
    expected = library(data, "2020/21 YTD", ["CSC038"])
    assert result.stdout == plain_text(expected, [verdict(c) for c in expected])
    assert result.stderr == ""
    assert "  Target                               90.0%  4.8 points lower, worse · RAG red\n" in (
        result.stdout
    )


def test_the_block_ends_with_narrates_verdict(store):
    result = invoke("-i", "CSC 181", "-p", "Dec-20", "--store", store)
    assert result.exit_code == 0, result.output
    data = open_store(store).load()
    (c,) = library(data, "Dec-20", ["CSC181"])
    assert result.stdout.endswith(f"\n\n  {verdict(c)}\n")


def test_the_default_period_is_the_latest_month(store):
    result = invoke("-i", "CSC228", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3].startswith("  Dec-20 ")
    assert "  Same period last year (Dec-19)  10.7%  4.0 points lower, better\n" in result.stdout


def test_several_indicators_each_a_block_in_the_order_asked(store):
    result = invoke("-i", "CSC228", "-i", "CSC038", "-i", "csc228", "--store", store)
    assert result.exit_code == 0, result.output
    titles = [line.split("  ")[0] for line in result.stdout.splitlines() if line.startswith("CSC")]
    assert titles == ["CSC 228", "CSC 038"]


def test_a_section_by_part_of_its_name(store, example):
    result = invoke("--section", "child PROTECTION", "--store", store)
    assert result.exit_code == 0, result.output
    titles = [line.split("  ")[0] for line in result.stdout.splitlines() if line.startswith("CSC")]
    expected = [
        i.code
        for i in sorted(example.indicators, key=lambda i: i.order)
        if "child protection" in i.section.lower()
    ]
    assert titles == expected and len(titles) >= 2


def test_json_equals_the_library(store):
    result = invoke("-i", "CSC038", "-i", "CSC181", "-p", "Dec-20", "-f", "json", "--store", store)
    assert result.exit_code == 0, result.output
    data = open_store(store).load()
    expected = library(data, "Dec-20", ["CSC038", "CSC181"])
    assert json.loads(result.stdout) == json.loads(
        as_json(expected, [verdict(c) for c in expected])
    )
    benchmarks = [
        {k: c[k] for k in ("comparator", "value", "source", "better")}
        for c in json.loads(result.stdout)[1]["comparisons"]
    ]
    assert benchmarks == [
        {
            "comparator": "statistical neighbours",
            "value": 53.9,
            "source": "LAIT 2020",
            "better": None,
        },
        {"comparator": "region", "value": 70.0, "source": "LAIT 2020", "better": None},
        {"comparator": "england", "value": 42.8, "source": "LAIT 2020", "better": None},
    ]


def test_csv_is_clean_on_stdout(store):
    result = invoke("-i", "CSC228", "-f", "csv", "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "code,period,value,against,against_value,source,year,difference,relation,better"
    )
    assert [line.split(",")[3] for line in lines[1:]] == [
        "target",
        "statistical neighbours",
        "region",
        "england",
        "last year",
    ]


def test_markdown(store):
    result = invoke("-i", "CSC228", "-f", "markdown", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## CSC 228 ")


def test_an_unknown_code_suggests_the_nearest(store):
    result = invoke("-i", "CSC 22", "--store", store)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "csckpi: Indicator 'CSC 22' is not in the store csckpi.db. Did you mean 'CSC 022'?\n"
    )


def test_an_unknown_section_names_the_sections(store):
    result = invoke("-s", "Adoption", "--store", store)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "csckpi: No section of the store csckpi.db contains 'Adoption'. "
    )


def test_a_period_the_data_cannot_answer(store):
    result = invoke("-i", "CSC038", "-p", "Q4 2020/21", "--store", store)
    assert result.exit_code == 1
    assert result.stderr.startswith("csckpi: There are no figures after Dec-20")


def test_a_calendar_quarter_is_refused(store):
    result = invoke("-i", "CSC038", "-p", "2020-Q3", "--store", store)
    assert result.exit_code == 2  # a mistyped command line
    assert "calendar quarter" in result.stderr


def test_nothing_asked_is_a_usage_error(store):
    result = invoke("--store", store)
    assert result.exit_code == 2
    assert "--indicator" in result.output


def test_table_format_draws_a_panel_per_indicator(store):
    result = invoke("-i", "CSC228", "-i", "CSC038", "-f", "table", "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("╭─ CSC 228  % Children in Care with 3 or more placements")
    assert sum(line.startswith("╭─ CSC") for line in lines) == 2
    assert any("RAG green" in line for line in lines)
