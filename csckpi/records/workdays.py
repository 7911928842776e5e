"""Working days: weekends and England's bank holidays excluded, the start day is day 0.

England's bank holidays (the same as Wales's) are worked out here from their rules, with the
one-off changes as a table: New Year's Day, Good Friday, Easter Monday, the first and last
Mondays of May, the last Monday of August, Christmas Day and Boxing Day, each moved to the next
weekday when it falls at a weekend; and the years when a holiday moved or one was added
(:data:`CHANGES`). ``tests/test_records_workdays.py`` checks them against the dates gov.uk
publishes for England and Wales, 2018 to 2027. When a new one-off day is announced, add it to
:data:`CHANGES`.

Why not a holidays package: the maintained one (``holidays``) costs a third of a second of CPU
to import and build in every process, as much as reading a large Annex A extract from CSV, to
give one country's ten rules.

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

D = dt.date
#: Years a rule's day moved ({year: (the usual day, the day it moved to)}) ...
MOVED: dict[int, tuple[tuple[dt.date, dt.date], ...]] = {
    1995: ((D(1995, 5, 1), D(1995, 5, 8)),),  # early May: VE day's 50th anniversary
    2002: ((D(2002, 5, 27), D(2002, 6, 4)),),  # spring: the Golden Jubilee
    2012: ((D(2012, 5, 28), D(2012, 6, 4)),),  # spring: the Diamond Jubilee
    2020: ((D(2020, 5, 4), D(2020, 5, 8)),),  # early May: VE day's 75th anniversary
    2022: ((D(2022, 5, 30), D(2022, 6, 2)),),  # spring: the Platinum Jubilee
}
#: ... and days added for one year.
ADDED: dict[int, tuple[dt.date, ...]] = {
    1999: (D(1999, 12, 31),),  # the millennium
    2002: (D(2002, 6, 3),),  # the Golden Jubilee
    2011: (D(2011, 4, 29),),  # the Royal Wedding
    2012: (D(2012, 6, 5),),  # the Diamond Jubilee
    2022: (D(2022, 6, 3), D(2022, 9, 19)),  # the Platinum Jubilee; the State Funeral
    2023: (D(2023, 5, 8),),  # the Coronation
}
CHANGES = (MOVED, ADDED)


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return D(year, month, day + 1)


def _monday(year: int, month: int, last: bool) -> dt.date:
    if last:
        day = D(year, month + 1, 1) - dt.timedelta(days=1)
        return day - dt.timedelta(days=day.weekday())
    day = D(year, month, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _year(year: int) -> list[dt.date]:
    new_year = D(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += dt.timedelta(days=1)
    sunday = easter(year)
    days = [
        new_year,
        sunday - dt.timedelta(days=2),
        sunday + dt.timedelta(days=1),
        _monday(year, 5, last=False),
        _monday(year, 5, last=True),
        _monday(year, 8, last=True),
    ]
    christmas, boxing = D(year, 12, 25), D(year, 12, 26)
    taken = set()
    for day in (christmas, boxing):  # at a weekend: the next weekday not already taken
        while day.weekday() >= 5 or day in taken:
            day += dt.timedelta(days=1)
        taken.add(day)
    days += sorted(taken)
    for usual, moved in MOVED.get(year, ()):
        days[days.index(usual)] = moved
    return sorted({*days, *ADDED.get(year, ())})


@lru_cache(maxsize=16)
def bank_holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    """England and Wales bank holidays, first_year to last_year (all fall on weekdays)."""
    return tuple(day for year in range(first_year, last_year + 1) for day in _year(year))


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
