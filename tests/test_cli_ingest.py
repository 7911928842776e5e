"""`csckpi ingest`: what it prints (problems, summary) and what it does to the store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from conftest import assert_golden
from example_says import located, said
from test_store import digest
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.model import Problem, Severity
from csckpi.render.problems import ingest_json, problem_lines, summary_text
from csckpi.store import Change, IngestSummary, Outcome, open_store

BASE = {
    "file": "dec.xlsx",
    "store": "csckpi.db",
    "sha256": "ab" * 32,
    "indicators": 45,
    "months": 45,
    "first_month": "2017-04",
    "last_month": "2020-12",
}

CHANGES = (
    Change("monthly", "CSC 038", "2020-10", "value", "value", 81.5, 82.0, "Monthly", "J11"),
    Change("reported", "CSC 036", "2017/18", "value", "value", 1000.0, 1002.0, "Periods", "C9"),
    Change("benchmark", "CSC 038", "2019/20", "england", "value", 88.0, 88.5, "Benchmarks", "C2"),
)
MANY = tuple(
    Change("monthly", "CSC 201", f"2020-{m:02d}", "value", "value", m, m + 0.5, "Monthly", f"C{m}")
    for m in range(1, 13)
)

SUMMARIES = {
    "written": IngestSummary(
        Outcome.WRITTEN,
        **BASE,
        ingest_id=2,
        ingested_at="2020-12-18T10:30:05Z",
        added=1234,
        revised=3,
        unchanged=5000,
        kept=1,
        warnings=2,
        changes=CHANGES,
    ),
    "many-changes": IngestSummary(
        Outcome.DRY_RUN, **BASE, added=0, revised=12, unchanged=6222, changes=MANY
    ),
    "dry-run": IngestSummary(Outcome.DRY_RUN, **BASE, added=45, revised=0, unchanged=6189),
    "already": IngestSummary(
        Outcome.ALREADY, **BASE, ingest_id=1, ingested_at="2020-11-20T09:15:00Z", unchanged=6234
    ),
    "refused": IngestSummary(Outcome.REFUSED, **BASE, errors=3, warnings=1),
    "refused-strict": IngestSummary(Outcome.REFUSED, **BASE, errors=1, strict=True),
}


@pytest.mark.parametrize("name", list(SUMMARIES))
def test_the_summary_says_what_happened(name):
    assert_golden(f"ingest-summary-{name}.txt", summary_text(SUMMARIES[name]))


PROBLEMS = (
    Problem(
        "Monthly", 14, 11, Severity.WARNING, "not-a-number", '"n/a " is not a number — left blank'
    ),
    Problem(
        "Indicators",
        5,
        4,
        Severity.ERROR,
        "bad-unit",
        '"pct" is not a unit: percent, count, rate or number',
    ),
    Problem("Monthly", 3, 2, Severity.WARNING, "percent-fraction", "0.852 looks like a fraction"),
    Problem(
        "Monthly", 20, 3, Severity.ERROR, "negative", "-3 is negative — a count cannot be below 0"
    ),
    Problem("Benchmarks", 0, 0, Severity.ERROR, "missing-column", "no column 'value'"),
)


def test_verbose_lists_every_revised_figure():
    text = summary_text(SUMMARIES["many-changes"], verbose=True)
    assert text.endswith(
        "12 figures would be revised:\n"
        + "".join(
            f"  CSC 201 {m}-20 value: {n} → {n}.5 (Monthly!C{n})\n"
            for n, m in enumerate(
                (
                    "Jan",
                    "Feb",
                    "Mar",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Oct",
                    "Nov",
                    "Dec",
                ),
                start=1,
            )
        )
    )


def test_problems_are_listed_by_sheet_and_cell():
    """Sorted by sheet, then row and column (B3 before K14 before C20), whatever the severity."""
    assert problem_lines(PROBLEMS) == [
        "error: Benchmarks: no column 'value'",
        'error: Indicators!D5: "pct" is not a unit: percent, count, rate or number',
        "warning: Monthly!B3: 0.852 looks like a fraction",
        'warning: Monthly!K14: "n/a " is not a number — left blank',
        "error: Monthly!C20: -3 is negative — a count cannot be below 0",
    ]


def test_problems_and_summary_as_json():
    document = json.loads(ingest_json(PROBLEMS, SUMMARIES["refused"]))
    assert [p["location"] for p in document["problems"]] == [
        "Benchmarks",
        "Indicators!D5",
        "Monthly!B3",
        "Monthly!K14",
        "Monthly!C20",
    ]
    assert document["problems"][1] == {
        "severity": "error",
        "kind": "bad-unit",
        "sheet": "Indicators",
        "cell": "D5",
        "location": "Indicators!D5",
        "message": '"pct" is not a unit: percent, count, rate or number',
    }
    assert document["summary"]["outcome"] == "refused"
    assert document["summary"]["errors"] == 3


# -- the command, on the example workbook and copies of it changed with openpyxl -------------------

WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
runner = CliRunner()


def ingest(*args: str):
    return runner.invoke(app, ["ingest", *args])


def masked(text: str) -> str:
    return WHEN.sub("<time>", text)


def changed_copy(example: Path, out: Path, **cells: object) -> Path:
    """A copy of the example with cells changed: ``Monthly_J11=82.0`` sets Monthly!J11."""
    import openpyxl

    book = openpyxl.load_workbook(example)
    for where, value in cells.items():
        sheet, cell = where.split("_")
        if sheet not in book.sheetnames:
            book.create_sheet(sheet)
        book[sheet][cell] = value
    book.save(out)
    return out


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Run in an empty folder, so the default store is ./csckpi.db there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_example_ingests_with_zero_errors(here, example_workbook):
    result = ingest(str(example_workbook))
    assert result.exit_code == 0, result.output
    assert result.stderr == said()
    assert masked(result.stdout) == (
        "Ingested darlington-2020-21-q3.xlsx into csckpi.db (ingest 1, <time>).\n"
        "  Indicators  42\n"
        "  Months      10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)\n"
        "  Figures     586 added, 0 revised, 0 unchanged\n"
        "  Warnings    1\n"
    )
    assert (here / "csckpi.db").exists()


def test_the_store_gives_back_what_the_workbook_says(place, example_workbook):
    store_path = place.location
    from test_store import assert_same_dataset

    from csckpi.store import open_store
    from csckpi.workbook import read

    read_back = read(example_workbook)
    open_store(store_path).ingest(read_back)
    assert_same_dataset(open_store(store_path).load(), read_back.dataset)


def test_the_same_file_twice_changes_nothing(place, example_workbook):
    ingest(str(example_workbook), "--store", place.location)
    before = place.state()
    result = ingest(str(example_workbook), "--store", place.location)
    assert result.exit_code == 0, result.output
    assert masked(result.stdout) == (
        f"darlington-2020-21-q3.xlsx is already in {place.shown} (ingest 1, <time>, "
        "same SHA-256): nothing changed.\n"
    )
    assert place.state() == before


def test_the_same_bytes_under_another_name_name_the_file_ingested(
    tmp_path, place, example_workbook
):
    """A copy of an ingested workbook, renamed, is the same file: the message names the file
    the earlier ingest took, on either backend (its `earlier` lookup gives the name)."""
    ingest(str(example_workbook), "--store", place.location)
    copy = tmp_path / "performance-workbook.xlsx"
    copy.write_bytes(example_workbook.read_bytes())
    before = place.state()
    result = ingest(str(copy), "--store", place.location)
    assert result.exit_code == 0, result.output
    assert masked(result.stdout) == (
        f"performance-workbook.xlsx is already in {place.shown} (ingest 1 of "
        "darlington-2020-21-q3.xlsx, <time>, same SHA-256): nothing changed.\n"
    )
    doc = json.loads(ingest(str(copy), "--store", place.location, "-f", "json").stdout)
    assert doc["summary"]["outcome"] == "already"
    assert doc["summary"]["file"] == "performance-workbook.xlsx"
    assert doc["summary"]["earlier_file"] == "darlington-2020-21-q3.xlsx"
    assert place.state() == before


def test_a_second_workbook_with_one_changed_figure_is_a_revision(tmp_path, place, example_workbook):
    store_path = place.location
    ingest(str(example_workbook), "--store", str(store_path))
    december = changed_copy(example_workbook, tmp_path / "december.xlsx", Monthly_J11=82.0)
    result = ingest(str(december), "--store", str(store_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "  Figures     0 added, 1 revised, 585 unchanged\n"
        "  Warnings    1\n"
        "1 figure revised:\n"
        "  CSC 038 Oct-20 value: 81.5 → 82 (Monthly!J11)\n"
    )

    history = runner.invoke(
        app, ["history", "-i", "csc038", "-p", "Oct-20", "--store", str(store_path), "-f", "csv"]
    )
    assert history.exit_code == 0, history.output
    lines = [line.split(",") for line in history.stdout.splitlines()]
    assert [(r[0], r[1], r[2], r[5], r[6], r[7]) for r in lines] == [
        ("period", "figure", "value", "file", "cell", "latest"),
        ("Oct-20", "value", "81.5", "darlington-2020-21-q3.xlsx", "Monthly!J11", ""),
        ("Oct-20", "value", "82.0", "december.xlsx", "Monthly!J11", "yes"),
    ]


def test_an_invalid_workbook_leaves_the_store_byte_for_byte_unchanged(
    tmp_path, place, example_workbook
):
    store_path = place.location
    ingest(str(example_workbook), "--store", str(store_path))
    before = place.state(), sorted(p.name for p in tmp_path.iterdir())
    bad = changed_copy(
        example_workbook, tmp_path / "bad.xlsx", Indicators_D2="banana", Monthly_J11="TBC"
    )
    result = ingest(str(bad), "--store", str(store_path))
    assert result.exit_code == 1
    assert result.stderr == said(
        'error: Indicators!D2: "banana" is not a unit — write percent, count, rate or number',
        'warning: Monthly!J11: "TBC" is not a number — left blank',
    )
    assert result.stdout == (
        f"Nothing written to {place.shown}: bad.xlsx has 1 error, listed above.\n"
        "Fix them in the workbook and run csckpi ingest again.\n"
    )
    after = place.state(), sorted(p.name for p in tmp_path.iterdir() if p.name != "bad.xlsx")
    assert after == before


def test_an_invalid_workbook_creates_no_store(here, example_workbook):
    bad = changed_copy(example_workbook, here / "bad.xlsx", Indicators_D2="banana")
    result = ingest(str(bad))
    assert result.exit_code == 1
    assert sorted(p.name for p in here.iterdir()) == ["bad.xlsx"]


def test_warnings_are_written_unless_strict(here, example_workbook):
    warned = changed_copy(example_workbook, here / "warned.xlsx", Monthly_J11="TBC")
    strict = ingest(str(warned), "--strict")
    assert strict.exit_code == 1
    assert strict.stderr == said('warning: Monthly!J11: "TBC" is not a number — left blank')
    assert strict.stdout == (
        "Nothing written to csckpi.db: warned.xlsx has 2 errors (warnings count as errors with "
        "--strict), listed above.\nFix them in the workbook and run csckpi ingest again.\n"
    )
    assert not (here / "csckpi.db").exists()
    lenient = ingest(str(warned))
    assert lenient.exit_code == 0
    assert lenient.stderr == strict.stderr
    assert "  Figures     585 added, 0 revised, 0 unchanged\n  Warnings    2\n" in lenient.stdout


def test_a_dry_run_says_what_would_change_and_writes_nothing(here, example_workbook):
    result = ingest(str(example_workbook), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Dry run: nothing written to csckpi.db. Ingesting darlington-2020-21-q3.xlsx would give:\n"
        "  Indicators  42\n"
        "  Months      10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)\n"
        "  Figures     586 added, 0 revised, 0 unchanged\n"
        "  Warnings    1\n"
    )
    assert list(here.iterdir()) == []


def test_json_for_scripts(here, example_workbook):
    warned = changed_copy(
        example_workbook, here / "warned.xlsx", Monthly_J11="TBC", Notes_A1="for the team"
    )
    result = ingest(str(warned), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert [p["location"] for p in document["problems"]] == located("Monthly!J11")
    assert (document["ignored"], document["notes"]) == (
        ['sheet "Notes": not a sheet csckpi reads'],
        [],
    )
    assert {k: document["summary"][k] for k in ("outcome", "added", "warnings")} == {
        "outcome": "written",
        "added": 585,
        "warnings": 2,
    }


def test_json_when_nothing_is_written(here, example_workbook):
    bad = changed_copy(example_workbook, here / "bad.xlsx", Indicators_D2="banana")
    result = ingest(str(bad), "--format", "json")
    assert (result.exit_code, result.stderr) == (1, "")
    document = json.loads(result.stdout)
    assert [(p["severity"], p["location"]) for p in document["problems"]] == [
        ("error", "Indicators!D2"),
        ("warning", "Periods!C54"),
    ]
    assert (document["summary"]["outcome"], document["summary"]["errors"]) == ("refused", 1)
    assert sorted(p.name for p in here.iterdir()) == ["bad.xlsx"]


def test_verbose_lists_what_was_ignored(here, example_workbook):
    import openpyxl

    noted = changed_copy(example_workbook, here / "noted.xlsx", Notes_A1="for the team")
    book = openpyxl.load_workbook(noted)
    book["Monthly"].row_dimensions[3].hidden = True
    book.save(noted)
    result = ingest(str(noted), "--verbose")
    assert result.exit_code == 0
    assert result.stderr == said(
        'ignored: sheet "Notes": not a sheet csckpi reads',
        "note: Monthly: row 3 is hidden in Excel; its figures were read",
    )
    assert ingest(str(noted), "--store", "other.db").stderr == said()


def test_a_file_that_is_not_a_workbook_gets_one_line(here):
    fake = here / "figures.xlsx"
    fake.write_text("code,value\nCSC038,85.2\n", encoding="utf-8")
    result = ingest(str(fake))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("csckpi: ") and result.stderr.count("\n") == 1
    assert sorted(p.name for p in here.iterdir()) == ["figures.xlsx"]


def test_a_store_from_a_newer_csckpi_is_refused(store_path, example_workbook):
    import sqlite3

    ingest(str(example_workbook), "--store", str(store_path))
    con = sqlite3.connect(store_path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = digest(store_path)
    changed = changed_copy(example_workbook, store_path.with_name("dec.xlsx"), Monthly_J11=82.0)
    result = ingest(str(changed), "--store", str(store_path))
    assert result.exit_code == 1
    from csckpi.store.sqlite import SCHEMA_VERSION

    assert result.stderr == said(
        f"csckpi: The store {store_path} was written by a newer csckpi (store version 99; "
        f"this csckpi reads versions up to {SCHEMA_VERSION}). Upgrade csckpi: pip install "
        "--upgrade csckpi."
    )
    assert digest(store_path) == before


def test_indicators_from_a_workbook_directly(example_workbook):
    result = runner.invoke(app, ["indicators", "--workbook", str(example_workbook), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 42
    assert rows[0] == {
        "code": "CSC 022",
        "title": "Monthly % of referrals completed within 1 working day.",
        "section": "Referrals - Timeliness",
        "unit": "percent",
        "polarity": "up",
        "measure": "ratio",
        "target": 90.0,
    }


# -- csckpi template ----------------------------------------------------------------------------


def test_template_writes_a_workbook_that_ingests(here):
    result = runner.invoke(app, ["template", "blank.xlsx"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "Wrote blank.xlsx: fill it in, then run: csckpi ingest blank.xlsx\n"
    from csckpi.workbook import read

    assert read(here / "blank.xlsx").errors == ()
    dry = ingest("blank.xlsx", "--dry-run")
    assert dry.exit_code == 0, dry.output


def test_template_never_overwrites_without_force(here):
    (here / "mine.xlsx").write_bytes(b"precious")
    result = runner.invoke(app, ["template", "mine.xlsx"])
    assert result.exit_code == 1
    assert result.stderr == (
        "csckpi: mine.xlsx already exists. Give another name, or --force to replace it.\n"
    )
    assert (here / "mine.xlsx").read_bytes() == b"precious"
    assert runner.invoke(app, ["template", "mine.xlsx", "--force"]).exit_code == 0
    assert (here / "mine.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "nowhere/blank.xlsx",
            "csckpi: Cannot write nowhere/blank.xlsx: the folder nowhere does not exist.\n",
        ),
        (".", "csckpi: . is a folder. Give a file name, e.g. workbook.xlsx.\n"),
    ],
)
def test_template_explains_where_it_cannot_write(here, target, message):
    result = runner.invoke(app, ["template", target])
    assert (result.exit_code, result.stderr) == (1, message)
    assert list(here.iterdir()) == []


def test_the_store_keeps_each_ingest_and_where_each_figure_came_from(
    here, example_workbook, monkeypatch
):
    """CSCKPI_STORE names the store; each ingest keeps its file name, SHA-256 and time, and
    every figure its sheet and cell (across Monthly, Periods and Benchmarks)."""
    import datetime as dt
    import hashlib
    import sqlite3

    monkeypatch.setenv("CSCKPI_STORE", str(here / "from-env.db"))
    result = ingest(str(example_workbook))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Ingested {example_workbook.name} into ")
    assert not (here / "csckpi.db").exists()
    con = sqlite3.connect(here / "from-env.db")
    try:
        [(file, sha256, when)] = con.execute("SELECT file, sha256, ingested_at FROM ingests")
    finally:
        con.close()
    figures = open_store(here / "from-env.db").figures()
    located = figures.filter(pl.col("cell").str.contains(r"^[A-Z]+[0-9]+$"))
    cells = dict(located.group_by("sheet").len().rows())
    missing = figures.filter(pl.col("sheet").is_null() | pl.col("cell").is_null()).height
    [cell] = (
        figures.filter((pl.col("code") == "CSC 036") & (pl.col("period") == "2017/18"))
        .select(pl.col("sheet") + "!" + pl.col("cell"))
        .to_series()
        .to_list()
    )
    assert file == example_workbook.name
    assert sha256 == hashlib.sha256(example_workbook.read_bytes()).hexdigest()
    ingested = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.UTC) - ingested).total_seconds()) < 300
    assert set(cells) == {"Monthly", "Periods", "Benchmarks"} and missing == 0
    assert cell.startswith("Periods!")
