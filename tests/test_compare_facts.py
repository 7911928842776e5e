"""The facts core of `compare` that needs no computation: relations, benchmarks, finding codes."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csckpi.compare import (
    BenchmarkComparison,
    Comparison,
    benchmark_rows,
    compare_benchmarks,
    find_indicator,
    relate,
    select,
)
from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.errors import UnknownIndicator
from csckpi.model import Comparator, Indicator, Measure, Polarity, Unit
from csckpi.numbers import round_half_up, shown_difference
from csckpi.periods import Month, Period


def _indicator(code: str, polarity: Polarity = Polarity.UP, **kw) -> Indicator:
    defaults = dict(
        title=f"Indicator {code}",
        section="Assessments - Timeliness",
        unit=Unit.PERCENT,
        measure=Measure.RATIO,
    )
    defaults.update(kw)
    return Indicator(code=code, polarity=polarity, **defaults)  # type: ignore[arg-type]


def _bench(code: str, comparator: str, value: float, year: str = "2020") -> dict:
    return {
        "key": code.replace(" ", ""),
        "code": code,
        "comparator": comparator,
        "value": value,
        "source": f"LAIT {year}",
        "year": year,
        "sheet": "Benchmarks",
        "cell": "C2",
    }


def _dataset(indicators: list[Indicator], benches: list[dict]) -> Dataset:
    return Dataset(
        indicators=tuple(indicators),
        monthly=pl.DataFrame(schema=monthly_schema()),
        reported=pl.DataFrame(schema=reported_schema()),
        benchmarks=pl.DataFrame(benches, schema=benchmark_schema()),
    )


# -- relate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs", "polarity", "expected"),
    [
        (85.2, 90.0, Polarity.UP, ("below", False)),
        (85.2, 83.8, Polarity.UP, ("above", True)),
        (6.7, 10.7, Polarity.DOWN, ("below", True)),
        (12.0, 10.0, Polarity.DOWN, ("above", False)),
        (39.2, 70.0, Polarity.NONE, ("below", None)),
        (45.0, 42.8, Polarity.NONE, ("above", None)),
        (90.04, 90.0, Polarity.UP, ("in line", None)),  # both show 90.0
        (90.06, 90.0, Polarity.UP, ("above", True)),  # 90.1 against 90.0
    ],
)
def test_relate_goes_through_polarity(ours, theirs, polarity, expected):
    assert relate(ours, theirs, polarity, 1) == expected


def test_relate_in_line_depends_on_the_decimals_shown():
    assert relate(10.4, 10.0, Polarity.DOWN, 0) == ("in line", None)
    assert relate(10.4, 10.0, Polarity.DOWN, 1) == ("above", False)


def test_relate_rounds_half_up_as_the_report_does():
    assert relate(0.25, 0.2, Polarity.UP, 1) == ("above", True)  # 0.3 against 0.2
    assert relate(89.95, 90.0, Polarity.UP, 1) == ("in line", None)


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(list(Polarity)),
    st.integers(0, 3),
)
def test_relate_agrees_with_the_numbers(ours, theirs, polarity, places):
    relation, better = relate(ours, theirs, polarity, places)
    if relation == "in line":
        assert better is None
        assert round_half_up(ours, places) == round_half_up(theirs, places)
        return
    assert (relation == "above") == (round_half_up(ours, places) > round_half_up(theirs, places))
    assert (relation == "above") == (ours > theirs)
    if polarity is Polarity.NONE:
        assert better is None
    else:
        assert better == ((ours > theirs) == (polarity is Polarity.UP))


# -- benchmarks --------------------------------------------------------------------------------


def test_benchmarks_are_judged_through_polarity_in_a_fixed_order():
    ind = _indicator("CSC 038", Polarity.UP)
    data = _dataset(
        [ind],
        [
            _bench("CSC 038", "england", 83.8),
            _bench("CSC 038", "region", 88.8),
            _bench("CSC 038", "statistical neighbours", 87.7),
        ],
    )
    got = compare_benchmarks(ind, 85.2, benchmark_rows(data, [ind.key])[ind.key])
    assert [(b.comparator, b.name, b.value, b.relation, b.better) for b in got] == [
        (Comparator.STATISTICAL_NEIGHBOURS, "statistical neighbours", 87.7, "below", False),
        (Comparator.REGION, "regional average", 88.8, "below", False),
        (Comparator.ENGLAND, "national average", 83.8, "above", True),
    ]
    assert got[0].source == "LAIT 2020" and got[0].year == "2020"
    assert got[0].difference == pytest.approx(85.2 - 87.7)
    assert got[2].difference == pytest.approx(85.2 - 83.8)


def test_polarity_none_never_claims_better_or_worse():
    ind = _indicator("CSC 181", Polarity.NONE, unit=Unit.RATE)
    data = _dataset(
        [ind],
        [
            _bench("CSC 181", "statistical neighbours", 53.9),
            _bench("CSC 181", "region", 70.0),
            _bench("CSC 181", "england", 42.8),
        ],
    )
    got = compare_benchmarks(ind, 39.2, benchmark_rows(data, [ind.key])[ind.key])
    assert [(b.relation, b.better) for b in got] == [("below", None)] * 3


def test_the_latest_year_of_a_benchmark_wins_and_written_names_are_understood():
    ind = _indicator("NI 59")
    data = _dataset(
        [ind],
        [
            _bench("NI 59", "National average", 80.0, "2019"),
            _bench("NI 59", "England", 82.0, "2020"),
            _bench("NI 59", "SN", 75.0, "2020"),
            _bench("NI 59", "somewhere else", 1.0, "2020"),
        ],
    )
    got = compare_benchmarks(ind, 81.0, benchmark_rows(data, [ind.key])[ind.key])
    assert [(b.comparator, b.value, b.year) for b in got] == [
        (Comparator.STATISTICAL_NEIGHBOURS, 75.0, "2020"),
        (Comparator.ENGLAND, 82.0, "2020"),
    ]


def test_no_value_means_no_benchmark_comparison():
    ind = _indicator("CSC 038")
    data = _dataset([ind], [_bench("CSC 038", "region", 88.8)])
    assert compare_benchmarks(ind, None, benchmark_rows(data, [ind.key])[ind.key]) == ()


def test_benchmark_rows_of_a_key_without_benchmarks_is_empty():
    ind = _indicator("CSC 038")
    data = _dataset([ind], [])
    assert benchmark_rows(data, [ind.key]) == {"CSC038": []}


def test_as_dict_is_json_ready():
    bench = BenchmarkComparison(
        Comparator.REGION, "regional average", 88.8, "LAIT 2020", "2020", -3.6, "below", False
    )
    comparison = Comparison(
        indicator=_indicator("CSC 038"), period=Period.of_month(Month(2020, 12)), value=85.2
    )
    assert bench.as_dict() == {
        "comparator": "region",
        "name": "regional average",
        "value": 88.8,
        "source": "LAIT 2020",
        "year": "2020",
        "difference": -3.6,
        "relation": "below",
        "better": False,
        "stale": False,
    }
    plain = json.loads(json.dumps(comparison.as_dict()))
    assert plain["code"] == "CSC 038" and plain["period"] == "Dec-20" and plain["value"] == 85.2


# -- finding indicators ------------------------------------------------------------------------

CODES = [_indicator(c, order=i) for i, c in enumerate(["CSC 022", "CSC 026", "CSC 038"])]


@pytest.mark.parametrize("written", ["CSC038", "csc 038", "CSC-038", " csc038 "])
def test_any_spelling_of_a_code_finds_it(written):
    assert find_indicator(_dataset(CODES, []), written).code == "CSC 038"


def test_an_unknown_code_suggests_the_nearest():
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator(_dataset(CODES, []), "CSC 22")
    assert str(caught.value) == "Indicator 'CSC 22' is not in the workbook. Did you mean 'CSC 022'?"


def test_a_code_with_nothing_near_lists_what_there_is():
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator(_dataset(CODES, []), "LAC01")
    assert str(caught.value) == (
        "Indicator 'LAC01' is not in the workbook. It has CSC 022, CSC 026, CSC 038."
    )


def test_select_by_code_then_section_each_once():
    others = [
        _indicator("CSC 181", section="Child Protection", order=3),
        _indicator("CSC 182", section="Child Protection", order=4),
    ]
    data = _dataset(CODES + others, [])
    got = select(data, ["csc182", "CSC 038"], ["child PROT"])
    assert [i.code for i in got] == ["CSC 182", "CSC 038", "CSC 181"]


def test_select_nothing_means_everything_in_workbook_order():
    data = _dataset(list(reversed(CODES)), [])
    assert [i.code for i in select(data)] == ["CSC 022", "CSC 026", "CSC 038"]


def test_an_unknown_section_names_the_sections():
    with pytest.raises(UnknownIndicator) as caught:
        select(_dataset(CODES, []), sections=["Adoption"])
    assert str(caught.value) == (
        "No section of the workbook contains 'Adoption'. Sections: Assessments - Timeliness."
    )


def test_differences_shown_are_between_the_figures_shown():
    assert shown_difference(85.25, 87.7, 1) == -2.4  # 85.3 against 87.7, not round(-2.45)
    assert shown_difference(534.0, 331.0, 0) == 203 and isinstance(
        shown_difference(534.0, 331.0, 0), int
    )
    assert shown_difference(None, 1.0, 1) is None


def test_as_dict_rounds_what_csckpi_works_out_and_keeps_what_the_workbook_gives():
    ind = _indicator("CSC 181", Polarity.NONE, unit=Unit.RATE)
    bench = compare_benchmarks(ind, 88 / 22450 * 10000, [_bench("CSC 181", "region", 70.04)])
    c = Comparison(
        indicator=ind,
        period=Period.of_month(Month(2020, 12)),
        value=88 / 22450 * 10000,
        numerator=88.0,
        benchmarks=bench,
        last_year=91 / 22450 * 10000,
    )
    d = c.as_dict()
    assert (d["value"], d["numerator"], d["last_year"], d["change"]) == (39.2, 88.0, 40.5, -1.3)
    assert [(x["comparator"], x["value"], x["difference"]) for x in d["comparisons"]] == [
        ("region", 70.04, -30.8),
        ("last year", 40.5, -1.3),
    ]
    assert c.benchmarks[0].difference == pytest.approx(88 / 22450 * 10000 - 70.04)
