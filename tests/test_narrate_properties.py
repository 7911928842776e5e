"""Property: over generated indicators and figures, every relation a sentence states agrees
with the numbers (as printed) and with the polarity — checked through the JSON facts and the
words of the sentence itself."""

from __future__ import annotations

import itertools
import math
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from properties import examples

from csckpi.compare import Benchmark, Comparison, MonthPoint
from csckpi.model import Comparator, Indicator, Measure, Polarity, Unit
from csckpi.narrate import Settings, Thresholds, paragraph
from csckpi.numbers import round_half_up
from csckpi.periods import Month, Period, fy_months

PHRASES = {
    Unit.PERCENT: ("of cases were seen in time", ""),
    Unit.COUNT: ("children were seen", "home visits", ""),
    Unit.RATE: ("per 10,000 children aged 0-17", "children were seen per 10,000", ""),
    Unit.NUMBER: ("days were taken on average", ""),
}

figure = st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda v: round(v, 3))
maybe = st.one_of(st.none(), figure)


@st.composite
def comparisons(draw: st.DrawFn) -> tuple[Comparison, Settings]:
    unit = draw(st.sampled_from(list(Unit)))
    polarity = draw(st.sampled_from(list(Polarity)))
    measure = draw(st.sampled_from(list(Measure)))
    decimals = draw(st.sampled_from([None, 0, 1, 2]))
    target = draw(maybe)
    indicator = Indicator(
        code="T 1",
        title=draw(st.sampled_from(["% seen in time", "Number of visits", "Rate of plans"])),
        section="S",
        unit=unit,
        polarity=polarity,
        measure=measure,
        target=target,
        phrase=draw(st.sampled_from(PHRASES[unit])),
        decimals=decimals,
    )
    kind = draw(st.sampled_from(["month", "quarter", "ytd", "year"]))
    end = Month(2020, draw(st.integers(4, 12)))
    period = {
        "month": Period.of_month(end),
        "quarter": Period.of_quarter(2020, draw(st.integers(1, 3))),
        "ytd": Period.of_ytd(2020, end),
        "year": Period.of_year(2020),
    }[kind]
    value = draw(st.one_of(st.none(), st.sampled_from([50.0, 100.0]), figure))
    month_figure = st.one_of(st.none(), st.sampled_from([0.0, 50.0, 100.0]), figure)
    months = tuple(MonthPoint(m, draw(month_figure)) for m in fy_months(2020))
    if value is not None and period.kind.value == "month":  # the month's own figure
        months = tuple(p._replace(value=value) if p.month == period.last else p for p in months)
    benches = tuple(
        Benchmark(c, c.value, draw(figure), "LAIT 2020", "2020")
        for c in draw(st.lists(st.sampled_from(list(Comparator)), unique=True))
    )
    numerator = draw(st.one_of(st.none(), st.integers(0, 40)))
    denominator = draw(st.one_of(st.none(), st.integers(1, 40)))
    c = Comparison(
        indicator=indicator,
        period=period,
        value=value,
        basis="computed",
        numerator=numerator,
        denominator=denominator,
        ytd=draw(maybe),
        ytd_period=period.ytd(),
        flow=draw(maybe) if measure is Measure.CUMULATIVE else None,
        target=target,
        benchmarks=benches,
        last_year=draw(maybe),
        last_year_period=period.last_year(),
        previous=draw(maybe),
        previous_period=period.previous(),
        months=months,
        council=draw(st.sampled_from([None, "Darlington"])),
        reason=None if value is not None else "no figure",
    )
    comparable = draw(st.floats(0, 5).map(lambda v: round(v, 2)))
    slight = comparable + draw(st.floats(0, 10).map(lambda v: round(v, 2)))
    limits = Thresholds(comparable, comparable / 2, slight, slight / 2, draw(st.booleans()))
    return c, Settings(thresholds=limits, small_denominator=draw(st.integers(0, 20)))


def _shown(value: float, places: int) -> float:
    return round_half_up(value, places)


def _relation(ours: float, theirs: float, places: int) -> str:
    a, b = _shown(ours, places), _shown(theirs, places)
    return "in line" if a == b else "above" if a > b else "below"


def _judge(relation: str, polarity: str) -> bool | None:
    if relation in ("in line", "same") or polarity == "none":
        return None
    up = relation in ("above", "increase")
    return up if polarity == "up" else not up


def phrased(taken: int):
    """Every clause takes its ``taken``-th fit phrasing (modulo how many it has), whatever the
    hash would draw: so the property holds of every phrasing, not only those drawn."""
    return patch("csckpi.narrate.context.draw", lambda key, count: taken % count)


@settings(max_examples=examples(400), deadline=None)
@given(comparisons(), st.booleans(), st.integers(0, 5))
def test_every_stated_relation_agrees_with_the_numbers_and_the_polarity(drawn, summary, taken):
    c, options = drawn
    ind = c.indicator
    places = ind.places
    with phrased(taken):
        para = paragraph(c, summary=summary, settings=options)
    polarity = ind.polarity.value
    openings = [" ".join(s.text.split()[:2]) for s in para.sentences]
    for first, second in itertools.pairwise(openings):
        assert not (first == second and first in ("This is", "The figure")), para.text
    facts = [f for s in para.sentences for f in s.facts]
    if ind.measure is Measure.CUMULATIVE and ind.unit in (Unit.COUNT, Unit.RATE):
        # a running total's movement on the period before is true by construction: only a
        # count's own flow is compared (compute gives the period before's flow as previous)
        moved = [f for f in facts if f.kind == "previous"]
        assert all(ind.unit is Unit.COUNT and f.value == c.flow for f in moved), para.text
    stated = [f for f in para.sentences[0].facts if f.kind == "ytd"] if para.sentences else []
    judged = [f for f in facts if f.kind == "target" and f.comparator == "target"]
    if stated and judged and c.target is not None:
        ytd = stated[0].value
        mine = [f for f in judged if f.value != ytd]
        if mine and _relation(mine[0].value, c.target, places) != _relation(ytd, c.target, places):
            # the headline states both figures and they stand differently: each is named
            assert any(f.value == ytd for f in judged), para.text
            assert "year to date" in " ".join(
                s.text for s in para.sentences[1:] if any(f in judged for f in s.facts)
            ), para.text
    for sentence in para.sentences:
        said = sentence.text
        assert said and not said[0].islower() and said.endswith("."), said
        if ind.polarity is Polarity.NONE:
            assert "positive" not in said and "improve" not in said, said
        if c.target is None:
            assert "target" not in said, said
        for fact in sentence.facts:
            if fact.kind in ("figure", "ytd", "months", "parts", "run"):
                assert fact.shown in said, (fact, said)
            if fact.relation is None or fact.kind in ("caution", "run"):
                continue
            ours, theirs = _shown(fact.value, places), _shown(fact.other, places)
            if fact.kind in ("target", "benchmark", "target run"):
                expected = "in line" if ours == theirs else "above" if ours > theirs else "below"
                assert fact.relation == expected, (fact, said)
                assert fact.better == _judge(expected, polarity), fact
                assert fact.words in said
                assert ("positively" in fact.words) == (fact.better is True), fact
                word = {
                    "above": ("above", "higher than"),
                    "below": ("below", "lower than"),
                    "in line": ("in line with", "on"),
                }[expected]
                assert any(fact.words.endswith(w) or w in fact.words for w in word), fact
            elif fact.kind in ("last year", "previous"):
                expected = "same" if ours == theirs else "increase" if ours > theirs else "decrease"
                assert fact.relation == expected, (fact, said)
                assert fact.better == _judge(expected, polarity), fact
                assert fact.words in said and fact.other_shown in said
                change = abs(ours - theirs)
                limits = options.thresholds
                relative = math.inf if theirs == 0 else change / abs(theirs) * 100
                if ind.unit is Unit.PERCENT:
                    # points, and (proportionate) the proportion of the earlier figure too
                    within = change <= limits.comparable_points + 1e-9 and (
                        not limits.proportionate or relative <= limits.comparable_relative + 1e-9
                    )
                else:
                    within = relative <= limits.comparable_relative + 1e-9
                if expected == "same":
                    assert fact.words in ("the same as", "unchanged from")
                elif within:
                    assert fact.degree == "comparable"
                    assert fact.words in ("comparable to", "similar to", "little changed from")
                else:
                    assert fact.degree in ("slight", "clear"), fact
                    up_words = ("increase", "rise", "up from", "higher than")
                    down_words = ("decrease", "reduction", "drop", "down from", "lower than")
                    mine, other = (
                        (up_words, down_words) if expected == "increase" else (down_words, up_words)
                    )
                    assert any(w in fact.words for w in mine), fact
                    assert not any(w in fact.words for w in other), fact
                    if any(w in fact.words for w in ("rise", "drop", "up from", "down from")):
                        # on the period before: "an improvement, down from" where it is one
                        assert "positive" not in fact.words
                        assert ("improvement" in fact.words) == (
                            fact.better is True and fact.degree == "clear"
                        ), fact
                    else:
                        assert ("positive" in fact.words) == (
                            fact.better is True and fact.degree == "clear"
                        ), fact


def test_a_second_sentence_in_a_row_opening_this_is_says_it_is():
    # the case the property above found: a movement, then a trend, both "This is ..."
    from csckpi.narrate.engine import _not_twice
    from csckpi.narrate.records import Sentence

    said = _not_twice(
        (
            Sentence("52.0% of cases were seen in time in August 2020.", "headline", ()),
            Sentence("This is a rise from 0.0% in July 2020.", "previous", ()),
            Sentence("This is the third consecutive monthly increase.", "trend", ()),
            Sentence("This is below our target of 90%.", "standing", ()),
        )
    )
    assert [s.text.split()[0] for s in said] == ["52.0%", "This", "It", "This"]
    assert said[2].text == "It is the third consecutive monthly increase."
    assert [s.kind for s in said] == ["headline", "previous", "trend", "standing"]
