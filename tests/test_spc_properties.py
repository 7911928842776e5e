"""Invariants of SPC over generated series (hypothesis).

Each example analyses three indicators at once: A, the series; B, a·x + b of it (a > 0, and
its target moved the same way); C, the series with the opposite polarity. Series are whole
numbers with the odd missing month, a step and a slope, so shifts, trends and points outside
the limits are common.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from properties import examples
from spc_data import FIRST, frame, indicators

from csckpi import spc

SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SWAP = {"up": "down", "down": "up"}
SWAPPED_WORDS = {
    "improvement": "concern",
    "concern": "improvement",
    spc.Variation.IMPROVEMENT.value: spc.Variation.CONCERN.value,
    spc.Variation.CONCERN.value: spc.Variation.IMPROVEMENT.value,
    spc.Assurance.PASSING.value: spc.Assurance.FAILING.value,
    spc.Assurance.FAILING.value: spc.Assurance.PASSING.value,
}


@st.composite
def series(draw: st.DrawFn) -> list[float | None]:
    size = draw(st.integers(12, 40))
    spread = draw(st.sampled_from([0, 1, 3, 12]))  # small noise with a slope: trends
    noise = draw(st.lists(st.integers(0, spread), min_size=size, max_size=size))
    gaps = draw(st.lists(st.integers(0, 19), min_size=size, max_size=size))  # 1 in 20 missing
    at = draw(st.integers(0, size))
    step = draw(st.integers(-15, 15))
    slope = draw(st.integers(-2, 2))
    return [
        None if gap == 0 else float(n + (step if i >= at else 0) + slope * i)
        for i, (n, gap) in enumerate(zip(noise, gaps, strict=True))
    ]


changes = st.one_of(
    st.just(()),
    st.integers(0, 20).map(lambda i: (spc.Change(FIRST + i),)),
    st.integers(0, 8).map(lambda i: (spc.Change(FIRST + i, FIRST + i + 11),)),
)


def _analyse(values, polarity, target, a, b, declared):
    shifted = [None if v is None else a * v + b for v in values]
    data = pl.concat([frame(values, "A"), frame(shifted, "B"), frame(values, "C")])
    table = indicators(
        ("A", polarity, target), ("B", polarity, a * target + b), ("C", SWAP[polarity], target)
    )
    return spc.analyse(data, table, changes=declared)


def _of(frame_: pl.DataFrame, key: str, *columns: str) -> pl.DataFrame:
    return frame_.filter(pl.col("key") == key).select(columns)


def _swapped(frame_: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return frame_.with_columns(pl.col(c).replace(SWAPPED_WORDS) for c in columns)


@SETTINGS
@given(
    series(),
    st.sampled_from(["up", "down"]),
    st.integers(0, 30).map(float),
    st.sampled_from([0.25, 0.5, 2.0, 3.0, 7.5, 1000.0]),
    st.integers(-1000, 1000).map(float),
    changes,
)
def test_spc_invariants(values, polarity, target, a, b, declared):
    result = _analyse(values, polarity, target, a, b, declared)
    points, signals, summary = result.points, result.signals, result.summary

    # Limits are symmetric about the mean, the 2-sigma lines two thirds of the way out.
    limited = points.filter(pl.col("mean").is_not_null())
    above = limited.get_column("upper") - limited.get_column("mean")
    below = limited.get_column("mean") - limited.get_column("lower")
    near = limited.get_column("upper_2sigma") - limited.get_column("mean")
    far = limited.get_column("mean") - limited.get_column("lower_2sigma")
    rounding = 1e-12 * (1 + (points.get_column("value").abs().max() or 0.0))
    for gap in (above - below, near - above * 2 / 3, far - near):
        assert (gap.abs().max() or 0.0) <= rounding
    assert (limited.get_column("moving_range").drop_nulls() >= 0).all()

    # a·x + b, a > 0: the same signals in the same months, the same icons and reasons;
    # limits moved the same way.
    judged = ("segment", "kind", "side", "judgement", "first", "last", "months")
    assert _of(signals, "B", *judged).equals(_of(signals, "A", *judged))
    per_month = ("month", "segment", "basis", "variation", "side", "rule")
    assert _of(points, "B", *per_month).equals(_of(points, "A", *per_month))
    icons = ("variation", "variation_side", "variation_rule", "conflict", "assurance", "reason")
    assert _of(summary, "B", *icons).equals(_of(summary, "A", *icons))
    upper_a = _of(points, "A", "upper").to_series()
    upper_b = _of(points, "B", "upper").to_series()
    assert upper_b.is_null().equals(upper_a.is_null())
    moved = (upper_a * a + b).drop_nulls().to_list()
    assert upper_b.drop_nulls().to_list() == pytest.approx(moved, rel=1e-9, abs=1e-6)

    # Reversed polarity swaps improvement and concern (and passing and failing), nothing else.
    assert _of(signals, "C", *judged).equals(_swapped(_of(signals, "A", *judged), "judgement"))
    assert _of(points, "C", *per_month).equals(_swapped(_of(points, "A", *per_month), "variation"))
    # Except a target on both limits at once (every month the same, equal to the target):
    # each month meets the target whichever way is better, so both are consistently passing
    # (docs/spc.md, "a target exactly on a limit").
    latest = limited.filter(pl.col("key") == "A").sort("month").tail(1)
    on_both = latest.height == 1 and latest.item(0, "lower") == latest.item(0, "upper") == target
    swapped = ("variation",) if on_both else ("variation", "assurance")
    expected = _swapped(_of(summary, "A", *icons), *swapped)
    assert _of(summary, "C", *icons).equals(expected)
    lines = ("mean", "lower", "upper", "lower_2sigma", "upper_2sigma", "moving_range")
    assert _of(points, "C", *lines).equals(_of(points, "A", *lines))


def test_a_target_on_both_limits_is_passing_whichever_way_is_better():
    result = _analyse([0.0] * 15, "up", 0.0, 2.0, 0.0, ())
    assurance = dict(result.summary.select("key", "assurance").iter_rows())
    assert assurance == dict.fromkeys("ABC", spc.Assurance.PASSING.value)
    nudged = _analyse([0.0] * 14 + [1.0], "up", 0.0, 2.0, 0.0, ())
    assert _of(nudged.summary, "C", "assurance").item() != spc.Assurance.PASSING.value


@SETTINGS
@given(series(), st.sampled_from(sorted(spc.PROFILES)))
def test_months_without_limits_have_no_signal_and_signals_lie_in_their_segment(values, rules):
    result = spc.analyse(frame(values), indicators(("A", "up", None)), spc.settings(rules))
    points = result.points
    unlimited = points.filter(pl.col("upper").is_null())
    assert unlimited.get_column("variation").null_count() == unlimited.height
    flagged = set(points.filter(pl.col("rule").is_not_null()).get_column("month").to_list())
    in_signals = {m for months in result.signals.get_column("months").to_list() for m in months}
    assert flagged <= in_signals
    for row in result.signals.iter_rows(named=True):
        assert row["months"] == sorted(row["months"])
        assert (row["first"], row["last"]) == (row["months"][0], row["months"][-1])
    facts = result.facts("A")
    if facts.limits is None:
        assert facts.variation is None and facts.reason
    else:
        assert facts.variation is not None and facts.reason is None


@SETTINGS
@given(
    st.lists(series(), min_size=1, max_size=4),
    st.sampled_from(sorted(spc.PROFILES)),
    st.sampled_from(["up", "down", "none"]),
    changes,
    st.sampled_from([None, 6, 8]),
)
def test_the_summary_from_the_last_months_alone_is_the_whole_summary(
    many, profile, polarity, declared, length
):
    """``latest_only`` (compute's columns) tests the rules on each indicator's last months
    only: its summary is the one every month gives."""
    data = pl.concat([frame(values, f"K{i}") for i, values in enumerate(many)])
    table = indicators(*((f"K{i}", polarity, 40.0) for i in range(len(many))))
    lengths = {} if length is None else {"shift": length}
    if length is not None and profile != "western-electric":
        lengths["trend"] = length
    chosen = spc.settings(profile, **lengths)
    whole = spc.analyse(data, table, chosen, declared).summary
    latest = spc.analyse(data, table, chosen, declared, latest_only=True).summary
    assert_frame_equal(latest, whole)  # the same values, and the same types
    # compute's own frames, not checked again: the same summary
    trusted = spc.analyse(data, table, chosen, declared, latest_only=True, checked=True)
    assert_frame_equal(trusted.summary, whole)


def test_latest_only_refuses_what_needs_every_month():
    result = spc.analyse(frame([1.0, 2.0]), indicators(("A", "up", None)), latest_only=True)
    with pytest.raises(ValueError, match="needs every month"):
        _ = result.signals
