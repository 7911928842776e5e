"""The service's commentary where a committee reads it: after the sentences in `csckpi narrate`
(text, Markdown, JSON) and in the report (HTML, PDF, XLSX, Markdown), labelled as the
service's own words, and still there after a re-ingest of a revised workbook."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
from browser import require_chromium, require_pdftotext
from test_cli_comment import run, with_commentary

SHEET_ROW = "Two social workers left in November."  # the Commentary sheet's, by A. Analyst
#: The sheet's other row (CSC 251, no author, carried): three comments in Q3 2020/21 in all.
TYPED = "Four children came into care together."  # typed with csckpi comment, by B. Lead


@pytest.fixture
def store(tmp_path, monkeypatch, example_workbook) -> Path:
    """The example with a Commentary row, a comment typed on CSC 201, then a revised workbook
    (a figure changed, the same Commentary row) ingested over both."""
    monkeypatch.chdir(tmp_path)
    first = with_commentary(example_workbook, tmp_path / "q3.xlsx")
    assert run("ingest", str(first)).exit_code == 0
    typed = run("comment", "CSC 201", "-p", "Q3 2020/21", "--author", "B. Lead", TYPED)
    assert typed.exit_code == 0, typed.output
    revised = with_commentary(example_workbook, tmp_path / "q3-revised.xlsx", Monthly_J11=82.0)
    done = run("ingest", str(revised))
    assert done.exit_code == 0 and "1 figure revised" in done.stdout, done.output
    return tmp_path


def test_narrate_text_prints_both_after_the_sentences_labelled_as_the_services(store):
    done = run("narrate", "-p", "Q3 2020/21", "-i", "CSC038", "-i", "CSC201", "-f", "text")
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    for code, words, author in (
        ("CSC 038", SHEET_ROW, "A. Analyst"),
        ("CSC 201", TYPED, "B. Lead"),
    ):
        heading = next(n for n, line in enumerate(lines) if line.startswith(f"{code}: "))
        sentences, said = lines[heading + 1], lines[heading + 2]
        assert words not in sentences
        assert said.startswith(f"Service commentary ({author}, ")
        assert said.endswith(f"): {words}")


def test_narrate_markdown_quotes_it_apart(store):
    done = run("narrate", "-p", "Q3 2020/21", "-i", "CSC038", "--summary", "-f", "markdown")
    assert done.exit_code == 0, done.output
    assert "\n\n> **Service commentary** (A. Analyst, " in done.stdout
    assert done.stdout.rstrip().endswith(f"): {SHEET_ROW}")


def test_narrate_json_gives_each_paragraph_its_commentary(store):
    done = run("narrate", "-p", "Q3 2020/21", "-i", "CSC038", "-i", "CSC201", "-i", "CSC022")
    assert done.exit_code == 0
    data = json.loads(run("narrate", "-p", "Q3 2020/21", "-f", "json").stdout)
    said = {p["code"]: p["commentary"] for p in data["paragraphs"]}
    assert said["CSC 038"]["text"] == SHEET_ROW and said["CSC 038"]["author"] == "A. Analyst"
    assert said["CSC 038"]["origin"] == "workbook"
    assert said["CSC 038"]["location"] == "Commentary!C2"
    assert said["CSC 201"]["text"] == TYPED and said["CSC 201"]["origin"] == "typed"
    assert said["CSC 201"]["carried_from"] == ""
    assert said["CSC 022"] is None
    assert all(SHEET_ROW not in p["text"] and TYPED not in p["text"] for p in data["paragraphs"])


def test_a_carried_comment_is_shown_in_the_next_period_and_says_so(store):
    run("comment", "CSC 201", "-p", "Nov-20", "--carry", "--author", "B. Lead", "Carried.")
    run("comment", "CSC 038", "-p", "Nov-20", "Not carried.")
    done = run("narrate", "-p", "Dec-20", "-i", "CSC201", "-i", "CSC038")
    assert "carried forward from Nov-20): Carried." in done.stdout
    assert "Not carried." not in done.stdout


#: Who wrote the comments: the committee's report names none of them.
AUTHORS = ("A. Analyst", "B. Lead", "Commentary sheet of")


def _written(store: Path) -> dict[str, str]:
    """The day each indicator's comment was written (the store keeps it), as a report writes
    it: `5 December 2026`."""
    from csckpi.store import open_store

    when = {c.code: c.date for c in open_store(store / "csckpi.db").comments()}
    assert set(when) == {"CSC 038", "CSC 201", "CSC 251"} and all(when.values())
    return when


def test_the_html_report_sets_the_commentary_apart_with_its_date(store):
    """The committee's report (the default) signs a comment with its date, not its author: a
    login name ("root", "jsmith") or an officer's is not the committee's to read."""
    done = run("report", "-p", "Q3 2020/21", "-o", "q3.html")
    assert done.exit_code == 0, done.output
    html = Path("q3.html").read_text(encoding="utf-8")
    day = _written(store)
    assert html.count('<tr class="service"><th>SERVICE COMMENTARY</th>') == 3
    assert f"<p>{SHEET_ROW}</p><footer>CSC 038 · {day['CSC 038']}</footer>" in html
    assert f"<p>{TYPED}</p><footer>CSC 201 · {day['CSC 201']}</footer>" in html
    assert ".def tr.service th" in html  # its own colours
    assert not [who for who in AUTHORS if who in html]


def test_the_analysts_report_names_the_author(store):
    done = run("report", "-p", "Q3 2020/21", "-o", "q3.html", "--audience", "analyst")
    assert done.exit_code == 0, done.output
    html = Path("q3.html").read_text(encoding="utf-8")
    day = _written(store)
    assert f"<p>{SHEET_ROW}</p><footer>CSC 038 · A. Analyst, {day['CSC 038']}</footer>" in html
    assert f"<p>{TYPED}</p><footer>CSC 201 · B. Lead, {day['CSC 201']}</footer>" in html


def test_the_markdown_report_quotes_it(store):
    assert run("report", "-p", "Q3 2020/21", "-o", "q3.md").exit_code == 0
    text = Path("q3.md").read_text(encoding="utf-8")
    day = _written(store)
    assert text.count("**SERVICE COMMENTARY**") == 3
    assert f"> {SHEET_ROW}\n>\n> — CSC 038; {day['CSC 038']}\n" in text
    assert f"> {TYPED}\n>\n> — CSC 201; {day['CSC 201']}\n" in text
    assert not [who for who in AUTHORS if who in text]
    assert run("report", "-p", "Q3 2020/21", "-o", "a.md", "--audience", "analyst").exit_code == 0
    text = Path("a.md").read_text(encoding="utf-8")
    assert f"> {SHEET_ROW}\n>\n> — CSC 038; A. Analyst, {day['CSC 038']}\n" in text


def _commentary_rows(path: str) -> dict[str, list[object]]:
    found = {}
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows(values_only=True):
            if row[0] == "SERVICE COMMENTARY":
                cells = [c for c in row if c is not None]
                found[cells[1]] = cells[2:]
    return found


def test_the_spreadsheet_report_gives_the_byline_a_column_of_its_own(store):
    assert run("report", "-p", "Q3 2020/21", "-o", "q3.xlsx", "--force").exit_code == 0
    day = _written(store)
    found = _commentary_rows("q3.xlsx")
    assert found["CSC 038"] == [SHEET_ROW, day["CSC 038"]]
    assert found["CSC 201"] == [TYPED, day["CSC 201"]]
    assert found["CSC 251"][1] == day["CSC 251"]
    assert len(found) == 3
    args = ("-o", "a.xlsx", "--audience", "analyst")
    assert run("report", "-p", "Q3 2020/21", *args).exit_code == 0
    found = _commentary_rows("a.xlsx")
    assert found["CSC 038"] == [SHEET_ROW, f"A. Analyst, {day['CSC 038']}"]
    assert found["CSC 201"] == [TYPED, f"B. Lead, {day['CSC 201']}"]
    assert found["CSC 251"][1] == f"Commentary sheet of q3.xlsx, {day['CSC 251']}"


def test_the_pdf_report_prints_it(store):
    require_chromium()
    pdftotext = require_pdftotext()
    done = run("report", "-p", "Q3 2020/21", "-o", "q3.pdf")
    assert done.exit_code == 0, done.output
    text = subprocess.run(
        [pdftotext, "q3.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    day = _written(store)
    assert flat.count("SERVICE COMMENTARY") == 3
    assert SHEET_ROW in flat and TYPED in flat
    assert f"CSC 038 · {day['CSC 038']}" in flat and f"CSC 201 · {day['CSC 201']}" in flat
    assert not [who for who in AUTHORS if who in flat]


def test_narrate_for_the_committee_signs_with_the_date_alone(store):
    args = ("narrate", "-p", "Q3 2020/21", "-i", "CSC038", "--audience", "committee")
    day = _written(store)
    text = run(*args).stdout
    assert f"Service commentary ({day['CSC 038']}): {SHEET_ROW}" in text
    markdown = run(*args, "-f", "markdown").stdout
    assert f"> **Service commentary** ({day['CSC 038']}): {SHEET_ROW}" in markdown
    assert "A. Analyst" not in text + markdown


def test_a_report_without_commentary_is_as_before(tmp_path, monkeypatch, example_workbook):
    monkeypatch.chdir(tmp_path)
    run("ingest", str(example_workbook))
    run("report", "-p", "Q3 2020/21", "-o", "q3.html")
    html = Path("q3.html").read_text(encoding="utf-8")
    assert "service" not in html.lower().replace("services", "")


def test_commentary_is_escaped_in_every_format(tmp_path, monkeypatch, example_workbook):
    monkeypatch.chdir(tmp_path)
    run("ingest", str(example_workbook))
    hostile = "<script>alert(1)</script> *bold* [link](x)"
    assert run("comment", "CSC038", "-p", "Q3 2020/21", hostile).exit_code == 0
    run("report", "-p", "Q3 2020/21", "-o", "q3.html")
    html = Path("q3.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = run("narrate", "-p", "Q3 2020/21", "-i", "CSC038", "-f", "markdown").stdout
    assert "\\<script>alert(1)\\</script> \\*bold\\* \\[link\\](x)" in md
