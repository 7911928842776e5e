"""`csckpi --help` and `--version` start without the heavy libraries.

Run the real entry script in a fresh interpreter with ``-X importtime`` (every module imported
is listed on stderr) and check that polars, openpyxl and numpy are not among them. This is the
only performance assertion in the suite: timings belong to ``benchmarks/run.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csckpi import __version__

HEAVY = {"polars", "openpyxl", "numpy", "pyarrow", "pandas", "matplotlib", "psycopg"}


def entry_script() -> Path:
    """The `csckpi` script the package installs (what users run), beside this Python."""
    beside = Path(sys.executable).parent / "csckpi"
    if beside.exists():
        return beside
    found = shutil.which("csckpi")
    assert found, "the csckpi script is not installed: pip install -e ."
    return Path(found)


def imported_modules(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(entry_script()), *args],
        capture_output=True,
        text=True,
        env=env | {"NO_COLOR": "1", "COLUMNS": "120"},
        check=False,
        timeout=60,
    )
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.add(name)
    return proc, modules


def test_importtime_lists_what_is_imported() -> None:
    # the parsing itself must see imports, or the assertions below prove nothing
    _, modules = imported_modules("--version")
    assert {"typer", "csckpi", "csckpi.cli"} <= modules


@pytest.mark.parametrize("args", [("--help",), ("--version",)], ids=["help", "version"])
def test_start_up_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    proc, modules = imported_modules(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"csckpi {' '.join(args)} imported {heavy[:10]}"


def test_version_output() -> None:
    proc, _ = imported_modules("--version")
    assert proc.stdout == f"csckpi {__version__}\n"


def command_names() -> list[str]:
    from csckpi.cli import app

    names = []
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else None)
        if name:
            names.append(name.replace("_", "-"))
    return sorted(names)


def test_every_command_is_listed() -> None:
    assert command_names(), "no command is registered on csckpi.cli.app"


@pytest.mark.parametrize("command", command_names())
def test_command_help_imports_no_heavy_library(command: str) -> None:
    proc, modules = imported_modules(command, "--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"csckpi {command} --help imported {heavy[:10]}"
