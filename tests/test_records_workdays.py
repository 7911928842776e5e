"""Working days: England's bank holidays as gov.uk publishes them, and the day-0 rule."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from csckpi.records.workdays import bank_holidays, working_days, working_days_between

D = dt.date

# gov.uk "Bank holidays: England and Wales", 2018-2027, as published (including the moved and
# extra days: VE day 8 May 2020; the spring holiday on 2 June and the Platinum Jubilee on
# 3 June 2022; the State Funeral on 19 September 2022; the Coronation on 8 May 2023).
PUBLISHED = {
    2018: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
    2019: ["01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: [
        "01-03",
        "04-15",
        "04-18",
        "05-02",
        "06-02",
        "06-03",
        "08-29",
        "09-19",
        "12-26",
        "12-27",
    ],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_are_the_published_ones(year: int):
    published = [dt.date.fromisoformat(f"{year}-{day}") for day in PUBLISHED[year]]
    assert [d for d in bank_holidays(2018, 2027) if d.year == year] == published


def test_the_moved_and_extra_days_are_there_and_the_usual_ones_are_not():
    days = set(bank_holidays(2020, 2022))
    assert D(2020, 5, 8) in days and D(2020, 5, 4) not in days  # VE day, not the first Monday
    assert {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)} <= days
    assert D(2022, 5, 30) not in days  # the spring holiday moved to 2 June


def test_an_assessment_started_18_december_2020_across_christmas():
    # Fri 18 Dec is day 0. Working days after it: 21-24 Dec (4); 25 Dec is Christmas Day,
    # 28 Dec the substitute for Boxing Day (a Saturday); 29-31 Dec (3); 1 Jan is New Year's
    # Day; 4-22 Jan (15): 22 working days by Friday 22 January 2021.
    assert working_days_between(D(2020, 12, 18), D(2021, 1, 22)) == 22
    assert working_days_between(D(2020, 12, 18), D(2020, 12, 31)) == 7
    # so day 45 is Wednesday 24 February 2021, and 25 February is day 46
    assert working_days_between(D(2020, 12, 18), D(2021, 2, 24)) == 45
    assert working_days_between(D(2020, 12, 18), D(2021, 2, 25)) == 46


def test_a_conference_on_day_15_and_day_16():
    # strategy discussion Monday 2 November 2020: 3-6 Nov (4), 9-13 (9), 16-20 (14), 23 = 15
    assert working_days_between(D(2020, 11, 2), D(2020, 11, 23)) == 15
    assert working_days_between(D(2020, 11, 2), D(2020, 11, 24)) == 16


def test_a_date_on_a_weekend_or_bank_holiday_counts_as_the_working_day_before():
    monday = D(2020, 12, 7)
    friday, saturday, sunday = D(2020, 12, 11), D(2020, 12, 12), D(2020, 12, 13)
    assert working_days_between(monday, friday) == 4
    assert working_days_between(monday, saturday) == 4
    assert working_days_between(monday, sunday) == 4
    # Christmas Day and the substitute 28 December count as Thursday 24 December
    start = D(2020, 12, 21)
    assert working_days_between(start, D(2020, 12, 24)) == 3
    assert working_days_between(start, D(2020, 12, 25)) == 3
    assert working_days_between(start, D(2020, 12, 28)) == 3
    assert working_days_between(start, D(2020, 12, 29)) == 4


def test_a_start_on_a_weekend_makes_the_next_working_day_day_0():
    assert working_days_between(D(2020, 12, 19), D(2020, 12, 21)) == 0
    assert working_days_between(D(2020, 12, 19), D(2020, 12, 22)) == 1
    assert working_days_between(D(2020, 12, 19), D(2020, 12, 20)) == 0
    assert working_days_between(D(2020, 12, 18), D(2020, 12, 18)) == 0


def test_the_expression_works_on_whole_columns_and_leaves_unknowns_blank():
    frame = pl.DataFrame(
        {
            "start": [D(2020, 12, 18), D(2020, 11, 2), None, D(2021, 1, 10)],
            "end": [D(2021, 1, 22), D(2020, 11, 24), D(2021, 1, 1), D(2021, 1, 4)],
        }
    )
    holidays = bank_holidays(2020, 2021)
    out = frame.select(working_days(pl.col("start"), pl.col("end"), holidays)).to_series()
    assert out.to_list() == [22, 16, None, None]  # a blank start, and an end before the start
    with pytest.raises(ValueError, match="before"):
        working_days_between(D(2021, 1, 10), D(2021, 1, 4))
