"""A percentage's own counts said as counts (issue 16 item 4): where a ratio's numerator moved
by a small count, "(4 more statutory visits)" — on the period before and on last year, each
numerator the sum of its period's months' parts (a year ago's where the store has them), and
the checker adds them up again."""

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
#: 20 of 25 visits on time each month (80.0%), but 20, 21 and 24 in October to December 2020.
ON_TIME = [20] * 18 + [20, 21, 24]
DUE = [25] * 21


def _written(tmp_path, label: str, numerators=ON_TIME, value=None, denominators=DUE):
    header = ["code", "title", "section", "unit", "polarity", "measure", "target", "phrase"]
    row = ["VIS 1", "Visits on time", "V", "percent", "up", "ratio", 90]
    row.append("of statutory visits were completed on time")
    monthly = [
        ["code", "part", *MONTHS],
        ["VIS 1", "numerator", *numerators],
        ["VIS 1", "denominator", *denominators],
    ]
    if value is not None:
        monthly.append(["VIS 1", "value", *value])
    sheets = {"Indicators": [header, row], "Monthly": monthly}
    dataset = read_dataset(write(tmp_path / "v.xlsx", sheets))
    (c,) = compare_many(dataset, resolve_period(dataset, label), ["VIS 1"])
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    return c, made


def _last_year(made) -> str | None:
    """The figure of last year the paragraph compares with, as it is written in it."""
    found = [f for s in made.sentences for f in s.facts if f.kind == "last year"]
    assert len(found) == 1 and found[0].other_shown in made.text
    return found[0].other_shown


def _counts(made) -> list[tuple[str, str, int]]:
    return [
        (f.other_period, f.words, f.count)
        for s in made.sentences
        for f in s.facts
        if f.kind == "parts change"
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2020-12", ("Dec-19", "4 more statutory visits", 4)),  # 24 of 25 against 20 of 25
        ("2020-11", ("Nov-19", "1 more statutory visit", 1)),  # 21 against 20
        ("Q3 2020/21", ("Q3 2019/20", "5 more statutory visits", 5)),  # 65 of 75 against 60
    ],
)
def test_a_numerator_that_moved_by_a_few_on_last_year_is_said_as_a_count(tmp_path, label, expected):
    """Last year's numerator is its months' of a year ago, from the store's months."""
    _, made = _written(tmp_path, label)
    assert _counts(made) == [expected]
    assert f"({expected[1]})" in made.text


def test_a_numerator_that_moved_by_a_few_on_the_period_before_is_said_as_a_count(tmp_path):
    """Without a year before (the months start in April 2020), the period before is said in
    full: 24 in December against November's 21."""
    _, made = _written(tmp_path, "2020-12", numerators=[None] * 12 + ON_TIME[12:])
    assert _counts(made) == [("Nov-20", "3 more statutory visits", 3)]
    assert "84.0%" in made.text and "(3 more statutory visits)" in made.text


def test_no_change_in_the_numerator_is_not_counted(tmp_path):
    _, made = _written(tmp_path, "2020-10")  # 20 of 25, as in October 2019
    assert _counts(made) == []


def test_a_numerator_that_moved_by_more_than_ten_is_not_counted(tmp_path):
    numerators = [20] * 18 + [20, 21, 5]  # Dec-20: 16 fewer than Dec-19
    _, made = _written(tmp_path, "2020-12", numerators=numerators)
    assert [p for p, _, _ in _counts(made)] == []


def test_last_year_without_its_parts_is_not_counted(tmp_path):
    """December 2019 given as a percentage only (no numerator or denominator): the movement
    on last year is said, without a count."""
    numerators = [20] * 8 + [None] + [20] * 9 + [20, 21, 24]
    value = [None] * 8 + [80.0] + [None] * 12
    _, made = _written(tmp_path, "2020-12", numerators=numerators, value=value)
    assert _last_year(made) == "80.0%"
    assert _counts(made) == []


def test_a_wrong_count_is_refused(tmp_path):
    c, made = _written(tmp_path, "2020-12")
    sentence = next(s for s in made.sentences if any(f.kind == "parts change" for f in s.facts))
    facts = tuple(
        replace(f, count=5) if f.kind == "parts change" and f.count == 4 else f
        for f in sentence.facts
    )
    wrong = replace(made, sentences=(replace(sentence, facts=facts),))
    assert any("5 said, 4 worked out" in d.problem for d in disagreements(wrong, c))
    facts = tuple(
        replace(f, other=19.0) if f.kind == "parts change" and f.count == 4 else f
        for f in sentence.facts
    )
    wrong = replace(made, sentences=(replace(sentence, facts=facts),))
    assert any("19.0 is not the numerator of Dec-19" in d.problem for d in disagreements(wrong, c))


def test_a_published_comparison_says_no_count_of_its_parts(tmp_path):
    """Under disclosure control a month's numerator and denominator are never shown, so no
    sentence reads them: the count goes (the movement stays), though nothing was withheld."""
    from csckpi.publish.comparisons import comparisons

    c, made = _written(tmp_path, "2020-12", denominators=[40] * 21)
    assert _counts(made) == [("Dec-19", "4 more statutory visits", 4)]
    (shown,), _ = comparisons([c], 5)
    assert not shown.withheld  # 20 to 24 of 40, 16 to 20 not: no small count
    said = paragraph(shown, summary=False)
    assert disagreements(said, shown) == []
    assert _counts(said) == []
    assert _last_year(said) == "50.0%"
