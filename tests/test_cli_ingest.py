"""`csckpi ingest`: what it prints (problems, summary) and what it does to the store."""

from __future__ import annotations

import json

import pytest
from conftest import assert_golden

from csckpi.model import Problem, Severity
from csckpi.render.problems import ingest_json, problem_lines, summary_text
from csckpi.store import IngestSummary, Outcome

BASE = {
    "file": "dec.xlsx",
    "store": "csckpi.db",
    "sha256": "ab" * 32,
    "indicators": 45,
    "months": 45,
    "first_month": "2017-04",
    "last_month": "2020-12",
}

SUMMARIES = {
    "written": IngestSummary(
        Outcome.WRITTEN,
        **BASE,
        ingest_id=2,
        ingested_at="2020-12-18T10:30:05Z",
        added=1234,
        revised=3,
        unchanged=5000,
        kept=1,
        warnings=2,
    ),
    "dry-run": IngestSummary(Outcome.DRY_RUN, **BASE, added=45, revised=0, unchanged=6189),
    "already": IngestSummary(
        Outcome.ALREADY, **BASE, ingest_id=1, ingested_at="2020-11-20T09:15:00Z", unchanged=6234
    ),
    "refused": IngestSummary(Outcome.REFUSED, **BASE, errors=3, warnings=1),
    "refused-strict": IngestSummary(Outcome.REFUSED, **BASE, errors=1, strict=True),
}


@pytest.mark.parametrize("name", list(SUMMARIES))
def test_the_summary_says_what_happened(name):
    assert_golden(f"ingest-summary-{name}.txt", summary_text(SUMMARIES[name]))


PROBLEMS = (
    Problem(
        "Monthly", 14, 11, Severity.WARNING, "not-a-number", '"n/a " is not a number — left blank'
    ),
    Problem(
        "Indicators",
        5,
        4,
        Severity.ERROR,
        "bad-unit",
        '"pct" is not a unit: percent, count, rate or number',
    ),
    Problem("Monthly", 3, 2, Severity.WARNING, "percent-fraction", "0.852 looks like a fraction"),
    Problem("Benchmarks", 0, 0, Severity.ERROR, "missing-column", "no column 'value'"),
)


def test_problems_are_listed_errors_first_then_by_sheet_and_cell():
    assert problem_lines(PROBLEMS) == [
        "error: Benchmarks: no column 'value'",
        'error: Indicators!D5: "pct" is not a unit: percent, count, rate or number',
        "warning: Monthly!B3: 0.852 looks like a fraction",
        'warning: Monthly!K14: "n/a " is not a number — left blank',
    ]


def test_problems_and_summary_as_json():
    document = json.loads(ingest_json(PROBLEMS, SUMMARIES["refused"]))
    assert [p["location"] for p in document["problems"]] == [
        "Benchmarks",
        "Indicators!D5",
        "Monthly!B3",
        "Monthly!K14",
    ]
    assert document["problems"][1] == {
        "severity": "error",
        "kind": "bad-unit",
        "sheet": "Indicators",
        "cell": "D5",
        "location": "Indicators!D5",
        "message": '"pct" is not a unit: percent, count, rate or number',
    }
    assert document["summary"]["outcome"] == "refused"
    assert document["summary"]["errors"] == 3
