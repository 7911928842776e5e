"""Runs, trends and records across financial years (issue 16 item 3): each sentence appears
exactly where the generated series makes it true, and nowhere else."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csckpi.compare import Comparison, MonthPoint
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.narrate import paragraph
from csckpi.narrate.check import disagreements
from csckpi.numbers import round_half_up
from csckpi.periods import Month, Period, fy_months

DEC20 = Month(2020, 12)


def ind(polarity: str = "up", target: float | None = None, measure: str = "ratio") -> Indicator:
    return Indicator(
        code="T 1",
        title="% visits in time",
        section="S",
        unit=Unit.PERCENT,
        polarity=Polarity(polarity),
        measure=Measure(measure),
        target=target,
        phrase="of visits were completed in time",
    )


def month_comparison(indicator: Indicator, values: list[float | None], end: Month = DEC20):
    """A month's comparison whose history is ``values``, the last being ``end``'s."""
    first = end - (len(values) - 1)
    history = tuple(MonthPoint(first + i, v) for i, v in enumerate(values))
    by_month = {p.month: p.value for p in history}
    months = tuple(MonthPoint(m, by_month.get(m)) for m in fy_months(end.fy))
    value = values[-1]
    return Comparison(
        indicator=indicator,
        period=Period.of_month(end),
        value=value,
        basis="computed",
        target=indicator.target,
        months=months,
        history=history,
    )


def text(c: Comparison) -> str:
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    return made.text


def test_a_run_against_target_crosses_financial_years():
    # above 90 every month from October 2017 to December 2020: 39 months, across four years
    values = [80.0] * 3 + [95.0 + i % 2 for i in range(39)]
    c = month_comparison(ind(target=90), values)
    assert c.history[3].month == Month(2017, 10)
    said = text(c)
    assert "positively above target in every month since October 2017" in said


def test_a_run_within_the_year_keeps_its_count():
    values = [80.0] * 20 + [95.0, 96.0, 95.0]
    said = text(month_comparison(ind(target=90), values))
    assert "above target for the third month running" in said
    assert "since" not in said


def test_the_third_consecutive_monthly_decrease_only_when_there_are_three():
    three = text(month_comparison(ind(), [50.0, 60.0, 59.0, 58.0, 57.0]))
    assert "The monthly figure has fallen for three months in a row." in three
    two = text(month_comparison(ind(), [50.0, 60.0, 61.0, 58.0, 57.0]))
    assert "in a row" not in two
    flat = text(month_comparison(ind(), [60.0, 59.0, 58.0, 58.0]))  # the last is no move
    assert "in a row" not in flat


def test_a_trend_crosses_financial_years():
    # a fall, then January 2020 to December 2020 rising every month: eleven moves
    values = [50.0] + [10.0 + i for i in range(12)]
    said = text(month_comparison(ind(), values))
    assert "The monthly figure has risen for 11 months in a row." in said


def test_a_trend_from_the_first_month_held_says_since_when():
    """No break is seen before the first month held: the trend may be longer, so the sentence
    says what the data show, not how many moves."""
    values = [10.0 + i for i in range(12)]  # January 2020 to December 2020, rising
    said = text(month_comparison(ind(), values))
    assert "The monthly figure has risen every month since January 2020." in said
    assert "in a row" not in said


def test_the_highest_since_only_when_a_year_of_months_is_beaten():
    # March 2019 at 70, then fourteen months lower, then December 2020 at 69
    values = [70.0] + [40.0 + i % 5 for i in range(20)] + [69.0]
    c = month_comparison(ind(), values)
    assert c.history[0].month == Month(2019, 3)
    said = text(c)
    assert "the highest since March 2019" in said
    # only eleven months beaten: not said
    short = [70.0] + [40.0] * 11 + [69.0]
    assert "highest" not in text(month_comparison(ind(), short))


def test_the_lowest_of_every_month_on_record():
    values = [50.0 + (i % 3) for i in range(15)] + [20.0]
    said = text(month_comparison(ind(), values))
    assert "the lowest of the 16 months since" in said


def test_a_year_to_date_figure_compares_within_its_year():
    """A cumulative figure starts again each April: no trend reaches back over it."""
    values = [10.0 + i for i in range(12)]  # January 2020 .. December 2020
    said = text(month_comparison(ind(measure="cumulative"), values))
    assert "has risen every month since April 2020" in said  # April to December: eight moves


def test_a_quarter_names_what_moved():
    values = [50.0] + [10.0 + i for i in range(12)]
    c = month_comparison(ind(), values)
    quarter = Comparison(
        indicator=c.indicator,
        period=Period.of_quarter(2020, 3),
        value=15.0,
        basis="computed",
        months=c.months,
        history=c.history,
    )
    made = paragraph(quarter, summary=False)
    assert disagreements(made, quarter) == []
    assert "The monthly figure has risen for 11 months in a row." in made.text


@st.composite
def histories(draw: st.DrawFn) -> tuple[Comparison, list[float | None]]:
    length = draw(st.integers(2, 40))
    steps = st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0])
    value = draw(st.floats(20, 80).map(lambda v: round(v, 1)))
    values: list[float | None] = []
    for _ in range(length):
        value = round(value + draw(steps), 1)
        values.append(draw(st.one_of(st.just(value), st.just(value), st.none())))
    values[-1] = value
    polarity = draw(st.sampled_from(["up", "down", "none"]))
    target = draw(st.one_of(st.none(), st.floats(20, 80).map(lambda v: round(v, 1))))
    return month_comparison(ind(polarity, target), values), values


def _moves(values: list[float | None]) -> int:
    shown = [None if v is None else round_half_up(v, 1) for v in values]
    moves, way = 0, 0
    for now, before in zip(shown[::-1], shown[-2::-1], strict=False):
        if now is None or before is None or now == before:
            break
        step = 1 if now > before else -1
        if way and step != way:
            break
        way, moves = step, moves + 1
    return moves


@settings(max_examples=300, deadline=None)
@given(histories())
def test_a_trend_is_said_exactly_when_the_months_make_one(drawn):
    c, values = drawn
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    moves = _moves(values)
    said = [f for s in made.sentences for f in s.facts if f.kind == "trend"]
    if moves >= 3:
        assert [f.count for f in said] == [moves], made.text
    else:
        assert said == [], made.text


@pytest.mark.parametrize("moves", [3, 4, 12])
def test_trend_words_name_the_count(moves):
    values = [50.0] + [50.0 - i - 1 for i in range(moves)]
    values.insert(0, 10.0)  # a rise before the fall
    from csckpi.narrate import words as w

    said = text(month_comparison(ind(), values))
    assert f"The monthly figure has fallen for {w.cardinal(moves)} months in a row" in said


def test_a_run_back_to_the_first_month_held_says_since_when():
    """October to December 2020 above target, and nothing held before: no break is seen, so
    "for the third month running" would overstate; in every month since the first held."""
    said = text(month_comparison(ind(target=90), [95.0, 96.0, 95.0]))
    assert "positively above target in every month since October 2020" in said
    assert "running" not in said


def test_a_trend_names_its_subject_after_a_run():
    """The trend follows the run against the target, not the movement it continues: "This is
    the fourth consecutive monthly increase" there would read as the run's; it says what rose."""
    c = month_comparison(ind(target=90), [95.0, 80.0, 91.0, 92.0, 93.0, 94.0])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    assert [s.text for s in made.sentences][-2:] == [
        "The figure has been positively above target for the fourth month running.",
        "The monthly figure has risen for four months in a row.",
    ]


def _refused(c: Comparison, kind: str, **changes: object) -> list[str]:
    made = paragraph(c, summary=False)
    sentence = next(s for s in made.sentences if any(f.kind == kind for f in s.facts))
    facts = tuple(replace(f, **changes) if f.kind == kind else f for f in sentence.facts)
    wrong = replace(made, sentences=(replace(sentence, facts=facts),))
    return [d.problem for d in disagreements(wrong, c)]


def test_the_checker_finds_a_run_or_trend_said_in_a_row_back_to_the_first_month():
    run = month_comparison(ind(target=90), [95.0, 96.0, 95.0])
    assert any(
        "no break" in p or "first month held" in p
        for p in _refused(run, "target run", other_period=None)
    )
    assert any(
        "said since 2020-09" in p for p in _refused(run, "target run", other_period="2020-09")
    )
    rising = month_comparison(ind(), [10.0 + i for i in range(12)])
    assert any("first month held" in p for p in _refused(rising, "trend", other_period=None))
    assert any("said since 2020-02" in p for p in _refused(rising, "trend", other_period="2020-02"))
    broken = month_comparison(ind(), [50.0] + [10.0 + i for i in range(12)])
    assert any("said since" in p for p in _refused(broken, "trend", other_period="2019-12"))
