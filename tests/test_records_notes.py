"""A figure derived from the children's records (Annex A) that the workbook reports otherwise:
narrate's note and compare's say the records, as compute's does ("72.7% from the children's
records (Annex A); the workbook reports 85.2% for Dec-20"), never "the months" (issue 18's
trial: narrate said "not the 72.7% its months give"; compare said nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_narrate import DEC, comp, ind, text
from typer.testing import CliRunner

from csckpi.cli import app

RECORDS = "the children's records (Annex A)"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(example_with_extract: Path) -> Path:
    """The example workbook, then the sample extract from April 2020 (docs/records.md)."""
    return example_with_extract


def _run(store: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- narrate ---------------------------------------------------------------------------------


def test_a_records_figure_the_workbook_reports_otherwise_is_said_to_be_from_the_records():
    c = comp(ind(measure="cumulative"), DEC, value=72.7, basis="differs", reported=85.2)
    months = text(c)
    assert (
        "The workbook's own figure for December 2020 is 85.2%, not the 72.7% its months give"
        in months
    )
    records = text(
        comp(
            ind(measure="cumulative"),
            DEC,
            value=72.7,
            basis="differs",
            reported=85.2,
            from_records=True,
        )
    )
    assert (
        f"The workbook's own figure for December 2020 is 85.2%; the 72.7% here is from {RECORDS}."
        in records
    )
    assert "months" not in records


def test_a_records_count_over_a_quarter_adds_up_from_the_records():
    i = ind("count", "none", "flow", phrase="children went missing")
    c = comp(i, value=21, basis="differs", reported=16, from_records=True)
    assert text(c) == (
        "21 children went missing during Q3 2020/21. The children's records (Annex A) add up "
        "to 21, but the workbook reports 16 for Q3 2020/21."
    )


def test_a_records_rate_says_its_count_is_from_the_records():
    i = ind("rate", "none", "cumulative", phrase="section 47 enquiries were started")
    c = comp(
        i,
        DEC,
        value=7.1,
        basis="differs",
        reported=118.9,
        numerator=16,
        population=22450,
        from_records=True,
    )
    assert (
        "The workbook's own figure for December 2020 is 118.9; the 7.1 here is worked out from "
        f"the count of 16 in {RECORDS} and the 0-17 population of 22,450." in text(c)
    )


def test_narrate_of_the_sample_says_the_records(store):
    out = _run(store, "narrate", "-p", "Dec-20")
    assert (
        "The workbook's own figure for December 2020 is 85.2%; the 72.7% here is from "
        f"{RECORDS}." in out
    )
    # Every figure that differs in Dec-20 is a records figure: none is said to be the months'.
    assert "its months give" not in out
    quarter = _run(store, "narrate", "-p", "Q3 2020/21")
    assert "The months add up" not in quarter
    assert f"{RECORDS[:1].upper()}{RECORDS[1:]} add up to" in quarter


# -- compare ---------------------------------------------------------------------------------

NOTE = f"72.7% from {RECORDS}; the workbook reports 85.2% for Dec-20."


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_compare_says_a_records_figure_differs_from_the_workbooks(store, fmt):
    out = _run(store, "compare", "--indicator", "CSC038", "-p", "Dec-20", "-f", fmt)
    assert NOTE in out
    compute = _run(store, "compute", "-p", "Dec-20", "--indicator", "CSC038")
    assert f"CSC 038: {NOTE}" in compute  # the same note as compute's


def test_compare_says_a_figure_computed_from_the_months_differs_too():
    """A figure the workbook's months give, not the records', keeps compute's words."""
    from csckpi.render.comparison import block

    c = comp(ind("count", "none", "flow"), value=24.0, basis="differs", reported=24.6)
    lines = ["".join(text for text, _style in line) for line in block(c)]
    assert "  Computed 24 from the months; the workbook reports 25 for Q3 2020/21." in lines
    agreed = comp(ind("count", "none", "flow"), value=24.0, basis="month")
    assert not [
        line for line in block(agreed) if "the workbook reports" in "".join(t for t, _ in line)
    ]


def test_compare_says_nothing_of_a_figure_the_workbook_agrees_with(store):
    out = _run(store, "compare", "--indicator", "CSC022", "-p", "Dec-20")
    assert "CSC 022" in out and "the workbook reports" not in out


def test_compare_publish_keeps_the_note_off_a_withheld_figure(store):
    """CSC 166's records count 1 section 47 enquiry in Dec-20 (the workbook reports 28):
    withheld, and so is the note that would state it."""
    out = _run(store, "compare", "--indicator", "CSC166", "-p", "Dec-20", "--publish")
    assert "withheld under disclosure control" in out
    assert "the workbook reports" not in out
    plain = _run(store, "compare", "--indicator", "CSC166", "-p", "Dec-20")
    assert f"1 from {RECORDS}; the workbook reports 28 for Dec-20." in plain


# -- compute: the records give no figure, the workbook does --------------------------------

NONE_NOTE = (
    "the children's records (Annex A) give no figure for Dec-20 (their denominator is 0); "
    "the workbook reports 100.0%"
)


def test_a_month_the_records_give_no_figure_for_is_marked_differs(store):
    """CSC 178: the records hold no initial conference in Dec-20 (0 of 0, no percentage); the
    workbook reports 100%. The value is the workbook's, marked `differs` with a note saying
    why, not `reported` with nothing said."""
    import json

    rows = json.loads(_run(store, "compute", "-p", "Dec-20", "--indicator", "CSC178", "-f", "json"))
    [row] = rows
    assert (row["value"], row["reported"], row["basis"]) == (100.0, 100.0, "differs")
    assert row["reason"] == NONE_NOTE
    out = _run(store, "compute", "-p", "Dec-20", "--indicator", "CSC178")
    [line] = [line for line in out.splitlines() if line.startswith("CSC 178 ")]
    assert line.split()[-1] == "differs"
    assert f"CSC 178: {NONE_NOTE}." in out
    # The quarter has records figures (Oct, Nov): 66.7% from them, as before.
    quarter = _run(store, "compute", "-p", "Q3 2020/21", "--indicator", "CSC178")
    assert f"CSC 178: 66.7% from {RECORDS}; the workbook reports 95.5% for Q3 2020/21." in quarter


def test_narrate_and_compare_say_the_records_give_no_figure(store):
    narrated = _run(store, "narrate", "-p", "Dec-20")
    assert (
        f"{RECORDS[:1].upper()}{RECORDS[1:]} give no figure for December 2020; the 100.0% here "
        "is the workbook's own." in narrated
    )
    compared = _run(store, "compare", "--indicator", "CSC178", "-p", "Dec-20")
    assert f"  {NONE_NOTE[:1].upper()}{NONE_NOTE[1:]}." in compared
    assert "100.0% from the children's records" not in compared


def test_a_workbook_figure_shown_for_the_records_is_the_same_figure_twice(store):
    """Under --publish the value and the reported figure of CSC 178's Dec-20 are one figure
    shown twice (a relation), as for a figure of basis `reported`: one is never shown where the
    other is withheld."""
    import polars as pl

    from csckpi.api import load
    from csckpi.publish import scorecard_cells

    kpi = load(str(store))
    when = kpi.period("Dec-20")
    frame = kpi.compute(when, ["CSC178", "CSC176"])
    _cells, relations = scorecard_cells(frame, kpi.dataset.context, when)
    same = relations.filter(pl.col("relation").str.ends_with("|reported_same"))
    # CSC 176's records figure (60.0%) is not the workbook's (92.5%): no such relation.
    assert sorted(set(same.get_column("relation"))) == ["CSC178|reported_same"]
