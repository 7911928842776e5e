"""Facts about one indicator for a period: everything it is judged by, as frozen records.

A :class:`Comparison` holds the figure for the period and the year to date, the target and the
RAG, each benchmark (statistical neighbours, region, England) with its source and year, the same
period last year, the period before, the annual trend and the months of the financial year.
It is pure data: ``csckpi.narrate`` turns it into sentences, ``csckpi.render.comparison`` into a
block of text. Every judgement ("better", "worse") goes through the indicator's polarity; an
indicator with polarity ``none`` is only ever "above" or "below".

The figures come from :mod:`csckpi.compute`; this module adds the benchmarks and the relations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from csckpi import catalogue
from csckpi.errors import PeriodError
from csckpi.model import (
    Comparator,
    Direction,
    Indicator,
    Measure,
    Polarity,
    Rag,
    Unit,
    parse_choice,
)
from csckpi.numbers import round_half_up, shown, shown_difference
from csckpi.periods import Month, Period, fy_months

if TYPE_CHECKING:
    from csckpi.dataset import Dataset

#: The order benchmarks are listed in, and how a sentence names each.
COMPARATOR_ORDER = (Comparator.STATISTICAL_NEIGHBOURS, Comparator.REGION, Comparator.ENGLAND)
COMPARATOR_NAMES = {
    Comparator.STATISTICAL_NEIGHBOURS: "statistical neighbours",
    Comparator.REGION: "regional average",
    Comparator.ENGLAND: "national average",
}

ABOVE = "above"
BELOW = "below"
IN_LINE = "in line"


def relate(ours: float, theirs: float, polarity: Polarity, places: int) -> tuple[str, bool | None]:
    """How ``ours`` stands against ``theirs``: (relation, better).

    The relation is decided on the figures as shown (rounded half up to ``places`` decimals):
    ``in line`` when both show the same, else ``above`` or ``below``. ``better`` says whether
    that is good through the polarity; it is None when the polarity makes no judgement or the
    two are in line.
    """
    a, b = round_half_up(ours, places), round_half_up(theirs, places)
    if a == b:
        return IN_LINE, None
    relation = ABOVE if a > b else BELOW
    if polarity is Polarity.UP:
        return relation, relation == ABOVE
    if polarity is Polarity.DOWN:
        return relation, relation == BELOW
    return relation, None


@dataclass(frozen=True)
class BenchmarkComparison:
    """This council's figure against one benchmark."""

    comparator: Comparator
    name: str  # as a sentence says it: "statistical neighbours", "regional average", ...
    value: float  # the benchmark's figure
    source: str  # "LAIT 2020"
    year: str  # "2020"
    difference: float  # ours - theirs, unrounded
    relation: str  # "above", "below" or "in line"
    better: bool | None  # through polarity; None for polarity none or in line

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
        }


class AnnualPoint(NamedTuple):
    """One year of the annual trend; the current year is a year to date."""

    label: str  # "2019/20", "2020/21 YTD"
    value: float | None
    basis: str  # as compute says: computed, reported, month, differs, none
    is_ytd: bool


class MonthPoint(NamedTuple):
    month: Month
    value: float | None
    #: the workbook's own cell where ``value`` is a rate recomputed from its count and the two
    #: differ as shown (CSC 200 Oct-20: 130.1 recomputed, 130.0 in the workbook); else None
    workbook: float | None = None


@dataclass(frozen=True)
class Comparison:
    """One indicator for one period, against everything it is judged by."""

    indicator: Indicator
    period: Period
    value: float | None = None
    basis: str = "none"
    numerator: float | None = None
    denominator: float | None = None
    reported: float | None = None  # the workbook's own figure for the period, when it has one
    ytd: float | None = None
    ytd_period: Period | None = None
    flow: float | None = None  # a cumulative indicator's count for the period alone
    target: float | None = None
    target_relation: str | None = None
    target_better: bool | None = None
    rag: Rag | None = None
    benchmarks: tuple[BenchmarkComparison, ...] = ()
    last_year: float | None = None
    last_year_period: Period | None = None
    last_year_flow: float | None = None  # a cumulative count's own count a year earlier
    change: float | None = None  # value - last_year
    direction: Direction | None = None
    previous: float | None = None
    previous_period: Period | None = None
    previous_change: float | None = None
    previous_direction: Direction | None = None
    annual: tuple[AnnualPoint, ...] = ()
    months: tuple[MonthPoint, ...] = ()
    council: str | None = None
    reason: str | None = None  # why there is no value
    population: float | None = None  # the 0-17 population rates are worked out from

    @property
    def key(self) -> str:
        return self.indicator.key

    def benchmark(self, comparator: Comparator) -> BenchmarkComparison | None:
        for bench in self.benchmarks:
            if bench.comparator is comparator:
                return bench
        return None

    @property
    def last_year_better(self) -> bool | None:
        """Whether the change on the same period last year is for the better (None: no
        judgement, or no change)."""
        return better_of(self.direction)

    def against(self) -> list[dict[str, Any]]:
        """Everything the value is compared with, in one shape: the target, each benchmark and
        the same period last year (each as ``comparator, name, value, source, year,
        difference, relation, better``)."""
        out: list[dict[str, Any]] = []
        if self.value is None:
            return out
        places = self.indicator.places
        if self.target is not None:
            out.append(
                {
                    "comparator": "target",
                    "name": "target",
                    "value": self.target,
                    "source": None,
                    "year": None,
                    "difference": self.value - self.target,
                    "relation": self.target_relation,
                    "better": self.target_better,
                }
            )
        out.extend(b.as_dict() for b in self.benchmarks)
        if self.last_year is not None:
            relation, _ = relate(self.value, self.last_year, Polarity.NONE, places)
            out.append(
                {
                    "comparator": "last year",
                    "name": "same period last year",
                    "value": self.last_year,
                    "source": None,
                    "year": self.last_year_period.label if self.last_year_period else None,
                    "difference": self.value - self.last_year,
                    "relation": relation,
                    "better": self.last_year_better,
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

        def enum(value: Rag | Direction | None) -> str | None:
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
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reported": r(self.reported),
            "ytd_period": label(self.ytd_period),
            "ytd": r(self.ytd),
            "flow": r(self.flow),
            "target": self.target,
            "target_relation": self.target_relation,
            "target_better": self.target_better,
            "rag": enum(self.rag),
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
        }


def better_of(direction: Direction | None) -> bool | None:
    """A direction of travel as a judgement: improved -> True, worsened -> False, else None."""
    if direction is Direction.IMPROVED:
        return True
    if direction is Direction.WORSENED:
        return False
    return None


# -- benchmarks ----------------------------------------------------------------------------


def benchmark_rows(dataset: Dataset, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The benchmark rows of each key (one pass over the frame), latest year per comparator."""
    import polars as pl

    wanted = list(keys)
    frame = dataset.benchmarks.filter(pl.col("key").is_in(wanted) & pl.col("value").is_not_null())
    found: dict[str, dict[Comparator, dict[str, Any]]] = {}
    for row in frame.sort("year", nulls_last=True).iter_rows(named=True):
        comparator = parse_choice(Comparator, row["comparator"] or "")
        if comparator is None:
            continue
        # sorted by year, so a later year replaces an earlier one
        found.setdefault(row["key"], {})[comparator] = row
    return {
        key: [found[key][c] for c in COMPARATOR_ORDER if c in found.get(key, {})] for key in wanted
    }


def compare_benchmarks(
    indicator: Indicator, value: float | None, rows: Sequence[dict[str, Any]]
) -> tuple[BenchmarkComparison, ...]:
    """``value`` against each benchmark row (key, comparator, value, source, year, ...)."""
    if value is None:
        return ()
    out = []
    for row in rows:
        comparator = parse_choice(Comparator, row["comparator"] or "")
        if comparator is None or row["value"] is None:
            continue
        theirs = float(row["value"])
        relation, better = relate(value, theirs, indicator.polarity, indicator.places)
        out.append(
            BenchmarkComparison(
                comparator=comparator,
                name=COMPARATOR_NAMES[comparator],
                value=theirs,
                source=row.get("source") or "",
                year=str(row.get("year") or ""),
                difference=value - theirs,
                relation=relation,
                better=better,
            )
        )
    out.sort(key=lambda b: COMPARATOR_ORDER.index(b.comparator))
    return tuple(out)


# -- finding indicators ----------------------------------------------------------------------


def find_indicator(dataset: Dataset, code: str) -> Indicator:
    """The indicator written ``code`` (any spelling), or :class:`UnknownIndicator` suggesting
    the nearest codes."""
    return catalogue.find_indicator(dataset.indicators, code, dataset.where)


def select(
    dataset: Dataset, codes: Sequence[str] = (), sections: Sequence[str] = ()
) -> list[Indicator]:
    """The indicators named by ``codes`` (in that order), then those whose section contains any
    of ``sections`` (case-insensitive, workbook order); each once. Neither given: all of them."""
    return catalogue.select(dataset.indicators, codes, sections, dataset.where)


# -- the comparison ----------------------------------------------------------------------------


def compare(dataset: Dataset, period: Period, key: str) -> Comparison:
    """One indicator (``key``, any spelling of its code) for ``period``."""
    return compare_many(dataset, period, [key])[0]


def compare_many(dataset: Dataset, period: Period, keys: Sequence[str]) -> list[Comparison]:
    """Each of ``keys`` for ``period``, in that order; the figures are computed once for all."""
    from csckpi import compute as figures

    indicators = [find_indicator(dataset, key) for key in keys]
    wanted = [ind.key for ind in indicators]
    rows = {
        row["key"]: row for row in figures.compute(dataset, period, wanted).iter_rows(named=True)
    }
    months = _months(
        figures.monthly_values(dataset, wanted),
        period.fy,
        _stored(dataset, wanted, period.fy),
        {ind.key: ind.places for ind in indicators},
    )
    annual = _annual(figures.annual(dataset, wanted))
    benches = benchmark_rows(dataset, wanted)
    return [
        _comparison(
            dataset,
            period,
            ind,
            rows.get(ind.key, {}),
            benches.get(ind.key, []),
            annual.get(ind.key, ()),
            months.get(ind.key, ()),
        )
        for ind in indicators
    ]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _enum(kind: type[Rag] | type[Direction], value: Any) -> Any:
    if value is None:
        return None
    return parse_choice(kind, str(value))


def _months(
    frame: Any,
    fy: int,
    stored: dict[tuple[str, Month], float] | None = None,
    places: dict[str, int] | None = None,
) -> dict[str, tuple[MonthPoint, ...]]:
    """Each key's value for every month of the financial year ``fy`` (None where missing),
    with the workbook's own cell (``stored``) where it differs from the value as shown."""
    import datetime as dt

    import polars as pl

    stored, places = stored or {}, places or {}
    first, last = dt.date(fy, 4, 1), dt.date(fy + 1, 3, 1)
    values: dict[str, dict[Month, MonthPoint]] = {}
    in_year = frame.filter(pl.col("month").is_between(first, last)).select("key", "month", "value")
    for key, day, value in in_year.iter_rows():
        month = Month.from_date(day)
        own = stored.get((key, month))
        digits = places.get(key, 1)
        if own is None or value is None or shown(own, digits) == shown(value, digits):
            own = None
        values.setdefault(key, {})[month] = MonthPoint(month, _float(value), own)
    year = fy_months(fy)
    return {
        key: tuple(by_month.get(m, MonthPoint(m, None)) for m in year)
        for key, by_month in values.items()
    }


def _stored(dataset: Dataset, keys: Sequence[str], fy: int) -> dict[tuple[str, Month], float]:
    """The workbook's own monthly cells of the rates among ``keys`` in ``fy``: what a month
    recomputed from its count (``compute.monthly_values``) is checked against."""
    import datetime as dt

    import polars as pl

    rates = [i.key for i in dataset.indicators if i.key in keys and i.unit is Unit.RATE]
    if not rates:
        return {}
    cells = dataset.monthly.filter(
        pl.col("key").is_in(rates)
        & pl.col("month").is_between(dt.date(fy, 4, 1), dt.date(fy + 1, 3, 1))
        & (pl.col("part").is_null() | (pl.col("part") == "value"))
        & pl.col("value").is_not_null()
    ).select("key", "month", "value")
    return {(key, Month.from_date(day)): float(value) for key, day, value in cells.iter_rows()}


def _annual(frame: Any) -> dict[str, tuple[AnnualPoint, ...]]:
    out: dict[str, list[AnnualPoint]] = {}
    for row in frame.sort("key", "fy").iter_rows(named=True):
        label = row["year"]
        out.setdefault(row["key"], []).append(
            AnnualPoint(label, _float(row["value"]), row["basis"] or "none", label.endswith("YTD"))
        )
    return {key: tuple(points) for key, points in out.items()}


def _relative(period: Period, how: str) -> Period | None:
    try:
        return getattr(period, how)()
    except PeriodError:
        return None


def _comparison(
    dataset: Dataset,
    period: Period,
    ind: Indicator,
    row: dict[str, Any],
    benches: Sequence[dict[str, Any]],
    annual: tuple[AnnualPoint, ...],
    months: tuple[MonthPoint, ...],
) -> Comparison:
    value = _float(row.get("value"))
    target = _float(row["target"]) if "target" in row else ind.target
    target_relation: str | None = None
    target_better: bool | None = None
    if value is not None and target is not None:
        target_relation, target_better = relate(value, target, ind.polarity, ind.places)
    return Comparison(
        indicator=ind,
        period=period,
        value=value,
        basis=row.get("basis") or "none",
        numerator=_float(row.get("numerator")),
        denominator=_float(row.get("denominator")),
        reported=_float(row.get("reported")),
        ytd=_float(row.get("ytd")),
        ytd_period=_relative(period, "ytd"),
        flow=_float(row.get("flow")),
        target=target,
        target_relation=target_relation,
        target_better=target_better,
        rag=_enum(Rag, row.get("rag")),
        benchmarks=compare_benchmarks(ind, value, benches),
        last_year=_float(row.get("last_year")),
        last_year_period=_relative(period, "last_year"),
        last_year_flow=_float(row.get("last_year_flow")),
        change=_float(row.get("change")),
        direction=_enum(Direction, row.get("direction")),
        previous=_float(row.get("previous")),
        previous_period=_relative(period, "previous"),
        previous_change=_float(row.get("previous_change")),
        previous_direction=_enum(Direction, row.get("previous_direction")),
        annual=annual,
        months=months or tuple(MonthPoint(m, None) for m in fy_months(period.fy)),
        council=dataset.context.council,
        reason=row.get("reason") if row else "The workbook has no figures for it.",
        population=dataset.context.population_for(period.fy),
    )
