"""`csckpi store copy`: a store moves between SQLite and PostgreSQL, either way, whole; the copy
is checked by counts and a content hash; a target that holds anything is refused."""

from __future__ import annotations

import shutil

import pytest
from polars.testing import assert_frame_equal
from test_cli_ingest import changed_copy
from test_store import FakeRead, assert_same_dataset, make_dataset
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import StoreError
from csckpi.store import copy_store, open_store
from csckpi.workbook import read

runner = CliRunner()


def assert_same_store(a: str, b: str) -> None:
    """Two stores hold the same: every row, and what every command reads."""
    first, second = open_store(a), open_store(b)
    assert first.contents().digest() == second.contents().digest()
    assert first.contents().counts() == second.contents().counts()
    assert_frame_equal(
        first.figures().sort("ingest_id", "kind", "key", "period", "part", "figure"),
        second.figures().sort("ingest_id", "kind", "key", "period", "part", "figure"),
    )
    assert_same_dataset(first.load(), second.load())
    assert first.ingests() == second.ingests()
    assert first.history("CSC 038") == second.history("CSC 038")


@pytest.fixture
def example_store(tmp_path, example_workbook, example_store_file):
    """The example's store (ingested once: conftest), then December's workbook with one figure
    revised."""
    path = tmp_path / "example.db"
    shutil.copyfile(example_store_file, path)
    store = open_store(path)
    december = changed_copy(example_workbook, tmp_path / "december.xlsx", Monthly_J11=82.0)
    assert store.ingest(read(december)).revised == 1
    return str(path)


def test_sqlite_to_postgresql_to_sqlite_gives_the_example_store_back_exactly(
    example_store, tmp_path, pg_place
):
    to_server = runner.invoke(app, ["store", "copy", example_store, pg_place.location])
    assert to_server.exit_code == 0, to_server.output
    assert to_server.stdout == (
        f"Copied {example_store} to {pg_place.shown}: 2 ingests, 42 indicators, "
        "587 figure values, 2 Context sheets.\n"
        "Checked: every table has the same rows in both, and the same SHA-256 "
        f"({open_store(example_store).contents().digest()[:16]}…).\n"
    )
    back = str(tmp_path / "back.db")
    assert runner.invoke(app, ["store", "copy", pg_place.location, back]).exit_code == 0
    assert_same_store(example_store, pg_place.location)
    assert_same_store(example_store, back)
    for location in (example_store, pg_place.location, back):
        compute = runner.invoke(
            app, ["compute", "-p", "Q3 2020/21", "-f", "csv", "--store", location]
        )
        assert compute.exit_code == 0
        assert (
            compute.stdout
            == runner.invoke(
                app, ["compute", "-p", "Q3 2020/21", "-f", "csv", "--store", example_store]
            ).stdout
        )


def test_a_copy_goes_on_as_the_store_it_came_from(place, tmp_path):
    """After a copy (either way), the next ingest numbers, compares and revises as it would
    have in the original."""
    source = place.sibling("source")
    open_store(source.location).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    copy_store(open_store(source.location), open_store(place.location))
    dec = make_dataset(
        months=("2020-10", "2020-11", "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2}
    )
    summaries = [
        open_store(where).ingest(FakeRead(dec, sha256="2" * 64))
        for where in (source.location, place.location)
    ]
    assert [(s.ingest_id, s.added, s.revised, s.unchanged) for s in summaries] == [
        (2, 6, 1, 15),
        (2, 6, 1, 15),
    ]
    original, copy = open_store(source.location), open_store(place.location)
    assert_same_dataset(original.load(), copy.load())
    order = ["ingest_id", "kind", "key", "period", "part", "figure"]
    assert_frame_equal(  # each ingest was made at its own time: all else is the same
        original.figures().drop("ingested_at").sort(order),
        copy.figures().drop("ingested_at").sort(order),
    )
    again = open_store(place.location).ingest(FakeRead(dec, sha256="2" * 64))
    assert (again.outcome.value, again.ingest_id) == ("already", 2)
    older = open_store(place.location).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    assert older.outcome.value == "stale" and older.stale is not None
    assert (older.stale.store_ingest, older.stale.older) == (2, True)


def test_a_target_that_holds_anything_is_refused_and_left_alone(place, tmp_path):
    source = str(tmp_path / "source.db")
    open_store(source).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    open_store(place.location).ingest(FakeRead(make_dataset(), sha256="9" * 64))
    before = place.state()
    done = runner.invoke(app, ["store", "copy", source, place.location])
    assert done.exit_code == 1
    assert done.stderr.startswith(
        f"csckpi: The store {place.shown} already holds 1 ingest: a store is copied into a new one."
    )
    assert place.state() == before


def test_an_empty_source_is_refused(place, tmp_path):
    target = tmp_path / "target.db"
    with pytest.raises(StoreError, match=r"There is no store at|holds nothing yet"):
        copy_store(open_store(place.location), open_store(target))
    assert not target.exists()


def test_a_copy_that_reads_back_differently_is_reported(place, tmp_path, monkeypatch):
    """The check is real: a target that loses a row on the way is caught by it."""
    source = str(tmp_path / "source.db")
    open_store(source).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    target = open_store(place.location)
    cls = type(target)
    receive = cls.receive

    def lossy(self, contents):
        receive(self, type(contents)(**{**contents.tables(), "figures": contents.figures.head(-1)}))

    monkeypatch.setattr(cls, "receive", lossy)
    with pytest.raises(StoreError) as caught:
        copy_store(open_store(source), target)
    assert caught.value.message == (
        f"The copy in {place.shown} differs from {source} (rows of figures)."
    )
