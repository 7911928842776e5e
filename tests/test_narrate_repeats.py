"""A paragraph does not say its subject's long noun again and again (issue 16): an
abbreviation in brackets at the first mention only, a short form after it."""

from __future__ import annotations

from csckpi.compare import Comparison, MonthPoint
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.narrate import paragraph
from csckpi.narrate import words as w
from csckpi.narrate.check import disagreements
from csckpi.periods import Month, Period, fy_months


def _eha(
    value: float, previous: float, last_year: float | None = None, period: Period | None = None
) -> Comparison:
    ind = Indicator(
        code="CSC 002",
        title="Total number of individual EHA's started",
        section="Early Help",
        unit=Unit.COUNT,
        polarity=Polarity.NONE,
        measure=Measure.FLOW,
        phrase="Early Help Assessments (EHA) were started",
    )
    q3 = period or Period.of_quarter(2020, 3)
    return Comparison(
        indicator=ind,
        period=q3,
        value=value,
        basis="computed",
        months=tuple(MonthPoint(m, None) for m in fy_months(2020)),
        previous=previous,
        previous_period=q3.previous(),
        last_year=last_year,
        last_year_period=q3.last_year() if last_year is not None else None,
    )


def test_the_abbreviation_once_and_the_long_noun_not_three_times():
    """CSC 002: "170 Early Help Assessments (EHA) ... the 163 Early Help Assessments (EHA) ...
    (7 more Early Help Assessments)"."""
    c = _eha(170, 120, last_year=163)
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    assert made.text.count("Early Help Assessments") == 1
    assert made.text.count("(EHA)") == 1
    assert "the 163 EHAs in Q3 2019/20 (7 more)" in made.text


def test_a_count_change_keeps_its_noun_where_the_sentence_has_not_said_it():
    c = _eha(41, 40, period=Period.of_month(Month(2020, 12)))
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    assert " from 40 in November 2020 (1 more EHA)." in made.text


def test_said_again():
    assert w.said_again("Early Help Assessments (EHA)") == "EHAs"
    assert w.said_again("Children in Care (CiC)") == "Children in Care"
    assert w.said_again("children") == "children"
    assert w.said_again("C&F assessments") == "C&F assessments"
