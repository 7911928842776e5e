"""The report for print (issue 17, item 5): a contents page with links (bookmarks in the PDF),
sections kept whole where they fit, a chart beside a short table, a shorter PDF, a cut y axis
said, sheet names cut at a word, and a browser found where councils have one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from test_report_sample import sample_report
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import OutputError
from csckpi.render import report_pdf
from csckpi.render.charts import render_svg
from csckpi.render.report_html import render_html
from csckpi.render.report_xlsx import SHEET_LIMIT, sheet_name

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
Q3 = ("-p", "Q3 2020/21")
SVG = "{http://www.w3.org/2000/svg}"
#: Pages of the example's PDF before sections were kept whole and charts set beside their
#: tables (measured with Chromium 150: 32; the issue counted 31).
PAGES_BEFORE = 31


def _example_report(tmp_path: Path, suffix: str, *extra: str) -> Path:
    out = tmp_path / f"q3.{suffix}"
    result = runner.invoke(app, ["report", "-w", str(EXAMPLE), *Q3, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


# -- contents ----------------------------------------------------------------------------------


def test_the_contents_link_every_part_and_section():
    report = sample_report()
    html = render_html(report)
    contents = re.search(r'<nav class="contents" id="contents">(.*?)</nav>', html, re.S)
    assert contents is not None
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents.group(1))
    wanted = ["messages", "overview", "summary", *(f"section-{s.id}" for s in report.sections)]
    assert [target for target, _ in links][: len(wanted)] == wanted
    assert [name for _, name in links][3 : len(wanted)] == [s.name for s in report.sections]
    for target, _name in links:  # every link lands on a heading's part
        assert f'id="{target}"' in html
    assert html.index('id="contents"') < html.index('id="overview"')


# -- sections kept whole, charts beside short tables -------------------------------------------


def test_sections_are_kept_whole_and_a_short_table_has_its_chart_beside_it():
    report = sample_report()
    html = render_html(report)
    css = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"\.report-section \{[^}]*break-inside: avoid", css)
    assert ".report-section { break-before: page" not in css  # no page per section forced
    for section in report.sections:
        body = html[html.index(f'id="section-{section.id}"') :]
        body = body[: body.index("</section>")]
        side = len(section.chart.panels) <= 2
        assert ('<div class="side">' in body) is side
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))  # type: ignore[union-attr]
        width = float(svg.get("width", "0"))
        assert width == (400 if side else 720)


def test_three_or_more_panels_print_three_to_a_row():
    from csckpi.report import Chart

    panel = sample_report().sections[0].chart.panels[0]
    chart = Chart("three", "Three", (panel, panel, panel, panel))

    def columns(svg: str) -> int:
        groups = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "panel"]
        return len({g.get("transform", "").split(",")[0] for g in groups})

    assert columns(render_svg(chart, standalone=True, compact=True)) == 3
    assert columns(render_svg(chart, standalone=True)) == 2  # Markdown's files: as before


@pytest.mark.browser
def test_the_example_pdf_is_shorter_and_has_bookmarks(tmp_path: Path):
    from browser import require_chromium

    require_chromium()
    data = _example_report(tmp_path, "pdf").read_bytes()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert 20 < pages < PAGES_BEFORE - 3, pages  # measured: 26
    assert b"/Outlines" in data  # bookmarks: one per heading, as printed (upper case)
    said = {t.decode("latin-1") for t in re.findall(rb"/Title \(([^)]*)\)", data)}
    wanted = {"CONTENTS", "OVERVIEW", "ASSESSMENTS - TIMELINESS", "CARE LEAVERS"}
    assert wanted <= said, said


# -- the cut y axis ----------------------------------------------------------------------------


def test_a_y_axis_that_does_not_start_at_zero_says_so():
    report = sample_report()
    panels = [p for s in report.sections for p in s.chart.panels]
    for section in report.sections:
        root = ET.fromstring(render_svg(section.chart, standalone=True))
        for panel, group in zip(
            section.chart.panels,
            [g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"],
            strict=True,
        ):
            label = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "axis-label")
            said = [t.text for t in group.iter(f"{SVG}text") if t.get("class") == "axis-cut"]
            cut = [g for g in group.iter(f"{SVG}g") if g.get("class") == "axis-break"]
            ticks = [
                t.text or ""
                for t in group.iter(f"{SVG}text")
                if t.get("text-anchor") == "end" and t.text
            ]
            lowest = float(ticks[0].replace(",", ""))
            assert label.text == panel.y_label
            if lowest > 0:
                assert said == [f"axis from {ticks[0]}"] and len(cut) == 1
            else:
                assert not said and not cut
    assert panels


def test_the_csc_038_chart_marks_its_axis_from_60(tmp_path: Path):
    html = _example_report(tmp_path, "html").read_text(encoding="utf-8")
    chart = re.search(r'<svg class="chart" id="chart-assessments-timeliness".*?</svg>', html, re.S)
    assert chart is not None
    assert ">axis from 60</text>" in chart.group(0) and 'class="axis-break"' in chart.group(0)


# -- sheet names -------------------------------------------------------------------------------


def test_sheet_names_are_cut_at_a_word_and_unique():
    taken: set[str] = set()
    names = [
        sheet_name("Children in Care - Dental Health Assessments", taken),
        sheet_name("Children in Care - Dental Health Assessments", taken),
        sheet_name("Initial Child Protection Conferences - Timeliness", taken),
        sheet_name("Placements of Looked After Children Outside the Borough", taken),
    ]
    assert names == [
        "CiC - Dental Health Assessments",
        "CiC - Dental Health (2)",
        "ICPC - Timeliness",
        "Placements of Looked After",
    ]


def test_the_example_workbook_sheet_names_keep_whole_words(tmp_path: Path):
    book = openpyxl.load_workbook(_example_report(tmp_path, "xlsx"), read_only=True)
    names = book.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    sections = [
        s.name
        for s in __import__("csckpi").load(workbook=EXAMPLE).build_report("Q3 2020/21").sections
    ]
    vocabulary = {w.lower() for s in sections for w in s.split()} | {"cic", "cp", "icpc", "eh"}
    vocabulary |= {"asmts", "overview", "summary", "notes", "for", "the", "analyst"}
    for name in names:
        assert len(name) <= SHEET_LIMIT
        words = re.sub(r" \(\d+\)$", "", name).split()
        assert all(w.lower() in vocabulary or w == "-" for w in words), name


# -- finding a browser -------------------------------------------------------------------------


def test_chrome_and_edge_are_looked_for_where_windows_and_macos_install_them():
    windows = report_pdf.installed_places(
        "win32",
        {
            "PROGRAMFILES": r"C:\Program Files",
            "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
            "LOCALAPPDATA": r"C:\Users\analyst\AppData\Local",
        },
    )
    assert r"C:\Program Files\Google\Chrome\Application\chrome.exe" in windows
    assert r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" in windows
    assert r"C:\Users\analyst\AppData\Local\Google\Chrome\Application\chrome.exe" in windows
    assert not [p for p in report_pdf.installed_places("win32", {}) if "%" in p]
    mac = report_pdf.installed_places("darwin", {"HOME": "/Volumes/staff/analyst"})
    assert "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" in mac
    assert "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge" in mac
    mine = "/Volumes/staff/analyst/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    assert mine in mac


def test_an_installed_browser_is_found_when_none_is_on_path(tmp_path: Path, monkeypatch):
    # Windows' path, as a file name here (backslashes and all): where Edge installs itself
    edge = Path(str(tmp_path) + r"\Microsoft\Edge\Application\msedge.exe")
    edge.write_text("")
    for name in report_pdf.BROWSER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(report_pdf.sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path))
    assert report_pdf.find_chromium() == str(edge)
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "elsewhere"))
    assert report_pdf.find_chromium() is None
    message = str(report_pdf.no_chromium())
    assert "--browser PATH" in message and "CSCKPI_BROWSER" in message
    assert "msedge.exe" in message  # a Windows path to copy


def test_browser_option_and_variable_are_used_first(tmp_path: Path, monkeypatch):
    mine = tmp_path / "my-chrome"
    mine.write_text("")
    monkeypatch.setenv("CSCKPI_BROWSER", str(mine))
    assert report_pdf.find_chromium() == str(mine)
    assert report_pdf.find_chromium(str(tmp_path / "other")) is None  # given: that one only
    with pytest.raises(OutputError) as caught:
        raise report_pdf.no_chromium(str(tmp_path / "other"))
    assert f"{tmp_path / 'other'} is not one here" in str(caught.value)


def test_a_browser_that_is_not_there_stops_the_report_before_any_work(tmp_path: Path):
    missing = tmp_path / "no-such-browser"
    out = tmp_path / "q3.pdf"
    result = runner.invoke(
        app, ["report", "-w", str(EXAMPLE), *Q3, "-o", str(out), "--browser", str(missing)]
    )
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert said.startswith(f"csckpi: Writing PDF needs Chrome, Edge or Chromium, and {missing}")
    assert "Drawing charts" not in result.stderr and not out.exists()
