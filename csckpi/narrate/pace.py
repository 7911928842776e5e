"""Pace to target in words: what the rest of the year needs (``csckpi.pace`` decides it).

A percentage: "To reach our target of 90% by March 2021, 94.6% of the C&F assessments still to
come (about 180, as many as in January to March 2020) must be completed within 45 working
days"; out of reach: "Our target of 90% is out of reach this year: even if all of the C&F
assessments still to come (about 178, at this year's rate so far) were completed within 45
working days, 2020/21 would end at 88.9%". A count with a target for the year: "To reach our
target of 300 for 2020/21, about 25 a month are needed from January to March 2021, against
18 a month so far".
"""

from __future__ import annotations

import math
import re

from csckpi import numbers
from csckpi.model import Polarity
from csckpi.narrate import words as w
from csckpi.narrate.context import Context
from csckpi.narrate.records import EMPTY, Clause, Fact
from csckpi.pace import Pace
from csckpi.periods import fy_label

#: A percentage's phrase split at its verb: `of C&F assessments were completed within ...`.
_VERB = re.compile(
    r"^of (?:the |our )?(?P<noun>.+?) "
    r"(?P<verb>were|was|have been|has been|had|have|has) (?P<rest>.+)$"
)


def _parts(phrase: str) -> tuple[str, str, str] | None:
    """(noun, must-form, were-form): `C&F assessments`, `be completed within 45 working
    days`, `were completed within 45 working days`; None when the phrase is not `of NOUN
    VERB ...`."""
    found = _VERB.match(" ".join(phrase.split()))
    if found is None:
        return None
    noun, verb, rest = found["noun"], found["verb"], found["rest"]
    if verb in ("had", "have", "has"):
        return noun, f"have {rest}", f"had {rest}"
    return noun, f"be {rest}", f"were {rest}"


def pace(ctx: Context) -> Clause:
    """The pace sentence (``{pace}``), with one fact: the share (or monthly number) needed,
    the target, the cases still to come and how they were estimated."""
    p = ctx.facts.pace
    if p is None:
        return EMPTY
    target = numbers.target(p.target, ctx.unit, ctx.places)
    by = w.month_name(p.by)
    said = _count(ctx, p, target) if p.of is None else _percentage(ctx, p, target, by)
    if said is None:
        return EMPTY
    text = said
    fact = Fact(
        "pace",
        value=p.needed,
        shown=None if p.of is None else ctx.fig(p.needed),
        period=ctx.c.period.ytd().label,
        other=p.target,
        other_shown=target,
        relation="reachable" if p.reachable else "out of reach",
        polarity=ctx.polarity(),
        count=None if p.rest is None else round(p.rest),
        reason=p.rest_basis,
        words=text,
    )
    return Clause(text, (fact,))


def _about(p: Pace) -> str:
    rest = round(p.rest or 0)
    if p.rest_basis == "last year":
        return f"about {rest:,}, as many as in {w.span(p.first_left - 12, p.by - 12)}"
    return f"about {rest:,}, at this year's rate so far"


def _percentage(ctx: Context, p: Pace, target: str, by: str) -> str | None:
    found = _parts(ctx.ind.phrase)
    noun, must, were = found if found else ("cases", "meet it", "met it")
    still = f"the {noun} still to come ({_about(p)})"
    up = p.polarity is Polarity.UP
    if p.reachable:
        needed = ctx.fig(max(p.needed, 0.0) if up else min(p.needed, 100.0))
        if up:
            return f"To reach our target of {target} by {by}, {needed} of {still} must {must}"
        return (
            f"To stay within our target of {target} by {by}, no more than {needed} of {still} "
            f"may {must}"
        )
    assert p.best is not None
    best = ctx.fig(p.best)
    year = fy_label(ctx.c.period.fy)
    if up:
        return (
            f"Our target of {target} is out of reach this year: even if all of {still} {were}, "
            f"{year} would end at {best}"
        )
    return (
        f"Our target of {target} is out of reach this year: even if none of {still} {were}, "
        f"{year} would end at {best}"
    )


def _count(ctx: Context, p: Pace, target: str) -> str:
    year = fy_label(ctx.c.period.fy)
    months = w.span(p.first_left, p.by)
    so_far = f"{round(p.so_far):,}"
    if not p.reachable:
        return (
            f"Our target of {target} for {year} has already been passed, with "
            f"{numbers.figure(p.done, ctx.unit, ctx.places)} so far"
        )
    needed = _per_month(p.needed, p.polarity is Polarity.UP)
    if p.polarity is Polarity.UP:
        return (
            f"To reach our target of {target} for {year}, about {needed} a month are needed "
            f"from {months}, against {so_far} a month so far"
        )
    return (
        f"To stay within our target of {target} for {year}, there can be no more than about "
        f"{needed} a month from {months}, against {so_far} a month so far"
    )


def _per_month(value: float, up: bool) -> str:
    """A monthly number as said, whole: rounded up when it is to be reached (`24.2` -> `25`),
    down when it is a ceiling (`24.8` -> `24`)."""
    whole = math.ceil(value - 1e-9) if up else math.floor(value + 1e-9)
    return f"{max(whole, 0):,}"
