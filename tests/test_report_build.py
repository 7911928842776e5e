"""The report's content, built from the example workbook, against the reference report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import assert_golden

from csckpi.compute import resolve_period
from csckpi.model import Unit
from csckpi.periods import Period
from csckpi.report import Report, Section, build, period_long
from csckpi.workbook import read_dataset

GENERATED = dt.date(2021, 1, 20)


@pytest.fixture(scope="module")
def dataset():
    from conftest import EXAMPLE

    return read_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def q3(dataset) -> Report:
    return build(dataset, resolve_period(dataset, "Q3 2020/21"), generated=GENERATED)


def _section(report: Report, name: str) -> Section:
    return next(s for s in report.sections if s.name == name)


def _table(section: Section) -> dict[str, tuple[str, ...]]:
    return {row.label: row.cells for row in section.rows}


def test_title_block(q3: Report):
    assert q3.council == "Darlington"
    assert q3.title == "Children's Social Care Performance & Quality Assurance Report"
    assert (q3.period, q3.period_long) == ("Q3 2020/21", "Quarter 3 (October – December 2020)")
    assert q3.generated == GENERATED
    assert q3.source == "darlington-2020-21-q3.xlsx"


def test_a_section_per_workbook_section_in_workbook_order(dataset, q3: Report):
    expected = list(
        dict.fromkeys(i.section for i in sorted(dataset.indicators, key=lambda i: i.order))
    )
    assert [s.name for s in q3.sections] == expected
    assert len(q3.sections) == 20
    assert len({s.id for s in q3.sections}) == 20
    for section in q3.sections:
        assert [p.code for p in section.chart.panels] == [c.code for c in section.columns]


def test_referrals_table_is_the_reference_reports(q3: Report):
    table = _table(_section(q3, "Referrals - Timeliness"))
    assert table["Target"] == ("90%", "5%")
    assert table["Apr-20"] == ("71.1", "0.0")
    assert table["Nov-20"] == ("63.6", "9.1")
    assert table["Dec-20"] == ("88.2", "0.0")
    assert table["Jan-21"] == ("", "")
    assert table["2017/18"] == ("96.0", "1.8")
    assert table["2020/21 YTD"] == ("77.7", "4.2")
    rows = _section(q3, "Referrals - Timeliness").rows
    assert [r.kind for r in rows] == ["target"] + ["month"] * 12 + ["annual"] * 4
    assert [r.future for r in rows if r.kind == "month"] == [False] * 9 + [True] * 3


def test_counts_and_rates_as_the_reference_writes_them(q3: Report):
    assessments = _table(_section(q3, "Assessments"))
    assert assessments["Dec-20"] == ("534",)
    assert assessments["2017/18"] == ("1,002",)
    care = _table(_section(q3, "Children in Care"))
    assert care["Dec-20"] == ("284", "126.5")


def test_overview_has_every_indicator_with_value_target_rag_direction(dataset, q3: Report):
    assert [r.code for r in q3.overview] == [
        i.code for i in sorted(dataset.indicators, key=lambda i: i.order)
    ]
    by_code = {r.code: r for r in q3.overview}
    assert (by_code["CSC 022"].value, by_code["CSC 022"].ytd) == ("75.6%", "77.7%")
    assert (by_code["CSC 022"].target, by_code["CSC 022"].rag) == ("90%", "red")
    assert (by_code["CSC 228"].value, by_code["CSC 228"].rag) == ("6.7%", "green")
    assert by_code["CSC 201"].rag is None and by_code["CSC 201"].value == "284"
    # a cumulative count: the quarter's own count in the quarter's column, the total to date
    # in the year-to-date column
    assert (by_code["CSC 036"].value, by_code["CSC 036"].ytd) == ("203", "534")
    assert (by_code["CSC 036"].raw_value, by_code["CSC 036"].raw_ytd) == (203, 534)
    assert by_code["CSC 038"].value == "85.2%"  # a cumulative percentage is its figure
    assert by_code["CSC 246C"].value == "16"  # a distinct count: the reported figure


def test_a_year_to_date_overview_shows_a_cumulative_counts_total(dataset):
    ytd = build(dataset, resolve_period(dataset, "2020/21 YTD"), generated=GENERATED)
    by_code = {r.code: r for r in ytd.overview}
    assert (by_code["CSC 036"].value, by_code["CSC 036"].ytd) == ("534", "534")


def test_the_overview_in_html_markdown_and_xlsx_shows_the_quarters_own_count(
    q3: Report, tmp_path: Path
):
    from openpyxl import load_workbook

    from csckpi.render.report_html import render_html
    from csckpi.render.report_md import write_markdown
    from csckpi.render.report_xlsx import write_xlsx

    html = render_html(q3)
    row = html.split('<td class="code">CSC 036</td>', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">203</td><td class="num">534</td>' in row
    md_path = tmp_path / "q3.md"
    write_markdown(q3, md_path)
    md_row = next(x for x in md_path.read_text("utf-8").splitlines() if x.startswith("| CSC 036"))
    assert md_row.split(" | ")[2:4] == ["203", "534"]
    xlsx = tmp_path / "q3.xlsx"
    write_xlsx(q3, xlsx)
    sheet = load_workbook(xlsx)["Overview"]
    cells = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "CSC 036")
    assert cells[3:5] == (203, 534)


def test_charts_bars_for_counts_lines_otherwise_months_to_the_period(q3: Report):
    panels = {p.code: p for s in q3.sections for p in s.chart.panels}
    assert panels["CSC 201"].kind == "bar" and panels["CSC 200"].kind == "line"
    assert panels["CSC 022"].this_year[:9] == (71.1, 75.7, 86.8, 81.8, 83.3, 71.1, 75.8, 63.6, 88.2)
    assert panels["CSC 022"].this_year[9:] == (None, None, None)
    assert panels["CSC 022"].target == 90
    assert (panels["CSC 022"].this_label, panels["CSC 022"].last_label) == ("2020/21", "2019/20")
    assert panels["CSC 200"].y_label == "Rate per 10,000 aged 0–17"


def test_summary_and_analysis_come_from_narrate(q3: Report):
    headings = [h for h, _ in q3.summary if h]
    assert headings[0] == "Referrals - Timeliness"
    assert len(headings) == len(set(headings))  # each section heads its paragraphs once
    assert q3.summary[0][1].startswith("75.6% of referrals")
    analysis = " ".join(_section(q3, "Assessments - Timeliness").analysis)
    assert "85.2%" in analysis and "87.7%" in analysis


def test_an_earlier_quarter_stops_its_months_and_year_to_date_there(dataset):
    q2 = build(dataset, resolve_period(dataset, "Q2 2020/21"), generated=GENERATED)
    table = _table(_section(q2, "Assessments"))
    assert table["Sep-20"] == ("331",)
    assert table["Oct-20"] == ("",)  # the workbook has October, but the report is on Q2
    assert table["2020/21 YTD"] == ("331",)
    panel = _section(q2, "Assessments").chart.panels[0]
    assert panel.this_year[5] == 331 and panel.this_year[6] is None


def test_month_tables_are_unchanged(q3: Report):
    """Every section's table, as text: a reviewable record of the figures the report shows."""
    lines = []
    for section in q3.sections:
        lines.append(f"## {section.name}")
        lines.append(" | ".join(["", *(c.code for c in section.columns)]))
        for row in section.rows:
            lines.append(" | ".join([row.label, *row.cells]))
    assert_golden("report_example_tables.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.of_quarter(2020, 3), "Quarter 3 (October – December 2020)"),
        (Period.of_quarter(2020, 4), "Quarter 4 (January – March 2021)"),
        (Period.of_year(2019), "Financial year 2019/20 (April 2019 – March 2020)"),
    ],
)
def test_period_long(period, expected):
    assert period_long(period) == expected


def test_period_long_for_months_and_years_to_date():
    from csckpi.periods import Month

    assert period_long(Period.of_month(Month(2020, 12))) == "December 2020"
    assert period_long(Period.of_ytd(2020, Month(2020, 12))) == (
        "Year to date (April – December 2020)"
    )


def test_a_report_with_no_figures_for_an_indicator_still_has_its_section(tmp_path: Path, dataset):
    import dataclasses

    from csckpi.model import Indicator, Measure, Polarity

    extra = Indicator(
        "NEW 1",
        "A new indicator",
        "New Section",
        Unit.COUNT,
        Polarity.NONE,
        Measure.FLOW,
        order=999,
    )
    ds = dataclasses.replace(dataset, indicators=(*dataset.indicators, extra))
    report = build(ds, resolve_period(ds, "Q3 2020/21"), generated=GENERATED)
    section = _section(report, "New Section")
    assert all(not any(row.cells) for row in section.rows)
    assert section.chart.panels[0].this_year == (None,) * 12


def test_a_report_computes_each_indicators_figures_and_facts_once(dataset, monkeypatch):
    """The overview, the tables, the summary and the analysis all read one comparison per
    indicator: compute, the annual trend and the months are worked out once for the report,
    and each indicator's facts once."""
    import csckpi.compute
    import csckpi.facts

    calls: dict[str, int] = {}

    def counted(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for name in ("compute", "annual", "monthly_values"):
        counted(csckpi.compute, name)
    counted(csckpi.facts, "facts_of")
    report = build(dataset, resolve_period(dataset, "Q3 2020/21"), generated=GENERATED)
    assert report.summary and any(s.analysis for s in report.sections)
    indicators = len(dataset.indicators)
    assert calls == {
        "compute": 1,
        "annual": 1,
        "monthly_values": 1,
        "facts_of": indicators,
    }


def test_the_annual_trend_has_one_row_per_year_labelled_alike(q3: Report):
    """CSC 178/176 showed "2020/21 100.0" (the workbook's own figure for the running year of an
    in-month indicator) and "2020/21 YTD 92.5" as two rows; the reference report has one
    2020/21 row, each indicator's figure in its column. CSC IHA's was labelled "2020/21"
    where every other section says "2020/21 YTD"."""
    icpc = _section(q3, "Initial Child Protection Conferences - Timeliness")
    annual = [(r.label, r.cells) for r in icpc.rows if r.kind == "annual"]
    assert annual == [
        ("2018/19", ("95.4", "95.4")),
        ("2019/20", ("89.5", "89.5")),
        ("2020/21 YTD", ("100.0", "92.5")),
    ]
    visits = _table(_section(q3, "Child Protection - Statutory Visits"))
    assert visits["2020/21 YTD"] == ("88.4", "98.7", "88.2", "98.0")
    assert "2020/21" not in visits
    iha = _section(q3, "Children in Care - Initial Health Assessments")
    assert [r.label for r in iha.rows if r.kind == "annual"][-1] == "2020/21 YTD"
    for section in q3.sections:
        labels = [r.label for r in section.rows if r.kind == "annual"]
        assert len(labels) == len(set(labels)), section.name
        assert [label for label in labels if label.startswith("2020/21")] == ["2020/21 YTD"]
