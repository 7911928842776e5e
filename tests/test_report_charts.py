"""The SVG charts: scales, layout, greyscale-readable series, and safe, self-contained markup."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

from conftest import assert_golden
from hypothesis import given
from hypothesis import strategies as st
from test_report_sample import MONTHS, sample_report

from csckpi.model import Unit
from csckpi.render.charts import nice_step, render_svg, scale, tick_label, wrap
from csckpi.report import Chart, Panel

SVG = "{http://www.w3.org/2000/svg}"


def _panel(**changes) -> Panel:
    base = {
        "code": "CSC 022",
        "title": "Monthly % of referrals completed within 1 working day.",
        "unit": Unit.PERCENT,
        "kind": "line",
        "months": MONTHS,
        "this_year": (71.1, 75.7, None, 81.8, 83.3, 71.1, 75.8, 63.6, 88.2, None, None, None),
        "last_year": (88.0,) * 12,
        "this_label": "2020/21",
        "last_label": "2019/20",
        "target": 90.0,
        "decimals": 1,
        "y_label": "%",
    }
    base.update(changes)
    return Panel(**base)


def _tree(chart: Chart) -> ET.Element:
    return ET.fromstring(render_svg(chart, standalone=True))


def test_the_example_section_chart_is_unchanged():
    report = sample_report()
    assert_golden("report_chart_referrals.svg", render_svg(report.sections[0].chart))


def test_one_svg_per_chart_with_a_titled_panel_per_indicator():
    chart = sample_report().sections[1].chart
    root = _tree(chart)
    panels = root.findall(f"{SVG}g[@class='panel']")
    assert len(panels) == 2
    titles = [
        "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "panel-title"
    ]
    assert titles == [
        "CSC 201: Total number of Children in Care",
        "CSC 200: Rate of Children in Care Per 10,000 population",
    ]
    labels = [
        "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"
    ]
    assert labels == ["Number", "Month (2020/21)", "Rate per 10,000 aged 0–17", "Month (2020/21)"]


def test_a_gap_in_the_months_breaks_the_line_and_every_figure_has_a_marker():
    root = _tree(Chart("c", "Referrals", (_panel(),)))
    this = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "series this-year")
    assert len(this.findall(f"{SVG}polyline")) == 2  # Apr-May, then Jul-Dec
    assert len(this.findall(f"{SVG}circle")) == 8
    last = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "series last-year")
    line = last.find(f"{SVG}polyline")
    assert line is not None and line.get("stroke-dasharray")  # dashed, not just another colour
    assert len(last.findall(f"{SVG}rect")) == 12  # hollow squares, not circles


def test_counts_are_bars_from_zero_and_lines_fit_their_data():
    bars = _panel(unit=Unit.COUNT, kind="bar", this_year=(5, 7, 9) + (None,) * 9, target=None)
    root = _tree(Chart("c", "Counts", (bars,)))
    this = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "series this-year")
    heights = [float(r.get("height", "0")) for r in this.findall(f"{SVG}rect")]
    assert len(heights) == 3 and heights[0] < heights[1] < heights[2]
    assert root.find(f".//{SVG}line[@class='target']") is None
    low, _high, _ticks = scale([5, 7, 9], zero=True)
    assert low == 0
    low, high, _ticks = scale([71.1, 88.2, 90], percent=True)
    assert 50 <= low <= 71.1 and 90 <= high <= 100


def test_the_target_is_a_dotted_line_named_in_the_legend():
    root = _tree(Chart("c", "Referrals", (_panel(),)))
    target = root.find(f".//{SVG}line[@class='target']")
    assert target is not None and target.get("stroke-dasharray")
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["2020/21", "2019/20", "Target (90%)"]


def test_markup_is_self_contained_and_text_is_escaped():
    nasty = _panel(title='<script>alert("x")</script> & co')
    inline = render_svg(Chart("c", "A & B", (nasty,)))
    assert "<script" not in inline and "&lt;script&gt;" in inline
    assert "http" not in inline  # inline in HTML: no namespace, no URL of any kind
    assert not re.search(r"url\(|href=", inline)
    standalone = render_svg(Chart("c", "A & B", (nasty,)), standalone=True)
    ET.fromstring(standalone)  # well-formed XML


def test_a_panel_with_no_figures_says_so():
    empty = _panel(this_year=(None,) * 12, last_year=(None,) * 12, target=None)
    assert "No monthly figures" in render_svg(Chart("c", "Empty", (empty,)))
    assert "No indicators to chart" in render_svg(Chart("c", "Nothing", ()))


def test_four_panels_make_a_two_by_two_grid():
    chart = Chart("c", "Visits", tuple(_panel(code=f"CSC {i}") for i in range(4)))
    root = _tree(chart)
    moves = [g.get("transform") for g in root.findall(f"{SVG}g[@class='panel']")]
    assert moves == ["translate(0,0)", "translate(369,0)", "translate(0,233)", "translate(369,233)"]


def test_nice_steps_and_tick_labels():
    assert [nice_step(x) for x in (0.7, 1.0, 1.3, 2.2, 4.0, 7.5, 23.0)] == [
        1.0,
        1.0,
        2.0,
        2.5,
        5.0,
        10.0,
        25.0,
    ]
    assert tick_label(1000.0, [0.0, 500.0]) == "1,000"
    assert tick_label(2.5, [0.0, 2.5]) == "2.5"
    assert tick_label(0.25, [0.0, 0.25]) == "0.25"


def test_wrap_keeps_lines_short_and_marks_what_it_cut():
    text = "% of cases where the initial child protection conference was within 15 days"
    lines = wrap(text, 30, max_lines=2)
    assert len(lines) == 2 and all(len(line) <= 30 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("short title", 30) == ["short title"]


@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=30),
    st.booleans(),
    st.booleans(),
)
def test_the_scale_holds_every_value_with_even_ticks(values, zero, percent):
    low, high, ticks = scale(values, zero=zero, percent=percent)
    assert low <= min(values) + 1e-9 and high >= max(values) - 1e-9
    assert ticks[0] == low and ticks[-1] == high and len(ticks) >= 2
    step = ticks[1] - ticks[0]
    assert step > 0
    assert all(abs((b - a) - step) <= step * 1e-6 for a, b in itertools.pairwise(ticks))
    if zero:
        assert low <= 0 <= high


def test_a_series_with_no_figures_is_left_out_of_the_legend():
    root = _tree(Chart("c", "Referrals", (_panel(last_year=(None,) * 12, target=None),)))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["2020/21"]
