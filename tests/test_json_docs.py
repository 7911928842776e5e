"""docs/json.md: each command's JSON example is what the command prints on the example workbook.

The compute example is checked in tests/test_cli_compute.py; here compare, ingest and history.
Only what cannot repeat is masked: the time of an ingest, and the workbook's SHA-256 (which
changes whenever the example is rebuilt; it is checked against the file instead).
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import app

DOCS = Path(__file__).resolve().parent.parent / "docs" / "json.md"
runner = CliRunner()

_VOLATILE = re.compile(r'"(ingested_at|ingested|sha256)": "[^"]*"')


def documented(heading: str) -> tuple[list[str], str]:
    """The command line and the JSON example of the docs' section starting ``heading``."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"\n# `{heading}", 1)[1].split("\n# ", 1)[0]
    command = next(line.strip() for line in section.splitlines() if line.startswith("    csckpi "))
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    return shlex.split(command)[1:], example


def masked(text: str) -> str:
    return _VOLATILE.sub(lambda m: f'"{m[1]}": "…"', text)


@pytest.fixture
def here(tmp_path: Path, example_workbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as the docs' commands expect: examples/ and an empty store."""
    (tmp_path / "examples").mkdir()
    shutil.copy(example_workbook, tmp_path / "examples" / example_workbook.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str]):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def test_compare_example_is_what_compare_prints(here: Path):
    args, example = documented("csckpi compare --format json")
    assert args[0] == "compare" and "json" in args
    printed = run(args)
    assert printed == example
    (item,) = json.loads(printed)
    assert item["verdict"] and item["code"] == "CSC 038"


def test_compare_json_is_the_library_comparison_plus_its_verdict(here: Path):
    from csckpi import spc
    from csckpi.compare import compare
    from csckpi.compute import resolve_period
    from csckpi.narrate import verdict
    from csckpi.render.tables import to_json
    from csckpi.workbook import read_dataset

    args, _ = documented("csckpi compare --format json")
    ds = read_dataset(here / "examples" / "darlington-2020-21-q3.xlsx")
    c = compare(ds, resolve_period(ds, "Q3 2020/21"), "CSC038", spc.options())  # as the command
    assert json.loads(run(args)) == json.loads(to_json([c.as_dict() | {"verdict": verdict(c)}]))


def test_ingest_example_is_what_ingest_prints(here: Path, example_workbook: Path):
    args, example = documented("csckpi ingest --format json")
    assert args[0] == "ingest" and "json" in args
    printed = run(args)
    assert masked(printed) == masked(example)
    digest = hashlib.sha256(example_workbook.read_bytes()).hexdigest()
    assert json.loads(printed)["summary"]["sha256"] == digest
    assert re.search(r'"sha256": "[0-9a-f]{64}"', example)


def test_history_example_is_what_history_prints_after_that_ingest(here: Path):
    ingest_args, _ = documented("csckpi ingest --format json")
    run(ingest_args)
    args, example = documented("csckpi history --format json")
    assert args[0] == "history" and "json" in args
    printed = run(args)
    assert masked(printed) == masked(example)
    rows = json.loads(printed)
    assert all(type(r["latest"]) is bool and type(r["value"]) is int for r in rows)
