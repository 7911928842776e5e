"""Trends and records in a month series, across financial years: "the third consecutive
monthly decrease", "the highest since March 2019". Each judged with :func:`csckpi.judgement.judge`
on the figures as shown; ``csckpi.facts`` chooses the series (a comparison's months to the
period's end) and keeps what is found among a comparison's facts.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from csckpi.judgement import judge
from csckpi.model import Indicator, Measure, Polarity, Relation, Unit
from csckpi.numbers import shown
from csckpi.periods import Month, Period, PeriodKind


class Point(Protocol):
    """A month's figure (``csckpi.facts.MonthPoint``)."""

    @property
    def month(self) -> Month: ...

    @property
    def value(self) -> float | None: ...


def is_running_total(ind: Indicator) -> bool:
    """A cumulative count or rate: its year to date only ever grows, so a movement on the
    period before or a run of the same figure says nothing (it is true by construction)."""
    return ind.measure is Measure.CUMULATIVE and ind.unit in (Unit.COUNT, Unit.RATE)


def back(points: Sequence[Point], last: Month) -> list[tuple[Month, float]]:
    """The months of ``points`` up to ``last``, latest first, stopping at a gap."""
    out: list[tuple[Month, float]] = []
    for point in reversed([p for p in points if p.month <= last]):
        if point.value is None:
            break
        out.append((point.month, point.value))
    return out


def _compared(
    history: Sequence[Point], year: Sequence[Point], period: Period, ind: Indicator, known: bool
) -> Sequence[Point] | None:
    """The months a trend or a record compares: across years, but a cumulative figure's this
    year only (it starts again each April); None where moves mean nothing (no figure, a
    period other than a month or a quarter, a running total, which only grows)."""
    if not known or is_running_total(ind):
        return None
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        return None
    return year if ind.measure is Measure.CUMULATIVE else history


def trend_in(
    history: Sequence[Point], year: Sequence[Point], period: Period, ind: Indicator, known: bool
) -> Trend | None:
    """Moves the same way, month on month, to the period's last month (:func:`trend_of`)."""
    points = _compared(history, year, period, ind, known)
    if points is None:
        return None
    return trend_of(back(points, period.last), period.last, ind.polarity, ind.places)


def record_in(
    history: Sequence[Point], year: Sequence[Point], period: Period, ind: Indicator, known: bool
) -> Record | None:
    """The period's last month against every earlier month with a figure (:func:`record_of`)."""
    points = _compared(history, year, period, ind, known)
    if points is None:
        return None
    found = [(p.month, v) for p in points if p.month <= period.last and (v := p.value) is not None]
    return record_of(found, period.last, ind.polarity, ind.places)


@dataclass(frozen=True)
class Trend:
    """Months in a row, up to the period's last month, each moving the same way on the month
    before (on the figures as shown): "it has fallen for three months in a row"."""

    moves: int  # how many moves in a row (3 or more)
    month: Month  # the last of them: the period's last month
    value: float  # its figure
    relation: Relation  # ABOVE: increases, BELOW: decreases
    better: bool | None  # through polarity
    #: the moves go back to the first month held (or a gap): no break is seen, so the trend
    #: may be longer ("it has risen every month since April 2020")
    whole: bool = False

    @property
    def since(self) -> Month:
        """The month the first of the moves starts from."""
        return self.month - self.moves


@dataclass(frozen=True)
class Record:
    """The period's last month's figure set against every earlier month: the highest (or
    lowest) since ``since``, the last earlier month at least as high (as low); ``since`` None:
    the highest of all ``months`` before it, back to ``first``."""

    month: Month
    value: float
    relation: Relation  # ABOVE: the highest, BELOW: the lowest
    months: int  # how many earlier months with a figure it is above (below), 12 or more
    since: Month | None
    first: Month  # the earliest month compared
    better: bool | None  # through polarity


#: A record is said only when it beats at least this many earlier months.
RECORD_MONTHS = 12
#: A trend is said only from this many moves the same way.
TREND_MOVES = 3


def trend_of(
    back: Sequence[tuple[Month, float]], last: Month, polarity: Polarity, places: int
) -> Trend | None:
    """``back``: the months to ``last`` with figures, latest first, to the first gap. The moves
    in a row the same way ending at ``last``, when there are :data:`TREND_MOVES` or more."""
    if len(back) <= TREND_MOVES or back[0][0] != last:
        return None
    first = judge(back[0][1], back[1][1], polarity, places)
    if first.relation is Relation.IN_LINE:
        return None
    moves = 0
    for (_, now), (_, before) in itertools.pairwise(back):
        if judge(now, before, polarity, places).relation is not first.relation:
            break
        moves += 1
    if moves < TREND_MOVES:
        return None
    whole = moves == len(back) - 1
    return Trend(moves, back[0][0], back[0][1], first.relation, first.better, whole)


def record_of(
    known: Sequence[tuple[Month, float]], last: Month, polarity: Polarity, places: int
) -> Record | None:
    """``known``: every month with a figure to ``last``, earliest first. ``last``'s figure is
    the highest (lowest) since the latest earlier month at least as high (low), when it beats
    :data:`RECORD_MONTHS` months or more in between."""
    if len(known) <= RECORD_MONTHS or known[-1][0] != last:
        return None
    month, value = known[-1]
    earlier = known[:-1]
    first = judge(value, earlier[-1][1], polarity, places)
    if first.relation is Relation.IN_LINE:
        return None
    beaten = 0
    since: Month | None = None
    for when, before in reversed(earlier):
        if judge(value, before, polarity, places).relation is not first.relation:
            since = when
            break
        beaten += 1
    if beaten < RECORD_MONTHS:
        return None
    return Record(month, value, first.relation, beaten, since, earlier[0][0], first.better)


@dataclass(frozen=True)
class Run:
    """Months in a row, up to the period's month, that read alike: the same figure as shown
    (``relation`` in line), or the same side of the target."""

    months: int  # how many, the period's month included (2 or more)
    first: Month  # the run's earliest month
    whole: bool  # it holds every month known before the period's, back to a gap or the first
    relation: Relation
    better: bool | None  # through polarity (a run against the target)


def _run(streak: list[tuple[Month, float]], n: int, relation: Relation, better: bool | None) -> Run:
    return Run(n, streak[n - 1][0], n == len(streak), relation, better)


def same_figure_run(streak: list[tuple[Month, float]], value: float, places: int) -> Run | None:
    """The months of ``streak`` (latest first, from :func:`back`) in a row at ``value`` as
    shown; None for fewer than two."""
    now = shown(value, places)
    n = 0
    for _month, figure in streak:
        if shown(figure, places) != now:
            break
        n += 1
    return _run(streak, n, Relation.IN_LINE, None) if n >= 2 else None


def target_run(
    streak: list[tuple[Month, float]], value: float, target: float, ind: Indicator
) -> Run | None:
    """The months of ``streak`` (latest first) in a row on the same side of ``target`` as
    ``value``; None for fewer than two."""
    now = judge(value, target, ind.polarity, ind.places)
    n = 0
    for _month, figure in streak:
        if judge(figure, target, ind.polarity, ind.places).relation is not now.relation:
            break
        n += 1
    return _run(streak, n, now.relation, now.better) if n >= 2 else None


@dataclass(frozen=True)
class QuarterRun:
    """Quarters in a row, up to the period's quarter, on the same side of the target."""

    quarters: int  # how many, the period's quarter included (2 or more)
    first: Month  # the first month of the earliest of them
    relation: Relation
    better: bool | None  # through polarity
    #: it goes back to the first quarter held (a quarter with no figure before it, or the
    #: year's start where the target is the year's own): no break is seen, so it may be longer
    whole: bool = False


def quarter_run(
    points: Sequence[Parted],
    period: Period,
    ind: Indicator,
    value: float | None,
    target: float | None,
    target_year: str | None,
) -> QuarterRun | None:
    """A quarter's figure above or below the target, and how many quarters in a row it has
    been so, across financial years, each quarter's figure worked out from its months
    (:func:`quarter_figure`) and set against the same target: the period's, which for a flow
    is set for a quarter (a target a month, scaled). With a ``target_year`` (a Targets row) the
    target is the year's own, so earlier years are not judged by it. None for fewer than two,
    on target, a quarter whose figure its months do not give, or another measure."""
    if period.kind is not PeriodKind.QUARTER or value is None or target is None:
        return None
    now = judge(value, target, ind.polarity, ind.places)
    if now.relation is Relation.IN_LINE:
        return None
    by_month = {p.month: p for p in points}
    end, n = period.last, 0
    if shown(quarter_figure(by_month, end, ind), ind.places) != shown(value, ind.places):
        return None  # the quarter's figure is not its months': say nothing
    whole = True
    while True:
        figure = quarter_figure(by_month, end, ind)
        if figure is None or (target_year is not None and end.fy != period.fy):
            break
        if judge(figure, target, ind.polarity, ind.places).relation is not now.relation:
            whole = False  # a break seen: the run is this long
            break
        n, end = n + 1, end - 3
    return QuarterRun(n, end + 1, now.relation, now.better, whole) if n >= 2 else None


class Parted(Point, Protocol):
    """A month's figure with a ratio's parts (``csckpi.facts.MonthPoint``)."""

    @property
    def numerator(self) -> float | None: ...

    @property
    def denominator(self) -> float | None: ...


def quarter_figure(by_month: Mapping[Month, Parted], end: Month, ind: Indicator) -> float | None:
    """The figure of the quarter ending ``end`` from its months: a position's is its last
    month's; a count of events' (a flow) the three months added up; a percentage of a ratio's
    its parts added up, numerator over denominator. None where a month (or a part) is
    missing, or for any other measure or unit."""
    if ind.measure is Measure.SNAPSHOT:
        last = by_month.get(end)
        return None if last is None else last.value
    months = [by_month.get(end - k) for k in range(3)]
    if ind.measure is Measure.FLOW and ind.unit is Unit.COUNT:
        values = [m.value if m is not None else None for m in months]
        return None if None in values else sum(v or 0.0 for v in values)
    if ind.measure is Measure.RATIO and ind.unit is Unit.PERCENT:
        parts = [(m.numerator, m.denominator) if m is not None else (None, None) for m in months]
        if any(n is None or d is None for n, d in parts):
            return None
        denominator = sum(d or 0.0 for _, d in parts)
        return sum(n or 0.0 for n, _ in parts) / denominator * 100 if denominator else None
    return None
