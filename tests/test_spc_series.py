"""The monthly series SPC reads (csckpi.compute.series): each month's own figure, a figure to
date taken apart, hand-worked."""

from __future__ import annotations

import pytest
from compute_data import dataset, indicator, monthly_series

from csckpi import spc
from csckpi.compute import compute, resolve_period
from csckpi.compute.series import TO_DATE
from csckpi.compute.series import monthly_series as series_of


def _values(data, code: str) -> list[float | None]:
    return series_of(data, [code]).get_column("value").to_list()


def test_a_cumulative_count_is_each_months_rise_and_april_its_own():
    # Feb..May: the year starts in April, so April's 5 is April's own count
    data = dataset(
        [indicator("C1", "cumulative", "count")],
        monthly_series("C1", "Feb-20", [80, 90, 5, 12, 20]),
    )
    assert _values(data, "C1") == [None, 10.0, 5.0, 7.0, 8.0]  # Feb: its month before is unknown


def test_a_missing_month_leaves_the_next_rise_unknown():
    data = dataset(
        [indicator("C1", "cumulative", "count")],
        monthly_series("C1", "Apr-20", [5, 12, None, 30, 41]),
    )
    assert _values(data, "C1") == [5.0, 7.0, None, 11.0]


def test_a_cumulative_percentage_is_the_rise_of_its_parts():
    rows = [
        *monthly_series("P1", "Apr-20", [50.0, 60.0, 62.5], "value"),
        *monthly_series("P1", "Apr-20", [5, 12, 25], "numerator"),
        *monthly_series("P1", "Apr-20", [10, 20, 40], "denominator"),
    ]
    data = dataset([indicator("P1", "cumulative", "percent")], rows)
    # April 5/10; May (12-5)/(20-10) = 70%; June (25-12)/(40-20) = 65%
    assert _values(data, "P1") == pytest.approx([50.0, 70.0, 65.0])


def test_other_measures_are_their_months_as_computed():
    data = dataset(
        [indicator("F1", "flow", "count"), indicator("S1", "snapshot", "count")],
        [*monthly_series("F1", "Apr-20", [3, 4, 5]), *monthly_series("S1", "Apr-20", [30, 31])],
    )
    assert _values(data, "F1") == [3.0, 4.0, 5.0]
    assert _values(data, "S1") == [30.0, 31.0]


@pytest.mark.parametrize(
    ("months", "reason"),
    [
        (9, "no control limits yet: they need 15 months, there are 9"),
        (1, "no control limits yet: they need 15 months, there is 1"),
        (20, TO_DATE),
    ],
)
def test_a_figure_to_date_without_parts_says_why_it_has_no_limits(months, reason):
    values = [50.0 + i % 3 for i in range(months)]
    data = dataset(
        [indicator("P1", "cumulative", "percent")], monthly_series("P1", "Apr-19", values)
    )
    period = resolve_period(data, None)
    row = compute(data, period, spc=spc.options()).row(0, named=True)
    assert row["spc_reason"] == reason
    assert row["variation"] is None
