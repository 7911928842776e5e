"""Clauses that join the standing and the movements into one or two sentences, as the report
writes them: "This is below our target of 90% but a positive increase on the 77.7% in Q3
2019/20." """

from __future__ import annotations

from collections.abc import Sequence

from csckpi.model import Unit
from csckpi.narrate import words as w
from csckpi.narrate.context import Context
from csckpi.narrate.movement import last_year, previous, previous_short
from csckpi.narrate.records import EMPTY, Clause, Fact, Sentence, whole_sentences
from csckpi.narrate.standing import Said, Split, grouped, items, split_items, standing_text
from csckpi.periods import PeriodKind


def comparison(ctx: Context) -> Clause:
    """Target, benchmarks and last year joined."""
    return _compose(ctx, with_previous=False)


def full_comparison(ctx: Context) -> Clause:
    """The comparison with the period before added."""
    return _compose(ctx, with_previous=True)


def _moves(ctx: Context, with_previous: bool, joined: bool) -> tuple[str, tuple[Fact, ...]]:
    """Last year and (``with_previous``) the period before as one phrase: `a positive
    increase on the 72.7% as at December 2019, and up from 70.3% as at September 2020`.
    The period before alone is said in full unless ``joined`` to a standing."""
    last = ctx.clause(last_year)
    full = ctx.clause(previous) if with_previous else EMPTY
    short = ctx.clause(previous_short) if with_previous else EMPTY
    if last and short:
        return f"{last.text}, and {short.text}", last.facts + short.facts
    if last:
        return last.text, last.facts
    if full:
        chosen = short if joined else full
        return chosen.text, chosen.facts
    return "", ()


def _previous_alone(ctx: Context) -> Clause:
    """The period before in a sentence of its own after a standing ("It is ..."): in full
    for a quarter ("a positive reduction on the 22.3% ..."), short for a month ("up from
    83.7% ...")."""
    c = ctx.c
    if c.previous_period is not None and c.previous_period.kind is PeriodKind.MONTH:
        return ctx.clause(previous_short)
    return ctx.clause(previous)


def _compose(ctx: Context, with_previous: bool) -> Clause:
    """Target, benchmarks, last year (and the period before) as the report joins them:
    "This is below our target of 90% but a positive increase on the 77.7% in Q3 2019/20."
    A standing of two groups ("above ... but below ...") keeps its own sentence and the
    movements follow ("It is ..."). Where the period's figure and the year to date stand
    differently against a comparator, each is named."""
    s = ctx.subject
    if s is None:
        return EMPTY
    split = split_items(ctx)
    if split is not None:
        return _compose_split(ctx, split, with_previous)
    standing = standing_text(ctx, split=False)
    if ctx.stated_ytd() is not None:  # the headline named two figures: say which is judged
        return _compose_named(ctx, standing, with_previous)
    if standing is None:
        text, facts = _moves(ctx, with_previous, joined=False)
        kind = "last_year" if ctx.clause(last_year) else "previous"
        opens = ctx.variant("moved", _MOVED)
        return whole_sentences(Sentence(f"{opens} {text}." if text else "", kind, facts))
    last = ctx.clause(last_year)
    listed = "," in standing.text  # a list of comparators: one more "and" is too many
    opens = ctx.variant("standing", _openings(ctx))
    if standing.groups == 1:
        alone = with_previous and listed and bool(last) and bool(ctx.clause(previous))
        text, facts = _moves(ctx, with_previous and not alone, joined=True)
        after = _previous_alone(ctx) if alone else EMPTY
        if not text:
            return whole_sentences(
                Sentence(f"{opens} {standing.text}.", "standing", standing.facts)
            )
        judged = {standing.better, _judged(facts)}
        conj = "but" if {True, False} <= judged else "and"
        comma = "," if listed else ""
        # the standing first, or (where the movement is one phrase) the movement
        moved_first = f"{text} {conj} {standing.text}" if "," not in text else None
        orders = (f"{standing.text}{comma} {conj} {text}", moved_first)
        return whole_sentences(
            Sentence(
                f"{opens} {ctx.variant('order', orders)}.",
                "standing",
                standing.facts + facts,
            ),
            Sentence(f"It is {after.text}." if after else "", "previous", after.facts),
        )
    if last:
        text, facts = _moves(ctx, with_previous, joined=False)
        kind = "last_year"
    else:
        after = _previous_alone(ctx) if with_previous else EMPTY
        text, facts, kind = after.text, after.facts, "previous"
    return whole_sentences(
        Sentence(f"{opens} {standing.text}.", "standing", standing.facts),
        Sentence(f"It is {text}." if text else "", kind, facts),
    )


def _compose_named(ctx: Context, standing: Said | None, with_previous: bool) -> Clause:
    """After a headline that named two figures (the period's and its year to date) standing
    alike against the target and the benchmarks, each sentence names what it judges: "Both
    figures are below our target of 90%." (as where they stand apart). A movement is the
    period's figure's: "Both figures are below our target of 90%, but the quarter's figure is
    a positive increase on the 70.0% in Q3 2019/20."; "The quarter's figure is a positive
    reduction on the 43 re-referrals in Q3 2019/20." """
    s, ytd = ctx.subject, ctx.stated_ytd()
    assert s is not None and ytd is not None
    text, moved = _moves(ctx, with_previous, joined=False)
    kind = "last_year" if ctx.clause(last_year) else "previous"
    noun = f"{ctx.figure_noun()}'s figure"
    if standing is None:
        return whole_sentences(
            Sentence(f"{w.capitalise(noun)} is {text}." if text else "", kind, moved)
        )
    theirs = grouped(ctx, items(ctx, True, True, ctx.ytd_figure()), ytd, s.period.ytd())
    both = standing.facts + (theirs.facts if theirs is not None else ())
    movements = [f for f in moved if f.kind in ("last year", "previous")]
    if standing.groups == 1 and len(movements) == 1:  # one movement: one sentence
        judged = {standing.better, _judged(moved)}
        conj = "but" if {True, False} <= judged else "and"
        said = f"Both figures are {standing.text}, {conj} {noun} is {text}."
        return whole_sentences(Sentence(said, "standing", both + moved))
    return whole_sentences(
        Sentence(f"Both figures are {standing.text}.", "standing", both),
        Sentence(f"{w.capitalise(noun)} is {text}." if text else "", kind, moved),
    )


#: How a sentence of movements alone opens ("This is a rise from 6 in November 2020.").
_MOVED = ("This is", "That is")


def _openings(ctx: Context) -> tuple[str | None, ...]:
    """How the standing's sentence opens: `This is below our target of 90%`, `The figure
    is ...`, or, for a percentage or a rate, with the figure again: `At 85.8%, the figure
    is ...`."""
    s = ctx.subject
    assert s is not None
    again = f"At {ctx.fig(s.value)}, the figure is" if ctx.unit in _AT else None
    return ("This is", "The figure is", again)


#: Units whose figure reads well after "At": `At 85.8%, the figure is ...`, `At 39.2, ...`.
_AT = frozenset({Unit.PERCENT, Unit.RATE})


def _compose_split(ctx: Context, split: Split, with_previous: bool) -> Clause:
    """ "This is a positive increase on ... . The quarter is positively above our target
    of 95%, the year to date below it." """
    s, ytd = ctx.subject, ctx.stated_ytd()
    assert s is not None and ytd is not None
    alike, ours, theirs = split
    text, facts = _moves(ctx, with_previous, joined=False)
    kind = "last_year" if ctx.clause(last_year) else "previous"
    moves = Sentence(f"This is {text}." if text else "", kind, facts)
    both = grouped(ctx, alike, s.value, s.period)
    both_sentence = Sentence(
        f"Both figures are {both.text}." if both else "",
        "standing",
        both.facts if both else (),
    )
    mine = grouped(ctx, ours, s.value, s.period)
    same = [i.value for i in theirs] == [i.value for i in ours]  # "it": the same target
    other = grouped(ctx, theirs, ytd, s.period.ytd(), pronoun=same)
    assert mine is not None and other is not None
    noun = w.capitalise(ctx.figure_noun())
    apart = Sentence(
        f"{noun} is {mine.text}, the year to date {other.text}.",
        "standing",
        mine.facts + other.facts,
    )
    return whole_sentences(moves, both_sentence, apart)


def _judged(facts: Sequence[Fact]) -> bool | None:
    """The judgement of the first movement among ``facts`` (last year's, else the period
    before's)."""
    for fact in facts:
        if fact.kind in ("last year", "previous"):
            # "little changed" is no contrast with "positively above"
            return None if fact.degree in (w.SAME, "comparable") else fact.better
    return None
