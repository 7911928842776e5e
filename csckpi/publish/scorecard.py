"""The scorecard's cells and relations (`csckpi compute --publish`).

:func:`scorecard` builds one cell per figure of the compute frame, the counts a rate stands
for (its count, through the population) and the parts of a year to date that are not shown,
and ties them with the relations the figures obey — a change and the two figures it is
between, a percentage and its counts, a count and the rest of its total, a rate and its count,
a year to date and its months, a running total and its flow, a figure shown twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from csckpi.disclosure import THRESHOLD, Relation, Role, Suppression, suppress
from csckpi.model import Context, Measure, Unit
from csckpi.numbers import Symbol
from csckpi.publish.records import RATE_BASE, Publication

if TYPE_CHECKING:
    from csckpi.periods import Period


# -- the scorecard -------------------------------------------------------------------------------

#: The figures of a compute row a published scorecard writes (docs/json.md's order).
FIGURES = (
    "value",
    "reported",
    "numerator",
    "denominator",
    "flow",
    "last_year_flow",
    "ytd",
    "target",
    "tolerance",
    "last_year",
    "change",
    "previous",
    "previous_change",
    "flow_change",
)
#: Figures that are never data about children: the council's own targets.
_PUBLIC_FIGURES = ("target", "tolerance")
#: Differences between two figures: derived whatever the unit.
_CHANGES = ("change", "previous_change", "flow_change")


def _cumulative_count() -> pl.Expr:
    return (pl.col("measure") == Measure.CUMULATIVE.value) & (pl.col("unit") == Unit.COUNT.value)


def _applicable(name: str) -> pl.Expr:
    """Whether a row can have figure ``name`` at all (else it is `z`, not `x`)."""
    if name in ("flow", "last_year_flow", "flow_change"):
        return _cumulative_count()
    if name == "numerator":
        return pl.col("unit").is_in([Unit.PERCENT.value, Unit.RATE.value])
    if name == "denominator":
        return pl.col("unit") == Unit.PERCENT.value
    if name in _PUBLIC_FIGURES:
        return pl.col("target").is_not_null()
    return pl.lit(True)


def _role(name: str) -> pl.Expr:
    """A figure's :class:`Role` by the row's unit: a count unit's figures are counts; a
    percentage's or a rate's only their numerator and denominator."""
    if name in _PUBLIC_FIGURES:
        return pl.lit(Role.PUBLIC.value)
    if name in _CHANGES:
        return pl.lit(Role.DERIVED.value)
    if name in ("numerator", "denominator"):
        return pl.lit(Role.COUNT.value)
    return (
        pl.when(pl.col("unit") == Unit.COUNT.value)
        .then(pl.lit(Role.COUNT.value))
        .otherwise(pl.lit(Role.DERIVED.value))
    )


def _cell(key: pl.Expr, name: str) -> pl.Expr:
    return pl.concat_str(key, pl.lit(f"|{name}"))


def scorecard_cells(
    frame: pl.DataFrame, context: Context, period: Period
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cells and relations of a scorecard (module docstring), over the whole frame."""
    fy = period.fy
    population = context.population_for(fy)
    last_population = context.population_for(fy - 1)
    # The previous period is in the same year (its flow is one of the year to date's parts).
    within = period.kind.value in ("month", "quarter") and not _first_of_year(period)
    rows = frame.with_columns(
        _pop=pl.lit(population, dtype=pl.Float64),
        _last_pop=pl.lit(last_population, dtype=pl.Float64),
    )
    shown = [
        rows.select(
            cell=_cell(pl.col("key"), name),
            value=pl.col(name).cast(pl.Float64),
            role=_role(name),
            shown=pl.lit(True),
        )
        for name in FIGURES
    ]
    rate = pl.col("unit") == Unit.RATE.value
    earlier = pl.col("ytd") - pl.col("value")
    running_earlier = pl.col("value") - pl.col("flow")
    virtual = {
        # What a rate stands for: its count, through the population (public).
        "value_count": pl.when(rate).then(
            pl.coalesce(pl.col("numerator"), pl.col("value") * pl.col("_pop") / RATE_BASE)
        ),
        "last_year_count": pl.when(rate).then(
            pl.col("last_year") * pl.col("_last_pop") / RATE_BASE
        ),
        "previous_count": pl.when(rate).then(pl.col("previous") * pl.col("_pop") / RATE_BASE),
        "population": pl.when(rate).then(pl.col("_pop")),
        "last_population": pl.when(rate).then(pl.col("_last_pop")),
        # The months of the year before the period's, which a year to date holds.
        "earlier": pl.when(pl.col("measure") == Measure.FLOW.value).then(earlier),
        "running_earlier": pl.when(_cumulative_count()).then(running_earlier),
        # The rest of a percentage's denominator (21 of 22 children visited: 1 was not).
        "rest": pl.when(pl.col("unit") == Unit.PERCENT.value).then(
            pl.col("denominator") - pl.col("numerator")
        ),
    }
    virtual["before"] = pl.when(pl.col("measure") == Measure.FLOW.value).then(
        earlier - pl.col("previous")
    )
    virtual["running_before"] = pl.when(_cumulative_count()).then(
        running_earlier - pl.col("previous")
    )
    roles = {
        "value_count": pl.lit(Role.COUNT.value),
        "last_year_count": pl.lit(Role.COUNT.value),
        "previous_count": pl.lit(Role.COUNT.value),
        "rest": pl.lit(Role.COUNT.value),
        "population": pl.lit(Role.PUBLIC.value),
        "last_population": pl.lit(Role.PUBLIC.value),
    }
    hidden = [
        rows.select(
            cell=_cell(pl.col("key"), name),
            value=expr.cast(pl.Float64),
            role=roles.get(name, _role("value")),
            # A part that is nothing is known to be nothing (a first quarter's earlier
            # months); a population estimate is published.
            shown=(expr == 0).fill_null(False) | pl.lit(name in roles and "pop" in name),
        )
        for name, expr in virtual.items()
    ]
    cells = pl.concat([*shown, *hidden])
    relations = _scorecard_relations(rows, within)
    return cells, relations


def _first_of_year(period: Period) -> bool:
    if period.kind.value == "quarter":
        return period.quarter == 1
    if period.kind.value == "month" and period.end is not None:
        return period.end.date.month == 4
    return True


#: (relation, kind, members: (figure, is the total), which rows have it).
_Template = tuple[str, Relation, tuple[tuple[str, bool], ...], pl.Expr]


def _templates(within: bool) -> list[_Template]:
    unit = pl.col("unit")
    flow_previous = pl.col("flow").is_not_null()
    at_end = pl.col("measure").is_in([Measure.SNAPSHOT.value, Measure.CUMULATIVE.value])
    rate = unit == Unit.RATE.value
    found: list[_Template] = [
        (
            "change",
            Relation.CHANGE,
            (("change", True), ("value", False), ("last_year", False)),
            pl.lit(True),
        ),
        (
            "flow_change",
            Relation.CHANGE,
            (("flow_change", True), ("flow", False), ("last_year_flow", False)),
            pl.lit(True),
        ),
        (
            "previous_change",
            Relation.CHANGE,
            (("previous_change", True), ("value", False), ("previous", False)),
            ~flow_previous,
        ),
        (
            "previous_flow_change",
            Relation.CHANGE,
            (("previous_change", True), ("flow", False), ("previous", False)),
            flow_previous,
        ),
        (
            "percentage",
            Relation.PERCENTAGE,
            (("value", True), ("numerator", False), ("denominator", False)),
            unit == Unit.PERCENT.value,
        ),
        (
            "complement",
            Relation.COMPLEMENT,
            (("denominator", True), ("numerator", False), ("rest", False)),
            unit == Unit.PERCENT.value,
        ),
        (
            "rate",
            Relation.RATE,
            (("value", True), ("value_count", False), ("population", False)),
            rate,
        ),
        (
            "rate_numerator",
            Relation.SAME,
            (("value_count", True), ("numerator", False)),
            rate,
        ),
        (
            "last_year_rate",
            Relation.RATE,
            (("last_year", True), ("last_year_count", False), ("last_population", False)),
            rate,
        ),
        (
            "previous_rate",
            Relation.RATE,
            (("previous", True), ("previous_count", False), ("population", False)),
            rate,
        ),
        ("ytd_same", Relation.SAME, (("ytd", True), ("value", False)), at_end),
        (
            "reported_same",
            Relation.SAME,
            (("reported", True), ("value", False)),
            # differs: the records give none, and the value is the workbook's
            pl.col("basis").is_in(["reported", "computed", "month"])
            | (pl.col("value") == pl.col("reported")),
        ),
        (
            "ytd_parts",
            Relation.PARTS,
            (("ytd", True), ("value", False), ("earlier", False)),
            pl.col("measure") == Measure.FLOW.value,
        ),
        (
            "running_parts",
            Relation.PARTS,
            (("value", True), ("flow", False), ("running_earlier", False)),
            _cumulative_count(),
        ),
    ]
    if within:
        found += [
            (
                "earlier_parts",
                Relation.PARTS,
                (("earlier", True), ("previous", False), ("before", False)),
                pl.col("measure") == Measure.FLOW.value,
            ),
            (
                "running_earlier_parts",
                Relation.PARTS,
                (("running_earlier", True), ("previous", False), ("running_before", False)),
                _cumulative_count(),
            ),
        ]
    return found


def _scorecard_relations(rows: pl.DataFrame, within: bool) -> pl.DataFrame:
    frames = []
    for name, kind, members, which in _templates(within):  # one per kind of relation
        keys = rows.filter(which).select("key")
        for figure, total in members:
            frames.append(
                keys.select(
                    relation=pl.concat_str(pl.col("key"), pl.lit(f"|{name}")),
                    cell=_cell(pl.col("key"), figure),
                    total=pl.lit(total),
                    kind=pl.lit(kind.value),
                )
            )
    return pl.concat(frames)


def _marks_frame(frame: pl.DataFrame, suppressed: frozenset[str]) -> pl.DataFrame:
    """key, figure, symbol: `c` for a suppressed figure, `z` / `x` for one the row has not."""
    long = pl.concat(
        [
            frame.select(
                "key",
                figure=pl.lit(name),
                value=pl.col(name).cast(pl.Float64),
                applicable=_applicable(name),
            )
            for name in FIGURES
        ]
    )
    cell = pl.concat_str(pl.col("key"), pl.lit("|"), pl.col("figure"))
    return long.select(
        "key",
        "figure",
        symbol=pl.when(cell.is_in(pl.Series(sorted(suppressed), dtype=pl.String).implode()))
        .then(pl.lit(Symbol.SUPPRESSED.value))
        .when(pl.col("value").is_null() & ~pl.col("applicable"))
        .then(pl.lit(Symbol.NOT_APPLICABLE.value))
        .when(pl.col("value").is_null())
        .then(pl.lit(Symbol.NOT_AVAILABLE.value)),
    ).filter(pl.col("symbol").is_not_null())


def _unchecked(frame: pl.DataFrame, context: Context, period: Period) -> dict[str, int]:
    """Figures whose counts the data do not give, so they could not be checked."""
    percent = frame.filter(
        (pl.col("unit") == Unit.PERCENT.value)
        & pl.col("value").is_not_null()
        & (pl.col("numerator").is_null() | pl.col("denominator").is_null())
    ).height
    rate = 0
    if context.population_for(period.fy) is None:
        rate = frame.filter(
            (pl.col("unit") == Unit.RATE.value)
            & pl.col("value").is_not_null()
            & pl.col("numerator").is_null()
        ).height
    found = {}
    if percent:
        found["a percentage the workbook gives without its numerator and denominator"] = percent
    if rate:
        found["a rate without its count, and no population to work it out"] = rate
    return found


def scorecard(
    frame: pl.DataFrame,
    context: Context,
    period: Period,
    threshold: int = THRESHOLD,
    months: pl.DataFrame | None = None,
) -> Publication:
    """What a published scorecard writes: every figure of ``frame`` (from
    :func:`csckpi.compute.compute`) checked, and ``months`` (key, month, value: its trend
    lines) with their small counts left out."""
    cells, relations = scorecard_cells(frame, context, period)
    return publication(frame, cells, relations, context, period, threshold, months)


def publication(
    frame: pl.DataFrame,
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    context: Context,
    period: Period,
    threshold: int,
    months: pl.DataFrame | None,
) -> Publication:
    """The publication of ``frame`` given its cells and relations (and any others that bind
    them, such as a breakdown's whole): suppressed, marked and noted."""
    found = suppress(cells, relations, threshold)
    found = Suppression(found.threshold, found.marks, _unchecked(frame, context, period))
    marks: dict[str, dict[str, Symbol]] = {}
    for key, name, mark in _marks_frame(frame, found.cells()).iter_rows():
        marks.setdefault(key, {})[name] = Symbol(mark)
    hidden: dict[str, frozenset[object]] = {}
    if months is not None:
        hidden = small_months(months, frame, context, threshold)
    return Publication(marks, found.note(), found, hidden)


def small_months(
    months: pl.DataFrame, frame: pl.DataFrame, context: Context, threshold: int
) -> dict[str, frozenset[object]]:
    """key -> the months whose figure is a count (or a rate of a count) from 1 to
    ``threshold``: a trend line leaves them out."""
    pops = pl.DataFrame(
        {
            "_fy": [year for year, _ in context.population],
            "_pop": [float(pop) for _, pop in context.population],
        },
        schema={"_fy": pl.Int64, "_pop": pl.Float64},
    ).sort("_fy")
    fy = (
        pl.when(pl.col("month").dt.month() >= 4)
        .then(pl.col("month").dt.year())
        .otherwise(pl.col("month").dt.year() - 1)
        .cast(pl.Int64)
    )
    rows = (
        months.select("key", "month", "value")
        .join(frame.select("key", "unit"), on="key")
        .with_columns(_fy=fy)
        .sort("_fy")
        .join_asof(pops, on="_fy", strategy="backward")
    )
    count = (
        pl.when(pl.col("unit") == Unit.COUNT.value)
        .then(pl.col("value"))
        .when(pl.col("unit") == Unit.RATE.value)
        .then(pl.col("value") * pl.col("_pop") / RATE_BASE)
    )
    small = rows.filter((count > 0) & (count <= threshold))
    grouped = small.group_by("key").agg(pl.col("month"))
    return {
        key: frozenset(found)
        for key, found in zip(grouped.get_column("key"), grouped.get_column("month"), strict=True)
    }
