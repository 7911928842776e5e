"""Clauses of the standing: the figure against the target and the benchmarks, grouped by
relation ("below our target of 90% and statistical neighbours (87.7%), but positively above the
national average (83.8%)"), each figure named where the period's and the year to date's stand
differently."""

from __future__ import annotations

from dataclasses import dataclass

from csckpi import numbers
from csckpi.facts import Figure
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, lead
from csckpi.narrate.records import EMPTY, Clause, Fact
from csckpi.periods import Period


@dataclass(frozen=True)
class Said:
    """A standing as words, with its facts, how many groups, and the one group's judgement
    (None: several, or no judgement)."""

    text: str
    facts: tuple[Fact, ...]
    groups: int
    better: bool | None


@dataclass(frozen=True)
class Item:
    key: str  # target, statistical neighbours, region, england
    name: str
    value: float
    shown: str
    relation: str
    better: bool | None
    source: str
    year: str


#: (items both figures stand alike against, the period's figure against the others, the year
#: to date against them)
Split = tuple[list[Item], list[Item], list[Item]]


def standing(ctx: Context) -> Clause:
    """Target and benchmarks, grouped (each figure named when they stand differently)."""
    said = standing_text(ctx, split=True)
    return Clause(said.text, said.facts) if said else EMPTY


def plain_standing(ctx: Context) -> Clause:
    """The period's own figure against the target and benchmarks (the verdict's)."""
    said = standing_text(ctx, split=False)
    return Clause(said.text, said.facts) if said else EMPTY


def target_standing(ctx: Context) -> Clause:
    s = ctx.subject
    if s is None:
        return EMPTY
    said = grouped(ctx, items(ctx, True, False, s.figure), s.value, s.period)
    return Clause(said.text, said.facts) if said else EMPTY


def benchmark_standing(ctx: Context) -> Clause:
    s = ctx.subject
    if s is None:
        return EMPTY
    said = grouped(ctx, items(ctx, False, True, s.figure), s.value, s.period)
    return Clause(said.text, said.facts) if said else EMPTY


def items(ctx: Context, with_target: bool, with_benchmarks: bool, figure: Figure) -> list[Item]:
    """What ``figure`` is judged against (its facts' standing), as the sentence names it."""
    judged = ctx.facts.standing(figure)
    out: list[Item] = []
    target = judged.target
    if with_target and target is not None:
        said = numbers.target(target.theirs, ctx.unit, ctx.places)
        out.append(
            Item(
                "target",
                f"our target of {said}",
                target.theirs,
                said,
                target.relation,
                target.better,
                "",
                "",
            )
        )
    if with_benchmarks:
        for b in judged.benchmarks:
            label = w.COMPARATOR_LABEL.get(b.comparator, b.name)
            shown = ctx.fig(b.value)
            out.append(
                Item(
                    b.comparator.value,
                    f"{label} ({shown})",
                    b.value,
                    shown,
                    b.relation,
                    b.better,
                    b.source or "",
                    b.year or "",
                )
            )
    return out


def grouped(
    ctx: Context, items: list[Item], value: float, period: Period, *, pronoun: bool = False
) -> Said | None:
    """Items with the same relation said together: `below our target of 90%,
    statistical neighbours (87.7%) and the regional average (88.8%), but positively above
    the national average (83.8%), as recorded in LAIT 2020`. With ``pronoun``, a single
    item is `it` (named already)."""
    if not items:
        return None
    sources = {(i.source, i.year) for i in items if i.key != "target"}
    per_item = len(sources) > 1
    groups: list[list[Item]] = []
    for item in items:
        for group in groups:
            if group[0].relation == item.relation:
                group.append(item)
                break
        else:
            groups.append([item])
    parts: list[str] = []
    facts: list[Fact] = []
    for group in groups:
        words = lead(group[0].relation, group[0].better, any(i.key == "target" for i in group))
        names = []
        for item in group:
            name = item.name
            if per_item and item.key != "target" and (item.source or item.year):
                name = name[:-1] + f", {source_text(item.source, item.year)})"
            names.append(name)
            facts.append(
                Fact(
                    "target" if item.key == "target" else "benchmark",
                    value=value,
                    shown=ctx.fig(value),
                    period=period.label,
                    comparator=item.key,
                    other=item.value,
                    other_shown=item.shown,
                    source=source_text(item.source, item.year) or None,
                    relation=item.relation,
                    better=item.better,
                    polarity=ctx.polarity(),
                    words=words,
                )
            )
        said = "it" if pronoun and len(items) == 1 else w.join(names)
        parts.append(f"{words} {said}")
    if len(parts) == 2:
        judged = {g[0].better for g in groups}
        conj = "but" if {True, False} <= judged else "and"
        comma = "," if len(groups[0]) > 1 else ""
        text = f"{parts[0]}{comma} {conj} {parts[1]}"
    else:
        text = w.join(parts)
    if sources and not per_item and not (pronoun and len(items) == 1):
        source, year = next(iter(sources))
        said = source_text(source, year)
        if said:
            text += f", as recorded in {said}"
    better = groups[0][0].better if len(groups) == 1 else None
    return Said(text, tuple(facts), len(groups), better)


def split_items(ctx: Context) -> Split | None:
    """Where the headline states the period's figure and the year to date and they stand
    differently against the target or a benchmark: (the items both stand alike against,
    the period's figure against the others, the year to date against them); else None."""
    s, ytd = ctx.subject, ctx.stated_ytd()
    if s is None or ytd is None:
        return None
    ours = items(ctx, True, True, s.figure)
    theirs = items(ctx, True, True, ctx.ytd_figure())
    differ = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    if not differ:
        return None
    alike = [a for i, a in enumerate(ours) if i not in differ]
    return alike, [ours[i] for i in differ], [theirs[i] for i in differ]


def standing_text(ctx: Context, split: bool) -> Said | None:
    s = ctx.subject
    if s is None:
        return None
    parts = split_items(ctx) if split else None
    if parts is None:
        return grouped(ctx, items(ctx, True, True, s.figure), s.value, s.period)
    alike, ours, theirs = parts
    ytd = ctx.stated_ytd()
    assert ytd is not None
    ytd_period = s.period.ytd()
    mine = grouped(ctx, ours, s.value, s.period)
    other = grouped(ctx, theirs, ytd, ytd_period, pronoun=True)
    assert mine is not None and other is not None
    judged = {mine.better, other.better}
    conj = "but" if {True, False} <= judged else "and"
    text = f"{mine.text} for {ctx.figure_noun()} {conj} {other.text} for the year to date"
    facts = mine.facts + other.facts
    both = grouped(ctx, alike, s.value, s.period)
    if both is not None:
        text = f"{both.text}; {text}"
        facts = both.facts + facts
    return Said(text, facts, 2, None)


def source_text(source: str, year: str) -> str:
    source, year = source.strip(), year.strip()
    if source and (not year or year in source):
        return source
    if source:
        return f"{source} for {year}"
    return f"figures for {year}" if year else ""
