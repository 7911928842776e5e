"""The month headers of a wide Monthly sheet, as a sequence: each month where it belongs.

A header with a slipped year (`Oct-21` between Sep-20 and Nov-20) is still a month, so the
reader would take its figures for a month a year away: October 2020 would drop out of every
quarter and year to date, the latest month would jump, and the corrected workbook would then
look older than the store. A deleted column leaves a month with no figures at all. So, over
the headers left to right:

- a month out of order (the months run from the earliest to the latest, or all the other
  way), a month more than a year beyond the others, and a month after today whose column has
  figures are errors at the header, with the month it was probably meant to be;
- a month more than a year before the others is a warning (an old month kept for
  comparison is possible; a slipped year is likelier);
- a month or a few missing between runs of consecutive months (a deleted column) is a
  warning naming the gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from itertools import pairwise

from csckpi.model import Severity, column_letter
from csckpi.periods import Month
from csckpi.workbook.problems import Collector

#: More months than this between a header and the others is "far".
_FAR = 12
#: A gap of at most this many months between two runs of consecutive months is a column
#: missing from an otherwise monthly sequence (a wider gap is a deliberate jump, like a month
#: of last year kept for comparison).
_GAP = 3
#: The shortest run of consecutive months on each side of a gap for it to count as missing.
_RUN = 2


def check_sequence(
    title: str,
    header_row: int,
    months: Mapping[int, Month],
    filled: Collection[int],
    today: dt.date,
    out: Collector,
) -> None:
    """Check a wide sheet's month headers (column -> month) as a sequence; ``filled`` are the
    columns holding figures. Problems go to ``out`` at the header cells."""
    columns = sorted(months)
    if len(columns) < 2:
        _future(title, header_row, columns, months, filled, today, out)
        return
    indexes = [months[c].index for c in columns]
    up = _longest_run(indexes)
    down = _longest_run([-i for i in indexes])
    kept = up if len(up) >= len(down) else down
    step = 1 if kept is up else -1
    in_order = [columns[i] for i in kept]
    for place, column in enumerate(columns):
        if place in kept:
            continue
        _out_of_order(title, header_row, column, months, in_order, step, out)
    ordered = sorted(in_order, key=lambda c: months[c])
    far = _far(title, header_row, ordered, months, out)
    _future(title, header_row, [c for c in ordered if c not in far], months, filled, today, out)
    if not _header_errors(title, header_row, out):  # a wrong header leaves its own gap
        _gaps(title, header_row, [c for c in ordered if c not in far], months, out)


def _header_errors(title: str, header_row: int, out: Collector) -> bool:
    return any(
        p.severity is Severity.ERROR and p.sheet == title and p.row == header_row
        for p in out.problems
    )


def _longest_run(values: list[int]) -> list[int]:
    """The places of a longest strictly increasing subsequence of ``values`` (patience
    sorting; of equal lengths, the one ending in the smallest values, so a slipped year is
    what is left out, not the months around it)."""
    tails: list[int] = []  # place of the smallest tail of each length
    before: list[int | None] = [None] * len(values)
    for place, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        before[place] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(place)
        else:
            tails[low] = place
    run: list[int] = []
    at = tails[-1] if tails else None
    while at is not None:
        run.append(at)
        at = before[at]
    return run[::-1]


def _out_of_order(
    title: str,
    header_row: int,
    column: int,
    months: Mapping[int, Month],
    in_order: list[int],
    step: int,
    out: Collector,
) -> None:
    month = months[column]
    left = [c for c in in_order if c < column]
    right = [c for c in in_order if c > column]
    previous = months[left[-1]] if left else None
    following = months[right[0]] if right else None
    if previous is not None and following is not None:
        where = f"comes between {previous} and {following}"
    elif previous is not None:
        where = f"comes after {previous}"
    else:
        where = f"comes before {following}"
    low, high = (previous, following) if step == 1 else (following, previous)
    guess = _meant(month, low, high)
    runs = "the earliest to the latest" if step == 1 else "the latest to the earliest"
    out.error(
        title,
        header_row,
        column,
        "month-out-of-order",
        f"{month} {where}, but the months here run from {runs}"
        + (f": did you mean {guess}?" if guess else " — check the header's month and year"),
    )


def _meant(month: Month, low: Month | None, high: Month | None) -> Month | None:
    """The month a header out of place was probably meant to be: the same month of another
    year that fits between its neighbours, or the one month that does."""
    first = low.index + 1 if low is not None else None
    last = high.index - 1 if high is not None else None
    if first is None and last is None:
        return None
    if first is None:
        first = (last or 0) - 11
    if last is None:
        last = first + 11
    fits = [Month.from_index(i) for i in range(first, last + 1)]
    same = [m for m in fits if m.month == month.month]
    if same:
        return min(same, key=lambda m: abs(m.year - month.year))
    return fits[0] if len(fits) == 1 else None


def _far(
    title: str, header_row: int, ordered: list[int], months: Mapping[int, Month], out: Collector
) -> set[int]:
    """The first and last months, when more than a year from the rest: after them an error,
    before them a warning. Returns the columns named."""
    named: set[int] = set()
    if len(ordered) < 3:
        return named
    last, before_last = months[ordered[-1]], months[ordered[-2]]
    if last.index - before_last.index > _FAR:
        guess = _meant(last, before_last, None)
        named.add(ordered[-1])
        out.error(
            title,
            header_row,
            ordered[-1],
            "month-far-after",
            f"{last} is {_span(last.index - before_last.index)} after {before_last}, the "
            "latest of the other months"
            + (f": did you mean {guess}?" if guess else " — check the header's year"),
        )
    first, after_first = months[ordered[0]], months[ordered[1]]
    if after_first.index - first.index > _FAR:
        named.add(ordered[0])
        out.warn(
            title,
            header_row,
            ordered[0],
            "month-far-before",
            f"{first} is {_span(after_first.index - first.index)} before {after_first}, the "
            "earliest of the other months — check the header's year (its figures are read "
            f"as {first.long}'s)",
        )
    return named


def _future(
    title: str,
    header_row: int,
    columns: list[int],
    months: Mapping[int, Month],
    filled: Collection[int],
    today: dt.date,
    out: Collector,
) -> None:
    """A month after this one whose column has figures (an empty column for the months to
    come is fine: many workbooks head the whole year)."""
    now = Month.from_date(today)
    for column in columns:
        month = months[column]
        if month > now and column in filled:
            out.error(
                title,
                header_row,
                column,
                "month-in-future",
                f"{month} is after this month ({now}), but column {column_letter(column)} "
                "has figures — check the header's year",
            )


def _gaps(
    title: str, header_row: int, ordered: list[int], months: Mapping[int, Month], out: Collector
) -> None:
    """A few months missing between two runs of consecutive months: a warning at the header
    after the gap."""
    runs: list[list[int]] = []
    for column in ordered:
        if runs and months[column].index == months[runs[-1][-1]].index + 1:
            runs[-1].append(column)
        else:
            runs.append([column])
    for before, after in pairwise(runs):
        if len(before) < _RUN or len(after) < _RUN:
            continue
        last, first = months[before[-1]], months[after[0]]
        missing = first.index - last.index - 1
        if not 0 < missing <= _GAP:
            continue
        gap = str(last + 1) if missing == 1 else f"{last + 1} to {first - 1}"
        what = "no column for" if missing == 1 else "no columns for"
        out.warn(
            title,
            header_row,
            after[0],
            "month-missing",
            f"{what} {gap}, between {last} ({column_letter(before[-1])}{header_row}) and "
            f"{first} ({column_letter(after[0])}{header_row}) — quarters and years to date "
            f"would be worked out without {'it' if missing == 1 else 'them'}: put the column "
            "back (blank if it has no figures yet)",
        )


def _span(months: int) -> str:
    """`13 months`, `2 years`, `about 10 years`."""
    years, rest = divmod(months, 12)
    if rest == 0:
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} months" if years < 2 else f"about {round(months / 12)} years"
