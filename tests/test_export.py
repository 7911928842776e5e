"""`csckpi export`: the store's indicators, every figure with its history and each month's
scorecard as Parquet or CSV files, the same from SQLite or PostgreSQL, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compute import compute, resolve_period
from csckpi.store import open_store
from csckpi.workbook import read

runner = CliRunner()
NAMES = ("indicators", "figures", "scorecard")


@pytest.fixture
def example(place, example_workbook) -> str:
    open_store(place.location).ingest(read(example_workbook))
    return place.location


def test_parquet_holds_the_store_and_every_months_scorecard(example, tmp_path):
    out = tmp_path / "export"
    done = runner.invoke(app, ["export", "-o", str(out), "--store", example])
    assert done.exit_code == 0, done.output
    assert done.stderr == (
        "Wrote indicators.parquet (42 rows), figures.parquet (586 rows), scorecard.parquet "
        f"(420 rows) to {out} (the scorecard of each of 10 months).\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.parquet" for n in sorted(NAMES)]
    store = open_store(example)
    dataset = store.load()
    assert_frame_equal(pl.read_parquet(out / "figures.parquet"), store.figures())
    indicators = pl.read_parquet(out / "indicators.parquet")
    assert indicators["code"].to_list() == [i.code for i in dataset.indicators]
    assert indicators.row(0, named=True)["target"] == dataset.indicators[0].target
    cards = pl.read_parquet(out / "scorecard.parquet")
    assert cards["period"].unique(maintain_order=True).to_list() == [
        "Dec-19", "Apr-20", "May-20", "Jun-20", "Jul-20", "Aug-20", "Sep-20", "Oct-20",
        "Nov-20", "Dec-20",
    ]  # fmt: skip
    for month in ("Dec-20", "Oct-20"):
        assert_frame_equal(
            cards.filter(pl.col("period") == month),
            compute(dataset, resolve_period(dataset, month)),
        )


def test_csv_gives_the_same_tables(example, tmp_path):
    assert (
        runner.invoke(app, ["export", "-o", str(tmp_path / "p"), "--store", example]).exit_code == 0
    )
    done = runner.invoke(
        app, ["export", "-o", str(tmp_path / "c"), "-f", "csv", "--store", example]
    )
    assert done.exit_code == 0, done.output
    for name in NAMES:
        parquet = pl.read_parquet(tmp_path / "p" / f"{name}.parquet")
        csv = pl.read_csv(tmp_path / "c" / f"{name}.csv", schema=parquet.schema)
        assert_frame_equal(csv, parquet)


def test_a_failed_write_leaves_no_file_half_written(example, tmp_path, monkeypatch):
    out = tmp_path / "export"

    def full_disk(self, path, *args, **kwargs):
        Path(path).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full_disk)
    done = runner.invoke(app, ["export", "-o", str(out), "--store", example])
    assert done.exit_code == 1
    assert done.stderr == (
        f"csckpi: Cannot write {out / 'indicators.parquet'}: No space left on device.\n"
    )
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [("file", "is a file, not a folder"), ("missing/export", "does not exist")],
)
def test_a_place_that_cannot_be_a_folder_is_explained(example, tmp_path, where, message):
    (tmp_path / "file").write_text("x")
    done = runner.invoke(app, ["export", "-o", str(tmp_path / where), "--store", example])
    assert done.exit_code == 1 and message in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "csckpi.db") == ["file"]
