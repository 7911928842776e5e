"""A report panel's statistical process control: the limits a chart draws and the icons it
writes (docs/report.md, "Signal or noise"), from an indicator's comparison; plain data, read
by the report (``csckpi/report.py``) and drawn by ``csckpi/render/charts.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from csckpi.model import Measure

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.periods import Month
    from csckpi.spc import Assurance, Judgement, Side, SpcFacts, Variation


@dataclass(frozen=True)
class Step:
    """This year's months ``first`` to ``last`` (indexes into the panel's months) judged by one
    segment's lines (None: a segment without limits); ``start`` names the change of process the
    run begins at when it begins inside the year (`Oct-20`)."""

    first: int
    last: int
    mean: float | None
    lower: float | None
    upper: float | None
    start: str | None = None


@dataclass(frozen=True)
class PanelSpc:
    """A panel's statistical process control (docs/spc.md) at the period's last month: the
    limits it is judged by, drawn where the panel's months are the series they describe (not
    a running total), the two icons, and each of this year's months' judgement where it is
    part of a signal; or why there are no limits."""

    mean: float | None
    lower: float | None
    upper: float | None
    drawn: bool  # the limits belong on this panel's months
    variation: Variation | None
    side: Side | None
    assurance: Assurance | None
    special: tuple[Judgement | None, ...]  # one per month of this year
    reason: str | None  # why there are no limits
    #: this year's months in runs judged by one set of limits (a change of process inside the
    #: year starts a new run: a step in the lines); empty: the limits above, the whole year
    steps: tuple[Step, ...] = ()

    @property
    def words(self) -> str:
        """Both icons in words, for print, spreadsheets and screen readers."""
        if self.variation is None:
            return self.reason or ""
        text = self.variation.value
        if self.side is not None and self.variation.value != "common cause":
            text += f" ({self.side.value})"
        if self.assurance is not None:
            text += f"; {self.assurance.value}"
        return text


def panel_spc(c: Comparison, months: list[Month]) -> PanelSpc | None:
    """What a panel shows of ``c``'s SPC: limits and icons where there are limits, the reason
    there are none only when SPC was asked for (``--spc-*``); None when there is nothing."""
    chart = c.spc
    if chart is None:
        return None
    limits = chart.limits
    steps = _steps(chart, months)
    lined = any(step.mean is not None for step in steps)
    if not lined and not c.spc_asked:
        return None
    running = c.indicator.measure is Measure.CUMULATIVE  # its panel shows a figure to date
    special = tuple(
        (found[0].judgement if (found := chart.signals_at(m)) else None) for m in months
    )
    return PanelSpc(
        mean=limits.mean if limits else None,
        lower=limits.lower if limits else None,
        upper=limits.upper if limits else None,
        drawn=lined and not running,
        variation=chart.variation,
        side=chart.variation_side,
        assurance=chart.assurance,
        special=special if not running else tuple(None for _ in months),
        reason=chart.reason,
        steps=steps,
    )


def _steps(chart: SpcFacts, months: list[Month]) -> tuple[Step, ...]:
    """``months`` in runs under one segment's limits (a month before the series: none)."""
    runs: list[tuple[int | None, int, int]] = []  # segment, first, last
    for i, month in enumerate(months):
        seg = chart.segment_of(month)
        index = None if seg is None else seg.index
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1], i)
        else:
            runs.append((index, i, i))
    steps = []
    for n, (index, first, last) in enumerate(runs):
        seg = None if index is None else chart.segments[index]
        lines = None if seg is None else seg.limits
        start = seg.start if seg is not None and n > 0 else None
        steps.append(
            Step(
                first,
                last,
                lines.mean if lines else None,
                lines.lower if lines else None,
                lines.upper if lines else None,
                None if start is None else str(start),
            )
        )
    return tuple(steps)
