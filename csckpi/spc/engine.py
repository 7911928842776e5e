"""XmR limits and the tests for special cause variation, for every indicator at once.

One lazy polars query over the long frame of monthly values, sorted by indicator and month;
``analysis`` collects it on the in-memory engine (polars 2's default, streaming, took five times
as long for these shifts, fills and windows over a sorted frame).
Windows are per *segment* (an indicator's months under one set of limits) and per *block*
(a segment's run of calendar-consecutive months): a missing month ends a block, so no moving
range spans it and no run of points continues across it. No Python loop touches a row, an
indicator or a segment; the few loops below unroll a rule's handful of expressions.

Columns added here start with an underscore; ``analysis`` picks the public ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from csckpi.spc.model import Rule, RuleKind, Side, SpcSettings

E2 = 2.66  # the XmR scaling constant: 3 / d2, d2 = 1.128 for moving ranges of two
REL_TOL = 1e-10  # "on a line": within this fraction of the segment's largest value

ROW, KEY, MONTH, VALUE = "_row", "key", "month", "value"
IDX, SEG, BLOCK = "_idx", "_seg", "_block"
START, BASIS_END = "_start", "_basis_end"
CONSECUTIVE, IN_BASIS, HAS_LIMITS = "_consecutive", "_in_basis", "_has_limits"
POINTS, BASIS_POINTS, RANGES = "_points", "_basis_points", "_ranges"
MEAN, MR, MR_BAR, TOL, SIDE, STEP = "_mean", "_mr", "_mr_bar", "_tol", "_side", "_step"
RULE = "_rule"
REPEAT = "_repeat"  # a second value for the same indicator and month: the caller's mistake

x, row, block = pl.col(VALUE), pl.col(ROW), pl.col(BLOCK)


def month_index(month: pl.Expr) -> pl.Expr:
    """Months since year 0, so consecutive months differ by one (``Month.index``)."""
    return (month.dt.year() * 12 + month.dt.month() - 1).cast(pl.Int32)


def line(sigmas: float, side: int) -> pl.Expr:
    """mean + side x sigmas/3 x 2.66 mR-bar: 3 sigmas is a process limit."""
    spread = E2 * pl.col(MR_BAR)
    offset = spread if sigmas == 3 else spread * (sigmas / 3)
    return pl.col(MEAN) + offset if side > 0 else pl.col(MEAN) - offset


def prepare(
    values: pl.LazyFrame, changes: pl.DataFrame | None, settings: SpcSettings
) -> pl.LazyFrame:
    """Segments, blocks, moving ranges and limits.

    ``values``: key, month, value, with no nulls; ``_repeat`` marks a month given twice.
    ``changes``: key, _start, _basis_end (month indexes), or None for no declared changes.
    """
    df = values.with_columns(month_index(pl.col(MONTH)).alias(IDX))
    if changes is None or changes.is_empty():
        df = df.with_columns(
            pl.lit(None, pl.Int32).alias(START), pl.lit(None, pl.Int32).alias(BASIS_END)
        )
    else:
        df = df.sort(IDX).join_asof(
            changes.lazy().sort(START),
            left_on=IDX,
            right_on=START,
            by=KEY,
            strategy="backward",
            check_sortedness=False,
        )
    df = df.sort(KEY, IDX).with_row_index(ROW)
    key = pl.col(KEY)
    new_segment = key.ne_missing(key.shift(1)) | pl.col(START).ne_missing(pl.col(START).shift(1))
    df = df.with_columns(new_segment.alias("_new_segment"))
    consecutive = ~pl.col("_new_segment") & (pl.col(IDX) - pl.col(IDX).shift(1) == 1)
    df = df.with_columns(
        (~pl.col("_new_segment") & (pl.col(IDX) == pl.col(IDX).shift(1))).alias(REPEAT),
        pl.col("_new_segment").cum_sum().alias(SEG),
        consecutive.fill_null(False).alias(CONSECUTIVE),
        (pl.col(BASIS_END).is_null() | (pl.col(IDX) <= pl.col(BASIS_END))).alias(IN_BASIS),
    )
    basis = pl.col(IN_BASIS)
    df = df.with_columns(
        (~pl.col(CONSECUTIVE)).cum_sum().alias(BLOCK),
        pl.when(pl.col(CONSECUTIVE)).then((x - x.shift(1)).abs()).alias(MR),
    )
    df = df.with_columns(
        pl.len().over(SEG).alias(POINTS),
        basis.sum().over(SEG).alias(BASIS_POINTS),
        pl.when(basis).then(x).mean().over(SEG).alias(MEAN),
        pl.when(basis).then(pl.col(MR)).mean().over(SEG).alias(MR_BAR),
        pl.when(basis).then(pl.col(MR)).count().over(SEG).alias(RANGES),
        (x.abs().max().over(SEG) * REL_TOL).alias(TOL),
    )
    has = (
        (pl.col(POINTS) >= settings.min_points)
        & (pl.col(BASIS_POINTS) >= settings.min_baseline)
        & (pl.col(RANGES) >= 1)
    )
    # A segment without limits keeps no mean either: nothing is judged against it.
    df = df.with_columns(has.alias(HAS_LIMITS)).with_columns(
        pl.when(has).then(pl.col(c)).alias(c) for c in (MEAN, MR_BAR)
    )
    tol, mean = pl.col(TOL), pl.col(MEAN)
    previous = x.shift(1)
    limited = pl.col(HAS_LIMITS)
    return df.with_columns(
        pl.when(~limited)
        .then(None)
        .when(x > mean + tol)
        .then(1)
        .when(x < mean - tol)
        .then(-1)
        .otherwise(0)
        .cast(pl.Int8)
        .alias(SIDE),
        pl.when(~limited | ~pl.col(CONSECUTIVE))
        .then(0)
        .when(x > previous + tol)
        .then(1)
        .when(x < previous - tol)
        .then(-1)
        .otherwise(0)
        .cast(pl.Int8)
        .alias(STEP),
    )


# -- the rules ----------------------------------------------------------------------------------


def flag_column(kind: RuleKind, side: Side) -> str:
    """Whether a month is part of a ``kind`` pattern on ``side``."""
    return f"_flag_{kind.name}_{side.value}"


def start_column(kind: RuleKind, side: Side) -> str:
    """The row where that pattern starts: one pattern, one start (a signal's identity)."""
    return f"_from_{kind.name}_{side.value}"


@dataclass(frozen=True)
class Pattern:
    """What one rule asks of the engine, as expressions (the engine evaluates every rule's in
    the same few steps).

    ``columns``: boolean columns worked out from the prepared frame; ``runs``: those whose
    runs are needed, which the engine gives as ``NAME_start`` (the run's first row) and
    ``NAME_length`` — a run is neighbouring rows of one block with the same value; ``flags``
    and ``starts``: per side, the months in a pattern and the row where it starts.
    """

    columns: dict[str, pl.Expr]
    runs: tuple[str, ...]
    flags: dict[Side, pl.Expr]
    starts: dict[Side, pl.Expr]


def _name(rule: Rule, what: str, side: Side) -> str:
    return f"_{rule.kind.name}_{what}_{side.value}"


def _runs_of(rule: Rule, flags: dict[Side, pl.Expr], length: int) -> Pattern:
    """Runs of ``length`` or more neighbouring rows where a flag holds."""
    names = {side: _name(rule, "run", side) for side in Side}
    pattern = {
        side: pl.col(names[side]) & (pl.col(names[side] + "_length") >= length) for side in Side
    }
    return Pattern(
        columns={names[side]: flags[side] for side in Side},
        runs=tuple(names.values()),
        flags=pattern,
        starts={side: pl.when(pattern[side]).then(pl.col(names[side] + "_start")) for side in Side},
    )


def _outside(rule: Rule) -> Pattern:
    """A point beyond a process limit (neighbouring points beyond the same limit: one signal)."""
    tol = pl.col(TOL)
    return _runs_of(rule, {Side.HIGH: x > line(3, 1) + tol, Side.LOW: x < line(3, -1) - tol}, 1)


def _shift(rule: Rule) -> Pattern:
    """``length`` or more points in a row on one side of the mean; a point on it ends the run."""
    return _runs_of(rule, {side: pl.col(SIDE) == side.sign for side in Side}, rule.length)


def _trend(rule: Rule) -> Pattern:
    """``length`` or more points in a row, each higher (or each lower) than the one before,
    counting both ends: ``length - 1`` steps the same way. A step to an equal value ends it.
    The side of the mean plays no part, so a trend that crosses the mean is one trend."""
    steps = {side: _name(rule, "steps", side) for side in Side}
    flags: dict[Side, pl.Expr] = {}
    starts: dict[Side, pl.Expr] = {}
    for side in Side:
        step = steps[side]
        # the step into this month is in a run of length - 1 steps the same way ...
        own = pl.col(step) & (pl.col(step + "_length") >= rule.length - 1)
        # ... or this month is where such a run starts (the step out of it is the first)
        following = own.shift(-1).fill_null(False)
        flags[side] = own | following
        starts[side] = pl.when(own).then(pl.col(step + "_start") - 1).when(following).then(row)
    return Pattern(
        columns={steps[side]: pl.col(STEP) == side.sign for side in Side},
        runs=tuple(steps.values()),
        flags=flags,
        starts=starts,
    )


def _k_of_n(rule: Rule) -> Pattern:
    """``count`` of ``length`` points in a row beyond the same ``sigmas`` line (and, with
    ``same_side``, all ``length`` on that side of the mean). The months flagged are the ones
    beyond the line; overlapping windows make one signal."""
    n, tol = rule.length, pl.col(TOL)
    whole_window = block.eq_missing(block.shift(n - 1))  # the n rows are consecutive
    columns: dict[str, pl.Expr] = {}
    for side in Side:
        high = side is Side.HIGH
        beyond = x > line(rule.sigmas, 1) + tol if high else x < line(rule.sigmas, -1) - tol
        if rule.inside_limits:
            beyond = beyond & (x <= line(3, 1) + tol if high else x >= line(3, -1) - tol)
        beyond = beyond.fill_null(False)
        window = whole_window & (beyond.cast(pl.Int32).rolling_sum(n) >= rule.count)
        if rule.same_side:
            on_side = (pl.col(SIDE) == side.sign).fill_null(False).cast(pl.Int32)
            window = window & (on_side.rolling_sum(n) == n)
        window = window.fill_null(False)
        # a month is covered by each window that ends in it or in one of the n - 1 after it
        columns[_name(rule, "beyond", side)] = beyond
        columns[_name(rule, "covered", side)] = pl.any_horizontal(
            window.shift(-t).fill_null(False) for t in range(n)
        )
    flags = {
        side: pl.col(_name(rule, "covered", side)) & pl.col(_name(rule, "beyond", side))
        for side in Side
    }
    return Pattern(
        columns=columns,
        runs=tuple(_name(rule, "covered", side) for side in Side),
        flags=flags,
        starts={
            side: pl.when(flags[side]).then(pl.col(_name(rule, "covered", side) + "_start"))
            for side in Side
        },
    )


EVALUATORS: dict[RuleKind, Callable[[Rule], Pattern]] = {
    RuleKind.OUTSIDE: _outside,
    RuleKind.SHIFT: _shift,
    RuleKind.TREND: _trend,
    RuleKind.TWO_OF_THREE: _k_of_n,
    RuleKind.FOUR_OF_FIVE: _k_of_n,
}


def rule_name(settings: SpcSettings) -> pl.Expr:
    """The deciding rule's name (``RuleKind`` value), null where none."""
    names = {i: rule.kind.value for i, rule in enumerate(settings.profile.rules)}
    return pl.col(RULE).replace_strict(names, default=None, return_dtype=pl.String)


def apply_rules(df: pl.LazyFrame, settings: SpcSettings) -> pl.LazyFrame:
    """Every rule of the profile, then each month's deciding rule and side.

    ``_rule``/``_rule_side``: the first rule of the profile (its order of precedence) that
    the month is part of (its index in the profile's rules: ``rule_name`` names it), and its
    side; a month at the turn of two opposite trends takes the
    one that starts there. ``_high``/``_low``: part of any pattern on that side.
    """
    rules = settings.profile.rules
    patterns = [EVALUATORS[rule.kind](rule) for rule in rules]
    df = df.with_columns(
        expr.fill_null(False).alias(name) for p in patterns for name, expr in p.columns.items()
    )
    runs = [name for p in patterns for name in p.runs]
    new_block = block.ne_missing(block.shift(1))
    df = df.with_columns(
        (pl.col(name).ne_missing(pl.col(name).shift(1)) | new_block).alias(name + "_break")
        for name in runs
    )
    bounds = []  # forward and backward fills over the sorted frame: no grouping by run
    for name in runs:
        begins = pl.col(name + "_break")
        start = pl.when(begins).then(row).forward_fill()
        end = pl.when(begins.shift(-1).fill_null(True)).then(row).backward_fill()
        bounds += [start.alias(name + "_start"), (end - start + 1).alias(name + "_length")]
    df = df.with_columns(bounds).with_columns(
        expr
        for rule, p in zip(rules, patterns, strict=True)
        for side in Side
        for expr in (
            p.flags[side].alias(flag_column(rule.kind, side)),
            p.starts[side].alias(start_column(rule.kind, side)),
        )
    )
    sides = {}
    for rule in rules:
        high = pl.col(flag_column(rule.kind, Side.HIGH))
        low = pl.col(flag_column(rule.kind, Side.LOW))
        starts_high = pl.col(start_column(rule.kind, Side.HIGH)) == row
        sides[rule.kind] = (
            pl.when(high & low)
            .then(pl.when(starts_high).then(1).otherwise(-1))
            .when(high)
            .then(1)
            .when(low)
            .then(-1)
        )
    kinds = [r.kind for r in rules]
    flags = {side: pl.any_horizontal(pl.col(flag_column(k, side)) for k in kinds) for side in Side}
    return df.with_columns(
        pl.coalesce(
            pl.when(sides[k].is_not_null()).then(pl.lit(i, pl.Int8)) for i, k in enumerate(kinds)
        ).alias(RULE),
        pl.coalesce(sides[k] for k in kinds).cast(pl.Int8).alias("_rule_side"),
        flags[Side.HIGH].alias("_high"),
        flags[Side.LOW].alias("_low"),
    )
