"""Facts about one indicator in one period, and every judgement made about it, made here once.

A :class:`Comparison` holds the figures of an indicator for a period (from
:mod:`csckpi.compare`, which gathers them from compute and the workbook): the figure and the
year to date, the target and the RAG, each benchmark, the same period last year, the period
before, the annual trend and the months. Its :attr:`Comparison.facts` are the judgements on
those figures — against the target, each benchmark, last year, the period before; for the
period's figure, a cumulative count's own count (flow) and the year to date; and the runs of
months — as typed records (:class:`Judged`, :class:`Standing`, :class:`Run`), each decided by
:func:`judge` on the figures as shown and judged through the indicator's polarity. They are
worked out once per comparison, on first use; ``csckpi.narrate``, ``csckpi.render`` and
``csckpi.report`` only read them. An indicator with polarity ``none`` is only ever "above" or
"below", never better or worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from csckpi.judgement import better_of as better_of
from csckpi.judgement import direction_of as direction_of
from csckpi.judgement import judge as judge
from csckpi.judgement import rag_of
from csckpi.judgement import relate as relate
from csckpi.model import Comparator, Direction, Indicator, Judged, Measure, Polarity, Rag, Relation
from csckpi.numbers import json_number, shown, shown_difference
from csckpi.pace import Pace, PaceInputs, pace_of
from csckpi.periods import Month, Period, PeriodKind, parse_data_year
from csckpi.series import (
    QuarterRun,
    Record,
    Trend,
    back,
    quarter_run,
    record_in,
    same_figure_run,
    target_run,
    trend_in,
)
from csckpi.series import Run as Run
from csckpi.series import is_running_total as is_running_total

if TYPE_CHECKING:
    from csckpi.published.records import Standing as Ranking
    from csckpi.spc import Signal, SpcFacts

#: The order benchmarks are listed in, and how a comparison names each.
COMPARATOR_ORDER = (Comparator.STATISTICAL_NEIGHBOURS, Comparator.REGION, Comparator.ENGLAND)
COMPARATOR_NAMES = {
    Comparator.STATISTICAL_NEIGHBOURS: "statistical neighbours",
    Comparator.REGION: "regional average",
    Comparator.ENGLAND: "national average",
}

ABOVE, BELOW, IN_LINE = Relation.ABOVE, Relation.BELOW, Relation.IN_LINE

#: A benchmark whose data year is more than this many years before the period's is stale.
STALE_AFTER_YEARS = 2
#: The months of the year a benchmark describes: a figure that grows with its period (a count
#: or a rate of events) over fewer months is not set beside it (docs/computation.md).
BENCHMARK_MONTHS = 12


# -- the one judgement (csckpi/judgement.py) ---------------------------------------------------


def _judged(
    ours: float | None, theirs: float | None, polarity: Polarity, places: int
) -> Judged | None:
    if ours is None or theirs is None:
        return None
    return judge(ours, theirs, polarity, places)


# -- figures --------------------------------------------------------------------------------------


class Figure(StrEnum):
    """Which of an indicator's figures for the period is judged."""

    VALUE = "value"  # the period's figure (a cumulative indicator's: its running total)
    FLOW = "flow"  # a cumulative count's own count for the period
    YTD = "ytd"  # the year to date at the period's end


@dataclass(frozen=True)
class Benchmark:
    """One benchmark's figure: statistical neighbours, region or England."""

    comparator: Comparator
    name: str  # as a comparison names it: "statistical neighbours", "regional average", ...
    value: float
    source: str  # "LAIT 2020"
    year: str  # the financial year the figure describes: "2019/20"

    @property
    def fy(self) -> int | None:
        """The data year's start (2019 for 2019/20); None when the year cannot be read."""
        return parse_data_year(self.year)


class Withheld(StrEnum):
    """Why a figure is not set beside the benchmarks."""

    #: it grows with its period and covers fewer months than the benchmarks' year
    NOT_LIKE_FOR_LIKE = "not like for like"
    #: every benchmark the workbook has describes a year after the period's
    ONLY_LATER = "only later benchmarks"


@dataclass(frozen=True)
class BenchmarkComparison:
    """One of our figures against one benchmark (made by :func:`judge_benchmarks`)."""

    comparator: Comparator
    name: str
    value: float  # the benchmark's figure
    source: str
    year: str
    difference: float  # ours - theirs, unrounded
    relation: str  # "above", "below" or "in line" (a Relation)
    better: bool | None  # through polarity; None for polarity none or in line
    judged: Judged | None = None  # the judgement itself (its difference is between shown)
    #: its data year is more than STALE_AFTER_YEARS before the period's year
    stale: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "comparator": self.comparator.value,
            "name": self.name,
            "value": self.value,
            "source": self.source,
            "year": self.year,
            "difference": self.difference,
            "relation": self.relation,
            "better": self.better,
            "stale": self.stale,
        }


def is_stale(year: str, period: Period) -> bool:
    """Whether a benchmark describing ``year`` is more than :data:`STALE_AFTER_YEARS` before
    ``period``'s financial year (2017/18's figures for a period of 2020/21)."""
    fy = parse_data_year(year)
    return fy is not None and period.fy - fy > STALE_AFTER_YEARS


def judge_benchmarks(
    indicator: Indicator,
    ours: float | None,
    benchmarks: Sequence[Benchmark],
    period: Period | None = None,
) -> tuple[BenchmarkComparison, ...]:
    """``ours`` against each benchmark, in :data:`COMPARATOR_ORDER` (each marked stale when
    ``period`` is given and its data year is more than two years before it)."""
    if ours is None:
        return ()
    out = []
    for bench in benchmarks:
        judged = judge(ours, bench.value, indicator.polarity, indicator.places)
        out.append(
            BenchmarkComparison(
                comparator=bench.comparator,
                name=bench.name,
                value=bench.value,
                source=bench.source,
                year=bench.year,
                difference=ours - bench.value,
                relation=judged.relation,
                better=judged.better,
                judged=judged,
                stale=period is not None and is_stale(bench.year, period),
            )
        )
    out.sort(key=lambda b: COMPARATOR_ORDER.index(b.comparator))
    return tuple(out)


class AnnualPoint(NamedTuple):
    """One year of the annual trend; the current year is a year to date."""

    label: str  # "2019/20", "2020/21 YTD"
    value: float | None
    basis: str  # as compute says: computed, reported, month, differs, none
    is_ytd: bool
    fy: int = 0  # the financial year's start: 2019 for 2019/20


class MonthPoint(NamedTuple):
    month: Month
    value: float | None
    #: the workbook's own cell where ``value`` is a rate recomputed from its count and the two
    #: differ as shown (CSC 200 Oct-20: 130.1 recomputed, 130.0 in the workbook); else None
    workbook: float | None = None
    numerator: float | None = None  # a ratio's parts, where the month has both (its history's)
    denominator: float | None = None


# -- judgements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One of our figures against the target and each benchmark."""

    figure: Figure
    target: Judged | None = None
    benchmarks: tuple[BenchmarkComparison, ...] = ()
    #: why the benchmarks are not set beside this figure (None: they are, or there are none)
    withheld: Withheld | None = None


@dataclass(frozen=True)
class SpcStanding:
    """Statistical process control at the period's last month (docs/spc.md): the indicator's
    chart (``chart``: limits, every signal, the icons, why there are no limits) and, when the
    period's last month is part of a pattern, the one that decided its icon."""

    chart: SpcFacts
    signal: Signal | None = None  # the pattern that decided the variation icon, if any
    in_a_row: int | None = None  # its months up to and including the period's last
    asked: bool = False  # SPC was asked for: say why there are no limits, too


@dataclass(frozen=True)
class Facts:
    """Every judgement about one indicator in one period, each made once by :func:`judge`.

    Benchmarks are set only against a period that has its own figure (a year to date standing
    in for a missing period is judged against the target alone)."""

    value: Standing
    flow: Standing
    ytd: Standing
    last_year: Judged | None = None  # the value against the same period last year
    last_year_flow: Judged | None = None  # a cumulative count's own count against last year's
    previous: Judged | None = None  # Comparison.against_previous against the period before
    run: Run | None = None  # the same figure as shown, months in a row
    target_run: Run | None = None  # the same side of the target, months in a row
    spc: SpcStanding | None = None  # statistical process control, when it was worked out
    previous_target: Judged | None = None  # the period before's figure against the target
    previous_rag: Rag | None = None  # its RAG, where our target is its too (same year)
    trend: Trend | None = None  # monthly moves the same way, to the period's last month
    record: Record | None = None  # the period's last month: the highest/lowest since ...
    pace: Pace | None = None  # what the rest of the year needs to reach the target
    quarter_run: QuarterRun | None = None  # the same side of the target, quarters in a row

    def standing(self, figure: Figure) -> Standing:
        return {Figure.VALUE: self.value, Figure.FLOW: self.flow, Figure.YTD: self.ytd}[figure]


# -- the comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One indicator for one period: its figures, and (:attr:`facts`) every judgement on them."""

    indicator: Indicator
    period: Period
    value: float | None = None
    basis: str = "none"
    from_records: bool = False  # the figure is derived from the children's records (Annex A)
    numerator: float | None = None
    denominator: float | None = None
    reported: float | None = None  # the workbook's own figure for the period, when it has one
    ytd: float | None = None
    ytd_period: Period | None = None
    flow: float | None = None  # a cumulative indicator's count for the period alone
    target: float | None = None
    rag: Rag | None = None
    tolerance: float | None = None  # how far from the target is amber (compute's, the period's)
    benchmarks: tuple[Benchmark, ...] = ()
    last_year: float | None = None
    last_year_period: Period | None = None
    last_year_flow: float | None = None  # a cumulative count's own count a year earlier
    change: float | None = None  # value - last_year, unrounded
    previous: float | None = None
    previous_period: Period | None = None
    previous_change: float | None = None
    annual: tuple[AnnualPoint, ...] = ()
    months: tuple[MonthPoint, ...] = ()  # the financial year's twelve
    last_year_months: tuple[MonthPoint, ...] = ()  # the twelve of the year before
    #: every month from the indicator's first figure to the period's last month, across
    #: financial years (runs, trends and records read it); empty: the year's months only
    history: tuple[MonthPoint, ...] = ()
    council: str | None = None
    reason: str | None = None  # why there is no value
    population: float | None = None  # the 0-17 population rates are worked out from
    #: the targets of the year to date, and of a cumulative count's own count (compute)
    ytd_target: float | None = None
    flow_target: float | None = None
    #: which target: as set, the Targets sheet's year (None: the Indicators sheet's), for
    #: what length of period, and what it was multiplied by for this one (None: withheld)
    target_as_set: float | None = None
    target_year: str | None = None
    target_per: str | None = None
    target_scale: float | None = None
    span: int | None = None  # the months the value covers, where it grows with its period
    #: the earliest data year of the benchmarks, where every one is after the period's year
    later_benchmarks: str | None = None
    ranking: Ranking | None = None  # rank among all councils (csckpi benchmarks import)
    spc: SpcFacts | None = None  # statistical process control to the period's last month
    spc_asked: bool = False  # the user asked for SPC (so "too few months" is said)
    #: figures withheld under disclosure control (``--publish``): their names (`value`,
    #: `m:2020-10`); taken out of the comparison, so never judged or said
    withheld: frozenset[str] = frozenset()
    pace_inputs: PaceInputs | None = None  # what the pace to target reads (csckpi.pace)

    @cached_property
    def facts(self) -> Facts:
        """Every judgement on these figures, worked out once (:func:`facts_of`)."""
        return facts_of(self)

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def target_relation(self) -> str | None:
        judged = self.facts.value.target
        return judged.relation if judged else None

    @property
    def target_better(self) -> bool | None:
        judged = self.facts.value.target
        return judged.better if judged else None

    @property
    def direction(self) -> Direction | None:
        """The value against the same period last year, as a direction of travel."""
        return direction_of(self.facts.last_year)

    @property
    def previous_direction(self) -> Direction | None:
        """:attr:`against_previous` against the period before, as a direction of travel."""
        return direction_of(self.facts.previous)

    @property
    def last_year_better(self) -> bool | None:
        """Whether the change on the same period last year is for the better (None: no
        judgement, or no change)."""
        judged = self.facts.last_year
        return judged.better if judged else None

    def benchmark(self, comparator: Comparator) -> BenchmarkComparison | None:
        for bench in self.facts.value.benchmarks:
            if bench.comparator is comparator:
                return bench
        return None

    def against(self) -> list[dict[str, Any]]:
        """Everything the value is compared with, in one shape: the target, each benchmark and
        the same period last year (each as ``comparator, name, value, source, year,
        difference, relation, better``)."""
        out: list[dict[str, Any]] = []
        if self.value is None:
            return out
        facts = self.facts
        if facts.value.target is not None:
            out.append(
                {
                    "comparator": "target",
                    "name": "target",
                    "value": self.target,
                    "source": None,
                    "year": None,
                    "difference": self.value - facts.value.target.theirs,
                    "relation": facts.value.target.relation,
                    "better": facts.value.target.better,
                }
            )
        out.extend(b.as_dict() for b in facts.value.benchmarks)
        if facts.last_year is not None:
            out.append(
                {
                    "comparator": "last year",
                    "name": "same period last year",
                    "value": self.last_year,
                    "source": None,
                    "year": self.last_year_period.label if self.last_year_period else None,
                    "difference": self.value - facts.last_year.theirs,
                    "relation": facts.last_year.relation,
                    "better": facts.last_year.better,
                }
            )
        return out

    @property
    def against_previous(self) -> float | None:
        """The figure the period before is compared with: a cumulative count's own flow for
        the period (its running total always grows), otherwise the value."""
        if self.indicator.measure is Measure.CUMULATIVE and self.flow is not None:
            return self.flow
        return self.value

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: periods by label, enums by value; ``comparisons`` is
        :meth:`against`.

        As in ``csckpi compute --format json``, the figures csckpi works out (value, ytd, flow,
        last year, previous, the trend and the months) are rounded half up to the indicator's
        decimals, the figures as shown and judged; changes and differences are between the
        figures as shown. What the workbook gives (numerator, denominator, target, benchmark
        values) is as stored. The records themselves keep the unrounded figures.
        """
        ind = self.indicator
        places = ind.places

        def r(value: float | None) -> float | int | None:
            return shown(value, places)

        def label(period: Period | None) -> str | None:
            return period.label if period is not None else None

        def enum(value: Rag | Direction | Withheld | None) -> str | None:
            return value.value if value is not None else None

        return {
            "key": ind.key,
            "code": ind.code,
            "title": ind.title,
            "section": ind.section,
            "unit": ind.unit.value,
            "polarity": ind.polarity.value,
            "measure": ind.measure.value,
            "decimals": ind.places,
            "period": self.period.label,
            "value": r(self.value),
            "basis": self.basis,
            "numerator": json_number(self.numerator, whole=True),
            "denominator": json_number(self.denominator, whole=True),
            "reported": r(self.reported),
            "ytd_period": label(self.ytd_period),
            "ytd": r(self.ytd),
            "flow": r(self.flow),
            "target": self.target,
            "target_relation": self.target_relation,
            "target_better": self.target_better,
            "rag": enum(self.rag),
            "target_as_set": self.target_as_set,
            "target_year": self.target_year,
            "target_per": self.target_per,
            "target_scale": self.target_scale,
            "span": self.span,
            "benchmarks_withheld": enum(self.facts.value.withheld),
            "later_benchmarks": self.later_benchmarks,
            "ranking": self.ranking.as_dict() if self.ranking else None,
            "comparisons": [
                item
                | {"difference": shown_difference(self.value, item["value"], places)}
                | ({"value": r(item["value"])} if item["comparator"] == "last year" else {})
                for item in self.against()
            ],
            "last_year_period": label(self.last_year_period),
            "last_year": r(self.last_year),
            "last_year_flow": r(self.last_year_flow),
            "change": shown_difference(self.value, self.last_year, places),
            "direction": enum(self.direction),
            "previous_period": label(self.previous_period),
            "previous": r(self.previous),
            "previous_change": shown_difference(self.against_previous, self.previous, places),
            "previous_direction": enum(self.previous_direction),
            "annual": [
                {"year": a.label, "value": r(a.value), "basis": a.basis, "ytd": a.is_ytd}
                for a in self.annual
            ],
            "months": [
                {"month": m.month.iso, "value": r(m.value)}
                | ({"workbook": m.workbook} if m.workbook is not None else {})
                for m in self.months
            ],
            "council": self.council,
            "reason": self.reason,
            "spc": None if self.spc is None else self.spc.as_dict(places),
        }


# -- making the facts -----------------------------------------------------------------------------


def facts_of(c: Comparison) -> Facts:
    """Every judgement on ``c``'s figures. Called once per comparison (``Comparison.facts``)."""
    ind = c.indicator
    polarity, places = ind.polarity, ind.places

    def standing(figure: Figure, ours: float | None) -> Standing:
        if ours is None:
            return Standing(figure)
        target = _judged(ours, _target_of(c, figure), polarity, places)
        if c.value is None:  # benchmarks only where the period has its own figure
            return Standing(figure, target)
        span = _span_of(c, figure)
        if c.benchmarks and span is not None and span < BENCHMARK_MONTHS:
            return Standing(figure, target, (), Withheld.NOT_LIKE_FOR_LIKE)
        if not c.benchmarks and c.later_benchmarks is not None:
            return Standing(figure, target, (), Withheld.ONLY_LATER)
        return Standing(figure, target, judge_benchmarks(ind, ours, c.benchmarks, c.period))

    before = None if is_running_total(ind) or c.value is None else c.previous
    same = c.target_year is None or c.period.fy == getattr(c.previous_period, "fy", None)
    return Facts(
        value=standing(Figure.VALUE, c.value),
        flow=standing(Figure.FLOW, c.flow),
        ytd=standing(Figure.YTD, c.ytd),
        last_year=_judged(c.value, c.last_year, polarity, places),
        last_year_flow=_judged(c.flow, c.last_year_flow, polarity, places),
        previous=_judged(c.against_previous, c.previous, polarity, places),
        run=_same_figure_run(c),
        target_run=_target_run(c),
        spc=_spc(c),
        previous_target=_judged(before, c.target, polarity, places),
        previous_rag=rag_of(before if same else None, c.target, c.tolerance, polarity, places),
        trend=_trend(c),
        record=_record(c),
        quarter_run=quarter_run(
            c.history or c.months, c.period, ind, c.value, c.target, c.target_year
        ),
        # under disclosure control no pace: its parts may be counts the publication withholds
        pace=pace_of(
            ind,
            c.period,
            None if c.withheld else c.pace_inputs,
            c.ytd,
            c.ytd_target,
            c.target_per,
            c.target_as_set,
        ),
    )


def _target_of(c: Comparison, figure: Figure) -> float | None:
    """The target ``figure`` is judged by: the value's, the year to date's or the flow's
    (compute makes each for its own length; a figure that does not grow has one target)."""
    if c.span is None or figure is Figure.VALUE:
        return c.target
    return c.ytd_target if figure is Figure.YTD else c.flow_target


def _span_of(c: Comparison, figure: Figure) -> int | None:
    """The months ``figure`` covers where it grows with its period (None: it does not)."""
    if c.span is None or figure is Figure.VALUE:
        return c.span
    if figure is Figure.YTD:
        return len(c.ytd_period.months()) if c.ytd_period is not None else None
    return len(c.period.months())


def _spc(c: Comparison) -> SpcStanding | None:
    """The SPC chart, and the pattern that decided the period's last month's icon."""
    chart = c.spc
    if chart is None:
        return None
    signal, in_a_row = None, None
    latest = chart.latest
    if latest is not None and latest == c.period.last and chart.variation_rule is not None:
        found = [
            s
            for s in chart.signals_at(latest)
            if s.kind is chart.variation_rule and s.side is chart.variation_side
        ]
        if found:
            signal = found[0]
            in_a_row = signal.months.index(latest) + 1
    return SpcStanding(chart, signal, in_a_row, c.spc_asked)


def _streak(c: Comparison) -> list[tuple[Month, float]]:
    """The months up to a month's period, latest first, stopping at a gap (across years)."""
    if c.period.kind is not PeriodKind.MONTH or c.value is None:
        return []
    return back(c.history or c.months, c.period.last)


def _trend(c: Comparison) -> Trend | None:
    return trend_in(c.history or c.months, c.months, c.period, c.indicator, c.value is not None)


def _record(c: Comparison) -> Record | None:
    return record_in(c.history or c.months, c.months, c.period, c.indicator, c.value is not None)


def _same_figure_run(c: Comparison) -> Run | None:
    """The months in a row at the period's figure as shown (a running total: none, as the same
    total twice is a month with nothing in it)."""
    if is_running_total(c.indicator) or c.value is None:
        return None
    return same_figure_run(_streak(c), c.value, c.indicator.places)


def _target_run(c: Comparison) -> Run | None:
    """The months in a row on the same side of the target as the period's figure."""
    if c.target is None or c.value is None:
        return None
    return target_run(_streak(c), c.value, c.target, c.indicator)
