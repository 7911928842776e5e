"""The shipped Annex A sample as a new analyst uses it, following docs/records.md: the example
workbook, then `examples/annex-a-sample.xlsx` with `examples/darlington-annex-a.toml`, then
`children` and `compute --by team`. Each test is a step that went wrong or said too little."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from csckpi.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
SAMPLE = ROOT / "examples" / "annex-a-sample.xlsx"
MAP = ROOT / "examples" / "darlington-annex-a.toml"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Path:
    """The example workbook, then the sample extract as the docs' first command ingests it:
    with the map, and the default months (the six before the extract date: July to December
    2020, so the map's years to date are not derived)."""
    store = tmp_path_factory.mktemp("trial") / "csckpi.db"
    assert _run("ingest", str(EXAMPLE), "--store", str(store))[0] == 0
    code, out, err = _run("ingest", str(SAMPLE), "--map", str(MAP), "--store", str(store))
    assert code == 0, err
    assert "Note: CSC 038 is a year to date" in out + err
    assert "0-17 population" not in out + err  # the workbook's Context gives it
    return store


@pytest.fixture
def store(first, tmp_path) -> Path:
    copy = tmp_path / "csckpi.db"
    copy.write_bytes(first.read_bytes())
    return copy


@pytest.fixture(scope="module")
def from_april(tmp_path_factory) -> Path:
    """The example workbook and the sample extract from April 2020: every mapped code."""
    store = tmp_path_factory.mktemp("april") / "csckpi.db"
    assert _run("ingest", str(EXAMPLE), "--store", str(store))[0] == 0
    code, _out, err = _run(
        "ingest", str(SAMPLE), "--map", str(MAP), "--since", "Apr-20", "--store", str(store)
    )
    assert code == 0, err
    return store


def _children(store: Path, *args: str) -> tuple[int, str, str]:
    return _run("children", *args, "--store", str(store))


def _listed(out: str) -> list[dict[str, str]]:
    lines = out.splitlines()
    assert lines[0].startswith("# These rows hold personal data")
    return list(csv.DictReader(lines[1:]))


def test_the_same_extract_again_from_april_adds_the_years_to_date(store):
    """The ingest's note says `--since Apr-20 derives them`; the same file again with it is
    written (it gives figures the store lacks), not 'already in the store: nothing changed'."""
    code, out, err = _run(
        "ingest", str(SAMPLE), "--map", str(MAP), "--since", "Apr-20", "--store", str(store)
    )
    assert code == 0, err
    assert "already in" not in out and out.startswith("Ingested ")
    added = re.search(r"Figures +([\d,]+) added", out)
    assert added and int(added[1].replace(",", "")) > 0, out
    code, out, err = _run(
        "compute", "-p", "Dec-20", "-i", "CSC038", "--store", str(store), "-f", "json"
    )
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["basis"] in ("records", "differs")  # the records' year to date, not the workbook's
    code, out, err = _children(store, "CSC038", "-p", "Dec-20", "-f", "csv")
    assert code == 0, err
    listed = _listed(out)
    assert len(listed) == row["denominator"]
    assert sum(r["counted"] == "True" for r in listed) == row["numerator"]
    code, out, _err = _run(
        "ingest", str(SAMPLE), "--map", str(MAP), "--since", "Apr-20", "--store", str(store)
    )
    assert code == 0 and "already in" in out  # now nothing is new


def test_children_says_why_a_code_has_no_records_figures(store):
    """CSC 038 was mapped, but as a year to date it was not derived from July: not 'ingest
    the extract first', which was done."""
    code, _out, err = _children(store, "CSC038", "-p", "Dec-20", "--missed", "--map", str(MAP))
    assert code == 1
    assert "Ingest the extract first" not in err
    assert "annex-a-sample.xlsx, ingest 2" in err and "year to date" in err
    assert "--since" in err and "--records" in err
    code, _out, err = _children(store, "CSC038", "-p", "Dec-20")  # no map: which measure?
    assert code == 1
    assert "is not a measure" not in err and "no map says which measure" in err
    assert "--map" in err


def test_children_without_the_map_of_a_councils_own_measure_asks_for_it(tmp_path):
    own = tmp_path / "own.toml"
    own.write_text(
        '["LA ASMT 20"]\ntitle = "Assessments completed within 20 working days"\nlist = 4\n'
        'kind = "ratio"\nunit = "percent"\npolarity = "up"\ndate = "assessment_authorised"\n'
        'numerator = "working_days(assessment_start, assessment_authorised) <= 20"\n\n'
        '[codes]\n"LA 020" = "LA ASMT 20"\n',
        encoding="utf-8",
    )
    store = tmp_path / "csckpi.db"
    assert _run("ingest", str(EXAMPLE), "--store", str(store))[0] == 0
    code, _out, err = _run("ingest", str(SAMPLE), "--map", str(own), "--store", str(store))
    assert code == 0, err
    code, _out, err = _children(store, "LA020", "-p", "Dec-20")
    assert code == 1
    assert "Did you mean" not in err
    assert "'LA ASMT 20'" in err and "Give that file with --map" in err
    code, out, err = _children(store, "LA020", "-p", "Dec-20", "--missed", "--map", str(own))
    assert code == 0, err
    assert "missed the timescale" in out.splitlines()[1]


def test_missed_is_refused_for_a_count(from_april):
    """A count has no rows that miss anything: --missed listed all 20 children on a plan as
    having 'missed the timescale'."""
    code, out, err = _children(from_april, "CSC182", "-p", "Dec-20", "--missed")
    assert code == 2 and not out
    assert "CSC 182" in err and "not a percentage" in err and "without --missed" in err
    code, out, err = _children(from_april, "CSC182", "-p", "Dec-20")
    assert code == 0 and " behind the figure " in out


def test_missed_says_the_timescale_only_of_a_timescale(from_april):
    """Three or more placements is no timescale: its rows count against the measure."""
    code, out, err = _children(from_april, "CSC228", "-p", "Dec-20", "--missed")
    assert code == 0, err
    title = out.splitlines()[1]
    assert "against the measure" in title and "timescale" not in title
    code, out, err = _children(from_april, "CSC038", "-p", "Dec-20", "--missed")
    assert code == 0, err
    assert "missed the timescale" in out.splitlines()[1]


@pytest.mark.parametrize(
    ("code", "fields"),
    [
        ("CSC228", {"looked_after_start", "ceased", "placements_in_12_months"}),
        ("CSC294", {"age", "activity"}),
    ],
)
def test_children_shows_every_field_the_measure_judges(from_april, code, fields):
    """Not only its dates: the placements, the activity, the age that put a row in or out."""
    result, out, err = _children(from_april, code, "-p", "Dec-20", "--missed", "-f", "csv")
    assert result == 0, err
    listed = _listed(out)
    assert listed and fields <= set(listed[0])
    if code == "CSC228":  # lower is better: the rows missed have 3 or more placements
        assert all(float(r["placements_in_12_months"]) >= 3 for r in listed)
    code, out, err = _children(from_april, code, "-p", "Dec-20")
    assert code == 0, err
    assert "in numerator" in out.splitlines()[3]


def test_children_takes_a_year_to_date(from_april):
    """`2020/21 YTD` (and `YTD`) end at the extract's month, as compute's end at the data's."""
    code, out, err = _children(from_april, "CSC034", "-p", "2020/21 YTD", "-f", "csv")
    assert code == 0, err
    ytd = _listed(out)
    months = {r["month"] for r in ytd}
    assert min(months) >= "2020-04-01" and max(months) == "2020-12-01"
    code, out, err = _run(
        "compute", "-p", "2020/21 YTD", "-i", "CSC034", "--store", str(from_april), "-f", "json"
    )
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["basis"] in ("records", "differs") and row["value"] == len(ytd)
    code, out, err = _children(from_april, "CSC034", "-p", "YTD", "-f", "csv")
    assert code == 0, err
    assert _listed(out) == ytd
    code, out, err = _children(from_april, "CSC034", "-p", "Q5 2020/21")
    assert code == 2 and "not a period" in err


def test_by_team_headings_are_as_short_as_the_workbooks(from_april):
    """The section heading of a code's teams is `CSC 178 BY TEAM`: its long title (cut in the
    Indicator column) made the column as wide as the title, 240 characters."""
    code, out, err = _run(
        "compute", "-p", "Dec-20", "--by", "team", "-i", "CSC178", "--store", str(from_april)
    )
    assert code == 0, err
    lines = out.splitlines()
    rule = next(line for line in lines if line.startswith("---"))
    indicator = rule.split()[1]
    assert len(indicator) <= 50
    assert any(line.strip() == "CSC 178 BY TEAM" for line in lines)


def test_a_date_typed_a_year_ahead_is_pointed_at_not_taken_silently(tmp_path):
    """Without --as-at the extract date is the latest date in the lists: one typed ahead moved
    it, and every month derived, with nothing to say where it came from."""
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["List 4"]
    headings = [c.value for c in sheet[1]]
    column = headings.index("Continuous Assessment Date of Authorisation") + 1
    sheet.cell(row=9, column=column).value = dt.datetime(2021, 12, 1)  # for 01/12/2020
    path = tmp_path / "typed-ahead.xlsx"
    book.save(path)
    letter = openpyxl.utils.get_column_letter(column)
    store = tmp_path / "csckpi.db"
    assert _run("ingest", str(EXAMPLE), "--store", str(store))[0] == 0
    code, out, err = _run("ingest", str(path), "--store", str(store), "--dry-run")
    assert code == 0, err
    said = out + err
    assert f"Extract date 01/12/2021 (the latest date in its lists, List 4!{letter}9;" in said
    assert f"Note: the extract date 01/12/2021 (List 4!{letter}9) is " in said
    assert "days after any other date in the lists" in said and "--as-at" in said
    code, out, err = _run("ingest", str(SAMPLE), "--store", str(store), "--dry-run")
    assert code == 0, err
    assert "(the latest date in its lists, List " in out + err
    assert "days after any other date" not in out + err  # the shipped sample's is not alone
    code, out, err = _run(
        "ingest", str(path), "--store", str(store), "--dry-run", "--as-at", "31/12/2020"
    )
    assert code == 0, err
    assert f"List 4!{letter}9: this continuous assessment date of authorisation is after" in err
    assert "days after any other date" not in out + err


def test_one_lists_csv_file_or_a_folder_of_unnamed_lists_says_what_to_give(tmp_path):
    """`csckpi ingest 'List 4.csv'` said 'a CSV file, not an Excel workbook: save it as
    .xlsx', and a folder of lists named otherwise 'a folder, not a workbook'."""
    folder = tmp_path / "lists"
    folder.mkdir()
    one = folder / "List 4.csv"
    one.write_text("Child Unique ID,Continuous Assessment Start Date\nEX1,01/12/2020\n")
    code, _out, err = _run("ingest", str(one), "--store", str(tmp_path / "s.db"))
    assert code == 1
    assert "one list of an Annex A extract" in err and f"Give its folder instead: {folder}" in err
    assert "save it as .xlsx" not in err and "EX1" not in err
    other = tmp_path / "export"
    other.mkdir()
    (other / "assessments_export.csv").write_text(one.read_text())
    code, _out, err = _run("ingest", str(other), "--store", str(tmp_path / "s.db"))
    assert code == 1
    assert "none named after an Annex A list" in err and "'List 3.csv'" in err
    (other / "assessments_export.csv").rename(other / "Annex A - Assessments.csv")
    code, out, err = _run("ingest", str(other), "--store", str(tmp_path / "s.db"), "--dry-run")
    assert code == 0, err
    assert out.startswith("Dry run: nothing written")  # `Annex A - Assessments` is List 4


def test_rows_for_a_month_with_no_records_figure_are_not_said_to_be_behind_one(from_april):
    """Mar-20's rows listed 'behind the figure' though the store holds none from the records
    for Mar-20: the workbook's, which an analyst would set them beside, was not counted from
    them (the extract may not reach back over the whole year)."""
    code, out, err = _children(from_april, "CSC038", "-p", "Mar-20")
    assert code == 0, err
    title = out.splitlines()[1]
    assert "behind the figure" not in title and " assessments in the extract (" in title
    assert title.endswith(
        "; the store holds no Mar-20 figure from the records (they run Apr-20 to Dec-20)"
    )
    code, out, err = _children(from_april, "CSC038", "-p", "Dec-20")
    assert code == 0, err
    assert " behind the figure (" in out.splitlines()[1] and "holds no" not in out


def _sample_ids_and_dates() -> tuple[set[str], set[str]]:
    """The sample's child IDs, and its children's dates as a report could write them (not the
    first or last of a month, which periods are written as, nor the extract's date)."""
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    ids: set[str] = set()
    days: set[dt.date] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            ids.add(str(row[0]))
            days |= {v.date() for v in row if isinstance(v, dt.datetime)}
    days = {d for d in days if d.day != 1 and (d + dt.timedelta(days=1)).day != 1}
    days.discard(dt.date(2020, 12, 30))  # the extract's date, kept with the figures
    forms = ("{:%d/%m/%Y}", "{:%Y-%m-%d}", "{:%-d %B %Y}", "{:%d %b %Y}")
    return ids, {form.format(d) for d in days for form in forms}


def test_no_child_id_or_date_in_any_output_but_children(from_april, tmp_path):
    """The report (HTML, Markdown with its files, Excel), narrate, compare, compute (also
    --by team, --publish), history, changes and export are built from counts: no ID or date
    of a child in the sample reaches them."""
    ids, dates = _sample_ids_and_dates()
    assert len(ids) > 500 and len(dates) > 1000
    store = str(from_april)
    outputs: dict[str, str] = {}
    runs = {
        "narrate": ["narrate", "-p", "Q3 2020/21"],
        "narrate summary publish": ["narrate", "-p", "Q3 2020/21", "--summary", "--publish"],
        "compare": ["compare", "-i", "CSC038"],
        "compute": ["compute", "-p", "Dec-20", "-f", "json"],
        "compute publish": ["compute", "-p", "Q3 2020/21", "--publish", "-f", "csv"],
        "by team": ["compute", "-p", "Dec-20", "--by", "team", "-f", "json"],
        "by worker publish": ["compute", "-p", "Dec-20", "--by", "worker", "--publish"],
        "history": ["history", "-i", "CSC038"],
        "changes": ["changes"],
    }
    for name, args in runs.items():
        code, out, err = _run(*args, "--store", store)
        assert code == 0, (name, err)
        outputs[name] = out + err
    for name in ("q3.html", "q3.md", "q3.xlsx", "q3-public.html"):
        extra = ["--publish"] if "public" in name else []
        code, _out, err = _run(
            "report", "-p", "Q3 2020/21", "-o", str(tmp_path / name), *extra, "--store", store
        )
        assert code == 0, (name, err)
    assert _run("export", "-o", str(tmp_path / "export"), "-f", "csv", "--store", store)[0] == 0
    for path in tmp_path.rglob("*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    outputs[f"{path.name}/{member}"] = book.read(member).decode("utf-8", "replace")
        elif path.is_file():
            outputs[str(path.relative_to(tmp_path))] = path.read_bytes().decode("utf-8", "replace")
    assert len(outputs) > 15
    found = [(name, x) for name, text in outputs.items() for x in ids | dates if x in text]
    assert not found, found[:5]
    code, out, err = _children(from_april, "CSC038", "-p", "Dec-20")  # the scan finds them
    assert code == 0, err
    assert [x for x in ids if x in out] and [x for x in dates if x in out]


def test_an_extract_before_the_workbook_says_its_rates_need_the_population(tmp_path):
    """Without the workbook's Context the rates per 10,000 had no value, unsaid at ingest, and
    compute said 'no figures for Dec-20' of figures whose counts it held."""
    store = tmp_path / "csckpi.db"
    ingest = ("ingest", str(SAMPLE), "--map", str(MAP), "--since", "Apr-20", "--store", str(store))
    code, out, err = _run(*ingest)
    assert code == 0, err
    said = [line for line in (out + err).splitlines() if "0-17 population" in line]
    assert said == [
        "Note: a rate per 10,000 children needs the 0-17 population of 2020/21 (the workbook's "
        "Context sheet), which the store has not got: only the counts are stored, and compute "
        "shows no rate (ingest the workbook, then the extract again) (CSC 164, CSC 181, CSC 200)"
    ]
    assert _run("ingest", str(EXAMPLE), "--store", str(store))[0] == 0
    code, out, err = _run(*ingest)  # as the note says: now the rates are derived
    assert code == 0 and out.startswith("Ingested ") and "0-17 population" not in out + err
    code, out, err = _run(
        "compute", "-p", "Dec-20", "-i", "CSC200", "--store", str(store), "-f", "json"
    )
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["value"] is not None and row["basis"] in ("records", "differs")
