"""Targets and benchmarks that know their time (issue 14), through the workbook and the CLI.

- On the example, the 2020/21 comparisons are what they were: each indicator's target, and
  benchmarks of 2019/20 (LAIT 2020), none out of date, none withheld.
- `--period 2018/19` judges each year's figure by 2018/19's target (a Targets row) and by no
  benchmark newer than 2018/19, and says there is none.
- A Targets row for 2018/19 changes that year's RAG and sentence, and no other year's.
- No month or quarter of a count of events is set beside a year's benchmark.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import paragraphs
from csckpi.workbook import read_dataset

runner = CliRunner()
YEARS = ("2017/18", "2018/19", "2019/20")


def _workbook(
    source: Path,
    out: Path,
    targets: list[list[object]] = (),  # type: ignore[assignment]
    benchmarks: list[list[object]] = (),  # type: ignore[assignment]
) -> Path:
    """The example with a Targets sheet and Benchmarks rows added (as a user would add them)."""
    book = openpyxl.load_workbook(source)
    if targets:
        sheet = book.create_sheet("Targets")
        sheet.append(["code", "year", "target", "tolerance", "per"])
        for row in targets:
            sheet.append(row)
    if benchmarks:
        sheet = book["Benchmarks"]
        for row in benchmarks:
            sheet.append(row)
    book.save(out)
    return out


def _compare(workbook: Path, period: str, *codes: str) -> list[dict[str, object]]:
    args = ["compare", "-w", str(workbook), "-p", period, "-f", "json"]
    for code in codes:
        args += ["-i", code]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _narrate(workbook: Path, period: str, code: str) -> str:
    result = runner.invoke(app, ["narrate", "-w", str(workbook), "-p", period, "-i", code])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("period", ["Q3 2020/21", "2020-12", "2020/21 YTD", "Q2 2020/21"])
def test_the_example_s_2020_21_comparisons_are_its_targets_and_2019_20_benchmarks(
    example_workbook: Path, period: str
) -> None:
    data = read_dataset(example_workbook)
    comparisons = compare_many(data, resolve_period(data, period), [i.key for i in data.indicators])
    benchmarked = set(data.benchmarks.get_column("key"))
    for c in comparisons:
        assert c.target == c.indicator.target and c.target_year is None
        standing = c.facts.value
        assert standing.withheld is None and c.later_benchmarks is None
        if c.value is not None and c.key in benchmarked:
            assert len(standing.benchmarks) == 3, c.key
            assert {(b.year, b.source, b.stale) for b in standing.benchmarks} == {
                ("2019/20", "LAIT 2020", False)
            }


def test_2018_19_is_judged_by_its_own_target_and_no_later_benchmark(
    example_workbook: Path, tmp_path: Path
) -> None:
    # NEET's target was 33% in 2018/19 (30% now); CSC 229's 60% (68% now)
    book = _workbook(
        example_workbook,
        tmp_path / "t.xlsx",
        targets=[["CSC 294", "2018/19", 33, None, None], ["CSC 229", "2018/19", 60, 2, None]],
    )
    got = {c["code"]: c for c in _compare(book, "2018/19", "CSC 294", "CSC 229", "CSC 038")}
    assert (got["CSC 294"]["target"], got["CSC 294"]["target_year"]) == (33, "2018/19")
    assert (got["CSC 229"]["value"], got["CSC 229"]["target"], got["CSC 229"]["rag"]) == (
        64.4,
        60,
        "green",
    )
    # CSC 038 has no 2018/19 row: the Indicators sheet's 90%
    assert (got["CSC 038"]["target"], got["CSC 038"]["target_year"]) == (90, None)
    # the example's benchmarks describe 2019/20: none is set beside 2018/19, and it is said
    assert got["CSC 038"]["benchmarks_withheld"] == "only later benchmarks"
    assert got["CSC 038"]["later_benchmarks"] == "2019/20"
    assert [c["comparator"] for c in got["CSC 038"]["comparisons"]] == ["target", "last year"]
    text = _narrate(book, "2018/19", "CSC 038")
    assert "statistical neighbours" not in text and "LAIT" not in text
    assert (
        "There is no benchmark for 2018/19 or earlier to compare it with: the earliest is for "
        "2019/20." in text
    )
    block = runner.invoke(app, ["compare", "-w", str(book), "-p", "2018/19", "-i", "CSC 038"])
    assert "none for 2018/19 or earlier (the earliest is for 2019/20)" in block.stdout


def test_a_targets_row_for_2018_19_changes_that_year_s_rag_and_sentence_only(
    example_workbook: Path, tmp_path: Path
) -> None:
    book = _workbook(
        example_workbook, tmp_path / "t.xlsx", targets=[["CSC 229", "2018/19", 60, None, None]]
    )
    before = {y: _compare(example_workbook, y, "CSC 229")[0] for y in YEARS}
    after = {y: _compare(book, y, "CSC 229")[0] for y in YEARS}
    assert (before["2018/19"]["rag"], after["2018/19"]["rag"]) == ("red", "green")
    said_before = _narrate(example_workbook, "2018/19", "CSC 229")
    said_after = _narrate(book, "2018/19", "CSC 229")
    assert "below our target of 68%" in said_before
    assert "above our target of 60%" in said_after and "68%" not in said_after
    for year in ("2017/18", "2019/20"):
        assert after[year] == before[year]
        assert _narrate(book, year, "CSC 229") == _narrate(example_workbook, year, "CSC 229")


_FLOW_BENCHMARKS = [
    # section 47 enquiries: a count (flow), a rate to date (cumulative), referrals (flow)
    ["CSC 166", "england", 490, "2019/20", "LAIT 2020"],
    ["CSC 164", "statistical neighbours", 170.2, "2019/20", "LAIT 2020"],
    ["CSC 164", "england", 160.0, "2019/20", "LAIT 2020"],
    ["CSC 034", "region", 160, "2019/20", "LAIT 2020"],
    ["CSC 036", "england", 900, "2019/20", "LAIT 2020"],
]
_GROWING = ("CSC 166", "CSC 164", "CSC 034", "CSC 036")


@pytest.mark.parametrize(
    "period", ["Q1 2020/21", "Q2 2020/21", "Q3 2020/21", "2020-12", "2020-10", "2020/21 YTD"]
)
def test_no_month_or_quarter_of_a_count_of_events_is_set_beside_a_year_s_benchmark(
    example_workbook: Path, tmp_path: Path, period: str
) -> None:
    book = _workbook(example_workbook, tmp_path / "b.xlsx", benchmarks=_FLOW_BENCHMARKS)
    data = read_dataset(book)
    comparisons = compare_many(data, resolve_period(data, period), list(_GROWING))
    for c in comparisons:
        for standing in (c.facts.value, c.facts.flow, c.facts.ytd):
            assert standing.benchmarks == (), (c.key, standing.figure)
        assert c.facts.value.withheld is not None
    for paragraph in paragraphs(comparisons):
        facts = [f for s in paragraph.sentences for f in s.facts]
        assert not [f for f in facts if f.kind == "benchmark"], paragraph.key
        assert [f.reason for f in facts if f.kind == "benchmark note"] == ["not like for like"]
        assert "they count a whole year" in paragraph.text
    got = _compare(book, period, "CSC 166")[0]
    assert got["benchmarks_withheld"] == "not like for like"
    assert [c["comparator"] for c in got["comparisons"] if c["comparator"] == "england"] == []


def test_a_whole_year_of_a_count_is_set_beside_that_year_s_benchmark(
    example_workbook: Path, tmp_path: Path
) -> None:
    book = _workbook(example_workbook, tmp_path / "b.xlsx", benchmarks=_FLOW_BENCHMARKS)
    data = read_dataset(book)
    (c,) = compare_many(data, resolve_period(data, "2019/20"), ["CSC 166"])
    assert c.value == 484 and c.span == 12
    (england,) = c.facts.value.benchmarks
    assert (england.value, england.year, england.relation, england.stale) == (
        490,
        "2019/20",
        "below",
        False,
    )


def test_a_benchmark_more_than_two_years_older_than_the_period_is_marked_stale(
    example_workbook: Path, tmp_path: Path
) -> None:
    # the example's 2019/20 benchmarks against 2022/23 would be stale; a 2017/18 one for
    # 2020/21 is: three years before
    book = _workbook(
        example_workbook,
        tmp_path / "s.xlsx",
        benchmarks=[["CSC 183", "england", 98.0, "2017/18", "LAIT 2018"]],
    )
    (c,) = _compare(book, "Q3 2020/21", "CSC 183")
    (england,) = [x for x in c["comparisons"] if x["comparator"] == "england"]
    assert (england["year"], england["stale"]) == ("2017/18", True)
    text = _narrate(book, "Q3 2020/21", "CSC 183")
    assert "The benchmarks describe 2017/18, more than two years before 2020/21" in text
    (fresh,) = _compare(example_workbook, "Q3 2020/21", "CSC 038")
    assert not [x for x in fresh["comparisons"] if x.get("stale")]
