"""Key messages: the three to six things a committee should hear first, ranked from the facts.

Each indicator gives at most one candidate, the most pressing of:

1. **a RAG that moved** since the period before, worse first: a crossing of the target
   ("now below our target of 90% at 87.0% (red); it met the target in …"), amber to red; then
   better: red to amber, red or amber to green ("now meets our target of 90% at 91.1%
   (green); it was red …"). The period before's RAG is judged
   by compute's rule (``judgement.rag_of``) against the period's target and tolerance, so only
   where that target is its own too: not a running total's (its figure before is another
   span), not across financial years when the target is a year's own (a Targets row);
2. **a significant signal** (SPC) at the period's last month, an improvement or a concern;
3. **the distance from the target** of a figure that misses it, relative to the target, with
   its RAG;
4. **the distance from the national average** of a figure worse than it (no target);
5. **the biggest changes on last year**: improvements first, then deteriorations, each only
   when the change is clear (more than slight, as the thresholds say).

Candidates are ranked by tier, then by size: for a RAG change a move of two colours (green to
red) before one, then the relative distance from the target; elsewhere the relative distance
or change. The first six are the key messages, the biggest improvement (a RAG that got better,
else a change on last year) always among them. An indicator is *notable*
when it gives a candidate; ``--summary`` leaves out the paragraphs of the others unless
``--all``. Every message reads facts only (``Comparison.facts``) and carries the
:class:`Fact` s it states.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from csckpi import numbers
from csckpi.facts import Figure
from csckpi.model import Comparator, Indicator, Judged, Rag
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, as_measure
from csckpi.narrate.movement import last_year
from csckpi.narrate.records import Fact
from csckpi.narrate.standing import scaled

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.narrate.engine import Settings

#: At most this many key messages; fewer only when fewer indicators have news.
MOST = 6

#: The tiers, most pressing first.
WORSE_RAG, BETTER_RAG, SIGNAL, FROM_TARGET, FROM_BENCHMARK, IMPROVED, WORSENED = range(7)
#: A message is an improvement: the biggest is always heard.
_BETTER = (BETTER_RAG, IMPROVED)


@dataclass(frozen=True)
class KeyMessage:
    key: str
    code: str
    label: str  # the indicator's short name
    text: str
    tier: int
    size: float  # relative size within its tier: bigger is more pressing
    facts: tuple[Fact, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "label": self.label,
            "text": self.text,
            "facts": [f.as_dict() for f in self.facts],
        }


_STARTS = (
    "the percentage of ",
    "the total number of ",
    "the monthly number of ",
    "the number of ",
    "the rate of ",
    "the figure for ",
    "the ",
)


_BRACKETS = re.compile(r"\s*\([^()]*\)")


def short_name(ind: Indicator, spelled: Mapping[str, str] | None = None) -> str:
    """The indicator's short name: its `label` when the workbook gives one (as given), else
    its title as a short noun phrase: `% of C&F assessments completed within 45 working days`
    -> `C&F assessments completed within 45 working days`; remarks in brackets are left out,
    and each abbreviation the sentences spell out at its first mention is written in full
    (``spelled``: :func:`csckpi.narrate.words.spelled_out` of the phrases; by default the
    indicator's own): `The % of CiC who have an up to date Health Checks` -> `Children in
    Care who have an up to date Health Checks`, as the sentence beside it says "Children in
    Care (CiC)"."""
    given = " ".join(ind.label.split())
    if given:
        return given
    name = _BRACKETS.sub("", w.subject(ind.title)).strip()
    for start in _STARTS:
        if name.lower().startswith(start):
            name = name[len(start) :]
            break
    if spelled is None:
        spelled = w.spelled_out([ind.phrase])
    return w.capitalise(w.spell_out(name.strip(), spelled)) or ind.code


def _relative(judged: Judged) -> float:
    """The size of a difference relative to the figure compared with (0 when that is 0)."""
    return abs(judged.difference) / abs(judged.theirs) if judged.theirs else abs(judged.difference)


def _gap(ctx: Context, judged: Judged) -> str:
    """`4.8 percentage points`, `12`."""
    return numbers.points(judged.difference, ctx.unit, ctx.places, long=True)


def candidate(
    c: Comparison, settings: Settings, spelled: Mapping[str, str] | None = None
) -> KeyMessage | None:
    """The indicator's most pressing news, or None when it has none; named by its short name
    (``spelled``: the abbreviations the phrases spell out, :func:`short_name`)."""
    ctx = Context(c, settings)
    s = ctx.subject
    if s is None or s.is_ytd:
        return None
    found = (
        _rag_moved(ctx) or _signal(ctx) or _from_target(ctx) or _from_benchmark(ctx) or _moved(ctx)
    )
    if found is None:
        return None
    tier, size, text, facts = found
    label = short_name(ctx.ind, spelled)
    text = f"{w.capitalise(label)}: {text}."  # a message opens with its name
    return KeyMessage(ctx.ind.key, ctx.ind.code, label, text, tier, size, facts)


Found = tuple[int, float, str, tuple[Fact, ...]]


def _target_fact(ctx: Context, judged: Judged, period: str, words: str) -> Fact:
    return Fact(
        "target",
        judged.ours,
        ctx.fig(judged.ours),
        period,
        comparator="target",
        other=judged.theirs,
        other_shown=numbers.target(judged.theirs, ctx.unit, ctx.places),
        relation=judged.relation,
        better=judged.better,
        polarity=ctx.polarity(),
        words=words,
    )


_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


def _rag_moved(ctx: Context) -> Found | None:
    """The RAG moved since the period before: worse (green to amber or red, amber to red: a
    crossing of the target is a new amber or red) or better (red to amber or green, amber to
    green). Worse ranks first; then a move of two colours before one, then the larger
    relative distance from the target."""
    s, c = ctx.subject, ctx.c
    assert s is not None
    now, before = c.rag, ctx.facts.previous_rag
    judged, judged_before = ctx.facts.standing(s.figure).target, ctx.facts.previous_target
    if now is None or before is None or now is before or s.figure is not Figure.VALUE:
        return None
    if judged is None or judged_before is None or c.previous_period is None:
        return None
    steps = _ORDER[now] - _ORDER[before]
    target = numbers.target(judged.theirs, ctx.unit, ctx.places) + scaled(ctx, judged.theirs)
    when = w.when_wording(ctx.ind, c.previous_period)
    figure, then = ctx.fig(judged.ours), f"{when} ({ctx.fig(judged_before.ours)})"
    rated = f"({now.value})"
    if before is Rag.GREEN:  # a crossing of the target
        side = "below" if judged.relation == "below" else "above"
        said, was = f"now {side}", "it met the target"
        text = f"{said} our target of {target} at {figure} {rated}; {was} {then}"
    elif now is Rag.GREEN:
        said, was = "now meets", f"it was {before.value}"
        text = f"{said} our target of {target} at {figure} {rated}; {was} {then}"
    else:
        said = rated = f"now {now.value}"
        was = f"it was {before.value}"
        text = f"{said} at {figure} against our target of {target}; {was} {then}"
    facts = (
        _target_fact(ctx, judged, s.period.label, said),
        _target_fact(ctx, judged_before, c.previous_period.label, was),
        Fact("rag", period=s.period.label, relation=now.value, words=rated),
        Fact("rag", period=c.previous_period.label, relation=before.value, words=was),
    )
    size = abs(steps) + _relative(judged) / (1 + _relative(judged))  # steps first, then distance
    return (WORSE_RAG if steps > 0 else BETTER_RAG), size, text, facts


def _signal(ctx: Context) -> Found | None:
    """The period's last month part of a significant signal (SPC), judged through the
    polarity: `December 2020 is the seventh month in a row above the average of 84.1% — a
    significant improvement`."""
    from csckpi.narrate.control import spc

    standing = ctx.facts.spc
    if standing is None or standing.signal is None:
        return None
    if standing.signal.judgement.value not in ("improvement", "concern"):
        return None
    said = ctx.clause(spc)
    if not said or not said.facts:
        return None
    text = said.text.removesuffix(".")
    return SIGNAL, float(standing.in_a_row or 1), text, said.facts


def _from_target(ctx: Context) -> Found | None:
    s = ctx.subject
    assert s is not None
    judged = ctx.facts.standing(s.figure).target
    if judged is None or judged.better is not False:
        return None
    side = judged.relation
    target = numbers.target(judged.theirs, ctx.unit, ctx.places)
    target += scaled(ctx, judged.theirs)
    text = f"{ctx.fig(judged.ours)}, {_gap(ctx, judged)} {side} our target of {target}"
    facts: tuple[Fact, ...] = (_target_fact(ctx, judged, s.period.label, side),)
    rag = ctx.c.rag if s.figure is Figure.VALUE else None
    if rag is not None:  # the RAG the scorecard shows: amber is within the tolerance
        text += f", rated {rag.value}"
        facts += (Fact("rag", period=s.period.label, relation=rag.value, words=rag.value),)
    return FROM_TARGET, _relative(judged), text, facts


def _from_benchmark(ctx: Context) -> Found | None:
    s = ctx.subject
    assert s is not None
    if ctx.facts.standing(s.figure).target is not None:
        return None  # the target says it
    for bench in ctx.facts.standing(s.figure).benchmarks:
        judged = bench.judged
        if bench.comparator is not Comparator.ENGLAND or judged is None:
            continue
        if judged.better is not False:
            return None
        text = (
            f"{ctx.fig(judged.ours)}, {_gap(ctx, judged)} {judged.relation} the national "
            f"average ({ctx.fig(judged.theirs)})"
        )
        fact = Fact(
            "benchmark",
            judged.ours,
            ctx.fig(judged.ours),
            s.period.label,
            comparator=bench.comparator.value,
            other=judged.theirs,
            other_shown=ctx.fig(judged.theirs),
            relation=judged.relation,
            better=judged.better,
            polarity=ctx.polarity(),
        )
        return FROM_BENCHMARK, _relative(judged), text, (fact,)
    return None


def _moved(ctx: Context) -> Found | None:
    """A clear change on the same period last year, judged through the polarity."""
    said = ctx.clause(last_year)
    if not said or not said.facts:
        return None
    fact = said.facts[0]
    if fact.degree != "clear" or fact.better is None or fact.other is None:
        return None
    s = ctx.subject
    assert fact.value is not None and s is not None
    size = abs(fact.value - fact.other) / abs(fact.other) if fact.other else 1.0
    period = s.period.last_year()
    when = w.when_wording(as_measure(ctx.ind, s.measure), period)
    words = f"{'better' if fact.better else 'worse'} than last year"
    text = f"{words}, {fact.shown} against {fact.other_shown} {when}"
    return (IMPROVED if fact.better else WORSENED), size, text, (replace(fact, words=words),)


def key_messages(comparisons: Sequence[Comparison], settings: Settings) -> list[KeyMessage]:
    """The key messages: each indicator's most pressing news, ranked, at most :data:`MOST`."""
    from csckpi.narrate.check import message_disagreements, refuse
    from csckpi.narrate.twins import twins

    by_key = {c.key: c for c in comparisons}
    left_out = twins(comparisons)  # a twin's news is its first's: said once
    said = [c for c in comparisons if c.key not in left_out]
    # an abbreviation any sentence spells out is spelled out in every message's name
    spelled = w.spelled_out(c.indicator.phrase for c in comparisons)
    found = [m for c in said if (m := candidate(c, settings, spelled)) is not None]
    refuse([d for m in found for d in message_disagreements(m, by_key[m.key])])
    order = {key: i for i, key in enumerate(c.key for c in comparisons)}
    found.sort(key=lambda m: (m.tier, -m.size, order[m.key]))
    chosen = found[:MOST]
    # the biggest improvement is heard, even below six more pressing messages
    best = next((m for m in found if m.tier in _BETTER), None)
    if best is not None and best not in chosen and len(chosen) == MOST:
        chosen[-1] = best
    return chosen


def notable(c: Comparison, settings: Settings) -> bool:
    """Whether an indicator has news for the summary (a key message candidate)."""
    return candidate(c, settings) is not None
