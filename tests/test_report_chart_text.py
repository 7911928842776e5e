"""Every line of a chart's text fits in its panel: the legend, the SPC line and the title.

The example's report, and a generated workbook whose targets make long legend entries, are
checked with the charts' own width estimate (csckpi/render/svg_text.py); a browser test
measures the same text in Chromium, so the estimate is checked against the font as laid out.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import dump_dom, require_chromium
from conftest import EXAMPLE
from typer.testing import CliRunner
from workbook_factory import write

from csckpi.cli import app
from csckpi.render.charts import GAP
from csckpi.render.svg_text import fit, text_width


@dataclass(frozen=True)
class Line:
    chart: str
    panel: int
    kind: str  # legend, spc-icons, panel-title
    text: str
    left: float  # in the chart's viewBox
    right: float  # the estimated right edge
    top: float
    room: float  # the right edge of the panel


def _report(tmp_path: Path, workbook: Path, *extra: str) -> str:
    out = tmp_path / f"{workbook.stem}{''.join(extra)}.html"
    args = ["report", "-w", str(workbook), "--period", "Q3 2020/21", "-o", str(out), *extra]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    return out.read_text(encoding="utf-8")


def _svgs(html: str) -> list[ET.Element]:
    found = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    assert found, "no chart in the report"
    return found


def _lines(html: str) -> list[Line]:
    """Each left-aligned line of text of each panel, with where it starts and (estimated) ends,
    and where its panel ends: the next panel of its row, else the viewBox's right edge."""
    out = []
    for svg in _svgs(html):
        view = float(svg.get("viewBox", "").split()[2])
        panels = [g for g in svg.iter("g") if g.get("class") == "panel"]
        places = []
        for g in panels:
            found = re.fullmatch(r"translate\(([\d.]+),([\d.]+)\)", g.get("transform", ""))
            assert found, g.get("transform")
            places.append((float(found[1]), float(found[2])))
        for n, (g, (px, py)) in enumerate(zip(panels, places, strict=True)):
            room = min([x - GAP for x, y in places if y == py and x > px], default=view)
            legend = {id(t) for e in g.iter("g") if e.get("class") == "legend" for t in e}
            for t in g.iter("text"):
                kind = "legend" if id(t) in legend else t.get("class") or ""
                if kind not in ("legend", "spc-icons", "panel-title"):
                    continue
                text = "".join(t.itertext())
                size = float(t.get("font-size", "0"))
                x = px + float(t.get("x", "0"))
                bold = t.get("font-weight") == "bold"
                right = x + text_width(text, size, bold=bold)
                top = py + float(t.get("y", "0")) - size
                out.append(Line(svg.get("id", ""), n, kind, text, x, right, top, room))
    return out


def _outside(lines: list[Line]) -> list[str]:
    return [
        f"{line.chart} panel {line.panel}: {line.text!r} ends at {line.right:.1f}, "
        f"past {line.room:.1f}"
        for line in lines
        if line.right > line.room + 0.05
    ]


def test_every_legend_entry_fits_in_every_chart_of_the_example(tmp_path: Path):
    lines = _lines(_report(tmp_path, EXAMPLE))
    legend = [line for line in lines if line.kind == "legend"]
    assert len({(line.chart, line.panel) for line in legend}) == 42  # a panel per indicator
    assert any(line.text == "Target (10%)" for line in legend)  # CSC 230, once cut off
    assert _outside(lines) == []


def test_the_spc_line_fits_where_spc_is_asked_for(tmp_path: Path):
    lines = _lines(_report(tmp_path, EXAMPLE, "--spc-rules", "mdc"))
    spc = [line for line in lines if line.kind == "spc-icons"]
    assert len({(line.chart, line.panel) for line in spc}) == 42  # each says why: no limits
    assert _outside(lines) == []


MONTHS = [dt.datetime(2019, 4, 1) + dt.timedelta(days=31 * i) for i in range(21)]  # to Dec-20
MONTHS = [m.replace(day=1) for m in MONTHS]


def _long_targets(tmp_path: Path) -> Path:
    """Three indicators in one section (a row of three panels), each target a long label:
    `Target (99.75%)`, `Target (12,345.5)`, `Target (1,234.56)`."""
    rows = [
        ["CSC 901", "Placements stable for two years", "Placements", "percent", "up",
         "snapshot", 99.75, 2],
        ["CSC 902", "Placement moves in the month", "Placements", "count", "down",
         "flow", 12345.5, 1],
        ["CSC 903", "Children placed far from home per 10,000", "Placements", "rate", "down",
         "snapshot", 1234.56, 2],
    ]  # fmt: skip
    monthly = [["code", "part", *MONTHS]]
    for i, (code, *_rest) in enumerate(rows):
        base = (97.0, 12000.0, 1200.0)[i]
        monthly.append([code, "value", *(base + (k * 7 % 5) * 0.5 for k in range(21))])
    sheets = {
        "Indicators": [
            ["code", "title", "section", "unit", "polarity", "measure", "target", "decimals"],
            *rows,
        ],
        "Monthly": monthly,
    }
    return write(tmp_path / "long-targets.xlsx", sheets)


def test_long_target_labels_take_a_second_legend_row_inside_the_panel(tmp_path: Path):
    lines = _lines(_report(tmp_path, _long_targets(tmp_path), "--spc-rules", "mdc"))
    legend = [line for line in lines if line.kind == "legend"]
    targets = sorted(line.text for line in legend if line.text.startswith("Target"))
    assert targets == ["Target (1,234.56)", "Target (12,345.5)", "Target (99.75%)"]
    assert _outside(lines) == []
    # the entry that does not fit beside the others starts a row of its own, at the left
    wrapped = [line for line in legend if line.text == "Target (12,345.5)"]
    first = next(line for line in legend if line.panel == wrapped[0].panel)
    assert wrapped[0].top > first.top and wrapped[0].left == first.left


def test_a_second_legend_row_pushes_the_plot_down(tmp_path: Path):
    charts = _svgs(_report(tmp_path, _long_targets(tmp_path)))
    svg = next(s for s in charts if "placements" in s.get("id", ""))
    for panel in (g for g in svg.iter("g") if g.get("class") == "panel"):
        legend = next(g for g in panel.iter("g") if g.get("class") == "legend")
        lowest = max(float(t.get("y", "0")) for t in legend.iter("text"))
        grid = [float(line.get("y1", "0")) for line in panel.findall("line")]
        assert grid and min(grid) > lowest + 4, (lowest, min(grid))


def _side_labels(html: str) -> list[tuple[str, float, float]]:
    """Each panel's y-axis label (drawn upright along the axis): its text, its estimated
    length and the height of the plot beside it (from its top grid line to its bottom)."""
    out = []
    for svg in _svgs(html):
        for panel in (g for g in svg.iter("g") if g.get("class") == "panel"):
            label = next(
                t
                for t in panel.iter("text")
                if t.get("class") == "axis-label" and t.get("transform")
            )
            grid = [float(line.get("y1", "0")) for line in panel.findall("line")]
            text = "".join(label.itertext())
            length = text_width(text, float(label.get("font-size", "0")))
            out.append((text, length, max(grid) - min(grid)))
    return out


@pytest.mark.parametrize("long_targets", [False, True])
def test_the_y_axis_label_is_no_longer_than_its_plot(tmp_path: Path, long_targets: bool):
    # with --spc-rules a line more above the plot: the rate's label once ran past both ends
    book = _long_targets(tmp_path) if long_targets else EXAMPLE
    labels = _side_labels(_report(tmp_path, book, "--spc-rules", "mdc"))
    assert any(text.startswith("Rate per") for text, _, _ in labels)
    assert [(text, length, room) for text, length, room in labels if length > room] == []
    if not long_targets:  # the example's plots are tall enough for every label whole
        assert {text for text, _, _ in labels} == {"%", "Number", "Rate per 10,000 aged 0–17"}


def test_fit_breaks_text_to_a_width_and_marks_what_it_cut():
    text = "no control limits yet: they need 15 months, there are 9"
    lines = fit(text, 9.5, 150)
    assert len(lines) == 2 and " ".join(lines) == text
    assert all(text_width(line, 9.5) <= 150 for line in lines)
    cut = fit(text * 3, 9.5, 150)
    assert len(cut) == 2 and cut[-1].endswith("…") and text_width(cut[-1], 9.5) <= 150
    assert fit("Supercalifragilistic", 9.5, 40) == ["Superc…"]
    assert text_width("WW", 10) > text_width("ii", 10) * 3  # widths per letter, not a mean


# -- in a browser ------------------------------------------------------------------------------

MEASURE = """
<script>
const out = [];
document.querySelectorAll("svg.chart").forEach((svg) => {
  const view = svg.viewBox.baseVal.width;
  const panels = [...svg.querySelectorAll("g.panel")];
  panels.forEach((g, n) => {
    const box = g.transform.baseVal.consolidate().matrix;
    const room = Math.min(view, ...panels
      .map((h) => h.transform.baseVal.consolidate().matrix)
      .filter((m) => m.f === box.f && m.e > box.e).map((m) => m.e - GAP));
    g.querySelectorAll("g.legend text, text.spc-icons, text.panel-title").forEach((t) => {
      const b = t.getBBox();
      out.push({chart: svg.id, panel: n, text: t.textContent, right: box.e + b.x + b.width,
                width: b.width,
                room: room, size: parseFloat(t.getAttribute("font-size")),
                bold: t.getAttribute("font-weight") === "bold"});
    });
  });
});
const pre = document.createElement("pre");
pre.id = "measured";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""


def test_in_chromium_every_line_of_chart_text_ends_inside_its_panel(tmp_path: Path):
    chromium = require_chromium()
    page = tmp_path / "page.html"
    html = _report(tmp_path, _long_targets(tmp_path), "--spc-rules", "mdc")
    example = _report(tmp_path, EXAMPLE, "--spc-rules", "mdc")
    charts = "".join(re.findall(r"<svg\b.*?</svg>", html + example, re.S))
    script = MEASURE.replace("GAP", str(GAP))
    page.write_text(f"<!doctype html><html><body>{charts}{script}</body></html>", encoding="utf-8")
    found = re.search(r'<pre id="measured">(.*?)</pre>', dump_dom(chromium, page), re.S)
    assert found, "the page measured nothing"
    measured = json.loads(html_module.unescape(found[1]))
    assert len(measured) > 150
    past = [m for m in measured if m["right"] > m["room"] + 0.05]
    assert past == []
    # the estimate the layout uses is the font's own width, within a few per cent (hinting,
    # and bold text a little wider on screen); a symbol from another font counts wide
    for m in measured:
        estimate = text_width(m["text"], m["size"], bold=m["bold"])
        assert estimate >= m["width"] * 0.98, m
        if m["text"].isascii():
            assert estimate == pytest.approx(m["width"], rel=0.03), m
