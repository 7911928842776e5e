"""Clauses of the headline: the figure, its words and its period, and the plain names a
pattern may use (`{title}`, `{code}`, `{council}`, `{target}`, ...)."""

from __future__ import annotations

from csckpi import numbers
from csckpi.model import Unit
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, as_measure, is_year_to_date
from csckpi.narrate.records import EMPTY, Clause, Fact


def headline(ctx: Context) -> Clause:
    """The figure with its words and period: where the period is said is a phrasing
    (:func:`_placed`)."""
    s = ctx.subject
    if s is None:
        return EMPTY
    said, when = ctx.clause(value), ctx.clause(period_wording)
    ytd = ctx.clause(ytd_clause)
    phrase = ctx.phrase
    if _is_none(ctx):
        inner = said.text.replace(" (", ", ").removesuffix(")")
        body = f"none ({inner}) {w.none_of(phrase)}"
    elif ctx.unit is Unit.RATE and phrase and not w.has_verb(phrase):
        who = ctx.c.council or "the council"
        body = f"{who} had a rate of {said.text} {phrase}"
    elif phrase and (w.has_verb(phrase) or ctx.unit is Unit.PERCENT):
        body = f"{said.text} {phrase}"
    elif phrase:
        body = f"there were {said.text} {phrase}"
    else:
        body = f"{w.subject(ctx.ind.title)} was {said.text}"
    text = ctx.variant("headline", _placed(body, when.text, is_year_to_date(s)))
    facts = said.facts if s.is_ytd else said.facts + ytd.facts
    return Clause(w.capitalise(text) + ("" if s.is_ytd else ytd.text), facts)


def _placed(body: str, when: str, leads: bool) -> tuple[str | None, str | None]:
    """Where the headline says its period, the usual place first: a year to date leads
    ("Year to date (April to December 2020), 85.2% of ..."), or follows as "in the year to
    date (...)"; any other period follows the figure's words ("... as at December 2020"), or
    leads ("As at December 2020, 6.7% of ...", "During Q3 2020/21, ...", "In December
    2020, ...")."""
    first, last = f"{when}, {body}", f"{body} {when}"
    if not leads:
        return last, first
    trails = when.startswith("year to date") and "," not in body  # not after a list
    return first, (f"{body} in the {when}" if trails else None)


def value(ctx: Context) -> Clause:
    """The figure with its parts: `85.2% (455 / 534)`, `203`, `39.2`."""
    s = ctx.subject
    if s is None:
        return EMPTY
    text = ctx.fig(s.value)
    if ctx.unit is Unit.RATE and not w.says_per_10000(ctx.phrase or ctx.ind.title):
        text += " per 10,000 children aged 0-17"
    c = ctx.c
    if ctx.own_figure() and ctx.unit is Unit.PERCENT and c.numerator is not None:
        if c.denominator is not None:
            text += f" ({numbers.parts(c.numerator, c.denominator)})"
        elif numbers.shown(s.value, ctx.places) != 0:
            text += f" ({_counted(ctx, c.numerator)})"
    fact = Fact(
        "ytd" if s.is_ytd else "figure",
        value=s.value,
        shown=ctx.fig(s.value),
        period=s.period.label,
    )
    return Clause(text, (fact,))


def _counted(ctx: Context, count: float) -> str:
    """`20 children` (the phrase's noun), else `20`."""
    shown = numbers.count(count)
    noun = w.counted_noun(ctx.phrase)
    if not noun:
        return shown
    return f"{shown} {w.singular(noun) if shown == '1' else noun}"


def _is_none(ctx: Context) -> bool:
    """A percentage of none, whose phrase can say so: "none (0.0%) of the children ..."."""
    s = ctx.subject
    return (
        s is not None
        and ctx.unit is Unit.PERCENT
        and numbers.shown(s.value, ctx.places) == 0
        and bool(w.none_of(ctx.phrase))
    )


def figure(ctx: Context) -> Clause:
    s = ctx.subject
    if s is None:
        return EMPTY
    return Clause(ctx.fig(s.value), (Fact("figure", s.value, ctx.fig(s.value)),))


def phrase(ctx: Context) -> Clause:
    return Clause(ctx.phrase or w.subject(ctx.ind.title))


def subject(ctx: Context) -> Clause:
    return Clause(w.subject(ctx.ind.title))


def title(ctx: Context) -> Clause:
    return Clause(ctx.ind.title)


def code(ctx: Context) -> Clause:
    return Clause(ctx.ind.code)


def period(ctx: Context) -> Clause:
    return Clause(ctx.c.period.label)


def period_wording(ctx: Context) -> Clause:
    s = ctx.subject
    if s is None:
        return EMPTY
    return Clause(w.period_wording(as_measure(ctx.ind, s.measure), s.period, phrase=ctx.phrase))


def council(ctx: Context) -> Clause:
    return Clause(ctx.c.council or "")


def target(ctx: Context) -> Clause:
    if ctx.c.target is None:
        return EMPTY
    return Clause(numbers.target(ctx.c.target, ctx.unit, ctx.places))


def ytd(ctx: Context) -> Clause:
    c = ctx.c
    if c.ytd is None:
        return EMPTY
    period = c.ytd_period.label if c.ytd_period else None
    return Clause(ctx.fig(c.ytd), (Fact("ytd", c.ytd, ctx.fig(c.ytd), period),))


def ytd_clause(ctx: Context) -> Clause:
    s, stated = ctx.subject, ctx.stated_ytd()
    if s is None or stated is None:
        return EMPTY
    noun = "total" if ctx.unit in (Unit.COUNT, Unit.NUMBER) else "figure"
    shown = ctx.fig(stated)
    fact = Fact("ytd", stated, shown, s.period.ytd().label)
    return Clause(f", with a year to date {noun} of {shown}", (fact,))
