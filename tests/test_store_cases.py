"""Every way the store can be misused or interrupted, what the user sees, and what is kept.

The table in docs/store-safety.md is generated from this file: each row is a test. Regenerate
with ``CSCKPI_UPDATE_GOLDEN=1 python -m pytest tests/test_store_cases.py``.
"""

# The expected messages below are kept one line each, exactly as the user sees them:
# ruff: noqa: E501

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE
from example_says import EXAMPLE_WARNINGS
from test_cli_ingest import changed_copy
from test_store import VERSION_0, downgrade_to_version_3
from test_store_safety import integrity, wait_for
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.store import open_store
from csckpi.store.ingest import PAUSE_HOOK
from csckpi.store.sqlite import SCHEMA_VERSION

DOC = Path(__file__).resolve().parent.parent / "docs" / "store-safety.md"
STORE = Path("csckpi.db")
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?: UTC)?")
runner = CliRunner()


def run(*args: str) -> list[str]:
    """The command's stderr then stdout lines (times masked) and its exit code, but the
    example's own warning (each ingest of it says it; tests/example_says.py)."""
    result = runner.invoke(app, list(args))
    lines = (result.stderr + result.stdout).splitlines()
    kept = [line for line in lines if line not in EXAMPLE_WARNINGS]
    assert len(lines) - len(kept) in (0, len(EXAMPLE_WARNINGS))
    return [WHEN.sub("<time>", line) for line in kept] + [f"exit code {result.exit_code}"]


def digest() -> str | None:
    return hashlib.sha256(STORE.read_bytes()).hexdigest() if STORE.is_file() else None


def workbook(name: str = "workbook.xlsx", **cells: object) -> str:
    if cells:
        return str(changed_copy(EXAMPLE, Path(name), **cells))
    shutil.copy(EXAMPLE, name)
    return name


def unchanged(before: str | None) -> str:
    if before is None:
        return "store: no file created" if not STORE.exists() else "store: a file was created!"
    return "store: unchanged, byte for byte" if digest() == before else "store: CHANGED"


def figures() -> str:
    held = open_store(STORE).load()
    return f"monthly figures kept: {held.monthly.height}"


# -- the cases -----------------------------------------------------------------------------------


def errors_on_an_existing_store() -> list[str]:
    run("ingest", workbook())
    before = digest()
    return [*run("ingest", workbook("bad.xlsx", Indicators_D2="banana")), unchanged(before)]


def errors_with_no_store_yet() -> list[str]:
    return [*run("ingest", workbook("bad.xlsx", Indicators_D2="banana")), unchanged(None)]


def warnings_with_strict() -> list[str]:
    run("ingest", workbook())
    before = digest()
    warned = workbook("warned.xlsx", Monthly_J11="TBC")
    return [*run("ingest", warned, "--strict"), unchanged(before)]


def the_same_workbook_twice() -> list[str]:
    run("ingest", workbook())
    before = digest()
    return [*run("ingest", workbook()), unchanged(before)]


def a_dry_run() -> list[str]:
    run("ingest", workbook())
    before = digest()
    changed = workbook("december.xlsx", Monthly_J11=82.0)
    return [*run("ingest", changed, "--dry-run"), unchanged(before)]


def a_store_from_a_newer_csckpi() -> list[str]:
    run("ingest", workbook())
    con = sqlite3.connect(STORE)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    before = digest()
    return [*run("ingest", workbook("december.xlsx", Monthly_J11=82.0)), unchanged(before)]


def a_store_from_an_older_csckpi() -> list[str]:
    con = sqlite3.connect(STORE)
    con.executescript(VERSION_0)
    con.close()
    lines = run("history", "-i", "CSC 038", "-f", "csv")
    con = sqlite3.connect(STORE)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    return [*lines, f"store: migrated to version {version}, {figures()}"]


def a_store_with_a_row_per_figure() -> list[str]:
    """Store version 3 kept a SQL row per figure; version 4 keeps a frame per ingest."""
    run("ingest", workbook())
    run("ingest", workbook("december.xlsx", Monthly_J11=82.0))
    downgrade_to_version_3(STORE)
    lines = run("history", "-i", "CSC 038", "-p", "Oct-20", "-f", "csv")
    con = sqlite3.connect(STORE)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    return [*lines, f"store: migrated to version {version}, {figures()}"]


def a_text_file_as_the_store() -> list[str]:
    STORE.write_text("code,value\nCSC038,85.2\n", encoding="utf-8")
    before = digest()
    return [*run("ingest", workbook()), unchanged(before)]


def another_sqlite_database() -> list[str]:
    con = sqlite3.connect(STORE)
    con.execute("CREATE TABLE people (name TEXT)")
    con.close()
    before = digest()
    return [*run("ingest", workbook()), unchanged(before)]


def a_folder_as_the_store() -> list[str]:
    Path("stores").mkdir()
    return run("ingest", workbook(), "--store", "stores")


def a_folder_that_does_not_exist() -> list[str]:
    lines = run("ingest", workbook(), "--store", "missing/csckpi.db")
    return [*lines, "store: no file created" if not Path("missing").exists() else "created!"]


def no_store_yet() -> list[str]:
    return [*run("history", "-i", "CSC 038"), unchanged(None)]


def an_empty_store_file() -> list[str]:
    STORE.touch()
    return [*run("indicators"), "store: unchanged, still empty" if digest() else "store: gone!"]


def csckpi(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csckpi", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def two_ingests_at_once() -> list[str]:
    first_book, second_book = workbook(), workbook("december.xlsx", Monthly_J11=82.0)
    flag, release = Path("in-transaction"), Path("release")
    first = csckpi(
        "ingest", first_book, **{PAUSE_HOOK: str(flag), PAUSE_HOOK + "_UNTIL": "release"}
    )
    wait_for(flag, first)
    second = csckpi("ingest", second_book)
    assert second.stderr is not None
    try:
        waiting = second.stderr.readline().rstrip("\n")
        while waiting in EXAMPLE_WARNINGS:  # said before the store is opened
            waiting = second.stderr.readline().rstrip("\n")
    finally:
        release.touch()
    first.communicate(timeout=120)
    out, _ = second.communicate(timeout=120)
    summary = [WHEN.sub("<time>", line) for line in out.splitlines()]
    ingests = len(open_store(STORE).ingests())
    return [
        waiting,
        *summary,
        f"exit codes {first.returncode} and {second.returncode}",
        f"store: {ingests} ingests, integrity {integrity(STORE)}",
    ]


def killed_during_an_ingest() -> list[str]:
    run("ingest", workbook())
    before = open_store(STORE).load()
    flag = Path("in-transaction")
    killed = csckpi(
        "ingest", workbook("december.xlsx", Monthly_J11=82.0), **{PAUSE_HOOK: str(flag)}
    )
    wait_for(flag, killed)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)
    after = open_store(STORE).load()
    same = after.monthly.sort(after.monthly.columns).equals(
        before.monthly.sort(before.monthly.columns)
    )
    return [
        f"the process ends with signal {-killed.returncode} (SIGKILL) inside its transaction",
        *run("history", "-i", "CSC 038", "-p", "Oct-20", "-f", "csv"),
        f"store: integrity {integrity(STORE)}, "
        + ("the previous figures, as they were" if same else "figures CHANGED"),
    ]


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    run: Callable[[], list[str]]


CASES = [
    Case(
        "Ingests that fail",
        "a workbook with errors, on an existing store",
        errors_on_an_existing_store,
    ),
    Case("Ingests that fail", "a workbook with errors, no store yet", errors_with_no_store_yet),
    Case("Ingests that fail", "warnings with --strict", warnings_with_strict),
    Case("Ingests that change nothing", "the same workbook twice", the_same_workbook_twice),
    Case("Ingests that change nothing", "--dry-run", a_dry_run),
    Case("Interrupted and concurrent ingests", "two ingests at once", two_ingests_at_once),
    Case("Interrupted and concurrent ingests", "kill -9 during an ingest", killed_during_an_ingest),
    Case("Stores", "a store written by a newer csckpi", a_store_from_a_newer_csckpi),
    Case("Stores", "a store written by an older csckpi (version 0)", a_store_from_an_older_csckpi),
    Case("Stores", "a store with a row per figure (version 3)", a_store_with_a_row_per_figure),
    Case("Stores", "a text file as the store", a_text_file_as_the_store),
    Case("Stores", "another SQLite database as the store", another_sqlite_database),
    Case("Stores", "a folder as the store", a_folder_as_the_store),
    Case("Stores", "a store in a folder that does not exist", a_folder_that_does_not_exist),
    Case("Stores", "no store yet", no_store_yet),
    Case("Stores", "an empty store file", an_empty_store_file),
]

#: What the user sees for each case, and what the store holds afterwards: reviewed by hand.
EXPECTED: dict[str, tuple[str, ...]] = {
    "a workbook with errors, on an existing store": (
        'error: Indicators!D2: "banana" is not a unit — write percent, count, rate or number',
        "Nothing written to csckpi.db: bad.xlsx has 1 error, listed above.",
        "Fix them in the workbook and run csckpi ingest again.",
        "exit code 1",
        "store: unchanged, byte for byte",
    ),
    "a workbook with errors, no store yet": (
        'error: Indicators!D2: "banana" is not a unit — write percent, count, rate or number',
        "Nothing written to csckpi.db: bad.xlsx has 1 error, listed above.",
        "Fix them in the workbook and run csckpi ingest again.",
        "exit code 1",
        "store: no file created",
    ),
    "warnings with --strict": (
        'warning: Monthly!J11: "TBC" is not a number — left blank',
        "Nothing written to csckpi.db: warned.xlsx has 2 errors (warnings count as errors with --strict), listed above.",
        "Fix them in the workbook and run csckpi ingest again.",
        "exit code 1",
        "store: unchanged, byte for byte",
    ),
    "the same workbook twice": (
        "workbook.xlsx is already in csckpi.db (ingest 1, <time>, same SHA-256): nothing changed.",
        "exit code 0",
        "store: unchanged, byte for byte",
    ),
    "--dry-run": (
        "Dry run: nothing written to csckpi.db. Ingesting december.xlsx would give:",
        "  Indicators  42",
        "  Months      10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)",
        "  Figures     0 added, 1 revised, 585 unchanged",
        "  Warnings    1",
        "1 figure would be revised:",
        "  CSC 038 Oct-20 value: 81.5 → 82 (Monthly!J11)",
        "exit code 0",
        "store: unchanged, byte for byte",
    ),
    "two ingests at once": (
        "csckpi: waiting for another csckpi to finish with csckpi.db …",
        "Ingested december.xlsx into csckpi.db (ingest 2, <time>).",
        "  Indicators  42",
        "  Months      10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)",
        "  Figures     0 added, 1 revised, 585 unchanged",
        "  Warnings    1",
        "1 figure revised:",
        "  CSC 038 Oct-20 value: 81.5 → 82 (Monthly!J11)",
        "exit codes 0 and 0",
        "store: 2 ingests, integrity ok",
    ),
    "kill -9 during an ingest": (
        "the process ends with signal 9 (SIGKILL) inside its transaction",
        "period,figure,value,ingested,ingest,file,cell,latest",
        "Oct-20,value,81.5,<time>,1,workbook.xlsx,Monthly!J11,yes",
        "exit code 0",
        "store: integrity ok, the previous figures, as they were",
    ),
    "a store written by a newer csckpi": (
        "csckpi: The store csckpi.db was written by a newer csckpi (store version 9; this csckpi reads versions up to 8). Upgrade csckpi: pip install --upgrade csckpi.",
        "exit code 1",
        "store: unchanged, byte for byte",
    ),
    "a store written by an older csckpi (version 0)": (
        "period,figure,value,ingested,ingest,file,cell,latest",
        "Oct-20,value,70.0,<time>,1,old.xlsx,Monthly!C3,yes",
        "exit code 0",
        "store: migrated to version 8, monthly figures kept: 1",
    ),
    "a store with a row per figure (version 3)": (
        "period,figure,value,ingested,ingest,file,cell,latest",
        "Oct-20,value,81.5,<time>,1,workbook.xlsx,Monthly!J11,",
        "Oct-20,value,82.0,<time>,2,december.xlsx,Monthly!J11,yes",
        "exit code 0",
        "store: migrated to version 8, monthly figures kept: 400",
    ),
    "a text file as the store": (
        "csckpi: csckpi.db is not a csckpi store (file is not a database). Give another path with --store, or move that file away.",
        "exit code 1",
        "store: unchanged, byte for byte",
    ),
    "another SQLite database as the store": (
        "csckpi: csckpi.db is an SQLite database but not a csckpi store. Give another path with --store.",
        "exit code 1",
        "store: unchanged, byte for byte",
    ),
    "a folder as the store": (
        "csckpi: The store stores is a folder, not a file. Give the path of a file in it, e.g. --store stores/csckpi.db.",
        "exit code 1",
    ),
    "a store in a folder that does not exist": (
        "csckpi: Cannot create the store missing/csckpi.db: the folder missing does not exist. Create it first, or give another --store PATH.",
        "exit code 1",
        "store: no file created",
    ),
    "no store yet": (
        "csckpi: There is no store at csckpi.db. Load a workbook first: csckpi ingest WORKBOOK (or give --store PATH).",
        "exit code 1",
        "store: no file created",
    ),
    "an empty store file": (
        "csckpi: The store csckpi.db holds nothing yet. Load a workbook first: csckpi ingest WORKBOOK.",
        "exit code 1",
        "store: unchanged, still empty",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert tuple(case.run()) == EXPECTED[case.name]


def render() -> str:
    """docs/store-safety.md: every case, what the user sees and what the store holds after."""
    lines = [
        "# The store: failures, interruptions and misuse, and what csckpi does",
        "",
        "<!-- Generated from tests/test_store_cases.py: do not edit by hand. Regenerate with",
        "     CSCKPI_UPDATE_GOLDEN=1 python -m pytest tests/test_store_cases.py -->",
        "",
        "Each row is a test run in an empty folder with the shipped example workbook",
        "(`workbook.xlsx`) and the default store `./csckpi.db`: it shows what csckpi prints",
        "(stderr, then stdout), the exit code, and what the test found in the store afterwards.",
        "An ingest validates the whole workbook first and then writes everything in one SQLite",
        "transaction, or nothing; the store uses SQLite's rollback journal, so a killed process",
        "leaves a journal that the next command rolls back. Times are shown as `<time>`.",
        "How broken workbooks are answered is in [bad-input.md](bad-input.md). The example's",
        "own warning, which every ingest of it gives ([workbook.md](workbook.md)), is left out",
        "of each row; `Warnings` counts it.",
    ]
    group = None
    for case in CASES:
        if case.group != group:
            group = case.group
            lines += [
                "",
                f"## {group}",
                "",
                "| Case | What csckpi says and does |",
                "| --- | --- |",
            ]
        said = "<br>".join(f"`{line}`".replace("|", "\\|") for line in EXPECTED[case.name])
        lines.append(f"| {case.name} | {said} |")
    return "\n".join(lines) + "\n"


def test_every_case_has_an_expected_answer() -> None:
    assert [c.name for c in CASES] == list(EXPECTED)


def test_doc_is_current() -> None:
    text = render()
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        DOC.write_text(text, encoding="utf-8")
    assert DOC.exists(), (
        "docs/store-safety.md is missing: CSCKPI_UPDATE_GOLDEN=1 pytest " + __file__
    )
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/store-safety.md is stale: CSCKPI_UPDATE_GOLDEN=1 pytest tests/test_store_cases.py"
    )
