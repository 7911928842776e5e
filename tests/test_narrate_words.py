"""The small words: numbers by unit, relations on shown figures, movements, lists, periods."""

from __future__ import annotations

import pytest

from csckpi import numbers
from csckpi.facts import judge
from csckpi.model import Indicator, Measure, Polarity, Relation, Unit
from csckpi.narrate import words as w
from csckpi.periods import Month, Period


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (85.2, Unit.PERCENT, 1, "85.2%"),
        (0.25, Unit.PERCENT, 1, "0.3%"),  # half up, as Excel
        (2.675, Unit.PERCENT, 2, "2.68%"),  # not 2.67 from the binary 2.67499...
        (284, Unit.COUNT, 0, "284"),
        (1002, Unit.COUNT, 0, "1,002"),
        (39.198, Unit.RATE, 1, "39.2"),
        (-1.25, Unit.NUMBER, 1, "-1.3"),
    ],
)
def test_figures(value, unit, places, text):
    assert numbers.figure(value, unit, places) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(90, Unit.PERCENT, "90%"), (95.5, Unit.PERCENT, "95.5%"), (100.0, Unit.COUNT, "100")],
)
def test_targets_lose_needless_zeros(value, unit, text):
    assert numbers.target(value, unit, 1 if unit is Unit.PERCENT else 0) == text


def relation(ours: float, theirs: float, places: int) -> Relation:
    return judge(ours, theirs, Polarity.NONE, places).relation


def test_relations_are_on_the_shown_figures():
    assert relation(89.96, 90, 1) == Relation.IN_LINE
    assert relation(89.94, 90, 1) == Relation.BELOW
    assert relation(90.05, 90, 1) == Relation.ABOVE  # shown as 90.1


@pytest.mark.parametrize(
    ("relation", "polarity", "good"),
    [
        ("above", Polarity.UP, True),
        ("below", Polarity.UP, False),
        ("below", Polarity.DOWN, True),
        ("increase", Polarity.DOWN, False),
        ("decrease", Polarity.DOWN, True),
        ("above", Polarity.NONE, None),
        ("in line", Polarity.UP, None),
        ("same", Polarity.DOWN, None),
    ],
)
def test_better_through_polarity(relation, polarity, good):
    # a standing (above / below) and a movement (increase / decrease) are judged alike
    ours, theirs = {"above": (2, 1), "increase": (2, 1), "below": (1, 2), "decrease": (1, 2)}.get(
        relation, (1, 1)
    )
    assert judge(ours, theirs, polarity, 1).better is good


@pytest.mark.parametrize(
    ("now", "then", "unit", "relation", "degree"),
    [
        (203, 204, Unit.COUNT, "decrease", "comparable"),  # 0.5 %
        (284, 280, Unit.COUNT, "increase", "slight"),  # 1.4 %
        (30, 43, Unit.COUNT, "decrease", "clear"),
        (5, 0, Unit.COUNT, "increase", "clear"),  # from nothing
        (91.1, 90.4, Unit.PERCENT, "increase", "slight"),  # 0.7 points
        (91.1, 90.7, Unit.PERCENT, "increase", "comparable"),  # 0.4 points
        (85.8, 77.7, Unit.PERCENT, "increase", "clear"),
        (85.84, 85.76, Unit.PERCENT, "same", "same"),  # both 85.8
        (3.4, 2.9, Unit.PERCENT, "increase", "clear"),  # half a point, but a sixth more
        (7.4, 7.2, Unit.PERCENT, "increase", "slight"),  # 0.2 points, 2.8 %
        (99.6, 100.0, Unit.PERCENT, "decrease", "comparable"),  # 0.4 points, 0.4 %
    ],
)
def test_movements(now, then, unit, relation, degree):
    places = 1 if unit is Unit.PERCENT else 0
    m = w.movement(judge(now, then, Polarity.NONE, places), unit, places, w.Thresholds())
    assert (m.relation, m.degree) == (relation, degree)


def test_by_points_alone_the_old_rule():
    """--by-points: a percentage's change judged by its points alone, as before."""
    by_points = w.Thresholds().by_points()
    small = w.movement(judge(3.4, 2.9, Polarity.NONE, 1), Unit.PERCENT, 1, by_points)
    assert small.degree == "comparable"
    assert by_points.with_text("0.2").proportionate is False
    assert w.Thresholds().as_dict()["proportionate"] is True


def test_thresholds_from_text():
    t = w.Thresholds().with_text("2", "8/3")
    assert (t.comparable_relative, t.comparable_points) == (2, 2)
    assert (t.slight_relative, t.slight_points) == (8, 3)
    assert w.Thresholds().with_text("0.5%/0.1") == w.Thresholds(0.5, 0.1, 5, 1)


def test_lists_and_ordinals():
    assert w.join([]) == ""
    assert w.join(["a"]) == "a"
    assert w.join(["a", "b"]) == "a and b"
    assert w.join(["a", "b", "c"], "or") == "a, b or c"
    assert [w.ordinal(n) for n in (1, 2, 3, 12, 13, 21, 22, 23, 111)] == [
        "first",
        "second",
        "third",
        "twelfth",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "111th",
    ]


def _ind(measure: Measure) -> Indicator:
    return Indicator("X", "X", "S", Unit.COUNT, Polarity.NONE, measure)


@pytest.mark.parametrize(
    ("measure", "period", "text"),
    [
        (Measure.FLOW, Period.of_quarter(2020, 3), "during Q3 2020/21"),
        (Measure.RATIO, Period.of_month(Month(2020, 12)), "in December 2020"),
        (Measure.SNAPSHOT, Period.of_quarter(2020, 3), "as at December 2020"),
        (Measure.CUMULATIVE, Period.of_quarter(2020, 3), "year to date (April to December 2020)"),
        (Measure.CUMULATIVE, Period.of_quarter(2020, 4), "year to date (April 2020 to March 2021)"),
        (Measure.FLOW, Period.of_ytd(2020, Month(2020, 4)), "year to date (April 2020)"),
        (Measure.FLOW, Period.of_year(2019), "during 2019/20"),
    ],
)
def test_period_wording(measure, period, text):
    assert w.period_wording(_ind(measure), period) == text


@pytest.mark.parametrize(
    ("measure", "period", "text"),
    [
        (Measure.FLOW, Period.of_quarter(2019, 3), "in Q3 2019/20"),
        (Measure.SNAPSHOT, Period.of_quarter(2019, 3), "as at December 2019"),
        (Measure.CUMULATIVE, Period.of_quarter(2019, 3), "year to date as at December 2019"),
        (Measure.RATIO, Period.of_month(Month(2020, 11)), "in November 2020"),
    ],
)
def test_when_an_earlier_figure_was(measure, period, text):
    assert w.when_wording(_ind(measure), period) == text


@pytest.mark.parametrize(
    ("phrase", "verb", "noun"),
    [
        ("children were in care", True, "children"),
        ("C&F assessments have been completed", True, "C&F assessments"),
        ("of referrals were completed in time", True, ""),
        ("per 10,000 population for children subject to a CPP", False, ""),
        ("became subject to a plan", True, ""),
    ],
)
def test_phrases(phrase, verb, noun):
    assert w.has_verb(phrase) is verb
    assert w.subject_noun(phrase) == noun


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("% Care Leavers NEET", "the percentage of Care Leavers NEET"),
        ("Monthly % of referrals completed.", "the percentage of referrals completed"),
        ("Total number of Children in Care", "the total number of Children in Care"),
        ("All children who had an enquiry", "the figure for all children who had an enquiry"),
        ("NEET care leavers", "the figure for NEET care leavers"),
    ],
)
def test_titles_as_subjects(title, subject):
    assert w.subject(title) == subject
