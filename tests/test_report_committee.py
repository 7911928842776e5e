"""The report as a committee reads it (issue 16): the summary headed as `narrate --summary`
heads it, whatever the period; where the figures come from (the workbook or the store's
latest ingest, its SHA-256) in the appendix, not on the cover, unless the analyst reads it."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from browser import require_pdftotext
from conftest import EXAMPLE
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()
Q3 = ("-p", "Q3 2020/21")


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


# -- provenance: the analyst's, kept from the committee's cover -----------------------------

DIGEST = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
SOURCE = "darlington-2020-21-q3.xlsx"


def _html(tmp_path: Path, *args: str) -> tuple[str, str]:
    """The report's cover (its title block) and its appendix, as HTML."""
    out = tmp_path / f"q3{len(args)}.html"
    _run("report", "-w", str(EXAMPLE), *Q3, "-o", str(out), *args)
    page = out.read_text(encoding="utf-8")
    cover = page[page.index('<header class="title-block"') : page.index("</header>")]
    appendix = page[page.index('<section class="notes" id="notes">') :]
    return cover, appendix


def test_the_committee_cover_keeps_the_source_to_the_appendix(tmp_path: Path):
    cover, appendix = _html(tmp_path)
    assert "<dt>Generated</dt>" in cover
    assert "Source" not in cover and "SHA-256" not in cover and DIGEST not in cover
    assert f"<dt>Source</dt><dd>{SOURCE}</dd>" in appendix
    assert f"<dt>SHA-256</dt><dd><code>{DIGEST}</code></dd>" in appendix


def test_the_analysts_cover_names_the_source(tmp_path: Path):
    cover, appendix = _html(tmp_path, "--audience", "analyst")
    assert f"<dt>Source</dt><dd>{SOURCE}</dd>" in cover
    assert f"<dt>SHA-256</dt><dd><code>{DIGEST}</code></dd>" in cover
    assert "Source" not in appendix and DIGEST not in appendix


def test_an_audience_that_is_none_is_refused(tmp_path: Path):
    done = runner.invoke(
        app, ["report", "-w", str(EXAMPLE), *Q3, "-o", str(tmp_path / "q3.html"), "--audience", "x"]
    )
    assert done.exit_code == 2
    assert "'x' is not an audience; use committee or analyst." in done.stderr
    assert not (tmp_path / "q3.html").exists()


def test_markdown_and_xlsx_keep_it_to_the_appendix_too(tmp_path: Path):
    md = tmp_path / "q3.md"
    _run("report", "-w", str(EXAMPLE), *Q3, "-o", str(md))
    text = md.read_text(encoding="utf-8")
    cover, appendix = text.split("## Key messages")[0], text.split("## Appendix")[1]
    assert "- **Generated:** " in cover and "Source" not in cover and DIGEST not in cover
    assert f"- **Source:** {SOURCE}\n- **SHA-256:** `{DIGEST}`\n" in appendix

    from openpyxl import load_workbook

    xlsx = tmp_path / "q3.xlsx"
    _run("report", "-w", str(EXAMPLE), *Q3, "-o", str(xlsx))
    wb = load_workbook(xlsx)

    def firsts(name: str) -> dict[object, object]:
        ws = wb[name]
        return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}

    overview, notes = firsts("Overview"), firsts("Notes for the analyst")
    assert "Generated" in overview and "Source" not in overview and "SHA-256" not in overview
    assert (notes["Source"], notes["SHA-256"]) == (SOURCE, DIGEST)


def test_the_pdf_cover_names_no_source(example_pdf):
    pdftotext = require_pdftotext()
    assert example_pdf.exit_code == 0, example_pdf.output

    def pages(*args: str) -> str:
        found = subprocess.run(
            [pdftotext, *args, str(example_pdf.path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        return "".join(found.stdout.split())  # a digest may wrap

    first, every = pages("-f", "1", "-l", "1"), pages()
    assert "Generated" in first and "SHA-256" not in first and DIGEST not in first
    appendix = every[every.rindex("Appendix:notesfortheanalyst") :]
    assert "SHA-256" in appendix and DIGEST in appendix
