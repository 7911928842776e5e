"""The report's key messages (issue 16 item 5): the ones `narrate --summary` opens with, first
in every format, made from the comparisons the report already built, checked like the
paragraphs, and under ``--publish`` stating no withheld figure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from browser import require_pdftotext
from conftest import EXAMPLE, assert_golden
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compute import resolve_period
from csckpi.narrate import Audience, Settings, summarise
from csckpi.narrate.check import SentenceRefused
from csckpi.render.report_html import render_html
from csckpi.render.report_md import render_markdown
from csckpi.render.report_xlsx import write_xlsx
from csckpi.report import Report, build
from csckpi.spc import options
from csckpi.workbook import read_dataset

runner = CliRunner()
GENERATED = dt.date(2021, 1, 20)
SPC = options()  # as the commands have it: the default rules


@pytest.fixture(scope="module")
def dataset():
    return read_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def q3(dataset) -> Report:
    return build(dataset, resolve_period(dataset, "Q3 2020/21"), generated=GENERATED, spc=SPC)


@pytest.mark.parametrize("period", ["Q3 2020/21", "2020-11", "2020/21 YTD"])
def test_the_report_says_the_key_messages_the_committee_summary_opens_with(dataset, period):
    when = resolve_period(dataset, period)
    report = build(dataset, when, generated=GENERATED, spc=SPC)
    committee = Settings(audience=Audience.COMMITTEE)
    said = summarise(dataset, when, settings=committee, spc=SPC).messages
    assert 3 <= len(report.messages) <= 6
    assert report.messages == tuple(m.text for m in said)


def _xlsx_rows(report: Report, path: Path) -> list[tuple[object, object]]:
    from openpyxl import load_workbook

    write_xlsx(report, path)
    ws = load_workbook(path)["Summary"]
    return [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(1, ws.max_row + 1)]


def test_the_example_key_messages_in_every_format(q3: Report, tmp_path: Path):
    """One golden for the example's Q3 key messages as HTML, Markdown and XLSX lay them out;
    each comes before the overview and the Performance Summary."""
    html = render_html(q3)
    part = re.search(r'<section class="messages" id="messages">.*?</section>', html, re.S)
    assert part is not None
    assert html.index('id="contents"') < part.start() < html.index('id="overview"')
    assert html.index('href="#messages"') < html.index('href="#overview"')
    md = render_markdown(q3, "q3_files")
    start = md.index("## Key messages")
    block = md[start : md.index("## Overview")]
    rows = _xlsx_rows(q3, tmp_path / "q3.xlsx")
    summary = next(i for i, (a, _) in enumerate(rows) if str(a).startswith("Performance Summary"))
    assert rows[0] == ("Key messages", None)
    numbered = [(a, b) for a, b in rows[:summary] if b is not None]
    assert [b for _, b in numbered] == list(q3.messages)
    assert [a for a, _ in numbered] == list(range(1, len(q3.messages) + 1))
    xlsx = "\n".join(f"{a}\t{b}" for a, b in rows[: summary + 1] if a is not None)
    text = "\n\n".join(
        (
            "# HTML",
            part.group(0).replace("<li>", "\n<li>"),
            "# Markdown",
            block.strip(),
            "# XLSX (Summary sheet)",
            xlsx,
        )
    )
    assert_golden("report_example_messages.txt", text + "\n")


def test_no_key_messages_no_part(q3: Report, tmp_path: Path):
    quiet = dataclasses.replace(q3, messages=())
    html = render_html(quiet)
    assert 'id="messages"' not in html and "Key messages" not in html
    assert "Key messages" not in render_markdown(quiet, "q3_files")
    rows = _xlsx_rows(quiet, tmp_path / "quiet.xlsx")
    assert rows[0][0] == quiet.summary_heading
    assert all(a != "Key messages" for a, _ in rows)


def test_the_pdf_opens_with_the_key_messages(example_pdf, q3: Report):
    """The printed report: the key messages on the page after the contents, above the
    overview (the PDF is the HTML printed by Chromium)."""
    pdftotext = require_pdftotext()
    assert example_pdf.exit_code == 0, example_pdf.output
    text = subprocess.run(
        [pdftotext, "-layout", str(example_pdf.path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")
    page = next(i for i, p in enumerate(pages) if "KEY MESSAGES" in p)
    assert page >= 1 and "OVERVIEW" in pages[page]
    flat = " ".join(pages[page].split())
    at = -1
    for message in q3.messages:  # each after the one before (two may open alike)
        at = flat.index(" ".join(message.split()[:10]), at + 1)
    assert at < flat.index("OVERVIEW")


def test_a_key_message_that_disagrees_with_the_data_refuses_the_report(dataset, monkeypatch):
    """The report's key messages pass the checker the paragraphs pass: one stating a figure
    the data do not give stops the report."""
    from csckpi.narrate import messages

    original = messages.candidate

    def wrong(c, settings, spelled=None):
        found = original(c, settings, spelled)
        if found is None or not found.facts:
            return found
        fact = dataclasses.replace(found.facts[0], value=(found.facts[0].value or 0) + 7)
        return dataclasses.replace(found, facts=(fact, *found.facts[1:]))

    monkeypatch.setattr(messages, "candidate", wrong)
    with pytest.raises(SentenceRefused):
        build(dataset, resolve_period(dataset, "Q3 2020/21"), generated=GENERATED, spc=SPC)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from publish_data import workbook

    return workbook(tmp_path_factory.mktemp("publish") / "small.xlsx")


def test_a_published_report_states_no_withheld_figure_in_its_key_messages(small: Path):
    """October 2020's 75.0% of small.xlsx is 3 of 4 referrals: withheld under --publish, so
    the key message that says it (a new red) is not in the published report, whose key
    messages are those of `narrate --summary --publish` for the committee."""
    ds = read_dataset(small)
    october = resolve_period(ds, "2020-10")
    open_report = build(ds, october, generated=GENERATED, spc=SPC)
    published = build(ds, october, generated=GENERATED, spc=SPC, publish=5)
    said = [m for m in open_report.messages if "75.0%" in m]
    assert said and said[0].startswith("Referrals completed in a day: now below our target")
    assert published.messages and not [m for m in published.messages if "75.0%" in m]
    done = runner.invoke(
        app,
        [
            *("narrate", "-w", str(small), "-p", "2020-10", "--summary", "--publish"),
            *("--audience", "committee", "--format", "json"),
        ],
    )
    assert done.exit_code == 0, done.output
    narrated = [m["text"] for m in json.loads(done.stdout)["key_messages"]]
    assert published.messages == tuple(narrated)
