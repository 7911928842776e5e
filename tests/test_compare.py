"""`compare` on the example's figures: the facts the analyst writes a paragraph from."""

from __future__ import annotations

import pytest
from compute_data import dataset, indicator, monthly_series, with_cell
from conftest import EXAMPLE

from csckpi.compare import compare, compare_many
from csckpi.compute import compute, resolve_period
from csckpi.errors import UnknownIndicator
from csckpi.model import Comparator, Direction, Rag
from csckpi.periods import Month, Period
from csckpi.workbook import read_dataset


def example_figures():
    """The example workbook (examples/darlington-2020-21-q3.xlsx), read once per module."""
    assert EXAMPLE.exists(), "build it: python examples/build_example.py"
    return read_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def example():
    return example_figures()


def _benchmarks(comparison):
    return [
        (b.comparator, b.value, b.relation, b.better) for b in comparison.facts.value.benchmarks
    ]


def test_csc038_year_to_date_against_target_and_benchmarks(example):
    c = compare(example, resolve_period(example, "2020/21 YTD"), "CSC038")
    assert c.indicator.code == "CSC 038"
    assert c.period == Period.of_ytd(2020, Month(2020, 12))
    assert c.value == pytest.approx(85.2)
    assert (c.numerator, c.denominator) == (455, 534)
    assert (c.target, c.target_relation, c.target_better, c.rag) == (90, "below", False, Rag.RED)
    assert _benchmarks(c) == [
        (Comparator.STATISTICAL_NEIGHBOURS, 87.7, "below", False),
        (Comparator.REGION, 88.8, "below", False),
        (Comparator.ENGLAND, 83.8, "above", True),
    ]
    assert all((b.source, b.year) == ("LAIT 2020", "2019/20") for b in c.benchmarks)
    assert c.council == "Darlington"


def test_csc181_polarity_none_claims_nothing(example):
    c = compare(example, resolve_period(example, "Dec-20"), "csc 181")
    assert c.value == pytest.approx(39.2, abs=0.05)
    assert c.target is None and c.target_relation is None and c.rag is None
    assert _benchmarks(c) == [
        (Comparator.STATISTICAL_NEIGHBOURS, 53.9, "below", None),
        (Comparator.REGION, 70.0, "below", None),
        (Comparator.ENGLAND, 42.8, "below", None),
    ]
    assert c.benchmark(Comparator.REGION).name == "regional average"


def test_csc228_better_than_the_same_month_last_year(example):
    c = compare(example, resolve_period(example, "2020-12"), "CSC228")
    assert c.value == pytest.approx(6.7)
    assert c.last_year_period == Period.of_month(Month(2019, 12))
    assert c.last_year == pytest.approx(10.7)
    assert c.change == pytest.approx(-4.0)
    assert c.direction is Direction.IMPROVED
    assert c.last_year_better is True
    last_year = [a for a in c.against() if a["comparator"] == "last year"]
    assert last_year == [
        {
            "comparator": "last year",
            "name": "same period last year",
            "value": pytest.approx(10.7),
            "source": None,
            "year": "Dec-19",
            "difference": pytest.approx(-4.0),
            "relation": "below",
            "better": True,
        }
    ]


def test_the_trend_and_months_of_the_year(example):
    c = compare(example, resolve_period(example, "Dec-20"), "CSC 038")
    assert [(a.label, a.value, a.is_ytd) for a in c.annual] == [
        ("2017/18", pytest.approx(93.3), False),
        ("2018/19", pytest.approx(81.5), False),
        ("2019/20", pytest.approx(88.7), False),
        ("2020/21 YTD", pytest.approx(85.2), True),
    ]
    assert [m.month.short for m in c.months][:1] + [m.month.short for m in c.months][-1:] == [
        "Apr-20",
        "Mar-21",
    ]
    values = [m.value for m in c.months]
    assert values[:3] == [pytest.approx(71.7), pytest.approx(62.8), pytest.approx(75.4)]
    assert values[8] == pytest.approx(85.2)
    assert values[9:] == [None, None, None]
    assert c.ytd_period == Period.of_ytd(2020, Month(2020, 12))
    assert c.previous_period == Period.of_month(Month(2020, 11))
    assert c.previous == pytest.approx(83.7)


def test_a_quarter_of_a_cumulative_count_has_its_flow(example):
    c = compare(example, resolve_period(example, "Q3 2020/21"), "CSC036")
    assert (c.value, c.flow) == (534, 203)
    assert c.last_year_flow == 204  # Q3 2019/20, from the workbook's reported figures


def test_compare_many_agrees_with_compute_and_keeps_the_order_asked(example):
    period = resolve_period(example, "Q3 2020/21")
    keys = ["CSC228", "CSC038", "CSC181"]
    many = compare_many(example, period, keys)
    assert [c.key for c in many] == keys
    figures = compute(example, period, keys)
    by_key = {r["key"]: r for r in figures.iter_rows(named=True)}
    for c in many:
        row = by_key[c.key]
        assert (c.value, c.ytd, c.last_year, c.previous, c.basis) == (
            row["value"],
            row["ytd"],
            row["last_year"],
            row["previous"],
            row["basis"],
        )
        assert c == compare(example, period, c.key)


def test_compare_many_computes_once(example, monkeypatch):
    import csckpi.compute as figures

    calls = []
    real = figures.compute
    monkeypatch.setattr(figures, "compute", lambda *a, **k: calls.append(a) or real(*a, **k))
    compare_many(example, resolve_period(example, "Dec-20"), ["CSC038", "CSC181", "CSC228"])
    assert len(calls) == 1


def test_an_unknown_code_is_refused_with_the_nearest(example):
    with pytest.raises(UnknownIndicator, match=r"Did you mean 'CSC 022'\?"):
        compare(example, resolve_period(example, None), "CSC 22")


def test_no_figure_says_why():
    data = dataset(
        [indicator("A1", measure="ratio", unit="percent", polarity="up", target=90, decimals=1)],
        monthly_series("A1", "2020-04", [80.0, 85.0, 70.0]),
    )
    c = compare(data, resolve_period(data, "Q1 2020/21"), "A1")
    assert c.value is None and c.reason
    assert c.target_relation is None and c.benchmarks == () and c.against() == []


def test_in_line_with_a_target_at_the_decimals_shown():
    data = dataset(
        [indicator("A1", measure="snapshot", unit="percent", polarity="up", target=90, decimals=0)],
        monthly_series("A1", "2020-04", [89.6]),
    )
    c = compare(data, resolve_period(data, "2020-04"), "A1")
    assert (c.target_relation, c.target_better, c.rag) == ("in line", None, Rag.GREEN)


def test_a_recomputed_monthly_rate_keeps_the_workbooks_own_cell_where_they_differ(example):
    """CSC 200: each month's rate is its count / the 0-17 population x 10,000. In the example
    every month reads as the workbook's own cell (Oct-20: 292 / 22,455 = 130.04, the cell
    130.0), so no month carries one; with Oct-20's cell typed as 130.3, the month shows 130.0
    with the workbook's 130.3 kept beside it, so the months say which figure is used."""
    from csckpi.render.comparison import plain_text

    c = compare(example, Period.of_quarter(2020, 3), "CSC200")
    assert c.population == 22455
    by_month = {m.month.short: (round(m.value, 1), m.workbook) for m in c.months if m.value}
    assert by_month["Oct-20"] == (130.0, None)
    assert by_month["Dec-20"] == (126.5, None)  # 126.477 and 126.5 show the same
    assert all(m.workbook is None for m in c.months)
    assert "workbook" not in plain_text([c], [None])

    changed = with_cell(example, "CSC 200", "2020-10", 130.3)
    c = compare(changed, Period.of_quarter(2020, 3), "CSC200")
    by_month = {m.month.short: (round(m.value, 1), m.workbook) for m in c.months if m.value}
    assert by_month["Oct-20"] == (130.0, 130.3)
    assert by_month["Nov-20"] == (127.8, None)
    assert c.as_dict()["months"][6] == {"month": "2020-10", "value": 130.0, "workbook": 130.3}
    assert c.as_dict()["months"][8] == {"month": "2020-12", "value": 126.5}
    lines = plain_text([c], [None]).splitlines()
    assert any(
        line.startswith("    Oct-20") and line.endswith("130.0  (workbook 130.3)") for line in lines
    )
    # a count is never recomputed, so it has no workbook figure beside it
    assert all(
        m.workbook is None for m in compare(example, Period.of_quarter(2020, 3), "CSC201").months
    )


def test_a_running_total_is_compared_with_the_period_before_by_its_own_counts(example):
    # CSC 036 holds assessments year to date: Q2 ended at 331 (Q2's own count 189), Q3 at 534
    # (203). Against Q2, the quarter is 14 higher, not 534 - 189.
    c = compare(example, Period.of_quarter(2020, 3), "CSC 036")
    assert (c.value, c.flow, c.previous) == (534, 203, 189)
    assert c.against_previous == 203
    assert c.as_dict()["previous_change"] == 14
    assert c.previous_direction is Direction.UP
