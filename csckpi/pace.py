"""Pace to target: what the rest of the financial year needs for the year to reach its target.

Two kinds of figure have a year-end to reach:

- a **year-to-date percentage with its parts** (numerator over denominator, e.g. 455 of 534
  assessments on time) and a target: the year ends at (N + x) / (D + V), where V is the
  number of cases the rest of the year will bring and x of them meet the standard. V is the
  same months' count a year earlier when the data have it (a ratio's monthly denominators, a
  cumulative percentage's running denominator), else this year's rate so far (D over the
  months so far, times the months left), and is said as "about". The share needed is
  (target x (D + V) - N) / V; above 100% the target is out of reach, and the best the year can
  end at is (N + V) / (D + V); at or below 0 it is met whatever happens.
- a **count with a target for the year** (the Targets sheet's ``per = year``): the monthly
  number needed over the months left, (target - count so far) / months left, beside the
  monthly number so far.

Nothing is said for the last month of the year (March: nothing is left), for a figure on or
better than its target (no news), or where a part is missing. Pure: it reads the figures
``csckpi.compare`` gathered, decides no wording (``csckpi.narrate.pace`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

from csckpi.judgement import judge
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.periods import Month, Period


@dataclass(frozen=True)
class PaceInputs:
    """What compare gathers for the pace: the year to date's parts at the period's end, and
    the count the rest of the year brought a year earlier (None: not in the data)."""

    numerator: float | None = None
    denominator: float | None = None
    rest_last_year: float | None = None


@dataclass(frozen=True)
class Pace:
    """What the rest of the year needs for the year to reach ``target`` by ``by``."""

    target: float
    by: Month  # the year's last month (March)
    first_left: Month  # the first month still to come
    months_left: int
    months_done: int
    done: float  # a percentage's numerator so far, or the count so far
    of: float | None  # a percentage's denominator so far; None for a count
    rest: float | None  # a percentage's cases still to come (estimated); None for a count
    rest_basis: str | None  # "last year" (the same months a year earlier) or "this year"
    needed: float  # a percentage: % of the rest; a count: the number a month
    reachable: bool  # False: even every remaining case would not reach it
    best: float | None  # a percentage out of reach: the best the year can end at
    polarity: Polarity

    @property
    def so_far(self) -> float:
        """A count's monthly number so far; a percentage's figure so far."""
        if self.of is None:
            return self.done / self.months_done
        return self.done / self.of * 100


@dataclass(frozen=True)
class _Year:
    """The year to date a pace is worked out for (a comparison's, ``csckpi.facts``)."""

    ind: Indicator
    period: Period
    inputs: PaceInputs
    ytd: float | None
    ytd_target: float | None  # the year to date's target (a percentage's)
    target_per: str | None  # what the target was set for (a count's must be `year`)
    target_as_set: float | None  # the target as the workbook sets it (a count's year)


def pace_of(
    ind: Indicator,
    period: Period,
    inputs: PaceInputs | None,
    ytd: float | None,
    ytd_target: float | None,
    target_per: str | None,
    target_as_set: float | None,
) -> Pace | None:
    """The pace for the year to date at ``period``'s end, or None (see the module)."""
    last = period.last
    if last.month == 3 or ind.polarity is Polarity.NONE or inputs is None:
        return None
    by = Month(period.fy + 1, 3)
    left = by.index - last.index
    done_months = last.index - Month(period.fy, 4).index + 1
    c = _Year(ind, period, inputs, ytd, ytd_target, target_per, target_as_set)
    if ind.unit is Unit.PERCENT:
        return _percentage(c, by, left, done_months)
    if ind.unit is Unit.COUNT and target_per == "year" and target_as_set is not None:
        return _count(c, by, left, done_months)
    return None


def _percentage(c: _Year, by: Month, left: int, done_months: int) -> Pace | None:
    inputs = c.inputs
    n, d, target = inputs.numerator, inputs.denominator, c.ytd_target
    ind = c.ind
    if n is None or d is None or not d or target is None or c.ytd is None:
        return None
    if judge(c.ytd, target, ind.polarity, ind.places).better is not False:
        return None  # on or better than the target: nothing the rest of the year must do
    if inputs.rest_last_year is not None and inputs.rest_last_year > 0:
        rest, basis = inputs.rest_last_year, "last year"
    else:
        rest, basis = d / done_months * left, "this year"
    needed = (target / 100 * (d + rest) - n) / rest * 100
    up = ind.polarity is Polarity.UP
    reachable = needed <= 100 if up else needed >= 0
    best = None if reachable else ((n + rest) if up else n) / (d + rest) * 100
    return Pace(
        target,
        by,
        c.period.last + 1,
        left,
        done_months,
        n,
        d,
        rest,
        basis,
        needed,
        reachable,
        best,
        ind.polarity,
    )


def _count(c: _Year, by: Month, left: int, done_months: int) -> Pace | None:
    ind = c.ind
    so_far = c.ytd if ind.measure in (Measure.FLOW, Measure.CUMULATIVE) else None
    target = c.target_as_set
    if so_far is None or target is None:
        return None
    needed = (target - so_far) / left
    up = ind.polarity is Polarity.UP
    # news only when the year so far is behind the pace the target sets
    if judge(so_far / done_months * 12, target, ind.polarity, ind.places).better is not False:
        return None
    reachable = needed >= 0 if not up else True
    return Pace(
        target,
        by,
        c.period.last + 1,
        left,
        done_months,
        so_far,
        None,
        None,
        None,
        needed,
        reachable,
        None,
        ind.polarity,
    )
