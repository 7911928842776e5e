"""`csckpi history` and `csckpi indicators` on a store built by hand (CLI through CliRunner)."""

from __future__ import annotations

import json

import pytest
from conftest import assert_golden
from test_store import MONTHS, FakeRead, make_dataset
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.model import Problem, Severity
from csckpi.numbers import exact as number
from csckpi.render.formats import emit
from csckpi.render.history import text_table
from csckpi.render.outputs_store import ROWS, Rows
from csckpi.render.problems import print_problems
from csckpi.store import open_store

runner = CliRunner()


@pytest.fixture
def two_ingests(place):
    """November's workbook, then December's with Oct-20 revised: times fixed for golden output."""
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64), file="nov.xlsx")
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    store.ingest(FakeRead(dec, sha256="2" * 64), file="dec.xlsx")
    place.execute("UPDATE ingests SET ingested_at = '2020-11-20T09:15:00Z' WHERE id = 1")
    place.execute("UPDATE ingests SET ingested_at = '2020-12-18T10:30:00Z' WHERE id = 2")
    return place.location


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_history_shows_both_values_of_a_revised_month(two_ingests):
    result = invoke(
        "history", "--indicator", "csc038", "--period", "Oct-20", "--store", str(two_ingests)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "CSC 038: Indicator CSC 038\n"
        "\n"
        "period  figure       value  ingested          ingest  file      cell        latest\n"
        "------  -----------  -----  ----------------  ------  --------  ----------  ------\n"
        "Oct-20  value           10  2020-11-20 09:15       1  nov.xlsx  Monthly!C3\n"
        "Oct-20  value         85.2  2020-12-18 10:30       2  dec.xlsx  Monthly!C3  yes\n"
        "Oct-20  numerator     10.1  2020-11-20 09:15       1  nov.xlsx  Monthly!D3  yes\n"
        "Oct-20  denominator   10.2  2020-11-20 09:15       1  nov.xlsx  Monthly!E3  yes\n"
    )


def test_history_of_a_whole_indicator(two_ingests):
    result = invoke("history", "-i", "CSC 038", "--store", str(two_ingests))
    assert result.exit_code == 0, result.output
    assert_golden("history-csc038.txt", result.stdout)


def test_history_as_json_for_scripts(two_ingests):
    result = invoke(
        "history", "-i", "CSC038", "-p", "2020-10", "--store", str(two_ingests), "--format", "json"
    )
    rows = json.loads(result.stdout)
    assert [(r["value"], r["file"], r["latest"]) for r in rows if r["figure"] == "value"] == [
        (10.0, "nov.xlsx", False),
        (85.2, "dec.xlsx", True),
    ]
    assert all(type(r["latest"]) is bool for r in rows)
    assert '"latest": true' in result.stdout and '"latest": false' in result.stdout
    csv_text = invoke(
        "history", "-i", "CSC038", "-p", "2020-10", "--store", str(two_ingests), "-f", "csv"
    ).stdout
    assert csv_text.splitlines()[1:3] == [
        "Oct-20,value,10.0,2020-11-20 09:15,1,nov.xlsx,Monthly!C3,",
        "Oct-20,value,85.2,2020-12-18 10:30,2,dec.xlsx,Monthly!C3,yes",
    ]


def test_history_json_gives_counts_as_integers(example_workbook, store_path):
    assert invoke("ingest", str(example_workbook), "--store", str(store_path)).exit_code == 0
    count = json.loads(
        invoke("history", "-i", "CSC036", "--store", str(store_path), "-f", "json").stdout
    )
    assert [type(r["value"]) for r in count] == [int] * len(count)
    assert {r["value"] for r in count if r["period"] == "Dec-20"} == {534}
    percent = json.loads(
        invoke(
            "history", "-i", "CSC038", "-p", "Dec-20", "--store", str(store_path), "-f", "json"
        ).stdout
    )
    values = {r["figure"]: r["value"] for r in percent}
    assert values == {"value": 85.2, "numerator": 455, "denominator": 534}
    assert type(values["numerator"]) is int  # a numerator counts children
    assert all(r["latest"] is True for r in percent)


def test_history_of_an_unknown_code_suggests_the_nearest(two_ingests, place):
    result = invoke("history", "-i", "CSC 20", "--store", str(two_ingests))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr == f"csckpi: Indicator 'CSC 20' is not in the store {place.name}. "
        "Did you mean 'CSC 201' or 'CSC 038'?\n"
    )


def test_history_of_a_period_with_no_figures_says_so(two_ingests):
    result = invoke("history", "-i", "CSC 038", "-p", "2019-04", "--store", str(two_ingests))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "csckpi: no figures for CSC 038 in 2019-04.\n"


def test_history_of_a_bad_period_explains(two_ingests):
    result = invoke("history", "-i", "CSC 038", "-p", "2020-Q3", "--store", str(two_ingests))
    assert result.exit_code == 2
    assert result.stderr.startswith("csckpi: '2020-Q3' looks like a calendar quarter,")


def test_history_without_a_store_says_how_to_make_one(tmp_path):
    missing = tmp_path / "none.db"
    result = invoke("history", "-i", "CSC 038", "--store", str(missing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"csckpi: There is no store at {missing}. "
        "Load a workbook first: csckpi ingest WORKBOOK (or give --store PATH).\n"
    )
    assert not missing.exists()


def test_the_store_comes_from_the_environment(two_ingests, monkeypatch, tmp_path):
    monkeypatch.setenv("CSCKPI_STORE", str(two_ingests))
    monkeypatch.chdir(tmp_path)
    result = invoke("indicators", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "code,title,section,unit,polarity,measure,target\n"
        "CSC 038,Indicator CSC 038,Referrals,percent,up,ratio,80.0\n"
        "CSC 201,Indicator CSC 201,Referrals,percent,up,ratio,81.0\n"
    )


def test_indicators_lists_the_catalogue(two_ingests):
    result = invoke("indicators", "--store", str(two_ingests))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "code     title              section    unit     polarity  measure  target\n"
        "-------  -----------------  ---------  -------  --------  -------  ------\n"
        "CSC 038  Indicator CSC 038  Referrals  percent  up        ratio        80\n"
        "CSC 201  Indicator CSC 201  Referrals  percent  up        ratio        81\n"
    )


def test_numbers_show_their_own_places():
    assert [number(v) for v in (85.2, 1002.0, 0.5, 22450.0, None)] == [
        "85.2",
        "1,002",
        "0.5",
        "22,450",
        "",
    ]


def test_a_plain_table_aligns_numbers_right():
    rows = [{"name": "a", "n": 1.5, "blank": None}, {"name": "bbb", "n": 22.0, "blank": None}]
    assert text_table(rows) == "name    n  blank\n----  ---  -----\na     1.5\nbbb    22\n"
    assert text_table([]) == ""


def test_long_text_is_cut_in_the_plain_table_only():
    rows = [{"title": "x" * 70}]
    assert text_table(rows, widest=10) == "title\n----------\nxxxxxxxxx…\n"
    assert ROWS["csv"].text(Rows(rows)) == "title\n" + "x" * 70 + "\n"


def test_a_terminal_gets_a_rich_table(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    emit(ROWS["table"], Rows([{"code": "CSC 038", "value": 85.2}], "Catalogue"))
    out = capsys.readouterr().out
    assert "Catalogue" in out
    assert "CSC 038" in out and "85.2" in out
    assert "┃" in out or "│" in out  # a drawn table, not the plain one


def test_problems_on_a_terminal_are_a_table(capsys):
    problem = Problem("Monthly", 14, 11, Severity.WARNING, "not-a-number", "TBC is not a number")
    print_problems([problem], terminal=True)
    err = capsys.readouterr().err
    assert "Where" in err and "Monthly!K14" in err and "TBC is not a number" in err
    print_problems([problem], terminal=False)
    assert capsys.readouterr().err == "warning: Monthly!K14: TBC is not a number\n"
