"""The command line's rough edges (issue 17, item 4): help with real examples, `-o -`, a pipe
that closes, periods as analysts write them, shell completion from the store, dropped columns
said, `~` and `$VARS` in paths, one rule for a file that exists (a table of figures — `compute
-o`, `changes -o`, `export` — is replaced, as a monthly script wants, and the message says so; a
report or template workbook only with `--force`), and the scorecard's legend."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import EXAMPLES, app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"


def invoke(*args: str, **kwargs: object):
    return runner.invoke(app, list(args), **kwargs)


def commands() -> list[list[str]]:
    """Every command and sub-command, as the words that reach it."""
    from typer.main import get_command

    root = get_command(app)
    found: list[list[str]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        if subs:
            found += [[name, sub] for sub in subs]
        else:
            found.append([name])
    return found


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding examples/ (the workbook and the sample files beside it) and a store
    with the example ingested; HOME is in it."""
    shutil.copytree(EXAMPLE.parent, tmp_path / "examples", ignore=shutil.ignore_patterns("*.py"))
    (tmp_path / "shared").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CSCKPI_STORE", raising=False)
    assert invoke("ingest", f"examples/{EXAMPLE.name}").exit_code == 0
    return tmp_path


# -- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("words", commands(), ids=" ".join)
def test_every_help_ends_with_real_examples(words):
    text = invoke(*words, "--help", terminal_width=100).stdout
    tail = text.rstrip().split("Examples:")[-1].strip().splitlines()
    assert "Examples:" in text and len(tail) >= 2, text
    assert all(line.strip().startswith("csckpi " + " ".join(words)) for line in tail)


@pytest.mark.parametrize("words", [[], *commands()], ids=lambda w: " ".join(w) or "csckpi")
def test_help_has_no_python_types_or_pydantic_words(words):
    text = invoke(*words, "--help", terminal_width=100).stdout
    for word in ("list[", "pydantic", "NoneType", "<text>", "Optional[", "tuple["):
        assert word not in text, f"{word} in {' '.join(words)} --help"
    options = [line for line in text.splitlines() if line.strip().startswith("-")]
    assert not [line for line in options if re.search(r"<(str|int|float)>", line)], options


def test_the_command_list_is_never_cut_mid_sentence():
    text = invoke("--help", terminal_width=80).stdout
    listed = text.split("Commands:")[1]
    assert "..." not in listed and "…" not in listed
    assert re.search(r"changes +What is new since the previous ingest", listed)


def test_every_example_runs(here: Path):
    for lines in EXAMPLES.values():
        for line in lines:
            words = shlex.split(line.split(" > ")[0])[1:]
            result = invoke(*words)
            allowed = {0, 3} if "--fail-on" in words else {0}
            assert result.exit_code in allowed, f"{line}: {result.output}"
    assert (here / "q3.html").exists() and (here / "shared" / "team.db").exists()


# -- -o - and pipes --------------------------------------------------------------------------


def test_dash_output_is_standard_output(here: Path):
    plain = invoke("compute", "-p", "Q3 2020/21", "-f", "csv")
    dashed = invoke("compute", "-p", "Q3 2020/21", "-f", "csv", "-o", "-")
    assert dashed.exit_code == 0 and dashed.stdout == plain.stdout and dashed.stderr == ""
    assert not (here / "-").exists()
    html = invoke("report", "-o", "-")
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")
    assert "Wrote the report to standard output" in html.stderr
    changes = invoke("changes", "-o", "-", "-f", "json")
    assert changes.exit_code == 0 and changes.stdout.startswith("{")


def test_a_file_only_format_to_dash_is_a_usage_error(here: Path):
    result = invoke("report", "-o", "-", "-f", "xlsx")
    assert result.exit_code == 2
    assert "xlsx is written to a file, not to standard output" in result.stderr


def test_a_pipe_that_closes_is_quiet():
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        ["csckpi", "narrate", "-w", str(EXAMPLE), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before anything is written
    with proc.stderr:
        error = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert error == "" and proc.returncode in (0, 1)


# -- periods ---------------------------------------------------------------------------------


def test_periods_as_analysts_write_them_give_the_same_scorecard(here: Path):
    full = invoke("compute", "-p", "Q3 2020/21", "-f", "csv").stdout
    for spelling in ("Q3 20/21", "Q3", "2020/21 Q3"):
        assert invoke("compute", "-p", spelling, "-f", "csv").stdout == full, spelling
    ytd = invoke("compute", "-p", "2020/21 YTD", "-f", "csv").stdout
    assert invoke("compute", "-p", "FY 2020/21 YTD", "-f", "csv").stdout == ytd


def test_period_help_names_every_spelling():
    text = " ".join(invoke("compute", "--help", terminal_width=200).stdout.split())
    for spelling in ("Q3 2020/21", "Q3 20/21", "Q3 alone", "2020-21", "FY 20/21", "YTD"):
        assert spelling in text


# -- completion ------------------------------------------------------------------------------


def _complete(words: str, env: dict[str, str]) -> list[str]:
    shell = {**os.environ, **env, "_CSCKPI_COMPLETE": "complete_bash"}
    shell["COMP_WORDS"], shell["COMP_CWORD"] = words, str(len(words.split()) - 1)
    shell["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(["csckpi"], env=shell, capture_output=True, text=True, timeout=120)
    return done.stdout.split()


def test_completion_offers_the_stores_codes_and_periods(here: Path):
    env = {"HOME": str(here)}
    codes = _complete("csckpi compute --store csckpi.db -i CSC03", env)
    assert codes[:3] == ["CSC034", "CSC032", "CSC032M"] and "CSC038" in codes
    assert all(c.startswith("CSC03") for c in codes)
    months = _complete("csckpi compute --store csckpi.db -p 2020-1", env)
    assert months == ["2020-12", "2020-11", "2020-10"]
    assert _complete("csckpi compute --store nowhere.db -i CSC", env) == []


def test_completion_can_be_shown_and_installed():
    text = invoke("--help").stdout
    assert "--install-completion" in text and "--show-completion" in text


# -- narrow terminals ------------------------------------------------------------------------


def test_a_narrow_terminal_says_which_columns_it_left_out(here: Path):
    from csckpi.api import load
    from csckpi.render.scorecard import HEADERS, _table_body, dropped_columns, fit_columns

    kpi = load()
    frame = kpi.compute("Q3 2020/21")
    assert dropped_columns(frame, {}, 400) == []
    assert {"Previous", "vs previous"} <= set(dropped_columns(frame, {}, 90))
    body = _table_body(frame, {})[1]
    for width in range(30, 260, 5):
        shown = {HEADERS[i] for i in fit_columns(body, width)}
        for base, change in (("Previous", "vs previous"), ("Last year", "vs last year")):
            assert (change in shown) <= (base in shown), (width, shown)


def test_print_table_adds_the_line(here: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.setattr("csckpi.render.formats.stdout_is_terminal", lambda: True)
    result = invoke("compute", "-p", "Q3 2020/21", "-f", "table")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split()).split("Left out to fit 90 columns: ")[1]
    assert "Previous, vs previous" in said.split(" (a wider terminal")[0]


# -- paths -----------------------------------------------------------------------------------


def test_tilde_and_variables_are_expanded_in_paths(here: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEAM", str(here / "shared"))
    shutil.copy(here / "csckpi.db", here / "shared" / "team.db")
    by_tilde = invoke("compute", "--store", "~/csckpi.db", "-p", "Dec-20", "-o", "~/a.csv")
    assert by_tilde.exit_code == 0, by_tilde.output
    monkeypatch.setenv("CSCKPI_STORE", "$TEAM/team.db")
    by_env = invoke("compute", "-p", "Dec-20", "-o", "${TEAM}/b.csv")
    assert by_env.exit_code == 0, by_env.output
    assert (here / "a.csv").read_text() == (here / "shared" / "b.csv").read_text()
    workbook = invoke("indicators", "-w", "~/examples/" + EXAMPLE.name, "-f", "csv")
    assert workbook.exit_code == 0 and "CSC 038" in workbook.stdout


# -- files that exist --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["report", "-o", "out.html"], ["template", "out.xlsx"]],
    ids=["report", "template"],
)
def test_report_and_template_replace_a_file_only_with_force(here: Path, args):
    target = here / args[-1]
    target.write_text("keep me")
    refused = invoke(*args)
    assert refused.exit_code == 1
    assert f"{args[-1]} already exists. Give another name, or --force to replace it." in (
        refused.stderr
    )
    assert target.read_text() == "keep me"
    assert invoke(*args, "--force").exit_code == 0
    assert target.read_bytes() != b"keep me"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["compute", "-p", "Q3 2020/21", "-o", "scorecard.csv"], "scorecard.csv"),
        (["changes", "-o", "changes.txt"], "changes.txt"),
    ],
    ids=["compute", "changes"],
)
def test_a_table_of_figures_replaces_its_file_and_says_so(here: Path, args, name):
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "replacing" not in first.stderr
    written = (here / name).read_text()
    (here / name).write_text("last month's")
    again = invoke(*args)
    assert again.exit_code == 0, again.output
    assert f"to {name}, replacing the file there" in again.stderr
    assert (here / name).read_text() == written


def test_export_replaces_its_files_and_names_them(here: Path):
    first = invoke("export", "-o", "out", "-f", "csv")
    assert first.exit_code == 0 and "replacing" not in first.stderr, first.output
    (here / "out" / "figures.csv").write_text("last month's")
    (here / "out" / "indicators.csv").unlink()
    (here / "out" / "mine.txt").write_text("keep me")
    again = invoke("export", "-o", "out", "-f", "csv")
    assert again.exit_code == 0, again.output
    assert again.stderr.rstrip().endswith(", replacing figures.csv, scorecard.csv there.")
    assert (here / "out" / "figures.csv").read_text() != "last month's"
    assert (here / "out" / "mine.txt").read_text() == "keep me"


def test_the_rule_for_a_file_that_exists_is_said_alike_everywhere():
    from csckpi.cli.common import REPLACE_RULE

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").replace("`", "").split())
    assert REPLACE_RULE in readme
    for words in (["compute"], ["changes"]):
        text = " ".join(invoke(*words, "--help", terminal_width=200).stdout.split())
        assert "replacing it if it exists" in text, words
    export = " ".join(invoke("export", "--help", terminal_width=200).stdout.split())
    assert "its files of an earlier export are replaced" in export
    for words in (["report"], ["template"]):
        text = " ".join(invoke(*words, "--help", terminal_width=200).stdout.split())
        assert "--force Replace the file if it exists (without it, a file there is kept" in text


# -- the legend --------------------------------------------------------------------------------


def test_legend_under_the_table_and_in_help(here: Path):
    shown = invoke("compute", "-p", "Q3 2020/21", "--legend", "-f", "text").stdout
    legend = shown.split("Columns:")[1]
    for column in ("In period", "Basis", "Target", "RAG", "improved or worsened", "YTD"):
        assert column in legend
    # CSC 036's row shows 534 to date, 203 in Q3, and 204 last year: last year's Q3 flow
    words = " ".join(legend.split())
    assert "Last year and Previous are of the In period" in words
    # every heading a new analyst could not read without the docs is said in words
    for said in (
        "YTD the year to date: from April to the period's last month",
        "in percentage points for a percentage",
        "Last 12 months the 12 months to the period's end",
        "· a month with no figure",
        "RAG (red, amber, green)",
    ):
        assert said in words, said
    assert "Columns:" not in invoke("compute", "-p", "Q3 2020/21", "-f", "text").stdout
    assert "- **Basis**:" in invoke("compute", "-p", "Dec-20", "--legend", "-f", "markdown").stdout
    assert "Columns:" in invoke("compute", "--help").stdout


# -- cells read as blank ---------------------------------------------------------------------


def test_na_cells_are_counted_listed_with_their_cell_and_in_json(tmp_path: Path):
    import json

    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE)
    book["Monthly"]["M2"].value = "n/a"
    book["Monthly"]["M3"].value = "-"
    marked = tmp_path / "marked.xlsx"
    book.save(marked)
    store = str(tmp_path / "s.db")
    plain = invoke("ingest", str(marked), "--store", store, "--dry-run")
    assert plain.exit_code == 0, plain.output
    assert re.search(
        r'Blank +2 cells holding "n/a", "-" or similar \(--verbose lists them\)', plain.stdout
    )
    verbose = invoke("ingest", str(marked), "--store", store, "--dry-run", "--verbose")
    assert 'note: Monthly!M2: "n/a" read as blank' in verbose.stderr
    assert 'note: Monthly!M3: "-" read as blank' in verbose.stderr
    notes = json.loads(invoke("ingest", str(marked), "--store", store, "-f", "json").stdout)[
        "notes"
    ]
    assert 'Monthly!M2: "n/a" read as blank' in notes and 'Monthly!M3: "-" read as blank' in notes


def test_the_readme_names_every_kind_of_change_changes_reports():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("`csckpi changes` compares")
    paragraph = " ".join(text[start : text.index("\n\n", start)].lower().split())
    # the sections `csckpi changes` writes (csckpi/render/changes.py), as the README says them
    for kind in (
        "past figures revised",
        "months added",
        "benchmarks updated",
        "rag changes",
        "targets crossed",
        "new reds",
        "comments added or removed",
    ):
        assert kind in paragraph, kind
