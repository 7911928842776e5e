"""`csckpi comment` through the command line: write, edit, remove, list, history; the
Commentary sheet beside it; what survives a re-ingest of a revised workbook; and mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_ingest import changed_copy
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()

#: The Commentary sheet the tests add to the example: (code, period, text, carry, author).
ROWS = (
    ("CSC 038", "Q3 2020/21", "Two social workers left in November.", None, "A. Analyst"),
    ("CSC 251", "Q3 2020/21", "Dental surgeries closed during lockdown.", "yes", None),
)


def with_commentary(example: Path, out: Path, rows=ROWS, **cells: object) -> Path:
    """The example with a Commentary sheet of ``rows`` (and any other cells changed)."""
    header = ("code", "period", "text", "carry", "author")
    for n, row in enumerate((header, *rows), start=1):
        for letter, value in zip("ABCDE", row, strict=True):
            cells[f"Commentary_{letter}{n}"] = value
    return changed_copy(example, out, **cells)


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def listed(*args: str) -> list[dict[str, object]]:
    result = run("comment", "--list", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout else []


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "analyst1")
    monkeypatch.setenv("LOGNAME", "analyst1")
    return tmp_path


@pytest.fixture
def ingested(here, example_workbook):
    book = with_commentary(example_workbook, here / "q3.xlsx")
    done = run("ingest", str(book))
    assert done.exit_code == 0, done.output
    assert "Comments    2 comments new or changed on Commentary" in done.stdout
    return book


def test_the_commentary_sheet_is_listed_with_who_and_where(ingested):
    rows = listed()
    assert [(r["code"], r["period"], r["comment"], r["carry"], r["author"]) for r in rows] == [
        ("CSC 038", "Q3 2020/21", "Two social workers left in November.", False, "A. Analyst"),
        ("CSC 251", "Q3 2020/21", "Dental surgeries closed during lockdown.", True, ""),
    ]
    assert [r["from"] for r in rows] == ["q3.xlsx Commentary!C2", "q3.xlsx Commentary!C3"]


def test_a_comment_is_written_edited_and_removed(ingested):
    done = run("comment", "csc038", "--period", "q3 20/21", "Recalled to custody.")
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert done.stderr.startswith("Replaced the comment on CSC 038 for Q3 2020/21 (analyst1, ")
    assert done.stderr.endswith("; the earlier one is kept in its history.\n")
    again = run("comment", "CSC 038", "-p", "Q3 2020/21", "Recalled to custody.")
    assert again.stderr == (
        "The comment on CSC 038 for Q3 2020/21 already says that: nothing changed.\n"
    )
    edited = run(
        "comment", "CSC038", "-p", "Q3 2020/21", "--author", "B. Lead", "--carry", "Edited."
    )
    assert "(B. Lead, " in edited.stderr and "offered again in the periods after" in edited.stderr
    mine = [r for r in listed() if r["code"] == "CSC 038"]
    assert [(r["comment"], r["author"], r["carry"], r["from"]) for r in mine] == [
        ("Edited.", "B. Lead", True, "typed")
    ]
    removed = run("comment", "CSC038", "-p", "Q3 2020/21", "--remove")
    assert removed.exit_code == 0
    assert removed.stderr == (
        "Removed the comment on CSC 038 for Q3 2020/21; its history is kept "
        "(csckpi comment CSC038 --history).\n"
    )
    assert [r["code"] for r in listed()] == ["CSC 251"]
    history = json.loads(run("comment", "CSC038", "--history", "-f", "json").stdout)
    assert [(h["version"], h["comment"], h["from"], h["latest"]) for h in history] == [
        (1, "Two social workers left in November.", "q3.xlsx Commentary!C2", False),
        (3, "Recalled to custody.", "typed", False),
        (4, "Edited.", "typed", False),
        (5, "(removed)", "typed", False),
    ]


def test_an_edit_keeps_carry_unless_told(ingested):
    run("comment", "CSC251", "-p", "Q3 2020/21", "Dental surgeries closed; now reopening.")
    [row] = [r for r in listed() if r["code"] == "CSC 251"]
    assert row["carry"] is True
    run("comment", "CSC251", "-p", "Q3 2020/21", "--no-carry", "Reopened.")
    [row] = [r for r in listed() if r["code"] == "CSC 251"]
    assert row["carry"] is False


def test_the_text_can_come_from_stdin(ingested):
    done = run("comment", "CSC 201", "-p", "Dec-20", "-", stdin="Four children came in.\n")
    assert done.exit_code == 0, done.output
    assert [r["comment"] for r in listed() if r["code"] == "CSC 201"] == ["Four children came in."]


def test_a_later_period_is_offered_only_the_comments_marked_to_carry(ingested):
    rows = listed("--period", "Q4 2020/21")
    assert [(r["code"], r["period"], r["carried from"]) for r in rows] == [
        ("CSC 251", "Q4 2020/21", "Q3 2020/21")
    ]
    assert [r["carried from"] for r in listed("--period", "Q3 2020/21")] == ["", ""]
    empty = run("comment", "--list", "--period", "Q2 2020/21")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        0,
        "",
        "csckpi: no comments for Q2 2020/21.\n",
    )


def test_a_typed_comment_survives_a_reingest_of_a_revised_workbook(
    ingested, here, example_workbook
):
    run("comment", "CSC038", "-p", "Q3 2020/21", "Recalled to custody.")
    revised = with_commentary(example_workbook, here / "q3-revised.xlsx", Monthly_J11=82.0)
    done = run("ingest", str(revised))
    assert done.exit_code == 0, done.output
    assert "1 figure revised" in done.stdout and "Comments" not in done.stdout
    assert [r["comment"] for r in listed() if r["code"] == "CSC 038"] == ["Recalled to custody."]


def test_a_row_changed_in_a_revised_workbook_wins_and_history_keeps_both(
    ingested, here, example_workbook
):
    run("comment", "CSC038", "-p", "Q3 2020/21", "Recalled to custody.")
    rows = (("CSC 038", "Q3 2020/21", "Two social workers left; one post filled.", None, None),)
    revised = with_commentary(example_workbook, here / "q3-revised.xlsx", rows)
    done = run("ingest", str(revised))
    assert "Comments    1 comment new or changed on Commentary" in done.stdout
    mine = [r for r in listed() if r["code"] == "CSC 038"]
    assert [r["comment"] for r in mine] == ["Two social workers left; one post filled."]
    history = json.loads(run("comment", "CSC038", "--history", "-f", "json").stdout)
    assert [h["comment"] for h in history] == [
        "Two social workers left in November.",
        "Recalled to custody.",
        "Two social workers left; one post filled.",
    ]
    # the other row, no longer in the workbook, is kept as the figures are
    assert [r["code"] for r in listed()] == ["CSC 251", "CSC 038"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("comment", "CSC038", "Words."), 2, "give the indicator and --period"),
        (("comment", "CSC038", "-p", "Q3 2020/21"), 2, "give the comment's text"),
        (("comment", "CSC038", "-p", "Q3 2020/21", "   "), 2, "the comment is empty"),
        (("comment", "CSC038", "-p", "Q3 2020/21", "--remove", "x"), 2, "--remove takes no"),
        (("comment", "--list", "--remove"), 2, "they take no text and no --remove"),
        (
            ("comment", "CSC 99", "-p", "Q3 2020/21", "Words."),
            1,
            "csckpi: Indicator 'CSC 99' is not in the store csckpi.db.",
        ),
        (
            ("comment", "CSC038", "-p", "Q5 2020/21", "Words."),
            2,
            "csckpi: 'Q5 2020/21' is not a period.",
        ),
        (
            ("comment", "CSC201", "-p", "Dec-20", "--remove"),
            1,
            "csckpi: There is no comment on CSC 201 for Dec-20 in csckpi.db to remove. "
            "List the comments with: csckpi comment --list",
        ),
    ],
)
def test_mistakes_are_explained_without_a_traceback(ingested, args, code, message):
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output


def test_without_a_store_there_is_nothing_to_comment_on(here):
    result = run("comment", "CSC038", "-p", "Q3 2020/21", "Words.")
    assert result.exit_code == 1
    assert result.stderr.startswith("csckpi: There is no store at csckpi.db.")
    assert not (here / "csckpi.db").exists()


def test_help_shows_every_shape_of_the_command():
    result = run("comment", "--help")
    assert result.exit_code == 0
    for example in (
        'csckpi comment CSC038 --period "Q3 2020/21" "Two social workers left in November."',
        'csckpi comment CSC038 -p "Q3 2020/21" --remove',
        'csckpi comment --list --period "Q4 2020/21"',
        "csckpi comment CSC038 --history",
    ):
        assert example in result.stdout
