"""Record-level figures team by team (or worker by worker): what ``compute --by team`` computes.

    dataset = by_group(records, targets, field="team", as_at=date(2020, 12, 31),
                       catalogue=store.catalogue(), context=store_context)
    compute(dataset, period)      # one row per code and team, with the measure's own rules

Each target's monthly figures are derived per value of ``field`` (a blank team is "(none)"),
and each (code, team) becomes an indicator of its own — `CSC 038 · Assessment Team 1`, in a
section per code (`CSC 038 by team`: a heading as short as the workbook's own) — with the
code's definition from the catalogue (target, tolerance, decimals, polarity), so compute
judges a team as it judges the whole. The parts of a flow or a ratio add
up to the whole's. Counts only: no row of the records is in the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

import polars as pl

from csckpi.dataset import (
    Dataset,
    benchmark_schema,
    monthly_schema,
    records_schema,
    reported_schema,
)
from csckpi.model import Context, Indicator
from csckpi.records.definitions import Definitions, Target
from csckpi.records.derivation import default_since, derive
from csckpi.records.read import Records

#: The fields a breakdown may be by.
FIELDS = ("team", "worker")
#: How a blank team or worker is named.
NONE = "(none)"


def by_group(
    records: Records,
    definitions: Definitions,
    targets: Sequence[Target],
    *,
    field: str,
    as_at: dt.date,
    catalogue: Iterable[Indicator] = (),
    context: Context | None = None,
) -> Dataset:
    """Each target's monthly figures per ``field`` value, as a Dataset of records figures with
    one indicator per (code, value). Months: from the April before the six months before
    ``as_at`` (so a year to date is whole) to ``as_at``'s month."""
    if field not in FIELDS:
        raise ValueError(f"a breakdown is by {' or '.join(FIELDS)}, not {field!r}")
    start = default_since(as_at)
    since = dt.date(start.year - (start.month < 4), 4, 1)
    derived = derive(
        records,
        definitions,
        as_at=as_at,
        since=since,
        population=context,
        by=(field,),
        targets=targets,
    )
    known = {i.key: i for i in catalogue}
    figures = derived.figures.with_columns(pl.col(field).fill_null(NONE))
    pairs = figures.select("key", field).unique().sort("key", field)
    groups: dict[str, list[str]] = {}
    for key, value in pairs.iter_rows():
        groups.setdefault(key, []).append(value)
    indicators: list[Indicator] = []
    for n, target in enumerate(targets):
        base = known.get(target.key) or target.indicator(n)
        indicators.extend(
            replace(
                base,
                code=f"{target.code} · {value}",
                section=f"{target.code} by {field}",  # the title is the row's, cut to fit
                order=len(indicators) + i,
            )
            for i, value in enumerate(groups.get(target.key, []))
        )
    code = pl.concat_str(pl.col("code"), pl.lit(" · "), pl.col(field))
    keys = {i.code: i.key for i in indicators}
    records_frame = figures.select(
        code.replace_strict(keys, return_dtype=pl.String).alias("key"),
        code.alias("code"),
        "month",
        "part",
        "value",
        pl.format("{} rows of List {}", "rows", "list").alias("source"),
        "sheet",
    ).cast(pl.Schema(records_schema()))
    return Dataset(
        indicators=tuple(indicators),
        monthly=pl.DataFrame(schema=monthly_schema()),
        reported=pl.DataFrame(schema=reported_schema()),
        benchmarks=pl.DataFrame(schema=benchmark_schema()),
        context=context or Context(),
        source=records.source,
        records=records_frame,
    )
