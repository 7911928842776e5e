"""A sheet whose XML breaks after its prolog is a damaged workbook: one line, exit 1."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import WorkbookError
from csckpi.workbook import read


def _cut_a_sheet(example: Path, out: Path) -> Path:
    with zipfile.ZipFile(example) as zin, zipfile.ZipFile(out, "w") as zout:
        cut = False
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and not cut:
                data, cut = data[: len(data) // 2], True
            zout.writestr(info, data)
    assert cut
    return out


def test_a_sheet_cut_in_half_is_a_damaged_workbook(example_workbook, tmp_path):
    broken = _cut_a_sheet(example_workbook, tmp_path / "broken.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read(broken)
    assert "could not be read as a workbook" in str(caught.value)


def test_the_command_says_so_in_one_line_and_writes_nothing(example_workbook, tmp_path):
    broken = _cut_a_sheet(example_workbook, tmp_path / "broken.xlsx")
    store = tmp_path / "csckpi.db"
    result = CliRunner().invoke(app, ["ingest", str(broken), "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"csckpi: {broken} could not be read as a workbook (")
    assert "Traceback" not in result.output
    assert not store.exists()
