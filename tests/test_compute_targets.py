"""A target belongs to a financial year and a length of period (issue 14): compute judges each
period by its own year's target, made for the period's length where the figure grows with it."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from csckpi.compute import compute
from csckpi.dataset import Dataset, target_schema
from csckpi.model import normalise_code
from csckpi.periods import Month, Period, parse_period
from tests.compute_data import dataset, indicator

# 2019-04 .. 2021-03: a flow of 10 a month, a distinct count of 4 a month, a cumulative count
# running up by 10 a month, a percentage of 80 at each month end.
_MONTHS = [Month(2019, 4) + i for i in range(24)]


def _base() -> Dataset:
    indicators = [
        indicator("F 1", "flow", "count", "down", target=12, tolerance=2),
        indicator("D 1", "distinct", "count", "down", target=5),
        indicator("C 1", "cumulative", "count", "up", target=50),
        indicator("P 1", "snapshot", "percent", "up", target=75, tolerance=5),
    ]
    monthly = []
    for m in _MONTHS:
        since_april = m.index - Month(m.fy, 4).index + 1
        monthly += [
            ("F 1", m.iso, "value", 10.0),
            ("D 1", m.iso, "value", 4.0),
            ("C 1", m.iso, "value", 10.0 * since_april),
            ("P 1", m.iso, "value", 80.0),
        ]
    return dataset(indicators, monthly, reported=[("D 1", "Q3 2020/21", 9.0)])


def _with_targets(
    ds: Dataset, rows: list[tuple[str, str, float, float | None, str | None]]
) -> Dataset:
    records = []
    for code, year, target, tolerance, per in rows:
        for part, value in (("target", target), ("tolerance", tolerance)):
            if value is not None:
                records.append(
                    {
                        "key": normalise_code(code),
                        "code": code,
                        "year": year,
                        "part": part,
                        "per": per,
                        "value": value,
                        "sheet": "Targets",
                        "cell": "",
                    }
                )
    return dataclasses.replace(ds, targets=pl.DataFrame(records, schema=target_schema()))


def _row(ds: Dataset, period: str, code: str) -> dict[str, object]:
    p = parse_period(period)
    if p.kind.value == "ytd" and p.end is None:
        p = Period.of_ytd(p.fy, Month(p.fy + 1, 3) if p.fy < 2020 else Month(2020, 12))
    frame = compute(ds, p)
    return frame.filter(pl.col("code") == code).row(0, named=True)


def test_a_flow_count_monthly_target_is_made_the_quarter_s_and_the_year_to_date_s() -> None:
    ds = _base()
    month = _row(ds, "2020-12", "F 1")
    assert (month["target"], month["tolerance"], month["rag"]) == (12, 2, "green")
    quarter = _row(ds, "Q3 2020/21", "F 1")
    # 30 events in the quarter against 3 x 12 = 36, not against 12 (which would be red)
    assert (quarter["value"], quarter["target"], quarter["tolerance"]) == (30, 36, 6)
    assert quarter["rag"] == "green" and quarter["target_scale"] == 3
    assert quarter["target_per"] == "month" and quarter["span"] == 3
    assert quarter["ytd_target"] == 9 * 12  # the year to date at December: nine months
    year = _row(ds, "2019/20", "F 1")
    assert (year["value"], year["target"]) == (120, 144)


def test_a_year_s_target_for_a_flow_is_a_twelfth_a_month_and_a_quarter_a_quarter() -> None:
    ds = _with_targets(_base(), [("F 1", "2020/21", 120, None, "year")])
    assert _row(ds, "2020-12", "F 1")["target"] == 10
    assert _row(ds, "Q3 2020/21", "F 1")["target"] == 30
    # a quarter's target of 40 is 40 for a quarter and 160 for the year
    ds = _with_targets(_base(), [("F 1", "2020/21", 40, None, "quarter")])
    assert _row(ds, "Q3 2020/21", "F 1")["target"] == 40
    assert _row(ds, "2019/20", "F 1")["target"] == 144  # 2019/20 has no row: 12 a month


def test_a_distinct_count_is_compared_only_with_a_target_of_its_own_length() -> None:
    ds = _base()
    month = _row(ds, "2020-12", "D 1")
    assert (month["target"], month["rag"]) == (5, "green")
    quarter = _row(ds, "Q3 2020/21", "D 1")
    assert quarter["value"] == 9  # the workbook's reported figure: children counted once
    # 5 children a month says nothing about how many in a quarter: withheld, not 15
    assert quarter["target"] is None and quarter["rag"] is None
    assert quarter["target_scale"] is None and quarter["target_per"] == "month"
    ds = _with_targets(_base(), [("D 1", "2020/21", 8, None, "quarter")])
    assert _row(ds, "Q3 2020/21", "D 1")["target"] == 8
    assert _row(ds, "Q3 2020/21", "D 1")["rag"] == "red"
    assert _row(ds, "2020-12", "D 1")["target"] is None


def test_a_cumulative_count_s_year_to_date_target_is_for_its_value_not_its_flow() -> None:
    ds = _base()
    q3 = _row(ds, "Q3 2020/21", "C 1")
    assert (q3["value"], q3["target"], q3["rag"]) == (90, 50, "green")
    assert q3["target_per"] == "ytd" and q3["span"] == 9
    assert q3["flow_target"] is None  # the quarter's own 30 is not a year to date
    ds = _with_targets(_base(), [("C 1", "2020/21", 120, None, "year")])
    q3 = _row(ds, "Q3 2020/21", "C 1")
    assert q3["target"] == 90 and q3["flow_target"] == 30  # nine and three months of 120 a year


@pytest.mark.parametrize("period", ["2020-12", "Q3 2020/21", "2019/20"])
def test_a_percentage_target_is_its_target_whatever_the_period(period: str) -> None:
    ds = _with_targets(_base(), [("P 1", "2020/21", 90, 5, "month")])
    row = _row(ds, period, "P 1")
    if period == "2019/20":
        assert (row["target"], row["tolerance"], row["rag"]) == (75, 5, "green")
        assert row["target_year"] is None
    else:
        assert (row["target"], row["tolerance"], row["rag"]) == (90, 5, "red")
        assert row["target_year"] == "2020/21" and row["span"] is None


def test_a_year_s_row_changes_that_year_only() -> None:
    ds = _with_targets(_base(), [("P 1", "2019/20", 85, None, None)])
    assert _row(ds, "Q3 2019/20", "P 1")["rag"] == "red"
    assert _row(ds, "Q3 2019/20", "P 1")["tolerance"] is None  # the row gives none
    assert _row(ds, "Q3 2020/21", "P 1")["rag"] == "green"
    assert _row(ds, "Q3 2020/21", "P 1")["target"] == 75


def test_without_a_targets_sheet_a_level_is_judged_as_before() -> None:
    ds = _base()
    for period in ("2020-12", "Q3 2020/21", "2019/20"):
        row = _row(ds, period, "P 1")
        assert (row["target"], row["tolerance"], row["target_scale"]) == (75, 5, 1)


def _month_targets(ds: Dataset, month: Month) -> dict[str, float | None]:
    from csckpi.compute.inputs import indicator_frame
    from csckpi.compute.targets import month_targets

    frame = month_targets(ds, month, indicator_frame(ds))
    return dict(zip(frame.get_column("key"), frame.get_column("target"), strict=True))


def test_a_month_s_own_figure_is_set_against_its_year_s_target_for_one_month() -> None:
    """What SPC's assurance compares with the limits: the year's target, for one month."""
    plain = _month_targets(_base(), Month(2020, 12))
    # as set: a flow's and a distinct count's monthly targets, a level's; a cumulative count's
    # year-to-date target is not a target for a month's own rise
    assert plain == {"F1": 12, "D1": 5, "C1": None, "P1": 75}
    ds = _with_targets(
        _base(),
        [
            ("F 1", "2020/21", 120, None, "year"),
            ("D 1", "2020/21", 8, None, "quarter"),
            ("C 1", "2020/21", 36, None, "quarter"),
            ("P 1", "2020/21", 90, None, "month"),
        ],
    )
    assert _month_targets(ds, Month(2020, 12)) == {"F1": 10, "D1": None, "C1": 12, "P1": 90}
    # the year's own: 2019/20 has no row, so the Indicators sheet's
    assert _month_targets(ds, Month(2020, 3)) == plain


@pytest.mark.parametrize("period", ["Dec-20", "Q3 2020/21", "2020/21 YTD", "2020/21", "Mar-20"])
def test_the_period_s_query_gives_its_last_month_s_target_as_month_targets_does(
    period: str,
) -> None:
    """compute works out SPC's month targets in the period's own target query
    (``period_targets(..., month=True)``): the same as ``month_targets`` of its last month."""
    from csckpi.compute.inputs import indicator_frame
    from csckpi.compute.targets import period_targets

    ds = _with_targets(
        _base(),
        [
            ("F 1", "2020/21", 120, None, "year"),
            ("D 1", "2020/21", 8, None, "quarter"),
            ("C 1", "2020/21", 36, None, "quarter"),
            ("P 1", "2020/21", 90, None, "month"),
            ("F 1", "2019/20", 30, None, "quarter"),
            ("C 1", "2019/20", 400, None, "ytd"),
        ],
    )
    p = parse_period(period)
    if p.kind.value == "ytd" and p.end is None:
        p = Period.of_ytd(p.fy, Month(2020, 12))
    frame = period_targets(ds, p, indicator_frame(ds), month=True)
    together = dict(zip(frame.get_column("key"), frame.get_column("month_target"), strict=True))
    assert together == _month_targets(ds, p.last)
    assert any(v is not None for v in together.values()) and None in together.values()
