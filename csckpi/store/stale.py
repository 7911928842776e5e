"""The stale-file guard: would a workbook move the store backwards? The same for every backend.

A workbook is stale when its latest month is before the store's (last month's file ingested
after this month's), or when it sets a figure back to a value the figure held before a later
ingest revised it (the same months, but an older copy). Either way the ingest is refused
unless forced, and :class:`~csckpi.store.records.Staleness` says exactly what it would revert.
Re-ingesting the identical file never gets here: its SHA-256 is found first ("nothing
changed").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from csckpi.store.figures import IDENTITY, KIND_ORDER
from csckpi.store.records import Change, Revert, Staleness

if TYPE_CHECKING:
    from csckpi.store.figures import Difference
    from csckpi.store.ingest import Writer


def staleness(
    writer: Writer, last_month: str | None, before: pl.DataFrame, found: Difference
) -> Staleness | None:
    """Why the workbook (latest month ``last_month``, its figures compared with the store's
    ``before`` as ``found``) would move the store backwards, or None when it would not.

    The store's history (every value every figure has had) is read only when the workbook
    is older or revises a figure: a month's ordinary ingest costs nothing more.
    """
    store_month = _last_month(before)
    older = last_month is not None and store_month is not None and last_month < store_month
    if not older and not found.revised:
        return None
    history = writer.history()
    reverts = _reverts(history, found.changed, before)
    if not older and not reverts:
        return None
    ingest_id, file = _bringer(history, store_month)
    return Staleness(last_month, store_month, ingest_id, file, reverts)


def _last_month(figures: pl.DataFrame) -> str | None:
    months = figures.filter(pl.col("kind") == "monthly").get_column("period")
    return months.max() if months.len() else None  # type: ignore[return-value]


def _bringer(history: pl.DataFrame, month: str | None) -> tuple[int, str]:
    """The ingest that first brought the store's latest month (else its latest ingest)."""
    rows = history.filter((pl.col("kind") == "monthly") & (pl.col("period") == month))
    row = rows.sort("ingest_id").row(0, named=True) if rows.height else None
    if row is None:
        row = history.sort("ingest_id").row(-1, named=True)
    return int(row["ingest_id"]), str(row["file"])


def _reverts(
    history: pl.DataFrame, changed: pl.DataFrame, before: pl.DataFrame
) -> tuple[Revert, ...]:
    """The revised figures whose workbook value is one they held before their current one:
    each with the ingest that brought the current value."""
    identity = list(IDENTITY)
    current = before.select(*identity, old=pl.col("value"), old_source=pl.col("source"))
    revised = changed.join(current, on=identity, how="inner")
    if not revised.height:
        return ()
    held = history.select(*identity, "value", "source", "ingest_id", "file")
    since = (
        held.sort("ingest_id")
        .group_by(identity, maintain_order=True)
        .agg(since=pl.col("ingest_id").last(), since_file=pl.col("file").last())
    )
    earlier = held.join(since.select(*identity, "since"), on=identity).filter(
        pl.col("ingest_id") < pl.col("since")
    )
    matched = (
        revised.join(
            earlier.select(*identity, "value", "source"),
            on=[*identity, "value", "source"],
            how="semi",
            nulls_equal=True,
        )
        .join(since, on=identity)
        .sort(pl.col("kind").replace_strict(KIND_ORDER, return_dtype=pl.Int8()), *identity[1:])
    )
    return tuple(
        Revert(
            Change(
                kind=row["kind"],
                code=row["code"],
                period=row["period"],
                part=row["part"],
                figure=row["figure"],
                old=row["old"],
                new=row["value"],
                sheet=row["sheet"],
                cell=row["cell"],
            ),
            since=int(row["since"]),
            since_file=str(row["since_file"]),
        )
        for row in matched.iter_rows(named=True)
    )
