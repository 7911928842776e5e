"""A calendar quarter is refused with the financial-year quarter that covers the same months."""

from __future__ import annotations

import re

import pytest

from csckpi.errors import PeriodError
from csckpi.periods import parse_period


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2020 Q3", "Calendar Q3 2020 (Jul-20 to Sep-20) is 'Q2 2020/21'."),
        ("2020-Q4", "Calendar Q4 2020 (Oct-20 to Dec-20) is 'Q3 2020/21'."),
        ("Q1 2021", "Calendar Q1 2021 (Jan-21 to Mar-21) is 'Q4 2020/21'."),
        ("q2 2020", "Calendar Q2 2020 (Apr-20 to Jun-20) is 'Q1 2020/21'."),
    ],
)
def test_a_calendar_quarter_names_the_financial_quarter_it_means(typed, meant):
    with pytest.raises(PeriodError) as caught:
        parse_period(typed)
    assert str(caught.value).endswith(meant)
    assert "financial year" in str(caught.value)


@pytest.mark.parametrize("typed", ["2020 Q3", "Q1 2021", "2020-Q4", "q2 2020"])
def test_the_suggested_quarter_covers_the_same_calendar_months(typed):
    with pytest.raises(PeriodError) as caught:
        parse_period(typed)
    suggested = parse_period(str(caught.value).rsplit("'", 2)[-2])
    year = int(re.search(r"\d{4}", typed)[0])
    quarter = int(re.search(r"[qQ](\d)", typed)[1])
    first_month = 3 * (quarter - 1) + 1
    assert (suggested.first.year, suggested.first.month) == (year, first_month)
    assert len(suggested.months()) == 3
