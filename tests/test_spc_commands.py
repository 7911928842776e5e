"""SPC through the command line: the example's "too few months", and a generated 24-month
workbook with a step change in Apr-20, whose shift each command reports from that month."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from spc_workbook import FIRST_YEAR, SECOND_YEAR, step_workbook
from typer.testing import CliRunner
from workbook_factory import base, write

from csckpi.cli import app

runner = CliRunner()
TOO_FEW = "no control limits yet: they need 15 months, there are 9"


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture(scope="module")
def step(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return step_workbook(tmp_path_factory.mktemp("spc") / "step.xlsx")


def _by_key(stdout: str) -> dict[str, dict]:
    return {row["key"]: row for row in json.loads(stdout)}


# -- compute -------------------------------------------------------------------------------------


def test_compute_says_the_example_has_too_few_months(example_workbook):
    result = run("compute", "-w", str(example_workbook), "-p", "Q3 2020/21", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = _by_key(result.stdout)
    assert rows["CSC038"]["spc_reason"] == TOO_FEW
    assert (rows["CSC038"]["variation"], rows["CSC038"]["assurance"]) == (None, None)
    # nothing in the example has limits: every indicator says why
    assert all(
        r["spc_reason"].startswith("no control limits yet: they need 15 months")
        for r in rows.values()
    )


def test_compute_finds_the_step_as_special_cause_improvement(step):
    result = run("compute", "-w", str(step), "-p", "Mar-21", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = _by_key(result.stdout)
    referrals = rows["CSC191"]
    assert referrals["variation"] == "special cause improvement"
    assert referrals["variation_side"] == "high"
    # the target (90%) lies above the upper limit: the process cannot be relied on to meet it
    assert referrals["assurance"] == "consistently failing"
    assert referrals["spc_reason"] is None
    assert rows["CSC201"]["variation"] == "common cause"
    assert rows["CSC201"]["assurance"] is None  # no target, polarity none


def test_compute_judges_a_period_on_its_own_months(step):
    """Mar-20 has only the first twelve months: too few for limits, whatever came later."""
    result = run("compute", "-w", str(step), "-p", "Mar-20", "-f", "json")
    assert _by_key(result.stdout)["CSC191"]["spc_reason"] == (
        "no control limits yet: they need 15 months, there are 12"
    )


def test_the_table_shows_the_icons_as_symbols_and_words(step):
    result = run("compute", "-w", str(step), "-p", "Mar-21", "-f", "text")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Variation" in lines[2] and "Assurance" in lines[2]
    referrals = next(line for line in lines if line.startswith("CSC 191"))
    assert "↑ improving" in referrals and "✗ failing" in referrals
    steady = next(line for line in lines if line.startswith("CSC 201"))
    assert "~ common cause" in steady


def test_the_table_leaves_out_the_spc_columns_when_nothing_has_limits(example_workbook):
    result = run("compute", "-w", str(example_workbook), "-p", "Q3 2020/21", "-f", "text")
    assert "Variation" not in result.stdout and "Assurance" not in result.stdout


def test_csv_has_the_spc_columns(step):
    result = run("compute", "-w", str(step), "-p", "Mar-21", "-f", "csv")
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["CSC191"]["variation"] == "special cause improvement"
    assert rows["CSC191"]["assurance"] == "consistently failing"


def test_spc_rules_none_leaves_the_columns_empty(step):
    result = run("compute", "-w", str(step), "-p", "Mar-21", "-f", "json", "--spc-rules", "none")
    assert result.exit_code == 0, result.output
    row = _by_key(result.stdout)["CSC191"]
    assert (row["variation"], row["assurance"], row["spc_reason"]) == (None, None, None)


def test_a_shorter_shift_and_a_baseline_are_taken(step):
    """Limits from the first year alone (mean ~60.2): every later month is far above them."""
    result = run(
        "compute", "-w", str(step), "-p", "Mar-21", "-f", "json",
        "--spc-baseline", "Apr-19..Mar-20", "--spc-shift", "6",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    row = _by_key(result.stdout)["CSC191"]
    assert row["variation"] == "special cause improvement"
    assert row["variation_side"] == "high"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--spc-rules", "mcd"], "There is no SPC rule set 'mcd'. Did you mean 'mdc'?"),
        (["--spc-shift", "9"], "A shift of 9 points is outside the range"),
        (["--spc-rules", "western-electric", "--spc-trend", "7"], "no trend test"),
        (["--spc-baseline", "Apr-19..Jun-19"], "The baseline Apr-19..Jun-19 is 3 months"),
        (["--spc-rules", "none", "--spc-shift", "6"], "SPC is off"),
    ],
)
def test_spc_options_that_cannot_be_used_are_usage_errors(step, args, message):
    result = run("compute", "-w", str(step), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_step_series_is_what_the_docstring_says():
    """Guard for the fixtures: the two years do not overlap, so the step is clean."""
    assert max(FIRST_YEAR) < min(SECOND_YEAR)
    mean = (sum(FIRST_YEAR) + sum(SECOND_YEAR)) / 24
    assert max(FIRST_YEAR) < mean < min(SECOND_YEAR)


# -- compare -------------------------------------------------------------------------------------


def test_compare_json_lists_the_limits_and_the_shift_from_april_2020(step):
    result = run("compare", "-w", str(step), "-p", "Mar-21", "-i", "CSC191", "-f", "json")
    assert result.exit_code == 0, result.output
    chart = json.loads(result.stdout)[0]["spc"]
    assert chart["rules"] == "mdc"
    assert chart["latest"] == "2021-03"
    (segment,) = chart["segments"]
    mean = (sum(FIRST_YEAR) + sum(SECOND_YEAR)) / 24
    assert segment["mean"] == round(mean, 2)
    assert segment["lower"] < segment["mean"] < segment["upper"]
    assert (segment["first"], segment["last"], segment["points"]) == ("2019-04", "2021-03", 24)
    shifts = [s for s in chart["signals"] if s["rule"] == "shift"]
    high = [s for s in shifts if s["side"] == "high"]
    assert len(high) == 1
    assert high[0]["first"] == "2020-04"  # the step's month
    assert high[0]["months"] == [f"{y}-{m:02d}" for y, m in _year_from(2020)]
    assert high[0]["judgement"] == "improvement"
    assert chart["variation"] == "special cause improvement"


def _year_from(year: int) -> list[tuple[int, int]]:
    return [(year + (3 + i) // 12, (3 + i) % 12 + 1) for i in range(12)]


def test_compare_draws_the_chart_readable_without_colour(step):
    result = run("compare", "-w", str(step), "-p", "Mar-21", "-i", "CSC191", "-f", "text")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Control chart (mdc rules): 24 months, Apr-19 to Mar-21" in text
    assert "mean" in text and "upper limit" in text and "lower limit" in text
    assert "◆ special cause improvement" in text  # the legend names every glyph
    assert "Signal: a shift (high), Apr-20 to Mar-21, 12 months — improvement" in text
    assert "Mar-21: ↑ improving; ✗ failing" in text


def test_compare_says_the_example_has_too_few_months(example_workbook):
    result = run("compare", "-w", str(example_workbook), "-i", "CSC038", "-p", "Dec-20")
    assert "Control chart: no control limits yet: they need 15 months, there are 9" in result.stdout
    data = run("compare", "-w", str(example_workbook), "-i", "CSC038", "-p", "Dec-20", "-f", "json")
    chart = json.loads(data.stdout)[0]["spc"]
    assert chart["reason"] == TOO_FEW
    assert chart["signals"] == [] and chart["segments"] == []  # no month of its own to chart


# -- report --------------------------------------------------------------------------------------


def _report(tmp_path: Path, workbook: Path, period: str, name: str, *args: str) -> str:
    out = tmp_path / name
    result = run("report", "-w", str(workbook), "-p", period, "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_report_draws_the_limits_and_both_icons(step, tmp_path):
    html = _report(tmp_path, step, "Q4 2020/21", "q4.html")
    referrals = html[html.index('id="chart-care-plans"') :]
    referrals = referrals[: referrals.index("</svg>")]
    assert 'class="spc-limits"' in referrals
    for line in ("upper limit", "mean", "lower limit"):
        assert line in referrals
    assert "special cause improvement" in referrals and "consistently failing" in referrals
    # every month of 2020/21 is in the signals that began in Apr-20: each is ringed
    assert referrals.count('class="special"') == 12
    # the chart's title, what a screen reader reads, has the icons in words
    assert "CSC 191 (special cause improvement (high); consistently failing)" in referrals
    assert "special cause improvement (high); consistently failing" in html  # the SPC row


def test_the_report_says_the_icons_in_words_in_markdown(step, tmp_path):
    text = _report(tmp_path, step, "Q4 2020/21", "q4.md")
    row = next(line for line in text.splitlines() if "| SPC |" in line)
    assert "special cause improvement (high); consistently failing" in row


def test_the_report_says_too_few_months_only_when_asked(example_workbook, tmp_path):
    plain = _report(tmp_path, example_workbook, "Q3 2020/21", "plain.md")
    assert "no control limits yet" not in plain and "| SPC |" not in plain
    asked = _report(tmp_path, example_workbook, "Q3 2020/21", "asked.md", "--spc-rules", "mdc")
    assert "no control limits yet: they need 15 months, there are 9" in asked
    row = next(line for line in asked.splitlines() if "| SPC |" in line)
    assert row.count("no control limits yet: they need 15 months") >= 1


# -- narrate -------------------------------------------------------------------------------------


def _narrate(*args: str) -> dict:
    result = run("narrate", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _spc_sentences(data: dict, key: str) -> list[dict]:
    (found,) = [p for p in data["paragraphs"] if p["key"] == key]
    return [s for s in found["sentences"] if s["kind"] == "spc"]


def test_narrate_says_the_shift_from_april_2020(step):
    data = _narrate("-w", str(step), "-p", "Q4 2020/21", "-i", "CSC191")
    (sentence,) = _spc_sentences(data, "CSC191")
    # Apr-20 to Mar-21: the twelfth month in a row, so the shift began in Apr-20
    assert sentence["text"] == (
        "March 2021 is the twelfth month in a row above the average of 60.0% — a significant "
        "improvement."
    )
    (fact,) = sentence["facts"]
    assert (fact["relation"], fact["count"], fact["better"]) == ("shift", 12, True)
    assert fact["value"] == pytest.approx(60.0)


def test_narrate_counts_the_months_of_the_shift_to_the_period(step):
    """Sep-20 is the sixth month since the step: too few for a shift of 7 (no signal yet);
    Oct-20 is the seventh."""
    september = _narrate("-w", str(step), "-p", "Sep-20", "-i", "CSC191")
    (before,) = _spc_sentences(september, "CSC191")
    assert before["text"].startswith("September 2020 is within the normal range of")
    october = _narrate("-w", str(step), "-p", "Oct-20", "-i", "CSC191")
    (sentence,) = _spc_sentences(october, "CSC191")
    assert sentence["text"].startswith("October 2020 is the seventh month in a row above")


def test_narrate_qualifies_a_movement_within_the_normal_range(step):
    # 280 and 284 alternating: mean 282, every moving range 4, limits 282 ± 2.66 x 4 = 271.36
    # to 292.64, shown as counts
    data = _narrate("-w", str(step), "-p", "Q4 2020/21", "-i", "CSC201")
    (sentence,) = _spc_sentences(data, "CSC201")
    assert sentence["text"] == (
        "March 2021 is within the normal range of 271 to 293 (control limits around the "
        "average of 282): common cause variation, not a significant change."
    )


def test_narrate_says_too_few_months_only_when_asked(example_workbook):
    plain = _narrate("-w", str(example_workbook), "-i", "CSC038")
    assert _spc_sentences(plain, "CSC038") == []  # the example's sentences are unchanged
    asked = _narrate("-w", str(example_workbook), "-i", "CSC038", "--spc-rules", "mdc")
    (sentence,) = _spc_sentences(asked, "CSC038")
    assert sentence["text"] == "No control limits yet: they need 15 months, there are 9."


def test_the_report_analysis_has_the_shift_sentence(step, tmp_path):
    html = _report(tmp_path, step, "Q4 2020/21", "analysis.html")
    assert "March 2021 is the twelfth month in a row above the average of 60.0%" in html


# -- assurance by the year's target ------------------------------------------------------------


def test_assurance_is_judged_by_the_year_s_own_target(tmp_path):
    """The Indicators sheet's 90% lies above the upper limit (consistently failing); a
    Targets row of 60% for 2020/21 lies between the limits (hit and miss) in 2020/21 alone,
    in compute, compare and the report."""
    targets = [["code", "year", "target"], ["CSC 191", "2020/21", 60]]
    book = step_workbook(tmp_path / "targets.xlsx", Targets=targets)
    rows = _by_key(run("compute", "-w", str(book), "-p", "Mar-21", "-f", "json").stdout)
    assert rows["CSC191"]["assurance"] == "hit and miss"
    assert (rows["CSC191"]["target"], rows["CSC191"]["target_year"]) == (60, "2020/21")
    compared = run("compare", "-w", str(book), "-p", "Mar-21", "-i", "CSC191", "-f", "json")
    assert json.loads(compared.stdout)[0]["spc"]["assurance"] == "hit and miss"
    html = _report(tmp_path, book, "Q4 2020/21", "targets.html")
    assert "CSC 191 (special cause improvement (high); hit and miss)" in html
    # a row for another year changes nothing in this one
    other = [["code", "year", "target"], ["CSC 191", "2019/20", 60]]
    book = step_workbook(tmp_path / "other.xlsx", Targets=other)
    rows = _by_key(run("compute", "-w", str(book), "-p", "Mar-21", "-f", "json").stdout)
    assert rows["CSC191"]["assurance"] == "consistently failing"


def test_narrate_says_why_a_figure_to_date_without_parts_has_no_limits(tmp_path):
    # 20 months of a year-to-date percentage with no numerator and denominator: enough months,
    # but no month's own figure; the reason is the sentence (it once read "No no control ...")
    months = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(20)]
    sheets = {
        "Indicators": base()["Indicators"][:2],  # the header and CSC 038, a year to date
        "Monthly": [
            ["code", "part", *months],
            ["CSC 038", "value", *(80 + i % 3 for i in range(20))],
        ],
    }
    book = write(tmp_path / "to-date.xlsx", sheets)
    data = _narrate("-w", str(book), "-i", "CSC038", "--spc-rules", "mdc")
    (sentence,) = _spc_sentences(data, "CSC038")
    assert sentence["text"] == (
        "No control limits for a figure to date without its numerator and denominator: its "
        "months run up from April, and a month's own figure is not known."
    )
