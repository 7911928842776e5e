"""Generated Annex A extracts: every measure, every month, equal to the generator's own truth;
every bad record reported at its cell and counted out of the measures that need it."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from annex_a_factory import Extract, generate, working_days

from csckpi.model import Context
from csckpi.records import behind, derive, load_definitions, needs_for_drill, read_records
from csckpi.records.derivation import Derived

POPULATION = Context(population=((2019, 22_000.0), (2020, 22_450.0)))


def _derive(extract: Extract, path: Path, **options) -> Derived:
    definitions = load_definitions()
    records = read_records(path, definitions.needs())
    return derive(
        records,
        definitions,
        as_at=extract.as_at,
        since=extract.since,
        population=POPULATION,
        **options,
    )


def _as_truth(derived: Derived) -> dict[str, dict[dt.date, dict[str, float]]]:
    out: dict[str, dict[dt.date, dict[str, float]]] = {}
    for code, month, part, value in derived.figures.select(
        "code", "month", "part", "value"
    ).iter_rows():
        out.setdefault(code, {}).setdefault(month, {})[part] = value
    return out


def _same(got: dict, want: dict) -> list[str]:
    differences = []
    for code, series in want.items():
        for month, parts in series.items():
            found = got.get(code, {}).get(month, {})
            if set(found) != set(parts) or not all(
                math.isclose(found[k], v) for k, v in parts.items()
            ):
                differences.append(f"{code} {month}: derived {found}, true {parts}")
    extra = set(got) - set(want)
    return differences + [f"{code} derived but not in the truth" for code in extra]


@pytest.fixture(scope="module")
def clean() -> Extract:
    return generate(seed=11, rows=3_000, text_dates=0.25, population=22_450.0)


@pytest.fixture(scope="module")
def spoiled() -> Extract:
    return generate(seed=5, rows=3_000, bad=True, population=22_450.0)


@pytest.fixture(scope="module")
def clean_xlsx(clean, tmp_path_factory) -> Path:
    return clean.write_xlsx(tmp_path_factory.mktemp("clean") / "annex-a.xlsx")


@pytest.fixture(scope="module")
def spoiled_derived(spoiled, tmp_path_factory) -> Derived:
    return _derive(spoiled, spoiled.write_xlsx(tmp_path_factory.mktemp("bad") / "bad.xlsx"))


def test_every_measure_every_month_equals_the_truth_from_a_workbook(clean, clean_xlsx):
    derived = _derive(clean, clean_xlsx)
    assert len(clean.truth) == 22 and all(len(s) >= 1 for s in clean.truth.values())
    months = {m for series in clean.truth.values() for m in series}
    assert len(months) == 12  # April 2020 to March 2021
    assert _same(_as_truth(derived), clean.truth) == []
    assert derived.problems == () and derived.skipped == ()


def test_every_measure_every_month_equals_the_truth_from_csv_files(clean, tmp_path):
    derived = _derive(clean, clean.write_csv_folder(tmp_path / "annex-a"))
    assert _same(_as_truth(derived), clean.truth) == []


def test_the_figures_are_not_trivial(clean):
    # the comparison above means something only if the figures vary and the timescales bite
    asmt = [p["value"] for p in clean.truth["AA ASMT 45"].values() if "value" in p]
    assert min(asmt) < 100 and max(asmt) > 0
    assert sum(p["numerator"] for p in clean.truth["AA REREF PCT"].values()) > 10
    assert len({p["value"] for p in clean.truth["AA CPP"].values()}) > 3
    assert sum(p["numerator"] for p in clean.truth["AA CPP 2Y"].values()) >= 1


def test_bad_records_each_reported_at_their_cell_and_counted(spoiled, spoiled_derived):
    derived = spoiled_derived
    found = {(p.sheet, p.cell, p.kind) for p in derived.problems}
    assert set(spoiled.bad) <= found
    assert len(spoiled.bad) == 16 and len(derived.problems) == len(spoiled.bad)
    assert _same(_as_truth(derived), spoiled.truth) == []
    left: dict[str, int] = {}
    for exclusion in derived.exclusions:
        left[exclusion.code] = left.get(exclusion.code, 0) + exclusion.rows
    assert {code: left.get(code, 0) for code in spoiled.left_out} == spoiled.left_out


def test_bad_records_from_csv_files_are_reported_with_the_file_and_cell(spoiled, tmp_path):
    derived = _derive(spoiled, spoiled.write_csv_folder(tmp_path / "bad"))
    found = {(p.sheet, p.cell, p.kind) for p in derived.problems}
    assert {(f"{sheet}.csv", cell, kind) for sheet, cell, kind in spoiled.bad} <= found
    assert _same(_as_truth(derived), spoiled.truth) == []


def test_exclusion_messages_say_what_was_left_out_and_why(spoiled_derived):
    derived = spoiled_derived
    messages = [e.message for e in derived.exclusions if e.code == "AA ASMT 45"]
    assert "1 assessment repeating an earlier row left out of AA ASMT 45" in messages
    assert (
        "1 assessment with a continuous assessment date of authorisation that is not a date "
        "left out of AA ASMT 45" in messages
    )
    assert (
        "1 assessment with a continuous assessment date of authorisation before the continuous "
        "assessment start date left out of AA ASMT 45" in messages
    )
    assert any(
        m.endswith("without a continuous assessment date of authorisation left out of AA ASMT 45")
        for m in messages
    )


def test_nothing_personal_in_any_message(spoiled, spoiled_derived):
    derived = spoiled_derived
    ids = {row.true["child"] for rows in spoiled.lists.values() for row in rows}
    days = {v for rows in spoiled.lists.values() for r in rows for v in r.values.values()}
    dates = {f"{d:%d/%m/%Y}" for d in days if isinstance(d, dt.date)}
    dates |= {d.isoformat() for d in days if isinstance(d, dt.date)}
    dates -= {f"{spoiled.as_at:%d/%m/%Y}"}  # the extract date is said, and is no record's
    texts = [str(p) for p in derived.problems] + [e.message for e in derived.exclusions]
    texts += list(derived.notes)
    for text in texts:
        assert not any(child in text for child in ids), text
        assert not any(day in text for day in dates), text
    columns = set(derived.figures.columns)
    assert columns == {"key", "code", "month", "part", "value", "list", "sheet", "rows"}


def test_a_council_map_derives_its_codes_and_years_to_date(clean, clean_xlsx, tmp_path):
    council = tmp_path / "annex-a.toml"
    council.write_text(
        '[codes]\n"CSC 038" = { measure = "AA ASMT 45", ytd = true }\n'
        '"CSC 178" = "AA ICPC 15"\n"CSC 036" = { measure = "AA ASMT DONE", ytd = true }\n',
        encoding="utf-8",
    )
    definitions = load_definitions(council)
    records = read_records(clean_xlsx, definitions.needs())
    derived = derive(records, definitions, as_at=clean.as_at, since=clean.since)
    got = _as_truth(derived)
    assert set(got) == {"CSC 038", "CSC 178", "CSC 036"}
    assert got["CSC 178"] == clean.truth["AA ICPC 15"]
    running = {"numerator": 0.0, "denominator": 0.0}
    done = 0.0
    for month in sorted(clean.truth["AA ASMT 45"]):
        for part in running:
            running[part] += clean.truth["AA ASMT 45"][month][part]
        done += clean.truth["AA ASMT DONE"][month]["value"]
        want = {**running, "value": running["numerator"] * 100 / running["denominator"]}
        assert got["CSC 038"][month] == pytest.approx(want)
        assert got["CSC 036"][month] == {"value": done}
    indicators = {i.code: i for i in derived.indicators}
    assert indicators["CSC 038"].measure.value == "cumulative"


def test_a_year_to_date_is_not_derived_without_its_april(clean, clean_xlsx, tmp_path):
    council = tmp_path / "annex-a.toml"
    council.write_text(
        '[codes]\n"CSC 038" = { measure = "AA ASMT 45", ytd = true }\n', encoding="utf-8"
    )
    definitions = load_definitions(council)
    records = read_records(clean_xlsx, definitions.needs())
    derived = derive(records, definitions, as_at=clean.as_at, since=dt.date(2020, 7, 1))
    months = set(derived.figures.get_column("month").to_list())
    assert months == set()  # July 2020 - March 2021 all need April 2020
    assert derived.notes[-1] == (
        "CSC 038 is a year to date: it needs every month from April; the months derived start "
        "in July 2020, so July 2020 to March 2021 are not derived (--since Apr-20 derives them, "
        "if the extract goes back that far)"
    )


def test_by_team_adds_up_to_the_whole(clean, clean_xlsx):
    definitions = load_definitions()
    target = definitions.target("AA ASMT 45")
    records = read_records(clean_xlsx, needs_for_drill(definitions, target))
    whole = derive(records, definitions, as_at=clean.as_at, since=clean.since, targets=[target])
    teams = derive(
        records, definitions, as_at=clean.as_at, since=clean.since, targets=[target], by=["team"]
    )
    assert teams.figures.get_column("team").n_unique() == 4
    summed = (
        teams.figures.filter(pl.col("part") != "value")
        .group_by("month", "part")
        .agg(pl.col("value").sum())
        .sort("month", "part")
    )
    expected = (
        whole.figures.filter(pl.col("part") != "value")
        .select("month", "part", "value")
        .sort("month", "part")
    )
    assert summed.equals(expected)


def test_the_missed_records_are_exactly_the_late_ones(clean, clean_xlsx):
    definitions = load_definitions()
    target = definitions.target("AA ASMT 45")
    records = read_records(clean_xlsx, needs_for_drill(definitions, target))
    month = dt.date(2020, 12, 1)
    missed = behind(records, target, [month], as_at=clean.as_at, missed=True)
    late = {
        (row.true["child"], working_days(row.true["start"], row.true["auth"]))
        for row in clean.lists[4]
        if row.true.get("auth")
        and row.true["auth"].replace(day=1) == month
        and working_days(row.true["start"], row.true["auth"]) > 45
    }
    assert late and set(missed.select("child_id", "working_days").rows()) == late
    assert (
        missed.height
        == clean.truth["AA ASMT 45"][month]["denominator"]
        - clean.truth["AA ASMT 45"][month]["numerator"]
    )
