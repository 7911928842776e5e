"""A small report built by hand as plain data (for the renderers' tests), and tests of the
plain-data helpers in csckpi.report."""

from __future__ import annotations

import datetime as dt

from csckpi import numbers
from csckpi.model import Unit
from csckpi.report import (
    Chart,
    Column,
    OverviewRow,
    Panel,
    Report,
    Section,
    TableRow,
    chart_kind,
    slug,
    y_label,
)

MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
MONTH_LABELS = tuple(f"{m}-{20 if i < 9 else 21}" for i, m in enumerate(MONTHS))


def _pad(values: list[float | None]) -> tuple[float | None, ...]:
    return tuple(values) + (None,) * (12 - len(values))


def _section(
    name: str,
    ident: str,
    indicators: list[tuple[str, str, Unit, float | None, list[float | None], list[float | None]]],
    annual: list[tuple[str, list[float | None]]],
    analysis: tuple[str, ...],
) -> Section:
    columns = tuple(
        Column(code, title, unit, 1 if unit != Unit.COUNT else 0)
        for code, title, unit, *_ in indicators
    )
    rows = [
        TableRow(
            "target",
            "Target",
            tuple(
                numbers.target(t, u, c.decimals)
                for (_, _, u, t, *_), c in zip(indicators, columns, strict=True)
            ),
            tuple(t for _, _, _, t, *_ in indicators),
        )
    ]
    for i, label in enumerate(MONTH_LABELS):
        values = tuple(_pad(this)[i] for *_, this, _last in indicators)
        rows.append(
            TableRow(
                "month",
                label,
                tuple(numbers.number(v, c.decimals) for v, c in zip(values, columns, strict=True)),
                values,
                future=i >= 9,  # the report is on Q3: January to March are still to come
            )
        )
    for label, values in annual:
        rows.append(
            TableRow(
                "annual",
                label,
                tuple(numbers.number(v, c.decimals) for v, c in zip(values, columns, strict=True)),
                tuple(values),
            )
        )
    panels = tuple(
        Panel(
            code=code,
            title=title,
            unit=unit,
            kind=chart_kind(unit),
            months=MONTHS,
            this_year=_pad(this),
            last_year=_pad(last),
            this_label="2020/21",
            last_label="2019/20",
            target=target,
            decimals=1 if unit != Unit.COUNT else 0,
            y_label=y_label(unit),
        )
        for code, title, unit, target, this, last in indicators
    )
    return Section(
        name=name,
        id=ident,
        definition=(f"What {name} measures & why.",),
        analysis=analysis,
        columns=columns,
        rows=tuple(rows),
        chart=Chart(ident, name, panels),
    )


def sample_report() -> Report:
    care_title = '=HYPERLINK("x") % newly into care with an Initial Health Assessment'
    referrals = _section(
        "Referrals - Timeliness",
        "referrals-timeliness",
        [
            (
                "CSC 022",
                "Monthly % of referrals completed within 1 working day.",
                Unit.PERCENT,
                90.0,
                [71.1, 75.7, 86.8, 81.8, 83.3, 71.1, 75.8, 63.6, 88.2],
                [88.0, 90.1, 85.5, 84.0, 86.2, 87.9, 80.4, 84.8, 88.8, 90.2, 91.0, 86.3],
            ),
            (
                "CSC 026",
                "Monthly % of referrals completed in over 3 working days.",
                Unit.PERCENT,
                5.0,
                [0.0, 10.7, 0.0, 0.0, 4.6, 3.6, 7.1, 9.1, 0.0],
                [1.0, 2.0, 0.0, 1.5, 2.2, 1.1, 0.0, 3.0, 1.2, 2.4, 1.8, 1.0],
            ),
        ],
        [("2018/19", [98.2, 0.0]), ("2019/20", [86.8, 1.6]), ("2020/21 YTD", [77.7, 4.2])],
        ("75.6% of referrals were completed within 1 working day during Q3 2020/21.",),
    )
    care = _section(
        "Children in Care",
        "children-in-care",
        [
            (
                "CSC 201",
                "Total number of Children in Care",
                Unit.COUNT,
                None,
                [280, 287, 291, 302, 303, 302, 292, 287, 284],
                [270, 272, 275, 276, 279, 281, 280, 282, 280, 279, 281, 280],
            ),
            (
                "CSC 200",
                "Rate of Children in Care Per 10,000 population",
                Unit.RATE,
                None,
                [124.7, 127.8, 129.6, 134.5, 134.9, 134.5, 130.0, 127.8, 126.5],
                [None] * 12,
            ),
        ],
        [("2019/20", [280, 124.7]), ("2020/21 YTD", [284, 126.5])],
        (
            "284 children are in care as at December 2020.",
            "The rate is 126.5 per 10,000 <children> & young people.",
        ),
    )
    health = _section(
        "Children in Care - Initial Health Assessments",
        "children-in-care-initial-health-assessments",
        [
            (
                "CSC IHA",
                care_title,
                Unit.PERCENT,
                95.0,
                [None, None, 93.1, None, None, 90.9, None, None, 100.0],
                [None] * 12,
            )
        ],
        [("2020/21 YTD", [93.4])],
        (),
    )

    def row(section, code, title, value, ytd, target, rag, direction, unit=Unit.PERCENT):
        places = 0 if unit is Unit.COUNT else 1
        return OverviewRow(
            section=section,
            code=code,
            title=title,
            value=numbers.number(value, places) + ("%" if unit is Unit.PERCENT else ""),
            ytd=numbers.number(ytd, places) + ("%" if unit is Unit.PERCENT else ""),
            target=numbers.target(target, unit, places),
            rag=rag,
            direction=direction,
            raw_value=value,
            raw_ytd=ytd,
            raw_target=target,
            unit=unit,
            decimals=places,
        )

    overview = (
        row(
            "Referrals - Timeliness",
            "CSC 022",
            "Monthly % of referrals completed within 1 working day.",
            75.6,
            77.7,
            90.0,
            "red",
            "worsened",
        ),
        row(
            "Referrals - Timeliness",
            "CSC 026",
            "Monthly % of referrals completed in over 3 working days.",
            4.2,
            4.2,
            5.0,
            "green",
            "worsened",
        ),
        row(
            "Children in Care",
            "CSC 201",
            "Total number of Children in Care",
            284,
            284,
            None,
            None,
            "up",
            Unit.COUNT,
        ),
        row(
            "Children in Care",
            "CSC 200",
            "Rate of Children in Care Per 10,000 population",
            126.5,
            126.5,
            None,
            None,
            "up",
            Unit.RATE,
        ),
        row(
            "Children in Care - Initial Health Assessments",
            "CSC IHA",
            care_title,
            100.0,
            93.4,
            95.0,
            "amber",
            None,
        ),
    )
    return Report(
        title="Children's Social Care Performance & Quality Assurance Report",
        council="Testborough",
        period="Q3 2020/21",
        period_long="Quarter 3 (October – December 2020)",
        summary_heading="Performance Summary: Quarter 3 2020/21 (October to December 2020)",
        generated=dt.date(2021, 1, 20),
        source="testborough.xlsx",
        sha256="0" * 63 + "1",
        overview=overview,
        summary=(
            ("Referrals - Timeliness", "75.6% of referrals were completed within 1 working day."),
            ("Children in Care", "284 children are in care as at December 2020."),
        ),
        sections=(referrals, care, health),
        messages=(
            "Referrals completed within 1 working day: 75.6%, 14.4 percentage points below our "
            "target of 90.0%, rated red.",
            "Children in care: 284 <as at> December 2020 & =SUM(A1) a rise on last year.",
        ),
    )


# -- the plain-data helpers (how a figure is written: tests/test_numbers.py) ------------------


def test_slugs_are_unique_within_a_report():
    taken: set[str] = set()
    assert slug("Referrals - Re-Referrals", taken) == "referrals-re-referrals"
    assert slug("Referrals: Re-referrals", taken) == "referrals-re-referrals-2"
    assert slug("???", taken) == "section"


def test_the_sample_report_is_consistent():
    report = sample_report()
    for section in report.sections:
        assert [row.kind for row in section.rows[:13]] == ["target"] + ["month"] * 12
        assert all(len(row.cells) == len(section.columns) for row in section.rows)
        assert len(section.chart.panels) == len(section.columns)
