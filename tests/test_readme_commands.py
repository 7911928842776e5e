"""The README's commands work as written: the first command's csckpi part, the monthly
routine (run as the shell script it is, on the example), and CI runs the README's test
command exactly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"


def sh_blocks(after: str) -> list[str]:
    """The ```sh blocks that follow the line starting with ``after`` (up to the next one)."""
    start = README.index(after)
    return re.findall(r"```sh\n(.*?)```", README[start:], re.S)


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with sh, with this environment's csckpi first on PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CSCKPI_STORE", None)
    return subprocess.run(
        ["sh", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_first_command_runs_the_main_job_on_the_example(tmp_path: Path) -> None:
    command = sh_blocks("## Try it")[0].strip()
    assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    job = command[command.index("csckpi ") :]  # the part after installing
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "examples" / EXAMPLE.name)
    done = shell(job, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Ingested {EXAMPLE.name} into csckpi.db (ingest 1, ")
    assert "Scorecard · Q3 2020/21 · Darlington" in done.stdout
    assert (tmp_path / "q3-report.html").stat().st_size > 10_000


def test_ci_runs_the_readme_test_command() -> None:
    command = sh_blocks("Run the whole test suite")[0].strip()
    assert "pytest" in command and "\n" not in command
    ci = ROOT / ".ci" / "run"
    assert command in ci.read_text(encoding="utf-8").splitlines()
    assert os.access(ci, os.X_OK)


def test_the_monthly_routine_runs_as_a_script_on_the_example(tmp_path: Path) -> None:
    script = sh_blocks("## The monthly routine")[0]
    assert script.startswith("#!/bin/sh\n")
    shutil.copy(EXAMPLE, tmp_path / "performance-workbook.xlsx")
    done = shell(script, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Ingested performance-workbook.xlsx into csckpi.db")
    # the example has red indicators: the script tells exit 3 apart from a failure
    assert done.stdout.endswith("some indicators are red: see scorecard.csv\n")
    assert (tmp_path / "q3.html").exists()
    assert (tmp_path / "scorecard.csv").read_text(encoding="utf-8").startswith("code,")
