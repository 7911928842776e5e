"""compute(): how months combine per measure, basis, reported figures, RAG and direction.

Each test builds a small Dataset (tests/datasets.py), computes one period and checks one row.
"""

from __future__ import annotations

import polars as pl
import pytest
from compute_data import dataset, indicator, monthly_series
from polars.testing import assert_frame_equal

from csckpi.compute import COLUMNS, annual, compute, monthly_values
from csckpi.errors import PeriodError
from csckpi.numbers import round_half_up
from csckpi.periods import Month, Period, parse_period


def row(ds, period: str, code: str) -> dict:
    frame = compute(ds, parse_period(period, Month(2020, 12)))
    found = frame.filter(pl.col("code") == code).to_dicts()
    assert len(found) == 1
    return found[0]


# -- flow ------------------------------------------------------------------------------------


def test_flow_quarter_is_the_sum_of_its_months():
    ds = dataset([indicator("F1")], monthly_series("F1", "2020-04", [1, 2, 3, 4, 5, 6, 7, 8, 9]))
    r = row(ds, "Q3 2020/21", "F1")
    assert (r["value"], r["basis"], r["reason"]) == (24, "computed", None)
    assert row(ds, "Q1 2020/21", "F1")["value"] == 6


def test_flow_month_is_the_month_and_says_so():
    ds = dataset([indicator("F1")], monthly_series("F1", "2020-10", [4, 5, 6]))
    r = row(ds, "Nov-20", "F1")
    assert (r["value"], r["basis"]) == (5, "month")


def test_flow_with_a_missing_month_has_no_value_and_says_which_month():
    ds = dataset([indicator("F1")], monthly_series("F1", "2020-10", [4, None, 6]))
    r = row(ds, "Q3 2020/21", "F1")
    assert r["value"] is None
    assert r["basis"] == "none"
    assert r["reason"] == (
        "no figure for Nov-20, so the Q3 2020/21 total is incomplete, "
        "and no Q3 2020/21 figure is reported"
    )


def test_flow_with_a_missing_month_falls_back_to_the_reported_figure():
    ds = dataset(
        [indicator("F1")],
        monthly_series("F1", "2020-10", [4, None, 6]),
        reported=[("F1", "Q3 2020/21", 17.0)],
    )
    r = row(ds, "Q3 2020/21", "F1")
    assert (r["value"], r["basis"], r["reported"]) == (17, "reported", 17)


# -- ratio -----------------------------------------------------------------------------------


def ratio_dataset(**kwargs):
    months = (
        monthly_series("R1", "2020-10", [100.0, 90.0, 10.0])
        + monthly_series("R1", "2020-10", [1, 9, 10], "numerator")
        + monthly_series("R1", "2020-10", [1, 10, 100], "denominator")
    )
    return dataset([indicator("R1", "ratio", "percent", "up", **kwargs)], months)


def test_ratio_quarter_is_sum_of_numerators_over_sum_of_denominators_not_a_mean():
    r = row(ratio_dataset(), "Q3 2020/21", "R1")
    mean_of_percentages = (100.0 + 90.0 + 10.0) / 3
    assert r["value"] == pytest.approx(20 / 111 * 100)
    assert r["value"] != pytest.approx(mean_of_percentages)
    assert (r["numerator"], r["denominator"], r["basis"]) == (20, 111, "computed")


def test_ratio_without_parts_uses_the_reported_figure_for_the_period():
    ds = dataset(
        [indicator("R2", "ratio", "percent", "up")],
        monthly_series("R2", "2020-10", [75.8, 63.6, 88.2]),
        reported=[("R2", "Q3 2020/21", 75.6)],
    )
    r = row(ds, "Q3 2020/21", "R2")
    assert (r["value"], r["basis"]) == (75.6, "reported")


def test_ratio_without_parts_or_reported_figure_is_never_averaged():
    ds = dataset(
        [indicator("R2", "ratio", "percent", "up")],
        monthly_series("R2", "2020-10", [75.8, 63.6, 88.2]),
    )
    r = row(ds, "Q3 2020/21", "R2")
    assert r["value"] is None
    assert r["reason"].startswith("percentages cannot be averaged over months")


def test_ratio_for_a_single_month_is_the_months_value():
    ds = dataset(
        [indicator("R2", "ratio", "percent", "up")],
        monthly_series("R2", "2020-10", [75.8, 63.6, 88.2]),
    )
    assert row(ds, "Dec-20", "R2")["value"] == 88.2


def test_ratio_with_a_zero_denominator_says_so():
    months = monthly_series("R3", "2020-12", [0], "numerator") + monthly_series(
        "R3", "2020-12", [0], "denominator"
    )
    ds = dataset([indicator("R3", "ratio", "percent", "up")], months)
    r = row(ds, "Dec-20", "R3")
    assert r["value"] is None
    assert r["reason"].startswith("the denominator for Dec-20 is 0")


# -- snapshot and cumulative -----------------------------------------------------------------


def test_snapshot_is_the_last_months_value():
    ds = dataset([indicator("S1", "snapshot")], monthly_series("S1", "2020-10", [292, 287, 284]))
    r = row(ds, "Q3 2020/21", "S1")
    assert (r["value"], r["basis"]) == (284, "month")


def test_snapshot_without_the_last_month_has_no_value():
    ds = dataset([indicator("S1", "snapshot")], monthly_series("S1", "2020-10", [292, 287]))
    ds_with_dec = dataset(
        [indicator("S1", "snapshot"), indicator("X")],
        [*monthly_series("S1", "2020-10", [292, 287]), ("X", "2020-12", "value", 1.0)],
    )
    r = row(ds_with_dec, "Q3 2020/21", "S1")
    assert r["value"] is None
    assert r["reason"] == "no figure for Dec-20, and no Q3 2020/21 figure is reported"
    assert ds.monthly.height == 2


def cumulative_dataset(**kwargs):
    return dataset(
        [indicator("C1", "cumulative")],
        monthly_series("C1", "2020-04", [46, 94, 142, 216, 277, 331, 383, 453, 534]),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("period", "value", "flow"),
    [
        ("Q3 2020/21", 534, 534 - 331),
        ("Q1 2020/21", 142, 142),
        ("2020/21 YTD", 534, 534),
        ("Dec-20", 534, 534 - 453),
        ("Apr-20", 46, 46),
    ],
)
def test_cumulative_is_the_last_month_and_its_flow_is_a_difference(period, value, flow):
    r = row(cumulative_dataset(), period, "C1")
    assert (r["value"], r["flow"]) == (value, flow)


def test_cumulative_flow_falls_back_to_a_reported_flow():
    ds = cumulative_dataset(reported=[("C1", "Q3 2019/20", 204.0, "flow")])
    r = compute(ds, parse_period("Q3 2019/20"))
    assert r.row(0, named=True)["flow"] == 204
    assert r.row(0, named=True)["value"] is None


def test_cumulative_flow_only_for_counts():
    ds = dataset(
        [indicator("C2", "cumulative", "percent", "up")],
        monthly_series("C2", "2020-10", [81.5, 83.7, 85.2]),
    )
    assert row(ds, "Q3 2020/21", "C2")["flow"] is None


@pytest.mark.parametrize(
    ("period", "previous", "change", "direction"),
    [
        ("Q3 2020/21", 331 - 142, 203 - 189, "up"),  # Q3's flow on Q2's, not 534 on 331
        ("Dec-20", 453 - 383, 81 - 70, "up"),
        ("Q1 2020/21", None, None, None),  # Q4 2019/20 has no months
        ("Apr-20", None, None, None),
    ],
)
def test_a_cumulative_count_is_compared_with_the_previous_periods_flow(
    period, previous, change, direction
):
    r = row(cumulative_dataset(), period, "C1")
    assert (r["previous"], r["previous_change"], r["previous_direction"]) == (
        previous,
        change,
        direction,
    )


def test_a_cumulative_rate_has_no_previous_period_and_a_percentage_compares_to_dates():
    ds = dataset(
        [
            indicator("CR", "cumulative", "rate"),
            indicator("CP", "cumulative", "percent", "up"),
        ],
        monthly_series("CR", "2020-04", [20.5, 40.1, 60.0, 80.2, 90.0, 100.3, 106.4, 112.0, 118.9])
        + monthly_series("CP", "2020-04", [80.0, 80.4, 80.1, 80.0, 79.9, 80.4, 81.5, 83.7, 85.2]),
    )
    rate = row(ds, "Q3 2020/21", "CR")
    assert (rate["previous"], rate["previous_change"], rate["previous_direction"]) == (
        None,
        None,
        None,
    )
    percent = row(ds, "Q3 2020/21", "CP")
    assert (percent["previous"], percent["previous_direction"]) == (80.4, "improved")
    assert percent["previous_change"] == pytest.approx(85.2 - 80.4)


def test_a_cumulative_counts_year_to_date_is_compared_with_last_years():
    months = [46, 94, 142, 216, 277, 331, 383, 453, 534]
    ds = dataset(
        [indicator("C1", "cumulative")],
        monthly_series("C1", "2019-04", [50, 100, 150, 200, 250, 300, 350, 400, 480, 550, 600, 650])
        + monthly_series("C1", "2020-04", months),
    )
    r = row(ds, "2020/21 YTD", "C1")
    assert (r["previous"], r["previous_change"], r["previous_direction"]) == (480, 54, "up")
    q3 = row(ds, "Q3 2020/21", "C1")
    assert (q3["flow"], q3["last_year_flow"], q3["flow_change"], q3["flow_direction"]) == (
        203,
        480 - 300,
        23,
        "up",
    )
    assert (q3["last_year"], q3["change"], q3["direction"]) == (480, 54, "up")  # to date


def test_a_period_known_only_by_its_reported_flow_says_so():
    ds = cumulative_dataset(reported=[("C1", "Q3 2019/20", 204.0, "flow")])
    r = compute(ds, parse_period("Q3 2019/20")).row(0, named=True)
    assert (r["value"], r["flow"]) == (None, 204)
    assert r["reason"] == (
        "the months of Q3 2019/20 have no figures: the workbook reports only the flow for "
        "Q3 2019/20 (the count in the period), not the year to date"
    )
    partial = dataset(
        [indicator("C1", "cumulative")],
        monthly_series("C1", "2020-04", [46, 94, 142, 216, 277, 331, 383, 453]),
        reported=[("C1", "Q3 2020/21", 203.0, "flow")],
    )
    q3 = compute(partial, parse_period("Q3 2020/21")).row(0, named=True)
    assert (q3["value"], q3["flow"]) == (None, 203)
    assert q3["reason"] == (
        "no figure for Dec-20: the workbook reports only the flow for Q3 2020/21 (the count in "
        "the period), not the year to date"
    )


# -- rates -----------------------------------------------------------------------------------


def test_rate_is_recomputed_from_numerator_and_that_years_population():
    ds = dataset(
        [indicator("RT", "snapshot", "rate")],
        [("RT", "2020-12", "value", 126.5), ("RT", "2020-12", "numerator", 284.0)],
        population=[(2019, 20000.0), (2020, 22450.0)],
    )
    r = row(ds, "Dec-20", "RT")
    assert r["value"] == pytest.approx(284 / 22450 * 10_000)
    assert round_half_up(r["value"], 1) == 126.5
    assert r["numerator"] == 284


def test_rate_uses_the_nearest_earlier_population_and_else_the_stored_rate():
    later = dataset(
        [indicator("RT", "snapshot", "rate")],
        [("RT", "2021-12", "value", 1.0), ("RT", "2021-12", "numerator", 284.0)],
        population=[(2020, 22450.0)],
    )
    values = monthly_values(later)
    assert values.get_column("value").to_list() == [pytest.approx(284 / 22450 * 10_000)]
    none = dataset(
        [indicator("RT", "snapshot", "rate")],
        [("RT", "2020-12", "value", 126.5), ("RT", "2020-12", "numerator", 284.0)],
    )
    assert monthly_values(none).get_column("value").to_list() == [126.5]


def test_monthly_values_fills_a_ratio_from_its_parts():
    ds = dataset(
        [indicator("R4", "ratio", "percent")],
        [("R4", "2020-12", "numerator", 455.0), ("R4", "2020-12", "denominator", 534.0)],
    )
    expected = pl.DataFrame(
        {
            "key": ["R4"],
            "month": [Month(2020, 12).date],
            "value": [455 / 534 * 100],
            "numerator": [455.0],
            "denominator": [534.0],
        }
    )
    assert_frame_equal(monthly_values(ds), expected)


# -- reported figures ------------------------------------------------------------------------


@pytest.mark.parametrize(("reported", "basis"), [(24.04, "computed"), (24.6, "differs")])
def test_a_reported_figure_that_disagrees_beyond_rounding_is_flagged(reported, basis):
    ds = dataset(
        [indicator("F1", decimals=1)],
        monthly_series("F1", "2020-10", [7, 8, 9]),
        reported=[("F1", "Q3 2020/21", reported)],
    )
    r = row(ds, "Q3 2020/21", "F1")
    assert (r["value"], r["basis"], r["reported"]) == (24, basis, reported)


def test_a_reported_year_to_date_answers_only_the_latest_year_to_date():
    ds = dataset(
        [indicator("R2", "ratio", "percent")],
        monthly_series("R2", "2020-04", [70.0] * 9),
        reported=[("R2", "2020/21 YTD", 77.7)],
    )
    assert row(ds, "2020/21 YTD", "R2")["value"] == 77.7
    sep = compute(ds, Period.of_ytd(2020, Month(2020, 9)))
    assert sep.get_column("value").to_list() == [None]


def test_a_bare_year_row_is_not_a_ratios_year_to_date_while_the_year_runs():
    # The workbook's "2020/21" cell of a monthly percentage holds the latest month (88.4 in
    # Dec-20), not the year to date: it answers the whole year only once the year is complete.
    ds = dataset(
        [indicator("R2", "ratio", "percent", "up", target=90)],
        monthly_series("R2", "2020-04", [94.6, 93.4, 94.3, 82.5, 83.6, 86.3, 85.3, 83.7, 88.4]),
        reported=[("R2", "2020/21", 88.4), ("R2", "2019/20", 89.0)],
    )
    r = row(ds, "Dec-20", "R2")
    assert (r["value"], r["ytd"]) == (88.4, None)
    ytd = row(ds, "2020/21 YTD", "R2")
    assert (ytd["value"], ytd["basis"], ytd["rag"]) == (None, "none", None)
    assert ytd["reason"] == (
        "percentages cannot be averaged over months, not every month of 2020/21 YTD has its "
        "numerator and denominator, and no 2020/21 YTD figure is reported"
    )
    year = compute(ds, parse_period("2019/20")).row(0, named=True)
    assert (year["value"], year["basis"]) == (89.0, "reported")


def test_a_bare_year_row_is_a_flows_year_once_complete_and_never_its_year_to_date():
    ds = dataset(
        [indicator("F1")],
        monthly_series("F1", "2019-04", [1] * 12 + [2] * 8 + [None]),
        reported=[("F1", "2019/20", 12.0), ("F1", "2020/21", 7.0)],
    )
    assert row(ds, "2019/20", "F1")["basis"] == "computed"  # 12 agrees with the months
    ytd = row(ds, "2020/21 YTD", "F1")  # Dec-20 has no figure: the total is incomplete
    assert (ytd["value"], ytd["reported"], ytd["basis"]) == (None, None, "none")


def test_a_bare_year_row_is_the_year_to_date_of_a_cumulative_or_snapshot_indicator():
    ds = dataset(
        [indicator("C2", "cumulative", "percent", "up"), indicator("S2", "snapshot")],
        monthly_series("C2", "2020-10", [89.1, 88.6, 88.2]) + monthly_series("S2", "2020-12", [5]),
        reported=[("C2", "2020/21", 88.2), ("S2", "2020/21", 7.0)],
    )
    c2 = row(ds, "2020/21 YTD", "C2")
    assert (c2["value"], c2["reported"], c2["basis"]) == (88.2, 88.2, "month")
    s2 = row(ds, "2020/21 YTD", "S2")
    assert (s2["value"], s2["reported"], s2["basis"]) == (5, 7, "differs")


def test_the_annual_trend_shows_a_running_years_bare_row_as_the_workbooks_figure():
    ds = dataset(
        [indicator("R2", "ratio", "percent"), indicator("R3", "ratio", "percent")],
        monthly_series("R2", "2020-04", [80.0] * 9) + monthly_series("R3", "2020-04", [70.0] * 9),
        reported=[("R2", "2020/21", 88.4), ("R3", "2020/21 YTD", 77.7), ("R3", "2020/21", 1.0)],
    )
    rows = annual(ds).filter(pl.col("fy") == 2020).select("key", "year", "value", "basis").rows()
    assert rows == [("R2", "2020/21", 88.4, "reported"), ("R3", "2020/21 YTD", 77.7, "reported")]


@pytest.mark.parametrize(
    ("period", "reported", "reason"),
    [
        ("Q3 2020/21", 85.8, None),
        (
            "Q3 2020/21",
            100.0,
            "the workbook reports 100.0% for Q3 2020/21, outside its months' 80.0%–87.5%: "
            "a figure pooled over the months lies between them",
        ),
        (
            "2020/21 YTD",
            79.94,
            "the workbook reports 79.9% for 2020/21 YTD, outside its months' 80.0%–100.0%: "
            "a figure pooled over the months lies between them",
        ),
        ("2020/21 YTD", 79.96, None),  # shown as 80.0: within rounding
    ],
)
def test_a_reported_percentage_outside_its_months_range_is_flagged(period, reported, reason):
    ds = dataset(
        [indicator("R2", "ratio", "percent", "up")],
        monthly_series("R2", "2020-04", [80.0, 100.0, 100.0, 100.0, 100.0, 85.7, 87.5, 80.0, 85]),
        reported=[("R2", period, reported)],
    )
    r = row(ds, period, "R2")
    assert (r["value"], r["basis"], r["reason"]) == (reported, "reported", reason)


# -- distinct --------------------------------------------------------------------------------


def distinct_dataset(**kwargs):
    return dataset(
        [indicator("D1", "distinct")],
        monthly_series("D1", "2020-04", [5, 8, 6, 6, 5, 4, 3, 10, 8]),
        **kwargs,
    )


def test_a_distinct_count_is_never_summed_over_months():
    r = row(distinct_dataset(), "Q3 2020/21", "D1")
    assert (r["value"], r["basis"], r["flow"]) == (None, "none", None)
    assert r["reason"] == (
        "a distinct count (each person counted once) cannot be added up over months, "
        "and no Q3 2020/21 figure is reported"
    )
    assert row(distinct_dataset(), "Dec-20", "D1")["ytd"] is None


def test_a_distinct_count_uses_the_reported_figure_for_a_period_and_the_month_for_a_month():
    ds = distinct_dataset(
        reported=[("D1", "Q3 2020/21", 16.0), ("D1", "2020/21 YTD", 26.0), ("D1", "2020/21", 9.0)]
    )
    r = row(ds, "Q3 2020/21", "D1")
    assert (r["value"], r["basis"], r["ytd"]) == (16, "reported", 26)
    month = row(ds, "Dec-20", "D1")
    assert (month["value"], month["basis"], month["ytd"]) == (8, "month", 26)
    # the workbook's year to date is at its latest month (Dec-20), not at Nov-20
    assert row(ds, "Nov-20", "D1")["ytd"] is None


# -- RAG and direction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "tolerance", "value", "rag"),
    [
        ("up", 90, None, 90.0, "green"),
        ("up", 90, None, 89.96, "green"),  # shown as 90.0: judged as shown
        ("up", 90, None, 89.9, "red"),
        ("up", 90, 5, 86.0, "amber"),
        ("up", 90, 5, 84.9, "red"),
        ("down", 10, None, 6.7, "green"),
        ("down", 10, 2, 11.5, "amber"),
        ("down", 10, 2, 12.1, "red"),
        ("none", 10, None, 12.0, None),
        ("up", None, None, 12.0, None),
    ],
)
def test_rag_through_polarity_and_tolerance(polarity, target, tolerance, value, rag):
    ds = dataset(
        [indicator("P1", "snapshot", "percent", polarity, target, tolerance)],
        [("P1", "2020-12", "value", value)],
    )
    assert row(ds, "Dec-20", "P1")["rag"] == rag


@pytest.mark.parametrize(
    ("polarity", "before", "after", "direction"),
    [
        ("up", 80.0, 85.0, "improved"),
        ("up", 85.0, 80.0, "worsened"),
        ("down", 10.7, 6.7, "improved"),
        ("down", 6.7, 10.7, "worsened"),
        ("none", 280.0, 284.0, "up"),
        ("none", 284.0, 280.0, "down"),
        ("up", 85.04, 85.0, "unchanged"),
    ],
)
def test_direction_against_last_year_through_polarity(polarity, before, after, direction):
    ds = dataset(
        [indicator("P1", "snapshot", "percent", polarity)],
        [("P1", "2020-12", "value", after)],
        reported=[("P1", "2019-12", before)],
    )
    r = row(ds, "Dec-20", "P1")
    assert (r["last_year"], r["direction"]) == (before, direction)
    assert r["change"] == pytest.approx(after - before)


def test_previous_period_and_year_to_date():
    ds = dataset([indicator("F1", polarity="up")], monthly_series("F1", "2020-04", [1] * 9))
    r = row(ds, "Q3 2020/21", "F1")
    assert (r["previous"], r["previous_change"], r["previous_direction"]) == (3, 0, "unchanged")
    assert r["ytd"] == 9


# -- the frame -------------------------------------------------------------------------------


def test_one_row_per_indicator_in_workbook_order_with_the_documented_columns():
    ds = dataset(
        [indicator("B", order=2), indicator("A", order=1), indicator("C", order=3)],
        monthly_series("A", "2020-12", [1]),
    )
    frame = compute(ds, Period.of_month(Month(2020, 12)))
    assert tuple(frame.columns) == COLUMNS
    assert frame.get_column("code").to_list() == ["A", "B", "C"]
    assert frame.get_column("period").to_list() == ["Dec-20"] * 3
    assert (
        frame.get_column("reason").to_list()[1:]
        == ["no figures for Dec-20, and no Dec-20 figure is reported"] * 2
    )


def test_keys_select_indicators_and_input_is_unchanged():
    ds = dataset([indicator("A"), indicator("B")], monthly_series("A", "2020-12", [1]))
    before = ds.monthly.clone()
    frame = compute(ds, Period.of_month(Month(2020, 12)), keys=["B"])
    assert frame.get_column("key").to_list() == ["B"]
    assert_frame_equal(ds.monthly, before)


def test_a_year_to_date_needs_an_end():
    ds = dataset([indicator("A")])
    with pytest.raises(PeriodError):
        compute(ds, Period.of_ytd(2020))


@pytest.mark.parametrize("written", ["distinct", "Distinct count", "unique"])
def test_the_workbook_reads_a_distinct_measure_and_the_template_offers_it(tmp_path, written):
    from openpyxl import load_workbook
    from workbook_factory import base, write

    from csckpi.model import Measure, parse_choice
    from csckpi.workbook import read
    from csckpi.workbook.template import write_template

    assert parse_choice(Measure, written) is Measure.DISTINCT
    sheets = base()
    sheets["Indicators"][2][5] = written  # CSC 201
    result = read(write(tmp_path / "w.xlsx", sheets))
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.dataset is not None
    assert result.dataset.indicator("CSC201").measure is Measure.DISTINCT
    template = tmp_path / "template.xlsx"
    write_template(template, fy=2020)
    choices = [
        v.formula1 for v in load_workbook(template)["Indicators"].data_validations.dataValidation
    ]
    assert any("distinct" in (formula or "") for formula in choices)
