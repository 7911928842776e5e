"""The HTML report in a real headless Chromium: it draws, its DOM is whole, it fetches nothing.

Marked ``browser``: skipped with the reason when no Chromium is installed, but a failure when
the environment variable CI is set (CI installs Chromium with .ci/install-chromium).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser import Dom, dump_dom, read_png, require_chromium, screenshot
from test_report_sample import sample_report

from csckpi.render.report_html import render_html
from csckpi.render.report_pdf import write_pdf
from csckpi.report import Report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


def example_report() -> Report:
    from conftest import EXAMPLE

    from csckpi.compute import resolve_period
    from csckpi.report import build
    from csckpi.workbook import read_dataset

    dataset = read_dataset(EXAMPLE)
    period = resolve_period(dataset, "Q3 2020/21")
    return build(dataset, period, generated=dt.date(2021, 1, 20))


@pytest.fixture(scope="module", params=["sample", "example"])
def report(request: pytest.FixtureRequest) -> Report:
    return sample_report() if request.param == "sample" else example_report()


@pytest.fixture(scope="module")
def page(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def test_the_first_page_is_drawn_not_blank(chromium: str, page: Path, tmp_path: Path):
    image = read_png(screenshot(chromium, page, tmp_path / "page.png"))
    assert (image.width, image.height) == (1240, 1754)
    colours = image.colours()
    assert len(colours) > 50, f"only {len(colours)} colours: a blank or failed page"
    ink = image.ink_fraction()
    assert 0.01 < ink < 0.6, f"{ink:.1%} of the page is dark"
    assert image.pixel(5, 5)[:3] == (255, 255, 255)  # the page itself is white


def test_a_blank_page_fails_the_check(chromium: str, tmp_path: Path):
    """The check above can fail: an empty page has one colour and no ink."""
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    image = read_png(screenshot(chromium, empty, tmp_path / "empty.png"))
    assert len(image.colours()) <= 2 and image.ink_fraction() == 0


def test_the_dom_has_every_section_a_chart_each_and_no_network_reference(
    chromium: str, page: Path, report: Report
):
    dom = Dom(dump_dom(chromium, page))
    sections = dom.find("section", "report-section")
    assert [s["id"] for s in sections] == [f"section-{s.id}" for s in report.sections]
    charts = dom.find("svg", "chart")
    assert [c["id"] for c in charts] == [f"chart-{s.id}" for s in report.sections]
    panels = [t for t, a in dom.tags if t == "g" and a.get("class") == "panel"]
    assert len(panels) == sum(len(s.chart.panels) for s in report.sections)
    assert not dom.find("script")
    for tag, attrs in dom.tags:
        for name in ("src", "href", "xlink:href", "style", "srcset", "action"):
            value = attrs.get(name, "").lower()
            assert "http:" not in value and "https:" not in value, (tag, name, value)
            assert "url(" not in value, (tag, name, value)
    css = "".join(dom.styles).lower()
    assert "http" not in css and "url(" not in css and "@import" not in css


def test_the_pdf_prints_a_page_per_section_after_the_front_matter(tmp_path: Path, chromium: str):
    path = tmp_path / "report.pdf"
    write_pdf(sample_report(), path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 2  # title and contents, then overview, summary and the sections kept whole
