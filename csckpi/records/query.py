"""Every measure of an extract in one polars query.

    counting = count_all(checked, sheets, targets, window, population, by)
    figures, left_out, gaps, before = collect_all(counting.queries)

A list's rows are checked once (:mod:`csckpi.records.checks`). Over them, each measure's
reasons to leave a row out are worked out once per list (measures reading the same fields
share them, and the windows over a child's rows, ``previous()``, with them); the rows dated
before the first month are counted for every measure of a list in one pass; each measure's
usable rows in the months derived are placed in the month(s) they count in, marked `_in` (in
the measure) and `_num` (in its numerator), and stacked into one long frame with the
measure's number, `_t`. Counting them month by month, the months with no rows (zeros, not
gaps), the years to date, the rates, the parts and the rows with a blank the measure needs
are then done once, over that frame, for every measure together. Measures that count the
same rows (a count and its rate per 10,000) are counted once. :func:`placing` gives one
measure's placed rows whole, for the rows behind a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from csckpi.model import Context, Unit
from csckpi.records import checks
from csckpi.records.definitions import Definition, Target, field_kinds
from csckpi.records.expr import MONTH_END, Scope, add_windows, compile_expression, names, parse

if TYPE_CHECKING:
    from csckpi.records.derivation import Window

Rules = list[tuple[pl.Expr, str]]


def collect_all(queries: list[pl.LazyFrame]) -> list[pl.DataFrame]:
    """Run queries together on polars' in-memory engine: on lists of tens of thousands of
    rows the streaming engine (polars 2's default) costs a fifth more CPU."""
    return pl.collect_all(queries, engine="in-memory")


@dataclass(frozen=True)
class _Compiled:
    """A measure's expressions over one list's checked frame."""

    definition: Definition
    rules: Rules  # why a row is left out, first reason first
    scope: Scope  # with the windows (previous/next) the expressions read
    where: pl.Expr | None  # blanks kept: null is "cannot tell"
    numerator: pl.Expr | None
    gap: pl.Expr  # why a row's where/numerator is blank: :func:`_blank_field`

    @property
    def chain(self) -> tuple[str, ...]:
        return tuple(reason for _flag, reason in self.rules)


def _compile(frame: pl.DataFrame, d: Definition, window: Window) -> _Compiled:
    annex = d.annex
    kinds = {k: v for k, v in field_kinds(annex).items() if k in frame.columns}
    scope = Scope(kinds, window.holidays, window.as_at, annex.identifier)
    where = _raw(d.where, scope)
    numerator = _raw(d.numerator, scope)
    rules = checks.reasons(annex, frame, set(d.fields()))
    for field_id in d.placing[:1]:
        label = annex.field(field_id).label  # type: ignore[union-attr]
        rules.append((pl.col(field_id).is_null(), f"without {checks.article(label)}"))
    return _Compiled(d, rules, scope, where, numerator, _blank_field(d, list(kinds)))


def _raw(text: str, scope: Scope) -> pl.Expr | None:
    """The expression with blanks kept (null = "cannot tell"), not yet false."""
    return compile_expression(text, scope, keep_blanks=True) if text else None


def _blank_field(d: Definition, columns: list[str]) -> pl.Expr:
    """Why a row's where/numerator is blank: the first blank field the expressions name (its
    index in the list's fields; -1 when none is: :func:`blank_reason` says it in words)."""
    annex = d.annex
    named = names(parse(d.where)) if d.where else set()
    named |= names(parse(d.numerator)) if d.numerator else set()
    reason = pl.lit(-1, dtype=pl.Int64)
    for index, field in reversed(list(enumerate(annex.fields))):
        if field.id in named and field.id in columns:
            reason = pl.when(pl.col(field.id).is_null()).then(index).otherwise(reason)
    return reason


def blank_reason(d: Definition, index: int) -> str:
    """:func:`_blank_field`'s index in words: `with a blank activity status`."""
    if index < 0:
        return "with a blank the measure needs"
    return f"with a blank {d.annex.fields[index].label}"


def _why(rules: Rules) -> pl.Expr:
    """The first reason a row is left out, or null."""
    why = pl.lit(None, dtype=pl.String)
    for flag, reason in reversed(rules):
        why = pl.when(flag).then(pl.lit(reason)).otherwise(why)
    return why


def _placed(valid: pl.LazyFrame, c: _Compiled, window: Window) -> pl.LazyFrame:
    """Each usable row in the month(s) it counts in (`_month`, `_month_end`; rows dated before
    the first month are left for :func:`_before`), with `_w` and `_num`, blanks kept."""
    d = c.definition
    if d.date:
        month = pl.col(d.date).dt.truncate("1mo")
        placed = valid.filter(pl.col(d.date) >= window.since)
        placed = placed.with_columns(_month=month).with_columns(
            pl.min_horizontal(pl.col("_month").dt.month_end(), pl.lit(window.as_at)).alias(
                MONTH_END
            )
        )
    else:
        months = window.last_frame if d.at_extract else window.months_frame
        placed = valid.join(months.lazy(), how="cross")
        if d.open:
            start, end = d.open
            placed = placed.filter(
                (pl.col(start) <= pl.col(MONTH_END))
                & (pl.col(end).is_null() | (pl.col(end) > pl.col(MONTH_END)))
            )
    return placed.with_columns(
        _w=c.where if c.where is not None else pl.lit(True),
        _num=c.numerator if c.numerator is not None else pl.lit(True),
    )


def _before(d: Definition, window: Window, valid: pl.Expr | None = None) -> pl.Expr:
    """How many (``valid``) rows are dated before the first month (none for a snapshot)."""
    if not d.date:
        return pl.lit(0, dtype=pl.UInt32)
    early = pl.col(d.date) < window.since
    return (early if valid is None else early & valid).sum()


_UNKNOWN = pl.col("_w").is_null() | (pl.col("_w") & pl.col("_num").is_null())
_IN = pl.col("_w").fill_null(False).alias("_in")
_NUM = pl.col("_num").fill_null(False)


# ----------------------------------------------------------------------------- one measure


@dataclass(frozen=True)
class Placing:
    """One measure's rows: ``rows`` (each usable row in the month(s) it counts in, every
    column of the list, with `_in`, in the measure, and `_num`, in the numerator), and the
    counts of the rows left out (`_why`, `len`), of those with a blank the measure needs
    (`_g`, :func:`blank_reason`; `len`), and of those dated before the first month
    (`before`)."""

    rows: pl.LazyFrame
    left_out: pl.LazyFrame
    gaps: pl.LazyFrame
    before: pl.LazyFrame


def placing(frame: pl.DataFrame, d: Definition, window: Window) -> Placing:
    c = _compile(frame, d, window)
    base = frame.lazy().with_columns(_why=_why(c.rules))
    left_out = base.filter(pl.col("_why").is_not_null()).group_by("_why", maintain_order=True).len()
    valid = add_windows(base.filter(pl.col("_why").is_null()).drop("_why"), c.scope)
    placed = _placed(valid, c, window)
    before = valid.select(_before(d, window).alias("before"))
    gaps = (
        placed.filter(_UNKNOWN)
        .select("_row", _g=c.gap)
        .unique(maintain_order=True)
        .group_by("_g", maintain_order=True)
        .len()
    )
    rows = placed.filter(~_UNKNOWN).with_columns(_IN, _NUM).drop("_w")
    return Placing(rows, left_out, gaps, before)


# ----------------------------------------------------------------------------- every measure


@dataclass(frozen=True)
class Counting:
    """The queries :func:`count_all` builds, and how to read their answers."""

    figures: pl.LazyFrame  # key, code, month, part, value, list, sheet, rows (+ by)
    left_out: pl.LazyFrame  # _c (a reason chain's number), _why, len
    gaps: pl.LazyFrame  # _t (a count's number), _g (the field blank, or -1), len
    before: pl.LazyFrame  # one row: a column for each count dated (`str(_t)`)
    count: Mapping[Definition, int]  # -> _t: measures that count the same rows share one
    chain: Mapping[Definition, int]  # -> _c

    @property
    def queries(self) -> list[pl.LazyFrame]:
        return [self.figures, self.left_out, self.gaps, self.before]


def _counted_alike(d: Definition) -> tuple[object, ...]:
    """What makes two measures count the same rows (a count and its rate per 10,000 do)."""
    return (d.list, d.date, d.open, d.at_extract, d.where, d.numerator, d.count)


def count_all(
    checked: Mapping[int, pl.DataFrame],
    sheets: Mapping[int, str],
    targets: Sequence[Target],
    window: Window,
    population: Context | None,
    by: Sequence[str],
) -> Counting:
    """The figures of every target (each a measure of a list in ``checked``), month by month
    (and ``by`` value), with the counts of the rows each measure left out, as one query."""
    by = list(by)
    alike: dict[tuple[object, ...], Definition] = {}
    for target in targets:
        alike.setdefault(_counted_alike(target.definition), target.definition)
    counts = list(alike.values())
    count = {t.definition: counts.index(alike[_counted_alike(t.definition)]) for t in targets}
    chain: dict[Definition, int] = {}
    chains: dict[tuple[int, tuple[str, ...]], int] = {}
    stacked: list[pl.LazyFrame] = []
    whys: list[pl.LazyFrame] = []
    before: list[pl.LazyFrame] = []
    for number in sorted({d.list for d in counts}):
        frame = checked[number]
        compiled = [_compile(frame, d, window) for d in counts if d.list == number]
        own: dict[tuple[str, ...], tuple[int, Rules]] = {}
        for c in compiled:
            key = (number, c.chain)
            if key not in chains:
                chains[key] = len(chains)
                own[c.chain] = (chains[key], c.rules)
            chain[c.definition] = chains[key]
        base = frame.lazy().with_columns(_why(rules).alias(f"_why{n}") for n, rules in own.values())
        whys += [
            base.select(pl.lit(n, dtype=pl.Int64).alias("_c"), pl.col(f"_why{n}").alias("_why"))
            for n, _rules in own.values()
        ]
        columns = [f"_why{n}" for n, _rules in own.values()]
        early = {
            str(count[c.definition]): _before(
                c.definition, window, pl.col(f"_why{chain[c.definition]}").is_null()
            )
            for c in compiled
            if c.definition.date
        }
        if early:
            before.append(base.select(**early))
        valid: dict[tuple[int, tuple[tuple[str, tuple[str, int]], ...]], pl.LazyFrame] = {}
        for c in compiled:
            n = chain[c.definition]
            windows = tuple(c.scope.windows.items())
            if (n, windows) not in valid:
                rows = base.filter(pl.col(f"_why{n}").is_null()).drop(columns)
                valid[(n, windows)] = add_windows(rows, c.scope)
            placed = _placed(valid[(n, windows)], c, window)
            stacked.append(_stacked(placed, c, count[c.definition], by))
    for target in targets:
        chain.setdefault(target.definition, chain[alike[_counted_alike(target.definition)]])
    rows = pl.concat(stacked, how="vertical")
    gaps = (
        rows.filter(pl.col("_g").is_not_null())
        .select("_t", "_row", "_g")
        .unique(maintain_order=True)
        .group_by("_t", "_g", maintain_order=True)
        .len()
    )
    left_out = (
        pl.concat(whys, how="vertical")
        .filter(pl.col("_why").is_not_null())
        .group_by("_c", "_why", maintain_order=True)
        .len()
    )
    counted = _counts(rows, counts, window, by)
    figures = _figures(counted, targets, count, sheets, window, population, by)
    dated = pl.concat(before, how="horizontal") if before else pl.LazyFrame({"-1": [0]})
    return Counting(figures, left_out, gaps, dated, count, chain)


def _stacked(placed: pl.LazyFrame, c: _Compiled, number: int, by: list[str]) -> pl.LazyFrame:
    """A measure's placed rows as :func:`count_all` stacks them: its number `_t`, `_row`,
    `_month`, `_in` and `_num` (false where `_w` or `_num` is blank), `_g` (which blank field:
    an index into the list's fields, -1 for none named; null where nothing is blank), `_id`
    (the child, for a count of children) and the ``by`` fields."""
    d = c.definition
    unknown = _UNKNOWN if (d.where or d.numerator) else pl.lit(False)
    known = ~unknown
    return placed.select(
        pl.lit(number, dtype=pl.Int64).alias("_t"),
        "_row",
        "_month",
        (known & pl.col("_w")).fill_null(False).alias("_in"),
        (known & pl.col("_w") & pl.col("_num")).fill_null(False).alias("_num"),
        pl.when(unknown).then(c.gap).alias("_g"),
        (
            pl.col(d.annex.identifier) if d.count == "children" else pl.lit(None, dtype=pl.String)
        ).alias("_id"),
        *by,
    )


def _counts(
    rows: pl.LazyFrame, counts: list[Definition], window: Window, by: list[str]
) -> pl.LazyFrame:
    """Each count's `_den` and `_nu` for every month (and ``by`` value), zeros included."""
    keys = ["_t", "_month", *by]
    children = [n for n, d in enumerate(counts) if d.count == "children"]
    aggregates = [pl.col("_in").sum().alias("_den"), pl.col("_num").sum().alias("_nu")]
    if children:
        aggregates += [
            pl.col("_id").filter(pl.col("_in")).n_unique().alias("_den_c"),
            pl.col("_id").filter(pl.col("_num")).n_unique().alias("_nu_c"),
        ]
    counted = rows.group_by(keys).agg(aggregates)
    if children:
        kids = pl.col("_t").is_in(children)
        counted = counted.select(
            *keys,
            pl.when(kids).then("_den_c").otherwise("_den").alias("_den"),
            pl.when(kids).then("_nu_c").otherwise("_nu").alias("_nu"),
        )
    grid_t: list[int] = []
    grid_month: list[dt.date] = []
    for n, d in enumerate(counts):
        months = window.months[-1:] if d.at_extract else window.months
        grid_t += [n] * len(months)
        grid_month += months
    grid = pl.LazyFrame(
        {"_t": grid_t, "_month": grid_month}, schema={"_t": pl.Int64, "_month": pl.Date}
    )
    if by:
        grid = grid.join(rows.filter(pl.col("_in")).select("_t", *by).unique(), on="_t")
    return grid.join(counted, on=keys, how="left").with_columns(
        pl.col("_den").fill_null(0).cast(pl.Int64), pl.col("_nu").fill_null(0).cast(pl.Int64)
    )


def fy(month: pl.Expr) -> pl.Expr:
    """The financial year a month is in (April 2020 to March 2021: 2020)."""
    return month.dt.year() - (month.dt.month() < 4).cast(pl.Int32)


def _figures(
    counts: pl.LazyFrame,
    targets: Sequence[Target],
    count: Mapping[Definition, int],
    sheets: Mapping[int, str],
    window: Window,
    population: Context | None,
    by: list[str],
) -> pl.LazyFrame:
    """Each target's parts (value, numerator, denominator) from its measure's counts: a year
    to date's summed from April, a rate's per 10,000 of the year's population."""
    described = pl.LazyFrame(
        {
            "_i": list(range(len(targets))),
            "_t": [count[t.definition] for t in targets],
            "_ytd": [t.ytd for t in targets],
            "_unit": [t.definition.unit.value for t in targets],
            "key": [t.key for t in targets],
            "code": [t.code for t in targets],
            "list": [t.definition.list for t in targets],
            "sheet": [sheets[t.definition.list] for t in targets],
        },
        schema={
            "_i": pl.Int64,
            "_t": pl.Int64,
            "_ytd": pl.Boolean,
            "_unit": pl.String,
            "key": pl.String,
            "code": pl.String,
            "list": pl.Int64,
            "sheet": pl.String,
        },
    )
    fys = sorted({m.year - (m.month < 4) for m in window.months})
    people = [population.population_for(year) if population else None for year in fys]
    pop = pl.LazyFrame({"_fy": fys, "_pop": people}, schema={"_fy": pl.Int32, "_pop": pl.Float64})
    rows = (
        counts.join(described, on="_t")
        .with_columns(_fy=fy(pl.col("_month")))
        .join(pop, on="_fy", how="left")
        .sort("_month")
    )
    ytd = pl.col("_ytd")
    rows = rows.with_columns(
        pl.when(ytd).then(pl.col(c).cum_sum().over(["_i", "_fy", *by])).otherwise(pl.col(c))
        for c in ("_den", "_nu")
    ).filter(~ytd | (pl.date(pl.col("_fy"), 4, 1) >= window.since))
    percent = pl.col("_unit") == Unit.PERCENT.value
    rate = pl.col("_unit") == Unit.RATE.value
    counted = pl.col("_den").cast(pl.Float64)
    parts = {
        "numerator": pl.when(percent).then(pl.col("_nu").cast(pl.Float64)).when(rate).then(counted),
        "denominator": pl.when(percent).then(counted),
        "value": pl.when(percent)
        .then(pl.when(pl.col("_den") > 0).then(pl.col("_nu") * 100.0 / pl.col("_den")))
        .when(rate)
        .then(pl.when(pl.col("_pop") > 0).then(counted / pl.col("_pop") * 10_000.0))
        .otherwise(counted),
    }
    index = ["_i", "key", "code", "_month", "list", "sheet", "rows", *by]
    wide = rows.with_columns(rows=pl.col("_den")).select(*index, **parts)
    return (
        wide.unpivot(index=index, on=list(parts), variable_name="part", value_name="_v")
        .filter(pl.col("_v").is_not_null())
        .sort(["_i", "_month", *by, "part"])
        .select(
            "key",
            "code",
            pl.col("_month").alias("month"),
            "part",
            pl.col("_v").cast(pl.Float64).alias("value"),
            "list",
            "sheet",
            pl.col("rows").cast(pl.Int64),
            *by,
        )
    )
