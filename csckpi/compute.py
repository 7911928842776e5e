"""Period figures, RAG and direction of travel: polars expressions over whole frames.

Every indicator is computed at once. The months of every period asked for are laid out as one
frame (indicator x period x month), joined to the monthly figures and aggregated per
(indicator, period); how the months combine is chosen per row from the indicator's ``measure``
with ``pl.when``. Nothing loops over indicators or figures in Python.

See ``docs/computation.md`` for the rules in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from csckpi.dataset import PARTS, Dataset
from csckpi.errors import PeriodError
from csckpi.model import Measure, Unit, normalise_code
from csckpi.periods import Month, Period, PeriodKind, fy_label, parse_period

#: How a ratio's numerator / denominator becomes its unit.
MULTIPLIER: dict[str, float] = {
    Unit.PERCENT.value: 100.0,
    Unit.RATE.value: 10_000.0,
    Unit.COUNT.value: 1.0,
    Unit.NUMBER.value: 1.0,
}

#: The columns of :func:`compute`, in order (docs/architecture.md).
COLUMNS = (
    "key",
    "code",
    "title",
    "section",
    "order",
    "unit",
    "polarity",
    "measure",
    "decimals",
    "period",
    "value",
    "basis",
    "reported",
    "numerator",
    "denominator",
    "flow",
    "ytd",
    "target",
    "tolerance",
    "rag",
    "last_year",
    "change",
    "direction",
    "previous",
    "previous_change",
    "previous_direction",
    "reason",
    "last_year_flow",  # a cumulative count's own flow a year earlier (CSC 036 Q3 2019/20: 204)
    "flow_change",  # flow - last_year_flow
    "flow_direction",  # flow against last_year_flow, through polarity
)

#: Measures whose period figure is the figure at the period's last month: a workbook's bare
#: `2020/21` cell for a year still running (its latest month) is their year to date too.
AT_END = (Measure.SNAPSHOT.value, Measure.CUMULATIVE.value)

_EPS = 1e-9


# -- small helpers ------------------------------------------------------------------------


def round_half_up(value: float | None, places: int) -> float | None:
    """Round as Excel and analysts do (half away from zero): 0.25 -> 0.3 at one place."""
    if value is None:
        return None
    factor = 10.0**places
    magnitude = int(abs(value) * factor + 0.5 + _EPS) / factor
    return magnitude if value >= 0 else -magnitude


def shown(expr: pl.Expr, places: pl.Expr) -> pl.Expr:
    """``expr`` rounded half away from zero to ``places`` decimals (a column, per row)."""
    factor = pl.lit(10.0).pow(places.cast(pl.Float64))
    return expr.sign() * (expr.abs() * factor + 0.5 + _EPS).floor() / factor


def _text(expr: pl.Expr, places: pl.Expr, unit: pl.Expr) -> pl.Expr:
    """A figure as text for a message, rounded as shown: `80.0%`, `16`, `126.5`."""
    scaled = (shown(expr, places).abs() * pl.lit(10.0).pow(places.cast(pl.Float64))).round(0)
    sign = pl.when(shown(expr, places) < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    text = pl.lit(None, dtype=pl.String)
    for n in range(6, -1, -1):  # one expression per number of places, never a loop over rows
        whole = (scaled / 10**n).floor().cast(pl.Int64).cast(pl.String)
        if n:
            part = (scaled % 10**n).cast(pl.Int64).cast(pl.String).str.pad_start(n, "0")
            whole = pl.concat_str(whole, pl.lit("."), part)
        text = pl.when(places == n).then(whole).otherwise(text)
    percent = pl.when(unit == Unit.PERCENT).then(pl.lit("%")).otherwise(pl.lit(""))
    return pl.concat_str(sign, text, percent)


def _month_of(value: object) -> Month | None:
    if value is None:
        return None
    return Month(value.year, value.month)  # type: ignore[attr-defined]


def indicator_frame(dataset: Dataset, keys: Iterable[str] | None = None) -> pl.DataFrame:
    """One row per indicator (workbook order): its definition as columns."""
    wanted = None if keys is None else {normalise_code(k) for k in keys}
    rows = [
        {
            "key": i.key,
            "code": i.code,
            "title": i.title,
            "section": i.section,
            "order": i.order,
            "unit": i.unit.value,
            "polarity": i.polarity.value,
            "measure": i.measure.value,
            "decimals": i.places,
            "target": i.target,
            "tolerance": i.tolerance,
        }
        for i in dataset.indicators
        if wanted is None or i.key in wanted
    ]
    schema = {
        "key": pl.String,
        "code": pl.String,
        "title": pl.String,
        "section": pl.String,
        "order": pl.Int64,
        "unit": pl.String,
        "polarity": pl.String,
        "measure": pl.String,
        "decimals": pl.Int64,
        "target": pl.Float64,
        "tolerance": pl.Float64,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_row_index("_pos").sort("order", "_pos").drop("_pos")


# -- months ---------------------------------------------------------------------------------


def latest_month(dataset: Dataset) -> Month | None:
    """The latest month with any monthly figure, or None when there are none."""
    latest = dataset.monthly.filter(pl.col("value").is_not_null()).get_column("month").max()
    return _month_of(latest)


def _earliest_month(dataset: Dataset) -> Month | None:
    earliest = dataset.monthly.filter(pl.col("value").is_not_null()).get_column("month").min()
    return _month_of(earliest)


def _population(dataset: Dataset, fys: Sequence[int]) -> pl.DataFrame:
    """fy -> population_0_17 (Context.population_for) for the few years present."""
    return pl.DataFrame(
        {
            "_fy": list(fys),
            "_population": [dataset.context.population_for(fy) for fy in fys],
        },
        schema={"_fy": pl.Int32, "_population": pl.Float64},
    )


def monthly_values(
    dataset: Dataset,
    keys: Iterable[str] | None = None,
    *,
    first: Month | None = None,
    last: Month | None = None,
) -> pl.DataFrame:
    """Each month's value per indicator: key, month, value, numerator, denominator.

    A rate with a numerator is numerator / that financial year's ``population_0_17`` x 10,000
    (the stored rate when there is no population); a ratio with no value but a numerator and a
    denominator is numerator / denominator in its unit. ``first`` / ``last`` limit the months
    (a scorecard's sparkline needs 12 of a store's 120).
    """
    return _monthly(dataset, keys, first, last).drop("stored")


def _monthly(
    dataset: Dataset,
    keys: Iterable[str] | None = None,
    first: Month | None = None,
    last: Month | None = None,
) -> pl.DataFrame:
    """monthly_values plus ``stored``: the figure the workbook gives where ``value`` was
    recomputed from a numerator (else null), so a disagreement can be shown."""
    ind = indicator_frame(dataset, keys).select("key", "unit", "measure")
    long = dataset.monthly.select("key", "month", "part", "value")
    if keys is not None:
        long = long.filter(pl.col("key").is_in(ind.get_column("key").implode()))
    if first is not None:
        long = long.filter(pl.col("month") >= first.date)
    if last is not None:
        long = long.filter(pl.col("month") <= last.date)
    part = pl.col("part").fill_null("value")
    wide = long.group_by("key", "month").agg(
        pl.col("value").filter(part == name).first().alias(name) for name in PARTS
    )
    wide = wide.join(ind, on="key", how="inner")
    fy = (pl.col("month").dt.year() - (pl.col("month").dt.month() < 4).cast(pl.Int32)).cast(
        pl.Int32
    )
    wide = wide.with_columns(_fy=fy)
    years = wide.get_column("_fy").unique().sort().to_list()
    wide = wide.join(_population(dataset, years), on="_fy", how="left")
    mult = pl.col("unit").replace_strict(MULTIPLIER, default=1.0, return_dtype=pl.Float64)
    num, den = pl.col("numerator"), pl.col("denominator")
    recomputed = (pl.col("unit") == Unit.RATE) & num.is_not_null() & pl.col("_population").gt(0)
    value = (
        pl.when(recomputed)
        .then(num / pl.col("_population") * 10_000.0)
        .when(pl.col("value").is_null() & num.is_not_null() & den.is_not_null() & (den != 0))
        .then(num / den * mult)
        .otherwise(pl.col("value"))
    )
    return (
        wide.with_columns(value=value, stored=pl.when(recomputed).then(pl.col("value")))
        .select("key", "month", "value", "numerator", "denominator", "stored")
        .sort("key", "month")
    )


# -- periods --------------------------------------------------------------------------------


def _data_end(fy: int, latest: Month | None) -> Month:
    """The last month of ``fy`` the data can speak for: March, or the latest month."""
    march = Month(fy + 1, 3)
    if latest is None or latest >= march:
        return march
    return latest


def _reported_keys(period: Period, latest: Month | None) -> list[tuple[str, bool]]:
    """The `reported` period keys that mean this period, best first, each with whether it
    answers only a snapshot or cumulative indicator (whose period figure is its last month's).

    Only a row labelled as a year to date (`2020/21 YTD`) answers a ratio's or a flow's year to
    date. A bare `2020/21` answers the whole year once it is complete; while the year runs,
    the workbook's bare `2020/21` cell holds its latest month's figure (the "annual trend" of a
    monthly percentage), which is the year to date only of a snapshot or cumulative indicator.
    """
    if period.kind is PeriodKind.YTD:
        # A reported year to date is the one at the workbook's latest month.
        if period.end is not None and period.end == _data_end(period.fy, latest):
            whole_year = period.end.month == 3
            return [(period.label, False), (fy_label(period.fy), not whole_year)]
        return []
    if period.kind is PeriodKind.YEAR:
        if latest is None or latest >= Month(period.fy + 1, 3):
            return [(period.label, False), (f"{period.label} YTD", False)]
        return []
    return [(period.key, False)]


def resolve_period(dataset: Dataset, text: str | None) -> Period:
    """The period the user asked for, checked against what the data can answer.

    No text: the latest month with any figure. `YTD` / `2020/21 YTD` end at the latest month
    of that year. Raises :class:`PeriodError` saying why when the data cannot answer it.
    """
    latest = latest_month(dataset)
    if text is None or not text.strip():
        if latest is None:
            raise PeriodError(
                "There are no monthly figures, so there is no latest month.",
                "Give a period, e.g. --period 2019/20.",
            )
        return Period.of_month(latest)
    period = parse_period(text, latest)
    if period.kind is PeriodKind.YTD and period.end is None:
        if latest is not None and period.fy > latest.fy:
            raise PeriodError(
                f"There are no figures after {latest}, so {period.label} has not started.",
                f"The latest year to date is {fy_label(latest.fy)} YTD.",
            )
        in_year = dataset.monthly.filter(
            pl.col("value").is_not_null()
            & pl.col("month").is_between(Month(period.fy, 4).date, Month(period.fy + 1, 3).date)
        )
        end = _month_of(in_year.get_column("month").max()) or Month(period.fy + 1, 3)
        period = Period.of_ytd(period.fy, end)
    if latest is not None and period.last > latest:
        to = "" if period.kind is PeriodKind.MONTH else f" (to {period.last})"
        raise PeriodError(
            f"There are no figures after {latest}, so {period.label}{to} cannot be computed yet.",
            _hint_for(period, latest),
        )
    has_months = (
        dataset.monthly.filter(
            pl.col("value").is_not_null()
            & pl.col("month").is_between(period.first.date, period.last.date)
        ).height
        > 0
    )
    has_reported = (
        dataset.reported.filter(
            pl.col("period").is_in([key for key, _ in _reported_keys(period, latest)])
            & pl.col("value").is_not_null()
        ).height
        > 0
    )
    if not (has_months or has_reported):
        earliest = _earliest_month(dataset)
        hint = (
            f"Monthly figures run from {earliest} to {latest}."
            if earliest is not None
            else "There are no monthly figures; only reported period figures."
        )
        raise PeriodError(f"There are no figures for {period.label}.", hint)
    return period


def _hint_for(period: Period, latest: Month) -> str:
    if period.kind is PeriodKind.YEAR and period.fy == latest.fy:
        return f"For the year so far, use '{fy_label(period.fy)} YTD'."
    return f"Ask for a period ending by {latest}, e.g. '{latest}' or '{fy_label(latest.fy)} YTD'."


# -- the engine -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frames:
    indicators: pl.DataFrame
    months: pl.DataFrame  # monthly_values
    latest: Month | None


def _frames_for(dataset: Dataset, periods: Sequence[Period], keys: Iterable[str] | None) -> _Frames:
    """The indicators and only the months ``periods`` need (and the month before each)."""
    key_list = None if keys is None else list(keys)
    first = min(p.first for p in periods) - 1 if periods else None
    last = max(p.last for p in periods) if periods else None
    return _Frames(
        indicator_frame(dataset, key_list),
        _monthly(dataset, key_list, first, last),
        latest_month(dataset),
    )


def _period_frame(periods: Sequence[Period], latest: Month | None) -> pl.DataFrame:
    rows = []
    for pid, period in enumerate(periods):
        first, last = period.first, period.last
        rows.append(
            {
                "pid": pid,
                "period": period.label,
                "kind": period.kind.value,
                "first": first.date,
                "last": last.date,
                "prev": None if first.month == 4 else (first - 1).date,
            }
        )
    schema = {
        "pid": pl.Int64,
        "period": pl.String,
        "kind": pl.String,
        "first": pl.Date,
        "last": pl.Date,
        "prev": pl.Date,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _reported_frame(
    dataset: Dataset, keys: pl.DataFrame, periods: Sequence[Period], latest: Month | None
) -> pl.DataFrame:
    """key, pid, reported, reported_numerator, reported_denominator, reported_flow.

    ``keys``: key and measure of the indicators wanted.
    """
    wanted = pl.DataFrame(
        [
            {"pid": pid, "_rkey": rkey, "_rank": rank, "_at_end_only": at_end_only}
            for pid, period in enumerate(periods)
            for rank, (rkey, at_end_only) in enumerate(_reported_keys(period, latest))
        ],
        schema={"pid": pl.Int64, "_rkey": pl.String, "_rank": pl.Int64, "_at_end_only": pl.Boolean},
        orient="row",
    )
    rep = (
        dataset.reported.filter(pl.col("value").is_not_null())
        .join(keys.select("key", "measure"), on="key", how="inner")
        .with_columns(
            figure=pl.col("figure").fill_null("value"),
            part=pl.col("part").fill_null("value"),
        )
        .with_columns(
            _col=pl.when(pl.col("figure") == "flow")
            .then(pl.lit("reported_flow"))
            .when(pl.col("part") == "value")
            .then(pl.lit("reported"))
            .otherwise(pl.concat_str(pl.lit("reported_"), pl.col("part")))
        )
        .join(wanted, left_on="period", right_on="_rkey", how="inner")
        .filter(~pl.col("_at_end_only") | pl.col("measure").is_in(AT_END))
        .sort("_rank")
        .group_by("key", "pid", "_col", maintain_order=True)
        .agg(pl.col("value").first())
    )
    columns = ("reported", "reported_numerator", "reported_denominator", "reported_flow")
    if rep.height:
        out = rep.pivot(on="_col", index=["key", "pid"], values="value")
    else:
        out = pl.DataFrame(schema={"key": pl.String, "pid": pl.Int64})
    return out.with_columns(
        pl.lit(None, dtype=pl.Float64).alias(c) for c in columns if c not in out.columns
    ).select("key", "pid", *columns)


def _months_text(months: pl.Expr) -> pl.Expr:
    """A list of dates as `Oct-20, Nov-20`, or `5 months from Apr-20` when long."""
    return (
        pl.when(months.list.len() <= 3)
        .then(months.list.eval(pl.element().dt.strftime("%b-%y")).list.join(", "))
        .otherwise(
            pl.format(
                "{} months from {}",
                months.list.len(),
                months.list.first().dt.strftime("%b-%y"),
            )
        )
    )


def figures(
    dataset: Dataset,
    periods: Sequence[Period],
    keys: Iterable[str] | None = None,
    *,
    _frames: _Frames | None = None,
) -> pl.DataFrame:
    """Each indicator's figure for each period, in one pass.

    Columns: key, pid (index into ``periods``), period (label), value, basis, reported,
    numerator, denominator, flow, reason.
    """
    frames = _frames or _frames_for(dataset, periods, keys)
    ind = frames.indicators.select("key", "unit", "measure", "decimals")
    pf = _period_frame(periods, frames.latest)
    members = pf.select("pid", month=pl.date_ranges("first", "last", interval="1mo")).explode(
        "month"
    )
    grid = (
        ind.select("key")
        .join(members, how="cross")
        .join(frames.months, on=["key", "month"], how="left")
        .join(pf.select("pid", "last"), on="pid", how="left")
        .sort("key", "pid", "month")
    )
    value, num, den = pl.col("value"), pl.col("numerator"), pl.col("denominator")
    at_last = pl.col("month") == pl.col("last")
    agg = grid.group_by("key", "pid").agg(
        _n=pl.len(),
        _n_value=value.is_not_null().sum(),
        _n_num=num.is_not_null().sum(),
        _n_den=den.is_not_null().sum(),
        _n_both=(num.is_not_null() & den.is_not_null()).sum(),
        _sum_value=value.sum(),
        _sum_num=num.sum(),
        _sum_den=den.sum(),
        _min_value=value.min(),
        _max_value=value.max(),
        _last_value=value.filter(at_last).first(),
        _last_num=num.filter(at_last).first(),
        _last_den=den.filter(at_last).first(),
        _last_stored=pl.col("stored").filter(at_last).first(),
        _missing=pl.col("month").filter(value.is_null()),
    )
    prev = (
        ind.select("key")
        .join(pf.select("pid", "prev"), how="cross")
        .join(
            frames.months.select("key", pl.col("month").alias("prev"), _prev_value="value"),
            on=["key", "prev"],
            how="left",
        )
        .select("key", "pid", "_prev_value")
    )
    reported = _reported_frame(dataset, ind.select("key", "measure"), periods, frames.latest)
    cells = (
        ind.join(pf, how="cross")
        .join(agg, on=["key", "pid"], how="left")
        .join(prev, on=["key", "pid"], how="left")
        .join(reported, on=["key", "pid"], how="left")
    )
    # A rate recomputed from its numerator is checked against the rate the workbook gives for
    # that month, as any reported figure is.
    one_month = (pl.col("kind") == PeriodKind.MONTH) | pl.col("measure").is_in(
        [Measure.SNAPSHOT, Measure.CUMULATIVE]
    )
    cells = cells.with_columns(
        reported=pl.coalesce("reported", pl.when(one_month).then(pl.col("_last_stored")))
    )

    measure, kind = pl.col("measure"), pl.col("kind")
    mult = pl.col("unit").replace_strict(MULTIPLIER, default=1.0, return_dtype=pl.Float64)
    is_month = kind == PeriodKind.MONTH
    complete = pl.col("_n_value") == pl.col("_n")
    all_parts = pl.col("_n_both") == pl.col("_n")
    at_end = measure.is_in(AT_END)
    ratio_ok = (measure == Measure.RATIO) & all_parts & (pl.col("_sum_den") != 0)

    derived = (
        pl.when((measure == Measure.FLOW) & complete)
        .then(pl.col("_sum_value"))
        .when(ratio_ok)
        .then(pl.col("_sum_num") / pl.col("_sum_den") * mult)
        .when(measure.is_in([Measure.RATIO, Measure.DISTINCT]) & is_month)
        .then(pl.col("_last_value"))
        .when(at_end)
        .then(pl.col("_last_value"))
    )
    derived_basis = (
        pl.when(ratio_ok | ((measure == Measure.FLOW) & ~is_month))
        .then(pl.lit("computed"))
        .otherwise(pl.lit("month"))
    )
    tolerance = 0.5 * pl.lit(10.0).pow(-pl.col("decimals").cast(pl.Float64)) + _EPS
    differs = (pl.col("_derived") - pl.col("reported")).abs() > tolerance

    count_cumulative = (measure == Measure.CUMULATIVE) & (pl.col("unit") == Unit.COUNT)
    computed_flow = (
        pl.when(pl.col("prev").is_null())
        .then(pl.col("value"))
        .otherwise(pl.col("_last_value") - pl.col("_prev_value"))
    )

    label = pl.col("period")
    no_reported = pl.format(", and no {} figure is reported", label)
    missing = _months_text(pl.col("_missing"))
    only_flow = count_cumulative & pl.col("reported_flow").is_not_null()
    last_text = pl.col("last").dt.strftime("%b-%y")
    reason = (
        pl.when(pl.col("value").is_not_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(only_flow)
        .then(
            pl.format(
                "{}: the workbook reports only the flow for {} (the count in the period), "
                "not the year to date",
                pl.when(pl.col("_n_value") == 0)
                .then(pl.format("the months of {} have no figures", label))
                .otherwise(pl.format("no figure for {}", last_text)),
                label,
            )
        )
        .when((measure == Measure.RATIO) & all_parts)
        .then(pl.concat_str(pl.format("the denominator for {} is 0", label), no_reported))
        .when((measure == Measure.DISTINCT) & ~is_month)
        .then(
            pl.concat_str(
                pl.lit(
                    "a distinct count (each person counted once) cannot be added up over months"
                ),
                no_reported,
            )
        )
        .when(pl.col("_n_value") == 0)
        .then(pl.concat_str(pl.format("no figures for {}", label), no_reported))
        .when(measure == Measure.FLOW)
        .then(
            pl.concat_str(
                pl.format("no figure for {}, so the {} total is incomplete", missing, label),
                no_reported,
            )
        )
        .when(measure == Measure.RATIO)
        .then(
            pl.concat_str(
                pl.format(
                    "percentages cannot be averaged over months: {} has no numerator and "
                    "denominator for every month",
                    label,
                ),
                no_reported,
            )
        )
        .otherwise(pl.concat_str(pl.format("no figure for {}", last_text), no_reported))
    )
    # A pooled percentage lies between its months' lowest and highest: a reported figure for a
    # period outside them is not that period's (often the latest month's, or a slip). Said in
    # ``reason``, as the value is still the workbook's.
    places = pl.col("decimals")
    outside = (
        (measure == Measure.RATIO)
        & ~is_month
        & (pl.col("basis") == "reported")
        & complete
        & (
            (pl.col("value") < pl.col("_min_value") - tolerance)
            | (pl.col("value") > pl.col("_max_value") + tolerance)
        )
    )
    range_note = pl.format(
        "the workbook reports {} for {}, outside its months' {}–{}: a figure pooled over the "
        "months lies between them",
        _text(pl.col("value"), places, pl.col("unit")),
        label,
        _text(pl.col("_min_value"), places, pl.col("unit")),
        _text(pl.col("_max_value"), places, pl.col("unit")),
    )

    out = (
        cells.with_columns(_derived=derived, _derived_basis=derived_basis)
        .with_columns(
            value=pl.coalesce("_derived", "reported"),
            basis=pl.when(pl.col("_derived").is_not_null())
            .then(
                pl.when(pl.col("reported").is_not_null() & differs)
                .then(pl.lit("differs"))
                .otherwise(pl.col("_derived_basis"))
            )
            .when(pl.col("reported").is_not_null())
            .then(pl.lit("reported"))
            .otherwise(pl.lit("none")),
            numerator=pl.when(pl.col("_derived").is_null())
            .then(pl.col("reported_numerator"))
            .when(at_end | is_month)
            .then(pl.col("_last_num"))
            .when(pl.col("_n_num") == pl.col("_n"))
            .then(pl.col("_sum_num")),
            denominator=pl.when(pl.col("_derived").is_null())
            .then(pl.col("reported_denominator"))
            .when(at_end | is_month)
            .then(pl.col("_last_den"))
            .when(pl.col("_n_den") == pl.col("_n"))
            .then(pl.col("_sum_den")),
        )
        .with_columns(
            flow=pl.when(count_cumulative).then(
                pl.coalesce(computed_flow, pl.col("reported_flow"))
            ),
            reason=pl.when(outside).then(range_note).otherwise(reason),
        )
    )
    return out.select(
        "key",
        "pid",
        "period",
        "value",
        "basis",
        "reported",
        "numerator",
        "denominator",
        "flow",
        "reason",
    )


def _rag(value: pl.Expr) -> pl.Expr:
    """green / amber / red from the shown value, target, tolerance and polarity."""
    target = pl.col("target")
    tol = pl.col("tolerance").fill_null(0.0)
    up, down = pl.col("polarity") == "up", pl.col("polarity") == "down"
    judged = value.is_not_null() & target.is_not_null()
    return (
        pl.when(judged & up & (value >= target - _EPS))
        .then(pl.lit("green"))
        .when(judged & down & (value <= target + _EPS))
        .then(pl.lit("green"))
        .when(judged & up & (tol > 0) & (value >= target - tol - _EPS))
        .then(pl.lit("amber"))
        .when(judged & down & (tol > 0) & (value <= target + tol + _EPS))
        .then(pl.lit("amber"))
        .when(judged & (up | down))
        .then(pl.lit("red"))
    )


def _direction(now: pl.Expr, then: pl.Expr) -> pl.Expr:
    """improved / worsened / unchanged through polarity; up / down / unchanged for none."""
    delta = now - then
    up, down = pl.col("polarity") == "up", pl.col("polarity") == "down"
    return (
        pl.when(now.is_null() | then.is_null())
        .then(None)
        .when(delta.abs() <= _EPS)
        .then(pl.lit("unchanged"))
        .when((up & (delta > 0)) | (down & (delta < 0)))
        .then(pl.lit("improved"))
        .when(up | down)
        .then(pl.lit("worsened"))
        .when(delta > 0)
        .then(pl.lit("up"))
        .otherwise(pl.lit("down"))
    )


def compute(dataset: Dataset, period: Period, keys: Iterable[str] | None = None) -> pl.DataFrame:
    """Every indicator for ``period``: one row each, in workbook order (see COLUMNS).

    Values are unrounded; ``rag`` and ``direction`` judge the values as shown (rounded to the
    indicator's decimals), so a table never says "90.0 red against 90".
    """
    if period.kind is PeriodKind.YTD and period.end is None:
        raise PeriodError(f"{period.label} has no end month.", "Use resolve_period().")
    key_list = None if keys is None else list(keys)
    periods = [period, period.last_year(), period.previous(), period.ytd()]
    frames = _frames_for(dataset, periods, key_list)
    figs = figures(dataset, periods, key_list, _frames=frames)
    main = figs.filter(pl.col("pid") == 0).drop("pid")
    value, flow, pid = pl.col("value"), pl.col("flow"), pl.col("pid")
    other = (
        figs.filter(pid > 0)
        .group_by("key")
        .agg(
            last_year=value.filter(pid == 1).first(),
            last_year_flow=flow.filter(pid == 1).first(),
            _previous_value=value.filter(pid == 2).first(),
            _previous_flow=flow.filter(pid == 2).first(),
            ytd=value.filter(pid == 3).first(),
        )
    )
    # A running total against the one before is larger by construction (534 to date in Q3 on
    # 331 in Q2): within a year, a cumulative count compares its flows (203 on 189) and a
    # cumulative rate, whose flow is not known, is not compared. A year to date or a year is
    # compared with the same period a year earlier, which is a fair comparison as it stands.
    running = period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
    cumulative = pl.col("measure") == Measure.CUMULATIVE
    by_flow = cumulative & (pl.col("unit") == Unit.COUNT) & pl.lit(running)
    no_previous = cumulative & (pl.col("unit") == Unit.RATE) & pl.lit(running)
    now = pl.when(by_flow).then(flow).otherwise(value)
    places = pl.col("decimals")
    out = (
        frames.indicators.join(main, on="key", how="left", maintain_order="left")
        .join(other, on="key", how="left", maintain_order="left")
        .with_columns(
            previous=pl.when(by_flow)
            .then(pl.col("_previous_flow"))
            .when(no_previous)
            .then(None)
            .otherwise(pl.col("_previous_value"))
        )
        .with_columns(
            change=value - pl.col("last_year"),
            previous_change=now - pl.col("previous"),
            rag=_rag(shown(value, places)),
            direction=_direction(shown(value, places), shown(pl.col("last_year"), places)),
            previous_direction=_direction(shown(now, places), shown(pl.col("previous"), places)),
            flow_change=flow - pl.col("last_year_flow"),
            flow_direction=_direction(shown(flow, places), shown(pl.col("last_year_flow"), places)),
        )
    )
    return out.select(COLUMNS)


def annual(dataset: Dataset, keys: Iterable[str] | None = None) -> pl.DataFrame:
    """Each financial year's figure per indicator: key, fy, year, value, basis, reported.

    A finished year is computed like the period `2019/20`; the year still running is its year
    to date (`2020/21 YTD`, to the latest month), or, where that has no figure, the workbook's
    bare `2020/21` figure with basis `reported` and the year labelled `2020/21`. Years known only
    from reported rows use them.
    """
    key_list = None if keys is None else list(keys)
    latest = latest_month(dataset)
    fys: set[int] = set()
    months = dataset.monthly.filter(pl.col("value").is_not_null()).get_column("month")
    fys.update(int(d.year - (d.month < 4)) for d in months.unique().to_list())
    for text in dataset.reported.get_column("period").unique().to_list():
        try:
            parsed = parse_period(text)
        except PeriodError:
            continue
        if parsed.kind in (PeriodKind.YEAR, PeriodKind.YTD):
            fys.add(parsed.fy)
    if latest is not None:
        fys = {fy for fy in fys if fy <= latest.fy}
    periods = [
        Period.of_year(fy)
        if latest is None or latest >= Month(fy + 1, 3)
        else Period.of_ytd(fy, _data_end(fy, latest))
        for fy in sorted(fys)
    ]
    frames = _Frames(indicator_frame(dataset, key_list), _monthly(dataset, key_list), latest)
    if not periods:
        return pl.DataFrame(
            schema={
                "key": pl.String,
                "fy": pl.Int64,
                "year": pl.String,
                "value": pl.Float64,
                "basis": pl.String,
                "reported": pl.Float64,
            }
        )
    fy_frame = pl.DataFrame(
        {"pid": list(range(len(periods))), "fy": [p.fy for p in periods]},
        schema={"pid": pl.Int64, "fy": pl.Int64},
    )
    figs = figures(dataset, periods, key_list, _frames=frames).join(fy_frame, on="pid")
    order = frames.indicators.select("key").with_row_index("_pos")
    # The year still running, where its year to date has no figure: the workbook's bare
    # `2020/21` cell, shown as the workbook's figure under its own label (not as a YTD).
    running = periods[-1].fy if periods[-1].kind is PeriodKind.YTD else None
    bare = (
        dataset.reported.filter(
            (pl.col("period") == (fy_label(running) if running is not None else ""))
            & pl.col("value").is_not_null()
            & (pl.col("figure").fill_null("value") == "value")
            & (pl.col("part").fill_null("value") == "value")
        )
        .group_by("key", maintain_order=True)
        .agg(_bare=pl.col("value").first())
    )
    use_bare = (
        (pl.col("fy") == (running if running is not None else -1))
        & pl.col("value").is_null()
        & pl.col("_bare").is_not_null()
    )
    return (
        figs.join(order, on="key")
        .join(bare, on="key", how="left")
        .with_columns(
            period=pl.when(use_bare).then(pl.lit(fy_label(running or 0))).otherwise("period"),
            basis=pl.when(use_bare).then(pl.lit("reported")).otherwise("basis"),
            value=pl.when(use_bare).then("_bare").otherwise("value"),
            reported=pl.when(use_bare).then("_bare").otherwise("reported"),
        )
        .sort("_pos", "fy")
        .select("key", "fy", pl.col("period").alias("year"), "value", "basis", "reported")
    )
