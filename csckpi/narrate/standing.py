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
                f"our target of {said}{scaled(ctx, target.theirs, figure)}",
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


#: What a scaled target is for, by the figure's period (`36 for the quarter (12 a month)`).
_FOR = {
    "month": "the month",
    "quarter": "the quarter",
    "ytd": "the year to date",
    "year": "the year",
}


def scaled(ctx: Context, target: float, figure: Figure | None = None) -> str:
    """Where the target the figure is judged against is the workbook's scaled to the figure's
    months (a flow's monthly target times three for a quarter), what it is for and as set:
    ` for the quarter (12 a month)`; empty otherwise. ``figure``: which of the comparison's
    figures it judges (default: the headline's)."""
    c, s = ctx.c, ctx.subject
    per = c.target_per
    if c.target_as_set is None or s is None or per not in ("month", "quarter", "year"):
        return ""
    if numbers.shown(target, ctx.places) == numbers.shown(c.target_as_set, ctx.places):
        return ""
    figure = figure or s.figure
    kind = "ytd" if figure is Figure.YTD else s.period.kind.value
    as_set = numbers.target(c.target_as_set, ctx.unit, ctx.places)
    return f" for {_FOR.get(kind, 'the period')} ({as_set} a {per})"


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
    # "it" only for the same target (a scaled one is the year to date's own)
    same = [i.value for i in theirs] == [i.value for i in ours]
    other = grouped(ctx, theirs, ytd, ytd_period, pronoun=same)
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


def target_note(ctx: Context) -> Clause:
    """Why the figure is not set beside the target, where the workbook's target is for another
    length of period and cannot be scaled to this one (compare's block says the same): `Our
    target of 160 a month is not compared with this quarter's figure`."""
    c, s = ctx.c, ctx.subject
    if s is None or c.target_as_set is None or ctx.facts.standing(s.figure).target is not None:
        return EMPTY
    per = c.target_per
    if per not in ("month", "quarter", "year", "ytd"):
        return EMPTY
    as_set = numbers.target(c.target_as_set, ctx.unit, ctx.places)
    set_for = "for the year to date" if per == "ytd" else f"a {per}"
    kind = "year to date" if s.figure is Figure.YTD else s.period.kind.value
    this = {"month": "month", "quarter": "quarter", "year to date": "year to date"}.get(
        kind, "period"
    )
    text = f"Our target of {as_set} {set_for} is not compared with this {this}'s figure"
    fact = Fact(
        "target note",
        period=s.period.label,
        comparator="target",
        other=c.target_as_set,
        other_shown=as_set,
        reason=f"set {set_for}",
        words=text,
    )
    return Clause(text, (fact,))
