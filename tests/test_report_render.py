"""The report's renderers on a report built by hand: HTML, XLSX, Markdown, PDF (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import Dom
from conftest import assert_golden
from test_report_sample import sample_report

from csckpi.errors import OutputError
from csckpi.render.report_html import css_string, render_html
from csckpi.render.report_md import write_markdown
from csckpi.render.report_pdf import write_pdf
from csckpi.render.report_xlsx import sheet_name, write_xlsx

# -- HTML -------------------------------------------------------------------------------------


def test_html_is_unchanged():
    assert_golden("report_sample.html", render_html(sample_report()))


def test_html_has_every_part_in_order_and_a_chart_per_section():
    report = sample_report()
    html = render_html(report)
    dom = Dom(html)
    ids = [
        a["id"]
        for _t, a in dom.tags
        if a.get("id", "").startswith(("title", "messages", "overview", "summary", "section-"))
    ]
    assert ids == [
        "title",
        "messages",
        "overview",
        "summary",
        "section-referrals-timeliness",
        "section-children-in-care",
        "section-children-in-care-initial-health-assessments",
    ]
    assert len(dom.find("section", "report-section")) == len(report.sections)
    assert len(dom.find("svg", "chart")) == len(report.sections)
    assert len(dom.find("figure", "chart")) == len(report.sections)


def test_html_is_self_contained():
    html = render_html(sample_report())
    dom = Dom(html)
    assert not dom.find("script") and not dom.find("link") and not dom.find("img")
    for _tag, attrs in dom.tags:
        for name, value in attrs.items():
            assert not value.lower().startswith(("http:", "https:", "//")), (name, value)
    assert "url(" not in "".join(dom.styles) and "@import" not in "".join(dom.styles)
    assert "http://" not in html and "https://" not in html


def test_html_month_table_has_the_target_row_the_year_and_the_annual_trend():
    html = render_html(sample_report())
    section = html.split('id="section-referrals-timeliness"')[1].split("</section>")[0]
    rows = re.findall(r'<tr class="([^"]*)">(.*?)</tr>', section)
    assert [cls for cls, _ in rows] == (
        ["group", "target"] + ["month"] * 9 + ["month future"] * 3 + ["group"] + ["annual"] * 3
    )
    cells = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", body) for _, body in rows]
    assert cells[0] == ["IN MONTH PERFORMANCE"]
    assert cells[1] == ["Target", "90%", "5%"]
    assert cells[10] == ["Dec-20", "88.2", "0.0"]
    assert cells[11] == ["Jan-21", "", ""]
    assert cells[14] == ["ANNUAL TREND"]
    assert cells[15] == ["2018/19", "98.2", "0.0"]
    assert cells[17] == ["2020/21 YTD", "77.7", "4.2"]


def test_html_escapes_every_text_and_rag_is_a_word_as_well_as_a_colour():
    html = render_html(sample_report())
    assert "&lt;children&gt; &amp; young people" in html
    assert '<td class="rag rag-red">Red</td>' in html
    assert '<td class="rag rag-amber">Amber</td>' in html


def test_html_prints_on_a4_each_section_kept_whole():
    html = render_html(sample_report())
    assert "size: A4" in html
    assert re.search(r"\.report-section \{ break-inside: avoid;", html)
    assert "content: \"Testborough · Children's Social Care" in html


def test_chart_captions_name_only_what_is_drawn():
    html = render_html(sample_report())
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", html)
    assert captions == [
        "Referrals - Timeliness: each month of 2020/21 against 2019/20, with the target.",
        "Children in Care: each month of 2020/21 against 2019/20.",
        "Children in Care - Initial Health Assessments: each month of 2020/21 against the target.",
    ]


def test_css_strings_cannot_break_out_of_the_style_element():
    assert css_string('a"b</style><x>') == '"a\\22 b\\3c /style\\3e \\3c x\\3e "'


def test_html_reports_progress_once_per_chart():
    calls: list[tuple[int, int]] = []
    render_html(sample_report(), lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


# -- XLSX -------------------------------------------------------------------------------------


def test_xlsx_has_an_overview_with_rag_fills_a_sheet_per_section_and_charts(tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Overview",
        "Summary",
        "Referrals - Timeliness",
        "Children in Care",
        "CiC - Initial Health Asmts",
        "Notes for the analyst",  # the source, kept from the committee's cover
    ]
    ws = wb["Overview"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Section")
    rags = {
        ws.cell(r, 2).value: (ws.cell(r, 8).value, ws.cell(r, 8).fill.fgColor.rgb)
        for r in range(header + 1, ws.max_row + 1)
    }
    assert rags["CSC 022"] == ("Red", "00F4C0BD")
    assert rags["CSC 026"] == ("Green", "00C6E8C9")
    assert rags["CSC IHA"] == ("Amber", "00FDE3A7")
    assert rags["CSC 201"] == (None, "00000000")
    assert [ws.cell(header, c).value for c in (4, 5, 6)] == ["Q3 2020/21", "Year to date", "Target"]
    assert [ws.cell(header + 1, c).value for c in (4, 5, 6)] == [75.6, 77.7, 90]  # numbers
    assert [len(wb[name]._charts) for name in wb.sheetnames[2:-1]] == [2, 2, 1]


def test_xlsx_section_sheet_holds_definition_analysis_and_table(tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)
    ws = load_workbook(path)["Referrals - Timeliness"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert col_a[0] == "REFERRALS - TIMELINESS"
    assert "DEFINITION" in col_a and "PERFORMANCE ANALYSIS" in col_a
    assert "IN MONTH PERFORMANCE" in col_a and "ANNUAL TREND" in col_a
    target = col_a.index("IN MONTH PERFORMANCE") + 1
    assert [ws.cell(target, c).value for c in (2, 3, 4)] == ["Target", 90, 5]
    dec = target + 9
    assert [ws.cell(dec, c).value for c in (2, 3, 4)] == ["Dec-20", 88.2, 0]
    assert [ws.cell(dec + 1, c).value for c in (2, 3, 4)] == ["Jan-21", None, None]


def test_xlsx_text_cells_are_never_formulas(tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)
    wb = load_workbook(path)
    found = [
        cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert found and all(value.startswith("'=") for value in found)
    assert all(
        cell.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
    )


def test_sheet_names_are_legal_and_unique():
    taken = {"overview"}
    assert sheet_name("Overview", taken) == "Overview (2)"
    assert sheet_name("A/B: C?", taken) == "A-B- C-"
    long = "Children in Care - Dental Health Assessments"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert first == "CiC - Dental Health Assessments" and second == "CiC - Dental Health (2)"
    assert sheet_name("Placements of Looked After Children Outside the Borough", taken) == (
        "Placements of Looked After"  # at a word, never mid-word
    )


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_links_an_svg_per_section_beside_it(tmp_path: Path):
    path = tmp_path / "report.md"
    written = write_markdown(sample_report(), path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "report.md",
        "report_files/referrals-timeliness.svg",
        "report_files/children-in-care.svg",
        "report_files/children-in-care-initial-health-assessments.svg",
    ]
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == [p.relative_to(tmp_path).as_posix() for p in written[1:]]
    assert all((tmp_path / link).read_text().startswith("<svg xmlns=") for link in links)
    assert_golden("report_sample.md", text)


# -- PDF without a browser --------------------------------------------------------------------


def test_pdf_without_chromium_says_how_to_get_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CSCKPI_BROWSER", raising=False)
    monkeypatch.setenv("CSCKPI_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(OutputError) as caught:
        write_pdf(sample_report(), tmp_path / "report.pdf")
    assert "--browser PATH" in str(caught.value)
    assert "-o report.html" in str(caught.value)
    assert not (tmp_path / "report.pdf").exists()


# -- what the overview's columns mean, said in every format --------------------------------


def test_every_format_says_what_rag_and_direction_mean(tmp_path: Path):
    """A committee reader sees "Up" beside "Improved" and blank cells: the key under the
    overview says what each means, in HTML, Markdown and XLSX alike."""
    from openpyxl import load_workbook

    from csckpi.report import OVERVIEW_KEY

    report = sample_report()
    assert "Improved or Worsened" in OVERVIEW_KEY and "Up or Down" in OVERVIEW_KEY
    dom = Dom(render_html(report))
    keys = dom.find("p", "key")
    assert len(keys) == 1
    html = render_html(report)
    assert html.index('<p class="key">') > html.index("</table>") > html.index('id="overview"')
    md = tmp_path / "report.md"
    write_markdown(report, md)
    text = md.read_text(encoding="utf-8")
    assert f"*{OVERVIEW_KEY}*" in text
    assert text.index(OVERVIEW_KEY) < text.index("Performance Summary")
    xlsx = tmp_path / "report.xlsx"
    write_xlsx(report, xlsx)
    ws = load_workbook(xlsx)["Overview"]
    (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Key"]
    assert ws.cell(row, 2).value == OVERVIEW_KEY
    assert row > int(ws.auto_filter.ref.split(":")[1][1:])  # outside the filtered table


def test_markdown_chart_text_names_only_what_is_drawn(tmp_path: Path):
    """The initial health assessments chart has no last year: its alt text must not say one."""
    md = tmp_path / "report.md"
    write_markdown(sample_report(), md)
    alts = re.findall(r"!\[([^\]]*)\]", md.read_text(encoding="utf-8"))
    assert (
        alts[2]
        == "Children in Care - Initial Health Assessments: each month of 2020/21 against the "
        "target."
    )
    assert "target" not in alts[1] and "2019/20" in alts[1]


def test_the_summary_heading_names_the_period_as_a_committee_report_does(tmp_path: Path):
    """Was "Dec-20 Performance Summary" (the period's label first): now the heading narrate
    --summary writes ("Performance Summary: Quarter 3 2020/21 (October to December 2020)"), in
    HTML, Markdown and XLSX alike."""
    from openpyxl import load_workbook

    report = sample_report()
    heading = report.summary_heading
    assert f"<h2>{heading}</h2>" in render_html(report).replace("&nbsp;", " ")
    md = tmp_path / "report.md"
    write_markdown(report, md)
    assert f"## {heading}\n" in md.read_text(encoding="utf-8")
    xlsx = tmp_path / "report.xlsx"
    write_xlsx(report, xlsx)
    ws = load_workbook(xlsx)["Summary"]
    assert heading in [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert report.period not in heading
