"""What a new user reads first, said plainly: `csckpi --help` in the order of the monthly
routine, messages and labels that read as English (a new user's trial of the whole tool)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "120"})


def test_help_lists_the_commands_in_the_order_of_the_monthly_routine() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    listed = re.findall(r"^\s*│?\s*([a-z]+)\s{2,}\S", result.stdout.split("Commands")[1], re.M)
    routine = ["ingest", "changes", "compute", "compare", "comment", "narrate", "report"]
    assert listed[: len(routine)] == routine, listed
    assert listed.index("children") > listed.index("report")
    assert sorted(listed) == sorted(
        [*routine, "history", "indicators", "template", "children", "export", "store", "benchmarks"]
    )


def test_changes_and_ingest_name_england_with_a_capital(tmp_path) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "darlington-2020-21-q3.xlsx"
    store = str(tmp_path / "s.db")
    assert invoke("ingest", str(example), "--store", store).exit_code == 0
    result = invoke("changes", "--store", store)
    assert result.exit_code == 0, result.output
    assert "CSC 032 England benchmark 2019/20" in result.stdout
    assert "england benchmark" not in result.stdout


def test_three_near_codes_are_offered_as_a_list_not_a_chain_of_ors(tmp_path) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "darlington-2020-21-q3.xlsx"
    result = invoke("compare", "-w", str(example), "-i", "CSC999")
    assert result.exit_code == 1
    assert result.stderr == (
        f"csckpi: Indicator 'CSC999' is not in the workbook {example.name}. "
        "Did you mean 'CSC 294', 'CSC 229' or 'CSC 191'?\n"
    )


def test_narrate_summary_help_says_the_report_has_every_indicator() -> None:
    result = invoke("narrate", "--help")
    assert result.exit_code == 0
    words = " ".join(result.stdout.split())
    assert "The key messages, then a paragraph per notable indicator" in words
    assert "the report's Performance Summary has one for every indicator, as --all gives" in words


def test_every_toml_map_option_is_written_file_toml() -> None:
    for command in (["benchmarks", "import"], ["ingest"], ["compute"], ["children"]):
        words = " ".join(invoke(*command, "--help").stdout.split())
        assert "<file.toml>" in words, command
        assert "MAP.toml" not in words, command


def test_an_output_that_replaces_a_file_says_so_in_its_help() -> None:
    for command in ("compute", "changes"):
        words = " ".join(invoke(command, "--help").stdout.split())
        assert "Write to this file instead, replacing it if it exists" in words, command


def test_a_quarter_with_a_wrong_year_says_it_is_the_year_that_is_wrong() -> None:
    from csckpi.errors import CsckpiError
    from csckpi.periods import parse_period

    for typed, year in (("Q3 2020/12", "2020/12"), ("2020/19 YTD", "2020/19")):
        try:
            parse_period(typed)
        except CsckpiError as caught:
            said = str(caught)
        else:
            raise AssertionError(f"{typed} was read as a period")
        assert said.startswith(f"'{typed}': {year} is not a financial year."), said


def test_history_takes_q3_alone_as_the_latest_years(tmp_path) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "darlington-2020-21-q3.xlsx"
    store = str(tmp_path / "s.db")
    assert invoke("ingest", str(example), "--store", store).exit_code == 0
    result = invoke("history", "-i", "CSC022", "-p", "Q3", "--store", store, "-f", "csv")
    assert result.exit_code == 0, result.output
    periods = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert periods == ["Oct-20", "Nov-20", "Dec-20", "Q3 2020/21"], periods
    ytd = invoke("history", "-i", "CSC022", "-p", "YTD", "--store", store, "-f", "csv")
    assert ytd.exit_code == 0, ytd.output
    assert "Apr-20" in ytd.stdout and "Dec-20" in ytd.stdout and "Dec-19" not in ytd.stdout


def test_changes_counts_a_removed_comment_as_removed_not_added(tmp_path) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "darlington-2020-21-q3.xlsx"
    store = str(tmp_path / "s.db")
    assert invoke("ingest", str(example), "--store", store).exit_code == 0
    for args in (["Short-staffed."], ["--remove"], ["Backlog cleared."]):
        said = invoke("comment", "CSC038", "-p", "Dec-20", *args, "--store", store)
        assert said.exit_code == 0, said.output
    text = invoke("changes", "--store", store).stdout
    assert "2 comments added, 1 comment removed." in text
    assert re.search(r"Commentary added or removed \(3\)\n.*\n  CSC 038 +Dec-20 +\(removed\)", text)
    markdown = invoke("changes", "--store", store, "-f", "markdown").stdout
    assert "## Commentary added or removed" in markdown


def test_docs_say_what_the_print_css_does_with_a_section() -> None:
    from pathlib import Path

    from csckpi.render import report_html

    css = Path(report_html.__file__).read_text(encoding="utf-8")
    doc = (Path(__file__).resolve().parent.parent / "docs" / "report.md").read_text("utf-8")
    new_page = re.search(r"\.report-section \{[^}]*break-before: page", css) is not None
    assert ("each starting on a new page" in doc) == new_page
    assert re.search(r"\.report-section \{[^}]*break-inside: avoid", css)
    assert "each kept whole on a page where it fits" in doc


def test_an_empty_template_ingested_is_told_to_fill_it_in_not_to_give_a_period(tmp_path) -> None:
    book, store = str(tmp_path / "new.xlsx"), str(tmp_path / "s.db")
    assert invoke("template", book).exit_code == 0
    assert invoke("ingest", book, "--store", store).exit_code == 0  # a warning: no indicators
    report = ["report", "-o", str(tmp_path / "r.md")]
    for args in (["compute"], ["compute", "-p", "2019/20"], ["narrate"], report):
        result = invoke(*args, "--store", store)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith(
            "csckpi: There are no figures at all: no indicator has a monthly or period figure. "
            "Fill in the workbook's Indicators and Monthly sheets (docs/workbook.md), then "
            "ingest it."
        ), (args, result.stderr)
