"""Runs of quarters (issue 16 item 3): "below target for the fourth quarter in a row", across
financial years, exactly where each quarter's figure, worked out from its months, says so: a
position's last month, a flow's months added up (against its target scaled to a quarter), a
ratio's parts added up."""

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


def _quarters(tmp_path, label: str, row: list, monthly: list, targets=None):
    """The paragraph of the one indicator ``row`` (Indicators: code to target) with its
    ``monthly`` rows (part and the 21 months), checked; and its quarter-run sentence."""
    header = ["code", "title", "section", "unit", "polarity", "measure", "target"]
    sheets = {"Indicators": [header, row], "Monthly": [["code", "part", *MONTHS], *monthly]}
    if targets:
        sheets["Targets"] = [["code", "year", "target", "per"], *targets]
    dataset = read_dataset(write(tmp_path / "q.xlsx", sheets))
    (c,) = compare_many(dataset, resolve_period(dataset, label), [row[0]])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    found = [s for s in made.sentences if s.kind == "quarter_run"]
    return c, made, (found[0] if found else None)


def _said(tmp_path, label: str, measure: str = "snapshot", values=VALUES):
    row = ["CSC 286", "Care leavers suitably housed", "CL", "percent", "up", measure, 95]
    return _quarters(tmp_path, label, row, [["CSC 286", "value", *values]])


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


def test_a_ratio_without_its_parts_has_no_quarter_runs(tmp_path):
    """The same percentages as a ratio with no numerator or denominator: a quarter's figure is
    not its last month's, and cannot be worked out from the months' percentages."""
    _, _, said = _said(tmp_path, "Q3 2020/21", measure="ratio")
    assert said is None


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


# -- flows and ratios: a quarter's figure from its months ----------------------------------------

#: Missing episodes a month (fewer is better), April 2019 to December 2020, against 10 a month
#: (30 a quarter): the quarters add up to Q1-19 30, Q2-19 27, Q3-19 33, Q4-19 35, Q1-20 36,
#: Q2-20 31, Q3-20 34 — above 30 from Q3 2019/20, so Q3 2020/21 is the fifth in a row above.
FLOW = [10, 10, 10, 9, 9, 9, 11, 11, 11, 12, 12, 11, 12, 12, 12, 10, 11, 10, 12, 11, 11]


def _flow(tmp_path, label: str, values=FLOW, targets=None):
    row = ["MIS 1", "Missing episodes", "M", "count", "down", "flow", 10]
    return _quarters(tmp_path, label, row, [["MIS 1", "value", *values]], targets)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Q3 2020/21", 5), ("Q1 2020/21", 3), ("Q4 2019/20", 2), ("Q3 2019/20", None)],
)
def test_a_flow_s_quarters_are_its_months_added_up(tmp_path, label, expected):
    c, _, said = _flow(tmp_path, label)
    assert c.target == 30  # 10 a month, for a quarter
    if expected is None:  # Q2 2019/20's 27 was below: Q3 2019/20 is the first above
        assert said is None
        return
    ordinal = {2: "second", 3: "third", 5: "fifth"}[expected]
    assert said.text == f"The figure has been above target for the {ordinal} quarter in a row."
    assert said.facts[0].count == expected and said.facts[0].other == 30


def test_a_flow_s_run_stops_at_a_quarter_with_a_month_missing(tmp_path):
    values = list(FLOW)
    values[11] = None  # Mar-20: Q4 2019/20 has no figure of its own
    _, _, said = _flow(tmp_path, "Q3 2020/21", values=values)
    assert said is not None and said.facts[0].count == 3  # Q1 to Q3 2020/21


def test_a_flow_with_a_year_s_own_target_is_not_run_into_the_year_before(tmp_path):
    """With a Targets row for 2020/21, 2019/20's quarters were judged by their own year's
    target: the run is counted within 2020/21 only."""
    _, _, said = _flow(tmp_path, "Q3 2020/21", targets=[["MIS 1", "2020/21", 10, "month"]])
    assert said is not None and said.facts[0].count == 3


#: Visits on time (numerator) of visits due (denominator), April 2019 to December 2020,
#: against 90%. Each quarter's own ratio is its parts added up; the months' percentages
#: averaged would say otherwise for Q2 2020/21 (96.7%, 80.0%, 80.0%: 85.6% averaged, but
#: 58+12+12 of 60+15+15 = 91.1% from its parts, above 90%).
DUE = [20] * 15 + [60, 15, 15, 20, 20, 20]
ON_TIME = [19] * 15 + [58, 12, 12, 19, 19, 19]


def _ratio(tmp_path, label: str, numerators=ON_TIME, denominators=DUE):
    row = ["VIS 1", "Visits on time", "V", "percent", "up", "ratio", 90]
    parts = [["VIS 1", "numerator", *numerators], ["VIS 1", "denominator", *denominators]]
    return _quarters(tmp_path, label, row, parts)


def test_a_ratio_s_quarters_are_worked_out_from_their_parts(tmp_path):
    """Every quarter from Q1 2019/20 is 95.0% from its parts, Q2 2020/21 included (91.1%,
    though its months' percentages average 85.6%): Q3 2020/21 is the seventh above 90%, back
    to the first quarter held, so it is said since when."""
    c, _, said = _ratio(tmp_path, "Q3 2020/21")
    assert round(c.value, 1) == 95.0
    assert said is not None
    assert said.text == (
        "The figure has been positively above target in every quarter since Q1 2019/20."
    )
    assert said.facts[0].count == 7


def test_a_ratio_s_run_stops_where_a_month_has_no_parts(tmp_path):
    numerators = list(ON_TIME)
    numerators[4] = None  # Aug-19: Q2 2019/20 has no ratio of its own
    _, _, said = _ratio(tmp_path, "Q3 2020/21", numerators=numerators)
    assert said is not None and said.facts[0].count == 5  # Q3 2019/20 to Q3 2020/21


@pytest.mark.parametrize(("said_of", "true"), [(_said, 5), (_flow, 5), (_ratio, 7)])
def test_a_wrong_count_of_quarters_is_refused(tmp_path, said_of, true):
    """A position's, a flow's and a ratio's quarters counted again by the checker."""
    c, made, said = said_of(tmp_path, "Q3 2020/21")
    assert said is not None
    wrong = replace(said, facts=(replace(said.facts[0], count=true + 1),))
    found = disagreements(replace(made, sentences=(wrong,)), c)
    assert any(f"{true + 1} quarters said, {true} counted" in d.problem for d in found), found
