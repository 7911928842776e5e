"""The package type-checks: mypy, strict, as [tool.mypy] in pyproject.toml sets it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_package_passes_mypy_strict():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
