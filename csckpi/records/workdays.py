"""Working days: weekends and England's bank holidays excluded, the start day is day 0.

The bank holidays come from the ``holidays`` package (vacanza/python-holidays, subdivision
``ENG`` of ``GB``): it is maintained, computes every year's dates from their rules (Easter,
the first and last Mondays of May, substitute days) and carries the one-off changes (2020's VE
day moved to 8 May; 2022's 2 and 3 June and 19 September; 2023's coronation) as they are
announced. A shipped table would need editing every year and would know nothing before or
after the years typed in. ``tests/test_records_workdays.py`` checks the package against the
dates gov.uk publishes for England and Wales, 2018 to 2027.

The count is Excel's ``NETWORKDAYS(start, end, holidays) - 1``, the rule councils' systems and
DfE's guidance use: day 0 is the start date, or the first working day after it when it starts
on a weekend or bank holiday; each working day after that adds one; a date that falls on a
weekend or bank holiday counts as the working day before it (authorised on Saturday = as on
Friday). In polars: ``business_day_count(start, end + 1 day) - 1``, never below 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

#: Bank holidays are looked up for these years at most (a date outside them is a problem
#: elsewhere: Annex A's dates are this century's).
FIRST_YEAR = 1990
LAST_YEAR = 2100


@lru_cache(maxsize=16)
def bank_holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    """England and Wales bank holidays that fall on a weekday, first_year to last_year."""
    import holidays

    first = max(first_year, FIRST_YEAR)
    last = min(last_year, LAST_YEAR)
    if last < first:
        return ()
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    return tuple(sorted(day for day in days if day.weekday() < 5))


def working_days(start: pl.Expr, end: pl.Expr, holidays: Sequence[dt.date]) -> pl.Expr:
    """Working days from ``start`` (day 0) to ``end``; null where either is blank or the end
    comes before the start."""
    import polars as pl

    count = pl.business_day_count(start, end.dt.offset_by("1d"), holidays=list(holidays)) - 1
    unknown = start.is_null() | end.is_null() | (end < start)
    return pl.when(unknown).then(None).otherwise(pl.max_horizontal(count, pl.lit(0)))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The same rule for one pair of dates (for messages and tests; frames use the expression)."""
    import polars as pl

    holidays = bank_holidays(start.year, end.year)
    frame = pl.DataFrame({"start": [start], "end": [end]})
    value = frame.select(working_days(pl.col("start"), pl.col("end"), holidays)).item()
    if value is None:
        raise ValueError(f"{end} is before {start}")
    return int(value)
