"""`csckpi compute` through the CLI: exact output, golden tables, exit codes, files."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from compute_data import dataset, indicator, monthly_series
from conftest import assert_golden
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compute import compute, resolve_period
from csckpi.numbers import round_half_up
from csckpi.render.scorecard import DATA_FIELDS, write_xlsx
from csckpi.workbook import read_dataset

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["compute", *args])


@pytest.mark.parametrize(
    ("period", "golden"),
    [("Dec-20", "compute-dec-20.txt"), ("Q3 2020/21", "compute-q3-2020-21.txt")],
)
def test_plain_table_of_the_example(example_workbook, period, golden):
    result = run("--workbook", str(example_workbook), "--period", period)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert_golden(golden, result.stdout)


def test_the_default_period_is_the_latest_month(example_workbook):
    default = run("-w", str(example_workbook), "-i", "CSC 201")
    december = run("-w", str(example_workbook), "-i", "CSC 201", "-p", "2020-12")
    assert default.exit_code == 0
    assert default.stdout == december.stdout
    assert "Scorecard · Dec-20 · Darlington" in default.stdout


def test_csv_of_one_indicator(example_workbook):
    result = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-i", "csc036", "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "code,key,title,section,period,unit,polarity,measure,decimals,value,basis,reported,"
        "numerator,denominator,flow,last_year_flow,ytd,target,tolerance,rag,last_year,change,"
        "direction,previous,previous_change,previous_direction,reason,flow_change,flow_direction,"
        "variation,variation_side,assurance,spc_reason,target_year,target_per\n"
        "CSC 036,CSC036,Number of children & families assessments completed year to date,"
        "Assessments,Q3 2020/21,count,none,cumulative,0,534,month,,,,203,204,534,,,,,,,189,14,"
        'up,,-1,down,,,,"no control limits yet: they need 15 months, there are 9",,\n'
    )


def test_a_cumulative_counts_last_year_and_previous_are_flows_beside_its_flow(example_workbook):
    result = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-i", "CSC036", "-f", "markdown")
    assert result.exit_code == 0
    header, _rule, line = result.stdout.splitlines()
    cells = dict(
        zip(
            [h.strip() for h in header.split("|")],
            [c.strip() for c in line.split("|")],
            strict=True,
        )
    )
    assert (cells["Value"], cells["In period"], cells["YTD"]) == ("534", "203", "534")
    # Q3 2019/20's own flow (204), and Q2's (331 - 142 = 189): not last year's or Q2's totals
    assert (cells["Last year"], cells["vs last year"]) == ("204", "-1 down")
    assert (cells["Previous"], cells["vs previous"]) == ("189", "+14 up")


def test_json_is_the_library_result_rounded_to_each_indicators_decimals(example_workbook):
    result = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-f", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    ds = read_dataset(example_workbook)
    frame = compute(ds, resolve_period(ds, "Q3 2020/21"))
    assert [r["code"] for r in rows] == frame.get_column("code").to_list()
    assert all(tuple(r) == DATA_FIELDS for r in rows)
    for got, want in zip(rows, frame.iter_rows(named=True), strict=True):
        for field in ("value", "flow", "ytd", "last_year", "change", "previous"):
            assert got[field] == round_half_up(want[field], want["decimals"]), (got["code"], field)
        for field in ("basis", "rag", "direction", "target", "reason", "unit", "period"):
            assert got[field] == want[field]
    by_code = {r["code"]: r for r in rows}
    assert by_code["CSC 036"]["flow"] == 203
    assert by_code["CSC 166"]["value"] == 76
    assert by_code["CSC 026"]["value"] is None
    assert by_code["CSC 026"]["reason"].startswith("percentages cannot be averaged")


def test_sections_filter_and_markdown(example_workbook):
    result = run("-w", str(example_workbook), "-s", "placements", "-f", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| Section ")
    assert [line.split("|")[2].strip() for line in lines[2:]] == ["CSC 228", "CSC 229", "CSC 230"]
    assert "| 6.7%  " in lines[2]


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["-s", "placements", "--fail-on", "red"], 0, ""),
        (["-s", "placements", "--fail-on", "amber"], 0, ""),
        (
            ["-s", "referrals - timeliness", "--fail-on", "red"],
            3,
            "1 indicator at or worse than red: CSC 022.\n",
        ),
        (
            ["-i", "CSC 201", "-i", "CSC 228", "-i", "CSC 038", "--fail-on", "amber"],
            3,
            "1 indicator at or worse than amber: CSC 038.\n",
        ),
        (
            ["-i", "CSC 022", "-i", "CSC 038", "--fail-on", "red"],
            3,
            "2 indicators at or worse than red: CSC 022, CSC 038.\n",
        ),
    ],
)
def test_fail_on_exits_3_when_an_indicator_shown_is_at_or_worse(
    example_workbook, args, code, stderr
):
    result = run("-w", str(example_workbook), "-f", "csv", *args)
    assert result.exit_code == code
    assert result.stderr == stderr
    assert result.stdout.startswith("code,key,")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["-i", "CSC 22"],
            1,
            "csckpi: Indicator 'CSC 22' is not in the workbook darlington-2020-21-q3.xlsx. "
            "Did you mean 'CSC 022'?\n",
        ),
        (
            ["-p", "2021-06"],
            1,
            "csckpi: There are no figures after Dec-20, so Jun-21 cannot be computed yet. "
            "Ask for a period ending by Dec-20, e.g. 'Dec-20' or '2020/21 YTD'.\n",
        ),
        (
            ["-p", "Q4 2020/21"],
            1,
            "csckpi: There are no figures after Dec-20, so Q4 2020/21 (to Mar-21) cannot be "
            "computed yet. Ask for a period ending by Dec-20, e.g. 'Dec-20' or '2020/21 YTD'.\n",
        ),
        (
            ["-p", "2020-Q3"],
            2,  # a period that cannot be read: a mistyped command line
            "csckpi: '2020-Q3' looks like a calendar quarter, and csckpi's quarters are of the "
            "financial year (Q1 is April to June). Calendar Q3 2020 (Jul-20 to Sep-20) is "
            "'Q2 2020/21'.\n",
        ),
    ],
)
def test_what_cannot_be_answered_is_one_line_on_stderr(example_workbook, args, code, message):
    result = run("-w", str(example_workbook), *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == message


def test_output_file_in_the_format_of_its_suffix(example_workbook, tmp_path: Path):
    out = tmp_path / "scorecard.csv"
    result = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote 42 indicators for Q3 2020/21 to {out}.\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["code"]: r["value"] for r in rows}["CSC 036"] == "534"


def test_an_output_file_of_unknown_kind_is_a_usage_error(example_workbook, tmp_path: Path):
    out = tmp_path / "scorecard.pdf"
    result = run("-w", str(example_workbook), "-o", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert " ".join(result.stderr.split()).startswith(
        f"csckpi: --output: cannot tell which format to write to '{out}': "
        "name the file .xlsx, .csv, .tsv, .json, .md or .txt, or give --format."
    )
    assert not out.exists()
    given = run("-w", str(example_workbook), "-i", "CSC201", "-f", "csv", "-o", str(out))
    assert given.exit_code == 0 and out.read_text("utf-8").startswith("code,key,")


def test_an_unknown_fail_on_is_a_usage_error(example_workbook):
    result = run("-w", str(example_workbook), "--fail-on", "purple")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "csckpi: --fail-on takes red or amber, not 'purple'.",
        "See 'csckpi compute --help' for its options and examples.",
    ]


def test_excel_scorecard(example_workbook, tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "scorecard.xlsx"
    result = run("-w", str(example_workbook), "-p", "Dec-20", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Scorecard"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["Section", "Code", "Indicator", "Period", "Value", "In period"]
    assert sheet.freeze_panes == "A2"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    value, rag = headers.index("Value"), headers.index("RAG")
    csc022 = rows["CSC 022"]
    assert csc022[value].value == 88.2
    assert csc022[value].number_format == '#,##0.0"%"'
    assert (csc022[rag].value, csc022[rag].fill.start_color.rgb) == ("red", "00FFC7CE")
    assert rows["CSC 228"][rag].fill.start_color.rgb == "00C6EFCE"
    csc200 = rows["CSC 200"][value]
    assert csc200.value == 126.5  # as shown (284 / 22,455 x 10,000 = 126.477...), a number
    assert csc200.number_format == "#,##0.0"
    assert rows["CSC 201"][rag].fill.fill_type is None
    # a percentage's change is in points, not per cent
    change = rows["CSC 229"][headers.index("Change")]
    assert (change.value, change.number_format) == (
        3.4,
        '+#,##0.0" pts";-#,##0.0" pts";#,##0.0" pts"',
    )
    previous_change = rows["CSC 038"][headers.index("Previous change")]
    assert previous_change.value == 1.5 and "%" not in previous_change.number_format
    assert rows["CSC 201"][headers.index("Change")].number_format == "+#,##0;-#,##0;#,##0"


def test_excel_text_is_formula_safe(tmp_path: Path):
    from openpyxl import load_workbook

    ds = dataset(
        [indicator("X1", title='=HYPERLINK("http://evil")', section="+Section")],
        monthly_series("X1", "2020-12", [3]),
    )
    frame = compute(ds, resolve_period(ds, None))
    out = tmp_path / "x.xlsx"
    write_xlsx(frame, out, "Scorecard")
    sheet = load_workbook(out)["Scorecard"]
    assert sheet["A2"].value == "'+Section"
    assert sheet["C2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"


def test_a_workbook_straight_from_source_needs_no_store(example_workbook, tmp_path: Path):
    store = tmp_path / "never.db"
    result = run("-w", str(example_workbook), "--store", str(store), "-i", "CSC 201")
    assert result.exit_code == 0
    assert not store.exists()


def test_the_json_example_in_the_docs_is_what_the_command_prints(example_workbook):
    docs = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text("utf-8")
    example = docs.split("```json\n", 1)[1].split("```", 1)[0]
    result = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-i", "CSC036", "-f", "json")
    assert result.exit_code == 0
    assert result.stdout == example


def test_the_store_gives_what_the_workbook_gives(example_workbook, example_store: Path):
    stored = run("--store", str(example_store), "-p", "Q3 2020/21", "-f", "json")
    direct = run("-w", str(example_workbook), "-p", "Q3 2020/21", "-f", "json")
    assert stored.exit_code == direct.exit_code == 0
    assert json.loads(stored.stdout) == json.loads(direct.stdout)


def test_a_terminal_gets_a_rich_table_with_rag_colours(example_workbook, monkeypatch):
    from rich.console import Console

    from csckpi.compute import monthly_values
    from csckpi.render.scorecard import rich_table, trends

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")  # rich sizes a dumb terminal at 80 columns
    ds = read_dataset(example_workbook)
    period = resolve_period(ds, "Dec-20")
    keys = ["CSC022", "CSC228", "CSC201"]
    frame = compute(ds, period, keys)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=240)
    console.print(rich_table(frame, trends(monthly_values(ds, keys), period.last), "Scorecard"))
    text = out.getvalue()
    assert "\x1b[1;31m88.2%\x1b[0m" in text  # CSC 022: red
    assert "\x1b[1;32m 6.7%\x1b[0m" in text  # CSC 228: green
    assert "┃" in text and "Children in Care" in text
    assert "···▁▃▄███▅▃▂" in text  # Jan-Mar 20 have no figure


def test_a_reported_percentage_outside_its_months_is_a_note_under_the_table():
    from csckpi.render.outputs import SCORECARD, Scorecard

    ds = dataset(
        [indicator("R1", "ratio", "percent", "up", target=90)],
        monthly_series("R1", "2020-10", [87.5, 80.0, 85.0]),
        reported=[("R1", "Q3 2020/21", 100.0)],
    )
    frame = compute(ds, resolve_period(ds, "Q3 2020/21"))
    text = SCORECARD["text"].text(Scorecard(frame, {}, "Scorecard"))
    assert text.endswith(
        "Notes:\n  R1: the workbook reports 100.0% for Q3 2020/21, outside its months' "
        "80.0%–87.5%: a figure pooled over the months lies between them.\n"
    )
    assert "100.0%" in text.splitlines()[5]  # the value is still the workbook's


@pytest.mark.parametrize(
    ("width", "headers", "left_out"),
    [
        (80, ["Code", "Indicator", "Value", "Target", "RAG", "Last 12"], ["vs previous", "YTD"]),
        (
            120,  # a change goes with its base: no `vs previous` without `Previous`
            [
                "Code",
                "Indicator",
                "Value",
                "period",
                "Target",
                "RAG",
                "YTD",
                "Basis",
            ],  # In / period
            ["Previous", "vs previous", "Last year", "vs last year"],
        ),
        (240, ["Last year", "Previous", "YTD", "Last 12 months", "Basis"], []),
    ],
)
def test_the_terminal_table_fits_the_terminal_and_never_cuts_a_figure(
    example_workbook, monkeypatch, width: int, headers: list[str], left_out: list[str]
):
    """An 80- or 120-column terminal gets every code and figure whole: titles are shortened and
    the least needed columns left out, rather than every column squeezed to `8…`."""
    from rich.cells import cell_len
    from rich.console import Console

    from csckpi.compute import monthly_values
    from csckpi.render.scorecard import figure, rich_table, trends

    monkeypatch.setenv("TERM", "xterm-256color")  # rich sizes a dumb terminal at 80 columns
    ds = read_dataset(example_workbook)
    period = resolve_period(ds, "Dec-20")
    frame = compute(ds, period)
    months = trends(monthly_values(ds, frame.get_column("key").to_list()), period.last)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    console.print(rich_table(frame, months, "Scorecard", width=width))
    lines = out.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert [line for line in lines[1:] if not line.endswith(("┓", "┃", "┩", "│", "┤", "┘"))] == []
    head = " ".join(lines[1:5])
    assert all(header in head for header in headers)
    assert not any(header in head for header in left_out)
    text = out.getvalue()
    for row in frame.iter_rows(named=True):
        assert f"│ {row['code']} " in text
        shown = figure(row["value"], row["decimals"], row["unit"])
        assert any(row["code"] in line and f" {shown} │" in line for line in lines), row["code"]
    if width < 200:
        assert "…" in text  # the titles are shortened, not the figures


SPELLINGS = [
    ("2020-12", "Dec-20", 85.2),
    ("Dec-20", "Dec-20", 85.2),
    ("December 2020", "Dec-20", 85.2),
    ("Q3 2020/21", "Q3 2020/21", 85.2),
    ("2020/21 Q3", "Q3 2020/21", 85.2),
    ("2020/21 YTD", "2020/21 YTD", 85.2),
    ("YTD", "2020/21 YTD", 85.2),
    ("2019/20", "2019/20", 88.7),
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, example_store_file: Path) -> Path:
    """The example workbook ingested into a store, as an analyst would (a copy of the one
    ingested once per session: conftest)."""
    store = tmp_path_factory.mktemp("store") / "csckpi.db"
    shutil.copyfile(example_store_file, store)
    return store


@pytest.mark.parametrize("source", ["store", "workbook"])
@pytest.mark.parametrize(("spelling", "label", "csc038"), SPELLINGS)
def test_every_period_spelling_works_in_compute_and_compare(
    example_workbook, ingested: Path, source: str, spelling: str, label: str, csc038: float
):
    """Each spelling the issue lists, in both commands, from the store and from a workbook;
    a financial year is answered where the store has it (2019/20: the reported 88.7)."""
    where = ["--store", str(ingested)] if source == "store" else ["-w", str(example_workbook)]
    computed = run(*where, "-p", spelling, "-i", "CSC038", "-f", "json")
    assert computed.exit_code == 0, computed.output
    [row] = json.loads(computed.stdout)
    assert (row["period"], row["value"]) == (label, csc038)
    compared = runner.invoke(app, ["compare", *where, "-p", spelling, "-i", "CSC038", "-f", "json"])
    assert compared.exit_code == 0, compared.output
    [block] = json.loads(compared.stdout)
    assert (block["period"], block["value"]) == (label, csc038)


@pytest.mark.parametrize("command", ["compute", "compare"])
def test_a_year_the_store_cannot_answer_yet_says_why_in_both_commands(ingested: Path, command):
    result = runner.invoke(
        app, [command, "--store", str(ingested), "-p", "2020/21", "-i", "CSC038"]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "csckpi: There are no figures after Dec-20, so 2020/21 (to Mar-21) cannot be computed "
        "yet. For the year so far, use '2020/21 YTD'.\n"
    )


def test_a_computed_figure_that_differs_from_the_reported_one_shows_both():
    """Basis `differs`: the table's row says so and the note under it gives both figures, in
    plain text and under the rich table in a terminal (whatever columns fit)."""
    from rich.console import Console

    from csckpi.render.outputs import SCORECARD, Scorecard
    from csckpi.render.scorecard import rich_table

    ds = dataset(
        [indicator("F1", decimals=1)],
        monthly_series("F1", "2020-10", [7, 8, 9]),
        reported=[("F1", "Q3 2020/21", 24.6)],
    )
    frame = compute(ds, resolve_period(ds, "Q3 2020/21"))
    text = SCORECARD["text"].text(Scorecard(frame, {}, "Scorecard"))
    [line] = [line for line in text.splitlines() if line.startswith("F1 ")]
    assert line.split()[3] == "24.0" and line.endswith("differs")
    note = "F1: computed 24.0 from the months; the workbook reports 24.6 for Q3 2020/21."
    assert text.endswith(f"Notes:\n  {note}\n")
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    console.print(rich_table(frame, {}, "Scorecard", width=200))
    assert "differs" in out.getvalue()


def test_write_fits_the_rich_table_to_the_terminals_columns(example_workbook, monkeypatch, capsys):
    """`write` sizes the table by the console it prints to (COLUMNS here), notes included."""
    from rich.cells import cell_len

    from csckpi.render.formats import emit
    from csckpi.render.outputs import SCORECARD, Scorecard

    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "80")
    ds = read_dataset(example_workbook)
    frame = compute(ds, resolve_period(ds, "Q3 2020/21"))
    emit(SCORECARD["table"], Scorecard(frame, {}, "Scorecard"), terminal=True)
    shown = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in shown) <= 80
    assert shown[1].startswith("┏") and shown[1].endswith("┓")
    assert any("CSC 038" in line and " 85.2% " in line and " red " in line for line in shown)
    assert any(line.startswith("  CSC ") for line in shown)  # the notes under the table


def test_markdown_keeps_whole_titles_and_the_notes(example_workbook):
    """Markdown goes into documents: a title is not cut to the terminal's 50 characters, and
    a figure's missing reason is under the table as in plain text."""
    ds = read_dataset(example_workbook)
    result = run("-w", str(example_workbook), "-p", "Q3 2019/20", "-i", "CSC022", "-f", "markdown")
    assert result.exit_code == 0, result.output
    title = next(i.title for i in ds.indicators if i.key == "CSC022")
    assert len(title) > 50 and f"| {title} " in result.stdout and "…" not in result.stdout
    frame = compute(ds, resolve_period(ds, "Q3 2019/20"), ["CSC022"])
    [reason] = frame.get_column("reason").to_list()
    assert reason and result.stdout.endswith(f"\nNotes:\n\n- CSC 022: {reason}.\n")


def _flow_with_targets(tmp_path: Path) -> Path:
    """The factory's workbook with a flow (CSC 034, 10 a month) whose 2020/21 target is 36 a
    quarter, and CSC 022's 2020/21 target 85 (a percentage: compared as set)."""
    from workbook_factory import DEC, NOV, OCT, base, write

    sheets = base()
    sheets["Indicators"].append(
        ["CSC 034", "Re-referrals", "Referrals", "count", "down", "flow", 12]
    )
    assert sheets["Monthly"][0][2:] == [OCT, NOV, DEC]
    sheets["Monthly"].append(["CSC 034", "value", 10, 10, 10])
    sheets["Targets"] = [
        ["code", "year", "target", "per"],
        ["CSC 034", "2020/21", 36, "quarter"],
        ["CSC 022", "2020/21", 85, None],
    ]
    return write(tmp_path / "targets.xlsx", sheets)


def test_the_scorecard_says_which_year_s_target_and_what_it_was_set_for(tmp_path: Path):
    """target_year names the Targets row's year; target_per is said where the target was
    scaled to the period (36 a quarter is 12 for a month) and not where compared as set."""
    book = _flow_with_targets(tmp_path)
    month = {
        r["key"]: r for r in json.loads(run("-w", str(book), "-p", "Dec-20", "-f", "json").stdout)
    }
    assert (month["CSC034"]["target"], month["CSC034"]["target_year"]) == (12, "2020/21")
    assert month["CSC034"]["target_per"] == "quarter"
    assert (month["CSC022"]["target"], month["CSC022"]["target_year"]) == (85, "2020/21")
    assert month["CSC022"]["target_per"] is None  # a percentage: compared as set
    assert (month["CSC038"]["target_year"], month["CSC038"]["target_per"]) == (None, None)
    quarter = json.loads(
        run("-w", str(book), "-p", "Q3 2020/21", "-i", "CSC034", "-f", "json").stdout
    )
    assert (quarter[0]["target"], quarter[0]["target_per"]) == (36, None)  # a quarter's: as set
    rows = list(
        csv.DictReader(io.StringIO(run("-w", str(book), "-p", "Dec-20", "-f", "csv").stdout))
    )
    csc034 = next(r for r in rows if r["key"] == "CSC034")
    assert (csc034["target_year"], csc034["target_per"]) == ("2020/21", "quarter")


def test_the_excel_scorecard_has_the_target_s_year_and_length(tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "scorecard.xlsx"
    result = run("-w", str(_flow_with_targets(tmp_path)), "-p", "Dec-20", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Scorecard"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "CSC 034")
    year, per = headers.index("Target year"), headers.index("Target per")
    assert (row[year].value, row[per].value) == ("2020/21", "quarter")
    assert headers.index("Tolerance") + 1 == year
