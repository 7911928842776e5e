"""England, region, statistical neighbours, rank and quartile from a 152-council file.

The expected figures are worked out here from the generator's own counts and cells with
plain Python (sorted lists, statistics.fmean, a quantile written out below): nothing in
this file's arithmetic goes through csckpi.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pytest
from published_factory import (
    BY_OLD,
    COUNCILS,
    DARLINGTON,
    HEADER,
    MAP,
    YEARS,
    Published,
    make,
    neighbours_of,
    rows,
    write_csv,
    write_dfe,
    write_map,
    write_neighbours,
)

from csckpi.model import Comparator, Polarity, Severity
from csckpi.published import ImportResult, PublishedBenchmark, Standing, import_published

COLUMNS = {"CSC032": "rereferral_percent", "CSC038": "assessment_timely_percent"}
COLUMNS["CSC200"] = "cla_rate_per_10000"


def run(folder: Path, published: Published, body: str = MAP, **kw: object) -> ImportResult:
    path = write_dfe(folder, published, **kw)  # type: ignore[arg-type]
    write_neighbours(folder)
    return import_published(path, write_map(folder, body))


def benchmark(
    result: ImportResult, key: str, year: int, comparator: Comparator
) -> PublishedBenchmark:
    found = [
        b
        for b in result.benchmarks
        if b.key == key and b.year.start == year - 1 and b.comparator is comparator
    ]
    assert len(found) == 1, found
    return found[0]


def standing(result: ImportResult, key: str, year: int) -> Standing:
    found = [s for s in result.standings if s.key == key and s.year.start == year - 1]
    assert len(found) == 1, found
    return found[0]


def quantile7(values: list[float], p: float) -> float:
    """R's default quantile (type 7), written out: h = (n - 1)p, interpolate."""
    xs = sorted(values)
    h = (len(xs) - 1) * p
    low = math.floor(h)
    if low + 1 >= len(xs):
        return xs[low]
    return xs[low] + (h - low) * (xs[low + 1] - xs[low])


def hand_quartile(values: list[float], mine: float, polarity: Polarity) -> int:
    """The benchmarking tool's banding: up to the lower quartile is band A for 'low is good'
    and band D for 'high is good'; 1 is A."""
    q = [quantile7(values, p) for p in (0.25, 0.5, 0.75)]
    band = 1 if mine <= q[0] else 2 if mine <= q[1] else 3 if mine <= q[2] else 4
    return band if polarity is Polarity.DOWN else 5 - band


def published_values(published: Published, year: int, column: str) -> list[float]:
    out = []
    for c in COUNCILS:
        value = published.value(year, c.old, column)
        if value is not None:
            out.append(value)
    return out


@pytest.fixture(scope="module")
def data() -> Published:
    return make()


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, data: Published) -> ImportResult:
    return run(tmp_path_factory.mktemp("published"), data)


def test_the_import_reads_clean(result: ImportResult):
    assert result.errors == () and result.layout == "dfe"
    assert result.council is not None and result.council.name == "Darlington"
    assert result.council.region_code == "E12000001"
    assert result.council.old_la_code == "841"  # found in the file from the map's E06000005
    # three comparators for each of three indicators and two years
    assert len(result.benchmarks) == 18 and len(result.standings) == 6


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("key", list(COLUMNS))
def test_england_and_region_are_the_rates_of_the_summed_counts(
    result: ImportResult, data: Published, key: str, year: int
):
    counts = [data.counts[(year, c.old)] for c in COUNCILS]
    north_east = [data.counts[(year, c.old)] for c in COUNCILS if c.region_code == "E12000001"]

    def by_hand(group: list) -> float:
        if key == "CSC032":
            return round(
                sum(c.rereferrals for c in group) / sum(c.referrals for c in group) * 100, 1
            )
        if key == "CSC038":
            return round(sum(c.timely for c in group) / sum(c.assessments for c in group) * 100, 1)
        return round(sum(c.children for c in group) / sum(c.population for c in group) * 10000, 1)

    england = benchmark(result, key, year, Comparator.ENGLAND)
    region = benchmark(result, key, year, Comparator.REGION)
    assert england.value == by_hand(counts) and england.name == "England"
    assert region.value == by_hand(north_east) and region.name == "North East"
    assert len(north_east) == 12


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("key", list(COLUMNS))
def test_statistical_neighbours_is_the_mean_of_their_published_figures(
    result: ImportResult, data: Published, key: str, year: int
):
    figures = [data.value(year, old, COLUMNS[key]) for old in neighbours_of(DARLINGTON)]
    shown = [f for f in figures if f is not None]
    got = benchmark(result, key, year, Comparator.STATISTICAL_NEIGHBOURS)
    assert got.value == pytest.approx(statistics.fmean(shown), abs=1e-9)
    assert got.basis is not None
    assert (got.basis.listed, got.basis.with_figure) == (10, len(shown))
    assert got.basis.version == "April 2021"


def test_a_suppressed_neighbour_is_left_out_of_the_mean_and_said(tmp_path: Path):
    """Darlington's neighbours' 2019/20 re-referral rates set by hand, one suppressed:
    (20.1 + 22.4 + 19.8 + 21.0 + 18.7 + 23.5 + 20.9 + 21.6 + 19.2) / 9 = 187.2 / 9 = 20.8."""
    values = ["20.1", "22.4", "19.8", "21.0", "18.7", "23.5", "20.9", "c", "21.6", "19.2"]
    codes = neighbours_of(DARLINGTON)
    data = make(
        overrides={
            (2020, old): {"rereferral_percent": v} for old, v in zip(codes, values, strict=True)
        }
    )
    got = benchmark(run(tmp_path, data), "CSC032", 2020, Comparator.STATISTICAL_NEIGHBOURS)
    assert got.value == pytest.approx(20.8, abs=1e-9)
    assert got.basis is not None and got.basis.with_figure == 9 and not got.basis.complete
    assert got.basis.withheld == ((BY_OLD[codes[7]].name, "c"),)
    assert got.basis.missing == ()


def test_a_neighbour_with_no_row_is_missing_not_zero(tmp_path: Path):
    data = make()
    gone = neighbours_of(DARLINGTON)[0]
    body = [r for r in rows(data) if not (r[0] == "2020" and r[7] == gone)]
    path = write_csv(tmp_path / "c1.csv", HEADER, body)
    write_neighbours(tmp_path)
    result = import_published(path, write_map(tmp_path, MAP))
    got = benchmark(result, "CSC038", 2020, Comparator.STATISTICAL_NEIGHBOURS)
    others = [
        data.value(2020, o, "assessment_timely_percent") for o in neighbours_of(DARLINGTON)[1:]
    ]
    assert got.value == pytest.approx(statistics.fmean(v for v in others if v is not None))
    assert got.basis is not None and got.basis.missing == (gone,)
    earlier = benchmark(result, "CSC038", 2019, Comparator.STATISTICAL_NEIGHBOURS).basis
    assert earlier is not None and earlier.missing == ()


def test_a_year_without_the_councils_row_has_no_rank_and_says_so(tmp_path: Path):
    body = [r for r in rows(make()) if not (r[0] == "2019" and r[9] == "Darlington")]
    path = write_csv(tmp_path / "c1.csv", HEADER, body)
    write_neighbours(tmp_path)
    result = import_published(path, write_map(tmp_path, MAP))
    assert [s.year.label for s in result.standings] == ["2019/20"] * 3
    assert result.notes[1:4] == tuple(
        f"{code}: the file has no row for Darlington in 2018/19: no rank that year"
        for code in ("CSC 032", "CSC 038", "CSC 200")
    )
    assert len(result.benchmarks) == 18  # England, region and neighbours stand regardless  # type: ignore[union-attr]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("key", ["CSC032", "CSC038"])
def test_rank_and_quartile_match_a_hand_count(
    result: ImportResult, data: Published, key: str, year: int
):
    polarity = Polarity.DOWN if key == "CSC032" else Polarity.UP
    values = published_values(data, year, COLUMNS[key])
    mine = data.value(year, "841", COLUMNS[key])
    assert mine is not None
    better = [v for v in values if (v < mine if polarity is Polarity.DOWN else v > mine)]
    got = standing(result, key, year)
    assert got.rank == len(better) + 1
    assert got.of == len(values) and got.withheld == 152 - len(values)
    assert got.tied == values.count(mine)
    assert got.quartile == hand_quartile(values, mine, polarity)
    assert got.value == mine and got.reason is None and got.order == "best first"


def test_polarity_none_gives_a_position_from_the_highest_and_no_quartile(
    result: ImportResult, data: Published
):
    values = published_values(data, 2020, "cla_rate_per_10000")
    mine = data.value(2020, "841", "cla_rate_per_10000")
    got = standing(result, "CSC200", 2020)
    assert got.polarity is Polarity.NONE and got.order == "highest first"
    assert got.rank == 1 + sum(v > mine for v in values)  # type: ignore[operator]
    assert got.quartile is None and got.of == 152
    assert "no polarity" not in " ".join(result.notes) or "CSC 200" in " ".join(result.notes)


def test_rank_and_quartile_flip_with_polarity(tmp_path: Path, data: Published):
    """The same column judged both ways: the rank counts from the other end and the
    quartile turns over (1 <-> 4, 2 <-> 3)."""
    up = run(tmp_path, data, MAP.replace('polarity = "down"', 'polarity = "up"'))
    down = run(tmp_path, data)
    for year in YEARS:
        a, b = standing(up, "CSC032", year), standing(down, "CSC032", year)
        assert a.of == b.of and a.tied == b.tied and a.value == b.value
        assert a.rank + b.rank == a.of + 2 - a.tied  # type: ignore[operator]
        values = published_values(data, year, "rereferral_percent")
        q = [quantile7(values, p) for p in (0.25, 0.5, 0.75)]
        if a.value not in q:  # a figure on a quartile boundary belongs to the lower band
            assert a.quartile == 5 - b.quartile  # type: ignore[operator]
        assert a.quartile == hand_quartile(values, a.value, Polarity.UP)  # type: ignore[arg-type]


def test_the_workbooks_polarity_overrides_the_maps(tmp_path: Path, data: Published):
    path = write_dfe(tmp_path, data)
    write_neighbours(tmp_path)
    result = import_published(
        path, write_map(tmp_path, MAP), polarities={"csc 032": Polarity.UP, "CSC200": Polarity.DOWN}
    )
    assert standing(result, "CSC032", 2020).polarity is Polarity.UP
    assert standing(result, "CSC200", 2020).quartile is not None
    assert not any("no polarity" in n for n in result.notes)


def test_ties_share_the_lowest_rank_of_their_group(tmp_path: Path):
    """Three councils better than Darlington, and two tied with it: 1, 2, 3, 4, 4, 4, 7."""
    cells = {(2020, c.old): {"assessment_timely_percent": "50.0"} for c in COUNCILS}
    best = [c.old for c in COUNCILS[1:4]]
    tied = [c.old for c in COUNCILS[4:6]]
    cells |= {(2020, old): {"assessment_timely_percent": f"9{i}.0"} for i, old in enumerate(best)}
    cells |= {(2020, old): {"assessment_timely_percent": "80.0"} for old in [*tied, "841"]}
    got = standing(run(tmp_path, make(overrides=cells)), "CSC038", 2020)
    assert (got.rank, got.tied, got.of) == (4, 3, 152)
    # 146 councils at 50.0: every quartile is 50.0, so 80.0 is above the upper one: band A
    assert got.quartile == 1


def test_a_suppressed_council_is_unranked_with_its_reason(tmp_path: Path):
    data = make(overrides={(2020, "841"): {"rereferral_percent": "c"}})
    result = run(tmp_path, data)
    got = standing(result, "CSC032", 2020)
    assert got.rank is None and got.quartile is None and got.value is None
    assert got.symbol == "c"
    assert got.reason == (
        "Darlington's published figure for 2019/20 is c (confidential: suppressed to protect "
        "individuals): it is not ranked"
    )
    assert got.of == len(published_values(data, 2020, "rereferral_percent"))
    warned = [p for p in result.warnings if p.kind == "withheld"]
    row = 1 + 162 + 1 + 9 + 1  # the header, 2019's rows, 2020's National and regions, then it
    assert [(p.row, p.column, p.cell) for p in warned] == [(row, 14, f"N{row}")]
    assert str(warned[0]).startswith(f"c1_referrals.csv!N{row}: Darlington's published figure")
    assert standing(result, "CSC032", 2019).rank is not None  # the other year is untouched
    # England and the region still stand: the council's suppression is its own
    assert benchmark(result, "CSC032", 2020, Comparator.ENGLAND).value is not None


def test_a_suppressed_region_gives_no_figure_and_says_why(tmp_path: Path):
    data = make()
    data.regional[(2020, "E12000001")]["cla_rate_per_10000"] = "x"
    result = run(tmp_path, data)
    got = benchmark(result, "CSC200", 2020, Comparator.REGION)
    assert got.value is None and got.symbol == "x"
    assert got.reason == "the published figure for as at 31 March 2020 is x (not available)"
    assert [p.kind for p in result.warnings] == ["withheld"]
    assert (
        result.frame()
        .filter((result.frame()["comparator"] == "region") & (result.frame()["key"] == "CSC200"))
        .height
        == 1
    )  # only 2018/19's region figure is a row to store


def test_no_national_row_means_no_england_figure_and_says_so(tmp_path: Path):
    result = run(tmp_path, make(), national=False)
    got = benchmark(result, "CSC032", 2020, Comparator.ENGLAND)
    assert got.value is None and got.symbol is None
    assert got.reason == "the file has no National row (England) for 2019/20"
    assert benchmark(result, "CSC032", 2020, Comparator.REGION).value is not None


def test_data_years_and_the_release_travel_with_every_figure(result: ImportResult):
    rate = benchmark(result, "CSC200", 2020, Comparator.ENGLAND)
    assert rate.year.label == "2019/20" and rate.year.text == "as at 31 March 2020"
    assert str(rate.release) == "Characteristics of children in need 2020"
    rereferrals = benchmark(result, "CSC032", 2019, Comparator.ENGLAND)
    assert rereferrals.year.text == "2018/19"
    frame = result.frame()
    assert frame.columns[:8] == [
        "key",
        "code",
        "comparator",
        "value",
        "source",
        "year",
        "sheet",
        "cell",
    ]
    row = frame.filter((frame["key"] == "CSC200") & (frame["comparator"] == "england")).sort("year")
    assert row["year"].to_list() == ["2018/19", "2019/20"]
    assert row["as_at"].to_list() == ["as at 31 March 2019", "as at 31 March 2020"]
    assert row["cell"].to_list() == ["Q2", "Q164"] and set(row["sheet"]) == {"c1_referrals.csv"}
    sn = frame.filter(frame["comparator"] == "statistical neighbours")
    assert set(sn["listed"]) == {10} and set(sn["cell"]) == {""}


def test_the_council_is_followed_by_the_code_the_map_names_it_by(tmp_path: Path):
    """A council whose ONS code changed (North Yorkshire's did in 2023): by its old LA code
    it is found in every year; by its new ONS code only in the years that have it."""
    body = [
        [*r[:8], "E10000099", *r[9:]] if r[0] == "2019" and r[9] == "Darlington" else r
        for r in rows(make())
    ]
    path = write_csv(tmp_path / "c1.csv", HEADER, body)
    write_neighbours(tmp_path)
    by_old = MAP.replace('new_la_code = "E06000005"', 'old_la_code = "841"')
    old = import_published(path, write_map(tmp_path, by_old, "old.toml"))
    new = import_published(path, write_map(tmp_path, MAP, "new.toml"))
    assert [s.year.label for s in old.standings if s.key == "CSC032"] == ["2018/19", "2019/20"]
    assert [s.year.label for s in new.standings if s.key == "CSC032"] == ["2019/20"]
    assert old.council is not None and old.council.new_la_code == "E06000005"  # the latest


def test_financial_year_periods_read_as_the_same_years(tmp_path: Path, data: Published):
    reporting = run(tmp_path, data)
    financial = run(tmp_path / ".." / tmp_path.name, data, time="financial")
    assert [b.value for b in financial.benchmarks] == [b.value for b in reporting.benchmarks]
    assert [b.year for b in financial.benchmarks] == [b.year for b in reporting.benchmarks]
    assert [s.rank for s in financial.standings] == [s.rank for s in reporting.standings]


def test_nothing_is_returned_as_good_data_with_an_error(tmp_path: Path, data: Published):
    bad = make(overrides={(2020, COUNCILS[5].old): {"rereferral_percent": "12%"}})
    result = run(tmp_path, bad)
    assert [p.kind for p in result.errors] == ["not-a-number"]
    assert result.benchmarks == () and result.standings == () and result.frame().height == 0
    assert all(p.severity is Severity.ERROR for p in result.errors)
