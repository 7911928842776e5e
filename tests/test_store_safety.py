"""The store survives kill -9 mid-ingest and two ingests at once (real processes)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from example_says import EXAMPLE_WARNINGS, without_example
from test_store import MONTHS, FakeRead, assert_same_dataset, make_dataset
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import StoreError
from csckpi.store import Outcome, open_store
from csckpi.store.ingest import PAUSE_HOOK

TESTS = Path(__file__).resolve().parent

SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_store import FakeRead, make_dataset
from csckpi.store import open_store

def waiting():
    sys.stderr.write("waiting for another csckpi\\n")
    sys.stderr.flush()

months = tuple(sys.argv[3].split(","))
changed = {{("CSC 038", "2020-10", "value"): float(sys.argv[4])}}
dataset = make_dataset(months=months, changed=changed)
summary = open_store(sys.argv[1]).ingest(FakeRead(dataset, sha256=sys.argv[2]), on_wait=waiting)
print(summary.outcome.value, summary.added, summary.revised, summary.unchanged)
"""


def spawn(store: Path | str, sha: str, months: tuple[str, ...], value: float, **env: str):
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            SCRIPT.format(tests=str(TESTS)),
            str(store),
            sha * 64,
            ",".join(months),
            str(value),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the ingest ended before its transaction: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            process.communicate()
            pytest.fail("the ingest never reached its transaction")
        time.sleep(0.02)


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def sound(place) -> bool:
    """SQLite's own check of the file finds nothing wrong (a server checks its own)."""
    return place.backend != "sqlite" or integrity(place.path) == "ok"


DEC = (*MONTHS, "2020-12")


def test_kill_9_during_an_ingest_leaves_the_previous_figures(tmp_path, place):
    first = make_dataset()
    open_store(place.location).ingest(FakeRead(first, sha256="1" * 64))
    before = place.state()
    flag = tmp_path / "in-transaction"
    process = spawn(place.location, "2", DEC, 99.0, **{PAUSE_HOOK: str(flag)})
    wait_for(flag, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    if place.backend == "sqlite":
        assert place.path.with_name(place.path.name + "-journal").exists()  # a hot journal

    store = open_store(place.location)
    assert_same_dataset(store.load(), first)
    assert sound(place)
    if place.backend != "sqlite":  # the server rolled back: row for row as it was
        assert place.state() == before
    assert [i["id"] for i in store.ingests()] == [1]
    again = store.ingest(FakeRead(make_dataset(months=DEC), sha256="2" * 64))
    assert (again.outcome, again.added) == (Outcome.WRITTEN, 6)


def test_kill_9_during_the_first_ingest_leaves_an_empty_usable_store(tmp_path, place):
    flag = tmp_path / "in-transaction"
    process = spawn(place.location, "1", MONTHS, 99.0, **{PAUSE_HOOK: str(flag)})
    wait_for(flag, process)
    process.kill()
    process.communicate(timeout=30)
    with pytest.raises(StoreError, match="holds nothing yet"):
        open_store(place.location).load()
    assert sound(place)
    assert open_store(place.location).ingest(FakeRead(make_dataset())).outcome is Outcome.WRITTEN
    assert_same_dataset(open_store(place.location).load(), make_dataset())


@pytest.mark.parametrize("existing", [True, False], ids=["existing store", "new store"])
def test_two_ingests_at_once_both_finish_one_after_the_other(tmp_path, place, existing):
    store_path = place.location
    if existing:
        open_store(store_path).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    flag, release = tmp_path / "in-transaction", tmp_path / "release"
    slow = spawn(
        store_path, "2", DEC, 85.2, **{PAUSE_HOOK: str(flag), PAUSE_HOOK + "_UNTIL": str(release)}
    )
    wait_for(flag, slow)
    if existing:  # a reader is not blocked by the writer and sees the committed figures
        assert open_store(store_path).load().monthly.height == 12
    second = spawn(store_path, "3", (*DEC, "2021-01"), 86.0)
    assert second.stderr is not None
    try:
        waiting = second.stderr.readline()  # returns once the second one has to wait
    finally:
        release.touch()
    assert waiting == "waiting for another csckpi\n"
    out_slow, err_slow = slow.communicate(timeout=60)
    out_second, err_second = second.communicate(timeout=60)
    assert slow.returncode == 0, err_slow
    assert second.returncode == 0, err_second
    assert err_second == ""
    assert out_slow.split()[0] == out_second.split()[0] == "written"

    store = open_store(store_path)
    assert len(store.ingests()) == (3 if existing else 2)
    values = [r.value for r in store.history("CSC 038", "2020-10") if r.part == "value"]
    assert values == ([10.0, 85.2, 86.0] if existing else [85.2, 86.0])
    assert store.load().monthly.height == 4 * 3 * 2
    assert sound(place)


def test_a_writer_gives_up_with_a_message_when_the_lock_is_never_released(tmp_path, place):
    open_store(place.location).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    flag = tmp_path / "in-transaction"
    slow = spawn(place.location, "2", DEC, 85.2, **{PAUSE_HOOK: str(flag)})
    try:
        wait_for(flag, slow)
        before = (place.state(), sorted(p.name for p in tmp_path.iterdir()))
        waited: list[str] = []
        with pytest.raises(StoreError, match=r"still locked by another csckpi after 0\.2 s"):
            open_store(place.location, lock_timeout=0.2).ingest(
                FakeRead(make_dataset(months=DEC), sha256="3" * 64),
                on_wait=lambda: waited.append("waiting"),
            )
        assert waited == ["waiting"]
        assert (place.state(), sorted(p.name for p in tmp_path.iterdir())) == before
    finally:
        slow.kill()
        slow.communicate(timeout=30)


# -- the same through the real command ---------------------------------------------------------


def csckpi(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "csckpi", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def test_two_csckpi_ingests_at_once_one_waits_and_says_so(tmp_path, place, example_workbook):
    from test_cli_ingest import changed_copy

    store_path = place.location
    december = changed_copy(example_workbook, tmp_path / "december.xlsx", Monthly_J11=82.0)
    flag, release = tmp_path / "in-transaction", tmp_path / "release"
    first = csckpi(
        "ingest",
        str(example_workbook),
        "--store",
        str(store_path),
        **{PAUSE_HOOK: str(flag), PAUSE_HOOK + "_UNTIL": str(release)},
    )
    wait_for(flag, first)
    second = csckpi("ingest", str(december), "--store", str(store_path))
    assert second.stderr is not None
    try:
        waiting = second.stderr.readline()  # returns once the second one has to wait
        while waiting.rstrip("\n") in EXAMPLE_WARNINGS:  # said before the store is opened
            waiting = second.stderr.readline()
    finally:
        release.touch()
    assert waiting == f"csckpi: waiting for another csckpi to finish with {place.shown} …\n"
    out_first, err_first = first.communicate(timeout=120)
    out_second, err_second = second.communicate(timeout=120)
    assert (first.returncode, without_example(err_first)) == (0, "")
    assert "  Figures     586 added, 0 revised, 0 unchanged\n" in out_first
    assert second.returncode == 0, err_second
    assert err_second == ""  # the example's warnings were read above
    assert "  Figures     0 added, 1 revised, 585 unchanged\n" in out_second
    assert sound(place)


def test_csckpi_killed_mid_ingest_leaves_the_previous_figures(tmp_path, place, example_workbook):
    from test_cli_ingest import changed_copy

    store_path = place.location
    done = CliRunner().invoke(app, ["ingest", str(example_workbook), "--store", str(store_path)])
    assert (
        without_example(done.stderr) == "" and done.exit_code == 0
    )  # in-process: only the kill needs a process
    before = open_store(store_path).load()
    december = changed_copy(example_workbook, tmp_path / "december.xlsx", Monthly_J11=82.0)
    flag = tmp_path / "in-transaction"
    killed = csckpi("ingest", str(december), "--store", str(store_path), **{PAUSE_HOOK: str(flag)})
    wait_for(flag, killed)
    killed.kill()
    killed.communicate(timeout=30)
    assert_same_dataset(open_store(store_path).load(), before)
    assert [r.value for r in open_store(store_path).history("CSC 038", "Oct-20")] == [81.5]
    assert sound(place)


def test_an_ingest_waits_for_a_reader_to_finish_before_committing(store_path):
    """A reader (say `csckpi compute`) mid-read holds the file: the commit waits, then succeeds."""
    import threading

    open_store(store_path).ingest(FakeRead(make_dataset(), sha256="1" * 64))
    reader = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    assert reader.execute("SELECT sum(rows) FROM ingest_figures").fetchone()[0] == 16
    finished = threading.Timer(0.5, lambda: reader.execute("COMMIT"))
    finished.start()
    try:
        summary = open_store(store_path).ingest(FakeRead(make_dataset(months=DEC), sha256="2" * 64))
    finally:
        finished.join()
        reader.close()
    assert (summary.outcome, summary.added) == (Outcome.WRITTEN, 6)
    assert open_store(store_path).load().monthly.height == 18
