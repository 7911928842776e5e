"""An indicator's XmR control chart in a terminal: its months, the mean and the process limits,
as lines of styled spans (``csckpi compare``).

Nothing relies on colour: each month is a glyph that says what it is (``●`` common cause,
``◆`` special cause improvement, ``✖`` concern, ``◇`` special cause with no judgement), the
mean is a solid line and the limits dotted ones, each labelled with its figure; the signals and
the two icons follow in words.
"""

from __future__ import annotations

from csckpi import numbers
from csckpi.facts import Comparison
from csckpi.model import Indicator
from csckpi.periods import Month
from csckpi.render.spc_icons import assurance_cell, variation_cell
from csckpi.spc.model import Judgement, Limits, Segment, SpcFacts

Span = tuple[str, str]
Line = list[Span]

HEIGHT = 11  # rows of the plot
MONTHS = 36  # the latest months drawn (the limits use every month)
GLYPHS = {
    None: ("●", ""),
    Judgement.IMPROVEMENT: ("◆", "bold blue"),
    Judgement.CONCERN: ("✖", "bold dark_orange"),
    Judgement.NEITHER: ("◇", "bold magenta"),
}
LEGEND = "● common cause  ◆ special cause improvement  ✖ special cause concern  ◇ special cause"
MEAN, LIMIT = "─", "┄"
RULE_WORDS = {
    "outside limits": "outside the process limits",
    "trend": "a trend",
    "two of three": "two of three beyond the 2-sigma line",
    "four of five": "four of five beyond the 1-sigma line",
    "shift": "a shift",
}


def _figure(ind: Indicator, value: float) -> str:
    return numbers.figure(value, ind.unit, ind.places)


def _judgement(chart: SpcFacts, month: Month) -> Judgement | None:
    found = chart.signals_at(month)
    return found[0].judgement if found else None


def lines(c: Comparison) -> list[Line]:
    """The chart's lines, a blank line first; none when SPC was not worked out."""
    chart = c.spc
    if chart is None:
        return []
    ind = c.indicator
    # the latest limits; else, after a change of process too recent for its own, the last
    limits = next((seg.limits for seg in reversed(chart.segments) if seg.limits), None)
    if limits is None:
        return [
            [],
            [("  Control chart: ", "bold"), (f"{chart.reason or 'no control limits'}.", "")],
        ]
    points = chart.values[-MONTHS:]
    out: list[Line] = [[], [(_title(chart, len(points)), "bold")]]
    out += _plot(ind, chart, points, limits)
    out.append([("    " + LEGEND, "dim")])
    out += _words(ind, chart)
    return out


def _title(chart: SpcFacts, shown: int) -> str:
    months = len(chart.values)
    first, last = chart.values[-shown][0], chart.values[-1][0]
    drawn = f"the last {shown} of {months} months" if shown < months else f"{months} months"
    return f"  Control chart ({chart.profile} rules): {drawn}, {first} to {last}"


def _plot(
    ind: Indicator, chart: SpcFacts, points: tuple[tuple[Month, float], ...], limits: Limits
) -> list[Line]:
    """The months as glyphs over each month's own lines: the limits of the segment it is
    judged by, so a change of process shows as a step; the latest lines are labelled."""
    own = [_limits_of(chart, month) for month, _ in points]
    drawn = [lines for lines in own if lines is not None]
    lows = [v for _, v in points] + [lines.lower for lines in drawn]
    highs = [v for _, v in points] + [lines.upper for lines in drawn]
    low, high = min(lows), max(highs)
    span = (high - low) or 1.0

    def row(value: float) -> int:
        return round((high - value) / span * (HEIGHT - 1))

    grid: list[list[Span]] = [[(" ", "")] * len(points) for _ in range(HEIGHT)]
    labels = [""] * HEIGHT
    for i, lines in enumerate(own):
        if lines is None:
            continue
        for value, char in ((lines.upper, LIMIT), (lines.mean, MEAN), (lines.lower, LIMIT)):
            grid[row(value)][i] = (char, "dim")
    for value, name in (
        (limits.upper, "upper limit"),
        (limits.mean, "mean"),
        (limits.lower, "lower limit"),
    ):
        labels[row(value)] = f"{_figure(ind, value)} {name}"
    for i, (month, value) in enumerate(points):
        glyph = GLYPHS[_judgement(chart, month)]
        grid[row(value)][i] = glyph
    out: list[Line] = []
    for r in range(HEIGHT):
        cells: list[Span] = []
        for text, style in grid[r]:
            cells.append((text + " ", style))  # a month every two columns
        label = labels[r]
        out.append([("    │", "dim"), *cells, (f" {label}" if label else "", "")])
    axis = "".join(m.short[0] + " " for m, _ in points)
    out.append([("    └" + "─" * (2 * len(points)), "dim")])
    out.append([("     " + axis.rstrip(), "dim")])
    return out


def _limits_of(chart: SpcFacts, month: Month) -> Limits | None:
    segment = chart.segment_of(month)
    return None if segment is None else segment.limits


def _segment_words(ind: Indicator, seg: Segment, *, lower: bool = False) -> str:
    """`Mean 70.0%, process limits 64.7% to 75.3% (18 months from Oct-19, a new process)`
    (``lower``: `mean ...`, after a heading)."""
    basis = ""
    if seg.basis_first is not None and seg.basis_last is not None and seg.start is not None:
        if (seg.basis_first, seg.basis_last) != (seg.first, seg.last):
            basis = f", from the baseline {seg.basis_first}..{seg.basis_last}"
        else:
            basis = ", a new process"
    if seg.limits is None:
        return seg.reason or "no control limits"
    months = f"{seg.points} months from {seg.first}{basis}"
    lines = seg.limits
    return (
        f"{'m' if lower else 'M'}ean {_figure(ind, lines.mean)}, process limits "
        f"{_figure(ind, lines.lower)} to {_figure(ind, lines.upper)} ({months})"
    )


def _words(ind: Indicator, chart: SpcFacts) -> list[Line]:
    """Each segment's lines (the earlier ones first: a change of process starts a new one),
    the latest month's icons, and every signal."""
    out: list[Line] = []
    segments = chart.segments
    for seg in segments[:-1]:
        out.append([(f"    To {seg.last}: " + _segment_words(ind, seg, lower=True), "")])
    latest = _segment_words(ind, segments[-1], lower=len(segments) > 1)
    out.append(
        [(f"    From {segments[-1].first}: {latest}" if len(segments) > 1 else f"    {latest}", "")]
    )
    if chart.variation is not None:
        icons = [variation_cell(chart.variation, chart.variation_side)]
        if chart.assurance is not None:
            icons.append(assurance_cell(chart.assurance))
        out.append([(f"    {chart.latest}: " + "; ".join(icons), "")])
    for s in chart.signals:
        months = f"{s.first}" if s.first == s.last else f"{s.first} to {s.last}"
        side = "high" if s.side.value == "high" else "low"
        out.append(
            [
                (
                    f"    Signal: {RULE_WORDS.get(s.kind.value, s.kind.value)} ({side}), "
                    f"{months}, {len(s.months)} months — {s.judgement.value}",
                    "",
                )
            ]
        )
    return out
