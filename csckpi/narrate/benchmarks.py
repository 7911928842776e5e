"""Clauses about the benchmarks' time and the council's place among councils.

``benchmark_note``: why the figure is not set beside the benchmarks (they describe a whole
year and the figure is a count over fewer months; or every benchmark describes a later year),
or that the benchmarks it is set beside are out of date. ``ranking``: the council's rank and
quartile among all councils (``csckpi benchmarks import``). Both only word what
``csckpi.facts`` and the comparison hold; nothing is decided here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csckpi.facts import STALE_AFTER_YEARS, Figure, Withheld
from csckpi.narrate import words as w
from csckpi.narrate.records import EMPTY, Clause, Fact
from csckpi.periods import fy_label

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.narrate.context import Context


def benchmark_note(ctx: Context) -> Clause:
    """`It is not compared with the benchmarks for 2019/20: they count a whole year, and
    this figure counts 3 months`; `There is no benchmark for 2018/19 or earlier to compare it
    with: the earliest is for 2019/20`; `The benchmarks describe 2016/17, more than two years
    before 2020/21`."""
    if ctx.subject is None:
        return EMPTY
    c, figure = ctx.c, ctx.subject.figure
    standing = ctx.facts.standing(figure)
    period = c.period
    if standing.withheld is Withheld.NOT_LIKE_FOR_LIKE:
        years = w.join(sorted({b.year for b in c.benchmarks if b.year}))
        months = _months(c, figure)
        length = "one month" if months == 1 else f"{months} months"
        text = (
            f"It is not compared with the benchmarks for {years}: they count a whole year, "
            f"and this figure counts {length}"
        )
        reason = Withheld.NOT_LIKE_FOR_LIKE.value
        return Clause(text, (Fact("benchmark note", period=period.label, reason=reason),))
    if standing.withheld is Withheld.ONLY_LATER:
        year = fy_label(period.fy)
        text = (
            f"There is no benchmark for {year} or earlier to compare it with: the earliest is "
            f"for {c.later_benchmarks}"
        )
        fact = Fact(
            "benchmark note",
            period=period.label,
            other_period=c.later_benchmarks,
            reason=Withheld.ONLY_LATER.value,
        )
        return Clause(text, (fact,))
    stale = sorted({b.year for b in standing.benchmarks if b.stale})
    if stale:
        gap = "two" if STALE_AFTER_YEARS == 2 else str(STALE_AFTER_YEARS)
        text = (
            f"The benchmarks describe {w.join(stale)}, more than {gap} years before "
            f"{fy_label(period.fy)}: read them with care"
        )
        fact = Fact("benchmark note", period=period.label, other_period=stale[0], reason="stale")
        return Clause(text, (fact,))
    return EMPTY


def _months(c: Comparison, figure: Figure) -> int:
    if figure is Figure.YTD and c.ytd_period is not None:
        return len(c.ytd_period.months())
    return c.span if c.span is not None else len(c.period.months())


def ranking(ctx: Context) -> Clause:
    """`Darlington was ranked 34th of 152 councils in 2019/20, second quartile, where the
    first is best (Children in need 2020)`."""
    c = ctx.c
    r = c.ranking
    if r is None:
        return EMPTY
    who = c.council or "The council"
    release = str(r.release)
    text = f"{who} was {w.ranking(r)}" + (f" ({release})" if release else "")
    fact = Fact(
        "rank",
        value=float(r.rank) if r.rank else None,
        period=r.year.label,
        other=float(r.of),
        source=release or None,
        degree=w.ordinal(r.quartile) if r.quartile else None,
        polarity=r.polarity.value,
        count=r.tied,
        reason=r.reason,
        words=w.ranking(r),
    )
    return Clause(text, (fact,))
