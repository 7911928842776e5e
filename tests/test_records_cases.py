"""Hand-worked cases, through reading and deriving: each figure worked out in the comment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from csckpi.records import behind, derive, load_definitions, needs_for_drill, read_records

D = dt.date
ID = "Child Unique ID"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def figures(
    path: Path, code: str, as_at: dt.date, since: dt.date
) -> dict[dt.date, dict[str, float]]:
    definitions = load_definitions()
    target = definitions.target(code)
    records = read_records(path, definitions.needs([target]))
    derived = derive(records, definitions, as_at=as_at, since=since, targets=[target])
    out: dict[dt.date, dict[str, float]] = {}
    for month, part, value in derived.figures.select("month", "part", "value").iter_rows():
        out.setdefault(month, {})[part] = value
    return out


def test_an_assessment_across_christmas_is_in_time_on_day_45_and_late_on_day_46(tmp_path):
    start, authorised = (
        "Continuous Assessment Start Date",
        "Continuous Assessment Date of Authorisation",
    )
    path = workbook(
        tmp_path / "a.xlsx",
        {
            "List 4 - Assessments": [
                [ID, start, authorised],
                ["C1", D(2020, 12, 18), D(2021, 1, 22)],  # 22 working days: in time
                ["C2", "18/12/2020", "24/02/2021"],  # day 45: in time (UK text dates)
                ["C3", D(2020, 12, 18), D(2021, 2, 25)],  # day 46: late
                ["C4", D(2020, 12, 18), None],  # not yet authorised: left out, counted
            ]
        },
    )
    got = figures(path, "AA ASMT 45", D(2021, 2, 28), D(2021, 1, 1))
    assert got[D(2021, 1, 1)] == {"numerator": 1, "denominator": 1, "value": 100.0}
    assert got[D(2021, 2, 1)] == {"numerator": 1, "denominator": 2, "value": 50.0}
    definitions = load_definitions()
    target = definitions.target("AA ASMT 45")
    records = read_records(path, needs_for_drill(definitions, target))
    late = behind(records, target, [D(2021, 2, 1)], as_at=D(2021, 2, 28), missed=True)
    assert late.select("row", "child_id", "working_days", "counted").rows() == [
        (4, "C3", 46, False)
    ]
    derived = derive(records, definitions, as_at=D(2021, 2, 28), targets=[target])
    assert [e.message for e in derived.exclusions] == [
        "1 assessment without a continuous assessment date of authorisation left out of AA ASMT 45"
    ]


def test_a_conference_on_day_15_is_in_time_and_on_day_16_late(tmp_path):
    strategy = "Strategy discussion initiating Section 47 Enquiry Start Date"
    path = workbook(
        tmp_path / "c.xlsx",
        {
            "List 5": [
                [ID, strategy, "Date of Initial Child Protection Conference"],
                ["C1", D(2020, 11, 2), D(2020, 11, 23)],  # day 15
                ["C2", D(2020, 11, 2), D(2020, 11, 24)],  # day 16
            ]
        },
    )
    got = figures(path, "AA ICPC 15", D(2020, 11, 30), D(2020, 11, 1))
    assert got == {D(2020, 11, 1): {"numerator": 1, "denominator": 2, "value": 50.0}}


def test_an_authorisation_on_a_weekend_or_bank_holiday(tmp_path):
    start, authorised = (
        "Continuous Assessment Start Date",
        "Continuous Assessment Date of Authorisation",
    )
    # Started Monday 19 October 2020: day 45 is Monday 21 December, day 46 Tuesday 22nd.
    # Authorised on Saturday 19 December = as on Friday 18th, day 44: in time.
    # Authorised on Christmas Day (Friday) = as on Thursday 24th, day 48: late.
    path = workbook(
        tmp_path / "w.xlsx",
        {
            "List 4": [
                [ID, start, authorised],
                ["C1", D(2020, 10, 19), D(2020, 12, 19)],
                ["C2", D(2020, 10, 19), D(2020, 12, 25)],
                ["C3", D(2020, 10, 19), D(2020, 12, 21)],  # day 45: in time
            ]
        },
    )
    got = figures(path, "AA ASMT 45", D(2020, 12, 31), D(2020, 12, 1))
    assert got[D(2020, 12, 1)] == {
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(200 / 3),
    }
    definitions = load_definitions()
    target = definitions.target("AA ASMT 45")
    records = read_records(path, definitions.needs([target]))
    rows = behind(records, target, [D(2020, 12, 1)], as_at=D(2020, 12, 31))
    assert rows.select("child_id", "working_days").rows() == [("C1", 44), ("C2", 48), ("C3", 45)]


def test_a_plan_of_exactly_two_years_counts_as_two_years_or_more(tmp_path):
    path = workbook(
        tmp_path / "p.xlsx",
        {
            "List 7": [
                [ID, "Child Protection Plan Start Date", "Child Protection Plan End Date"],
                ["C1", D(2019, 1, 15), D(2021, 1, 15)],  # exactly two years: counts
                ["C2", D(2019, 1, 16), D(2021, 1, 15)],  # a day short: does not
                ["C3", D(2018, 6, 1), D(2021, 1, 20)],  # more than two years
                ["C4", D(2020, 2, 29), D(2022, 2, 28)],  # leap day: two years on 28 Feb
            ]
        },
    )
    got = figures(path, "AA CPP 2Y", D(2022, 3, 31), D(2021, 1, 1))
    assert got[D(2021, 1, 1)] == {"numerator": 2, "denominator": 3, "value": pytest.approx(200 / 3)}
    assert got[D(2022, 2, 1)] == {"numerator": 1, "denominator": 1, "value": 100.0}


def test_a_re_referral_twelve_months_and_a_day_after_the_last_is_not_one(tmp_path):
    heading = "Date of referral"
    path = workbook(
        tmp_path / "r.xlsx",
        {
            "List 3": [
                [ID, heading, "Number of Referrals in Last 12 Months"],
                ["C1", D(2020, 1, 10), 1],
                ["C1", D(2021, 1, 10), 1],  # exactly 12 months later: a re-referral
                ["C2", D(2020, 1, 10), 0],
                ["C2", D(2021, 1, 11), 0],  # 12 months and a day: not one
                ["C3", D(2021, 1, 20), 2],  # only referral in the list; 2 earlier in 12 months
                ["C4", D(2021, 1, 25), 0],  # only referral, none before
            ]
        },
    )
    got = figures(path, "AA REREF PCT", D(2021, 1, 31), D(2021, 1, 1))
    assert got == {D(2021, 1, 1): {"numerator": 2, "denominator": 4, "value": 50.0}}
    assert figures(path, "AA REREF", D(2021, 1, 31), D(2021, 1, 1)) == {D(2021, 1, 1): {"value": 2}}
