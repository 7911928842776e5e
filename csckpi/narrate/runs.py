"""Clauses of the months and runs: the period's months in a sentence ("The monthly figures
were 75.8% in October, ..."), and months in a row that read alike ("100.0% for the second
consecutive month", "above target for the third month running")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.model import Measure, Relation
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, lead
from csckpi.narrate.records import EMPTY, Clause, Fact, Sentence, whole_sentences
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.facts import MonthPoint, Run
    from csckpi.series import QuarterRun


def months(ctx: Context) -> Clause:
    """The months of the period, as a sentence: `The monthly figures were ...`."""
    period = ctx.c.period
    if period.kind is PeriodKind.MONTH:
        return EMPTY
    points = [m for m in ctx.c.months if period.contains(m.month)]
    present = [m for m in points if m.value is not None]
    if not present:
        return EMPTY
    measure = ctx.ind.measure
    if measure is Measure.CUMULATIVE and ctx.wording_measure() is Measure.SNAPSHOT:
        measure = Measure.SNAPSHOT  # a position, worded as one
    at = "at the end of " if measure is Measure.CUMULATIVE else "in "
    last_year = present[-1].month.year
    texts = []
    facts = []
    alike = _alike(ctx, present)
    for i, group in enumerate(alike):
        shown = ctx.fig(group[0].value)  # type: ignore[arg-type]
        texts.append(f"{shown} {at}{_months_of(group, i == len(alike) - 1, last_year)}")
        facts += [Fact("months", p.value, shown, p.month.iso) for p in group]
    if measure is Measure.CUMULATIVE:
        words = "The year to date stood at"
    elif measure is Measure.SNAPSHOT:
        words = "The month-end figures were"
    else:
        words = "The monthly figures were"
    # a run said with "and" inside ("both November and December"): the list's last "and"
    # takes a comma, so the two read apart
    listed = (
        w.join(texts)
        if len(texts) < 2 or not any(" and " in t for t in texts)
        else (", ".join(texts[:-1]) + ", and " + texts[-1])
    )
    text = f"{words} {listed}"
    missing = [m for m in points if m.value is None]
    withheld = [m for m in missing if f"m:{m.month.iso}" in ctx.c.withheld]
    gaps = [w.month_name(m.month, m.month.year != last_year) for m in missing if m not in withheld]
    held = [w.month_name(m.month, m.month.year != last_year) for m in withheld]
    if held and gaps:
        text += f" ({w.join(held)} withheld under disclosure control; no figure for {w.join(gaps)})"
    elif held:
        text += f" ({w.join(held)} withheld under disclosure control)"
    elif gaps:
        text += f" (no figure for {w.join(gaps)})"
    return Clause(text, tuple(facts))


def _alike(ctx: Context, present: list[MonthPoint]) -> list[list[MonthPoint]]:
    """The months in runs of consecutive months at the same figure as shown (a month alone
    is a run of one)."""
    runs: list[list[MonthPoint]] = []
    for point in present:
        before = runs[-1][-1] if runs else None
        if (
            before is not None
            and point.month == before.month + 1
            and ctx.fig(point.value) == ctx.fig(before.value)  # type: ignore[arg-type]
        ):
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _months_of(run: list[MonthPoint], last: bool, last_year: int) -> str:
    """The months of a run at one figure, as the run of a month says them (`in every month
    since April 2020`): `every month from April to December 2020`, `both November and
    December`, `October`; the year where the list's last run ends (``last``), or where it is
    not ``last_year`` (the year of the list's last month)."""
    first, end = run[0].month, run[-1].month
    year = last or end.year != last_year or first.year != end.year
    if len(run) == 1:
        return w.month_name(first, year)
    if len(run) == 2:
        return f"both {w.month_name(first, first.year != end.year)} and {w.month_name(end, year)}"
    if year:
        return f"every month from {w.span(first, end)}"
    return f"every month from {w.month_name(first, False)} to {w.month_name(end, False)}"


def month_cells(ctx: Context) -> Clause:
    """Where a month's rate is recomputed from its count and differs from the workbook's own
    cell as shown, say once which figure is used and what the workbook gives, for every month
    the report's table shows (this year's and last year's, to the period's end), not only the
    period's (for the analyst: "Each month's figure is worked out from its count; the workbook
    gives 134.9 for August and 130.0 for October")."""
    end = ctx.c.period.last
    shown = [m for m in (*ctx.c.last_year_months, *ctx.c.months) if m.month <= end]
    differ = [m for m in shown if m.workbook is not None and m.value is not None]
    if not differ:
        return EMPTY
    last_year = end.year
    said, facts = [], []
    for m in differ:
        assert m.workbook is not None and m.value is not None
        said.append(f"{ctx.fig(m.workbook)} for {w.month_name(m.month, m.month.year != last_year)}")
        facts.append(
            Fact(
                "months",
                m.value,
                ctx.fig(m.value),
                m.month.iso,
                comparator="reported",
                other=m.workbook,
                other_shown=ctx.fig(m.workbook),
            )
        )
    text = "Each month's figure is worked out from its count; the workbook gives " + w.join(said)
    return Clause(text, tuple(facts))


def run(ctx: Context) -> Clause:
    """A run of months at the same figure: `100.0% for the second consecutive month`."""
    found = ctx.facts.run
    if found is None or ctx.c.value is None:
        return EMPTY
    words = _run_words(found, "for the {nth} consecutive month")
    shown = ctx.fig(ctx.c.value)
    fact = Fact(
        "run",
        ctx.c.value,
        shown,
        ctx.c.period.label,
        relation=w.SAME,
        count=found.months,
        words=words,
        other_period=found.first.iso if _since(found) else None,
    )
    return Clause(f"{shown} {words}", (fact,))


def target_run(ctx: Context) -> Clause:
    """A run against the target: `above target for the third month running`."""
    found = ctx.facts.target_run
    if found is None:
        return EMPTY
    words = f"{_target_lead(found)} target " + _run_words(found, "for the {nth} month running")
    return Clause(words, (_target_run_fact(ctx, found, words),))


def runs(ctx: Context) -> Clause:
    """The runs in one sentence, each fact once: "The figure has been 88.2% for the second
    consecutive month, and below target for the fourth month running." """
    same_run, target = ctx.facts.run, ctx.facts.target_run
    quarters = ctx.facts.quarter_run
    if quarters is not None and same_run is None and target is None:
        return _quarters(ctx, quarters)
    if same_run is None and target is None:
        return EMPTY
    if same_run is None:
        said = ctx.clause(target_run)
        return whole_sentences(
            Sentence(f"The figure has been {said.text}.", "target_run", said.facts)
        )
    same = ctx.clause(run)
    text = f"The figure has been {same.text}"
    facts = list(same.facts)
    if target is not None and target.months > same_run.months:
        # a run of the same figure is on the same side of the target (said already by
        # the standing); a longer run against the target is news
        words = f"{_target_lead(target)} target " + _run_words(
            target, "for the {nth} month running"
        )
        text += f", and {words}"
        facts.append(_target_run_fact(ctx, target, words))
    return whole_sentences(Sentence(text + ".", "run", tuple(facts)))


def _quarters(ctx: Context, q: QuarterRun) -> Clause:
    """`The figure has been below target for the fourth quarter in a row.`"""
    assert ctx.c.value is not None and ctx.c.target is not None
    side = f"{lead(q.relation, q.better, True)} target"
    since = None
    if q.whole:  # no break seen: say what the data show, not how long the run is
        since = Period.of_quarter(q.first.fy, q.first.quarter).label
        words = f"{side} in every quarter since {since}"
    else:
        words = f"{side} for the {w.ordinal(q.quarters)} quarter in a row"
    fact = _target_fact(ctx, "quarter run", q.relation, q.better, words, q.quarters, since)
    return whole_sentences(Sentence(f"The figure has been {words}.", "quarter_run", (fact,)))


def _target_lead(run: Run) -> str:
    """The words before "target" in a run against it: `below`, `positively above`, `on`."""
    return "on" if run.relation is Relation.IN_LINE else lead(run.relation, run.better, True)


def _target_run_fact(ctx: Context, run: Run, words: str) -> Fact:
    since = run.first.iso if _since(run) else None
    return _target_fact(ctx, "target run", run.relation, run.better, words, run.months, since)


def _target_fact(
    ctx: Context,
    kind: str,
    relation: Relation,
    better: bool | None,
    words: str,
    count: int,
    since: str | None = None,
) -> Fact:
    """The period's figure against its target, held for ``count`` months or quarters
    (``since``: said as held in every month or quarter since this one)."""
    assert ctx.c.value is not None and ctx.c.target is not None
    return Fact(
        kind,
        ctx.c.value,
        ctx.fig(ctx.c.value),
        ctx.c.period.label,
        comparator="target",
        other=ctx.c.target,
        other_shown=numbers.target(ctx.c.target, ctx.unit, ctx.places),
        relation=relation,
        better=better,
        polarity=ctx.polarity(),
        words=words,
        count=count,
        other_period=since,
    )


def _since(run: Run) -> bool:
    """Whether a run is said from its first month: longer than a year (runs cross financial
    years), or back to the first month held or a gap, where no break is seen and the run may
    be longer than the months counted."""
    return run.months > 12 or run.whole


def _run_words(run: Run, pattern: str) -> str:
    """`for the third month running`; `in every month since April 2020` (:func:`_since`)."""
    if _since(run):
        return f"in every month since {w.month_name(run.first)}"
    return pattern.format(nth=w.ordinal(run.months))


def trend(ctx: Context) -> Clause:
    """Moves the same way month on month, and a record, to the period's last month, in one
    sentence that names its subject (it follows the months or a run, not the movement it
    continues): "The figure has fallen for three months in a row and is the lowest since
    March 2019."; a trend back to the first month held (or a gap), where no break is seen:
    "The figure has risen every month since April 2020." A quarter's subject is its months'
    (`The month-end figure`, `The year to date`)."""
    moving, record = ctx.facts.trend, ctx.facts.record
    if moving is None and record is None:
        return EMPTY
    month = moving.month if moving is not None else record.month  # type: ignore[union-attr]
    value = moving.value if moving is not None else record.value  # type: ignore[union-attr]
    shown = ctx.fig(value)
    said: list[str] = []
    facts: list[Fact] = []
    if moving is not None:
        up = moving.relation is Relation.ABOVE
        verb = "has risen" if up else "has fallen"
        if moving.whole:
            words = f"{verb} every month since {w.month_name(moving.since)}"
        else:
            words = f"{verb} for {w.cardinal(moving.moves)} months in a row"
        said.append(words)
        facts.append(
            Fact(
                "trend",
                value,
                shown,
                month.iso,
                other_period=moving.since.iso if moving.whole else None,
                relation=w.INCREASE if up else w.DECREASE,
                better=moving.better,
                polarity=ctx.polarity(),
                words=words,
                count=moving.moves,
            )
        )
    if record is not None:
        most = "highest" if record.relation is Relation.ABOVE else "lowest"
        if record.since is not None:
            words = f"the {most} since {w.month_name(record.since)}"
        else:
            words = (
                f"the {most} of the {record.months + 1} months since {w.month_name(record.first)}"
            )
        said.append(f"is {words}")
        facts.append(
            Fact(
                "record",
                value,
                shown,
                month.iso,
                other_period=record.since.iso if record.since else record.first.iso,
                relation=record.relation,
                better=record.better,
                polarity=ctx.polarity(),
                words=words,
                count=record.months,
            )
        )
    if moving is None and ctx.c.period.kind is not PeriodKind.MONTH:
        text = f"The {w.month_name(month)} figure, {shown}, {said[0]}."
    else:
        text = f"{_trend_subject(ctx)} {' and '.join(said)}."
    return whole_sentences(Sentence(text, "trend", tuple(facts)))


def _trend_subject(ctx: Context) -> str:
    """What moved, as a quarter's months sentence names its months (a month's too, which
    says which figure of the month moved): `The month-end figure`, `The year to date`."""
    measure = ctx.ind.measure
    if measure is Measure.CUMULATIVE and ctx.wording_measure() is Measure.SNAPSHOT:
        measure = Measure.SNAPSHOT
    if measure is Measure.CUMULATIVE:
        return "The year to date"
    if measure is Measure.SNAPSHOT:
        return "The month-end figure"
    return "The monthly figure"
