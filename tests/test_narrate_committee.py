"""The committee's narrative (issue 16): the audience, key messages, the summary's notable
paragraphs, and the report's committee text with the analyst's notes in an appendix."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import pytest
from compute_data import with_cell
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import (
    Audience,
    Settings,
    key_messages,
    narrate,
    notable,
    short_name,
    summarise,
)
from csckpi.narrate.messages import BETTER_RAG, FROM_TARGET, MOST, WORSE_RAG
from csckpi.report import build
from csckpi.workbook import read_dataset

runner = CliRunner()
COMMITTEE = Settings(audience=Audience.COMMITTEE)
PLAIN = replace(COMMITTEE, vary=False)  # the wording rules, in the plain phrasing
#: The kinds of sentence only the analyst reads: provenance, reconciliation, no figure.
ANALYST_KINDS = {"reported", "basis", "parts", "missing", "month_cells"}


@pytest.fixture(scope="module")
def dataset():
    from conftest import EXAMPLE

    return read_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def q3(dataset):
    return resolve_period(dataset, "Q3 2020/21")


@pytest.fixture(scope="module")
def analyst_only(dataset, q3) -> list[str]:
    """Every analyst-only sentence the example's Q3 narration writes (summary and analysis)."""
    out: list[str] = []
    for summary in (True, False):
        for p in narrate(dataset, q3, summary=summary):
            out += [s.text for s in p.sentences if s.analyst]
    return sorted(set(out))


def test_the_analyst_only_sentences_are_the_provenance_kinds(dataset, q3, analyst_only):
    made = [s for p in narrate(dataset, q3) for s in p.sentences]
    kinds = {s.kind for s in made if s.analyst}
    assert kinds <= ANALYST_KINDS
    assert {"missing", "basis", "parts"} <= kinds  # the example has each; month_cells: below
    assert all(s.kind not in ANALYST_KINDS for s in made if not s.analyst)
    assert analyst_only == sorted(
        [
            "The Q3 2020/21 figure is the workbook's own: it cannot be worked out from the "
            "monthly percentages.",
            "The workbook gives the percentage of referrals completed in over 3 working days "
            "month by month only, so there is no Q3 2020/21 figure.",
            "The workbook gives the percentage of referrals that are re-referrals month by "
            "month only, so there is no Q3 2020/21 figure.",
            "The rate is worked out from a count of 88 and the 0-17 population of 22,455.",
            "The rate is worked out from a count of 284 and the 0-17 population of 22,455.",
            "The Q3 2020/21 figure is the workbook's own: it counts each one once, however many "
            "months they appear in.",
        ]
    )


@pytest.fixture(scope="module")
def typed(dataset):
    """The example with CSC 200's Aug-20 and Oct-20 cells typed as 134.8 and 130.3, which its
    counts (303, 292) and population do not give: its own rates all go with them."""
    return with_cell(with_cell(dataset, "CSC 200", "2020-08", 134.8), "CSC 200", "2020-10", 130.3)


def test_a_rate_cell_its_count_does_not_give_is_the_analysts_note(typed, q3):
    made = [s for p in narrate(typed, q3) for s in p.sentences]
    cells = [s for s in made if s.kind == "month_cells"]
    note = (
        "Each month's figure is worked out from its count; the workbook gives 134.8 for "
        "August and 130.3 for October."
    )
    assert [s.text for s in cells] == [note]
    assert all(s.analyst for s in cells)
    for summary in (True, False):
        committee = narrate(typed, q3, summary=summary, settings=COMMITTEE)
        assert note not in " ".join(p.text for p in committee)
    from csckpi.render.report_html import render_html

    html = render_html(build(typed, q3, generated=dt.date(2021, 1, 20)))
    body, _, appendix = html.partition('<section class="notes" id="notes">')
    assert note.replace("'", "&#x27;") in appendix
    assert note.replace("'", "&#x27;") not in body


def test_the_committee_reads_none_of_them(dataset, q3, analyst_only):
    committee = Settings(audience=Audience.COMMITTEE)
    for summary in (True, False):
        text = " ".join(p.text for p in narrate(dataset, q3, summary=summary, settings=committee))
        assert not [s for s in analyst_only if s in text]


def test_the_cli_audience(example_workbook, analyst_only):
    analyst = runner.invoke(app, ["narrate", "-w", str(example_workbook), "-p", "Q3 2020/21"])
    committee = runner.invoke(
        app,
        ["narrate", "-w", str(example_workbook), "-p", "Q3 2020/21", "--audience", "committee"],
    )
    assert analyst.exit_code == committee.exit_code == 0
    assert all(s in analyst.stdout for s in analyst_only if "Q3 2020/21" in s)
    assert not [s for s in analyst_only if s in committee.stdout]
    bad = runner.invoke(app, ["narrate", "-w", str(example_workbook), "--audience", "board"])
    assert bad.exit_code == 2
    assert "committee or analyst" in bad.output


def test_the_committee_html_report_keeps_them_to_the_appendix(dataset, q3, analyst_only):
    from csckpi.render.report_html import render_html

    report = build(dataset, q3, generated=dt.date(2021, 1, 20))
    html = render_html(report)
    body, _, appendix = html.partition('<section class="notes" id="notes">')
    assert appendix, "the report has an appendix of analyst notes"
    escaped = [s.replace("&", "&amp;").replace("'", "&#x27;") for s in analyst_only]
    assert not [s for s in escaped if s in body]
    assert any(s in appendix for s in escaped)
    assert "No definition." not in html
    # a title that ends in a full stop (CSC 022's) is not given a second one
    assert "CSC 022: Monthly % of referrals completed within 1 working day.</span>" in appendix
    assert "..</span>" not in appendix


def test_the_markdown_appendix_ends_each_title_once(dataset, q3):
    from csckpi.render.report_md import render_markdown

    md = render_markdown(build(dataset, q3, generated=dt.date(2021, 1, 20)), "charts")
    appendix = md.partition("## Appendix: notes for the analyst")[2]
    assert "**CSC 022: Monthly % of referrals completed within 1 working day.**" in appendix
    assert "..**" not in appendix


def test_missing_definitions_print_nothing(dataset, q3):
    from dataclasses import replace

    from csckpi.render.report_html import render_html
    from csckpi.render.report_md import render_markdown

    report = build(dataset, q3, generated=dt.date(2021, 1, 20))
    bare = replace(report, sections=tuple(replace(s, definition=()) for s in report.sections))
    html = render_html(bare)
    assert "DEFINITION" not in html and "No definition" not in html
    md = render_markdown(bare, "charts")
    assert "DEFINITION" not in md and "No definition" not in md


# -- key messages --------------------------------------------------------------------------


def test_key_messages_are_ranked_and_each_reads_its_facts(dataset, q3):
    comparisons = compare_many(dataset, q3, [i.key for i in dataset.indicators])
    messages = key_messages(comparisons, Settings())
    assert 3 <= len(messages) <= MOST
    tiers = [m.tier for m in messages]
    # ranked: most pressing tier first; the biggest improvement kept in the last place
    assert tiers[:-1] == sorted(tiers[:-1])
    assert messages[0].tier == WORSE_RAG
    assert FROM_TARGET in tiers and BETTER_RAG in tiers  # CSC 250b: red in Q2, green in Q3
    first = messages[0]
    assert first.code == "CSC 218"  # 99.6% against 100%, having been 100.0% in Q2
    assert "99.6%" in first.text and "100%" in first.text and "September 2020" in first.text
    for m in messages:
        assert m.facts and all(f.shown is None or f.shown in m.text for f in m.facts), m.text
    gaps = [m for m in messages if m.tier == FROM_TARGET]
    assert [m.size for m in gaps] == sorted((m.size for m in gaps), reverse=True)


def test_a_quiet_indicator_has_no_summary_paragraph_unless_all(dataset, q3):
    said = summarise(dataset, q3)
    everything = summarise(dataset, q3, everything=True)
    comparisons = compare_many(dataset, q3, [i.key for i in dataset.indicators])
    quiet = [c.indicator.code for c in comparisons if not notable(c, Settings())]
    assert list(said.quiet) == quiet and quiet
    assert {p.code for p in said.paragraphs}.isdisjoint(quiet)
    assert len(everything.paragraphs) > len(said.paragraphs)
    assert {p.code for p in everything.paragraphs} >= set(quiet) - {"CSC 032M"}


def test_a_summary_paragraph_says_at_most_three_sentences_to_the_committee(dataset, q3):
    committee = Settings(audience=Audience.COMMITTEE)
    said = summarise(dataset, q3, settings=committee, everything=True)
    assert max(len(p.sentences) for p in said.paragraphs) <= 3


def test_the_cli_summary_opens_with_key_messages(example_workbook):
    result = runner.invoke(app, ["narrate", "-w", str(example_workbook), "--summary"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == "Key messages"
    numbered = [line for line in lines if re.match(r"^\d\. ", line)]
    assert 3 <= len(numbered) <= 6
    assert "Nothing notable for the other" in lines[-1] and ", left out (" in lines[-1]
    assert "--all" in lines[-1]
    data = json.loads(
        runner.invoke(
            app, ["narrate", "-w", str(example_workbook), "--summary", "-f", "json"]
        ).stdout
    )
    assert len(data["key_messages"]) == len(numbered)
    assert data["left_out"]


def test_short_names(dataset):
    by_code = {i.code: i for i in dataset.indicators}
    assert short_name(by_code["CSC 038"]) == "C&F Assessments completed within 45 working days"
    from dataclasses import replace

    assert short_name(replace(by_code["CSC 038"], label="assessments on time")) == (
        "assessments on time"
    )


def test_a_short_name_spells_out_what_the_sentences_spell_out(dataset):
    """`The % of CiC who have ...` named the key message "CiC who have ..." beside "Children in
    Care whose reviews ...": the abbreviations the phrases spell out at their first mention
    ("Children in Care (CiC)") are spelled out in a name made from the title; a label is the
    workbook's own and kept as given."""
    from csckpi.narrate import words as w

    by_code = {i.code: i for i in dataset.indicators}
    health = by_code["CSC 250"]  # its own phrase: "of Children in Care (CiC) have ..."
    assert short_name(health) == "Children in Care who have an up to date Health Checks"
    refused = by_code["CSC 250R"]  # its phrase spells nothing out: the dataset's do
    assert short_name(refused).startswith("CiC who were due")
    spelled = w.spelled_out(i.phrase for i in dataset.indicators)
    assert short_name(refused, spelled).startswith("Children in Care who were due")
    assert short_name(replace(health, label="CiC health checks"), spelled) == "CiC health checks"


def test_abbreviations_spelled_out_at_first_mention():
    from csckpi.narrate import words as w

    assert w.spelled_out(
        [
            "of Children in Care (CiC) have an up to date Health Check",
            "Early Help Assessments (EHA) were started",
            "of our care leavers were Not in Education, Employment or Training (NEET)",
            "of Initial Child Protection Conferences (ICPC) were held",
            "children were subject to a Child Protection plan (CP)",  # no words spell CP out
            "of children (who were not transferred in) had a conference",
            "of Children Looked After (CiC)",  # a second spelling: the first one wins
        ]
    ) == {
        "CiC": "Children in Care",
        "EHA": "Early Help Assessments",
        "NEET": "Not in Education, Employment or Training",
        "ICPC": "Initial Child Protection Conferences",
    }
    spelled = {"CiC": "Children in Care", "CP": "Child Protection"}
    assert w.spell_out("CiC with a CPP (CiC's)", spelled) == (
        "Children in Care with a CPP (Children in Care's)"
    )


def test_the_example_key_messages_name_no_abbreviation_a_sentence_spells_out(dataset, q3):
    """The six key messages of the example's Q3 report read alike: none says "CiC" where
    another says "Children in Care"."""
    from csckpi.spc import options

    messages = summarise(dataset, q3, settings=COMMITTEE, spc=options()).messages  # as report
    assert len(messages) == MOST
    names = [m.label for m in messages]
    assert not [n for n in names if re.search(r"\bCiC\b", n)]
    assert sum(n.startswith("Children in Care ") for n in names) == 5


def test_a_label_from_the_indicators_sheet_names_the_indicator(example_workbook, tmp_path):
    """The Indicators sheet's `label` column is read, kept in the store, and names the
    indicator in the key messages and in the report's month table and chart; the example's
    other indicators keep their titles."""
    import openpyxl

    from csckpi.api import load
    from csckpi.store import open_store
    from csckpi.workbook import read

    book = openpyxl.load_workbook(example_workbook)
    sheet = book["Indicators"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "label")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "CSC 251")
    sheet.cell(row, column, "  dental  checks ")
    path = tmp_path / "labelled.xlsx"
    book.save(path)
    store = tmp_path / "k.db"
    open_store(str(store)).ingest(read(path))
    kpi = load(store)
    assert {i.code: i.label for i in kpi.dataset.indicators}["CSC 251"] == "dental checks"
    said = kpi.summarise("Q3 2020/21")
    (message,) = [m for m in said.messages if m.code == "CSC 251"]
    assert message.label == "dental checks"
    assert message.text.startswith("Dental checks: 19.7%, 70.3 percentage points below")
    report = kpi.build_report("Q3 2020/21")
    columns = {c.code: c.title for s in report.sections for c in s.columns}
    panels = {p.code: p.title for s in report.sections for p in s.chart.panels}
    assert columns["CSC 251"] == panels["CSC 251"] == "dental checks"
    title = {i.code: i.title for i in kpi.dataset.indicators}["CSC 038"]
    assert columns["CSC 038"] == panels["CSC 038"] == title


def test_the_committee_reads_no_tool_speak(example_workbook):
    """The committee's summary names no option, and a paragraph with no figure for the period
    says whose months it gives, the year to date first."""
    result = runner.invoke(
        app,
        ["narrate", "-w", str(example_workbook), "--summary", "--audience", "committee"],
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "--all" not in text and "left out" not in text
    assert "Nothing notable to report for the other 24 indicators (CSC 026," in text
    analyst = runner.invoke(app, ["narrate", "-w", str(example_workbook), "--summary"]).stdout
    assert ", left out (" in analyst and "--all gives every one" in analyst


def test_a_period_with_no_figure_names_its_months(dataset, q3):
    said = {
        p.code: p.text
        for p in narrate(dataset, q3, ["CSC 026", "CSC 032M"], summary=True, settings=PLAIN)
    }
    assert said["CSC 032M"] == (
        "The percentage of referrals that are re-referrals was 13.1% in October, 10.9% in "
        "November and 21.6% in December 2020."
    )
    assert said["CSC 026"].startswith("Year to date (April to December 2020), 4.2% of referrals")
    assert said["CSC 026"].endswith(
        "The percentage of referrals completed in over 3 working days was 7.1% in October, "
        "9.1% in November and 0.0% in December 2020."
    )


def test_the_appendix_heading_has_one_full_stop(dataset, q3):
    report = build(dataset, q3, generated=dt.date(2021, 1, 15))
    assert report.notes and all(".." not in heading for heading, _ in report.notes)
