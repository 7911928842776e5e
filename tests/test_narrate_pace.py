"""Pace to target (issue 16 item 6): what the rest of the year needs, worked out from the
year to date's parts and the same months a year earlier (else this year's rate), checked by
hand; nothing where the parts are missing, in March, or on target."""

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

MONTHS = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]
#: Assessments a month (denominators), April 2019 to March 2021, and those on time.
CASES = [*(50, 52, 48, 55, 60, 58, 54, 51, 49, 62, 64, 66), *(40, 42, 44, 46, 48, 50, 52, 54, 56)]
ON_TIME = [*(45, 47, 43, 50, 54, 52, 49, 46, 44, 56, 58, 59), *(32, 34, 36, 38, 40, 42, 44, 46, 48)]
HEADER = ["code", "title", "section", "unit", "polarity", "measure", "target", "phrase"]
PHRASE = "of C&F assessments were completed within 45 working days"


def _book(tmp_path, target: float = 90, count_target: list | None = None):
    months = MONTHS[:21]  # to December 2020
    sheets = {
        "Indicators": [
            HEADER,
            ["CSC 038", "Assessments on time", "A", "percent", "up", "ratio", target, PHRASE],
            ["CSC 100", "Adoptions", "B", "count", "up", "flow", None, "children were adopted"],
            ["CSC 101", "Re-referrals", "C", "count", "down", "flow", None, "re-referrals"],
        ],
        "Monthly": [
            ["code", "part", *months],
            ["CSC 038", "numerator", *ON_TIME],
            ["CSC 038", "denominator", *CASES],
            ["CSC 100", "value", *([15] * 12 + [20] * 9)],
            ["CSC 101", "value", *([30] * 12 + [30] * 9)],
        ],
    }
    if count_target is not None:
        sheets["Targets"] = [["code", "year", "target", "tolerance", "per"], *count_target]
    return read_dataset(write(tmp_path / "pace.xlsx", sheets))


def _said(dataset, label: str, code: str):
    (c,) = compare_many(dataset, resolve_period(dataset, label), [code])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    found = [s for s in made.sentences if s.kind == "pace"]
    return c, made, (found[0] if found else None)


def test_a_percentage_paced_by_last_year_s_same_months(tmp_path):
    dataset = _book(tmp_path)
    _, _, said = _said(dataset, "Dec-20", "CSC 038")
    n, d = sum(ON_TIME[12:]), sum(CASES[12:])  # April to December 2020: 360 of 432
    rest = sum(CASES[9:12])  # January to March 2020: 192
    needed = (0.9 * (d + rest) - n) / rest * 100  # (561.6 - 360) / 192 = 105.0%
    assert (n, d, rest) == (360, 432, 192) and round(needed, 1) == 105.0
    assert said is not None
    assert said.text == (
        "Our target of 90% is out of reach this year: even if all of the C&F assessments "
        "still to come (about 192, as many as in January to March 2020) were completed "
        f"within 45 working days, 2020/21 would end at {(n + rest) / (d + rest) * 100:.1f}%."
    )
    assert said.facts[0].relation == "out of reach"


def test_a_reachable_target_says_the_share_needed(tmp_path):
    dataset = _book(tmp_path, target=85)
    n, d, rest = 360, 432, 192
    needed = (0.85 * (d + rest) - n) / rest * 100  # (530.4 - 360) / 192 = 88.75: 88.8%
    assert round(needed, 2) == 88.75
    _, _, said = _said(dataset, "Dec-20", "CSC 038")
    assert said is not None
    assert said.text == (
        "To reach our target of 85% by March 2021, 88.8% of the C&F assessments "
        "still to come (about 192, as many as in January to March 2020) must be completed "
        "within 45 working days."
    )


def test_this_year_s_rate_stands_in_for_last_year_s_months(tmp_path):
    """Without January to March 2020, the rest of the year is estimated at this year's rate:
    432 cases in the nine months April to December 2020, so 144 in the three left."""
    dataset = _book(tmp_path, target=85)
    trimmed = dataset.monthly.filter(dataset.monthly["month"] >= dt.date(2020, 4, 1))
    dataset = replace(dataset, monthly=trimmed)
    _, _, said = _said(dataset, "Dec-20", "CSC 038")
    assert said is not None
    assert "(about 144, at this year's rate so far)" in said.text
    needed = (0.85 * (432 + 144) - 360) / 144 * 100  # 90.0
    assert f"{needed:.1f}% of the C&F assessments" in said.text


@pytest.mark.parametrize(("label", "target"), [("Dec-20", 80), ("Mar-20", 90), ("Q3 2020/21", 50)])
def test_nothing_on_target_or_with_nothing_left(tmp_path, label, target):
    dataset = _book(tmp_path, target=target)
    if label == "Mar-20":
        target = 90  # March: the year is over
    _, _, said = _said(dataset, label, "CSC 038")
    assert said is None


def test_a_count_with_a_target_for_the_year(tmp_path):
    dataset = _book(
        tmp_path,
        count_target=[
            ["CSC 100", "2020/21", 300, None, "year"],
            ["CSC 101", "2020/21", 300, None, "year"],
        ],
    )
    _, _, adoptions = _said(dataset, "Dec-20", "CSC 100")
    assert adoptions is not None
    # 180 so far (9 x 20); (300 - 180) / 3 = 40 a month
    assert adoptions.text == (
        "To reach our target of 300 for 2020/21, about 40 a month are needed from January to "
        "March 2021, against 20 a month so far."
    )
    _, _, rereferrals = _said(dataset, "Dec-20", "CSC 101")
    assert rereferrals is not None
    # 270 so far (9 x 30) against a ceiling of 300: no more than 10 a month
    assert rereferrals.text == (
        "To stay within our target of 300 for 2020/21, there can be no more than about 10 a "
        "month from January to March 2021, against 30 a month so far."
    )


def test_only_the_example_s_indicator_with_parts_is_paced():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    period = resolve_period(dataset, "Q3 2020/21")
    cs = compare_many(dataset, period, [i.key for i in dataset.indicators])
    paced = {c.indicator.code for c in cs if c.facts.pace is not None}
    assert paced == {"CSC 038"}  # 455 / 534: the only year to date with its parts
    c = next(c for c in cs if c.indicator.code == "CSC 038")
    made = paragraph(c, summary=False)
    (said,) = [s for s in made.sentences if s.kind == "pace"]
    # 534 over 9 months, 3 left: 178; (455 + 178) / (534 + 178) = 88.9%
    assert "(about 178, at this year's rate so far)" in said.text
    assert said.text.endswith("2020/21 would end at 88.9%.")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"value": 99.0}, "needed said"),
        ({"count": 150}, "still to come said"),
        ({"relation": "reachable"}, "said reachable"),
        ({"other": 85.0}, "the target"),
    ],
)
def test_a_wrong_pace_is_refused(tmp_path, change, problem):
    dataset = _book(tmp_path)
    c, made, said = _said(dataset, "Dec-20", "CSC 038")
    assert said is not None
    wrong = replace(said, facts=(replace(said.facts[0], **change),))
    found = disagreements(replace(made, sentences=(wrong,)), c)
    assert any(problem in d.problem for d in found), found
