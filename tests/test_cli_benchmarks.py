"""`csckpi benchmarks import`: a 152-council published file into a store holding the example.

The figures expected in the store are worked out from the generator's own cells with plain
Python (tests/published_factory.py, the hand counts of tests/test_published_derive.py).
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
from pathlib import Path

import polars as pl
import pytest
from published_factory import (
    DARLINGTON,
    MAP,
    REGIONS,
    Published,
    make,
    neighbours_of,
    write_dfe,
    write_map,
    write_neighbours,
)
from test_published_derive import hand_quartile, published_values
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.model import Polarity
from csckpi.published.stored import standings_of
from csckpi.store import open_store

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "darlington-2020-21-q3.xlsx"
COLUMNS = {"CSC032": "rereferral_percent", "CSC038": "assessment_timely_percent"}
COLUMNS["CSC200"] = "cla_rate_per_10000"
POLARITY = {
    "CSC032": Polarity.DOWN,
    "CSC038": Polarity.UP,
    "CSC200": Polarity.NONE,
}  # the example's


def folder_with(example: Path, tmp_path: Path, data: Published, body: str = MAP) -> Path:
    """A store holding the example (``example``: the example_store_file fixture, the example
    ingested once), the published file, its neighbour list and its map."""
    write_dfe(tmp_path, data)
    write_neighbours(tmp_path)
    write_map(tmp_path, body)
    shutil.copyfile(example, tmp_path / "k.db")
    return tmp_path


def run(folder: Path, *args: str):
    return runner.invoke(
        app,
        [
            "benchmarks",
            "import",
            str(folder / "c1_referrals.csv"),
            "--map",
            str(folder / "map.toml"),
            "--store",
            str(folder / "k.db"),
            *args,
        ],
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def data() -> Published:
    return make()


@pytest.fixture(scope="module")
def imported(
    tmp_path_factory: pytest.TempPathFactory, data: Published, example_store_file: Path
) -> Path:
    folder = folder_with(example_store_file, tmp_path_factory.mktemp("import"), data)
    result = run(folder)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return folder


def test_the_summary_says_what_the_file_gave_and_what_was_stored(
    data: Published, tmp_path, example_store_file
):
    folder = folder_with(example_store_file, tmp_path, data)
    result = run(folder)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Imported c1_referrals.csv into ")
    assert lines[1:7] == [
        "  Release     Characteristics of children in need 2020",
        "  Council     Darlington (E06000005, 841), North East",
        "  Years       2018/19, 2019/20",
        "  Benchmarks  18 (England, North East, statistical neighbours)",
        "  Standings   6 ranked, 0 not ranked",
        "  Neighbours  the April 2021 list",
    ]
    # the example's 9 LAIT 2020 figures for 2019/20 are revised by this release's
    assert lines[7] == "  Figures     51 added, 9 revised, 0 unchanged"
    assert "9 figures revised:" in lines
    assert (
        "  CSC 032 England benchmark 2019/20: 22.6 → "
        f"{float(data.national[2020]['rereferral_percent']):g}, LAIT 2020 → Characteristics of "
        "children in need 2020 (c1_referrals.csv!N164)"
    ) in lines
    again = run(folder)
    assert again.exit_code == 0
    assert "with this map, is already in" in again.stdout


@pytest.mark.parametrize("key", ["CSC032", "CSC038", "CSC200"])
@pytest.mark.parametrize("year", [2019, 2020])
def test_the_stored_benchmarks_are_a_hand_calculation(
    imported: Path, data: Published, key: str, year: int
):
    column = COLUMNS[key]
    label = f"{year - 1}/{year % 100:02d}"
    stored = (
        open_store(str(imported / "k.db"))
        .load()
        .benchmarks.filter((pl.col("key") == key) & (pl.col("year") == label))
    )
    got = dict(stored.select("comparator", "value").iter_rows())
    neighbours = [data.value(year, old, column) for old in neighbours_of(DARLINGTON)]
    assert got == {
        "england": float(data.national[year][column]),
        "region": float(data.regional[(year, REGIONS[0][0])][column]),
        "statistical neighbours": pytest.approx(
            statistics.fmean(v for v in neighbours if v is not None)
        ),
    }
    assert set(stored.get_column("source")) == {"Characteristics of children in need 2020"}


@pytest.mark.parametrize("key", ["CSC032", "CSC038", "CSC200"])
def test_the_stored_rank_and_quartile_are_a_hand_count_by_the_workbooks_polarity(
    imported: Path, data: Published, key: str
):
    standings = standings_of(open_store(str(imported / "k.db")).load().standings)
    got = standings[(key, "2019/20")]
    polarity = POLARITY[key]
    values = published_values(data, 2020, COLUMNS[key])
    mine = data.value(2020, "841", COLUMNS[key])
    assert mine is not None
    if polarity is Polarity.DOWN:
        ahead = [v for v in values if v < mine]
    else:  # up, and none (placed from the highest)
        ahead = [v for v in values if v > mine]
    assert (got.rank, got.of, got.polarity) == (len(ahead) + 1, len(values), polarity)
    expected = None if polarity is Polarity.NONE else hand_quartile(values, mine, polarity)
    assert got.quartile == expected
    assert str(got.release) == "Characteristics of children in need 2020"
    assert got.where.startswith("c1_referrals.csv!")


def test_a_suppressed_council_is_stored_unranked_with_its_reason(
    data: Published, tmp_path, example_store_file
):
    folder = folder_with(
        example_store_file, tmp_path, make(overrides={(2020, "841"): {"rereferral_percent": "c"}})
    )
    result = run(folder)
    assert result.exit_code == 0, result.output
    assert "warning: c1_referrals.csv!N174: Darlington's published figure for 2019/20 is c" in (
        result.stderr
    )
    assert "  Standings   5 ranked, 1 not ranked" in result.stdout.splitlines()
    standings = standings_of(open_store(str(folder / "k.db")).load().standings)
    got = standings[("CSC032", "2019/20")]
    assert (got.rank, got.quartile, got.symbol) == (None, None, "c")
    assert got.reason == (
        "its published figure for 2019/20 is c (confidential: suppressed to protect "
        "individuals): it is not ranked"
    )
    assert standings[("CSC032", "2018/19")].rank is not None


def test_a_later_import_ranking_the_council_replaces_unranked(
    data: Published, tmp_path, example_store_file
):
    folder = folder_with(
        example_store_file, tmp_path, make(overrides={(2020, "841"): {"rereferral_percent": "c"}})
    )
    assert run(folder).exit_code == 0
    write_dfe(folder, data)  # the revised file has the figure
    assert run(folder).exit_code == 0
    got = standings_of(open_store(str(folder / "k.db")).load().standings)[("CSC032", "2019/20")]
    assert got.rank is not None and got.symbol is None and got.reason is None


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ('column = "rereferral_percent"', 'column = "rereferal_percent"'),
            "error: c1_referrals.csv!1: the map reads indicator CSC 032 from column "
            "'rereferal_percent', which the file does not have. Did you mean "
            "'rereferral_percent'?",
        ),
        (
            ('new_la_code = "E06000005"', 'new_la_code = "E06000050"'),
            "error: c1_referrals.csv!I: the map's council (new_la_code E06000050) is not in this "
            "file",
        ),
        (
            ('code = "CSC 038"', 'code = "CSC 039"'),
            "error: c1_referrals.csv: the map's indicator CSC 039 is not in ",
        ),
    ],
    ids=["a missing column", "a council not in the file", "a code the workbook does not have"],
)
def test_bad_input_stores_nothing(data: Published, tmp_path, example_store_file, change, said):
    folder = folder_with(example_store_file, tmp_path, data, MAP.replace(*change))
    before = digest(folder / "k.db")
    result = run(folder)
    assert result.exit_code == 1
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout.startswith("Nothing written to ")
    assert digest(folder / "k.db") == before


def test_a_dry_run_says_what_would_change_and_writes_nothing(
    data: Published, tmp_path, example_store_file
):
    folder = folder_with(example_store_file, tmp_path, data)
    before = digest(folder / "k.db")
    result = run(folder, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run: nothing written to ")
    assert "  Figures     51 added, 9 revised, 0 unchanged" in result.stdout
    assert digest(folder / "k.db") == before


def test_no_store_yet_says_to_ingest_the_workbook_first(data: Published, tmp_path):
    write_dfe(tmp_path, data)
    write_map(tmp_path, MAP)
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "There is no store at" in result.stderr and "csckpi ingest" in result.stderr
    assert not (tmp_path / "k.db").exists()


def test_json_has_problems_summary_benchmarks_and_standings(imported: Path):
    import json

    result = run(imported, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"problems", "summary", "benchmarks", "standings", "notes"}
    assert document["summary"]["outcome"] == "already"
    england = next(
        b
        for b in document["benchmarks"]
        if b["code"] == "CSC 032" and b["comparator"] == "england" and b["year"] == "2019/20"
    )
    assert england["release"] == "Characteristics of children in need 2020"
    assert england["where"] == "c1_referrals.csv!N164"
    ranks = {(s["code"], s["year"]): s["rank"] for s in document["standings"]}
    assert set(ranks) == {
        (c, y) for c in ("CSC 032", "CSC 038", "CSC 200") for y in ("2018/19", "2019/20")
    }


def test_every_json_field_is_documented(imported: Path):
    import json

    text = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text("utf-8")
    section = text.split("\n# `csckpi benchmarks import --format json`", 1)[1]
    document = json.loads(run(imported, "--format", "json").stdout)
    names = set(document) | set(document["benchmarks"][0]) | set(document["standings"][0])
    assert {n for n in names if f"`{n}`" not in section} == set()


# -- the rank where the user reads it: compare, its JSON, narrate, the report ------------------


def _said(imported: Path, command: str, *args: str) -> str:
    result = runner.invoke(app, [command, "--store", str(imported / "k.db"), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("key", ["CSC032", "CSC038", "CSC200"])
def test_compare_and_narrate_give_the_stored_rank_of_the_latest_year_not_after_the_period(
    imported: Path, key: str
):
    import json

    stored = standings_of(open_store(str(imported / "k.db")).load().standings)
    said_for = []
    for period, year in (("Q3 2020/21", "2019/20"), ("2019/20", "2019/20"), ("2018/19", "2018/19")):
        got = stored[(key, year)]
        (c,) = json.loads(_said(imported, "compare", "-i", key, "-p", period, "-f", "json"))
        assert c["ranking"] == {
            "year": year,
            "release": str(got.release),
            "rank": got.rank,
            "of": got.of,
            "tied": got.tied,
            "quartile": got.quartile,
            "order": got.order,
            "reason": None,
        }
        text = _said(imported, "narrate", "-i", key, "-p", period)
        if c["value"] is None:  # no figure of ours for the period: the rank is still said
            assert f" of {got.of} councils in {year}" in text, text
            continue
        said_for.append(period)
        assert got.rank is not None and got.of > 140
        joint = "joint " if got.tied > 1 else ""
        if POLARITY[key] is Polarity.NONE:
            said = f"Darlington was {joint}{got.rank}"
            assert f" highest of {got.of} councils in {year} ({got.release})." in text
            assert "quartile" not in text and "best" not in text
        else:
            quartile = ("first", "second", "third", "fourth")[got.quartile - 1]
            said = f"Darlington was ranked {joint}{got.rank}"
            assert (
                f" of {got.of} councils in {year}, {quartile} quartile, where the first is best "
                f"({got.release})." in text
            )
        assert said in text
    assert "Q3 2020/21" in said_for and len(said_for) >= (1 if key == "CSC200" else 2)


def test_narrate_check_re_derives_the_rank(imported: Path):
    """`narrate --check` reads each rank sentence against the stored standing; a wrong rank,
    count of councils, year or quartile is refused."""
    from dataclasses import replace

    from csckpi.api import load
    from csckpi.narrate import paragraph
    from csckpi.narrate.check import disagreements

    for period in ("Q3 2020/21", "2019/20"):
        assert "no disagreements" in _said(imported, "narrate", "-p", period, "--check")
    kpi = load(imported / "k.db")
    (c,) = kpi.compare("Q3 2020/21", ["CSC038"])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    (ranked,) = [s for s in made.sentences if s.kind == "ranking"]
    r = c.ranking
    assert r is not None and r.rank is not None
    for change, problem in (
        ({"value": float(r.rank + 1)}, "is not"),
        ({"other": float(r.of - 1)}, "is not"),
        ({"period": "2018/19"}, "is not the ranking's 2019/20"),
        ({"degree": "fourth" if r.quartile != 4 else "first"}, "quartile"),
    ):
        wrong = replace(ranked, facts=(replace(ranked.facts[0], **change),))
        found = disagreements(replace(made, sentences=(wrong,)), c)
        assert any(problem in d.problem for d in found), (change, found)


def test_compare_s_block_and_the_report_show_the_rank(imported: Path, tmp_path: Path):
    stored = standings_of(open_store(str(imported / "k.db")).load().standings)
    got = stored[("CSC038", "2019/20")]
    block = _said(imported, "compare", "-i", "CSC038", "-p", "Q3 2020/21", "-f", "text")
    line = next(line for line in block.splitlines() if line.strip().startswith("Among councils"))
    assert f"of {got.of} councils in 2019/20" in line and "where the first is best" in line
    out = tmp_path / "q3.md"
    _said(imported, "report", "-p", "Q3 2020/21", "-o", str(out))
    report = out.read_text(encoding="utf-8")
    assert f"Darlington was ranked {got.rank}" in report
    assert report.count("where the first is best") >= 2  # the summary and the analysis
