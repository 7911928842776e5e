"""The sentence engine on comparisons built by hand: one behaviour per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from csckpi.compare import BenchmarkComparison, Comparison, MonthPoint
from csckpi.model import Comparator, Indicator, Measure, Polarity, Unit
from csckpi.narrate import (
    PatternError,
    PatternSet,
    Settings,
    Thresholds,
    load_patterns,
    paragraph,
    verdict,
)
from csckpi.periods import Month, Period, fy_months

Q3 = Period.of_quarter(2020, 3)
DEC = Period.of_month(Month(2020, 12))


def ind(
    unit: str = "percent",
    polarity: str = "up",
    measure: str = "ratio",
    target: float | None = None,
    phrase: str = "of visits were completed in time",
    title: str = "% visits in time",
    pattern: str = "",
    decimals: int | None = None,
) -> Indicator:
    return Indicator(
        code="X 001",
        title=title,
        section="Visits",
        unit=Unit(unit),
        polarity=Polarity(polarity),
        measure=Measure(measure),
        target=target,
        phrase=phrase,
        pattern=pattern,
        decimals=decimals,
    )


def bench(comparator: Comparator, value: float, source: str = "LAIT 2020") -> BenchmarkComparison:
    # relation and better are deliberately wrong: narrate decides them on the shown figures
    return BenchmarkComparison(comparator, "x", value, source, "2020", 0.0, "in line", None)


def comp(indicator: Indicator, period: Period = Q3, **facts) -> Comparison:
    months = facts.pop("months", None)
    if months is not None:
        start = Month(period.fy, 4)
        facts["months"] = tuple(
            MonthPoint(start + i, v) for i, v in enumerate(months + [None] * (12 - len(months)))
        )
    else:
        facts["months"] = tuple(MonthPoint(m, None) for m in fy_months(period.fy))
    facts.setdefault("council", "Darlington")
    facts.setdefault("target", indicator.target)
    if "last_year" in facts:
        facts.setdefault("last_year_period", period.last_year())
    if "previous" in facts:
        facts.setdefault("previous_period", period.previous())
    if "ytd" in facts:
        facts.setdefault("ytd_period", period.ytd())
    return Comparison(indicator=indicator, period=period, **facts)


def text(c: Comparison, summary: bool = True, settings: Settings | None = None, **kw) -> str:
    return paragraph(c, summary=summary, settings=settings, **kw).text


# -- headline --------------------------------------------------------------------------------


def test_a_ratio_quarter_with_its_year_to_date():
    c = comp(ind(), value=75.6, ytd=77.7)
    assert text(c) == (
        "75.6% of visits were completed in time during Q3 2020/21, "
        "with a year to date figure of 77.7%."
    )


def test_the_year_to_date_is_not_repeated_when_it_is_the_same_figure():
    assert text(comp(ind(), value=75.6, ytd=75.62)) == (
        "75.6% of visits were completed in time during Q3 2020/21."
    )


def test_a_snapshot_is_as_at_the_last_month():
    c = comp(ind("count", "none", "snapshot", phrase="children were in care"), value=284)
    assert text(c) == "284 children were in care as at December 2020."


def test_a_cumulative_percentage_is_a_year_to_date_with_its_parts():
    c = comp(ind(measure="cumulative"), value=85.2, numerator=455, denominator=534)
    assert text(c) == (
        "Year to date (April to December 2020), 85.2% (455 / 534) of visits were completed in time."
    )


def test_a_phrase_that_says_year_to_date_is_not_said_twice():
    i = ind(measure="cumulative", phrase="of visits were completed in time year to date")
    assert text(comp(i, value=93.4)) == (
        "Year to date (April to December 2020), 93.4% of visits were completed in time."
    )


def test_a_cumulative_count_speaks_of_the_quarter_and_the_year_to_date():
    i = ind("count", "none", "cumulative", phrase="assessments have been completed")
    c = comp(i, value=534, flow=203)
    assert text(c, last_year_flow=204) == (
        "203 assessments have been completed during Q3 2020/21, with a year to date total of "
        "534. This is comparable to the 204 assessments in Q3 2019/20."
    )


def test_a_rate_names_the_council():
    """As the report does: "Darlington currently has a rate of 39.2 per 10,000 ..." """
    i = ind("rate", "none", "snapshot", phrase="per 10,000 population for children on a plan")
    assert text(comp(i, value=39.198)) == (
        "Darlington had a rate of 39.2 per 10,000 population for children on a plan as at "
        "December 2020."
    )


def test_a_rate_without_a_phrase_or_per_10000_in_its_title():
    i = ind("rate", "none", "snapshot", phrase="", title="Rate of children in care")
    assert text(comp(i, value=126.5, council=None)) == (
        "The rate of children in care was 126.5 per 10,000 children aged 0-17 as at December 2020."
    )


def test_without_a_phrase_the_title_is_the_subject():
    i = ind(phrase="", title="% Care Leavers NEET", polarity="down", measure="snapshot")
    assert text(comp(i, value=26.5)) == (
        "The percentage of Care Leavers NEET was 26.5% as at December 2020."
    )


def test_a_noun_phrase_for_a_count_gets_there_were():
    i = ind("count", "none", "flow", phrase="missing episodes of children in care")
    assert text(comp(i, value=29)) == (
        "There were 29 missing episodes of children in care during Q3 2020/21."
    )


def test_decimals_come_from_the_indicator():
    assert text(comp(ind(decimals=2), value=75.555)).startswith("75.56% of visits")


# -- the target, through polarity -----------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "value", "words"),
    [
        ("up", 93.9, "positively above our target of 90%"),
        ("up", 85.8, "below our target of 90%"),
        ("down", 85.8, "positively below our target of 90%"),
        ("down", 93.9, "above our target of 90%"),
        ("up", 90.04, "in line with our target of 90%"),
        ("none", 93.9, "above our target of 90%"),
    ],
)
def test_the_target_through_polarity(polarity, value, words):
    c = comp(ind(polarity=polarity, target=90), value=value)
    assert text(c).endswith(f" This is {words}.")


def test_no_target_no_target_sentence():
    assert "target" not in text(comp(ind(target=None), value=75.6))


# -- benchmarks, grouped ---------------------------------------------------------------------


def test_benchmarks_grouped_by_relation_with_their_source():
    c = comp(
        ind(target=90, measure="cumulative"),
        value=85.2,
        target=90,
        benchmarks=(
            bench(Comparator.STATISTICAL_NEIGHBOURS, 87.7),
            bench(Comparator.REGION, 88.8),
            bench(Comparator.ENGLAND, 83.8),
        ),
    )
    assert text(c).split(". ", 1)[1] == (
        "This is below our target of 90%, statistical neighbours (87.7%) and the regional "
        "average (88.8%), but positively above the national average (83.8%), as recorded in "
        "LAIT 2020."
    )


def test_polarity_none_benchmarks_are_higher_or_lower_never_positive():
    c = comp(
        ind("rate", "none", "snapshot", phrase="per 10,000 children"),
        value=126.5,
        benchmarks=(bench(Comparator.REGION, 108.0), bench(Comparator.ENGLAND, 130.0)),
    )
    said = text(c)
    assert "This is higher than the regional average (108.0) and lower than the national " in said
    assert "positive" not in said


def test_benchmarks_from_different_sources_are_named_one_by_one():
    c = comp(
        ind(),
        value=80,
        benchmarks=(
            bench(Comparator.REGION, 70, "LAIT 2020"),
            bench(Comparator.ENGLAND, 75, "LAIT 2019"),
        ),
    )
    assert "the regional average (70.0%, LAIT 2020) and the national average (75.0%, " in text(c)


def test_a_benchmark_year_missing_from_its_source_is_said():
    b = BenchmarkComparison(Comparator.REGION, "x", 70, "LAIT", "2020", 0, "above", True)
    assert text(comp(ind(), value=80, benchmarks=(b,))).endswith(
        "positively above the regional average (70.0%), as recorded in LAIT for 2020."
    )


# -- last year -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "polarity", "now", "then", "words"),
    [
        ("count", "none", 203, 204, "comparable to the 204"),
        ("count", "none", 284, 280, "a slight increase on the 280"),
        ("count", "none", 88, 91, "a slight decrease on the 91"),
        ("count", "none", 30, 43, "a decrease on the 43"),
        ("count", "down", 30, 43, "a positive reduction on the 43"),
        ("count", "up", 30, 43, "a decrease on the 43"),
        ("percent", "up", 85.8, 77.7, "a positive increase on the 77.7%"),
        ("percent", "down", 85.8, 77.7, "an increase on the 77.7%"),
        ("percent", "up", 91.1, 90.4, "a slight increase on the 90.4%"),
        ("percent", "up", 91.1, 90.8, "comparable to the 90.8%"),
        ("percent", "up", 91.1, 91.1, "the same as the 91.1%"),
    ],
)
def test_last_year_in_words(unit, polarity, now, then, words):
    i = ind(unit, polarity, "flow" if unit == "count" else "ratio", phrase="things happened")
    c = comp(i, value=now, last_year=then)
    assert text(c).endswith(f" This is {words} in Q3 2019/20.")


def test_thresholds_can_be_set():
    c = comp(ind("count", "none", "flow", phrase="things happened"), value=284, last_year=280)
    loose = Settings(thresholds=Thresholds().with_text(comparable="2", slight="5"))
    tight = Settings(thresholds=Thresholds().with_text(comparable="0", slight="1"))
    assert text(c, settings=loose).endswith("This is comparable to the 280 in Q3 2019/20.")
    assert text(c, settings=tight).endswith("This is an increase on the 280 in Q3 2019/20.")


@pytest.mark.parametrize(
    ("comparable", "slight", "message"),
    [
        ("x", None, "'x' is not a threshold"),
        ("1/2/3", None, "'1/2/3' is not a threshold"),
        ("-1", None, "'-1' must be zero or more"),
        ("6", None, "'comparable' (6/6) must not be larger than 'slight' (5/1)"),
    ],
)
def test_bad_thresholds_say_why(comparable, slight, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Thresholds().with_text(comparable, slight)


def test_a_snapshot_last_year_is_as_at_and_names_the_things():
    i = ind("count", "none", "snapshot", phrase="children were in care")
    assert text(comp(i, value=284, last_year=280)) == (
        "284 children were in care as at December 2020. This is a slight increase on the 280 "
        "children as at December 2019."
    )


# -- what is not supported is not said ----------------------------------------------------------


def test_a_ratio_without_a_quarter_figure_gives_its_months():
    c = comp(
        ind(target=5, polarity="down"),
        value=None,
        months=[1, 2, 3, 4, 5, 6, 7.1, 9.1, 0.0],
        reason="percentages cannot be averaged over months",
    )
    assert text(c) == (
        "There is no Q3 2020/21 figure for the percentage of visits in time — percentages "
        "cannot be averaged over months. The monthly figures were 7.1% in October, 9.1% in "
        "November and 0.0% in December 2020."
    )


def test_without_a_quarter_figure_the_year_to_date_stands_in():
    c = comp(ind(target=5, polarity="down"), value=None, ytd=4.2, reason="no figure")
    assert text(c) == (
        "There is no Q3 2020/21 figure for the percentage of visits in time — no figure. "
        "Year to date (April to December 2020), 4.2% of visits were completed in time. "
        "This is positively below our target of 5%."
    )


def test_the_computed_figure_and_a_different_reported_one_are_both_said():
    i = ind("count", "none", "flow", phrase="children went missing")
    c = comp(i, value=21, basis="differs", reported=16)
    assert text(c) == (
        "21 children went missing during Q3 2020/21. The months add up to 21, but the "
        "workbook reports 16 for Q3 2020/21."
    )


# -- months, runs, parts and caution (the fuller analysis) -----------------------------------


def test_a_month_against_the_one_before():
    c = comp(ind(), DEC, value=99.3, previous=100.0, months=[100.0] * 8 + [99.3])
    assert "This is a small drop from 100.0% in November 2020." in text(c, summary=False)


def test_a_run_of_the_same_figure():
    c = comp(ind(), DEC, value=100.0, previous=100.0, months=[90.0] * 7 + [100.0, 100.0])
    said = text(c, summary=False)
    assert "The figure has been 100.0% for the second consecutive month." in said
    assert "November" not in said  # the run says it better than "unchanged from"


def test_a_run_back_to_april_says_so():
    c = comp(ind(), DEC, value=100.0, months=[100.0] * 9)
    assert "The figure has been 100.0% in every month since April 2020." in text(c, summary=False)


def test_a_run_against_the_target():
    c = comp(ind(target=90), DEC, value=92, target=90, months=[80, 95, 80, 85, 80, 85, 91, 93, 92])
    assert "It has been positively above target for the third month running." in text(
        c, summary=False
    )


def test_the_months_of_a_quarter_with_a_gap():
    c = comp(ind(), value=100.0, months=[None, None, 93.1, None, None, 90.9, None, None, 100.0])
    assert "The monthly figures were 100.0% in December 2020 (no figure for October and " in text(
        c, summary=False
    )


def test_a_small_denominator_gets_a_word_of_caution():
    c = comp(ind(), value=83.3, numerator=5, denominator=6)
    said = text(c)
    assert said.startswith("83.3% (5 / 6) of visits")
    assert said.endswith(
        "This percentage rests on only 6 cases, so each case moves it by 16.7 percentage "
        "points; read it with care."
    )
    assert "care" not in text(comp(ind(), value=95.5, numerator=21, denominator=22))
    assert "read it with care" not in text(c, settings=Settings(small_denominator=5))


def test_a_rate_says_its_count():
    i = ind("rate", "none", "snapshot", phrase="per 10,000 children")
    assert text(comp(i, value=126.5, numerator=284), summary=False).endswith(
        "The rate is worked out from a count of 284."
    )


# -- patterns --------------------------------------------------------------------------------


def test_a_pattern_column_replaces_the_paragraph():
    i = ind(target=90, pattern="In {period}, {value} {phrase}. That is {standing}.")
    assert text(comp(i, value=85.8, target=90)) == (
        "In Q3 2020/21, 85.8% of visits were completed in time. That is below our target of 90%."
    )


def test_a_pattern_sentence_without_data_is_left_out():
    i = ind(pattern="{headline}. Against the target, it is {standing}. Source: {council}.")
    assert text(comp(i, value=85.8, council=None)) == (
        "85.8% of visits were completed in time during Q3 2020/21."
    )


def test_a_pattern_with_an_unknown_placeholder_names_the_indicator():
    c = comp(ind(pattern="{headline}. {nonsense}."), value=85.8)
    with pytest.raises(PatternError, match=r"X 001: .*\{nonsense\}"):
        paragraph(c)


def test_a_patterns_file(tmp_path: Path):
    path = tmp_path / "patterns.toml"
    path.write_text(
        'summary = "{value} {phrase}."\n["x001"]\nanalysis = "Only {figure}."\n', encoding="utf-8"
    )
    settings = Settings(patterns=load_patterns(path))
    c = comp(ind(), value=85.8)
    assert text(c, settings=settings) == "85.8% of visits were completed in time."
    assert text(c, summary=False, settings=settings) == "Only 85.8%."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("summary = [1]", "must be text in quotes"),
        ('sumary = "{value}"', "'sumary' in the top level is not a pattern name"),
        ('summary = "{valu}"', "uses {valu}, which csckpi does not know"),
        ("summary = ", "is not valid TOML"),
        ('summary = "{value"', "is malformed"),
    ],
)
def test_a_bad_patterns_file_says_what_is_wrong(tmp_path: Path, content, message):
    path = tmp_path / "p.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PatternError, match=message.replace("{", r"\{").replace("}", r"\}")):
        load_patterns(path)


def test_a_missing_patterns_file(tmp_path: Path):
    with pytest.raises(PatternError, match="does not exist"):
        load_patterns(tmp_path / "none.toml")


def test_patterns_default_to_the_built_in_ones():
    summary, analysis = PatternSet().for_indicator("X001")
    assert summary.startswith("{headline}.") and "{months}" in analysis


# -- the verdict -------------------------------------------------------------------------------


def test_verdict_is_one_line_from_the_same_clauses():
    c = comp(
        ind(target=90, measure="cumulative"),
        value=85.2,
        target=90,
        benchmarks=(bench(Comparator.ENGLAND, 83.8),),
        last_year=88.7,
    )
    assert verdict(c) == (
        "85.2% year to date (April to December 2020): below our target of 90% but positively "
        "above the national average (83.8%), as recorded in LAIT 2020; a decrease on the 88.7% "
        "year to date as at December 2019."
    )


def test_verdict_with_nothing_to_compare():
    assert verdict(comp(ind("count", "none", "flow"), value=170)) == (
        "170 during Q3 2020/21: no target, benchmark or last year's figure to compare it with."
    )


def test_verdict_without_a_figure():
    c = comp(ind(), value=None, reason="no figures for Q3 2020/21")
    assert verdict(c) == "No Q3 2020/21 figure: no figures for Q3 2020/21."
