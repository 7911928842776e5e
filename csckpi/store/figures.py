"""What a figure is and how figures are compared, folded and read back: the same for every
backend, in polars, with no SQL.

A figure is identified by (kind, key, period, part, figure): ``kind`` is ``monthly``,
``reported``, ``target``, ``benchmark``, ``standing`` or ``records`` (a month's figure derived
from the children's records: ``source`` says what it was counted from, ``sheet`` the list's
sheet; the file and its SHA-256 are its ingest's); for a monthly or records figure ``period``
is its month (`2020-12`) and ``figure`` is `value`; for a benchmark ``period`` is the year its
figure describes (`2019/20`), ``part`` its comparator and ``source`` its release; for a target
``period`` is its financial year, ``part`` `target` or `tolerance` and ``source`` its `per`;
for a standing (a council's rank among all councils, from published statistics) ``period``
is its data year, ``part`` one of ``dataset.STANDING_PARTS`` and ``source`` its release. A
backend keeps, for each ingest, the figures it added or revised; a figure's current value is
the one its latest ingest brought. A figure is revised when its value or its source changes
(a later release of the same year's benchmark, a target now for another length of period).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl

from csckpi.dataset import (
    Dataset,
    benchmark_schema,
    monthly_schema,
    records_schema,
    reported_schema,
    standing_schema,
    target_schema,
)
from csckpi.errors import StoreError
from csckpi.model import Context, Indicator
from csckpi.periods import Month, Period, PeriodKind, fy_label, parse_data_year, parse_period
from csckpi.store.records import Change, Revision

IDENTITY = ("kind", "key", "period", "part", "figure")
KIND_ORDER = {"monthly": 0, "reported": 1, "target": 2, "benchmark": 3, "standing": 4, "records": 5}
#: Kinds whose period is a month (`2020-12`).
MONTHLY_KINDS = ("monthly", "records")

#: A figure as a store keeps it.
FRAME_SCHEMA = {
    "kind": pl.String(),
    "key": pl.String(),
    "code": pl.String(),
    "period": pl.String(),
    "part": pl.String(),
    "figure": pl.String(),
    "value": pl.Float64(),
    "source": pl.String(),
    "sheet": pl.String(),
    "cell": pl.String(),
}

#: The columns :meth:`Store.figures` adds to a figure: the ingest that brought the value, and
#: whether it is the figure's current value.
REVISION_SCHEMA = {
    **FRAME_SCHEMA,
    "ingest_id": pl.Int64(),
    "file": pl.String(),
    "ingested_at": pl.String(),
    "current": pl.Boolean(),
}

#: Every figure every ingest brought, with the ingest (before ``current`` is worked out).
INGESTED_SCHEMA = {k: v for k, v in REVISION_SCHEMA.items() if k != "current"}


def _monthly_figures(
    frame: pl.DataFrame, kind: str, *, source: pl.Expr, cell: pl.Expr
) -> pl.DataFrame:
    """A month's figures (a workbook's or the records') in the store's shape."""
    return frame.select(
        pl.lit(kind).alias("kind"),
        "key",
        "code",
        pl.col("month").dt.strftime("%Y-%m").alias("period"),
        "part",
        pl.lit("value").alias("figure"),
        "value",
        source.alias("source"),
        "sheet",
        cell.alias("cell"),
    )


def incoming_figures(dataset: Dataset) -> pl.DataFrame:
    """The dataset's figures in the store's shape; blank values are not figures.

    Raises :class:`StoreError` when two cells give the same figure (the reader reports that
    first; this is a guard, so the store's one-current-value rule can never be broken).
    """
    text = pl.String()
    nothing = pl.lit(None, dtype=text)
    monthly = _monthly_figures(dataset.monthly, "monthly", source=nothing, cell=pl.col("cell"))
    reported = dataset.reported.select(
        pl.lit("reported").alias("kind"),
        "key",
        "code",
        "period",
        "part",
        "figure",
        "value",
        pl.lit(None, dtype=text).alias("source"),
        "sheet",
        "cell",
    )
    benchmarks = dataset.benchmarks.select(
        pl.lit("benchmark").alias("kind"),
        "key",
        "code",
        pl.col("year").cast(text).fill_null("").alias("period"),
        pl.col("comparator").alias("part"),
        pl.lit("value").alias("figure"),
        "value",
        pl.col("source").cast(text),
        "sheet",
        "cell",
    )
    targets = dataset.targets.select(
        pl.lit("target").alias("kind"),
        "key",
        "code",
        pl.col("year").alias("period"),
        "part",
        pl.lit("value").alias("figure"),
        "value",
        pl.col("per").cast(text).alias("source"),
        "sheet",
        "cell",
    )
    standings = dataset.standings.select(
        pl.lit("standing").alias("kind"),
        "key",
        "code",
        pl.col("year").alias("period"),
        "part",
        pl.lit("value").alias("figure"),
        "value",
        pl.col("source").cast(text),
        "sheet",
        "cell",
    )
    derived = (
        []
        if dataset.records is None
        else [
            _monthly_figures(
                dataset.records, "records", source=pl.col("source").cast(text), cell=nothing
            )
        ]
    )
    frames = [
        f.cast({"value": pl.Float64(), "sheet": text, "cell": text})
        for f in (monthly, reported, targets, benchmarks, standings, *derived)
    ]
    incoming = (
        pl.concat(frames, how="vertical")
        .with_columns(pl.col("value").fill_nan(None))
        .filter(pl.col("value").is_not_null())
    )
    duplicated = incoming.filter(pl.struct(IDENTITY).is_duplicated())
    if duplicated.height:
        first = duplicated.sort(*IDENTITY).head(2).rows(named=True)
        raise StoreError(
            f"{first[0]['sheet']}!{first[0]['cell']} and {first[1]['sheet']}!{first[1]['cell']} "
            f"both give {first[0]['code']} {first[0]['period']} {first[0]['part']}.",
            "Keep one of them in the workbook.",
        )
    return incoming


def shape(dataset: Dataset | None) -> dict[str, Any]:
    """An ingest summary's indicators, months, first_month and last_month for ``dataset``."""
    if dataset is None:
        return {}
    months = dataset.month_values().get_column("month").unique()
    keys = {i.key for i in dataset.indicators}
    if dataset.records is not None:
        keys |= set(dataset.records.get_column("key").unique().to_list())
    return {
        "indicators": len(keys),
        "months": months.len(),
        "first_month": months.min().strftime("%Y-%m") if months.len() else None,  # type: ignore[union-attr]
        "last_month": months.max().strftime("%Y-%m") if months.len() else None,  # type: ignore[union-attr]
    }


@dataclass(frozen=True)
class Difference:
    """A workbook's figures against the store's latest: what an ingest adds and revises."""

    added: int
    revised: int
    unchanged: int
    kept: int  # figures in the store that the workbook no longer has
    changes: tuple[Change, ...]  # every revised figure, old and new value
    changed: pl.DataFrame  # the added and revised figures: all an ingest writes
    after: pl.DataFrame  # every figure's latest value once they are written


def difference(incoming: pl.DataFrame, before: pl.DataFrame) -> Difference:
    """Compare the workbook's figures with ``before`` (every figure's latest value).

    A figure is revised when its value differs; only added and revised figures are written,
    so a month's workbook that repeats ten years of figures costs a join, not ten years of
    figures again.
    """
    identity = list(IDENTITY)
    joined = incoming.select(list(FRAME_SCHEMA)).join(
        before.select(*identity, old=pl.col("value"), old_source=pl.col("source")),
        on=identity,
        how="left",
    )
    is_new = pl.col("old").is_null()
    is_revised = pl.col("old").is_not_null() & (
        (pl.col("old") != pl.col("value")) | pl.col("old_source").ne_missing(pl.col("source"))
    )
    revised_rows = joined.filter(is_revised)
    changed = joined.filter(is_new | is_revised).drop("old", "old_source")
    added, revised = joined.filter(is_new).height, revised_rows.height
    unchanged = incoming.height - added - revised
    kept = before.height - revised - unchanged
    order = pl.col("kind").replace_strict(KIND_ORDER, return_dtype=pl.Int8())
    changes = tuple(
        Change(*row)
        for row in revised_rows.sort(order, "key", "period", "part", "figure")
        .select(
            "kind",
            "code",
            "period",
            "part",
            "figure",
            "old",
            "value",
            "sheet",
            "cell",
            "old_source",
            "source",
        )
        .iter_rows()
    )
    after = pl.concat(
        [before.join(changed.select(identity), on=identity, how="anti"), changed],
        how="vertical",
    )
    return Difference(added, revised, unchanged, kept, changes, changed, after)


def latest(ingested: pl.DataFrame) -> pl.DataFrame:
    """Every figure's latest value, folded from every ingest's figures (oldest ingest first)."""
    return ingested.unique(list(IDENTITY), keep="last", maintain_order=True).select(
        list(FRAME_SCHEMA)
    )


def with_current(ingested: pl.DataFrame) -> pl.DataFrame:
    """Every ingest's figures (``INGESTED_SCHEMA``), each marked ``current`` when it is its
    figure's latest value: :meth:`Store.figures`."""
    newest = pl.col("ingest_id").max().over(list(IDENTITY))
    return ingested.with_columns(current=pl.col("ingest_id") == newest).select(
        list(REVISION_SCHEMA)
    )


def revisions(figures: pl.DataFrame, period: str | Period | None = None) -> list[Revision]:
    """:meth:`Store.figures` as :class:`Revision` records, in the order ``history`` lists them.

    ``period`` narrows it: a month gives that month's figures and any figure reported for
    that month; a quarter or year gives its months and the figures reported for it.
    """
    frame = figures
    if period is not None:
        # `Q3` or `YTD` alone: of the latest year these figures have a month in
        iso = figures.filter(pl.col("kind").is_in(MONTHLY_KINDS)).get_column("period").max()
        last = Month(int(str(iso)[:4]), int(str(iso)[5:7])) if iso is not None else None
        wanted = period if isinstance(period, Period) else parse_period(period, last)
        months = [m.iso for m in _months_of(wanted)]
        kind, at = pl.col("kind"), pl.col("period")
        frame = frame.filter(
            (kind.is_in(MONTHLY_KINDS) & at.is_in(months))
            | ((kind == "reported") & (at == wanted.key))
            | (kind.is_in(["target", "benchmark", "standing"]) & (at == wanted.label))
        )
    parts = {"value": 0, "numerator": 1, "denominator": 2}
    frame = frame.sort(
        pl.col("kind").replace_strict(KIND_ORDER, return_dtype=pl.Int8()),
        "period",
        pl.col("part").replace_strict(parts, default=3, return_dtype=pl.Int8()),
        "part",
        "figure",
        "ingest_id",
    )
    return [Revision(*row) for row in frame.select(list(REVISION_SCHEMA)).iter_rows()]


def _months_of(period: Period) -> list[Month]:
    if period.kind is PeriodKind.YTD and period.end is None:
        return Period.of_year(period.fy).months()
    return period.months()


def dataset_of(
    figures: pl.DataFrame, indicators: tuple[Indicator, ...], context: Context, source: str
) -> Dataset:
    """The latest figures as the same frames the workbook reader gives: :meth:`Store.load`."""
    frame = in_identity_order(figures)
    kind = pl.col("kind")
    monthly = (
        frame.filter(kind == "monthly")
        .with_columns(month=_month_date())
        .select(list(monthly_schema()))
        .cast(pl.Schema(monthly_schema()))
    )
    reported = (
        frame.filter(kind == "reported")
        .select(list(reported_schema()))
        .cast(pl.Schema(reported_schema()))
    )
    benchmarks = (
        _data_years(frame.filter(kind == "benchmark"))
        .with_columns(comparator=pl.col("part"))
        .select(list(benchmark_schema()))
        .cast(pl.Schema(benchmark_schema()))
    )
    targets = (
        frame.filter(kind == "target")
        .with_columns(year=pl.col("period"), per=pl.col("source"))
        .select(list(target_schema()))
        .cast(pl.Schema(target_schema()))
    )
    standings = (
        frame.filter(kind == "standing")
        .with_columns(year=pl.col("period"))
        .select(list(standing_schema()))
        .cast(pl.Schema(standing_schema()))
    )
    derived = frame.filter(kind == "records")
    records = (
        derived.with_columns(month=_month_date())
        .select(list(records_schema()))
        .cast(pl.Schema(records_schema()))
        if derived.height
        else None
    )
    return Dataset(
        indicators=indicators,
        monthly=monthly,
        reported=reported,
        benchmarks=benchmarks,
        context=context,
        source=source,
        targets=targets,
        standings=standings,
        records=records,
    )


def in_identity_order(figures: pl.DataFrame) -> pl.DataFrame:
    """``figures`` sorted by :data:`IDENTITY`. A snapshot is kept in that order, so it is
    checked first: the check is a fifth of the sort's time, and no row moves."""
    identity = figures.select(pl.struct(IDENTITY)).to_series()
    return figures if identity.is_sorted() else figures.sort(IDENTITY)


def _month_date() -> pl.Expr:
    """A monthly figure's ``period`` (`2020-12`) as the date of its month's first day: parsed
    as year and month (a third of the time of adding `-01` to every period and parsing that)."""
    return pl.col("period").str.to_date("%Y-%m")


def _data_years(benchmarks: pl.DataFrame) -> pl.DataFrame:
    """The benchmark figures with ``year``: each period read as the year its figure describes.

    Workbooks before benchmarks had data years stored the Benchmarks sheet's ``year`` as
    written: a bare `2020` is read as the workbook reader reads it now (the year ending 31
    March 2020: `2019/20`), and where the store also holds the figure under `2019/20` (a
    later ingest), that one is the figure. A figure stored with no year keeps none (no period
    is compared with it).
    """
    periods = benchmarks.get_column("period").unique().to_list()
    years: dict[str, str | None] = {}
    for period in periods:  # one per distinct spelling of a year, never one per figure
        start = parse_data_year(period) if period else None
        years[period] = fy_label(start) if start is not None else None
    canonical = pl.col("year") == pl.col("period")
    return (
        benchmarks.with_columns(
            year=pl.col("period").replace_strict(years, default=None, return_dtype=pl.String())
        )
        .sort(canonical, descending=True, maintain_order=True)
        .unique(["key", "part", "year"], keep="first", maintain_order=True)
        .sort(IDENTITY)
    )


def encode(frame: pl.DataFrame) -> bytes:
    """A frame of figures as compressed Arrow IPC bytes (how a backend keeps a frame whole)."""
    buffer = io.BytesIO()
    frame.select(list(FRAME_SCHEMA)).cast(pl.Schema(FRAME_SCHEMA)).write_ipc(
        buffer, compression="zstd"
    )
    return buffer.getvalue()


def decode(blob: bytes) -> pl.DataFrame:
    """The frame :func:`encode` wrote."""
    return pl.read_ipc(io.BytesIO(blob))
