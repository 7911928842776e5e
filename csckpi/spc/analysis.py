"""``analyse``: XmR limits, signals and icons for every indicator in one pass, as frames and
as frozen records (``SpcFacts``) for compare, narrate and the report.

The frames (docs/spc.md lists their columns):

* ``points``   one row per indicator-month with a value: the chart (lines, the month's
  variation and the rule that decided it);
* ``segments`` one row per indicator and segment (months under one set of limits), with the
  reason when there are none;
* ``signals``  one row per pattern found: rule, side, judgement, the months in it;
* ``summary``  one row per indicator, the latest month's view: limits, variation and
  assurance icons, reason — shaped to join onto compute's table by ``key``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from csckpi.model import Indicator, Polarity, normalise_code
from csckpi.periods import Month
from csckpi.spc import engine
from csckpi.spc.engine import (
    BASIS_END,
    BASIS_POINTS,
    HAS_LIMITS,
    IDX,
    IN_BASIS,
    KEY,
    MEAN,
    MONTH,
    MR,
    MR_BAR,
    POINTS,
    RANGES,
    ROW,
    SEG,
    START,
    STEP,
    TOL,
    VALUE,
    line,
)
from csckpi.spc.model import (
    Assurance,
    Change,
    Judgement,
    Side,
    SpcError,
    SpcFacts,
    SpcSettings,
    Variation,
)
from csckpi.spc.profiles import settings as default_settings
from csckpi.spc.reasons import segment_reason
from csckpi.spc.records import records_of

INDICATOR_SCHEMA = {KEY: pl.String, "polarity": pl.String, "target": pl.Float64}
VALUE_SCHEMA = {KEY: pl.String, MONTH: pl.Date, VALUE: pl.Float64}
LINES = ("mean", "lower", "upper", "lower_2sigma", "upper_2sigma")
#: With ``latest_only``: the indicator's months in every segment (``summary``'s ``points``),
#: and whether any indicator's month was given twice (every month is checked, not the tail).
KEY_POINTS, ANY_REPEAT = "_key_points", "_any_repeat"
# polars 2 runs a lazy query on its streaming engine unless told, 1.x in memory (and early 1.x
# has no engine of that name): the in-memory engine is the faster for this query.
IN_MEMORY: dict[str, Any] = (
    {"engine": "in-memory"} if int(pl.__version__.split(".")[0]) >= 2 else {}
)


def indicator_frame(indicators: Iterable[Indicator]) -> pl.DataFrame:
    """key, polarity, target: what ``analyse`` needs to know of each indicator."""
    rows = [(i.key, i.polarity.value, i.target) for i in indicators]
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA, orient="row")


@dataclass(frozen=True, eq=False)
class SpcResult:
    """Every indicator's SPC, as frames (for tables, JSON and charts) and as records.

    The frames are worked out when first read, from one frame of every indicator-month with
    its limits and patterns: ``summary`` alone (what compute's table needs) does not pay for
    ``signals`` or ``points``.
    """

    #: every indicator-month, with the engine's working columns; with ``latest_only``, the
    #: summary, made in the same query from each indicator's latest month
    frame: pl.DataFrame
    indicators: pl.DataFrame  # key, polarity, target
    settings: SpcSettings
    #: with ``latest_only``: every indicator-month with its segment's limits, the rules not
    #: tested. A query, run only if ``segments`` are asked for
    prepared: pl.LazyFrame | None = None

    def _whole(self, what: str) -> pl.DataFrame:
        if self.prepared is not None:
            raise ValueError(f"{what} needs every month tested: analyse without latest_only")
        return self.frame

    @cached_property
    def points(self) -> pl.DataFrame:
        return _points(self._whole("points"), self.settings)

    @cached_property
    def _segments(self) -> pl.DataFrame:
        whole = self.frame if self.prepared is None else self.prepared.collect(**IN_MEMORY)
        return _segments(whole, self.settings)

    @cached_property
    def segments(self) -> pl.DataFrame:
        return self._segments.drop(TOL)

    @cached_property
    def signals(self) -> pl.DataFrame:
        return _signals(self._whole("signals"), self.settings)

    @cached_property
    def summary(self) -> pl.DataFrame:
        if self.prepared is not None:  # made with the latest rows, which carry it
            return self.frame
        return _summary(self.frame, self._segments, self.indicators, self.settings)

    def facts(self, key: str) -> SpcFacts:
        """One indicator's record. Raises KeyError for a key that was not analysed."""
        wanted = pl.col(KEY) == key
        found = records_of(
            self.summary.filter(wanted),
            self.segments.filter(wanted),
            self.signals.filter(wanted),
            self.settings,
            self._whole("facts").filter(wanted),
        )
        return found[key]

    def all_facts(self) -> dict[str, SpcFacts]:
        """Every indicator's record, by key."""
        return records_of(
            self.summary, self.segments, self.signals, self.settings, self._whole("facts")
        )


def analyse(
    values: pl.DataFrame,
    indicators: pl.DataFrame,
    settings: SpcSettings | None = None,
    changes: Sequence[Change] = (),
    *,
    latest_only: bool = False,
    checked: bool = False,
) -> SpcResult:
    """XmR limits, signals and icons for every indicator of ``indicators`` at once.

    ``values``: key, month (a date; the day is ignored), value — each month's value (a ratio
    month from its parts), as ``compute.monthly_values`` gives it. A null value is a missing
    month. ``indicators``: key, polarity, target (``indicator_frame``). ``changes``: declared
    changes of process and baselines (``Change``; ``profiles.parse_baseline``).

    ``latest_only``: what ``summary`` needs and no more (compute's columns). The limits come
    from every month, but the rules are tested only on each indicator's last few months —
    the longest rule's length and one more — as a pattern the latest month is part of ends
    there, and whether it is long enough shows within them. ``points``, ``signals`` and the
    records are then refused. (tests/test_spc_properties.py checks the summary is the same.)

    ``checked``: the frames were made by compute from one dataset (``compute.series``), so
    each indicator comes once with a known polarity and every value is of one of them; they
    are not checked again.
    """
    settings = settings or default_settings()
    if checked:
        indicators = indicators.select(_typed(INDICATOR_SCHEMA))
        clean = values.lazy().select(_typed(VALUE_SCHEMA)).filter(pl.col(VALUE).is_finite())
    else:
        indicators = _checked_indicators(indicators)
        clean = _clean_values(values, indicators).lazy()
    keys = indicators.get_column(KEY)
    key = pl.col(KEY)
    # the engine sorts the rows by indicator: its first segment is the one on its first row
    first_segment = pl.when(key.ne_missing(key.shift(1))).then(pl.col(SEG)).forward_fill()
    segment = (pl.col(SEG) - first_segment).cast(pl.Int32).alias("segment")
    query = engine.prepare(clean, _changes_frame(changes, keys), settings)
    prepared = None
    if latest_only:
        prepared = query.with_columns(segment)
        reach = max(rule.length for rule in settings.profile.rules) + 1
        row = pl.col(ROW).cast(pl.Int64)
        # the rows are sorted by indicator, so an indicator's rows are consecutive: its tail is
        # the rows with another indicator (or none) ``reach`` rows on, and its months in every
        # segment (the summary's points) are its latest row's number less its first's, plus
        # one; the step into a tail's first month is outside it, as at the start of a series;
        # whether any month was given twice is asked of every month, before the tails are taken
        query = (
            prepared.with_columns(
                pl.when(key.ne_missing(key.shift(1))).then(row).forward_fill().alias("_earliest"),
                pl.col(engine.REPEAT).any().alias(ANY_REPEAT),
            )
            .filter(key.ne_missing(key.shift(-reach)))
            .with_columns(
                (row - pl.col("_earliest") + 1).cast(pl.Int32).alias(KEY_POINTS),
                pl.when(key.ne_missing(key.shift(1)))
                .then(0)
                .otherwise(pl.col(STEP))
                .cast(pl.Int8)
                .alias(STEP),
            )
        )
        # the summary in the same query: each indicator's latest row (its tail's last)
        latest = (
            engine.apply_rules(query, settings)
            .filter(key.ne_missing(key.shift(-1)))
            .join(indicators.lazy().select(KEY, "polarity"), on=KEY, how="left")
        )
        summary = _latest_summary(latest, indicators, settings, ANY_REPEAT).collect(**IN_MEMORY)
        if summary.get_column(ANY_REPEAT).any():  # the first month given twice, in order
            _refuse_repeats(prepared.filter(pl.col(engine.REPEAT)).collect(**IN_MEMORY))
        frame = summary.drop(ANY_REPEAT)
        return SpcResult(frame=frame, indicators=indicators, settings=settings, prepared=prepared)
    query = engine.apply_rules(query, settings).join(
        indicators.lazy().select(KEY, "polarity"), on=KEY, how="left", maintain_order="left"
    )
    frame = query.with_columns(segment).collect(**IN_MEMORY)
    _refuse_repeats(frame)
    return SpcResult(frame=frame, indicators=indicators, settings=settings, prepared=prepared)


def _refuse_repeats(frame: pl.DataFrame) -> None:
    repeated = frame.filter(pl.col(engine.REPEAT))
    if repeated.height:
        key, month = repeated.row(0, named=True)[KEY], repeated.row(0, named=True)[MONTH]
        raise ValueError(f"{key} has two values for {Month.from_date(month)}")


# -- input -----------------------------------------------------------------------------------


def _typed(schema: dict[str, Any]) -> list[pl.Expr]:
    return [pl.col(c).cast(t) for c, t in schema.items()]


def _checked_indicators(indicators: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in INDICATOR_SCHEMA if c not in indicators.columns]
    if missing:
        raise ValueError(f"the indicator frame has no {', '.join(missing)} column")
    frame = indicators.select(_typed(INDICATOR_SCHEMA))
    twice = frame.filter(pl.col(KEY).is_duplicated()).get_column(KEY).unique().sort()
    if len(twice):
        raise ValueError(f"indicators listed twice: {', '.join(twice)}")
    bad = frame.filter(~pl.col("polarity").is_in([p.value for p in Polarity]))
    if len(bad):
        raise ValueError(f"unknown polarity {bad.row(0)[1]!r} for {bad.row(0)[0]}")
    return frame


def _clean_values(values: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """key, month, value: finite values only (the engine checks each month comes once)."""
    missing = [c for c in (KEY, MONTH, VALUE) if c not in values.columns]
    if missing:
        raise ValueError(f"the values frame has no {', '.join(missing)} column")
    frame = values.select(_typed(VALUE_SCHEMA)).filter(pl.col(VALUE).is_finite())
    unknown = frame.filter(~pl.col(KEY).is_in(indicators.get_column(KEY).implode()))
    if unknown.height:
        keys = ", ".join(unknown.get_column(KEY).unique().sort())
        raise ValueError(f"values for indicators not in the indicator frame: {keys}")
    return frame


def _changes_frame(changes: Sequence[Change], keys: pl.Series) -> pl.DataFrame | None:
    """key, _start, _basis_end (month indexes): each change for its indicator, a change with
    no key for every indicator. Raises SpcError for changes that cannot all hold."""
    if not changes:
        return None
    known = set(keys.to_list())
    for change in changes:
        if change.key is not None and normalise_code(change.key) not in known:
            raise SpcError(
                f"A change of process is declared for '{change.key}', which is not an "
                "indicator here.",
                "Check the indicator code.",
            )
        if change.baseline_end is not None and change.baseline_end < change.start:
            raise SpcError(f"The baseline {change.label} ends before it starts.")
    declared = pl.DataFrame(
        [
            (
                None if c.key is None else normalise_code(c.key),
                c.start.index,
                None if c.baseline_end is None else c.baseline_end.index,
                c.label,
            )
            for c in changes
        ],
        schema={KEY: pl.String, START: pl.Int32, BASIS_END: pl.Int32, "label": pl.String},
        orient="row",
    )
    every = keys.to_frame().join(declared.filter(pl.col(KEY).is_null()).drop(KEY), how="cross")
    frame = pl.concat([declared.filter(pl.col(KEY).is_not_null()), every]).sort(KEY, START)
    twice = frame.filter(pl.struct(KEY, START).is_duplicated())
    if len(twice):
        key, start = twice.row(0)[:2]
        raise SpcError(
            f"Two changes of process for {key} start in {Month.from_index(start)}.",
            "Declare each change once.",
        )
    following = frame.with_columns(pl.col(START).shift(-1).over(KEY).alias("_next"))
    overlap = following.filter(pl.col(BASIS_END) >= pl.col("_next"))
    if len(overlap):
        clash = overlap.row(0, named=True)
        raise SpcError(
            f"The baseline {clash['label']} for {clash[KEY]} runs past the change of process "
            f"in {Month.from_index(clash['_next'])}.",
            "End the baseline before the next change, or drop one of them.",
        )
    return frame.drop("label")


# -- output frames -----------------------------------------------------------------------------


def _lines(limited: pl.Expr) -> list[pl.Expr]:
    return [
        pl.when(limited).then(pl.col(MEAN)).alias("mean"),
        pl.when(limited).then(line(3, -1)).alias("lower"),
        pl.when(limited).then(line(3, 1)).alias("upper"),
        pl.when(limited).then(line(2, -1)).alias("lower_2sigma"),
        pl.when(limited).then(line(2, 1)).alias("upper_2sigma"),
    ]


def _side_name(sign: pl.Expr) -> pl.Expr:
    return (
        pl.when(sign == 1)
        .then(pl.lit(Side.HIGH.value))
        .when(sign == -1)
        .then(pl.lit(Side.LOW.value))
    )


def _judged(side_high: pl.Expr, polarity: pl.Expr, words: dict[Judgement, str]) -> pl.Expr:
    """Improvement, concern or neither, through polarity: the one place sides are judged."""
    good = side_high == (polarity == Polarity.UP.value)
    return (
        pl.when(polarity == Polarity.NONE.value)
        .then(pl.lit(words[Judgement.NEITHER]))
        .when(good)
        .then(pl.lit(words[Judgement.IMPROVEMENT]))
        .otherwise(pl.lit(words[Judgement.CONCERN]))
    )


_VARIATION_WORDS = {
    Judgement.NEITHER: Variation.NEITHER.value,
    Judgement.IMPROVEMENT: Variation.IMPROVEMENT.value,
    Judgement.CONCERN: Variation.CONCERN.value,
}


def _variation(limited: pl.Expr) -> pl.Expr:
    side = pl.col("_rule_side")
    return (
        pl.when(~limited)
        .then(None)
        .when(side.is_null())
        .then(pl.lit(Variation.COMMON_CAUSE.value))
        .otherwise(_judged(side == 1, pl.col("polarity"), _VARIATION_WORDS))
    )


def _points(frame: pl.DataFrame, settings: SpcSettings) -> pl.DataFrame:
    limited = pl.col(HAS_LIMITS)
    return frame.select(
        KEY,
        MONTH,
        VALUE,
        "segment",
        pl.col(IN_BASIS).alias("basis"),
        *_lines(limited),
        pl.col(MR).alias("moving_range"),
        _variation(limited).alias("variation"),
        _side_name(pl.col("_rule_side")).alias("side"),
        engine.rule_name(settings).alias("rule"),
    ).sort(KEY, MONTH)


def _date(index: pl.Expr) -> pl.Expr:
    return pl.date(index // 12, index % 12 + 1, 1)


def _segments(frame: pl.DataFrame, settings: SpcSettings) -> pl.DataFrame:
    basis = pl.col(IN_BASIS)
    grouped = (
        frame.group_by(KEY, SEG, maintain_order=True)
        .agg(
            pl.col("segment").first(),
            _date(pl.col(START).first()).alias("start"),
            pl.col(MONTH).min().alias("first"),
            pl.col(MONTH).max().alias("last"),
            pl.len().cast(pl.Int32).alias("points"),
            (pl.col(IDX).max() - pl.col(IDX).min() + 1 - pl.len()).cast(pl.Int32).alias("missing"),
            _date(pl.col(BASIS_END).first()).alias("baseline_end"),
            pl.col(MONTH).filter(basis).min().alias("basis_first"),
            pl.col(MONTH).filter(basis).max().alias("basis_last"),
            basis.sum().cast(pl.Int32).alias("basis_points"),
            pl.col(RANGES).first().cast(pl.Int32).alias("moving_ranges"),
            pl.col(MEAN).first(),
            pl.col(MR_BAR).first(),
            pl.col(HAS_LIMITS).first(),
            pl.col(TOL).first(),
        )
        .sort(KEY, "segment")
    )
    limited = pl.col(HAS_LIMITS)
    return grouped.select(
        KEY,
        "segment",
        "start",
        "first",
        "last",
        "points",
        "missing",
        "basis_first",
        "basis_last",
        "basis_points",
        "moving_ranges",
        *_lines(limited),
        pl.when(limited).then(pl.col(MR_BAR)).alias("moving_range"),
        segment_reason(
            settings, *(pl.col(c) for c in ("start", "baseline_end", "points", "basis_points"))
        ).alias("reason"),
        TOL,
    )


_JUDGEMENT_WORDS = {j: j.value for j in Judgement}


def _signals(frame: pl.DataFrame, settings: SpcSettings) -> pl.DataFrame:
    kinds = [(rule.kind, side) for rule in settings.profile.rules for side in Side]
    flags = [engine.flag_column(k, s) for k, s in kinds]
    starts = [engine.start_column(k, s) for k, s in kinds]
    narrow = frame.select(KEY, "segment", "polarity", MONTH, *flags, *starts)
    parts = [
        narrow.filter(pl.col(flag)).select(
            KEY,
            "segment",
            "polarity",
            MONTH,
            pl.lit(i, pl.Int8).alias("_pattern"),
            pl.col(start).alias("_from"),
        )
        for i, (flag, start) in enumerate(zip(flags, starts, strict=True))
    ]
    grouped = (
        pl.concat(parts)
        .group_by("_pattern", "_from")
        .agg(
            pl.col(KEY).first(),
            pl.col("segment").first(),
            pl.col("polarity").first(),
            pl.col(MONTH).min().alias("first"),
            pl.col(MONTH).max().alias("last"),
            pl.len().cast(pl.Int32).alias("points"),
            pl.col(MONTH).sort().alias("months"),
        )
    )
    kind = {i: k.value for i, (k, _) in enumerate(kinds)}
    side = {i: s.value for i, (_, s) in enumerate(kinds)}
    named = grouped.with_columns(
        pl.col("_pattern").replace_strict(kind, return_dtype=pl.String).alias("kind"),
        pl.col("_pattern").replace_strict(side, return_dtype=pl.String).alias("side"),
    )
    judged = _judged(pl.col("side") == Side.HIGH.value, pl.col("polarity"), _JUDGEMENT_WORDS)
    return (
        named.with_columns(judged.alias("judgement"))
        .sort(KEY, "first", "_pattern")
        .select(KEY, "segment", "kind", "side", "judgement", "first", "last", "points", "months")
    )


def _assurance(lower: pl.Expr, upper: pl.Expr, tol: pl.Expr) -> pl.Expr:
    """The target against the latest limits. A target on a limit counts as beyond it."""
    target, polarity = pl.col("target"), pl.col("polarity")
    at_or_below_lower = target <= lower + tol
    at_or_above_upper = target >= upper - tol
    up = polarity == Polarity.UP.value
    passing = pl.when(up).then(at_or_below_lower).otherwise(at_or_above_upper)
    failing = pl.when(up).then(at_or_above_upper).otherwise(at_or_below_lower)
    return (
        pl.when(target.is_null() | lower.is_null() | (polarity == Polarity.NONE.value))
        .then(None)
        .when(passing)
        .then(pl.lit(Assurance.PASSING.value))
        .when(failing)
        .then(pl.lit(Assurance.FAILING.value))
        .otherwise(pl.lit(Assurance.HIT_AND_MISS.value))
    )


def _latest_view(settings: SpcSettings) -> list[pl.Expr]:
    """The summary's columns from each indicator's latest month."""
    limited = pl.col(HAS_LIMITS)
    return [
        pl.col(MONTH).alias("latest"),
        (pl.col("segment") + 1).alias("segments"),
        _variation(limited).alias("variation"),
        _side_name(pl.col("_rule_side")).alias("variation_side"),
        engine.rule_name(settings).alias("variation_rule"),
        (pl.col("_high") & pl.col("_low") & (pl.col("polarity") != Polarity.NONE.value)).alias(
            "conflict"
        ),
    ]


def _latest_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col(ROW) == pl.col(ROW).max().over(KEY))


def _summary(
    frame: pl.DataFrame, segments: pl.DataFrame, indicators: pl.DataFrame, settings: SpcSettings
) -> pl.DataFrame:
    latest = _latest_rows(frame).select(KEY, "segment", *_latest_view(settings))
    totals = segments.group_by(KEY).agg(pl.col("points").sum().cast(pl.Int32))
    joined = (
        indicators.join(latest, on=KEY, how="left", maintain_order="left")
        .join(totals, on=KEY, how="left", maintain_order="left")
        .join(segments.drop("points"), on=[KEY, "segment"], how="left", maintain_order="left")
    )
    return joined.select(_summary_columns(settings))


def _latest_summary(
    latest: pl.LazyFrame, indicators: pl.DataFrame, settings: SpcSettings, *keep: str
) -> pl.LazyFrame:
    """:func:`_summary` from each indicator's latest row alone (``analyse(latest_only=True)``):
    it carries its segment's limits, months and change of process (the engine works them out
    on every row), and ``KEY_POINTS`` its indicator's months in every segment; the segments
    themselves are not made. ``keep``: more columns of ``latest`` to keep."""
    limited = pl.col(HAS_LIMITS)
    view = latest.select(
        KEY,
        *_latest_view(settings),
        pl.col(KEY_POINTS).alias("points"),
        *_lines(limited),
        pl.when(limited).then(pl.col(MR_BAR)).alias("moving_range"),
        segment_reason(
            settings,
            _date(pl.col(START)),
            _date(pl.col(BASIS_END)),
            *map(pl.col, (POINTS, BASIS_POINTS)),
        ).alias("reason"),
        TOL,
        *keep,
    )
    joined = indicators.lazy().join(view, on=KEY, how="left", maintain_order="left")
    return joined.select(_summary_columns(settings, *keep))


def _summary_columns(settings: SpcSettings, *keep: str) -> list[pl.Expr | str]:
    """The summary's columns, in order, from an indicator frame joined to its latest rows."""
    none_yet = pl.format(
        "no control limits yet: they need {} months, there are none", pl.lit(settings.min_points)
    )
    return [
        KEY,
        "polarity",
        "target",
        "latest",
        "segments",
        pl.col("points").fill_null(0),
        *LINES,
        "moving_range",
        "variation",
        "variation_side",
        "variation_rule",
        pl.col("conflict").fill_null(False),
        _assurance(pl.col("lower"), pl.col("upper"), pl.col(TOL)).alias("assurance"),
        pl.when(pl.col("latest").is_null())
        .then(none_yet)
        .otherwise(pl.col("reason"))
        .alias("reason"),
        *keep,
    ]
