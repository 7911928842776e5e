"""The monthly frame made wide: from neighbouring rows when a store's order allows, else by
grouping, with the same months either way (hypothesis)."""

from __future__ import annotations

import polars as pl
from compute_data import dataset, indicator
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from properties import examples

from csckpi.compute import inputs
from csckpi.dataset import PARTS

figure = st.one_of(st.none(), st.floats(-1000, 1000, allow_nan=False))
month = st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["2020-03", "2020-04"]))
rows = st.lists(st.tuples(month, st.sampled_from(PARTS), figure), max_size=18)


def frame_of(ds, keys=("A", "B", "C")):
    wanted = inputs.indicator_frame(ds, keys)
    return inputs.collect(inputs.months(ds, wanted))


@settings(max_examples=examples(60), deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_a_month_is_the_same_from_neighbouring_rows_and_by_grouping(given_rows, random):
    codes = [indicator(code, "snapshot", "percent") for code in ("A", "B", "C")]
    unique = {(m, part): value for m, part, value in given_rows}  # one figure a part a month
    listed = [(code, when, part, value) for ((code, when), part), value in unique.items()]
    in_order = dataset(codes, sorted(listed, key=lambda r: r[:3]))
    shuffled = list(listed)
    random.shuffle(shuffled)
    other = dataset(codes, shuffled)
    assert inputs._in_order(in_order.monthly)
    ordered = sorted(r[:3] for r in shuffled) == [r[:3] for r in shuffled]
    assert inputs._in_order(other.monthly) == ordered
    both = frame_of(in_order), frame_of(other).sort("key", "month")
    assert_frame_equal(*both)
    assert both[0].height == len({r[:2] for r in listed})


def test_a_part_given_twice_a_month_is_grouped_as_before():
    """Not one figure a part (a frame made by hand): the largest, as the grouping takes it."""
    twice = dataset(
        [indicator("A", "snapshot", "percent")],
        [("A", "2020-04", "value", 1.0), ("A", "2020-04", "value", 3.0)],
    )
    assert not inputs._in_order(twice.monthly)
    assert frame_of(twice, ["A"]).get_column("value").to_list() == [3.0]


def test_a_null_part_is_the_value():
    ds = dataset([indicator("A", "snapshot", "percent")], [("A", "2020-04", "value", 2.0)])
    nulled = ds.monthly.with_columns(pl.lit(None, pl.String).alias("part"))
    assert inputs._in_order(nulled)
    from dataclasses import replace

    frame = frame_of(replace(ds, monthly=nulled), ["A"])
    assert frame.get_column("value").to_list() == [2.0]


def test_a_frame_grown_in_place_is_checked_again():
    ds = dataset([indicator("A", "snapshot", "percent")], [("A", "2020-05", "value", 2.0)])
    assert inputs._in_order(ds.monthly)
    ds.monthly.extend(ds.monthly.with_columns(pl.col("value") + 1))  # May twice now
    assert not inputs._in_order(ds.monthly)
    assert frame_of(ds, ["A"]).get_column("value").to_list() == [3.0]
