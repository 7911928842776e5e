"""`csckpi changes` and the stale-file guard, on the example and copies of it.

January's copy of the example (``january``) changes exactly three things against it: one
past figure revised (CSC 034 Oct-20, 13 -> 14, Monthly!J4), one month added (Jan-21, every
row of Dec-20 copied across) and one RAG flip (CSC 026 Jan-21 9.1% against its 5% target:
green in December, red now).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from example_says import without_example
from typer.testing import CliRunner

from csckpi.changes import changes, span, state
from csckpi.cli import app
from csckpi.store import Outcome, open_store
from csckpi.workbook import read

runner = CliRunner()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "json.md"


def copy_of(example: Path, target: Path, *, january: bool, benchmark: float | None = None) -> Path:
    """The example with CSC 034 Oct-20 revised; with ``january``, Jan-21 added (December's
    figures, CSC 026 at 9.1); with ``benchmark``, CSC 032's England benchmark changed."""
    book = openpyxl.load_workbook(example)
    monthly = book["Monthly"]
    assert monthly["J1"].value.strftime("%Y-%m") == "2020-10"
    assert monthly["M1"].value.strftime("%Y-%m") == "2021-01"
    for row in monthly.iter_rows(min_row=2):
        code, part = row[0].value, row[1].value
        if january:
            assert row[12].value is None
            row[12].value = row[11].value
            if (code, part) == ("CSC 026", "value"):
                row[12].value = 9.1
        if (code, part) == ("CSC 034", "value"):
            assert row[9].coordinate == "J4" and row[9].value == 13
            row[9].value = 14
    if benchmark is not None:
        sheet = book["Benchmarks"]
        assert (sheet["A4"].value, sheet["B4"].value) == ("CSC 032", "england")
        sheet["C4"].value = benchmark
    book.save(target)
    return target


@pytest.fixture
def january(example_workbook: Path, tmp_path: Path) -> Path:
    return copy_of(example_workbook, tmp_path / "january.xlsx", january=True)


@pytest.fixture
def two_ingests(example_store: Path, january: Path) -> str:
    """The example ingested (conftest: ``csckpi ingest`` of it into a new store), then
    January's workbook through ``csckpi ingest``."""
    store = str(example_store)
    result = runner.invoke(app, ["ingest", str(january), "--store", store])
    assert result.exit_code == 0, result.output
    return store


def invoke(*args: str) -> object:
    return runner.invoke(app, list(args))


# -- changes ---------------------------------------------------------------------------------


def test_changes_lists_exactly_the_revision_the_month_and_the_rag_flip(
    place, example_workbook, january
):
    store = open_store(place.location)
    store.ingest(read(example_workbook))
    store.ingest(read(january))
    found = changes(store.figures(), store.load(), span(store.ingests()))
    assert (found.span.since, found.span.until) == (1, 2)
    assert [(u.label, u.old, u.new, u.location) for u in found.revised] == [
        ("CSC 034 Oct-20 value", 13.0, 14.0, "Monthly!J4")
    ]
    assert [(m.month, m.indicators) for m in found.months] == [("2021-01", 42)]
    assert [(r.code, r.before_period, r.before, r.after_period, r.after) for r in found.rag] == [
        ("CSC 026", "Dec-20", "green", "Jan-21", "red")
    ]
    assert [r.code for r in found.crossed] == [r.code for r in found.new_reds] == ["CSC 026"]
    assert found.crossed[0].crossed == "missed"
    assert found.added == found.benchmarks == found.commentary == ()


def test_the_month_added_counts_every_figure_it_brought(example_store, january):
    book = openpyxl.load_workbook(january, read_only=True)
    filled = sum(1 for row in book["Monthly"].iter_rows(min_row=2) if row[12].value is not None)
    store = open_store(example_store)  # the example ingested (conftest)
    store.ingest(read(january))
    found = changes(store.figures(), store.load(), span(store.ingests()))
    assert found.months[0].figures == filled


def test_a_benchmark_revised_is_listed_as_updated_with_its_cell(
    example_workbook, example_store, tmp_path
):
    updated = copy_of(example_workbook, tmp_path / "b.xlsx", january=False, benchmark=21.0)
    store = open_store(example_store)  # the example ingested (conftest)
    store.ingest(read(updated))
    found = changes(store.figures(), store.load(), span(store.ingests()))
    assert [(u.code, u.part, u.old, u.new, u.location) for u in found.benchmarks] == [
        ("CSC 032", "england", 22.6, 21.0, "Benchmarks!C4")
    ]
    assert [u.label for u in found.revised] == ["CSC 034 Oct-20 value"]
    assert found.months == found.rag == ()


def test_state_folds_the_store_back_to_any_ingest(example_store, january):
    store = open_store(example_store)  # the example ingested (conftest)
    store.ingest(read(january))
    figures = store.figures()
    first = state(figures, 1)
    assert first.height == store.ingests()[0]["added"]
    assert state(figures, 2).height == first.height + store.ingests()[1]["added"]
    assert state(figures, 0).height == 0


def test_cli_table_names_each_change_with_its_cell(two_ingests):
    result = invoke("changes", "--store", two_ingests)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "1 figure revised, 1 month added, 0 other figures added, 0 benchmarks updated" in text
    assert re.search(r"CSC 034 Oct-20 value +13 → 14 +Monthly!J4 +ingest 2", text)
    assert re.search(r"Jan-21 +42 indicators", text)
    assert re.search(
        r"CSC 026 +Dec-20 0\.0% against 5%: green +→ +Jan-21 9\.1% against 5%: red", text
    )


def test_cli_markdown_has_a_table_per_kind_of_change(two_ingests):
    result = invoke("changes", "--store", two_ingests, "--format", "markdown")
    assert result.exit_code == 0, result.output
    headings = re.findall(r"^## (.+)$", result.stdout, flags=re.M)
    assert headings == ["Revised", "Months added", "RAG changed", "Crossed target", "New reds"]
    assert "| CSC 034 Oct-20 value | 13 → 14" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("revised", 3), ("red", 3)])
def test_fail_on_exits_3_and_says_why(two_ingests, fail_on, code):
    result = invoke("changes", "--store", two_ingests, "--fail-on", fail_on)
    assert result.exit_code == code
    said = {"revised": "1 past figure revised.", "red": "1 indicator turned red: CSC 026."}
    assert f"csckpi: {said[fail_on]}" in result.stderr
    assert "(s)" not in result.stderr


def test_fail_on_is_quiet_when_nothing_it_names_happened(two_ingests):
    result = invoke("changes", "--store", two_ingests, "--since", "2", "--fail-on", "revised")
    assert result.exit_code == 0, result.output
    assert "Changes in" in result.stdout and "0 figures revised" in result.stdout
    assert result.stderr == ""


def test_since_and_between_choose_the_states(two_ingests):
    since_nothing = json.loads(
        invoke("changes", "--store", two_ingests, "--since", "0", "-f", "json").stdout
    )
    assert (since_nothing["since"], since_nothing["until"]) == (0, 2)
    assert len(since_nothing["months_added"]) == 11 and since_nothing["revised"] == []
    first = json.loads(
        invoke("changes", "--store", two_ingests, "--between", "0", "1", "-f", "json").stdout
    )
    assert [m["month"] for m in first["months_added"]][-1] == "2020-12"
    same = json.loads(
        invoke("changes", "--store", two_ingests, "--between", "2", "2", "-f", "json").stdout
    )
    assert same["revised"] == same["months_added"] == same["rag"] == []
    today = json.loads(
        invoke("changes", "--store", two_ingests, "--since", "2000-01-01", "-f", "json").stdout
    )
    assert today["since"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "7"], "The store has no ingest 7."),
        (["--since", "last week"], "'last week' is neither an ingest number nor a date."),
        (["--since", "1", "--between", "1", "2"], "give --since or --between, not both."),
    ],
)
def test_a_since_the_store_cannot_answer_is_a_usage_error(two_ingests, args, message):
    result = invoke("changes", "--store", two_ingests, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_json_is_what_docs_json_md_shows(two_ingests):
    documented = DOCS.read_text(encoding="utf-8").split("\n# `csckpi changes --format json`", 1)[1]
    example = documented.split("```json\n", 1)[1].split("```", 1)[0]
    printed = invoke("changes", "--store", two_ingests, "--format", "json").stdout
    volatile = re.compile(r'"(ingested_at|store)": "[^"]*"')
    mask = lambda text: volatile.sub(lambda m: f'"{m[1]}": "…"', text)  # noqa: E731
    assert mask(printed) == mask(example)


def test_commentary_written_since_the_previous_ingest_is_listed(two_ingests):
    typed = invoke(
        "comment", "CSC038", "Recovered after the backlog.", "-p", "Dec-20", "--store", two_ingests
    )
    assert typed.exit_code == 0, typed.output
    found = json.loads(invoke("changes", "--store", two_ingests, "-f", "json").stdout)
    assert [(c["code"], c["period"], c["text"]) for c in found["commentary"]] == [
        ("CSC 038", "Dec-20", "Recovered after the backlog.")
    ]
    text = invoke("changes", "--store", two_ingests).stdout
    assert re.search(
        r"Commentary added \(1\)\n  CSC 038 +Dec-20 +Recovered after the backlog\.", text
    )
    before = json.loads(
        invoke("changes", "--store", two_ingests, "--between", "0", "1", "-f", "json").stdout
    )
    assert before["commentary"] == []


def test_from_an_empty_store_no_red_is_new(example_store):
    """The first ingest brings reds, but none turned red: nothing was judged before it."""
    store = str(example_store)
    result = invoke("changes", "--store", store, "--fail-on", "red")
    assert result.exit_code == 0, result.output
    assert "New reds" not in result.stdout and ", 0 new reds" not in result.stdout
    assert "RAG changes and new reds are not counted from an empty store" in result.stdout
    shown = json.loads(invoke("changes", "--store", store, "-f", "json").stdout)
    assert (shown["rag"], shown["new_reds"]) == ([], [])
    reds = invoke("compute", "--store", store, "-p", "Dec-20", "--fail-on", "red")
    assert reds.exit_code == 3  # there are reds: compute says so


def test_changes_on_an_empty_store_teaches(tmp_path):
    result = invoke("changes", "--store", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "There is no store" in result.stderr


# -- the stale-file guard ------------------------------------------------------------------


def test_an_older_workbook_is_refused_naming_what_it_would_revert(two_ingests, example_workbook):
    result = invoke("ingest", str(example_workbook), "--store", two_ingests)
    assert result.exit_code == 1
    out = result.stdout
    assert (
        "its latest month is Dec-20; the store already holds Jan-21 (ingest 2, january.xlsx)" in out
    )
    assert "CSC 034 Oct-20 value: 14 → 13 (Monthly!J4), back from ingest 2 (january.xlsx)" in out
    assert "--force" in out
    assert len(open_store(two_ingests).ingests()) == 2


def test_force_takes_the_older_workbook(two_ingests, example_workbook):
    result = invoke(
        "ingest", str(example_workbook), "--store", two_ingests, "--force", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["outcome"] == "written" and summary["forced"] is True
    assert summary["stale"]["older"] is True
    assert [r["location"] for r in summary["stale"]["reverts"]] == ["Monthly!J4"]
    store = open_store(two_ingests)
    assert len(store.ingests()) == 3
    oct_value = [
        r.value for r in store.history("CSC034", "Oct-20") if r.current and r.part == "value"
    ]
    assert oct_value == [13.0]


def test_the_same_months_with_a_revised_figure_set_back_are_refused(example_workbook, tmp_path):
    store = str(tmp_path / "s.db")
    revised = copy_of(example_workbook, tmp_path / "revised.xlsx", january=False)
    for book in (example_workbook, revised):
        assert invoke("ingest", str(book), "--store", store).exit_code == 0
    result = invoke("ingest", str(example_workbook), "--store", store, "-f", "json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)["summary"]
    assert summary["outcome"] == "stale" and summary["stale"]["older"] is False
    (revert,) = summary["stale"]["reverts"]
    assert (revert["code"], revert["old"], revert["new"], revert["since_ingest"]) == (
        "CSC 034",
        14.0,
        13.0,
        2,
    )


def test_the_identical_latest_file_is_still_nothing_changed(two_ingests, january):
    result = invoke("ingest", str(january), "--store", two_ingests)
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.stdout and without_example(result.stderr) == ""


def test_a_dry_run_of_a_stale_workbook_says_so(two_ingests, example_workbook):
    store = open_store(two_ingests)
    summary = store.ingest(read(example_workbook), dry_run=True)
    assert summary.outcome is Outcome.STALE and summary.stale is not None
    forced = store.ingest(read(example_workbook), dry_run=True, force=True)
    assert forced.outcome is Outcome.DRY_RUN and forced.forced
    assert len(store.ingests()) == 2
