"""An indicator's control-limit baseline and its declared new processes (issue 15): read from
the Indicators sheet with each problem at its cell, kept in the store, and shown in compute,
compare, narrate and the report on a generated series with a change of process."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from spc_workbook import LATE, NEW, OLD, change_workbook
from typer.testing import CliRunner
from workbook_factory import base, write

from csckpi.cli import app
from csckpi.workbook import read

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("processes")
    return {
        "change": change_workbook(folder / "change.xlsx"),
        "none": change_workbook(folder / "none.xlsx", process=""),
        "baseline": change_workbook(
            folder / "baseline.xlsx", process="", baseline="Apr-18..Mar-19"
        ),
    }


def _rows(book: Path, *args: str) -> dict[str, dict]:
    result = run("compute", "-w", str(book), "-p", "Mar-21", "-f", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["key"]: row for row in json.loads(result.stdout)}


def _chart(book: Path, code: str, *args: str) -> dict:
    result = run("compare", "-w", str(book), "-p", "Mar-21", "-i", code, "-f", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[0]["spc"]


def test_the_series_are_what_the_docstring_says():
    """Guard for the fixtures: each stretch alternates about its own mean, 2 apart."""
    assert sum(OLD) / len(OLD) == 60 and sum(NEW) / len(NEW) == 70
    assert len(OLD) + len(NEW) == len(LATE) == 36
    assert {abs(a - b) for a, b in pairwise(OLD)} == {2}


# -- reading -------------------------------------------------------------------------------------


def _indicators(tmp_path: Path, baseline: object, process: object) -> Path:
    sheets = base()
    sheets["Indicators"][0] += ["baseline", "new process from"]
    sheets["Indicators"][1] += [baseline, process]
    return write(tmp_path / "book.xlsx", sheets)


def test_the_columns_are_read_and_written_as_csckpi_writes_them(tmp_path):
    result = read(_indicators(tmp_path, "April 2019 to March 2020", "Oct-20; 2021-04..2022-03"))
    assert result.dataset is not None
    csc038 = result.dataset.indicators[0]
    assert (csc038.baseline, csc038.new_process) == ("Apr-19..Mar-20", "Oct-20; Apr-21..Mar-22")
    # the factory's months are Oct-20 to Dec-20: the baseline is outside them, the 2021
    # process after them: warnings, at their cells
    said = {(p.location, p.kind) for p in result.warnings}
    assert said == {
        ("Indicators!H2", "baseline-outside-data"),
        ("Indicators!I2", "new-process-outside-data"),
    }
    (outside,) = [p for p in result.warnings if p.kind == "baseline-outside-data"]
    assert "the baseline Apr-19..Mar-20 has 0 months with a figure for CSC 038" in outside.message
    assert "need 12" in outside.message


@pytest.mark.parametrize(
    ("baseline", "process", "cell", "kind", "message"),
    [
        ("Apr-19 to whenever", None, "H2", "bad-baseline", "is not a range of months"),
        ("Mar-20..Apr-19", None, "H2", "bad-baseline", "ends (Apr-19) before it starts (Mar-20)"),
        (
            "Apr-19..Sep-19",
            None,
            "H2",
            "bad-baseline",
            "the baseline Apr-19..Sep-19 is 6 months; control limits need at least 12 — give 12 "
            "months or more, e.g. Apr-19..Mar-20",
        ),
        (None, "next spring", "I2", "bad-new-process", "is not a month a new process starts"),
        (None, "Oct-20; Oct-20", "I2", "repeated-new-process", "both start in Oct-20"),
        (
            "Apr-19..Mar-21",
            "Oct-20",
            "H2",
            "baseline-past-new-process",
            "the baseline Apr-19..Mar-21 runs past the new process from Oct-20 — end it by Sep-20",
        ),
        (None, "Apr-20..Jun-20", "I2", "bad-new-process", "is 3 months"),
    ],
)
def test_what_cannot_be_used_is_an_error_at_its_cell(
    tmp_path, baseline, process, cell, kind, message
):
    result = read(_indicators(tmp_path, baseline, process))
    assert result.dataset is None
    (error,) = result.errors
    assert (error.location, error.kind) == (f"Indicators!{cell}", kind)
    assert message in error.message


def test_a_bad_baseline_stops_the_command_with_its_cell(tmp_path):
    book = _indicators(tmp_path, "Apr-19..Sep-19", None)
    result = run("compute", "-w", str(book))
    assert result.exit_code == 1
    assert "Indicators!H2" in result.output and "is 6 months" in result.output
    assert "Traceback" not in result.output
    store = tmp_path / "kpi.db"
    ingest = run("ingest", str(book), "--store", str(store))
    assert ingest.exit_code == 1 and "Indicators!H2" in ingest.output


def test_a_baseline_outside_the_data_is_a_warning_only(tmp_path):
    book = _indicators(tmp_path, "Apr-15..Mar-16", None)
    result = run("ingest", str(book), "--store", str(tmp_path / "kpi.db"))
    assert result.exit_code == 0, result.output
    assert "Indicators!H2" in result.output and "has 0 months with a figure" in result.output
    strict = run("ingest", str(book), "--store", str(tmp_path / "other.db"), "--strict")
    assert strict.exit_code == 1


def test_the_store_keeps_them_for_every_command(books, tmp_path):
    store = tmp_path / "kpi.db"
    assert run("ingest", str(books["change"]), "--store", str(store)).exit_code == 0
    result = run("compute", "--store", str(store), "-p", "Mar-21", "-f", "json")
    rows = {row["key"]: row for row in json.loads(result.stdout)}
    assert rows == _rows(books["change"])
    assert rows["CSC191"]["variation"] == "common cause"


# -- compute -------------------------------------------------------------------------------------


def test_compute_judges_the_latest_month_by_the_new_process_s_limits(books):
    judged_apart = _rows(books["change"])["CSC191"]
    # each process alternates about its own mean: no signal
    assert (judged_apart["variation"], judged_apart["spc_reason"]) == ("common cause", None)
    # judged as one process, the second half is a shift above the mean of 65
    as_one = _rows(books["none"])["CSC191"]
    assert (as_one["variation"], as_one["variation_side"]) == ("special cause improvement", "high")
    late = _rows(books["change"])["CSC192"]
    assert late["variation"] is None
    assert (
        late["spc_reason"] == "no control limits yet: they need 15 months since Oct-20, there are 6"
    )


# -- compare -------------------------------------------------------------------------------------


def test_compare_json_gives_each_process_its_own_limits(books):
    chart = _chart(books["change"], "CSC191")
    old, new = chart["segments"]
    assert (old["start"], old["first"], old["last"], old["points"]) == (
        None,
        "2018-04",
        "2019-09",
        18,
    )
    assert (new["start"], new["first"], new["last"], new["points"]) == (
        "2019-10",
        "2019-10",
        "2021-03",
        18,
    )
    # mean ± 2.66 x 2 (every moving range within a process is 2), rounded to 2 places
    assert (old["lower"], old["mean"], old["upper"]) == (54.68, 60.0, 65.32)
    assert (new["lower"], new["mean"], new["upper"]) == (64.68, 70.0, 75.32)
    assert chart["signals"] == []
    assert (chart["variation"], chart["assurance"]) == ("common cause", "consistently failing")


def test_compare_draws_a_step_in_the_limits(books):
    result = run("compare", "-w", str(books["change"]), "-p", "Mar-21", "-i", "CSC191")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "To Sep-19: mean 60.0%, process limits 54.7% to 65.3% (18 months from Apr-18)" in text
    assert "From Oct-19: mean 70.0%, process limits 64.7% to 75.3% (18 months from Oct-19, " in text
    plot = text[text.index("Control chart") : text.index("└")].splitlines()[1:]
    means = [line.index("─") for line in plot if "mean" not in line and "─" in line]
    labelled = next(line for line in plot if "70.0% mean" in line)
    # the old mean's line starts at the left edge; the new mean's at its first month, Oct-19
    assert means and min(means) == len("    │")
    assert labelled.index("─") > len("    │") + 2 * 17
    late = run("compare", "-w", str(books["change"]), "-p", "Mar-21", "-i", "CSC192")
    assert "To Sep-20: mean 60.0%, process limits 54.7% to 65.3% (30 months from Apr-18)" in (
        late.stdout
    )
    assert (
        "From Oct-20: no control limits yet: they need 15 months since Oct-20, there are 6"
        in late.stdout
    )


def test_the_command_line_baseline_wins_over_the_workbook_s(books):
    own = _chart(books["baseline"], "CSC191")
    assert [s["baseline"] for s in own["segments"]] == [{"first": "2018-04", "last": "2019-03"}]
    given = _chart(books["baseline"], "CSC191", "--spc-baseline", "Apr-19..Mar-20")
    baselines = [s["baseline"] for s in given["segments"]]
    assert baselines == [None, {"first": "2019-04", "last": "2020-03"}]


def test_a_command_line_baseline_across_a_new_process_says_what_to_do(books):
    result = run(
        "compute", "-w", str(books["change"]), "-p", "Mar-21", "--spc-baseline", "Apr-19..Mar-20"
    )
    assert result.exit_code != 0
    assert "The baseline Apr-19..Mar-20 for CSC191 runs past the change of process in Oct-19" in (
        " ".join(result.output.split())
    )
    assert "Traceback" not in result.output


# -- narrate -------------------------------------------------------------------------------------


def _spc_sentence(book: Path, code: str) -> str:
    result = run("narrate", "-w", str(book), "-p", "Q4 2020/21", "-i", code, "-f", "json")
    assert result.exit_code == 0, result.output
    (paragraph,) = json.loads(result.stdout)["paragraphs"]
    (sentence,) = [s for s in paragraph["sentences"] if s["kind"] == "spc"]
    return sentence["text"]


def test_narrate_says_the_normal_range_of_the_new_process(books):
    assert _spc_sentence(books["change"], "CSC191") == (
        "March 2021 is within the normal range of 64.7% to 75.3% (control limits around the "
        "average of 70.0%, worked out from the new process of October 2019): common cause "
        "variation, not a significant change."
    )
    # judged as one process (the step's moving range of 8 among 34 of 2: mR-bar 76 / 35),
    # the month lies above 65 + 2.66 x 2.17 = 70.8
    assert _spc_sentence(books["none"], "CSC191") == (
        "March 2021 is above the upper control limit of 70.8% (the average is 65.0%) — a "
        "significant improvement."
    )
    # a process too new for limits of its own is said, as it was declared
    assert _spc_sentence(books["change"], "CSC192") == (
        "No control limits yet: they need 15 months since Oct-20, there are 6."
    )


# -- report --------------------------------------------------------------------------------------


def _svg(tmp_path: Path, book: Path) -> str:
    out = tmp_path / "report.html"
    result = run("report", "-w", str(book), "-p", "Q4 2020/21", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    start = html.index('id="chart-care-plans"')
    return html[start : html.index("</svg>", start)]


def _limits(panel: str) -> list[tuple[float, float, str]]:
    group = panel[panel.index('class="spc-limits"') :]
    group = group[: group.index("</g>")]
    return [
        (float(x1), float(x2), name)
        for x1, x2, name in re.findall(
            r'<line x1="([\d.]+)" x2="([\d.]+)"[^>]*><title>([a-z ]+ [\d.]+%)</title>', group
        )
    ]


def test_the_report_draws_each_month_s_own_limits_with_a_step_at_the_change(books, tmp_path):
    svg = _svg(tmp_path, books["change"])
    csc191, csc192 = svg.split('class="panel-title"')[1:]
    # CSC 191's year is all the new process: its limits, across the whole year
    drawn = _limits(csc191)
    assert {name for _, _, name in drawn} == {
        "upper limit 75.3%",
        "mean 70.0%",
        "lower limit 64.7%",
    }
    assert len({(x1, x2) for x1, x2, _ in drawn}) == 1
    # CSC 192's old limits stop at Sep-20, where a dotted line says new limits start
    old = _limits(csc192)
    assert {name for _, _, name in old} == {"upper limit 65.3%", "mean 60.0%", "lower limit 54.7%"}
    ((left, stop),) = {(x1, x2) for x1, x2, _ in old}
    change = re.search(r'class="spc-change" x1="([\d.]+)"', csc192)
    assert change is not None and float(change.group(1)) == stop
    grid = re.search(r'<line x1="([\d.]+)" x2="([\d.]+)"[^>]*stroke-width="0.6"', csc192)
    assert grid is not None and float(grid.group(1)) == left  # the plot's width
    right = float(grid.group(2))
    assert stop == pytest.approx(left + (right - left) * 6 / 12)  # April to September of 12
    assert "limits worked out again from Oct-20" in csc192
    assert "no control limits yet: they need 15 months since Oct-20, there are 6" in csc192
