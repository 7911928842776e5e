"""The two layouts read the same figures the same way; the small parts they are built of."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl
import pytest
from published_factory import (
    HEADER,
    MAP,
    YEARS,
    make,
    rows,
    write_csv,
    write_dfe,
    write_lait_csv,
    write_lait_xlsx,
    write_map,
    write_neighbours,
)

from csckpi.model import Comparator
from csckpi.published import DataYear, ImportResult, YearKind, import_published
from csckpi.published.mapping import read_map
from csckpi.published.symbols import BLANK, parse
from csckpi.published.years import HeaderYear, header_year, parse_time

LAIT_MAP = """\
[release]
name = "LAIT 2020"

[council]
old_la_code = "841"

[neighbours]
file = "sn_april_2021.csv"
version = "April 2021"

[[indicator]]
code = "CSC 032"
polarity = "down"
"""


def figures(result: ImportResult) -> list[tuple[object, ...]]:
    """What two imports must agree on, in a stable order."""
    out: list[tuple[object, ...]] = [
        (b.key, b.year.label, b.comparator.value, b.value, b.symbol, b.reason is None)
        for b in result.benchmarks
    ]
    out += [(s.key, s.year.label, "rank", s.rank, s.quartile, s.of) for s in result.standings]
    return sorted(out, key=repr)


@pytest.fixture(scope="module")
def dfe_result(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    folder = tmp_path_factory.mktemp("dfe")
    write_neighbours(folder)
    only_032 = MAP.split("[[indicator]]")
    body = only_032[0] + "[[indicator]]" + only_032[1]
    return import_published(write_dfe(folder, make()), write_map(folder, body))


@pytest.mark.parametrize("writer", [write_lait_csv, write_lait_xlsx], ids=["csv", "xlsx"])
def test_the_tools_export_gives_what_the_departments_file_gives(
    tmp_path: Path, writer, dfe_result: ImportResult
):
    write_neighbours(tmp_path)
    result = import_published(
        writer(tmp_path, make(), "rereferral_percent"), write_map(tmp_path, LAIT_MAP)
    )
    assert result.errors == () and result.layout == "lait"
    assert figures(result) == figures(dfe_result)
    assert str(result.benchmarks[0].release) == "LAIT 2020"
    # the export says nothing about regions: the neighbour list's GOReg column does
    assert result.council is not None and result.council.region_name == "North East"
    assert result.notes[0] == (
        "columns that are not years are not read: 'Change from previous year', 'Rank'"
    )


def test_a_state_funded_england_row_is_left_out(tmp_path: Path, dfe_result: ImportResult):
    write_neighbours(tmp_path)
    path = write_lait_csv(tmp_path, make(), "rereferral_percent")
    path.write_text(path.read_text() + '"E92000001","England (state-funded)",1.0,2.0,NA,""\n')
    result = import_published(path, write_map(tmp_path, LAIT_MAP))
    assert result.errors == () and figures(result) == figures(dfe_result)
    assert result.notes[1] == (
        "1 row is neither a council, a region nor England, and not read ('England (state-funded)')"
    )


def test_the_tools_export_without_a_region_says_how_to_give_one(tmp_path: Path):
    body = LAIT_MAP.split("[neighbours]")[0] + "[[indicator]]" + LAIT_MAP.split("[[indicator]]")[1]
    result = import_published(
        write_lait_csv(tmp_path, make(), "rereferral_percent"), write_map(tmp_path, body)
    )
    region = [b for b in result.benchmarks if b.comparator is Comparator.REGION]
    assert {b.value for b in region} == {None}
    assert region[0].reason == (
        "Darlington's region is not known: the export does not say it; add region = "
        '"North East" (its region) to [council] in the map. No region figure for 2018/19'
    )
    assert "no statistical-neighbour average" in result.notes[-1]
    with_region = body.replace('old_la_code = "841"', 'old_la_code = "841"\nregion = "north east"')
    again = import_published(tmp_path / "lait.csv", write_map(tmp_path, with_region))
    region = [b for b in again.benchmarks if b.comparator is Comparator.REGION]
    assert len(region) == 2 and all(b.value is not None for b in region)
    assert {b.name for b in region} == {"North East"}


def test_provisional_columns_are_a_version_of_the_release(tmp_path: Path):
    path = write_lait_csv(tmp_path, make(), "rereferral_percent")
    path.write_text(path.read_text().replace('"2020"', '"2020 (prov)"', 1))
    result = import_published(
        path,
        write_map(
            tmp_path,
            LAIT_MAP.split("[neighbours]")[0]
            + "[[indicator]]"
            + LAIT_MAP.split("[[indicator]]")[1],
        ),
    )
    versions = {b.year.label: b.release.version for b in result.benchmarks}
    assert versions == {"2018/19": "", "2019/20": "provisional"}


def test_columns_come_in_any_order_and_title_rows_are_skipped(tmp_path: Path, dfe_result):
    order = list(reversed(range(len(HEADER))))
    body = [[row[i] for i in order] for row in rows(make())]
    path = write_csv(tmp_path / "shuffled.csv", [HEADER[i] for i in order], body)
    path.write_text("Table 1: made up,,,\n\n" + path.read_text())
    write_neighbours(tmp_path)
    only_032 = MAP.split("[[indicator]]")
    result = import_published(
        path, write_map(tmp_path, only_032[0] + "[[indicator]]" + only_032[1])
    )
    assert result.errors == ()
    assert figures(result) == figures(dfe_result)
    assert {s.where.split("!")[1][0] for s in result.standings} == {"D"}  # reversed: column D


def test_bare_years_may_be_read_as_starting_years(tmp_path: Path):
    body = LAIT_MAP.replace('name = "LAIT 2020"', 'name = "LAIT 2020"\nbare_years = "starting"')
    write_neighbours(tmp_path)
    result = import_published(
        write_lait_csv(tmp_path, make(), "rereferral_percent"), write_map(tmp_path, body)
    )
    assert sorted({b.year.label for b in result.benchmarks}) == ["2019/20", "2020/21"]


# -- the parts -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "symbol", "bad"),
    [
        ("22.6", 22.6, None, False),
        (" 1,234 ", 1234.0, None, False),
        ("0", 0.0, None, False),
        ("c", None, "c", False),
        ("Z", None, "z", False),
        ("low", None, "low", False),
        (":", None, ":", False),
        ("", None, BLANK, False),
        ("nan", None, None, True),
        ("12%", None, None, True),
        ("n/a", None, None, True),
        ("NA", None, None, True),  # NA is the benchmarking tool's, not the Department's
    ],
)
def test_cells_are_numbers_or_codes_never_both(text, value, symbol, bad):
    got = pl.DataFrame({"t": [text]}).select(parse(pl.col("t"))).row(0)
    assert got == (value, symbol, bad)


def test_the_tools_na_is_a_code_in_its_export():
    from csckpi.published.symbols import LAIT_BLANKS

    got = pl.DataFrame({"t": ["NA", "-"]}).select(parse(pl.col("t"), extra=LAIT_BLANKS))
    assert got.rows() == [(None, "na", False), (None, "-", False)]


@pytest.mark.parametrize(
    ("period", "identifier", "bare", "year", "kind", "problem"),
    [
        ("201920", "Financial year", "ending", 2019, "financial", None),
        ("201920", "Academic year", "ending", 2019, "academic", None),
        ("2020", "Reporting year", "ending", 2019, "financial", None),
        ("2020", "Reporting year", "starting", 2020, "financial", None),
        ("2020", "Calendar year", "ending", None, None, "other"),
        ("202021", "Autumn term", "ending", None, None, "other"),
        ("201921", "Financial year", "ending", None, "financial", "bad"),
        ("2019/20", "Financial year", "ending", None, "financial", "bad"),
    ],
)
def test_time_periods(period, identifier, bare, year, kind, problem):
    frame = pl.DataFrame({"p": [period], "i": [identifier]})
    got = frame.select(parse_time(pl.col("p"), pl.col("i"), bare)).row(0)
    assert got == (year, kind, problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", HeaderYear(2019)),
        ("2019/20", HeaderYear(2019)),
        ("2019-20", HeaderYear(2019)),
        ("2019-2020", HeaderYear(2019)),
        ("2022 (prov)", HeaderYear(2021, "provisional")),
        ("2019/20 (revised)", HeaderYear(2019, "revised")),
        ("2019/21", None),
        ("Rank", None),
        ("Change from previous year", None),
        ("2020 (target)", None),
    ],
)
def test_the_tools_year_columns(text, expected):
    assert header_year(text, "ending") == expected


def test_data_year_words():
    assert DataYear(2019).text == "2019/20"
    assert DataYear(2019, snapshot=True).text == "as at 31 March 2020"
    assert DataYear(2019, YearKind.ACADEMIC, snapshot=True).text == "2019/20"
    assert sorted([DataYear(2020), DataYear(2018)]) == [DataYear(2018), DataYear(2020)]


def test_the_map_example_in_its_docstring_reads(tmp_path: Path):
    from csckpi.published import mapping

    doc = (mapping.__doc__ or "").split("\nEvery problem")[0]
    text = textwrap.dedent(doc.split("\n", 2)[2])
    published, problems = read_map(write_map(tmp_path, text))
    assert problems == () and published is not None
    assert published.old_la_code == "841" and published.region == "North East"
    assert published.indicators[0].where == (("category", "Referrals and Re-referrals"),)
    assert published.neighbours is not None and published.neighbours.version == "April 2021"


def test_years_cover_the_file(dfe_result: ImportResult):
    assert [y.label for y in dfe_result.years] == [f"{y - 1}/{y % 100:02d}" for y in YEARS]
