"""Properties of csckpi.periods: what a period is called parses back to the same period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csckpi.errors import PeriodError
from csckpi.periods import Month, Period, PeriodKind, fy_label, fy_months, parse_month, parse_period

# Workbook month labels carry a two-digit year (`Dec-20`), read as 20xx.
months = st.builds(Month, st.integers(2000, 2098), st.integers(1, 12))
fys = st.integers(2000, 2098)
quarters = st.builds(Period.of_quarter, fys, st.integers(1, 4))
years = st.builds(Period.of_year, fys)
month_periods = st.builds(Period.of_month, months)
ytds = months.map(lambda m: Period.of_ytd(m.fy, m))


@given(month_periods)
def test_a_month_parses_back_from_its_label_key_and_long_name(period):
    assert parse_period(period.label) == period
    assert parse_period(period.key) == period
    assert parse_period(period.long) == period


@given(st.one_of(quarters, years))
def test_quarters_and_years_parse_back_from_their_labels(period):
    assert parse_period(period.label) == period
    assert parse_period(period.label.lower()) == period


@given(quarters)
def test_a_quarter_may_be_written_year_first(period):
    assert parse_period(f"{fy_label(period.fy)} Q{period.quarter}") == period


@given(ytds)
def test_a_year_to_date_parses_back_with_its_end_as_the_latest_month(period):
    assert period.end is not None
    assert parse_period(period.label, latest=period.end) == period
    assert parse_period("YTD", latest=period.end) == period


@given(months, st.integers(-500, 500))
def test_month_arithmetic_is_consistent(month, n):
    assert (month + n) - n == month
    assert (month + n).index - month.index == n
    assert Month.from_index(month.index) == month


@given(months)
def test_a_month_is_in_its_financial_year_and_quarter(month):
    assert month in fy_months(month.fy)
    quarter = Period.of_quarter(month.fy, month.quarter)
    assert quarter.contains(month)
    assert parse_month(month.date) == month
    assert parse_month(dt.datetime(month.year, month.month, 17)) == month


@given(fys)
def test_quarters_partition_the_year(fy):
    covered = [m for q in range(1, 5) for m in Period.of_quarter(fy, q).months()]
    assert covered == fy_months(fy) == Period.of_year(fy).months()


@given(st.one_of(month_periods, quarters, years, ytds))
def test_relatives_keep_the_kind_and_length(period):
    for other in (period.last_year(), period.previous()):
        assert other.kind == period.kind
        assert len(other.months()) == len(period.months())
        assert other.last < period.first or other.kind is PeriodKind.YTD
    assert period.last_year().first == period.first - 12
    assert period.ytd().last == period.last
    assert period.ytd().first == Month(period.fy, 4)


@given(st.one_of(month_periods, quarters))
def test_previous_ends_the_month_before(period):
    assert period.previous().last == period.first - 1


@pytest.mark.parametrize(
    "text", ["2020/22", "Q5 2020/21", "2020-Q3", "Q3 2020", "Smarch 2020", "", "2020/21 Q0"]
)
def test_what_is_not_a_period_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 2020", Period.of_month(Month(2020, 12))),
        ("Sept 2020", Period.of_month(Month(2020, 9))),
        ("2020-12-01", Period.of_month(Month(2020, 12))),
        ("12/2020", Period.of_month(Month(2020, 12))),
        ("FY 2020/2021 Q3", Period.of_quarter(2020, 3)),
        ("2020-21", Period.of_year(2020)),
        ("2011-12", Period.of_month(Month(2011, 12))),  # a month key, not the year 2011/12
        ("2011/12", Period.of_year(2011)),
        ("2020/21 year to date", Period.of_ytd(2020)),
        ("Q2 25/26", Period.of_quarter(2025, 2)),
        ("Q3 20/21", Period.of_quarter(2020, 3)),
        ("q3 20-21", Period.of_quarter(2020, 3)),
        ("20/21 Q4", Period.of_quarter(2020, 4)),
        ("FY 2020/21", Period.of_year(2020)),
        ("FY20/21", Period.of_year(2020)),
        ("fy 20/21", Period.of_year(2020)),
        ("20/21 YTD", Period.of_ytd(2020)),
    ],
)
def test_the_spellings_analysts_use(text, expected):
    assert parse_period(text) == expected


def test_a_bare_quarter_is_of_the_latest_months_year():
    assert parse_period("Q1", Month(2020, 12)) == Period.of_quarter(2020, 1)
    assert parse_period("q4", Month(2021, 2)) == Period.of_quarter(2020, 4)
    with pytest.raises(PeriodError, match="needs a year"):
        parse_period("Q1")


@pytest.mark.parametrize("text", ["Q3 20/22", "20/2021", "Q3 19/21", "Q5"])
def test_short_years_that_are_not_a_financial_year_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text, Month(2020, 12))
