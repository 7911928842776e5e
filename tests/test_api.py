"""The library's calls (csckpi.api, docs/api.md): the page's session runs as shown, `import
csckpi` stays light, and the commands give exactly what the library gives."""

from __future__ import annotations

import doctest
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import csckpi
from csckpi import api
from csckpi.cli import app
from csckpi.numbers import shown
from tests.conftest import EXAMPLE, ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def kpi() -> api.Performance:
    return csckpi.load(workbook=EXAMPLE)


def _cli_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--workbook", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_notebook_session_in_docs_api_runs_as_shown(tmp_path: Path, monkeypatch):
    shutil.copy(EXAMPLE, tmp_path / "performance.xlsx")
    monkeypatch.chdir(tmp_path)
    failed, attempted = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        report=True,
    )
    assert attempted >= 15 and failed == 0
    # what the session says it did, it did
    assert (tmp_path / "csckpi.db").stat().st_size > 0
    assert "CSC 038" in (tmp_path / "q3-report.html").read_text(encoding="utf-8")


def test_import_csckpi_loads_no_heavy_library():
    code = (
        "import sys, csckpi; heavy = {'polars', 'openpyxl', 'typer', 'rich', 'typing'} & "
        "set(sys.modules); assert not heavy, heavy; assert callable(csckpi.load)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_package_offers_the_calls_it_lists():
    assert set(csckpi.__all__) <= set(dir(csckpi))
    assert csckpi.load is api.load and csckpi.Performance is api.Performance
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        csckpi.nothing  # noqa: B018


def test_compute_json_is_the_librarys_frame(kpi: api.Performance):
    rows = _cli_json("compute", "--period", "Dec-20")
    frame = kpi.compute("Dec-20")
    assert [r["code"] for r in rows] == frame.get_column("code").to_list()
    for row, mine in zip(rows, frame.iter_rows(named=True), strict=True):
        for field in ("value", "ytd", "last_year", "previous"):  # written as shown (rounded)
            assert row[field] == shown(mine[field], mine["decimals"]), (row["code"], field)
        for field in ("target", "rag", "direction", "basis", "reason"):
            assert row[field] == mine[field], (row["code"], field)


def test_compare_json_is_the_librarys_facts(kpi: api.Performance):
    codes = ["CSC038", "CSC022", "CSC201"]
    rows = _cli_json("compare", "--period", "Q3 2020/21", *[a for c in codes for a in ("-i", c)])
    comparisons = kpi.compare("Q3 2020/21", codes)
    assert [r["key"] for r in rows] == [c.indicator.key for c in comparisons]
    for row, mine in zip(rows, comparisons, strict=True):
        target = mine.facts.value.target
        assert row["target_relation"] == (target.relation.value if target else None)
        assert row["target_better"] == (target.better if target else None)
        listed = {b["comparator"]: b for b in row["comparisons"]}
        for benchmark in mine.facts.value.benchmarks:
            assert listed[benchmark.comparator.value]["relation"] == benchmark.relation.value
            assert listed[benchmark.comparator.value]["better"] == benchmark.better
        last_year = mine.facts.last_year
        assert row["direction"] == (mine.direction.value if mine.direction else None)
        assert ("last year" in listed) == (last_year is not None)
        if last_year is not None:
            assert listed["last year"]["relation"] == last_year.relation.value


@pytest.mark.parametrize("summary", [False, True], ids=["analysis", "summary"])
def test_narrate_json_is_the_librarys_paragraphs(kpi: api.Performance, summary: bool):
    args = ["narrate", "--period", "Q3 2020/21"] + (["--summary"] if summary else [])
    out = _cli_json(*args)
    paragraphs = out["paragraphs"]
    if summary:  # key messages, then the notable indicators' paragraphs
        said = kpi.summarise("Q3 2020/21")
        mine = list(said.paragraphs)
        assert [m["text"] for m in out["key_messages"]] == [m.text for m in said.messages]
        assert out["left_out"] == list(said.quiet)
        assert len(mine) + len(said.quiet) == len(kpi.narrate("Q3 2020/21", summary=True))
    else:
        mine = kpi.narrate("Q3 2020/21", summary=summary)
    assert len(paragraphs) == len(mine) > 10
    assert [p["text"] for p in paragraphs] == [p.text for p in mine]


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    real: Callable[..., Any] = getattr(api.Performance, name)

    def counted(self: api.Performance, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(api.Performance, name, counted)
    return calls


@pytest.mark.parametrize(
    ("command", "call"),
    [
        (["compute", "--period", "Dec-20"], "scorecard"),
        (["compare", "-i", "CSC038"], "compare"),
        (["narrate"], "narrate"),
        (["report", "-o", "{tmp}/r.md"], "build_report"),
    ],
    ids=["compute", "compare", "narrate", "report"],
)
def test_each_command_is_built_on_its_library_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: list[str], call: str
):
    calls = _counting(monkeypatch, call)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = runner.invoke(app, [*args, "--workbook", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1


def test_ingest_reads_and_stores_as_the_command_does(tmp_path: Path):
    summary = csckpi.ingest(EXAMPLE, tmp_path / "a.db")
    assert summary.ok and summary.outcome.value == "written"
    again = csckpi.ingest(EXAMPLE, tmp_path / "a.db")
    assert again.outcome.value == "already"
    result = runner.invoke(app, ["ingest", str(EXAMPLE), "--store", str(tmp_path / "b.db")])
    assert result.exit_code == 0, result.output
    ours = csckpi.load(tmp_path / "a.db").compute("Dec-20")
    theirs = csckpi.load(tmp_path / "b.db").compute("Dec-20")
    assert ours.equals(theirs)


def test_a_problem_is_raised_with_the_commands_message(kpi: api.Performance):
    from csckpi.errors import CsckpiError

    with pytest.raises(CsckpiError) as raised:
        kpi.compute("Dec-30")
    result = runner.invoke(app, ["compute", "-p", "Dec-30", "--workbook", str(EXAMPLE)])
    assert result.exit_code != 0
    assert str(raised.value) in result.stderr


def test_report_by_the_files_name_or_a_format(kpi: api.Performance, tmp_path: Path):
    from csckpi.errors import OutputError

    assert kpi.report(tmp_path / "r.md", "Q3 2020/21").read_text(encoding="utf-8").startswith("#")
    written = kpi.report(tmp_path / "report.txt", "Q3 2020/21", format="md")
    assert written.read_text(encoding="utf-8").startswith("#")
    with pytest.raises(OutputError, match="cannot tell the report's format"):
        kpi.report(tmp_path / "report.txt", "Q3 2020/21")
    with pytest.raises(OutputError, match="'docx' is not one of"):
        kpi.report(tmp_path / "report.docx", "Q3 2020/21", format="docx")


@pytest.mark.parametrize("rules", ["mdc", "none"])
@pytest.mark.parametrize("period", ["Mar-21", "Q3 2020/21"])
def test_the_scorecard_is_compute_and_trend(tmp_path: Path, rules: str, period: str):
    """csckpi compute's one call gives what compute() and trend() give apart, the trend read
    from the months SPC made (24 months: the window lies inside them) or made afresh."""
    from spc_workbook import step_workbook

    from csckpi.spc import options

    kpi = csckpi.load(workbook=step_workbook(tmp_path / "step.xlsx"))
    spc = options(rules)
    frame, window = kpi.scorecard(period, spc=spc, months=12)
    assert frame.equals(kpi.compute(period, spc=spc))
    assert window.equals(kpi.trend(period, frame.get_column("key").to_list(), 12))
    assert window.height == 24  # two indicators, twelve months each
    assert frame.get_column("variation").is_null().all() is (rules == "none")
