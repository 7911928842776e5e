"""What `csckpi export` writes, as frames: the catalogue, every figure with its history, and
the scorecard of every month — the store's content for a team without a database server
(docs/team-store.md). No I/O here: ``csckpi.render.export`` writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from csckpi.compute import compute, resolve_period
from csckpi.dataset import Dataset


@dataclass(frozen=True)
class Tables:
    """The tables of an export, by file name (without its suffix), in the order written."""

    frames: dict[str, pl.DataFrame]
    months: int  # how many months' scorecards ``scorecard`` holds


def indicators_frame(dataset: Dataset) -> pl.DataFrame:
    """One row per indicator, in the workbook's order, with every field of its definition."""
    rows = [
        {
            "key": i.key,
            "code": i.code,
            "title": i.title,
            "section": i.section,
            "unit": i.unit.value,
            "polarity": i.polarity.value,
            "measure": i.measure.value,
            "target": i.target,
            "tolerance": i.tolerance,
            "decimals": i.decimals,
            "definition": i.definition,
            "phrase": i.phrase,
            "order": i.order,
            "pattern": i.pattern,
            "baseline": i.baseline,
            "new_process": i.new_process,
            "label": i.label,
        }
        for i in dataset.indicators
    ]
    schema = {
        "key": pl.String(),
        "code": pl.String(),
        "title": pl.String(),
        "section": pl.String(),
        "unit": pl.String(),
        "polarity": pl.String(),
        "measure": pl.String(),
        "target": pl.Float64(),
        "tolerance": pl.Float64(),
        "decimals": pl.Int64(),
        "definition": pl.String(),
        "phrase": pl.String(),
        "order": pl.Int64(),
        "pattern": pl.String(),
        "baseline": pl.String(),
        "new_process": pl.String(),
        "label": pl.String(),
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def scorecards(dataset: Dataset) -> pl.DataFrame:
    """The scorecard (``csckpi compute``'s columns) of every month with a figure, oldest
    first, one block of rows per month (its ``period`` column says which)."""
    months = dataset.monthly.get_column("month").unique().sort()
    frames = [
        compute(dataset, resolve_period(dataset, month.strftime("%Y-%m")))
        for month in months.to_list()
    ]
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame()


def tables(dataset: Dataset, figures: pl.DataFrame) -> Tables:
    """An export of a store's ``dataset`` (``Store.load()``) and ``figures``
    (``Store.figures()``: every value every figure has had)."""
    cards = scorecards(dataset)
    return Tables(
        {"indicators": indicators_frame(dataset), "figures": figures, "scorecard": cards},
        dataset.monthly.get_column("month").n_unique(),
    )
