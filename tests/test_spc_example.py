"""SPC on real shapes of data: the example workbook's months, a generated step change, and
every indicator at once giving what each gives alone."""

from __future__ import annotations

import random

import polars as pl
import pytest
from spc_data import FIRST, frame, indicators

from csckpi import spc
from csckpi.compute import monthly_values
from csckpi.periods import Month
from csckpi.workbook import read_dataset


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    return dataset, spc.analyse(monthly_values(dataset), spc.indicator_frame(dataset.indicators))


def test_the_example_has_too_few_months_for_control_limits(example):
    dataset, result = example
    months = monthly_values(dataset, ["CSC038"]).height
    assert months == 9  # Apr-20 to Dec-20: the workbook behind the Q3 2020/21 report
    facts = result.facts("CSC038")
    assert facts.reason == "no control limits yet: they need 15 months, there are 9"
    assert (facts.limits, facts.signals, facts.variation, facts.assurance) == (None, (), None, None)
    assert facts.target == 90.0  # a target, and still no assurance without limits


def test_every_example_indicator_is_listed_and_none_has_limits(example):
    dataset, result = example
    summary = result.summary
    assert summary.get_column("key").to_list() == [i.key for i in dataset.indicators]
    assert summary.get_column("upper").null_count() == summary.height
    assert result.signals.is_empty()
    assert (
        summary.get_column("reason")
        .str.starts_with("no control limits yet: they need 15 months")
        .all()
    )


def _step_series(seed: int) -> list[float]:
    """24 months: a year around 60%, then, from Apr-20, a year around 75% (noise ± 3)."""
    rng = random.Random(seed)
    return [round(rng.uniform(57, 63), 1) for _ in range(12)] + [
        round(rng.uniform(72, 78), 1) for _ in range(12)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_a_step_change_gives_a_shift_from_the_right_month(seed):
    values = _step_series(seed)
    result = spc.analyse(frame(values), indicators(("A", "up", 90.0)))
    facts = result.facts("A")
    shifts = [s for s in facts.signals if s.kind is spc.RuleKind.SHIFT]
    high = [s for s in shifts if s.side is spc.Side.HIGH]
    assert len(high) == 1
    assert (high[0].first, high[0].last) == (Month(2020, 4), Month(2021, 3))
    assert high[0].judgement is spc.Judgement.IMPROVEMENT
    low = [s for s in shifts if s.side is spc.Side.LOW]
    assert [(s.first, s.last) for s in low] == [(Month(2019, 4), Month(2020, 3))]
    assert facts.variation is spc.Variation.IMPROVEMENT
    # The mean (about 67.5) is between the two levels, as the data say.
    assert facts.limits is not None and 63 < facts.limits.mean < 72
    assert facts.assurance is spc.Assurance.FAILING  # 90% lies above the upper limit


def test_a_step_change_recalculated_from_the_new_process_is_common_cause():
    values = [*_step_series(0), 75.0, 74.0, 76.0]
    changes = [spc.Change(Month(2020, 4))]
    facts = spc.analyse(frame(values), indicators(("A", "up", None)), changes=changes).facts("A")
    assert facts.segments[1].start == Month(2020, 4)
    assert facts.segments[0].reason == "no control limits yet: they need 15 months, there are 12"
    assert facts.segments[1].reason is None and facts.reason is None
    assert facts.variation is spc.Variation.COMMON_CAUSE


def test_every_indicator_at_once_gives_what_each_gives_alone():
    rng = random.Random(7)
    series = {
        "A": [rng.uniform(0, 10) for _ in range(30)],
        "B": _step_series(1),
        "C": [float(i % 5) for i in range(17)],
        "D": [rng.choice([1.0, 2.0, 3.0]) for _ in range(40)],
        "E": [5.0] * 8,
    }
    polarity = {"A": "up", "B": "down", "C": "none", "D": "up", "E": "down"}
    values = pl.concat([frame(v, key=k) for k, v in series.items()])
    table = indicators(*((k, polarity[k], 5.0) for k in series))
    together = spc.analyse(values, table)
    for key, one in series.items():
        alone = spc.analyse(frame(one, key=key), table.filter(pl.col("key") == key))
        assert together.facts(key) == alone.facts(key)
        assert together.points.filter(pl.col("key") == key).equals(alone.points)


def test_the_frames_and_the_records_say_the_same():
    values = _step_series(3)
    result = spc.analyse(frame(values), indicators(("A", "up", 70.0)))
    facts = result.facts("A")
    assert result.all_facts() == {"A": facts}
    rows = result.signals.to_dicts()
    assert [(r["kind"], r["side"], r["judgement"]) for r in rows] == [
        (s.kind.value, s.side.value, s.judgement.value) for s in facts.signals
    ]
    assert [len(r["months"]) for r in rows] == [len(s.months) for s in facts.signals]
    summary = result.summary.row(0, named=True)
    assert summary["variation"] == facts.variation
    assert summary["upper"] == facts.limits.upper
    assert summary["points"] == len(values)
    latest = result.points.row(-1, named=True)
    assert (latest["month"], latest["variation"]) == (facts.latest.date, facts.variation)
    assert FIRST.date == result.points.get_column("month").min()
