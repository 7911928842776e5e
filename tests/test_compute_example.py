"""compute() on the example workbook: the figures the reference report prints.

The same checks run on the workbook as the reader reads it and on its plain-text source, so a
difference between the two shows up as a failure of one of them.
"""

from __future__ import annotations

import polars as pl
import pytest
from compute_data import from_source, with_cell

from csckpi.compute import annual, compute, latest_month, monthly_values, resolve_period
from csckpi.dataset import Dataset
from csckpi.numbers import round_half_up as shown
from csckpi.periods import Month


@pytest.fixture(scope="module", params=["workbook", "source"])
def example(request) -> Dataset:
    if request.param == "source":
        return from_source()
    from conftest import EXAMPLE

    from csckpi.workbook import read_dataset

    return read_dataset(EXAMPLE)


def figure(ds: Dataset, period: str, code: str) -> dict:
    rows = compute(ds, resolve_period(ds, period)).filter(pl.col("code") == code).to_dicts()
    assert len(rows) == 1, code
    return rows[0]


def test_the_latest_month_is_december_2020(example):
    assert latest_month(example) == Month(2020, 12)
    assert resolve_period(example, None).label == "Dec-20"


def test_csc036_q3_is_534_to_date_and_203_in_the_quarter(example):
    r = figure(example, "Q3 2020/21", "CSC 036")
    assert (r["value"], r["flow"]) == (534, 203)
    assert r["last_year_flow"] == 204  # reported: Q3 2019/20
    # the quarter's flow on Q2's (331 - 142 = 189), not the running total on Q2's 331
    assert (r["previous"], r["previous_change"], r["previous_direction"]) == (189, 14, "up")


def test_csc036_q3_2019_20_has_its_reported_flow_and_says_why_it_has_no_value(example):
    r = figure(example, "Q3 2019/20", "CSC 036")
    assert (r["value"], r["flow"]) == (None, 204)
    assert r["reason"].startswith("the months of Q3 2019/20 have no figures: the workbook reports")


def test_csc164_a_cumulative_rate_has_no_previous_quarter(example):
    r = figure(example, "Q3 2020/21", "CSC 164")
    assert (r["previous"], r["previous_change"], r["previous_direction"]) == (None, None, None)


def test_csc038_year_to_date_is_85_2(example):
    r = figure(example, "2020/21 YTD", "CSC 038")
    assert shown(r["value"], 1) == 85.2
    assert r["basis"] == "month"  # the reported 85.2 agrees
    assert (r["numerator"], r["denominator"]) == (455, 534)


def test_csc201_and_the_rate_recomputed_from_it(example):
    assert figure(example, "Dec-20", "CSC 201")["value"] == 284
    rate = figure(example, "Dec-20", "CSC 200")
    assert rate["numerator"] == 284
    assert rate["value"] == pytest.approx(284 / 22455 * 10_000)
    assert shown(rate["value"], 1) == 126.5


def test_csc166_q3_is_76(example):
    r = figure(example, "Q3 2020/21", "CSC 166")
    assert (r["value"], r["basis"]) == (76, "computed")


def test_csc022_december_is_red_against_90(example):
    r = figure(example, "Dec-20", "CSC 022")
    assert (r["value"], r["target"], r["rag"]) == (88.2, 90, "red")


def test_csc228_december_is_green_lower_being_better(example):
    r = figure(example, "Dec-20", "CSC 228")
    assert (r["value"], r["target"], r["polarity"], r["rag"]) == (6.7, 10, "down", "green")
    assert (r["last_year"], r["direction"]) == (10.7, "improved")


def test_csc201_has_no_rag(example):
    r = figure(example, "Dec-20", "CSC 201")
    assert r["target"] is None
    assert r["rag"] is None
    assert (r["last_year"], r["direction"]) == (280, "up")


def test_csc022_q3_is_the_reported_figure_not_a_mean_of_months(example):
    r = figure(example, "Q3 2020/21", "CSC 022")
    months = [75.8, 63.6, 88.2]
    assert (r["value"], r["basis"]) == (75.6, "reported")
    assert r["value"] != pytest.approx(sum(months) / 3)
    assert r["ytd"] == 77.7


def test_a_distinct_count_is_the_reported_figure_never_the_sum_of_months(example):
    # CSC 246C counts each child once: the months add to 21 in Q3 and 55 to date, the
    # workbook says 16 and 26.
    q3 = figure(example, "Q3 2020/21", "CSC 246C")
    assert (q3["measure"], q3["value"], q3["basis"], q3["ytd"]) == ("distinct", 16, "reported", 26)
    ytd = figure(example, "2020/21 YTD", "CSC 246C")
    assert (ytd["value"], ytd["basis"]) == (26, "reported")
    q2 = figure(example, "Q2 2020/21", "CSC 246C")
    assert (q2["value"], q2["reason"]) == (
        None,
        "a distinct count (each person counted once) cannot be added up over months, "
        "and no Q2 2020/21 figure is reported",
    )


@pytest.mark.parametrize("code", ["CSC 252a", "CSC 260a", "CSC 178", "CSC IHA"])
def test_a_monthly_percentages_bare_2020_21_cell_is_not_its_year_to_date(example, code):
    # The "2020/21" annual-trend cell of a year still running holds the latest month's figure
    # (CSC 252a: Dec-20's 88.4), not a year to date; CSC 252b holds the true one (88.2).
    for period in ("Dec-20", "Q3 2020/21", "2020/21 YTD"):
        r = figure(example, period, code)
        assert r["ytd"] is None, (code, period)
    trend = annual(example, [code]).filter(pl.col("fy") == 2020).row(0, named=True)
    assert (trend["year"], trend["basis"]) == ("2020/21", "reported")
    assert figure(example, "2020/21 YTD", "CSC 252b")["value"] == pytest.approx(88.2)


def test_every_indicator_has_a_value_or_a_reason(example):
    frame = compute(example, resolve_period(example, "Q3 2020/21"))
    assert frame.height == len(example.indicators)
    missing = frame.filter(pl.col("value").is_null())
    assert missing.get_column("reason").null_count() == 0
    assert set(missing.get_column("code")) == {"CSC 026", "CSC 032M"}


def test_monthly_values_recompute_rates_for_every_month(example):
    """CSC 200 worked out from CSC 201's counts and the 0-17 population of 22,455 reads as the
    report prints it every month (Aug-20: 303 / 22,455 x 10,000 = 134.94, Oct-20: 292 ->
    130.04), so each month's basis is the workbook's own."""
    months = monthly_values(example, ["CSC 200"])
    assert months.height == 9
    recomputed = [shown(v, 1) for v in months.get_column("value")]
    assert recomputed == [124.7, 127.8, 129.6, 134.5, 134.9, 134.5, 130.0, 127.8, 126.5]
    assert months.get_column("value")[4] == pytest.approx(303 / 22455 * 10_000)
    for month in ("Aug-20", "Oct-20", "Dec-20"):
        assert figure(example, month, "CSC 200")["basis"] == "month", month


def test_a_rate_cell_its_count_does_not_give_is_worked_out_again(example):
    """The example with CSC 200's Aug-20 cell typed as 134.8: the month's rate is worked out
    from its count (303 -> 134.9) and the workbook's 134.8 is kept as reported, basis
    `differs`; the months beside it are untouched."""
    changed = with_cell(example, "CSC 200", "2020-08", 134.8)
    august = figure(changed, "Aug-20", "CSC 200")
    assert (shown(august["value"], 1), august["reported"], august["basis"]) == (
        134.9,
        134.8,
        "differs",
    )
    assert figure(changed, "Oct-20", "CSC 200")["basis"] == "month"
    assert figure(example, "Aug-20", "CSC 200")["basis"] == "month"  # the example unchanged


def test_annual_trend_of_csc036(example):
    rows = annual(example, ["CSC 036"]).select("year", "value", "basis").rows()
    assert rows == [
        ("2017/18", 1002, "reported"),
        ("2018/19", 1025, "reported"),
        ("2019/20", 950, "reported"),
        ("2020/21 YTD", 534, "month"),
    ]
