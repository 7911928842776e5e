"""What a new user's trial of the command line tripped over (issue 17, item 4), each fixed and
checked here: bad choices said plainly, periods that are no period, the months an ingest
counts, "n/a" cells (in the problems, and typed over a stored figure), a population with no
year, one JSON number type per field, narrate's sections grouped, comment's words for a new
comment, store copy's comments, and the workbook's own rate for every month a table shows."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
LIBRARY_WORDS = ("Invalid value", "Value error", "is not one of", "Usage:", "Error:", "valid int")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the example ingested into csckpi.db."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CSCKPI_STORE", raising=False)
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    assert invoke("ingest", EXAMPLE.name).exit_code == 0
    return tmp_path


def _edited(path: Path, sheet: str, cells: dict[str, Any], *, drop_column: int = 0) -> Path:
    book = openpyxl.load_workbook(EXAMPLE)
    for cell, value in cells.items():
        book[sheet][cell].value = value
    if drop_column:
        book[sheet].delete_cols(drop_column)
    book.save(path)
    return path


# -- a bad choice, said plainly -----------------------------------------------------------------


def _choice_options() -> list[tuple[list[str], str]]:
    """(the words that reach a command, its option) for every option that takes choices."""
    found = []
    root = get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None) or {None: command}
        for sub, leaf in subs.items():
            words = [name] if sub is None else [name, sub]
            for param in leaf.params:
                kind = getattr(param, "type", None)
                listed = getattr(kind, "choices", None) or getattr(
                    getattr(kind, "func", None), "choices", None
                )
                if listed and getattr(param, "opts", None):
                    found.append((words, param.opts[0]))
    return found


@pytest.mark.parametrize(("words", "option"), _choice_options(), ids=lambda v: str(v))
def test_every_bad_choice_is_a_plain_sentence_naming_the_choices(words, option):
    result = invoke(*words, option, "purple")
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert re.fullmatch(
        r"csckpi: --[\w-]+ takes [\w -]+(, [\w -]+)* or [\w -]+, not 'purple'\.", first
    ), first
    assert rest == [f"See 'csckpi {' '.join(words)} --help' for its options and examples."]
    assert not any(word in result.stderr for word in LIBRARY_WORDS), result.stderr


def test_the_fail_on_choices_and_a_number_option_are_said_plainly():
    purple = invoke("compute", "--fail-on", "purple")
    assert purple.stderr.startswith("csckpi: --fail-on takes red or amber, not 'purple'.\n")
    shift = invoke("compute", "--spc-shift", "x")
    assert shift.exit_code == 2
    assert shift.stderr.startswith("csckpi: --spc-shift takes a whole number, not 'x'.\n")
    assert not any(word in shift.stderr for word in LIBRARY_WORDS)


# -- a period that is no period ---------------------------------------------------------------


def test_a_month_thirteen_says_which_spellings_are_accepted(here: Path):
    result = invoke("compute", "-p", "2020-13")
    assert result.exit_code == 2  # a mistyped command line
    said = " ".join(result.stderr.split())
    assert "not a financial year" not in said
    assert said.startswith("csckpi: '2020-13' is not a period: a month is numbered 01 to 12")
    for spelling in ("2020-12", "Dec-20", "Q3 2020/21", "2020/21 YTD", "FY 20/21"):
        assert spelling in said


# -- what an ingest counts and says ------------------------------------------------------------


def test_the_months_line_says_what_it_counts(tmp_path: Path):
    result = invoke("ingest", str(EXAMPLE), "--store", str(tmp_path / "s.db"), "--dry-run")
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("Months"))
    # Dec-19, then Apr-20 to Dec-20: 10 months hold figures, 13 lie between the first and last
    assert line.split(None, 1)[1] == (
        "10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)"
    )


def test_na_cells_are_notes_in_the_json_problems(tmp_path: Path):
    marked = _edited(tmp_path / "marked.xlsx", "Monthly", {"M2": "n/a", "M3": "-"})
    result = invoke("ingest", str(marked), "--store", str(tmp_path / "s.db"), "-f", "json")
    notes = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "note"]
    assert [(p["kind"], p["location"], p["message"]) for p in notes] == [
        ("read-as-blank", "Monthly!M2", '"n/a" read as blank'),
        ("read-as-blank", "Monthly!M3", '"-" read as blank'),
    ]


def test_an_na_typed_over_a_stored_figure_is_said_without_verbose(here: Path):
    # J2, K2: CSC 022 in Oct-20 and Nov-20, which the store holds; M2 (Jan-21) holds nothing
    marked = _edited(here / "marked.xlsx", "Monthly", {"J2": "n/a", "K2": "-", "M2": "n/a"})
    result = invoke("ingest", str(marked), "--dry-run")
    assert result.exit_code == 0
    lines = [x.strip() for x in result.stdout.splitlines()]
    assert 'Typed over  2 "n/a" cells over figures the store keeps: Monthly!J2, Monthly!K2' in lines
    assert 'Blank       3 cells holding "n/a", "-" or similar (--verbose lists them)' in lines
    written = json.loads(invoke("ingest", str(marked), "-f", "json").stdout)
    assert written["over"] == ["Monthly!J2", "Monthly!K2"]
    held = json.loads(invoke("history", "-i", "CSC022", "-p", "Oct-20", "-f", "json").stdout)
    assert [r["value"] for r in held] == [75.8]  # the figure is kept, as the line said
    fresh = invoke("ingest", str(marked), "--store", "other.db", "--dry-run")
    assert "Typed over" not in fresh.stdout  # a new store has no figure to keep


def test_a_population_without_a_year_names_its_cell(tmp_path: Path):
    rows = {r[0].value: r[0].row for r in openpyxl.load_workbook(EXAMPLE)["Context"].iter_rows()}
    row = rows["population_0_17"]
    blank = _edited(tmp_path / "blank.xlsx", "Context", {f"C{row}": None})
    said = invoke("ingest", str(blank), "--store", str(tmp_path / "a.db")).stderr
    assert (
        f"error: Context!C{row}: population_0_17 has no year — write the year it applies to" in said
    )
    without = _edited(tmp_path / "without.xlsx", "Context", {}, drop_column=3)
    said = invoke("ingest", str(without), "--store", str(tmp_path / "b.db")).stderr
    assert f"error: Context!B{row}: population_0_17 has no year — add a column headed year" in said
    docs = (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8")
    line = next(x for x in docs.splitlines() if x.startswith("| `population_0_17`"))
    assert "**required**" in line and "has no year" in line


# -- one JSON number type per field ------------------------------------------------------------


def _types(document: Any, command: str, found: dict, code: str | None = None, kind: str = ""):
    """Record each number's type under (field, indicator code, kind of figure): what a figure
    is (a fact's kind, history's figure, a change's part) decides whether it is a count."""
    if isinstance(document, dict):
        code = document.get("code") if isinstance(document.get("code"), str) else code
        kind = str(document.get("kind") or document.get("figure") or kind)
        if isinstance(document.get("part"), str):
            kind += " " + document["part"]
        for field, value in document.items():
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int | float):
                found[(field, code, kind)][type(value).__name__].add(command)
            else:
                _types(value, command, found, code, kind)
    elif isinstance(document, list):
        for item in document:
            _types(item, command, found, code, kind)


def test_json_numbers_have_one_type_per_field_across_commands(here: Path):
    commands = [
        ["compute", "-p", "Q3 2020/21"],
        ["compute", "-p", "Dec-20"],
        ["compare", "-i", "CSC200", "-i", "CSC038", "-i", "CSC201", "-p", "Q3 2020/21"],
        ["narrate", "-p", "Q3 2020/21"],
        ["narrate", "-p", "Q3 2020/21", "--summary"],
        ["history", "-i", "CSC038"],
        ["history", "-i", "CSC201"],
        ["changes"],
    ]
    found: dict = defaultdict(lambda: defaultdict(set))
    for words in commands:
        result = invoke(*words, "-f", "json")
        assert result.exit_code == 0, result.output
        code = words[words.index("-i") + 1] if words[0] == "history" else None
        _types(json.loads(result.stdout), words[0], found, code and code[:3] + " " + code[3:])
    mixed = {k: {t: sorted(c) for t, c in v.items()} for k, v in found.items() if len(v) > 1}
    assert not mixed
    # a count is an integer wherever it is written; a percentage or rate a float
    assert found[("numerator", "CSC 038", "")] == {"int": {"compute", "compare"}}
    assert found[("value", "CSC 201", "")]["int"] == {"compute", "compare"}
    assert found[("value", "CSC 201", "figure")] == {"int": {"narrate"}}
    assert set(found[("value", "CSC 200", "figure")]) == {"float"}


# -- narrate's headings ------------------------------------------------------------------------


def test_narrate_groups_a_section_asked_for_apart(here: Path):
    text = invoke("narrate", "-p", "Q3 2020/21", "-i", "CSC201", "-i", "CSC038", "-i", "CSC200")
    headings = [x for x in text.stdout.splitlines() if re.fullmatch(r"[A-Z][A-Z &-]+", x)]
    assert headings == ["CHILDREN IN CARE", "ASSESSMENTS - TIMELINESS"]
    codes = re.findall(r"^(CSC \d+):", text.stdout, flags=re.M)
    assert codes == ["CSC 201", "CSC 200", "CSC 038"]
    md = invoke(
        "narrate",
        "-p",
        "Q3 2020/21",
        "-i",
        "CSC201",
        "-i",
        "CSC038",
        "-i",
        "CSC200",
        "-f",
        "markdown",
    ).stdout
    assert md.count("## Children in Care") == 1


# -- comment and store copy --------------------------------------------------------------------


def test_comment_says_written_for_a_new_comment_and_replaced_for_an_edit(here: Path):
    new = invoke("comment", "CSC201", "-p", "Dec-20", "Four came into care together.")
    assert new.stderr.startswith("Wrote a comment on CSC 201 for Dec-20 (")
    assert "Kept" not in new.stderr
    edit = invoke("comment", "CSC201", "-p", "Dec-20", "Four siblings came into care.")
    assert edit.stderr.startswith("Replaced the comment on CSC 201 for Dec-20 (")
    assert edit.stderr.endswith("; the earlier one is kept in its history.\n")


def test_store_copy_says_and_does_copy_the_comments(here: Path):
    helped = " ".join(invoke("store", "copy", "--help").stdout.split())
    assert "comment (each comment's history too)" in helped
    assert invoke("comment", "CSC201", "-p", "Dec-20", "Four came into care.").exit_code == 0
    assert invoke("comment", "CSC201", "-p", "Dec-20", "Four siblings.").exit_code == 0
    copied = invoke("store", "copy", "csckpi.db", "copy.db")
    assert copied.exit_code == 0 and "comment versions" in copied.stdout
    history = [
        json.loads(invoke("comment", "CSC201", "--history", "-f", "json", "--store", s).stdout)
        for s in ("csckpi.db", "copy.db")
    ]
    assert history[0] == history[1]
    assert [h["comment"] for h in history[1]][-2:] == ["Four came into care.", "Four siblings."]


# -- the workbook's own rate, for every month the table shows ----------------------------------


def test_the_example_s_rates_are_its_own_so_no_month_note(here: Path):
    # CSC 200 worked out from its counts and the population of 22,455 reads as every cell
    compared = json.loads(
        invoke("compare", "-i", "CSC200", "-p", "Q3 2020/21", "-f", "json").stdout
    )
    assert [m for m in compared[0]["months"] if "workbook" in m] == []
    assert [m["value"] for m in compared[0]["months"]][6:9] == [130.0, 127.8, 126.5]
    text = invoke("narrate", "-i", "CSC200", "-p", "Q3 2020/21").stdout
    assert "the 0-17 population of 22,455" in text
    assert "Each month's figure is worked out from its count" not in text


def test_the_rate_note_names_every_month_the_workbook_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # The example with CSC 200's Aug-20 and Oct-20 cells typed as 134.8 and 130.3: each is
    # worked out from its count (303 -> 134.9, 292 -> 130.0); the report's table shows both
    # months, so its note names both
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CSCKPI_STORE", raising=False)
    typed = _edited(tmp_path / "typed.xlsx", "Monthly", {"H30": 134.8, "J30": 130.3})
    assert invoke("ingest", typed.name).exit_code == 0
    compared = json.loads(
        invoke("compare", "-i", "CSC200", "-p", "Q3 2020/21", "-f", "json").stdout
    )
    months = {m["month"]: m for m in compared[0]["months"]}
    assert months["2020-08"] == {"month": "2020-08", "value": 134.9, "workbook": 134.8}
    assert months["2020-10"] == {"month": "2020-10", "value": 130.0, "workbook": 130.3}
    differ = {m["month"] for m in compared[0]["months"] if "workbook" in m}
    assert differ == {"2020-08", "2020-10"}
    for period in ("Q3 2020/21", "Dec-20"):
        text = invoke("narrate", "-i", "CSC200", "-p", period).stdout
        assert (
            "Each month's figure is worked out from its count; the workbook gives 134.8 for "
            "August and 130.3 for October." in text
        )
