"""The README's session is real: each `$ csckpi ...` line, run on the example, prints what the
README shows under it (stderr, then stdout; the ingest time aside). Regenerate the block with
CSCKPI_UPDATE_GOLDEN=1 after reviewing the change."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(## What it looks like\n.*?```text\n)(.*?)(```)", re.S)
WHEN = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def _session() -> tuple[str, list[tuple[str, str]]]:
    match = BLOCK.search(README.read_text(encoding="utf-8"))
    assert match, "README.md lost its 'What it looks like' session"
    steps: list[tuple[str, str]] = []
    for line in match.group(2).splitlines(keepends=True):
        if line.startswith("$ "):
            steps.append((line[2:].strip(), ""))
        else:
            command, output = steps[-1]
            steps[-1] = (command, output + line)
    return match.group(2), steps


def _run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "csckpi"
    args = [str(ROOT / a) if a.startswith("examples/") else a for a in args[1:]]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stderr + result.stdout  # as a terminal shows them: ingest's warnings first


def test_the_readme_session_is_what_csckpi_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # the default store, ./csckpi.db, starts empty
    block, steps = _session()
    assert len(steps) >= 3
    actual = "".join(f"$ {command}\n{_run(command)}" for command, _ in steps)
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(block, actual), encoding="utf-8")
        block = actual
    assert WHEN.sub("<time>", actual) == WHEN.sub("<time>", block)
