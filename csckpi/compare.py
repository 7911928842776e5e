"""An indicator's figures for a period, gathered into a :class:`Comparison`.

``compare_many`` computes the figures once for every indicator asked for (``csckpi.compute``:
the period, last year, the period before, the year to date, the annual trend, the months) and
adds the workbook's benchmarks, the latest year of each. The judgements on them — against the
target, each benchmark, last year, the period before, the runs of months — are made in
:mod:`csckpi.facts` (``Comparison.facts``); the records are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from csckpi import catalogue
from csckpi.errors import PeriodError
from csckpi.facts import (
    COMPARATOR_NAMES,
    COMPARATOR_ORDER,
    AnnualPoint,
    Benchmark,
    BenchmarkComparison,
    Comparison,
    Facts,
    Figure,
    MonthPoint,
    Run,
    Standing,
    better_of,
    direction_of,
    facts_of,
    judge,
    judge_benchmarks,
    relate,
)
from csckpi.model import Comparator, Indicator, Rag, Unit, parse_choice
from csckpi.numbers import shown
from csckpi.pace import PaceInputs
from csckpi.periods import Month, Period, fy_months

if TYPE_CHECKING:
    from csckpi.dataset import Dataset
    from csckpi.published.records import Standing as Ranking
    from csckpi.spc import SpcFacts, SpcOptions

__all__ = [
    "COMPARATOR_NAMES",
    "COMPARATOR_ORDER",
    "AnnualPoint",
    "Benchmark",
    "BenchmarkComparison",
    "Comparison",
    "Facts",
    "Figure",
    "MonthPoint",
    "Run",
    "Standing",
    "benchmark_rows",
    "benchmarks_of",
    "better_of",
    "compare",
    "compare_benchmarks",
    "compare_many",
    "direction_of",
    "facts_of",
    "find_indicator",
    "judge",
    "judge_benchmarks",
    "later_benchmarks",
    "rankings",
    "relate",
    "select",
]


# -- benchmarks ----------------------------------------------------------------------------


def benchmark_rows(
    dataset: Dataset, keys: Iterable[str], period: Period | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The benchmark rows of each key (one pass over the frame): per comparator, the latest
    data year not after ``period``'s financial year (with no period, the latest)."""
    import polars as pl

    wanted = list(keys)
    frame = dataset.benchmarks.filter(pl.col("key").is_in(wanted) & pl.col("value").is_not_null())
    if period is not None:
        frame = frame.filter(_data_fy() <= period.fy)
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


def _data_fy() -> Any:
    """A benchmark row's data year as its start (`2019/20` -> 2019), as an expression."""
    import polars as pl

    return pl.col("year").str.slice(0, 4).cast(pl.Int32, strict=False)


def later_benchmarks(dataset: Dataset, keys: Iterable[str], period: Period) -> dict[str, str]:
    """The keys whose every benchmark describes a year after ``period``'s, each with the
    earliest of those years (`2019/20`): a period is never compared with later figures."""
    import polars as pl

    frame = dataset.benchmarks.filter(
        pl.col("key").is_in(list(keys)) & pl.col("value").is_not_null()
    )
    earliest = frame.group_by("key").agg(
        fy=_data_fy().min(), year=pl.col("year").sort_by(_data_fy()).first()
    )
    later = earliest.filter(pl.col("fy") > period.fy)
    return dict(zip(later.get_column("key"), later.get_column("year"), strict=True))


def rankings(
    dataset: Dataset, indicators: Sequence[Indicator], period: Period
) -> dict[str, Ranking]:
    """Each indicator's rank among all councils (``csckpi benchmarks import``) for the latest
    data year not after ``period``'s; one ranked by another polarity than the indicator's
    now is left out (the import must be run again)."""
    if dataset.standings.is_empty():  # no import of published figures: nothing to read
        return {}
    from csckpi.published.stored import standings_of

    polarity = {ind.key: ind.polarity for ind in indicators}
    out: dict[str, Ranking] = {}
    for (key, _year), standing in sorted(standings_of(dataset.standings).items()):
        if polarity.get(key) is standing.polarity and standing.year.start <= period.fy:
            out[key] = standing  # sorted by year: a later year replaces an earlier one
    return out


def benchmarks_of(rows: Sequence[dict[str, Any]]) -> tuple[Benchmark, ...]:
    """Benchmark rows (comparator, value, source, year, ...) as :class:`Benchmark` figures, in
    :data:`COMPARATOR_ORDER`; rows naming no known comparator, or no figure, are left out."""
    out = []
    for row in rows:
        comparator = parse_choice(Comparator, row["comparator"] or "")
        if comparator is None or row["value"] is None:
            continue
        out.append(
            Benchmark(
                comparator=comparator,
                name=COMPARATOR_NAMES[comparator],
                value=float(row["value"]),
                source=row.get("source") or "",
                year=str(row.get("year") or ""),
            )
        )
    out.sort(key=lambda b: COMPARATOR_ORDER.index(b.comparator))
    return tuple(out)


def compare_benchmarks(
    indicator: Indicator, value: float | None, rows: Sequence[dict[str, Any]]
) -> tuple[BenchmarkComparison, ...]:
    """``value`` against each benchmark row (key, comparator, value, source, year, ...)."""
    return judge_benchmarks(indicator, value, benchmarks_of(rows))


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


def compare(
    dataset: Dataset, period: Period, key: str, spc: SpcOptions | None = None
) -> Comparison:
    """One indicator (``key``, any spelling of its code) for ``period``."""
    return compare_many(dataset, period, [key], spc)[0]


def compare_many(
    dataset: Dataset, period: Period, keys: Sequence[str], spc: SpcOptions | None = None
) -> list[Comparison]:
    """Each of ``keys`` for ``period``, in that order; the figures are computed once for all.
    ``spc``: statistical process control as asked (``spc.options()``), on the months up to
    the period's last, for all of them at once."""
    from csckpi import compute as figures

    indicators = [find_indicator(dataset, key) for key in keys]
    wanted = [ind.key for ind in indicators]
    rows = {
        row["key"]: row for row in figures.compute(dataset, period, wanted).iter_rows(named=True)
    }
    monthly = figures.monthly_values(dataset, wanted)
    months = _months(
        monthly,
        period.fy,
        _stored(dataset, wanted, period.fy),
        {ind.key: ind.places for ind in indicators},
    )
    last_year = _months(monthly, period.fy - 1)
    history = _history(monthly, period.last)
    annual = _annual(figures.annual(dataset, wanted))
    benches = benchmark_rows(dataset, wanted, period)
    later = later_benchmarks(dataset, wanted, period)
    ranks = rankings(dataset, indicators, period)
    charts = _spc(dataset, period, wanted, spc)
    paces = _pace_inputs(period, indicators, monthly, rows)
    records = dataset.records_keys(period.first.date, period.last.date)
    return [
        _comparison(
            dataset,
            period,
            ind,
            rows.get(ind.key, {}),
            benches.get(ind.key, []),
            annual.get(ind.key, ()),
            months.get(ind.key, ()),
            last_year.get(ind.key, ()),
            later.get(ind.key),
            ranks.get(ind.key),
            charts.get(ind.key),
            spc is not None and (spc.asked or bool(ind.baseline or ind.new_process)),
            history.get(ind.key, ()),
            paces.get(ind.key),
            from_records=ind.key in records,
        )
        for ind in indicators
    ]


def _spc(
    dataset: Dataset, period: Period, keys: Sequence[str], spc: SpcOptions | None
) -> dict[str, SpcFacts]:
    """Each key's SPC record on its months to the period's last (none when SPC is off)."""
    if spc is None or not spc.enabled or not keys:
        return {}
    from csckpi.compute import indicator_frame, series

    values = series.monthly_series(dataset, keys, period.last)
    result = series.analyse(dataset, spc, keys, period.last, values=values)
    return series.facts(result, values, indicator_frame(dataset, keys))


def _paced(ind: Indicator) -> bool:
    """Whether the rest of the year can have a pace to target (``csckpi.pace``)."""
    if ind.polarity.value == "none":
        return False
    percentage = ind.unit is Unit.PERCENT and ind.measure.value in ("ratio", "cumulative")
    return percentage or ind.unit is Unit.COUNT


def _pace_inputs(
    period: Period,
    indicators: Sequence[Indicator],
    monthly: Any,
    rows: dict[str, dict[str, Any]],
) -> dict[str, PaceInputs]:
    """Each paced indicator's year-to-date parts at the period's end (a ratio's months added
    up, each with both parts; a cumulative percentage's own) and the count the rest of the
    year brought a year earlier (``csckpi.pace``); none in March, when nothing is left."""
    import polars as pl

    wanted = [i for i in indicators if _paced(i) and rows.get(i.key, {}).get("ytd") is not None]
    if period.last.month == 3 or not wanted:
        return {}
    first, last = Month(period.fy, 4), period.last
    done = last.index - first.index + 1
    # the same months a year earlier: the months still to come, and the one before them
    before, end = last - 12, Month(period.fy, 3)
    rest = [before + k for k in range(1, end.index - before.index + 1)]
    keys = [i.key for i in wanted]
    parts = (
        monthly.filter(
            pl.col("key").is_in(keys) & pl.col("month").is_between(first.date, last.date)
        )
        .group_by("key")
        .agg(
            pl.col("numerator").sum(),
            pl.col("denominator").sum(),
            whole=(pl.col("numerator").count() == done) & (pl.col("denominator").count() == done),
        )
    )
    summed = {key: (n, d) for key, n, d, whole in parts.iter_rows() if whole}
    dates = [m.date for m in (before, *rest)]
    year_ago = monthly.filter(pl.col("key").is_in(keys) & pl.col("month").is_in(dates))
    counts: dict[str, dict[Month, float | None]] = {}
    for key, day, denominator in year_ago.select("key", "month", "denominator").iter_rows():
        counts.setdefault(key, {})[Month.from_date(day)] = _float(denominator)
    out: dict[str, PaceInputs] = {}
    for ind in wanted:
        row, known = rows[ind.key], counts.get(ind.key, {})
        previous: float | None = None
        if ind.measure.value == "cumulative":  # running parts: its own, and March's less
            n, d = _float(row.get("numerator")), _float(row.get("denominator"))
            start, stop = known.get(before), known.get(end)
            previous = stop - start if start is not None and stop is not None else None
        else:
            n, d = (_float(v) for v in summed.get(ind.key, (None, None)))
            if all(known.get(m) is not None for m in rest):
                previous = sum(known[m] or 0.0 for m in rest)
        out[ind.key] = PaceInputs(n, d, previous)
    return out


def _history(frame: Any, last: Month) -> dict[str, tuple[MonthPoint, ...]]:
    """Each key's months from its first figure to ``last``, across financial years (None where
    a month has no figure), with a ratio's parts where the month has both: what runs, trends,
    records and a quarter's own figure (``series.quarter_figure``) are read from."""
    import polars as pl

    rows = frame.filter((pl.col("month") <= last.date) & pl.col("value").is_not_null())
    both = pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null()
    rows = rows.with_columns(
        numerator=pl.when(both).then(pl.col("numerator")),
        denominator=pl.when(both).then(pl.col("denominator")),
    )
    values: dict[str, dict[Month, MonthPoint]] = {}
    columns = ("key", "month", "value", "numerator", "denominator")
    for key, day, value, n, d in rows.select(columns).iter_rows():
        month = Month.from_date(day)
        values.setdefault(key, {})[month] = MonthPoint(
            month, float(value), None, _float(n), _float(d)
        )
    out: dict[str, tuple[MonthPoint, ...]] = {}
    for key, by_month in values.items():
        first = min(by_month)
        span = [first + i for i in range(last.index - first.index + 1)]
        out[key] = tuple(by_month.get(m) or MonthPoint(m, None) for m in span)
    return out


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _rag(value: Any) -> Rag | None:
    return None if value is None else parse_choice(Rag, str(value))


def _months(
    frame: Any,
    fy: int,
    stored: dict[tuple[str, Month], float] | None = None,
    places: dict[str, int] | None = None,
) -> dict[str, tuple[MonthPoint, ...]]:
    """Each key's value for every month of the financial year ``fy`` (None where missing),
    with the workbook's own cell (``stored``) where it differs from the value as shown."""

    import polars as pl

    stored, places = stored or {}, places or {}
    year = fy_months(fy)
    first, last = year[0].date, year[-1].date
    by_date = {m.date: m for m in year}  # the frame's months are first days
    values: dict[str, dict[Month, MonthPoint]] = {}
    in_year = frame.filter(pl.col("month").is_between(first, last)).select("key", "month", "value")
    for key, day, value in in_year.iter_rows():
        month = by_date.get(day) or Month.from_date(day)
        own = stored.get((key, month))
        digits = places.get(key, 1)
        if own is None or value is None or shown(own, digits) == shown(value, digits):
            own = None
        values.setdefault(key, {})[month] = MonthPoint(month, _float(value), own)
    return {
        key: tuple(by_month.get(m) or MonthPoint(m, None) for m in year)
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
            AnnualPoint(
                label,
                _float(row["value"]),
                row["basis"] or "none",
                label.endswith("YTD"),
                row["fy"],
            )
        )
    return {key: tuple(points) for key, points in out.items()}


def _relative(period: Period, how: str) -> Period | None:
    try:
        relative: Period = getattr(period, how)()
    except PeriodError:
        return None
    return relative


def _comparison(
    dataset: Dataset,
    period: Period,
    ind: Indicator,
    row: dict[str, Any],
    benches: Sequence[dict[str, Any]],
    annual: tuple[AnnualPoint, ...],
    months: tuple[MonthPoint, ...],
    last_year_months: tuple[MonthPoint, ...],
    later: str | None = None,
    ranking: Ranking | None = None,
    spc: SpcFacts | None = None,
    spc_asked: bool = False,
    history: tuple[MonthPoint, ...] = (),
    pace: PaceInputs | None = None,
    *,
    from_records: bool = False,
) -> Comparison:
    value = _float(row.get("value"))
    target = _float(row["target"]) if "target" in row else ind.target
    return Comparison(
        indicator=ind,
        period=period,
        value=value,
        basis=row.get("basis") or "none",
        from_records=from_records,
        numerator=_float(row.get("numerator")),
        denominator=_float(row.get("denominator")),
        reported=_float(row.get("reported")),
        ytd=_float(row.get("ytd")),
        ytd_period=_relative(period, "ytd"),
        flow=_float(row.get("flow")),
        target=target,
        rag=_rag(row.get("rag")),
        tolerance=_float(row["tolerance"]) if "tolerance" in row else ind.tolerance,
        benchmarks=benchmarks_of(benches),
        last_year=_float(row.get("last_year")),
        last_year_period=_relative(period, "last_year"),
        last_year_flow=_float(row.get("last_year_flow")),
        change=_float(row.get("change")),
        previous=_float(row.get("previous")),
        previous_period=_relative(period, "previous"),
        previous_change=_float(row.get("previous_change")),
        annual=annual,
        months=months or tuple(MonthPoint(m, None) for m in fy_months(period.fy)),
        last_year_months=last_year_months
        or tuple(MonthPoint(m, None) for m in fy_months(period.fy - 1)),
        history=history,
        council=dataset.context.council,
        reason=row.get("reason") if row else "The workbook has no figures for it.",
        population=dataset.context.population_for(period.fy),
        ytd_target=_float(row.get("ytd_target")),
        flow_target=_float(row.get("flow_target")),
        target_as_set=_float(row.get("target_as_set")),
        target_year=row.get("target_year"),
        target_per=row.get("target_per"),
        target_scale=_float(row.get("target_scale")),
        span=row.get("span"),
        later_benchmarks=later,
        ranking=ranking,
        spc=spc,
        spc_asked=spc_asked,
        pace_inputs=pace,
    )
