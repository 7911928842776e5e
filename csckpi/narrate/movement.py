"""Clauses of movement: the figure against the same period last year and the period before
("a slight increase on the 280 children as at December 2019", "a small drop from 287 as at
November 2020", "up from 70.3% as at September 2020")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.facts import Figure, is_running_total
from csckpi.model import Measure, Unit
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, as_measure
from csckpi.narrate.records import EMPTY, Clause, Fact
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.model import Judged


def last_year(ctx: Context) -> Clause:
    """The same period last year: `an increase on the 77.7% in Q3 2019/20`."""
    s = ctx.subject
    if s is None or s.is_ytd:
        return EMPTY
    period = s.period.last_year()
    # a cumulative count's own count for the period against last year's
    judged = ctx.facts.last_year_flow if s.figure is Figure.FLOW else ctx.facts.last_year
    if judged is None:
        return EMPTY
    ind = as_measure(ctx.ind, s.measure)
    return _movement(ctx, "last year", judged, period, w.when_wording(ind, period), "year")


def previous(ctx: Context) -> Clause:
    """The period before, in full: `a small drop from 100.0% in November 2020`."""
    found = _previous_figure(ctx)
    if found is None:
        return EMPTY
    judged, period = found
    s = ctx.subject
    assert s is not None
    style = "month" if period.kind is PeriodKind.MONTH else "year"
    when = w.when_wording(as_measure(ctx.ind, s.measure), period)
    return _movement(ctx, "previous", judged, period, when, style)


def previous_short(ctx: Context) -> Clause:
    """The period before, said after another movement: `up from 70.3% as at September 2020`."""
    found = _previous_figure(ctx)
    if found is None:
        return EMPTY
    judged, period = found
    s = ctx.subject
    assert s is not None
    when = w.when_wording(as_measure(ctx.ind, s.measure), period)
    return _movement(ctx, "previous", judged, period, when, "short")


def _previous_figure(ctx: Context) -> tuple[Judged, Period] | None:
    """The figure against the period before's, when a movement on it means something."""
    s, c = ctx.subject, ctx.c
    if s is None or s.is_ytd or c.previous_period is None:
        return None
    judged = ctx.facts.previous
    # A running total only grows: compare the period's own counts (compute gives a
    # cumulative count's previous as that period's flow; a rate's as null), or say nothing.
    if is_running_total(ctx.ind) and (ctx.unit is not Unit.COUNT or s.measure is not Measure.FLOW):
        return None
    if judged is None or ctx.facts.run is not None:
        return None  # "for the second consecutive month" says it better
    period = c.previous_period
    if period == s.period.last_year():
        return None  # a year's period before is last year, said already
    return judged, period


def _then_text(ctx: Context, then: float) -> str:
    shown = ctx.fig(then)
    if ctx.unit is Unit.RATE:
        return f"the rate of {shown}"
    if ctx.unit in (Unit.COUNT, Unit.NUMBER) and ctx.phrase:
        noun = w.said_again(w.subject_noun(ctx.phrase))  # the headline said it first
        return f"the {shown} {noun}" if noun else f"the {shown}"
    return f"the {shown}"


def _movement(
    ctx: Context,
    kind: str,
    judged: Judged,
    period: Period,
    when: str,
    style: str,
) -> Clause:
    """``style``: `year` (a slight increase on the 280 children ...), `month` (a small
    rise from 287 ...) or `short` (up from 287 ...)."""
    now, then = judged.ours, judged.theirs
    m = w.movement(judged, ctx.unit, ctx.places, ctx.settings.thresholds)
    good = judged.better
    if style == "short":
        words = _short_movement_words(m, good)
    else:
        words = ctx.variant(kind, _movement_words(m, good, style == "month"))
    s = ctx.subject
    assert s is not None
    if style == "year":
        text = f"{words} {_then_text(ctx, then)} {when}"
    else:
        text = f"{words} {ctx.fig(then)} {when}"
    extra: tuple[Fact, ...] = ()
    if style != "short":
        # on last year the sentence has just named the things counted: not a third time
        said = _as_count(ctx, now, then, named=style == "year") or _parts_as_count(
            ctx, s.period, period, judged
        )
        if said is not None:
            text += f" ({said[0]})"
            extra = (said[1],)
    fact = Fact(
        kind,
        value=now,
        shown=ctx.fig(now),
        period=s.period.label,
        comparator=kind,
        other=then,
        other_shown=ctx.fig(then),
        other_period=period.label,
        relation=m.relation,
        degree=m.degree,
        better=good,
        polarity=ctx.polarity(),
        words=words,
    )
    return Clause(text, (fact, *extra))


#: A change of a count up to this many is said as a count too: "(4 more children)".
SMALL_COUNT = 10


def _as_count(
    ctx: Context, now: float, then: float, *, named: bool = False
) -> tuple[str, Fact] | None:
    """A small change in a count, said as a count: `1 more missing episode`, `4 more` where
    the sentence has just ``named`` the things counted ("on the 280 children"); None for
    another unit, a change of nothing or over :data:`SMALL_COUNT`, or a phrase with no noun to
    count."""
    if ctx.unit is not Unit.COUNT or not ctx.phrase:
        return None
    noun = w.said_again(w.subject_noun(ctx.phrase))  # "EHAs", not "Early Help Assessments (EHA)"
    change = round((numbers.shown(now, ctx.places) or 0) - (numbers.shown(then, ctx.places) or 0))
    if not noun or change == 0 or abs(change) > SMALL_COUNT:
        return None
    counted = "" if named else " " + (w.singular(noun) if abs(change) == 1 else noun)
    text = f"{abs(change)} {'more' if change > 0 else 'fewer'}{counted}"
    fact = Fact(
        "count change",
        value=now,
        other=then,
        count=abs(change),
        relation=w.INCREASE if change > 0 else w.DECREASE,
        words=text,
    )
    return text, fact


def period_parts(c: Comparison, period: Period) -> tuple[float, float] | None:
    """A ratio's numerator and denominator over ``period``: its months' parts added up, from
    the months the comparison keeps (across years); None where a month lacks one."""
    points = {p.month: p for p in (c.history or c.months)}
    found = [points.get(m) for m in period.months()]
    parts = [(p.numerator, p.denominator) for p in found if p is not None]
    if len(parts) != len(found) or any(n is None or d is None for n, d in parts):
        return None
    return sum(n or 0.0 for n, _ in parts), sum(d or 0.0 for _, d in parts)


def _parts_as_count(
    ctx: Context, now_period: Period, then_period: Period, judged: Judged
) -> tuple[str, Fact] | None:
    """A percentage of a ratio whose numerator changed by a small count, said as a count:
    `4 more children` — the two periods' numerators from their months' parts (last year's
    too, where the months of a year ago have theirs), each only where its parts give the
    figure compared, and a noun to count from the phrase."""
    if ctx.unit is not Unit.PERCENT or ctx.ind.measure is not Measure.RATIO:
        return None
    noun = w.counted_noun(ctx.phrase)
    now, then = period_parts(ctx.c, now_period), period_parts(ctx.c, then_period)
    if not noun or now is None or then is None or not now[1] or not then[1]:
        return None
    for (n, d), figure in ((now, judged.ours), (then, judged.theirs)):
        if ctx.fig(n / d * 100) != ctx.fig(figure):
            return None  # not the parts of the figure compared
    change = round(now[0] - then[0])
    if change == 0 or abs(change) > SMALL_COUNT or change != now[0] - then[0]:
        return None
    counted = w.singular(noun) if abs(change) == 1 else noun
    text = f"{abs(change)} {'more' if change > 0 else 'fewer'} {counted}"
    fact = Fact(
        "parts change",
        value=now[0],
        period=now_period.label,
        other=then[0],
        other_period=then_period.label,
        count=abs(change),
        relation=w.INCREASE if change > 0 else w.DECREASE,
        words=text,
    )
    return text, fact


def _short_movement_words(m: w.Movement, good: bool | None) -> str:
    """The period before, said after another movement: `up from`, `slightly down from`; `an
    improvement, down from` where the change is clear and good through the polarity (as a movement
    on last year is "positive")."""
    if m.relation == w.SAME:
        return "unchanged from"
    if m.comparable:
        return "little changed from"
    way = "up from" if m.relation == w.INCREASE else "down from"
    if good and not m.slight:
        return f"{IMPROVED}, {way}"
    return f"slightly {way}" if m.slight else way


#: A clear change for the better on the period before, through the polarity, said before its
#: direction: "an improvement, down from 9.1% in November 2020".
IMPROVED = "an improvement"


def _movement_words(m: w.Movement, good: bool | None, monthly: bool) -> tuple[str, ...]:
    """The words for a movement on last year (a quarter before) or (``monthly``) on the month
    before, the plain ones first, then those a committee reads as the same: `a slight increase
    on` / `slightly higher than`, `a rise from` / `up from`. "Positive(ly)" (on the month
    before: "an improvement, down from") only where the change is clear and good through the
    polarity."""
    if m.relation == w.SAME:
        return ("unchanged from",) if monthly else ("the same as",)
    if m.comparable:
        return ("little changed from",) if monthly else ("comparable to", "similar to")
    up = m.relation == w.INCREASE
    way, than = ("up", "higher") if up else ("down", "lower")
    if monthly:
        noun = "rise" if up else "drop"
        if m.slight:
            return f"a small {noun} from", f"slightly {way} from"
        if good:
            return (f"{IMPROVED}, {way} from",)
        return f"a {noun} from", f"{way} from"
    if m.slight:
        return f"a slight {'increase' if up else 'decrease'} on", f"slightly {than} than"
    if good:
        return ("a positive increase on" if up else "a positive reduction on"), (
            f"positively {than} than"
        )
    return ("an increase on" if up else "a decrease on"), f"{than} than"
