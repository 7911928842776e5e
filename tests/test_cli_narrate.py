"""`csckpi narrate` through CliRunner: exact output, exit codes, and the CLI equals the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_golden
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.narrate import narrate
from csckpi.periods import Period
from csckpi.render.tables import to_json
from csckpi.workbook import read_dataset

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["narrate", *args])


def test_golden_summary_of_the_latest_complete_quarter(example_workbook):
    result = invoke("-w", str(example_workbook), "--summary")
    assert result.exit_code == 0, result.output
    assert_golden("narrate-q3-2020-21-summary.txt", result.stdout)
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "Darlington Performance Summary: Quarter 3 2020/21 (October to December 2020)"
    )
    assert lines[2] == "Key messages"
    first = next(i for i, line in enumerate(lines) if line.startswith("Referrals"))
    assert lines[first - 2].startswith("6. ")  # the key messages, then the paragraphs
    assert lines[first] == (
        "Referrals - Timeliness: 75.6% of referrals were completed within 1 working day during "
        "Q3 2020/21, with a year to date figure of 77.7%. Both figures are below our target of "
        "90%."
    )


def test_golden_analysis_as_markdown(example_workbook):
    result = invoke("-w", str(example_workbook), "-p", "Q3 2020/21", "-f", "markdown")
    assert result.exit_code == 0, result.output
    assert_golden("narrate-q3-2020-21-analysis.md", result.stdout)
    assert "## Assessments - Timeliness\n\n### CSC 038: % C&F Assessments" in result.stdout


def test_golden_analysis_of_a_month(example_workbook):
    result = invoke("-w", str(example_workbook), "--period", "Dec-20")
    assert result.exit_code == 0, result.output
    assert_golden("narrate-dec-20-analysis.txt", result.stdout)
    assert (
        "CSC 183: % Child Protection cases allocated to a qualified Social Worker\n"
        "As at December 2020, 100.0% of Child Protection cases were allocated to a qualified "
        "social worker. This is in line with our target of 100%. The figure has been 100.0% in "
        "every month since April 2020.\n"
    ) in result.stdout


def test_json_equals_the_library(example_workbook):
    result = invoke("-w", str(example_workbook), "--summary", "-f", "json", "-i", "CSC038")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    dataset = read_dataset(example_workbook)
    paragraphs = narrate(dataset, Period.of_quarter(2020, 3), ["CSC038"], summary=True)
    assert out["paragraphs"] == json.loads(to_json([p.as_dict() for p in paragraphs]))
    assert out["period"] == "Q3 2020/21" and out["council"] == "Darlington"
    assert out["settings"] == {
        "comparable_relative_percent": 1.0,
        "comparable_points": 0.5,
        "slight_relative_percent": 5.0,
        "slight_points": 1.0,
        "proportionate": True,
        "small_denominator": 10,
        "audience": "analyst",
        "phrasing": "varied",
    }
    standing = out["paragraphs"][0]["sentences"][1]
    assert [
        (f["comparator"], f["other"], f["relation"], f["better"]) for f in standing["facts"]
    ] == [
        ("target", 90.0, "below", False),
        ("statistical neighbours", 87.7, "below", False),
        ("region", 88.8, "below", False),
        ("england", 83.8, "above", True),
    ]


def test_golden_json_summary(example_workbook):
    result = invoke("-w", str(example_workbook), "--summary", "-f", "json")
    assert result.exit_code == 0, result.output
    assert_golden("narrate-q3-2020-21-summary.json", result.stdout)


def test_the_store_and_the_workbook_say_the_same(example_workbook, example_store):
    from_store = invoke("--store", str(example_store), "--summary", "-s", "Children in Care")
    from_workbook = invoke("-w", str(example_workbook), "--summary", "-s", "Children in Care")
    assert from_store.exit_code == 0, from_store.output
    assert from_store.stdout == from_workbook.stdout


def test_sections_and_indicators_filter(example_workbook):
    result = invoke("-w", str(example_workbook), "--summary", "-s", "care leavers", "-i", "CSC201")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Darlington Performance Summary: Quarter 3 2020/21 (October to December 2020)\n"
        "\n"
        "Children in Care: 284 children were in care as at December 2020. This is a slight "
        "increase on the 280 children as at December 2019 (4 more).\n"
        "\n"
        "Care Leavers: 98.0% of our care leavers were in suitable accommodation as at December "
        "2020. At 98.0%, the figure is positively above our target of 95%.\n"
        "\n"
        "As at December 2020, 26.5% of our care leavers were Not in Education, Employment or "
        "Training (NEET). The figure is positively below our target of 30%.\n"
    )


DEC_19 = "as at December 2019 (4 more)"


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (
            (),
            "This is a slight increase on the 280 children as at December 2019 (4 more).",
        ),
        (
            ("--slight", "1"),
            "This is an increase on the 280 children as at December 2019 (4 more).",
        ),
        (
            ("--comparable", "2/0.5"),
            "This is comparable to the 280 children as at December 2019 (4 more).",
        ),
    ],
)
def test_thresholds_from_the_command_line(example_workbook, options, words):
    result = invoke("-w", str(example_workbook), "--summary", "--plain", "-i", "CSC 201", *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].endswith(words)


def test_a_patterns_file(example_workbook, tmp_path: Path):
    patterns = tmp_path / "patterns.toml"
    patterns.write_text(
        '["CSC 201"]\nsummary = "{council} looked after {value} children {period_wording}."\n',
        encoding="utf-8",
    )
    result = invoke(
        "-w", str(example_workbook), "--summary", "-i", "CSC201", "--patterns", str(patterns)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "Children in Care: Darlington looked after 284 children as at December 2020."
    )


def test_an_unknown_indicator(example_workbook):
    result = invoke("-w", str(example_workbook), "-i", "CSC 22")
    assert result.exit_code == 1
    assert result.stdout == ""
    # the message is compare's (find_indicator); narrate passes it through unchanged
    assert result.stderr.startswith("csckpi: Indicator 'CSC 22' is not in the workbook")
    assert result.stderr.endswith(" Did you mean 'CSC 022'?\n")
    assert result.stderr.count("\n") == 1


def test_a_period_the_data_cannot_answer(example_workbook):
    result = invoke("-w", str(example_workbook), "-p", "Q4 2020/21")
    assert result.exit_code == 1
    assert result.stderr.startswith("csckpi: There are no figures after Dec-20, so Q4 2020/21")


def test_a_bad_threshold_is_a_usage_error(example_workbook):
    result = invoke("-w", str(example_workbook), "--slight", "lots")
    assert result.exit_code == 2
    assert "'lots' is not a threshold; write e.g. 2 or 2/0.5" in result.stderr


def test_a_bad_patterns_file(example_workbook, tmp_path: Path):
    patterns = tmp_path / "p.toml"
    patterns.write_text('summary = "{headline}. {vlaue}."\n', encoding="utf-8")
    result = invoke("-w", str(example_workbook), "--patterns", str(patterns))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "csckpi: The sentence pattern '{headline}. {vlaue}.' uses {vlaue}, which csckpi does "
        "not know. Did you mean {value}? Placeholders: basis, benchmark_note, benchmark_standing, "
        "caution,"
    )


def test_help_lists_the_options():
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--summary", "--comparable", "--slight", "--small", "--patterns", "--format"):
        assert option in result.stdout


def test_comparable_above_the_default_slight_says_how_to_give_both(example_workbook):
    result = invoke("-w", str(example_workbook), "--comparable", "2")
    assert result.exit_code == 2
    assert (
        "'comparable' (2/2) must not be larger than 'slight' (5/1); give both, e.g. "
        "--comparable 2/2 --slight 5/2"
    ) in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("period", "heading"),
    [
        # was "Darlington: 2020/21 to December 2020 Performance Analysis"
        ("2020/21 YTD", "Darlington Performance Analysis: April to December 2020"),
        # was "Darlington: December 2020 Performance Analysis"
        ("Dec-20", "Darlington Performance Analysis: December 2020"),
    ],
)
def test_the_heading_reads_as_a_committee_report_heads_it(example_workbook, period, heading):
    result = invoke("-w", str(example_workbook), "-p", period, "-i", "CSC 201")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == heading


def test_a_period_heading_names_its_months():
    from csckpi.periods import Month

    assert Period.of_month(Month(2020, 12)).heading == "December 2020"
    assert Period.of_quarter(2020, 4).heading == "Quarter 4 2020/21 (January to March 2021)"
    assert Period.of_ytd(2020, Month(2021, 2)).heading == "April 2020 to February 2021"
    assert Period.of_year(2020).heading == "2020/21 (April 2020 to March 2021)"
