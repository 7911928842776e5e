"""Targets, benchmarks and standings in the store: each with its year, kept with revisions."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_store import FakeRead, make_dataset, sorted_frame

from csckpi.dataset import Dataset, benchmark_schema, standing_schema, target_schema
from csckpi.store import open_store


def with_time(
    dataset: Dataset,
    *,
    targets: list[tuple[object, ...]] = (),  # type: ignore[assignment]
    benchmarks: list[tuple[object, ...]] = (),  # type: ignore[assignment]
    standings: list[tuple[object, ...]] = (),  # type: ignore[assignment]
) -> Dataset:
    """``dataset`` with these targets, benchmarks (in place of its own) and standings."""
    return dataclasses.replace(
        dataset,
        targets=pl.DataFrame(list(targets), schema=target_schema(), orient="row"),
        benchmarks=pl.DataFrame(list(benchmarks), schema=benchmark_schema(), orient="row"),
        standings=pl.DataFrame(list(standings), schema=standing_schema(), orient="row"),
    )


TARGETS = [
    ("CSC038", "CSC 038", "2018/19", "target", "snapshot", 85.0, "Targets", "C2"),
    ("CSC038", "CSC 038", "2018/19", "tolerance", "snapshot", 3.0, "Targets", "D2"),
    ("CSC201", "CSC 201", "2020/21", "target", None, 280.0, "Targets", "C3"),
]
BENCHMARKS = [
    ("CSC038", "CSC 038", "england", 83.8, "LAIT 2020", "2019/20", "Benchmarks", "C2"),
    ("CSC038", "CSC 038", "england", 82.1, "LAIT 2019", "2018/19", "Benchmarks", "C3"),
]
STANDINGS = [
    ("CSC038", "CSC 038", "2019/20", part, value, "LAIT 2020", "c1.csv", "N174")
    for part, value in (
        ("rank", 34.0),
        ("of", 152.0),
        ("tied", 1.0),
        ("quartile", 2.0),
        ("withheld", 0.0),
        ("polarity", 1.0),
        ("symbol", 0.0),
    )
]


def test_targets_benchmarks_and_standings_come_back_as_they_went_in(place):
    dataset = with_time(make_dataset(), targets=TARGETS, benchmarks=BENCHMARKS, standings=STANDINGS)
    summary = open_store(place.location).ingest(FakeRead(dataset))
    workbook = dataset.monthly.height + dataset.reported.height
    assert summary.added == workbook + len(TARGETS) + len(BENCHMARKS) + len(STANDINGS)
    loaded = open_store(place.location).load()
    for name in ("targets", "benchmarks", "standings"):
        assert_frame_equal(
            sorted_frame(getattr(loaded, name)), sorted_frame(getattr(dataset, name))
        )


def test_a_later_release_of_the_same_year_is_a_revision_even_with_the_same_figure(place):
    store = open_store(place.location)
    store.ingest(FakeRead(with_time(make_dataset(), benchmarks=BENCHMARKS), sha256="1" * 64))
    revised = [
        ("CSC038", "CSC 038", "england", 83.8, "LAIT 2021", "2019/20", "Benchmarks", "C2"),
        BENCHMARKS[1],
    ]
    summary = store.ingest(FakeRead(with_time(make_dataset(), benchmarks=revised), sha256="2" * 64))
    assert summary.revised == 1
    (change,) = summary.changes
    assert (change.label, change.old, change.new) == (
        "CSC 038 England benchmark 2019/20",
        83.8,
        83.8,
    )
    assert (change.old_source, change.new_source) == ("LAIT 2020", "LAIT 2021")
    history = [
        (r.period, r.value, r.source, r.current)
        for r in store.history("CSC 038", "2019/20")
        if r.kind == "benchmark"
    ]
    assert history == [("2019/20", 83.8, "LAIT 2020", False), ("2019/20", 83.8, "LAIT 2021", True)]
    assert store.load().benchmarks.filter(pl.col("year") == "2019/20")["source"].to_list() == [
        "LAIT 2021"
    ]


def test_a_target_for_another_length_of_period_is_a_revision(place):
    store = open_store(place.location)
    store.ingest(FakeRead(with_time(make_dataset(), targets=TARGETS), sha256="1" * 64))
    quarter = [TARGETS[0], TARGETS[1], (*TARGETS[2][:4], "quarter", *TARGETS[2][5:])]
    summary = store.ingest(FakeRead(with_time(make_dataset(), targets=quarter), sha256="2" * 64))
    assert [(c.label, c.old_source, c.new_source) for c in summary.changes] == [
        ("CSC 201 2020/21 target", None, "quarter")
    ]


@pytest.mark.parametrize("legacy", ["2020", "31/03/2020"])
def test_a_benchmark_stored_with_a_year_as_once_written_is_read_as_its_data_year(place, legacy):
    """Stores written before data years kept the sheet's year as written: a bare 2020 is
    2019/20; where a later ingest gives the same figure under 2019/20, that one is used."""
    store = open_store(place.location)
    old = [("CSC038", "CSC 038", "england", 80.0, "LAIT 2020", legacy, "Benchmarks", "C2")]
    store.ingest(FakeRead(with_time(make_dataset(), benchmarks=old), sha256="1" * 64))
    assert store.load().benchmarks.select("year", "value").rows() == [("2019/20", 80.0)]
    store.ingest(FakeRead(with_time(make_dataset(), benchmarks=BENCHMARKS), sha256="2" * 64))
    loaded = store.load().benchmarks.sort("year")
    assert loaded.select("year", "value", "source").rows() == [
        ("2018/19", 82.1, "LAIT 2019"),
        ("2019/20", 83.8, "LAIT 2020"),
    ]


def test_a_benchmark_stored_without_a_year_keeps_none(place):
    store = open_store(place.location)
    old = [("CSC038", "CSC 038", "england", 80.0, "LAIT 2020", None, "Benchmarks", "C2")]
    store.ingest(FakeRead(with_time(make_dataset(), benchmarks=old)))
    assert store.load().benchmarks.select("year", "value").rows() == [(None, 80.0)]
