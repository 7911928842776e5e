"""Year end (issue 16 item 7): an in-month indicator and its year to date that give the same
figure for the same months make one paragraph naming both, and one key message; indicators
that merely share a figure are left alone."""

from __future__ import annotations

import datetime as dt

from workbook_factory import write

from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import Settings, key_messages, paragraphs
from csckpi.narrate.twins import twins
from csckpi.workbook import read_dataset

MONTHS = [dt.datetime(2020 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(12)]
VISITS = [40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]
ON_TIME = [36, 37, 40, 41, 43, 45, 46, 49, 50, 52, 54, 55]


def _running(values: list[int]) -> list[int]:
    return [sum(values[: i + 1]) for i in range(len(values))]


def _year(tmp_path):
    """CSC 252a in month (a ratio of each month's visits) and CSC 252b the same visits year to
    date (cumulative: each month holds the running parts), April 2020 to March 2021."""
    header = ["code", "title", "section", "unit", "polarity", "measure", "target"]
    sheets = {
        "Indicators": [
            header,
            ["CSC 252a", "% CP visits in 10 days", "CP visits", "percent", "up", "ratio", 95],
            [
                "CSC 252b",
                "% CP visits in 10 days YTD",
                "CP visits",
                "percent",
                "up",
                "cumulative",
                95,
            ],
            ["CSC 183", "% CP cases allocated", "CP visits", "percent", "up", "snapshot", 95],
        ],
        "Monthly": [
            ["code", "part", *MONTHS],
            ["CSC 252a", "numerator", *ON_TIME],
            ["CSC 252a", "denominator", *VISITS],
            ["CSC 252b", "numerator", *_running(ON_TIME)],
            ["CSC 252b", "denominator", *_running(VISITS)],
            ["CSC 183", "value", *([90.0] * 12)],
        ],
    }
    return read_dataset(write(tmp_path / "year.xlsx", sheets))


def _said(dataset, label: str, summary: bool = True):
    cs = compare_many(dataset, resolve_period(dataset, label), [i.key for i in dataset.indicators])
    return cs, paragraphs(cs, summary=summary)


def test_at_year_end_one_paragraph_names_both(tmp_path):
    dataset = _year(tmp_path)
    year = sum(ON_TIME) / sum(VISITS) * 100  # 548 / 602 = 91.0%
    for summary in (True, False):
        cs, said = _said(dataset, "2020/21", summary)
        assert [p.code for p in said] == ["CSC 252a", "CSC 183"]
        (visits,) = [p for p in said if p.code == "CSC 252a"]
        assert f"{year:.1f}%" in visits.sentences[0].text
        assert visits.sentences[-1].text == "This is also the year-to-date figure, CSC 252b."
    messages = key_messages(cs, Settings())
    assert [m.code for m in messages].count("CSC 252a") == 1
    assert "CSC 252b" not in [m.code for m in messages]


def test_april_is_its_own_year_to_date(tmp_path):
    _, said = _said(_year(tmp_path), "Apr-20")
    assert [p.code for p in said] == ["CSC 252a", "CSC 183"]


def test_a_quarter_and_a_year_to_date_of_other_months_are_two_paragraphs(tmp_path):
    """Q3's 252a covers October to December, 252b's year to date April to December."""
    cs, said = _said(_year(tmp_path), "Q3 2020/21")
    assert twins(cs) == {}
    assert [p.code for p in said] == ["CSC 252a", "CSC 252b", "CSC 183"]


def test_the_example_s_snapshots_at_100_percent_are_not_twins():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    for label in ("Apr-20", "Q1 2020/21", "Q3 2020/21", "Dec-20"):
        cs = compare_many(
            dataset, resolve_period(dataset, label), [i.key for i in dataset.indicators]
        )
        pairs = {(first.indicator.code, twin) for twin, first in twins(cs).items()}
        codes = {c.key: c.indicator.code for c in cs}
        named = {(a, codes[b]) for a, b in pairs}
        if label == "Apr-20":  # each in month and its year to date: April is both
            assert named == {
                ("CSC 252a", "CSC 252b"),
                ("CSC 252a15", "CSC 252b15"),
                ("CSC 260a", "CSC 260b"),
            }
        else:
            assert named == set()
