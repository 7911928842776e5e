"""The report as a committee reads it (issue 16): the summary headed as `narrate --summary`
heads it, whatever the period."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()


def _run(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.stdout


@pytest.mark.parametrize(
    ("period", "heading"),
    [
        ("Q3 2020/21", "Performance Summary: Quarter 3 2020/21 (October to December 2020)"),
        ("Dec-20", "Performance Summary: December 2020"),
        ("2020/21 YTD", "Performance Summary: April to December 2020"),
    ],
)
def test_the_summary_is_headed_as_narrate_heads_it(tmp_path: Path, period: str, heading: str):
    """One function words both: narrate's heading with the council's name, the report's
    without it (its cover names the council)."""
    said = _run("narrate", "-w", str(EXAMPLE), "-p", period, "--summary", "--audience", "committee")
    assert said.splitlines()[0] == f"Darlington {heading}"
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    _run("report", "-w", str(EXAMPLE), "-p", period, "-o", str(md))
    _run("report", "-w", str(EXAMPLE), "-p", period, "-o", str(html))
    assert f"\n## {heading}\n" in md.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert f"<h2>{heading}</h2>" in page
    assert f'<a href="#summary">{heading}</a>' in page  # the contents
