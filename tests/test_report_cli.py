"""`csckpi report` through the CLI: formats, messages, exit codes, provenance, speed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import EXAMPLE
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()
Q3 = ["--period", "Q3 2020/21"]


def _report(*args: str):
    return runner.invoke(app, ["report", "-w", str(EXAMPLE), *Q3, *args])


def _report_period(period: str, *args: str):
    return runner.invoke(app, ["report", "-w", str(EXAMPLE), "--period", period, *args])


def test_html_report_from_the_workbook(tmp_path: Path):
    out = tmp_path / "q3.html"
    result = _report("-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Wrote {out} (Q3 2020/21: 20 sections, 42 indicators).\n"
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('<svg class="chart"') == 20
    digest = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert f"<code>{digest}</code>" in html
    assert "<dd>darlington-2020-21-q3.xlsx</dd>" in html


def test_without_a_period_the_latest_complete_quarter(tmp_path: Path):
    out = tmp_path / "latest.html"
    result = runner.invoke(app, ["report", "-w", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out} (Q3 2020/21: 20 sections, 42 indicators).\n"


def test_a_month_report(tmp_path: Path):
    out = tmp_path / "nov.html"
    result = _report_period("2020-11", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<p class="period">November 2020</p>' in html
    assert '<tr class="month future"><th class="row">Dec-20</th>' in html


def test_the_same_data_and_date_give_the_same_bytes(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1611100800")  # 2021-01-20
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert _report("-o", str(first)).exit_code == 0
    assert _report("-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert "<dd>20 January 2021</dd>" in first.read_text(encoding="utf-8")


def test_xlsx_report(tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "q3.xlsx"
    result = _report("-o", str(out))
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Overview", "Summary", "Referrals - Timeliness"]
    assert len(wb.sheetnames) == 23  # the overview, the summary, 20 sections, the notes
    assert wb.sheetnames[-1] == "Notes for the analyst"
    notes = [c.value for c in wb["Notes for the analyst"]["B"] if c.value]
    assert any("month by month only" in str(n) for n in notes)
    assert sum(len(ws._charts) for ws in wb.worksheets) == 42  # a native chart per indicator


def test_markdown_report_with_its_charts(tmp_path: Path):
    out = tmp_path / "q3.md"
    result = _report("-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Wrote {out} and its charts in {tmp_path / 'q3_files'} "
        "(Q3 2020/21: 20 sections, 42 indicators).\n"
    )
    assert len(list((tmp_path / "q3_files").glob("*.svg"))) == 20
    assert "](q3_files/referrals-timeliness.svg)" in out.read_text(encoding="utf-8")


def test_format_option_overrides_the_extension(tmp_path: Path):
    out = tmp_path / "q3.txt"
    result = _report("-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unknown_extension_is_refused_before_any_work(tmp_path: Path):
    result = _report("-o", str(tmp_path / "q3.docx"))
    assert result.exit_code == 2  # a command-line mistake, as for compute -o
    assert result.stderr.startswith("csckpi: --output: cannot tell")
    assert (
        "cannot tell the report's format from 'q3.docx': name the file .html, .xlsx, .md or "
        ".pdf, or give --format." in " ".join(result.stderr.replace("│", " ").split())
    )
    assert not (tmp_path / "q3.docx").exists()


def test_pdf_without_chromium_says_what_to_do(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CSCKPI_BROWSER", raising=False)
    monkeypatch.setenv("CSCKPI_CHROMIUM", str(tmp_path / "missing"))
    result = _report("-o", str(tmp_path / "q3.pdf"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"csckpi: Writing PDF needs Chrome, Edge or Chromium, and {tmp_path / 'missing'} is not "
        "one here (no such file, and no such program on PATH). Give the browser's full path "
        "with --browser PATH (or CSCKPI_BROWSER), e.g. /usr/bin/chromium, or write HTML "
        "instead (-o report.html) and print it from a browser.\n"
    )


def test_a_folder_that_does_not_exist(tmp_path: Path):
    out = tmp_path / "nowhere" / "q3.html"
    result = _report("-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"csckpi: Cannot write {out}: No such file or directory. "
        "Check the folder exists and you may write to it.\n"
    )


def test_a_period_the_data_cannot_answer(tmp_path: Path):
    result = runner.invoke(
        app, ["report", "-w", str(EXAMPLE), "-p", "Q4 2020/21", "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("csckpi: There are no figures after Dec-20")


def test_from_the_store_the_source_is_the_latest_ingest(tmp_path: Path, example_store: Path):
    store_path = example_store  # the example ingested into it (conftest)
    out = tmp_path / "q3.html"
    result = runner.invoke(app, ["report", "--store", str(store_path), *Q3, "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    digest = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert f"<code>{digest}</code>" in html
    assert f"<dd>darlington-2020-21-q3.xlsx (latest ingest into {store_path})</dd>" in html


@pytest.mark.browser
def test_pdf_report(example_pdf):
    """`report -w <example> --period "Q3 2020/21" -o q3.pdf` (rendered once: conftest)."""
    assert example_pdf.exit_code == 0, example_pdf.output
    data = example_pdf.path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 22  # front matter, summary and at least a page per section


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_a_progress_bar_on_a_terminal_and_none_when_piped(tmp_path: Path):
    """In a terminal, stderr shows the bar counting the charts; piped, only the last line."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "csckpi", "report", "-w", str(EXAMPLE), *Q3, "-o"]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    master, slave = os.openpty()
    with subprocess.Popen(
        [*command, str(tmp_path / "tty.html")], stderr=slave, stdout=subprocess.DEVNULL, env=env
    ) as proc:
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: the command has finished
                break
            if not chunk:
                break
            seen += chunk
    os.close(master)
    assert proc.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "Drawing charts" in text and "20/20" in text
    assert "Wrote " in text

    piped = _report("-o", str(tmp_path / "piped.html"))  # stderr is no terminal here either
    assert piped.exit_code == 0
    assert piped.stderr == (
        f"Wrote {tmp_path / 'piped.html'} (Q3 2020/21: 20 sections, 42 indicators).\n"
    )
