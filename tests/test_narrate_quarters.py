"""Runs of quarters (issue 16 item 3): "below target for the fourth quarter in a row", across
financial years, exactly where the quarter-end months say so."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from workbook_factory import write

from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import paragraph
from csckpi.narrate.check import disagreements
from csckpi.workbook import read_dataset

MONTHS = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(21)]
#: Care leavers in suitable accommodation (%), April 2019 to December 2020: the quarter ends
#: (Jun-19 96, Sep-19 97, Dec-19 93, Mar-20 92, Jun-20 91, Sep-20 94, Dec-20 90) against 95%.
VALUES = [97, 96, 96, 97, 96, 97, 96, 95, 93, 94, 93, 92, 93, 92, 91, 92, 93, 94, 92, 91, 90]


def _said(tmp_path, label: str, measure: str = "snapshot", values=VALUES):
    header = ["code", "title", "section", "unit", "polarity", "measure", "target"]
    row = ["CSC 286", "Care leavers suitably housed", "CL", "percent", "up", measure, 95]
    sheets = {
        "Indicators": [header, row],
        "Monthly": [["code", "part", *MONTHS], ["CSC 286", "value", *values]],
    }
    dataset = read_dataset(write(tmp_path / "q.xlsx", sheets))
    (c,) = compare_many(dataset, resolve_period(dataset, label), ["CSC 286"])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    found = [s for s in made.sentences if s.kind == "quarter_run"]
    return c, made, (found[0] if found else None)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Q3 2020/21", 5),  # Dec-20 90, Sep-20 94, Jun-20 91, Mar-20 92, Dec-19 93: all below
        ("Q2 2020/21", 4),
        ("Q1 2020/21", 3),
        ("Q4 2019/20", 2),
        ("Q3 2019/20", None),  # Sep-19 was 97%: above, so Dec-19 is the first below
    ],
)
def test_a_run_of_quarters_below_target(tmp_path, label, expected):
    _, _, said = _said(tmp_path, label)
    if expected is None:
        assert said is None
        return
    ordinal = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}[expected]
    assert said.text == f"The figure has been below target for the {ordinal} quarter in a row."
    assert said.facts[0].count == expected


def test_only_a_position_has_quarter_runs(tmp_path):
    _, _, said = _said(tmp_path, "Q3 2020/21", measure="ratio")
    assert said is None


def test_a_wrong_count_of_quarters_is_refused(tmp_path):
    c, made, said = _said(tmp_path, "Q3 2020/21")
    assert said is not None
    wrong = replace(said, facts=(replace(said.facts[0], count=6),))
    found = disagreements(replace(made, sentences=(wrong,)), c)
    assert any("6 quarters said, 5 counted" in d.problem for d in found), found


def test_a_run_of_quarters_back_to_the_first_held_says_since_when(tmp_path):
    """Every quarter end below target back to June 2019, the first held: no break is seen, so
    the run may be longer than seven quarters; the sentence says what the data show."""
    c, made, said = _said(tmp_path, "Q3 2020/21", values=[93] * 21)
    assert said is not None
    assert said.text == "The figure has been below target in every quarter since Q1 2019/20."
    # said as so many in a row, it is refused: no break is seen before it
    wrong = replace(said, facts=(replace(said.facts[0], other_period=None),))
    found = disagreements(replace(made, sentences=(wrong,)), c)
    assert any("no break is seen" in d.problem for d in found), found
    early = replace(said, facts=(replace(said.facts[0], other_period="Q2 2019/20"),))
    found = disagreements(replace(made, sentences=(early,)), c)
    assert any("said since Q2 2019/20" in d.problem for d in found), found
