"""SPC's frames as frozen records: each indicator's ``SpcFacts`` (segments with their limits,
signals with their months, the latest month's icons), for compare, narrate and the report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import polars as pl

from csckpi.model import Polarity
from csckpi.periods import Month
from csckpi.spc.engine import KEY, MONTH, VALUE
from csckpi.spc.model import (
    Assurance,
    Judgement,
    Limits,
    RuleKind,
    Segment,
    Side,
    Signal,
    SpcFacts,
    SpcSettings,
    Variation,
)

__all__ = ["records_of"]


def _month(value: dt.date | None) -> Month | None:
    return None if value is None else Month.from_date(value)


def _segment(row: dict[str, Any]) -> Segment:
    limits = None
    if row["mean"] is not None:
        limits = Limits(
            mean=row["mean"],
            moving_range=row["moving_range"],
            lower=row["lower"],
            upper=row["upper"],
            lower_2sigma=row["lower_2sigma"],
            upper_2sigma=row["upper_2sigma"],
        )
    return Segment(
        index=row["segment"],
        first=Month.from_date(row["first"]),
        last=Month.from_date(row["last"]),
        points=row["points"],
        missing=row["missing"],
        start=_month(row["start"]),
        basis_first=_month(row["basis_first"]),
        basis_last=_month(row["basis_last"]),
        basis_points=row["basis_points"],
        limits=limits,
        reason=row["reason"],
    )


def _signal(row: dict[str, Any]) -> Signal:
    return Signal(
        kind=RuleKind(row["kind"]),
        side=Side(row["side"]),
        judgement=Judgement(row["judgement"]),
        months=tuple(Month.from_date(d) for d in row["months"]),
        segment=row["segment"],
    )


def records_of(
    summary: pl.DataFrame,
    segments: pl.DataFrame,
    signals: pl.DataFrame,
    settings: SpcSettings,
    frame: pl.DataFrame,
) -> dict[str, SpcFacts]:
    """Frozen records from the frames: one pass over each frame's rows."""
    values: dict[str, list[tuple[Month, float]]] = defaultdict(list)
    for key, day, value in frame.select(KEY, MONTH, VALUE).iter_rows():
        values[key].append((Month.from_date(day), value))
    by_key: dict[str, list[Segment]] = defaultdict(list)
    for row in segments.iter_rows(named=True):
        by_key[row[KEY]].append(_segment(row))
    found: dict[str, list[Signal]] = defaultdict(list)
    for row in signals.iter_rows(named=True):
        found[row[KEY]].append(_signal(row))
    records = {}
    for row in summary.iter_rows(named=True):
        key = row[KEY]
        records[key] = SpcFacts(
            key=key,
            polarity=Polarity(row["polarity"]),
            profile=settings.profile.name,
            target=row["target"],
            latest=_month(row["latest"]),
            segments=tuple(by_key[key]),
            signals=tuple(found[key]),
            variation=None if row["variation"] is None else Variation(row["variation"]),
            variation_side=None if row["variation_side"] is None else Side(row["variation_side"]),
            variation_rule=None
            if row["variation_rule"] is None
            else RuleKind(row["variation_rule"]),
            conflict=row["conflict"],
            assurance=None if row["assurance"] is None else Assurance(row["assurance"]),
            reason=row["reason"],
            values=tuple(values[key]),
        )
    return records
