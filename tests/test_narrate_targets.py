"""Issue 14's edges in the words: a scaled target says what it is for and as set, a target
withheld says why, and a period with no figure of ours still gives the council's rank."""

from __future__ import annotations

import datetime as dt

from workbook_factory import write

from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import Audience, Settings, key_messages, paragraph
from csckpi.narrate.check import disagreements
from csckpi.workbook import read_dataset

MONTHS = [dt.datetime(2020, 4 + i, 1) for i in range(9)]  # April to December 2020
HEADER = ["code", "title", "section", "unit", "polarity", "measure", "target", "phrase"]


def _book(tmp_path):
    sheets = {
        "Indicators": [
            HEADER,
            ["CSC 100", "Adoptions", "A", "count", "up", "flow", 12, "children were adopted"],
            ["CSC 300", "Children in need", "B", "count", "down", "distinct", 50, "children"],
        ],
        "Monthly": [
            ["code", "part", *MONTHS],
            ["CSC 100", "value", 10, 11, 12, 9, 10, 11, 10, 9, 11],
            ["CSC 300", "value", 40, 45, 42, 44, 46, 41, 43, 47, 45],
        ],
        "Periods": [["code", "period", "value"], ["CSC 300", "Q3 2020/21", 120]],
    }
    return read_dataset(write(tmp_path / "targets.xlsx", sheets))


def _said(dataset, label: str, code: str, summary: bool = False):
    (c,) = compare_many(dataset, resolve_period(dataset, label), [code])
    made = paragraph(c, summary=summary, settings=Settings(audience=Audience.COMMITTEE))
    assert disagreements(made, c) == []
    return c, made


def test_a_scaled_target_says_what_it_is_for_and_as_set(tmp_path):
    c, made = _said(_book(tmp_path), "Q3 2020/21", "CSC 100")
    assert (c.value, c.target, c.target_as_set) == (30, 36, 12)  # 10 + 9 + 11; 12 x 3
    assert "below our target of 36 for the quarter (12 a month)" in made.text
    _, month = _said(_book(tmp_path), "Dec-20", "CSC 100")
    # a month's target is the target as set; the year to date's, 93 against 12 x 9, is its own
    assert (
        "The month is below our target of 12, the year to date below our target of 108 for the "
        "year to date (12 a month)." in month.text
    )


def test_a_key_message_says_the_scaled_target_too(tmp_path):
    dataset = _book(tmp_path)
    cs = compare_many(dataset, resolve_period(dataset, "Q3 2020/21"), ["CSC 100"])
    (message,) = key_messages(cs, Settings())
    assert message.text.endswith(
        "6 below our target of 36 for the quarter (12 a month), rated red."
    )


def test_a_withheld_target_says_why(tmp_path):
    c, made = _said(_book(tmp_path), "Q3 2020/21", "CSC 300", summary=True)
    assert c.value == 120 and c.target is None and c.target_as_set == 50
    assert "Our target of 50 a month is not compared with this quarter's figure." in made.text
    _, month = _said(_book(tmp_path), "Dec-20", "CSC 300", summary=True)
    assert "not compared" not in month.text
