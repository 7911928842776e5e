"""RAG changes as key messages (issue 16 item 5): a RAG that moved since the period before is
the first tier, worse before better, a move of two colours before one; the period before's
RAG is judged by compute's rule and counted again by the checker."""

from __future__ import annotations

import dataclasses

import pytest

from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.facts import Comparison
from csckpi.judgement import rag_of
from csckpi.model import Indicator, Measure, Polarity, Rag, Unit
from csckpi.narrate import Settings, key_messages
from csckpi.narrate.check import message_disagreements
from csckpi.narrate.messages import BETTER_RAG, FROM_TARGET, WORSE_RAG, candidate
from csckpi.narrate.records import Fact
from csckpi.periods import Month, Period

NOVEMBER = Period.of_month(Month(2020, 11))


def _compared(
    code: str,
    now: float,
    before: float,
    *,
    period: Period = NOVEMBER,
    tolerance: float | None = 5.0,
    polarity: Polarity = Polarity.UP,
    measure: Measure = Measure.RATIO,
    unit: Unit = Unit.PERCENT,
    target_year: str | None = None,
) -> Comparison:
    """A percentage with a target of 90% (amber within ``tolerance``), ``now`` in ``period``
    and ``before`` in the period before; its RAG as compute gives it."""
    ind = Indicator(
        code=code,
        title=f"Children seen ({code})",
        section="S",
        unit=unit,
        polarity=polarity,
        measure=measure,
        target=90.0,
        tolerance=tolerance,
        label=f"Seen {code}",
    )
    return Comparison(
        indicator=ind,
        period=period,
        value=now,
        basis="computed",
        target=90.0,
        tolerance=tolerance,
        rag=rag_of(now, 90.0, tolerance, polarity, ind.places),
        previous=before,
        previous_period=period.previous(),
        target_year=target_year,
    )


@pytest.mark.parametrize(
    ("now", "before", "tier", "text"),
    [
        (
            87.0,
            92.0,
            WORSE_RAG,
            "now below our target of 90% at 87.0% (amber); it met the target in October 2020 "
            "(92.0%)",
        ),
        (
            80.0,
            88.0,
            WORSE_RAG,
            "now red at 80.0% against our target of 90%; it was amber in October 2020 (88.0%)",
        ),
        (
            86.0,
            80.0,
            BETTER_RAG,
            "now amber at 86.0% against our target of 90%; it was red in October 2020 (80.0%)",
        ),
        (
            91.0,
            80.0,
            BETTER_RAG,
            "now meets our target of 90% at 91.0% (green); it was red in October 2020 (80.0%)",
        ),
    ],
)
def test_a_rag_that_moved_is_a_key_message(now, before, tier, text):
    c = _compared("T 1", now, before)
    message = candidate(c, Settings())
    assert message is not None
    assert message.tier == tier
    assert message.text == f"Seen T 1: {text}."
    rags = [(f.period, f.relation) for f in message.facts if f.kind == "rag"]
    assert rags == [("Nov-20", c.rag.value), ("Oct-20", c.facts.previous_rag.value)]
    assert message_disagreements(message, c) == []


def test_the_same_rag_is_no_rag_change():
    c = _compared("T 1", 86.0, 87.0)  # amber both months
    assert c.facts.previous_rag is Rag.AMBER
    message = candidate(c, Settings())
    assert message is not None and message.tier == FROM_TARGET


def test_worse_before_better_and_two_colours_before_one():
    comparisons = [
        _compared("A", 86.0, 80.0),  # red -> amber
        _compared("B", 80.0, 88.0),  # amber -> red
        _compared("C", 91.0, 80.0),  # red -> green
        _compared("D", 80.0, 95.0),  # green -> red
        _compared("E", 87.0, 92.0),  # green -> amber
    ]
    said = key_messages(comparisons, Settings())
    assert [m.code for m in said] == ["D", "B", "E", "C", "A"]
    assert [m.tier for m in said] == [WORSE_RAG] * 3 + [BETTER_RAG] * 2


def test_a_year_s_own_target_does_not_judge_the_year_before():
    """April against March: with a Targets row for the year, March was judged by last year's
    target, so no RAG change is said; with the Indicators sheet's one target, it is."""
    april = Period.of_month(Month(2021, 4))
    own = _compared("T 1", 80.0, 95.0, period=april, target_year="2021/22")
    assert own.facts.previous_rag is None
    message = candidate(own, Settings())
    assert message is not None and message.tier == FROM_TARGET
    one = _compared("T 1", 80.0, 95.0, period=april)
    said = candidate(one, Settings())
    assert said is not None and said.tier == WORSE_RAG and "March 2021" in said.text


def test_a_running_total_has_no_rag_change():
    c = _compared("T 1", 80.0, 95.0, measure=Measure.CUMULATIVE, unit=Unit.COUNT)
    assert c.facts.previous_rag is None and c.facts.previous_target is None


def test_the_checker_counts_the_period_before_s_rag_again():
    c = _compared("T 1", 80.0, 88.0)  # amber -> red
    message = candidate(c, Settings())
    assert message is not None
    wrong = [
        dataclasses.replace(f, relation="green") if f.kind == "rag" and f.relation == "amber" else f
        for f in message.facts
    ]
    problems = message_disagreements(dataclasses.replace(message, facts=tuple(wrong)), c)
    assert [d.problem for d in problems] == ["rag: green is not Oct-20's RAG (amber)"]
    across = dataclasses.replace(c, period=Period.of_month(Month(2021, 4)), target_year="2021/22")
    across = dataclasses.replace(across, previous_period=across.period.previous())
    fact = Fact("rag", period="Mar-21", relation="amber", words="rated amber")
    problems = message_disagreements(dataclasses.replace(message, facts=(fact,)), across)
    assert any("another year's target" in d.problem for d in problems)


@pytest.fixture(scope="module")
def dataset():
    from conftest import EXAMPLE

    from csckpi.workbook import read_dataset

    return read_dataset(EXAMPLE)


@pytest.mark.parametrize("period", ["2020-05", "2020-09", "2020-12", "Q2 2020/21", "Q3 2020/21"])
def test_the_rule_is_compute_s_and_the_example_s_rag_changes_are_said(dataset, period):
    """`rag_of` gives every indicator of the example the RAG compute gives it, so the period
    before's RAG is judged by the same rule; every RAG that moved gives its message."""
    keys = [i.key for i in dataset.indicators]
    comparisons = compare_many(dataset, resolve_period(dataset, period), keys)
    for c in comparisons:
        ind = c.indicator
        assert rag_of(c.value, c.target, c.tolerance, ind.polarity, ind.places) == c.rag, ind.code
    moved = {
        c.key
        for c in comparisons
        if c.facts.previous_rag is not None and c.rag is not None and c.facts.previous_rag != c.rag
    }
    assert moved  # each of these periods has some
    said = {
        m.key: m
        for c in comparisons
        if (m := candidate(c, Settings())) is not None and m.tier in (WORSE_RAG, BETTER_RAG)
    }
    assert set(said) == moved
