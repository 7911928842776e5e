"""The facts: every judgement about one indicator in one period, made once, in one module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from csckpi import facts as facts_module
from csckpi.facts import (
    Benchmark,
    Comparison,
    Figure,
    MonthPoint,
    direction_of,
    judge,
)
from csckpi.model import Comparator, Direction, Indicator, Measure, Polarity, Relation, Unit
from csckpi.periods import Month, Period, fy_months

DEC = Period.of_month(Month(2020, 12))


def _ind(
    unit: Unit = Unit.PERCENT,
    polarity: Polarity = Polarity.UP,
    measure: Measure = Measure.RATIO,
    target: float | None = 90.0,
) -> Indicator:
    return Indicator("X 1", "% seen", "S", unit, polarity, measure, target=target)


def _months(values: list[float | None], fy: int = 2020) -> tuple[MonthPoint, ...]:
    padded = values + [None] * (12 - len(values))
    return tuple(MonthPoint(m, v) for m, v in zip(fy_months(fy), padded, strict=True))


# -- the one rule ------------------------------------------------------------------------------


def test_a_relation_is_decided_on_the_figures_as_shown():
    assert judge(89.96, 90, Polarity.UP, 1).relation is Relation.IN_LINE  # 90.0 on 90.0
    assert judge(89.94, 90, Polarity.UP, 1).relation is Relation.BELOW
    assert judge(10.4, 10.0, Polarity.DOWN, 0).relation is Relation.IN_LINE
    judged = judge(85.26, 87.74, Polarity.UP, 1)
    assert (judged.relation, judged.better, judged.difference) == (Relation.BELOW, False, -2.4)
    assert (judged.ours, judged.theirs) == (85.26, 87.74)  # the figures themselves, unrounded


@pytest.mark.parametrize(
    ("ours", "theirs", "polarity", "better", "direction"),
    [
        (85.2, 80.4, Polarity.UP, True, Direction.IMPROVED),
        (85.2, 80.4, Polarity.DOWN, False, Direction.WORSENED),
        (80.4, 85.2, Polarity.DOWN, True, Direction.IMPROVED),
        (85.2, 80.4, Polarity.NONE, None, Direction.UP),
        (80.4, 85.2, Polarity.NONE, None, Direction.DOWN),
        (85.24, 85.2, Polarity.UP, None, Direction.UNCHANGED),
    ],
)
def test_better_and_direction_through_polarity(ours, theirs, polarity, better, direction):
    judged = judge(ours, theirs, polarity, 1)
    assert judged.better is better
    assert direction_of(judged) is direction


# -- the facts of a comparison -----------------------------------------------------------------


def test_each_figure_stands_against_the_target_and_the_benchmarks():
    c = Comparison(
        _ind(measure=Measure.CUMULATIVE),
        DEC,
        value=88.0,
        ytd=91.0,
        flow=92.0,
        target=90.0,
        benchmarks=(
            Benchmark(Comparator.ENGLAND, "national average", 89.0, "LAIT 2020", "2020"),
            Benchmark(Comparator.REGION, "regional average", 95.0, "LAIT 2020", "2020"),
        ),
    )
    facts = c.facts
    assert [s.figure for s in (facts.value, facts.flow, facts.ytd)] == list(Figure)
    assert facts.value.target is not None and facts.value.target.relation is Relation.BELOW
    assert facts.ytd.target is not None and facts.ytd.target.better is True
    # benchmarks in the fixed order, each judged for each figure
    assert [b.comparator for b in facts.value.benchmarks] == [Comparator.REGION, Comparator.ENGLAND]
    assert [b.relation for b in facts.flow.benchmarks] == [Relation.BELOW, Relation.ABOVE]
    assert facts.standing(Figure.YTD) is facts.ytd
    assert (c.target_relation, c.target_better) == (Relation.BELOW, False)


def test_a_period_without_its_own_figure_is_judged_against_no_benchmark():
    c = Comparison(
        _ind(),
        DEC,
        value=None,
        ytd=91.0,
        target=90.0,
        benchmarks=(Benchmark(Comparator.ENGLAND, "national average", 89.0, "", ""),),
    )
    assert c.facts.value.target is None and c.facts.value.benchmarks == ()
    assert c.facts.ytd.target is not None and c.facts.ytd.benchmarks == ()


def test_movements_are_judged_once_for_the_value_and_for_a_cumulative_counts_flow():
    ind = _ind(Unit.COUNT, Polarity.DOWN, Measure.CUMULATIVE, None)
    c = Comparison(ind, DEC, value=534, flow=30, last_year=500, last_year_flow=43, previous=28)
    assert c.facts.last_year is not None and c.facts.last_year.relation is Relation.ABOVE
    assert c.direction is Direction.WORSENED  # 534 on 500, lower is better
    assert c.facts.last_year_flow is not None and c.facts.last_year_flow.better is True
    # a running total's period before is compared on its own counts: 30 on 28
    assert c.facts.previous is not None and c.facts.previous.ours == 30
    assert c.previous_direction is Direction.WORSENED


def test_facts_are_made_once_per_comparison(monkeypatch):
    made: list[Comparison] = []
    original = facts_module.facts_of

    def counted(c):
        made.append(c)
        return original(c)

    monkeypatch.setattr(facts_module, "facts_of", counted)
    c = Comparison(_ind(), DEC, value=88.0, target=90.0)
    first = c.facts
    assert c.facts is first and c.target_relation == "below" and c.direction is None
    assert made == [c]


# -- runs ---------------------------------------------------------------------------------------


def test_a_run_of_the_same_figure_and_one_against_the_target():
    values = [70.0, 95.0, 88.04, 88.0, 87.96, 88.0]  # April to September
    c = Comparison(
        _ind(), Period.of_month(Month(2020, 9)), value=88.0, target=90.0, months=_months(values)
    )
    run, target = c.facts.run, c.facts.target_run
    assert run is not None and (run.months, run.first, run.whole) == (4, Month(2020, 6), False)
    assert run.relation is Relation.IN_LINE and run.better is None
    assert target is not None and (target.months, target.first) == (4, Month(2020, 6))
    assert (target.relation, target.better) == (Relation.BELOW, False)


def test_a_run_back_to_april_is_whole_and_a_gap_ends_a_run():
    c = Comparison(
        _ind(), Period.of_month(Month(2020, 6)), value=95.0, target=90.0, months=_months([95.0] * 3)
    )
    assert c.facts.run is not None and c.facts.run.whole and c.facts.run.first == Month(2020, 4)
    gap = Comparison(
        _ind(),
        Period.of_month(Month(2020, 6)),
        value=95.0,
        target=90.0,
        months=_months([95.0, None, 95.0]),
    )
    assert gap.facts.run is None and gap.facts.target_run is None


def test_no_run_for_a_running_total_or_a_period_longer_than_a_month():
    count = _ind(Unit.COUNT, Polarity.NONE, Measure.CUMULATIVE, None)
    c = Comparison(count, Period.of_month(Month(2020, 6)), value=5, months=_months([5, 5, 5]))
    assert c.facts.run is None
    quarter = Comparison(
        _ind(), Period.of_quarter(2020, 1), value=95.0, target=90.0, months=_months([95.0] * 3)
    )
    assert quarter.facts.run is None and quarter.facts.target_run is None


# -- the example: compute's scorecard agrees with the facts ------------------------------------


@pytest.fixture(scope="module")
def example():
    from csckpi.workbook import read_dataset
    from tests.conftest import EXAMPLE

    return read_dataset(EXAMPLE)


@pytest.mark.parametrize("period", ["Dec-20", "Q3 2020/21", "2020/21 YTD", "2019/20", "Q2 2020/21"])
def test_the_scorecards_directions_are_the_facts(example, period):
    """compute judges direction of travel over the whole frame (the scorecard's columns); on
    every indicator of the example they are the facts' own."""
    from csckpi.compare import compare_many
    from csckpi.compute import compute, resolve_period

    chosen = resolve_period(example, period)
    keys = [i.key for i in example.indicators]
    frame = {r["key"]: r for r in compute(example, chosen, keys).iter_rows(named=True)}
    checked = 0
    for c in compare_many(example, chosen, keys):
        row = frame[c.key]
        assert (c.direction and c.direction.value) == row["direction"], c.indicator.code
        assert (c.previous_direction and c.previous_direction.value) == row["previous_direction"], (
            c.indicator.code
        )
        flow = direction_of(c.facts.last_year_flow)
        assert (flow and flow.value) == row["flow_direction"], c.indicator.code
        checked += sum(row[k] is not None for k in ("direction", "previous_direction"))
    assert checked > 10


# -- nobody else decides ------------------------------------------------------------------------

PACKAGE = Path(facts_module.__file__).parent


@pytest.mark.parametrize(
    "path",
    [
        *sorted(p for folder in ("narrate", "render") for p in (PACKAGE / folder).glob("*.py")),
        PACKAGE / "report.py",
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_narrate_render_and_report_only_read_the_facts(path: Path):
    """No relation is decided outside csckpi.facts: no call of its rule, and no comparison
    of two figures as shown. (The sentence checker, narrate/check.py, judges again only to
    verify what a sentence says; it decides nothing that is said.)"""
    text = path.read_text(encoding="utf-8")
    if path.name == "check.py":
        assert "SentenceRefused" in text
        return
    assert not re.search(r"\b(judge|relate|facts_of)\(", text), path.name
    assert not re.search(r"shown\([^)]*\)\s*[<>]=?\s*(numbers\.)?shown\(", text), path.name
