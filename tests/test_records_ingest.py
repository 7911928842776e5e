"""`csckpi ingest` of an Annex A extract, `compute` on the figures it stores, and `children`.

A generated extract whose true monthly figures the generator knows: every measure, every month
equal through `csckpi ingest` + `csckpi compute`. The example workbook plus an extract for the
same codes: `compute` shows where they differ, and `children --missed` lists exactly the late
records. The store keeps counts and the file's hash only: no child's ID or date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
import pytest
from annex_a_factory import Extract, generate, working_days
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.numbers import shown
from csckpi.periods import Month
from csckpi.records import PERSONAL_DATA_NOTICE
from csckpi.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
MAP = ROOT / "examples" / "darlington-annex-a.toml"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _ingest(path: Path, store: Path | str, *options: str) -> tuple[int, str, str]:
    return _run("ingest", str(path), "--store", str(store), *options)


def _dates(extract: Extract) -> tuple[str, str]:
    return f"{extract.as_at:%d/%m/%Y}", f"{Month.from_date(extract.since).short}"


# ----------------------------------------------------------------------------- generated


@pytest.fixture(scope="module")
def clean() -> Extract:
    return generate(seed=21, rows=2_500, text_dates=0.2)


@pytest.fixture(scope="module")
def clean_store(clean, tmp_path_factory) -> tuple[Path, Path]:
    """The example workbook (for its Context: the population rates are worked out from), then
    a generated extract under the measures' own codes."""
    folder = tmp_path_factory.mktemp("clean")
    store = folder / "csckpi.db"
    assert _ingest(EXAMPLE, store)[0] == 0
    path = clean.write_xlsx(folder / "annex-a.xlsx")
    as_at, since = _dates(clean)
    code, _out, err = _ingest(path, store, "--as-at", as_at, "--since", since)
    assert code == 0, err
    return store, path


def _compute(store: Path, period: str) -> dict[str, dict]:
    code, out, err = _run("compute", "--store", str(store), "--period", period, "-f", "json")
    assert code == 0, err
    return {row["code"]: row for row in json.loads(out)}


def test_every_measure_every_month_through_ingest_and_compute(clean, clean_store):
    store, _path = clean_store
    context = open_store(str(store)).load().context
    months = sorted({m for series in clean.truth.values() for m in series})
    assert len(clean.truth) == 22 and len(months) == 12
    checked = 0
    wrong = []
    for month in months:
        rows = _compute(store, Month.from_date(month).short)
        for code, series in clean.truth.items():
            parts = series.get(month)
            if parts is None:
                continue
            row = rows[code]
            want = dict(parts)
            if row["unit"] == "rate":  # from the store's population, as compute works it out
                population = context.population_for(Month.from_date(month).fy)
                want["value"] = parts["numerator"] / population * 10_000
            if "value" not in want:  # a percentage of nothing: compute says why
                if row["value"] is not None or "denominator" not in (row["reason"] or ""):
                    wrong.append(f"{code} {month}: {row['value']} ({row['reason']}), true none")
                continue
            expected = shown(want["value"], row["decimals"])
            if row["value"] != expected or row["basis"] != "records":
                wrong.append(f"{code} {month}: {row['value']} ({row['basis']}), true {expected}")
            for part in ("numerator", "denominator"):
                if part in want and row[part] != want[part]:
                    wrong.append(f"{code} {month} {part}: {row[part]}, true {want[part]}")
            checked += 1
    assert not wrong, wrong[:10]
    assert checked >= 22 * 6


def test_the_store_keeps_counts_and_the_hash_never_an_id_or_a_date(clean, clean_store):
    store, path = clean_store
    found = open_store(str(store))
    contents = found.contents()
    text = io.StringIO()
    for name in ("ingests", "indicators", "figures"):
        frame = getattr(contents, name)
        frame.write_csv(text)
    held = text.getvalue() + store.read_bytes().decode("latin-1")
    ids = {str(r.values[h]) for rows in clean.lists.values() for r in rows for h in r.values}
    ids = {v for v in ids if v.isdigit() and len(v) >= 6}  # the generator's child IDs
    dates = {
        form.format(d)
        for rows in clean.lists.values()
        for r in rows
        for d in r.values.values()
        if isinstance(d, dt.date)
        for form in ("{:%Y-%m-%d}", "{:%d/%m/%Y}")
    }
    dates -= {f"{clean.as_at:%Y-%m-%d}", f"{clean.as_at:%d/%m/%Y}"}  # the extract's, kept
    assert len(ids) > 500 and len(dates) > 500
    found_ids = [v for v in ids if v in held]
    found_dates = [v for v in dates if v in held]
    assert not found_ids and not found_dates, (found_ids[:5], found_dates[:5])
    ingest = contents.ingests.filter(pl.col("layout") == "annex-a").row(0, named=True)
    assert ingest["file"] == str(path.resolve())
    assert len(ingest["sha256"]) == 64
    records = found.figures().filter(pl.col("kind") == "records")
    assert records.height > 300
    assert records.get_column("source").str.contains(r"^\d+ rows of List \d+ \(AA ").all()


def test_history_says_where_a_records_figure_came_from(clean_store):
    store, path = clean_store
    code, out, err = _run(
        "history", "-i", "AA ASMT 45", "--period", "Dec-20", "--store", str(store), "-f", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert {r["figure"] for r in rows} == {
        "records: value",
        "records: numerator",
        "records: denominator",
    }
    assert all(r["file"] == str(path.resolve()) for r in rows)
    assert all(" rows of List 4 (AA ASMT 45)" in r["cell"] for r in rows)


def test_the_same_extract_again_changes_nothing(clean, clean_store):
    store, path = clean_store
    as_at, since = _dates(clean)
    code, out, _err = _ingest(path, store, "--as-at", as_at, "--since", since)
    assert code == 0 and "already in" in out


def test_the_same_extract_from_csv_files_gives_the_same_figures(clean, clean_store, tmp_path):
    store, _path = clean_store
    folder = clean.write_csv_folder(tmp_path / "annex-a")
    other = tmp_path / "csv.db"
    assert _ingest(EXAMPLE, other)[0] == 0
    as_at, since = _dates(clean)
    code, _out, err = _ingest(folder, other, "--as-at", as_at, "--since", since)
    assert code == 0, err

    def records(location: Path) -> pl.DataFrame:
        frame = open_store(str(location)).figures().filter(pl.col("kind") == "records")
        return frame.select("key", "period", "part", "value").sort("key", "period", "part")

    assert records(other).equals(records(store))


# ----------------------------------------------------------------------------- bad records


def test_bad_records_are_counted_in_the_summary_and_listed_with_verbose(tmp_path):
    spoiled = generate(seed=5, rows=2_000, bad=True)
    path = spoiled.write_xlsx(tmp_path / "bad.xlsx")
    store = tmp_path / "csckpi.db"
    as_at, since = _dates(spoiled)
    code, out, err = _ingest(path, store, "--as-at", as_at, "--since", since)
    assert code == 0, err
    assert f"Extract date {as_at}\n" in out
    missing = spoiled.left_out.get("AA ASMT 45")
    assert missing is not None
    assert (
        "assessments without a continuous assessment date of authorisation (AA ASMT DONE, " in out
    )
    # every problem is at its cell with --verbose and in JSON; grouped by kind without
    kinds = {(sheet, cell, kind) for sheet, cell, kind in spoiled.bad}
    code, out, err_verbose = _ingest(
        path, tmp_path / "v.db", "--as-at", as_at, "--since", since, "--verbose"
    )
    for sheet, cell, _kind in kinds:
        assert f"{sheet}!{cell}:" in err_verbose
    assert len(err.splitlines()) < len(err_verbose.splitlines())
    code, out, _err = _ingest(
        path, tmp_path / "j.db", "--as-at", as_at, "--since", since, "-f", "json"
    )
    document = json.loads(out)
    listed = {(p["sheet"], p["cell"], p["kind"]) for p in document["problems"]}
    assert kinds <= listed
    assert any(line.startswith("Left out: ") for line in document["left_out"])
    ids = {str(r.values.get("Child Unique ID")) for rows in spoiled.lists.values() for r in rows}
    messages = " ".join(p["message"] for p in document["problems"])
    assert not [i for i in ids if i != "None" and i in messages]


def test_a_list_the_measures_need_that_cannot_be_read_refuses_the_ingest(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "List 4"
    wb.active.append(["nothing", "here"])
    other = wb.create_sheet("List 3")
    other.append(["Child Unique ID", "Date of referral"])
    other.append(["1001", dt.datetime(2020, 12, 1)])
    path = tmp_path / "annex-a.xlsx"
    wb.save(path)
    store = tmp_path / "csckpi.db"
    code, out, err = _ingest(path, store)
    assert code == 1
    assert "error: List 4: no row of List 4 headings" in err
    assert "Nothing written" in out
    assert not store.exists() or not open_store(str(store)).ingests()


def test_strict_refuses_an_extract_with_warnings(tmp_path):
    spoiled = generate(seed=6, rows=800, bad=True)
    path = spoiled.write_xlsx(tmp_path / "bad.xlsx")
    as_at, _since = _dates(spoiled)
    code, out, _err = _ingest(path, tmp_path / "s.db", "--as-at", as_at, "--strict")
    assert code == 1 and "Nothing written" in out


# ----------------------------------------------------------------------------- the example


@pytest.fixture(scope="module")
def beside(tmp_path_factory) -> tuple[Path, Path, Extract]:
    """The example workbook, then an extract for the example's codes (the example's map)."""
    folder = tmp_path_factory.mktemp("beside")
    store = folder / "csckpi.db"
    assert _ingest(EXAMPLE, store)[0] == 0
    extract = generate(seed=8, rows=3_000, as_at=dt.date(2020, 12, 31), since=dt.date(2020, 4, 1))
    path = extract.write_xlsx(folder / "annex-a.xlsx")
    code, _out, err = _ingest(
        path, store, "--map", str(MAP), "--as-at", "31/12/2020", "--since", "Apr-20"
    )
    assert code == 0, err
    return store, path, extract


def test_compute_shows_where_the_workbook_and_the_records_differ(beside):
    store, _path, extract = beside
    rows = _compute(store, "Dec-20")
    truth = extract.truth["AA ICPC 15"][dt.date(2020, 12, 1)]
    icpc = rows["CSC 178"]
    assert icpc["value"] == shown(truth["value"], icpc["decimals"])
    assert icpc["numerator"] == truth["numerator"] and icpc["denominator"] == truth["denominator"]
    assert icpc["reported"] is not None  # the workbook's own figure for Dec-20
    expected = "differs" if icpc["reported"] != icpc["value"] else "records"
    assert icpc["basis"] == expected
    differing = [c for c, r in rows.items() if r["basis"] == "differs"]
    assert "CSC 178" in differing or icpc["reported"] == icpc["value"]
    assert len(differing) >= 3
    for code in differing:
        assert rows[code]["reported"] != rows[code]["value"]
    # a code the extract does not give keeps the workbook's figures
    assert rows["CSC 022"]["basis"] not in ("records", "differs")
    code, out, _err = _run("compute", "--store", str(store), "--period", "Dec-20", "-f", "text")
    notes = [line.strip() for line in out.split("Notes:")[1].splitlines() if line.strip()]
    for code in differing:
        row = rows[code]
        places, percent = row["decimals"], "%" if row["unit"] == "percent" else ""
        value = f"{row['value']:,.{places}f}{percent}"
        reported = f"{row['reported']:,.{places}f}{percent}"
        # the figure is the records', beside the workbook's own: each number with its source
        assert (
            f"{code}: {value} from the children's records (Annex A); the workbook reports "
            f"{reported} for Dec-20." in notes
        )
    assert not [n for n in notes if "computed" in n and n.split(":")[0] in differing]


def test_children_missed_lists_exactly_the_late_records(beside):
    store, _path, extract = beside
    late = {
        str(r.values["Child Unique ID"])
        for r in extract.lists[5]
        if isinstance(r.true.get("icpc_date"), dt.date)
        and isinstance(r.true.get("strategy_date"), dt.date)
        and dt.date(2020, 12, 1) <= r.true["icpc_date"] <= dt.date(2020, 12, 31)
        and working_days(r.true["strategy_date"], r.true["icpc_date"]) > 15
    }
    code, out, err = _run(
        "children", "CSC178", "--period", "Dec-20", "--missed", "--store", str(store), "-f", "csv"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"# {PERSONAL_DATA_NOTICE}"
    listed = list(csv.DictReader(lines[1:]))
    assert {r["child_id"] for r in listed} == late
    assert all(int(r["working_days"]) > 15 for r in listed)
    assert (
        len(listed)
        == extract.truth["AA ICPC 15"][dt.date(2020, 12, 1)]["denominator"]
        - extract.truth["AA ICPC 15"][dt.date(2020, 12, 1)]["numerator"]
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_children_output_carries_the_notice(beside, fmt):
    store, _path, _extract = beside
    code, out, err = _run(
        "children", "CSC 038", "--period", "Dec-20", "--store", str(store), "-f", fmt
    )
    assert code == 0, err
    assert PERSONAL_DATA_NOTICE in out.splitlines()[0] or (
        fmt == "json" and json.loads(out)["notice"] == PERSONAL_DATA_NOTICE
    )


def test_the_table_says_which_rows_meet_the_measure(beside):
    """The title counts the rows behind the figure; the column says which are in its
    numerator, yes or no (in CSV and JSON the field is `counted`)."""
    store, _path, _extract = beside
    code, out, err = _run(
        "children", "CSC 038", "--period", "Dec-20", "--store", str(store), "-f", "table"
    )
    assert code == 0, err
    title, _blank, header = out.splitlines()[1:4]
    assert " behind the figure (" in title
    assert header.split()[-2:] == ["in", "numerator"]
    rows = [line.split()[-1] for line in out.splitlines()[5:] if line.strip()]
    assert rows and set(rows) <= {"yes", "no"}


def test_children_says_when_the_extract_has_changed_or_moved(beside, tmp_path):
    store, path, extract = beside
    copy = tmp_path / "store.db"
    copy.write_bytes(store.read_bytes())
    moved = path.with_name("moved.xlsx")
    path.rename(moved)
    try:
        code, _out, err = _run("children", "CSC178", "--period", "Dec-20", "--store", str(copy))
        assert code == 1 and "no longer there" in err and "--records" in err
        code, out, err = _run(
            "children",
            "CSC178",
            "--period",
            "Dec-20",
            "--store",
            str(copy),
            "--records",
            str(moved),
        )
        assert code == 0, err
        assert PERSONAL_DATA_NOTICE in out
    finally:
        moved.rename(path)
    changed = tmp_path / "changed.xlsx"
    generate(seed=9, rows=500, as_at=extract.as_at).write_xlsx(changed)
    code, out, err = _run(
        "children", "CSC178", "--period", "Dec-20", "--store", str(copy), "--records", str(changed)
    )
    assert code == 0 and "is not the extract" in err


def test_warnings_are_said_once_per_sheet_and_kind_without_verbose():
    from csckpi.model import Problem, Severity
    from csckpi.render.problems import grouped

    def late(row: int) -> Problem:
        return Problem("List 4", row, 9, Severity.WARNING, "future-date", "after the date")

    error = Problem("List 3", 0, 0, Severity.ERROR, "no-header", "no header")
    said = grouped([late(12), late(40), late(7), error])
    assert [str(p) for p in said] == [
        "List 3: no header",
        "List 4!I7: after the date (and 2 more like it in List 4: --verbose lists them)",
    ]


def test_records_figures_on_every_backend(place, tmp_path):
    """The same ingest, history and compute on SQLite and on PostgreSQL; no ID in any table."""
    extract = generate(seed=12, rows=1_500, as_at=dt.date(2020, 12, 31), since=dt.date(2020, 4, 1))
    path = extract.write_xlsx(tmp_path / "annex-a.xlsx")
    assert _ingest(EXAMPLE, place.location)[0] == 0
    code, _out, err = _ingest(
        path, place.location, "--map", str(MAP), "--as-at", "31/12/2020", "--since", "Apr-20"
    )
    assert code == 0, err
    rows = _compute(place.location, "Dec-20")
    truth = extract.truth["AA CLA"][dt.date(2020, 12, 1)]
    assert rows["CSC 201"]["value"] == truth["value"]
    assert rows["CSC 201"]["basis"] in ("records", "differs")
    contents = open_store(place.location).contents()
    held = "".join(
        getattr(contents, name).write_csv() for name in ("ingests", "indicators", "figures")
    )
    ids = {str(r.values["Child Unique ID"]) for rows in extract.lists.values() for r in rows}
    assert len(ids) > 500
    assert not [i for i in ids if i in held]
    assert "rows of List 8 (AA CLA), extract date 2020-12-31" in held


def test_compute_by_team_adds_up_to_the_whole(beside):
    store, _path, _extract = beside
    whole = _compute(store, "Dec-20")
    code, out, err = _run(
        "compute", "--store", str(store), "--period", "Dec-20", "--by", "team", "-f", "json"
    )
    assert code == 0, err
    teams = json.loads(out)
    assert teams and all(" · " in row["code"] for row in teams)
    for code in ("CSC 036", "CSC 178", "CSC 201"):
        parts = [r for r in teams if r["code"].startswith(f"{code} · ")]
        assert len(parts) >= 2, code
        if whole[code]["unit"] == "percent":
            assert sum(r["numerator"] or 0 for r in parts) == whole[code]["numerator"]
            assert sum(r["denominator"] or 0 for r in parts) == whole[code]["denominator"]
        else:
            assert sum(r["value"] or 0 for r in parts) == whole[code]["value"]
        assert all(r["target"] == whole[code]["target"] for r in parts)  # judged as the whole
    code, out, err = _run(
        "compute", "--store", str(store), "-p", "Dec-20", "--by", "worker", "-i", "CSC038"
    )
    assert code == 0, err
    assert "CSC 038 · Worker" in out and "CSC 201" not in out
