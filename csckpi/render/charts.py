"""SVG charts for the report: the year's months against the target and last year.

Our own small module rather than a charting library (see docs/report.md): the output is plain,
deterministic SVG (golden-testable), with no script, no external font or URL, and no numpy.

One :class:`~csckpi.report.Chart` (a section) is one ``<svg>``, with a panel per indicator laid
out in a grid. Each panel is titled with the indicator's code and title and has both axes
labelled. Series are told apart without colour: this year is a solid line with filled circles
(or solid bars), last year a dashed line with hollow squares (or hollow bars), the target a
dotted line; the legend says which is which.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.render.svg_text import break_lines, fit, text_width

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from csckpi.report import Chart, Panel

WIDTH = 720.0
NARROW = 400.0  # a column of panels beside a table
GAP = 18.0
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
CHAR_WIDTH = 0.54  # average glyph width as a fraction of the font size, for wrapping

INK = "#1a1a1a"
THIS_YEAR = "#1f3f66"  # dark: prints near-black in greyscale
LAST_YEAR = "#6b6b6b"  # mid grey
TARGET = "#a3271f"  # dark red, dotted: still a distinct line in greyscale
GRID = "#d9d9d9"

TITLE_SIZE = 11.0
TEXT_SIZE = 9.5
LEGEND_SIZE = 9.5
LEGEND_LINE = 20.0  # a legend entry's symbol: a length of its line
LEGEND_TEXT = LEGEND_LINE + 4  # where its words start
LEGEND_GAP = 12.0  # between entries
LEGEND_ROW = LEGEND_SIZE + 5  # a second row, where one is too narrow
CUT_SIZE = 7.5  # "axis from 60" under a y axis that does not start at zero


def render_svg(
    chart: Chart, *, standalone: bool = False, narrow: bool = False, compact: bool = False
) -> str:
    """The chart as SVG markup; ``standalone`` adds the namespace a separate .svg file needs.
    For print: ``narrow`` sets its panels one above another in a column about half as wide
    (beside the month table of a section of one or two indicators); ``compact`` sets three
    or more panels three to a row (a section's chart stays on its table's page)."""
    panels = chart.panels
    cols = 1 if len(panels) == 1 or narrow else 3 if compact and len(panels) >= 3 else 2
    rows = math.ceil(len(panels) / cols) if panels else 1
    width = NARROW if narrow else WIDTH
    panel_w = (width - GAP * (cols - 1)) / cols
    panel_h = {1: 215.0 if narrow else 230.0, 2: 215.0, 3: 170.0}[cols]
    height = rows * panel_h + (rows - 1) * GAP
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="chart" id="chart-{escape(chart.id)}" viewBox="0 0 {_n(width)} '
        f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img" '
        f'aria-labelledby="chart-{escape(chart.id)}-title" font-family="{FONT}">',
        f'<title id="chart-{escape(chart.id)}-title">{escape(_chart_title(chart))}</title>',
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
    ]
    if not panels:
        out.append(
            f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" text-anchor="middle" '
            f'font-size="{_n(TEXT_SIZE)}" fill="{INK}">No indicators to chart</text>'
        )
    for i, panel in enumerate(panels):
        row, col = divmod(i, cols)
        x = col * (panel_w + GAP)
        y = row * (panel_h + GAP)
        out.append(f'<g class="panel" transform="translate({_n(x)},{_n(y)})">')
        out.extend(_panel(panel, panel_w, panel_h))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _chart_title(chart: Chart) -> str:
    codes = ", ".join(
        f"{panel.code} ({panel.spc.words})"
        if panel.spc is not None and panel.spc.words
        else panel.code
        for panel in chart.panels
    )
    return f"{chart.title}: {codes}" if codes else chart.title


# -- one panel ---------------------------------------------------------------------------


def _panel(panel: Panel, width: float, height: float) -> list[str]:
    out: list[str] = []
    max_chars = int(width / (TITLE_SIZE * CHAR_WIDTH))
    lines = wrap(panel.heading, max_chars, max_lines=2)
    y = TITLE_SIZE + 1
    for line in lines:
        out.append(
            f'<text class="panel-title" x="0" y="{_n(y)}" font-size="{_n(TITLE_SIZE)}" '
            f'font-weight="bold" fill="{INK}">{escape(line)}</text>'
        )
        y += TITLE_SIZE + 3
    if panel.spc is not None:
        icons = _spc_icons(panel, y, width)
        out.extend(icons)
        y += (TEXT_SIZE + 4) * len(icons)
    legend_y = y + 4
    legend, legend_rows = _legend(panel, legend_y, width)
    out.extend(legend)

    left, right = 50.0, width - 8
    top, bottom = legend_y + LEGEND_ROW * (legend_rows - 1) + 16, height - 34
    values = [v for v in (*panel.this_year, *panel.last_year) if v is not None]
    if panel.target is not None:
        values.append(panel.target)
    drawn = panel.spc is not None and panel.spc.drawn
    if drawn and panel.spc is not None:
        values += [v for v in (panel.spc.lower, panel.spc.upper) if v is not None]
        values += [v for st in panel.spc.steps for v in (st.lower, st.upper) if v is not None]
    lo, hi, ticks = scale(values, zero=panel.kind == "bar", percent=panel.y_label == "%")

    def sy(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    # grid and y axis
    for tick in ticks:
        ty = sy(tick)
        out.append(
            f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(ty)}" y2="{_n(ty)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{_n(left - 5)}" y="{_n(ty + 3.2)}" text-anchor="end" '
            f'font-size="{_n(TEXT_SIZE)}" fill="{INK}">{escape(tick_label(tick, ticks))}</text>'
        )
    mid = (top + bottom) / 2
    y_size, y_label = _side_label(panel.y_label, bottom - top)
    out.append(
        f'<text class="axis-label" x="11" y="{_n(mid)}" text-anchor="middle" '
        f'font-size="{_n(y_size)}" fill="{INK}" transform="rotate(-90 11 {_n(mid)})">'
        f"{escape(y_label)}</text>"
    )
    cut = lo > 0  # the axis does not start at zero: say so, in words and with a break mark
    if cut:
        out.append(
            f'<text class="axis-cut" x="2" y="{_n(bottom + 27)}" font-size="{_n(CUT_SIZE)}" '
            f'fill="{INK}">axis from {escape(tick_label(lo, ticks))}</text>'
        )
    out.append(
        f'<line x1="{_n(left)}" x2="{_n(left)}" y1="{_n(top)}" y2="{_n(bottom)}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )
    if cut:
        out.append(_axis_break(left, bottom - 9))
    out.append(
        f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(bottom)}" y2="{_n(bottom)}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )

    # x axis: one slot per month
    n = max(len(panel.months), 1)
    slot = (right - left) / n

    def sx(i: int) -> float:
        return left + slot * (i + 0.5)

    short = slot < TEXT_SIZE * CHAR_WIDTH * 3.6  # too narrow for "Apr": its initial
    for i, month in enumerate(panel.months):
        out.append(
            f'<text x="{_n(sx(i))}" y="{_n(bottom + 12)}" text-anchor="middle" '
            f'font-size="{_n(TEXT_SIZE)}" fill="{INK}">{escape(month[:1] if short else month)}'
            "</text>"
        )
    out.append(
        f'<text class="axis-label" x="{_n((left + right) / 2)}" y="{_n(bottom + 27)}" '
        f'text-anchor="middle" font-size="{_n(TEXT_SIZE)}" fill="{INK}">'
        f"Month ({escape(panel.this_label)})</text>"
    )

    if drawn and panel.spc is not None:
        out.extend(_limits(panel, (left, right, top, bottom), sy, slot))
    if panel.kind == "bar":
        out.extend(_bars(panel, sx, sy, slot, lo))
    else:
        out.extend(_line(panel.last_year, sx, sy, "last-year", LAST_YEAR, "5 3", 1.4, "square"))
        out.extend(_line(panel.this_year, sx, sy, "this-year", THIS_YEAR, None, 2.0, "circle"))
    if drawn and panel.spc is not None:
        out.extend(_special(panel, sx, sy))
    if panel.target is not None:
        ty = sy(panel.target)
        out.append(
            f'<line class="target" x1="{_n(left)}" x2="{_n(right)}" y1="{_n(ty)}" '
            f'y2="{_n(ty)}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="1.5 2.5" '
            f'stroke-linecap="round"/>'
        )
    if not any(v is not None for v in (*panel.this_year, *panel.last_year)):
        out.append(
            f'<text x="{_n((left + right) / 2)}" y="{_n(mid)}" text-anchor="middle" '
            f'font-size="{_n(TEXT_SIZE)}" fill="{INK}">No monthly figures</text>'
        )
    return out


SPC_LINE = "#7a7a7a"  # the mean solid, the process limits dashed: grey, behind the series
SPC_GOOD, SPC_BAD, SPC_NEUTRAL = "#1f6fb4", "#c8620a", "#7b3f9e"  # blue, orange, purple


def _side_label(label: str, room: float) -> tuple[float, str]:
    """The y axis's label along a plot ``room`` high: as it is where it fits, else smaller
    (down to the size of "axis from"), else cut at a word with "…" (a short plot: a panel
    with a second legend row and an SPC line)."""
    if text_width(label, TEXT_SIZE) <= room:
        return TEXT_SIZE, label
    size = max(CUT_SIZE, math.floor(TEXT_SIZE * room / text_width(label, TEXT_SIZE) * 2) / 2)
    if text_width(label, size) <= room:
        return size, label
    return CUT_SIZE, fit(label, CUT_SIZE, room, max_lines=1)[0]


def _axis_break(x: float, y: float) -> str:
    """Two slanted strokes across the y axis at ``y``, a gap between: the axis is cut (its
    values below the lowest tick are left out), as printed charts mark it."""
    return (
        f'<g class="axis-break"><rect x="{_n(x - 6)}" y="{_n(y - 4)}" width="12" height="5" '
        f'fill="#ffffff"/><path d="M{_n(x - 6)},{_n(y + 1)} l12,-3 M{_n(x - 6)},{_n(y - 3)} '
        f'l12,-3" stroke="{INK}" stroke-width="0.8" fill="none"/></g>'
    )


def _spc_icons(panel: Panel, y: float, width: float) -> list[str]:
    """The two icons under the title: a small symbol and the words (print, screen readers);
    a line each where one line is too narrow for both, and the reason there are none broken
    to the panel's width."""
    from csckpi.render.spc_icons import ASSURANCE_SYMBOLS, variation_symbol

    spc = panel.spc
    assert spc is not None
    parts: list[tuple[str, str]] = []  # (markup, its text)
    if spc.variation is not None:
        colour = {
            "special cause improvement": SPC_GOOD,
            "special cause concern": SPC_BAD,
            "special cause": SPC_NEUTRAL,
        }.get(spc.variation.value, INK)
        symbol = variation_symbol(spc.variation, spc.side)
        words = spc.words.split("; ")[0]
        parts.append(
            (
                f'<tspan font-weight="bold" fill="{colour}">{escape(symbol)}</tspan> '
                f"{escape(words)}",
                f"{symbol} {words}",
            )
        )
        if spc.assurance is not None:
            symbol = ASSURANCE_SYMBOLS[spc.assurance]
            parts.append(
                (
                    f'<tspan font-weight="bold">{escape(symbol)}</tspan> '
                    f"{escape(spc.assurance.value)}",
                    f"{symbol} {spc.assurance.value}",
                )
            )
        whole = "SPC: " + " · ".join(text for _, text in parts)
        if text_width(whole, TEXT_SIZE) <= width:
            lines = ["SPC: " + " · ".join(markup for markup, _ in parts)]
        else:
            lines = ["SPC: " + parts[0][0], *(markup for markup, _ in parts[1:])]
    else:
        said = "SPC: " + (spc.reason or "no control limits")
        lines = [escape(line) for line in fit(said, TEXT_SIZE, width)]
    return [
        f'<text class="spc-icons" x="0" y="{_n(y + 2 + (TEXT_SIZE + 4) * i)}" '
        f'font-size="{_n(TEXT_SIZE)}" fill="{INK}">{line}</text>'
        for i, line in enumerate(lines)
    ]


def _limits(
    panel: Panel,
    box: tuple[float, float, float, float],
    sy: Callable[[float], float],
    slot: float,
) -> list[str]:
    """The mean (solid) and the process limits (dashed) over the months each set judges, the
    latest labelled at its right end; where a change of process inside the year starts new
    limits, a dotted upright line at its month, named."""
    from csckpi.report_spc import Step

    spc = panel.spc
    assert spc is not None
    left, right, top, bottom = box
    n = len(panel.months)
    steps = spc.steps or (Step(0, n - 1, spc.mean, spc.lower, spc.upper),)
    last_lined = max((i for i, st in enumerate(steps) if st.mean is not None), default=-1)
    out = ['<g class="spc-limits">']
    for i, st in enumerate(steps):
        x1 = left if st.first == 0 else left + slot * st.first
        x2 = right if st.last >= n - 1 else left + slot * (st.last + 1)
        if st.start is not None:
            words = f"limits worked out again from {st.start}"
            out.append(
                f'<line class="spc-change" x1="{_n(x1)}" x2="{_n(x1)}" y1="{_n(top)}" '
                f'y2="{_n(bottom)}" stroke="{SPC_LINE}" stroke-width="0.9" '
                f'stroke-dasharray="1 2">'
                f"<title>{escape(words)}</title></line>"
            )
            out.append(
                f'<text x="{_n(x1 + 2)}" y="{_n(top + 7)}" font-size="7.5" '
                f'fill="{SPC_LINE}">new limits {escape(st.start)}</text>'
            )
        for value, name, dash in (
            (st.upper, "upper limit", ' stroke-dasharray="6 3"'),
            (st.mean, "mean", ""),
            (st.lower, "lower limit", ' stroke-dasharray="6 3"'),
        ):
            if value is None:
                continue
            ty = sy(value)
            label = numbers.figure(value, panel.unit, panel.decimals)
            out.append(
                f'<line x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(ty)}" y2="{_n(ty)}" '
                f'stroke="{SPC_LINE}" stroke-width="0.9"{dash}><title>{escape(name)} '
                f"{escape(label)}</title></line>"
            )
            if i == last_lined:
                out.append(
                    f'<text x="{_n(x2)}" y="{_n(ty - 2)}" text-anchor="end" font-size="7.5" '
                    f'fill="{SPC_LINE}">{escape(name)} {escape(label)}</text>'
                )
    out.append("</g>")
    return out


def _special(panel: Panel, sx: Callable[[int], float], sy: Callable[[float], float]) -> list[str]:
    """A ring round each month of this year that is part of a signal, coloured by its
    judgement (the icon line says which)."""
    from csckpi.spc.model import Judgement

    spc = panel.spc
    assert spc is not None
    colours = {
        Judgement.IMPROVEMENT: SPC_GOOD,
        Judgement.CONCERN: SPC_BAD,
        Judgement.NEITHER: SPC_NEUTRAL,
    }
    out = []
    for i, (value, judgement) in enumerate(zip(panel.this_year, spc.special, strict=False)):
        if value is None or judgement is None:
            continue
        out.append(
            f'<circle class="special" cx="{_n(sx(i))}" cy="{_n(sy(value))}" r="5.5" '
            f'fill="none" stroke="{colours[judgement]}" stroke-width="1.6"/>'
        )
    return out


def _legend(panel: Panel, y: float, width: float) -> tuple[list[str], int]:
    """The legend's entries in a row, or in as many rows as the panel's width needs; with the
    number of rows."""
    out = ['<g class="legend">']
    items: list[tuple[str, str]] = [("this-year", panel.this_label)]
    if any(v is not None for v in panel.last_year):  # no legend for a series not drawn
        items.append(("last-year", panel.last_label))
    if panel.target is not None:
        target = numbers.target(panel.target, panel.unit, panel.decimals)
        items.append(("target", f"Target ({target})"))
    x, rows = 0.0, 1
    for kind, label in items:
        entry = LEGEND_TEXT + text_width(label, LEGEND_SIZE)
        if x > 0 and x + entry > width:  # the next row
            x, y, rows = 0.0, y + LEGEND_ROW, rows + 1
        out.append(_legend_symbol(kind, panel.kind, x, y))
        out.append(
            f'<text x="{_n(x + LEGEND_TEXT)}" y="{_n(y + 3.4)}" font-size="{_n(LEGEND_SIZE)}" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        x += entry + LEGEND_GAP
    out.append("</g>")
    return out, rows


def _legend_symbol(kind: str, chart_kind: str, x: float, y: float) -> str:
    if kind == "target":
        return (
            f'<line x1="{_n(x)}" x2="{_n(x + LEGEND_LINE)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="1.5 2.5" '
            f'stroke-linecap="round"/>'
        )
    this = kind == "this-year"
    if chart_kind == "bar":
        fill, stroke = (THIS_YEAR, THIS_YEAR) if this else ("#ffffff", LAST_YEAR)
        return (
            f'<rect x="{_n(x + LEGEND_LINE / 2 - 5)}" y="{_n(y - 5)}" width="10" height="10" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>'
        )
    colour = THIS_YEAR if this else LAST_YEAR
    dash = "" if this else ' stroke-dasharray="5 3"'
    width = 2.0 if this else 1.4
    line = (
        f'<line x1="{_n(x)}" x2="{_n(x + LEGEND_LINE)}" y1="{_n(y)}" y2="{_n(y)}" '
        f'stroke="{colour}" stroke-width="{_n(width)}"{dash}/>'
    )
    return line + _marker("circle" if this else "square", x + LEGEND_LINE / 2, y, colour)


def _line(
    values: Sequence[float | None],
    sx: Callable[[int], float],
    sy: Callable[[float], float],
    cls: str,
    colour: str,
    dash: str | None,
    width: float,
    marker: str,
) -> list[str]:
    """A polyline per run of consecutive months; a gap where a month has no figure."""
    out = [f'<g class="series {cls}">']
    run: list[tuple[float, float]] = []
    runs: list[list[tuple[float, float]]] = []
    for i, v in enumerate(values):
        if v is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((sx(i), sy(v)))
    if run:
        runs.append(run)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    for points in runs:
        if len(points) > 1:
            coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                f'stroke-width="{_n(width)}"{dash_attr} stroke-linejoin="round"/>'
            )
    for points in runs:
        for px, py in points:
            out.append(_marker(marker, px, py, colour))
    out.append("</g>")
    return out


def _bars(
    panel: Panel, sx: Callable[[int], float], sy: Callable[[float], float], slot: float, lo: float
) -> list[str]:
    out: list[str] = []
    bar_w = min(slot * 0.36, 14.0)
    base = sy(max(lo, 0.0))
    pair = any(v is not None for v in panel.last_year)  # side by side, else centred
    for cls, values, offset, fill, stroke in (
        ("last-year", panel.last_year, -bar_w, "#ffffff", LAST_YEAR),
        ("this-year", panel.this_year, 0.0 if pair else -bar_w / 2, THIS_YEAR, THIS_YEAR),
    ):
        out.append(f'<g class="series {cls}">')
        for i, v in enumerate(values):
            if v is None:
                continue
            top = sy(v)
            y, h = min(top, base), abs(base - top)
            out.append(
                f'<rect x="{_n(sx(i) + offset)}" y="{_n(y)}" width="{_n(bar_w)}" '
                f'height="{_n(h)}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
            )
        out.append("</g>")
    return out


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.8" fill="{colour}"/>'
    return (
        f'<rect x="{_n(x - 2.8)}" y="{_n(y - 2.8)}" width="5.6" height="5.6" fill="#ffffff" '
        f'stroke="{colour}" stroke-width="1.2"/>'
    )


# -- scales and text ---------------------------------------------------------------------


def scale(
    values: Sequence[float], *, zero: bool = False, percent: bool = False, count: int = 5
) -> tuple[float, float, list[float]]:
    """A y range with round ticks that holds every value.

    Bars start at zero; lines fit their data (a percentage between 71 and 88 is not drawn as a
    flat line near the top of a 0-100 axis). Percentages never run past 100 unless a value does.
    """
    if not values:
        return 0.0, 1.0, [0.0, 0.5, 1.0]
    vmin, vmax = min(values), max(values)
    lo, hi = (min(vmin, 0.0), max(vmax, 0.0)) if zero else (vmin, vmax)
    span = hi - lo
    flat = span <= max(abs(lo), abs(hi)) * 1e-9  # one value, or all alike: a band around it
    pad = (abs(hi) * 0.1 or 1.0) if flat else span * 0.08
    lo, hi = lo - pad, hi + pad
    if vmin >= 0 > lo:
        lo = 0.0
    if zero and vmax <= 0 < hi:
        hi = 0.0
    capped = percent and vmax <= 100
    if capped and hi > 100:
        hi = 100.0
    step = nice_step((hi - lo) / count)
    start = math.floor(lo / step + 1e-9) * step
    end = math.ceil(hi / step - 1e-9) * step
    if capped and end > 100 and abs((100 - start) / step - round((100 - start) / step)) < 1e-6:
        end = 100.0
    n = max(2, min(round((end - start) / step) + 1, 50))
    places = max(0, 3 - math.floor(math.log10(step)))  # clean decimals, however small the step
    ticks = [round(start + k * step, places) for k in range(n)]
    return ticks[0], ticks[-1], ticks


def nice_step(raw: float) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) at or above ``raw``."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def tick_label(value: float, ticks: Sequence[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    places = next(
        (p for p in range(4) if abs(step * 10**p - round(step * 10**p)) < 1e-6 * 10**p), 3
    )
    text = f"{value:,.{places}f}"
    return "0" if text.strip("-0.,") == "" else text


def wrap(text: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """Greedy word wrap; the last line ends in an ellipsis when the text does not fit."""
    lines = break_lines(text, lambda line: len(line) <= max_chars)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and len(last) + 1 > max_chars:
            last = last.rsplit(" ", 1)[0] if " " in last else last[: max_chars - 1]
        kept[-1] = last.rstrip(" ,;:-") + "…"
        return kept
    return [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines]


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros: stable, small SVG."""
    text = _WRITTEN.get(value)
    if text is None:
        if len(_WRITTEN) > 50_000:  # a long session's charts: start again
            _WRITTEN.clear()
        text = f"{value:.1f}".removesuffix(".0")
        text = _WRITTEN[value] = "0" if text == "-0" else text
    return text


#: Coordinates already written: a chart repeats most of them (its axes, its months' slots,
#: its font sizes), and a dictionary lookup is cheaper than formatting the number again.
_WRITTEN: dict[float, str] = {}
