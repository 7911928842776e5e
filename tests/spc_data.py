"""Series for the SPC tests: monthly values from Apr-19, and what analyse found in them."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from csckpi import spc
from csckpi.periods import Month

FIRST = Month(2019, 4)

# Sixteen baseline months alternating 12 and 10: mean 11, every moving range 2, so mR-bar 2.
# Limits 11 ± 2.66 x 2 = 5.68 and 16.32; 2-sigma lines 11 ± 3.5467 = 7.4533 and 14.5467;
# 1-sigma lines 11 ± 1.7733 = 9.2267 and 12.7733. The last baseline month (10) is below the
# mean, so a pattern after it starts fresh.
BASELINE = [12.0, 10.0] * 8
LOWER, UPPER = 5.68, 16.32
LOWER_2S, UPPER_2S = 11 - 2 * 2.66 * 2 / 3, 11 + 2 * 2.66 * 2 / 3


def month(i: int) -> Month:
    """The i-th month of a series (0: Apr-19)."""
    return FIRST + i


def frame(values: Sequence[float | None], key: str = "A", first: Month = FIRST) -> pl.DataFrame:
    """key, month, value for consecutive months; None leaves the month out."""
    rows = [(key, (first + i).date, v) for i, v in enumerate(values) if v is not None]
    return pl.DataFrame(
        rows, schema={"key": pl.String, "month": pl.Date, "value": pl.Float64}, orient="row"
    )


def indicators(*rows: tuple[str, str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=spc.INDICATOR_SCHEMA, orient="row")


def run(
    values: Sequence[float | None],
    *,
    polarity: str = "up",
    target: float | None = None,
    rules: str = "mdc",
    baseline: bool = False,
    changes: Sequence[spc.Change] = (),
    **lengths: int,
) -> spc.SpcResult:
    """analyse one indicator 'A'; ``baseline``: limits from BASELINE, which the values follow."""
    series = list(values)
    declared = list(changes)
    if baseline:
        series = BASELINE + series
        declared.append(spc.Change(start=FIRST, baseline_end=FIRST + (len(BASELINE) - 1)))
    settings = spc.settings(rules, **lengths)
    return spc.analyse(frame(series), indicators(("A", polarity, target)), settings, declared)


def found(result: spc.SpcResult) -> list[tuple[str, str, list[int]]]:
    """Every signal as (rule, side, [month numbers, 0 = Apr-19])."""
    return [
        (s.kind.value, s.side.value, [m.index - FIRST.index for m in s.months])
        for s in result.facts("A").signals
    ]


def after_baseline(signals: list[tuple[str, str, list[int]]]) -> list[tuple[str, str, list[int]]]:
    """The signals, with months numbered from the first month after BASELINE."""
    n = len(BASELINE)
    return [(kind, side, [m - n for m in months]) for kind, side, months in signals]
