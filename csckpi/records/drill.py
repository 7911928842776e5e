"""The records behind a figure: for a measure and a month, the rows counted (or only those that
missed the timescale), with the dates, working days, team and worker.

    target = definitions.target("CSC 038")
    rows = behind(records, target, [date(2020, 12, 1)], as_at=date(2021, 1, 15), missed=True)

The rows hold personal data (a child's ID and dates): they are returned to the caller to show,
and never stored, logged or written into a report. ``PERSONAL_DATA_NOTICE`` is the line every
output of them carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from csckpi.model import Polarity, Unit
from csckpi.records import checks
from csckpi.records.definitions import Definitions, Target
from csckpi.records.derivation import make_window, place
from csckpi.records.expr import Scope, compile_expression
from csckpi.records.read import Records
from csckpi.records.workdays import working_days

PERSONAL_DATA_NOTICE = (
    "These rows hold personal data about children: do not store, send or publish them."
)


def behind(
    records: Records,
    target: Target,
    months: Iterable[dt.date],
    *,
    as_at: dt.date,
    missed: bool = False,
) -> pl.DataFrame:
    """The rows a target's figure for ``months`` was counted from.

    Columns: ``row`` (the sheet row), the list's ID, every field the measure reads (its dates,
    and the counts and answers it judges: placements in the last 12 months, activity, age), then
    ``working_days`` for each working-day timescale it checks (named after it when there are
    several), ``team`` and ``worker`` where the list has them, ``month``, and ``counted``
    (in the numerator) for a percentage. ``missed`` keeps only the rows that count against the
    measure: not in the numerator when higher is better, in it when lower is better; only a
    percentage with a better direction has such rows (:func:`can_miss`), else ValueError.
    """
    d = target.definition
    data = records.get(d.list)
    if data is None:
        raise ValueError(f"the records have no {d.annex.title}")
    if missed and not can_miss(target):
        raise ValueError(f"no row of {d.code} counts against it: {why_no_missed(target)}")
    wanted = {m.replace(day=1) for m in months}
    window = make_window(records, as_at, min(wanted) if wanted else None)
    frame, _problems = checks.check_list(data, as_at)
    placed = place(data, frame, d, window).rows
    placed = placed.filter(pl.col("_in") & pl.col("_month").is_in(sorted(wanted)))
    if missed and d.unit is Unit.PERCENT:
        wrong = pl.col("_num") if d.polarity is Polarity.DOWN else ~pl.col("_num")
        placed = placed.filter(wrong)
    annex = d.annex
    kinds = {f.id: f.kind for f in annex.fields if f.id in placed.columns}
    scope = Scope(kinds, window.holidays, as_at, annex.identifier)
    for text in (d.where, d.numerator):
        if text:
            compile_expression(text, scope)  # collects the working-day pairs it checks
    used = d.fields()
    shown = ("team", "worker", annex.identifier)
    read = [f.id for f in annex.fields if f.id in used and f.id not in shown]
    columns: list[pl.Expr] = [pl.col("_row").alias("row"), pl.col(annex.identifier)]
    columns += [pl.col(f) for f in read]
    pairs = list(dict.fromkeys(scope.working))
    for start, end in pairs:
        name = "working_days" if len(pairs) == 1 else f"working_days_{start}_{end}"
        columns.append(working_days(pl.col(start), pl.col(end), window.holidays).alias(name))
    columns += [pl.col(f) for f in ("team", "worker") if f in placed.columns]
    columns.append(pl.col("_month").alias("month"))
    if d.unit is Unit.PERCENT:
        columns.append(pl.col("_num").alias("counted"))
    return placed.select(columns).sort("month", "row")


def can_miss(target: Target) -> bool:
    """Whether some rows of the target's figure count against it: a percentage with a better
    direction (its numerator is the good rows, or the bad ones when lower is better)."""
    d = target.definition
    return d.unit is Unit.PERCENT and d.polarity is not Polarity.NONE


def why_no_missed(target: Target) -> str:
    """Why :func:`can_miss` is false, in words: `AA CPP counts children subject to a child
    protection plan at the month's end, a count, not a percentage`."""
    d = target.definition
    if d.unit is not Unit.PERCENT:
        return f"{d.code} counts {d.title[:1].lower()}{d.title[1:]}, not a percentage"
    return f"{d.code} is a percentage with no better direction (polarity none)"


def needs_for_drill(definitions: Definitions, target: Target) -> dict[int, frozenset[str]]:
    """What to read for ``behind``: the measure's fields, and team and worker."""
    needs = definitions.needs([target])
    number = target.definition.list
    extra = {f for f in ("team", "worker") if target.definition.annex.field(f)}
    return {number: needs[number] | extra}
