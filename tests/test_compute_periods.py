"""resolve_period(), latest_month() and annual(): which period the data can answer."""

from __future__ import annotations

import pytest
from compute_data import dataset, indicator, monthly_series

from csckpi.compute import annual, compute, latest_month, monthly_values, resolve_period
from csckpi.errors import PeriodError
from csckpi.periods import Month, Period


def example_like():
    return dataset(
        [indicator("F1"), indicator("R1", "ratio", "percent")],
        monthly_series("F1", "2019-04", [10] * 21),
        reported=[
            ("F1", "2017/18", 100.0),
            ("R1", "2018/19", 81.5),
            ("R1", "2020/21 YTD", 77.7),
        ],
    )


def test_latest_month_is_the_last_month_with_any_figure():
    assert latest_month(example_like()) == Month(2020, 12)
    assert latest_month(dataset([indicator("A")])) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, Period.of_month(Month(2020, 12))),
        ("2020-11", Period.of_month(Month(2020, 11))),
        ("Q3 2020/21", Period.of_quarter(2020, 3)),
        ("YTD", Period.of_ytd(2020, Month(2020, 12))),
        ("2020/21 YTD", Period.of_ytd(2020, Month(2020, 12))),
        ("2019/20 YTD", Period.of_ytd(2019, Month(2020, 3))),
        ("2019/20", Period.of_year(2019)),
        ("2017/18", Period.of_year(2017)),
    ],
)
def test_resolve_period(text, expected):
    assert resolve_period(example_like(), text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Jan-21",
            "There are no figures after Dec-20, so Jan-21 cannot be computed yet. "
            "Ask for a period ending by Dec-20, e.g. 'Dec-20' or '2020/21 YTD'.",
        ),
        (
            "2020/21",
            "There are no figures after Dec-20, so 2020/21 (to Mar-21) cannot be computed yet. "
            "For the year so far, use '2020/21 YTD'.",
        ),
        (
            "2021/22 YTD",
            "There are no figures after Dec-20, so 2021/22 YTD has not started. "
            "The latest year to date is 2020/21 YTD.",
        ),
        (
            "2015/16",
            "There are no figures for 2015/16. Monthly figures run from Apr-19 to Dec-20.",
        ),
        ("2020-Q3", "'2020-Q3' looks like a calendar quarter,"),
    ],
)
def test_a_period_the_data_cannot_answer_says_why(text, message):
    with pytest.raises(PeriodError) as caught:
        resolve_period(example_like(), text)
    assert str(caught.value).startswith(message)


def test_no_monthly_figures_needs_a_period():
    ds = dataset([indicator("A")], reported=[("A", "2019/20", 5.0)])
    with pytest.raises(PeriodError, match="no latest month"):
        resolve_period(ds, None)
    assert resolve_period(ds, "2019/20") == Period.of_year(2019)


def test_annual_computes_finished_years_and_the_running_year_to_date():
    frame = annual(example_like())
    rows = [(r["key"], r["year"], r["value"], r["basis"]) for r in frame.to_dicts()]
    assert rows == [
        ("F1", "2017/18", 100.0, "reported"),
        ("F1", "2018/19", None, "none"),
        ("F1", "2019/20", 120.0, "computed"),
        ("F1", "2020/21 YTD", 90.0, "computed"),
        ("R1", "2017/18", None, "none"),
        ("R1", "2018/19", 81.5, "reported"),
        ("R1", "2019/20", None, "none"),
        ("R1", "2020/21 YTD", 77.7, "reported"),
    ]


def test_a_year_known_only_from_reported_figures_is_computed_and_judged():
    ds = dataset([indicator("A", "ratio", "percent", "up", 90)], reported=[("A", "2019/20", 85.0)])
    frame = compute(ds, resolve_period(ds, "2019/20"))
    assert frame.select("value", "basis", "rag", "reason").row(0) == (85.0, "reported", "red", None)
    assert compute(ds, resolve_period(ds, "2019/20"), keys=[]).height == 0


def test_monthly_values_can_be_limited_to_a_window():
    ds = dataset([indicator("F1")], monthly_series("F1", "2019-04", list(range(21))))
    window = monthly_values(ds, first=Month(2020, 1), last=Month(2020, 12))
    assert window.get_column("value").to_list() == list(range(9, 21))
    assert monthly_values(ds).height == 21
