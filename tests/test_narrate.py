"""The sentence engine on comparisons built by hand: one behaviour per test."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from csckpi.compare import Benchmark, Comparison, MonthPoint
from csckpi.model import Comparator, Indicator, Measure, Polarity, Unit
from csckpi.narrate import (
    Audience,
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


def bench(comparator: Comparator, value: float, source: str = "LAIT 2020") -> Benchmark:
    """A benchmark's figure; the comparison judges it (``Comparison.facts``)."""
    return Benchmark(comparator, "x", value, source, "2020")


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


#: The plain phrasing: these tests hold the wording rules (the varied phrasings are
#: tests/test_narrate_phrasing.py's).
PLAIN = Settings(vary=False)


def plain(**kw) -> Settings:
    return Settings(vary=False, **kw)


def text(c: Comparison, summary: bool = True, settings: Settings | None = None, **kw) -> str:
    return paragraph(c, summary=summary, settings=settings or PLAIN, **kw).text


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
    c = comp(i, value=534, flow=203, last_year_flow=204)
    assert text(c) == (
        "203 assessments have been completed during Q3 2020/21, with a year to date total of "
        "534. The quarter's figure is comparable to the 204 assessments in Q3 2019/20 (1 fewer)."
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


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Monthly % of referrals done in 1 day", "The percentage of referrals done in 1 day"),
        (
            "Number of EHA's started in month (inc. external)",
            "The number of EHA's started (inc. external)",
        ),
        ("Number of assessments completed year to date", "The number of assessments completed"),
        (
            "% visits within 10 days year to date (cumulative)",
            "The percentage of visits within 10 days",
        ),
        (
            "% of enquiries within 15 days (Cumulative)",
            "The percentage of enquiries within 15 days",
        ),
        ("% visits completed within the month", "The percentage of visits completed"),
        ("Number of visits in the month of birth", "The number of visits in the month of birth"),
        (
            "% ICPC within 15 days (CPP). Excludes transfers.",
            "The percentage of ICPC within 15 days (CPP)",
        ),
    ],
)
def test_a_title_without_a_phrase_does_not_contradict_the_period(title, subject):
    """A title's "Monthly", "in month", "year to date" or "(Cumulative)" says how its months
    are counted; beside "during Q3 2020/21" it would contradict the sentence."""
    i = ind("count", "none", "flow", phrase="", title=title)
    assert text(comp(i, value=30)) == f"{subject} was 30 during Q3 2020/21."


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
    b = Benchmark(Comparator.REGION, "x", 70, "LAIT", "2020")
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
    loose = plain(thresholds=Thresholds().with_text(comparable="2", slight="5"))
    tight = plain(thresholds=Thresholds().with_text(comparable="0", slight="1"))
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
        "children as at December 2019 (4 more)."
    )


# -- what is not supported is not said ----------------------------------------------------------


def test_a_ratio_without_a_quarter_figure_gives_its_months():
    c = comp(
        ind(target=5, polarity="down"),
        value=None,
        months=[1, 2, 3, 4, 5, 6, 7.1, 9.1, 0.0],
        reason="percentages cannot be averaged over months",
    )
    para = paragraph(c, summary=True, settings=PLAIN)
    # committee text in plain words; the precise reason stays in the facts (JSON)
    assert para.text == (
        "The workbook gives the percentage of visits in time month by month only, so there is "
        "no Q3 2020/21 figure. The percentage of visits in time was 7.1% in October, 9.1% in "
        "November and 0.0% in December 2020."
    )
    assert para.sentences[0].facts[0].as_dict() == {
        "kind": "missing",
        "period": "Q3 2020/21",
        "reason": "percentages cannot be averaged over months",
    }
    assert "averaged" not in para.text and "numerator" not in para.text


def test_monthly_is_not_said_beside_month_by_month():
    i = ind(title="Monthly % of referrals completed in time (monthly)")
    c = comp(i, value=None, months=[1, 2, 3, 4, 5, 6, 7.1, 9.1, 0.0], reason="x")
    assert text(c).startswith(
        "The workbook gives the percentage of referrals completed in time month by month only,"
    )


def test_a_missing_month_is_named_plainly():
    i = ind("count", "none", "flow", phrase="children were seen", title="Number of children seen")
    c = comp(i, value=None, months=[1, 2, 3, 4, 5, 6, 7, None, 9], reason="no figure for Nov-20")
    assert text(c) == (
        "The workbook has no figure for November 2020, so there is no Q3 2020/21 figure for "
        "the number of children seen. The number of children seen was 7 in October and 9 in "
        "December 2020 (no figure for November)."
    )


LONG_TITLE = (
    "Monthly % of cases recorded in the Safeguarding Unit workbook where Child Protection "
    "strategy meeting / S47 start to initial child protection conference (ICPC) are within 15 "
    "days (CPP). Excludes transfer-in conferences."
)


def test_no_title_pasted_as_a_subject_without_a_figure():
    """CSC 178: a period with no figure named its months by the whole title ("The percentage
    of cases recorded in the Safeguarding Unit workbook where ... was 80.0% in April"); they
    are said in the words the indicator's other sentences use."""
    i = ind(title=LONG_TITLE, phrase="of children had their conference within 15 working days")
    c = comp(i, value=None, months=[1, 2, 3, 4, 5, 6, 87.5, 100.0, 100.0], reason="x")
    assert text(c) == (
        "The workbook gives this indicator month by month only, so there is no Q3 2020/21 "
        "figure. 87.5% of children had their conference within 15 working days in October, "
        "and 100.0% in both November and December 2020."
    )
    assert text(comp(i, DEC, value=None, months=[1.0] * 8, reason="x")) == (
        "The workbook has no December 2020 figure for this indicator."
    )
    # after the year to date, which names the subject, the months need no other
    ytd = comp(i, value=None, ytd=92.5, months=[1, 2, 3, 4, 5, 6, 87.5, 100.0, 100.0])
    assert text(ytd).endswith(
        "The monthly figures were 87.5% in October, and 100.0% in both November and December 2020."
    )
    assert "Safeguarding" not in text(ytd)


def test_a_label_names_an_indicator_without_a_figure():
    i = replace(ind(title=LONG_TITLE), label="conferences in time")
    c = comp(i, value=None, months=[1, 2, 3, 4, 5, 6, 87.5, 100.0, 100.0], reason="x")
    assert text(c) == (
        "The workbook gives the figure for conferences in time month by month only, so there "
        "is no Q3 2020/21 figure. The figure for conferences in time was 87.5% in October, "
        "and 100.0% in both November and December 2020."
    )


def test_a_year_to_date_without_a_figure():
    ytd = Period.of_ytd(2020, Month(2020, 12))
    c = comp(ind(), ytd, value=None, months=[1.0] * 9, reason="percentages cannot be averaged")
    assert text(c).startswith(
        "The workbook gives the percentage of visits in time month by month only, so there is "
        "no year to date figure. The percentage of visits in time was 1.0% in every month "
        "from April to December 2020."
    )


def test_a_month_without_a_figure():
    c = comp(ind(), DEC, value=None, months=[1.0] * 8, reason="no figures for Dec-20")
    assert text(c) == (
        "The workbook has no December 2020 figure for the percentage of visits in time."
    )


def test_without_a_quarter_figure_the_year_to_date_stands_in():
    c = comp(ind(target=5, polarity="down"), value=None, ytd=4.2, reason="no figure")
    assert text(c) == (
        "The workbook has no Q3 2020/21 figure for the percentage of visits in time. "
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
    assert "The figure has been positively above target for the third month running." in text(
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
    assert "read it with care" not in text(c, settings=plain(small_denominator=5))


def test_a_rate_says_its_count():
    i = ind("rate", "none", "snapshot", phrase="per 10,000 children")
    assert text(comp(i, value=126.5, numerator=284), summary=False).endswith(
        "The rate is worked out from a count of 284."
    )


# -- the period's figure and the year to date on opposite sides ------------------------------


def test_a_quarter_and_its_year_to_date_on_opposite_sides_of_the_target_are_each_named():
    """CSC IHA: 100.0% in the quarter, 93.4% year to date, target 95%: "This is positively
    above" would be true of one figure and false of the other."""
    c = comp(ind(target=95), value=100.0, ytd=93.4, target=95)
    para = paragraph(c, summary=True, settings=PLAIN)
    assert para.text == (
        "100.0% of visits were completed in time during Q3 2020/21, with a year to date figure "
        "of 93.4%. The quarter is positively above our target of 95%, the year to date below it."
    )
    facts = [f for f in para.sentences[1].facts if f.kind == "target"]
    assert [(f.value, f.period, f.relation, f.better) for f in facts] == [
        (100.0, "Q3 2020/21", "above", True),
        (93.4, "2020/21 YTD", "below", False),
    ]


def test_on_the_same_side_the_short_form_stays():
    c = comp(ind(target=90), value=100.0, ytd=93.4, target=90)
    assert text(c).endswith("of 93.4%. Both figures are positively above our target of 90%.")


def test_opposite_sides_with_last_year_and_benchmarks_alike():
    c = comp(
        ind(target=95),
        DEC,
        value=100.0,
        ytd=93.4,
        target=95,
        last_year=80.0,
        benchmarks=(bench(Comparator.ENGLAND, 90.0),),
        months=[90.0] * 8 + [100.0],
    )
    assert text(c) == (
        "100.0% of visits were completed in time in December 2020, with a year to date figure "
        "of 93.4%. This is a positive increase on the 80.0% in December 2019. Both figures are "
        "positively above the national average (90.0%), as recorded in LAIT 2020. The month is "
        "positively above our target of 95%, the year to date below it."
    )


def test_the_standing_placeholder_names_each_figure_too():
    c = comp(ind(target=95, pattern="{headline}. This is {standing}."), value=100, ytd=93.4)
    assert text(c).endswith(
        "This is positively above our target of 95% for the quarter but below it for the year "
        "to date."
    )


# -- running totals: no movement on the period before -----------------------------------------


@pytest.mark.parametrize("unit", ["count", "rate"])
def test_a_running_total_says_nothing_of_the_period_before(unit):
    """CSC 164 (118.9 against 85.1 year to date as at September) and CSC 036: a year to date
    count or rate only grows, so "an increase on" it is true by construction."""
    i = ind(unit, "none", "cumulative", phrase="enquiries were started per 10,000 children")
    said = text(comp(i, value=118.9, previous=85.1, last_year=120.0), summary=False)
    assert "85.1" not in said and "September" not in said
    assert "comparable to" in said  # the same period last year is a real comparison
    month = comp(i, DEC, value=118.9, previous=106.4, months=[1.0] * 7 + [106.4, 118.9])
    assert "106.4" not in text(month, summary=False)


def test_a_running_total_the_same_two_months_is_not_a_run():
    i = ind("count", "none", "cumulative", phrase="assessments were completed")
    c = comp(i, DEC, value=534, months=[100.0] * 7 + [534, 534])
    assert "consecutive" not in text(c, summary=False)


def test_a_cumulative_percentage_moves_on_the_period_before():
    i = ind(polarity="down", measure="cumulative", phrase="of visits were late year to date")
    said = text(comp(i, value=19.7, previous=22.3), summary=False)
    assert "This is a positive reduction on the 22.3% year to date as at September 2020." in said


def test_a_running_count_compares_the_quarters_own_counts():
    """compute gives a cumulative count's `previous` as the period before's flow (Q2's own
    count), so the quarter's flow (534 - 331 = 203) is compared with it."""
    i = ind("count", "none", "cumulative", phrase="assessments were completed")
    said = text(comp(i, value=534, flow=203, previous=180), summary=False)
    assert said == (
        "203 assessments were completed during Q3 2020/21, with a year to date total of 534. "
        "The quarter's figure is an increase on the 180 assessments in Q2 2020/21."
    )
    # without the quarter's own count the headline is the year to date: nothing to compare
    alone = text(comp(i, value=534, previous=180), summary=False)
    assert "180" not in alone


# -- sentences that do not repeat themselves -------------------------------------------------


def test_target_last_year_and_the_period_before_in_one_sentence():
    """CSC 229: not "This is ... . This is a positive increase on ... . This is a positive
    increase on ..." but one sentence."""
    i = ind(measure="snapshot", target=68)
    c = comp(i, value=76.1, target=68, last_year=72.7, previous=70.3)
    assert text(c, summary=False) == (
        "76.1% of visits were completed in time as at December 2020. This is positively above "
        "our target of 68% and a positive increase on the 72.7% as at December 2019, and an "
        "improvement, up from 70.3% as at September 2020."
    )


def test_below_target_but_better_than_last_year():
    c = comp(ind(target=90), value=85.8, target=90, last_year=77.7)
    assert text(c).endswith(
        "This is below our target of 90% but a positive increase on the 77.7% in Q3 2019/20."
    )


def test_no_positive_reduction_twice_in_a_row():
    """CSC 034: 30 against 43 last year and 56 the quarter before."""
    i = ind("count", "down", "flow", phrase="re-referrals have been made")
    said = text(comp(i, value=30, last_year=43, previous=56), summary=False)
    assert said == (
        "30 re-referrals have been made during Q3 2020/21. This is a positive reduction on the "
        "43 re-referrals in Q3 2019/20, and an improvement, down from 56 in Q2 2020/21."
    )


def test_a_listed_standing_keeps_its_sentence_and_the_movements_follow():
    c = comp(
        ind(target=18, polarity="down", measure="cumulative"),
        value=19.7,
        target=18,
        benchmarks=(bench(Comparator.REGION, 22.4), bench(Comparator.ENGLAND, 22.6)),
        previous=22.3,
    )
    assert text(c, summary=False).split(". ", 1)[1] == (
        "This is above our target of 18% but positively below the regional average (22.4%) and "
        "the national average (22.6%), as recorded in LAIT 2020. It is a positive reduction on "
        "the 22.3% year to date as at September 2020."
    )


def test_little_changed_is_no_contrast():
    c = comp(ind(target=90), value=93.4, target=90, previous=93.5)
    assert "positively above our target of 90% and little changed from 93.5%" in text(
        c, summary=False
    )


def test_a_run_and_the_target_are_said_once():
    """Not "The figure has been 100.0% for the second consecutive month. It has been on target
    for the second month running."."""
    c = comp(ind(target=100), DEC, value=100.0, target=100, months=[90.0] * 7 + [100.0, 100.0])
    said = text(c, summary=False)
    assert said == (
        "100.0% of visits were completed in time in December 2020. This is in line with our "
        "target of 100%. The figure has been 100.0% for the second consecutive month."
    )


def test_a_longer_run_against_the_target_joins_the_run():
    c = comp(ind(target=90), DEC, value=88.2, target=90, months=[95] * 5 + [89, 88.8, 88.2, 88.2])
    assert text(c, summary=False).endswith(
        "The figure has been 88.2% for the second consecutive month, and below target for the "
        "fourth month running."
    )


# -- wording ---------------------------------------------------------------------------------


def test_a_count_without_a_denominator_goes_beside_the_percentage():
    """CSC 230: "7.4% (20 children)", not "The count behind this percentage is 20."."""
    i = ind(measure="snapshot", phrase="of our Children in Care have been placed far away")
    said = text(comp(i, value=7.4, numerator=20), summary=False)
    assert said == (
        "7.4% (20 children) of our Children in Care have been placed far away as at December 2020."
    )
    one = text(comp(i, value=0.4, numerator=1))
    assert one.startswith("0.4% (1 child) of our Children in Care")
    plain = text(comp(ind(phrase="became subject again", measure="snapshot"), value=8, numerator=2))
    assert plain.startswith("8.0% (2) became subject again")


def test_none_of_the_children():
    """CSC 186: "0.0% of children ceasing ... had been" reads as a slip; the report says "no
    child"."""
    i = ind(measure="cumulative", phrase="of children ceasing a plan had been on it for 2 years")
    assert text(comp(i, value=0.0)) == (
        "Year to date (April to December 2020), none (0.0%) of the children ceasing a plan had "
        "been on it for 2 years."
    )
    own = ind(phrase="of our care leavers were NEET", measure="snapshot")
    assert text(comp(own, value=0.0, numerator=0, denominator=49)).startswith(
        "None (0.0%, 0 / 49) of our care leavers were NEET as at December 2020."
    )
    verb = ind(phrase="became subject again")
    assert text(comp(verb, value=0.0)).startswith("0.0% became subject again")


def test_a_cumulative_percentage_that_is_a_position_is_as_at():
    """CSC 250: "71.1% of Children in Care have an up to date Health Check", not "Year to
    date ..."."""
    i = ind(measure="cumulative", phrase="of children have an up to date health check", target=90)
    c = comp(i, value=71.1, target=90, previous=60.1, months=[1] * 6 + [65.6, 68.2, 71.1])
    assert text(c, summary=False) == (
        "71.1% of children have an up to date health check as at December 2020. This is below "
        "our target of 90% but an improvement, up from 60.1% as at September 2020. The "
        "month-end figures were "
        "65.6% in October, 68.2% in November and 71.1% in December 2020. The month-end "
        "figure has risen for three months in a row."
    )
    total = ind(measure="cumulative", phrase="of children have been re-referred")
    assert text(comp(total, value=19.7)).startswith("Year to date (April to December 2020)")
    said = ind(measure="cumulative", phrase="of children have a plan", title="% with a plan (YTD)")
    assert text(comp(said, value=19.7)).startswith("Year to date (April to December 2020)")


# -- rates recomputed from their counts ------------------------------------------------------


def _rate(**facts):
    i = ind("rate", "none", "snapshot", phrase="children in care per 10,000 population")
    return comp(i, population=22450.0, **facts)


def test_a_recomputed_monthly_rate_says_once_what_the_workbook_gives():
    """A workbook giving a population of 22,450 for rates worked out from about 22,455 (the
    example's, whose population one rate alone puts at 22,450): CSC 200 Oct-20 is 292 / 22,450
    x 10,000 = 130.1, the workbook's cell says 130.0."""
    months = tuple(
        MonthPoint(m, v, own)
        for m, v, own in zip(
            fy_months(2020),
            [None] * 6 + [130.0668, 127.8396, 126.5033] + [None] * 3,
            [None] * 6 + [130.0, None, None] + [None] * 3,
            strict=True,
        )
    )
    c = replace(_rate(value=126.5033, numerator=284), months=months)
    said = text(c, summary=False)
    assert said.endswith(
        "The rate is worked out from a count of 284 and the 0-17 population of 22,450. The "
        "month-end figures were 130.1 in October, 127.8 in November and 126.5 in December 2020. "
        "Each month's figure is worked out from its count; the workbook gives 130.0 for October."
    )
    # the workbook's own cell is the analyst's note: the committee reads the months alone
    committee = paragraph(c, settings=plain(audience=Audience.COMMITTEE)).text
    assert "130.0" not in committee and "130.1 in October" in committee


def test_a_recomputed_rate_for_a_month_that_differs_from_the_workbook():
    c = _rate(value=130.0668, numerator=292, basis="differs", reported=130.0)
    c = replace(c, period=Period.of_month(Month(2020, 10)))
    said = text(c, summary=False)
    assert (
        "The workbook's own figure for October 2020 is 130.0; the 130.1 here is worked out from "
        "the count of 292 and the 0-17 population of 22,450."
    ) in said
    assert "The rate is worked out" not in said  # said once
    assert "add up" not in said


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
    settings = plain(patterns=load_patterns(path))
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
