"""Invariants of compute() over generated data (hypothesis)."""

from __future__ import annotations

import pytest
from compute_data import dataset, indicator, monthly_series
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from properties import examples

from csckpi.compute import compute, figures
from csckpi.periods import Month, Period

counts = st.lists(st.integers(0, 500), min_size=12, max_size=12)
levels = st.lists(
    st.floats(0, 1000, allow_nan=False, allow_infinity=False), min_size=12, max_size=12
)
fys = st.integers(2010, 2030)
SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def value(ds, period: Period, code: str) -> float | None:
    return compute(ds, period, keys=[code]).row(0, named=True)["value"]


@SETTINGS
@given(counts, fys)
def test_flow_quarters_add_up_to_the_year(figures_, fy):
    ds = dataset([indicator("F")], monthly_series("F", Month(fy, 4).iso, figures_))
    periods = [Period.of_quarter(fy, q) for q in range(1, 5)]
    periods += [Period.of_year(fy), Period.of_ytd(fy, Month(fy + 1, 3))]
    values = figures(ds, periods).sort("pid").get_column("value").to_list()
    assert sum(values[:4]) == values[4] == values[5] == sum(figures_)


@SETTINGS
@given(levels, fys)
def test_a_snapshot_quarter_is_its_last_month(figures_, fy):
    ds = dataset([indicator("S", "snapshot")], monthly_series("S", Month(fy, 4).iso, figures_))
    quarters = [Period.of_quarter(fy, q) for q in range(1, 5)]
    ends = [Period.of_month(q.last) for q in quarters]
    values = figures(ds, quarters + ends).sort("pid").get_column("value").to_list()
    assert values[:4] == values[4:] == [figures_[2], figures_[5], figures_[8], figures_[11]]


@SETTINGS
@given(counts, fys)
def test_cumulative_quarter_flows_add_up_to_the_year_to_date(figures_, fy):
    running = [sum(figures_[: i + 1]) for i in range(12)]
    ds = dataset([indicator("C", "cumulative")], monthly_series("C", Month(fy, 4).iso, running))
    quarters = [Period.of_quarter(fy, q) for q in range(1, 5)]
    frame = figures(ds, quarters).sort("pid")
    flows = frame.get_column("flow").to_list()
    assert flows == [sum(figures_[3 * (q - 1) : 3 * q]) for q in range(1, 5)]
    assert sum(flows) == frame.get_column("value").to_list()[-1] == sum(figures_)


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=3, max_size=3),
    fys,
)
def test_a_ratio_quarter_is_the_pooled_ratio(parts, fy):
    parts = [(min(n, d), d) for n, d in parts]
    start = Month(fy, 10).iso
    months = (
        monthly_series("R", start, [n / d * 100 for n, d in parts])
        + monthly_series("R", start, [n for n, _ in parts], "numerator")
        + monthly_series("R", start, [d for _, d in parts], "denominator")
    )
    ds = dataset([indicator("R", "ratio", "percent", "up")], months)
    pooled = sum(n for n, _ in parts) / sum(d for _, d in parts) * 100
    assert value(ds, Period.of_quarter(fy, 3), "R") == pytest.approx(pooled)


@SETTINGS
@given(
    st.sampled_from(["up", "down"]),
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
)
def test_rag_never_improves_when_the_value_moves_the_wrong_way(polarity, target, a, b):
    order = {"red": 0, "amber": 1, "green": 2}
    worse, better = sorted([a, b], reverse=polarity == "down")
    ds = dataset(
        [
            indicator("W", "snapshot", "percent", polarity, target, 5),
            indicator("B", "snapshot", "percent", polarity, target, 5),
        ],
        [("W", "2020-12", "value", worse), ("B", "2020-12", "value", better)],
    )
    rags = dict(compute(ds, Period.of_month(Month(2020, 12))).select("code", "rag").iter_rows())
    assert order[rags["W"]] <= order[rags["B"]]
