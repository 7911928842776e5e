"""`narrate()` over small Datasets: the default period and figures that come from the frames."""

from __future__ import annotations

import pytest
from compute_data import dataset, indicator, monthly_series

from csckpi.errors import PeriodError
from csckpi.narrate import Settings, default_period, narrate
from csckpi.periods import Period

#: The wording rules are the plain phrasing's (the phrasings: tests/test_narrate_phrasing.py).
PLAIN = Settings(vary=False)


def _flow(months: int, first: str = "2020-04"):
    ind = indicator("F 1", measure="flow", unit="count")
    return dataset([ind], monthly_series("F 1", first, [10.0] * months))


@pytest.mark.parametrize(
    ("first", "months", "expected"),
    [
        ("2020-04", 9, "Q3 2020/21"),  # Apr-Dec: Q3 is complete
        ("2020-04", 10, "Q3 2020/21"),  # January alone does not complete Q4
        ("2020-04", 8, "Q2 2020/21"),  # Apr-Nov: Q3 is not complete
        ("2020-01", 3, "Q4 2019/20"),  # Jan-Mar is the fourth quarter of 2019/20
        ("2020-05", 2, None),  # May-Jun: no quarter has all three months
    ],
)
def test_the_default_period_is_the_latest_complete_quarter(first, months, expected):
    data = _flow(months, first)
    if expected is None:
        with pytest.raises(PeriodError, match="No quarter between May-20 and Jun-20"):
            default_period(data)
    else:
        assert default_period(data).label == expected


def test_no_figures_no_default_period():
    with pytest.raises(PeriodError, match="There are no figures at all") as caught:
        default_period(dataset([indicator("F 1")]))
    assert "Fill in the workbook's Indicators and Monthly sheets" in str(caught.value)
    reported_only = dataset([indicator("F 1")], reported=[("F 1", "2019/20", 5.0)])
    with pytest.raises(PeriodError, match="There are no monthly figures"):
        default_period(reported_only)


def test_a_ratio_from_numerators_and_denominators_is_never_a_mean_of_percentages():
    ind = indicator("R 1", measure="ratio", unit="percent", polarity="up", target=90, decimals=1)
    rows = (
        monthly_series("R 1", "2020-10", [100.0, 50.0, 90.0])
        + monthly_series("R 1", "2020-10", [2.0, 5.0, 9.0], part="numerator")
        + monthly_series("R 1", "2020-10", [2.0, 10.0, 10.0], part="denominator")
    )
    (para,) = narrate(
        dataset([ind], rows), Period.of_quarter(2020, 3), summary=True, settings=PLAIN
    )
    # 16 / 22 = 72.7%, where the mean of the months would be 80.0%
    assert para.sentences[0].text == (
        "The figure for indicator R 1 was 72.7% (16 / 22) during Q3 2020/21."
    )
    assert "80.0" not in para.text
    assert para.sentences[1].text == "This is below our target of 90%."


def test_a_cumulative_count_is_compared_with_last_years_count_for_the_quarter():
    ind = indicator("C 1", measure="cumulative", unit="count")
    this_year = monthly_series("C 1", "2020-04", [10, 20, 30, 40, 50, 60, 70, 80, 90])
    last_year = monthly_series("C 1", "2019-04", [5, 10, 15, 20, 25, 30, 40, 50, 60])
    data = dataset([ind], this_year + last_year)
    (para,) = narrate(data, Period.of_quarter(2020, 3), summary=True, settings=PLAIN)
    # Q3 2020/21: 90 - 60 = 30; Q3 2019/20: 60 - 30 = 30
    assert para.text == (
        "The figure for indicator C 1 was 30 during Q3 2020/21, with a year to date total of 90. "
        "The quarter's figure is the same as the 30 in Q3 2019/20."
    )
    facts = [f for s in para.sentences for f in s.facts if f.kind == "last year"]
    assert [(f.value, f.other, f.relation) for f in facts] == [(30.0, 30.0, "same")]


def test_a_pattern_column_in_the_workbook(example_workbook, tmp_path):
    import openpyxl

    from csckpi.workbook import read_dataset

    book = openpyxl.load_workbook(example_workbook)
    sheet = book["Indicators"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "pattern")
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "CSC 201":
            sheet.cell(row, column, "{council} looked after {value} children {period_wording}.")
    path = tmp_path / "with-pattern.xlsx"
    book.save(path)
    (para,) = narrate(read_dataset(path), Period.of_quarter(2020, 3), ["CSC201"], summary=True)
    assert para.text == "Darlington looked after 284 children as at December 2020."


def test_recomputed_monthly_rates_agree_with_compare(example_workbook):
    """CSC 200: the months narrate lists are compare's (worked out from each month's count),
    and each month whose workbook cell differs as shown is named with the workbook's figure:
    none in the example, whose rates all go with its population; Aug-20 and Oct-20 in the
    example with those cells typed as 134.8 and 130.3."""
    from compute_data import with_cell

    from csckpi.compare import compare
    from csckpi.workbook import read_dataset

    example = read_dataset(example_workbook)
    typed = with_cell(with_cell(example, "CSC 200", "2020-08", 134.8), "CSC 200", "2020-10", 130.3)
    q3 = Period.of_quarter(2020, 3)
    for data in (example, typed):
        (para,) = narrate(data, q3, ["CSC200"], summary=False)
        months = next(s for s in para.sentences if s.kind == "months")
        c = compare(data, q3, "CSC200")
        in_q3 = [m for m in c.months if q3.contains(m.month)]
        assert [f.value for f in months.facts] == [m.value for m in in_q3]
        assert months.text.endswith(
            "130.0 in October, 127.8 in November and 126.5 in December 2020."
        )
    (para,) = narrate(example, q3, ["CSC200"], summary=False)
    assert [s for s in para.sentences if s.kind == "month_cells"] == []
    assert all(m.workbook is None for m in compare(example, q3, "CSC200").months)

    (para,) = narrate(typed, q3, ["CSC200"], summary=False)
    cells = next(s for s in para.sentences if s.kind == "month_cells")
    # every month the report's table shows (the year to date), not only the quarter's
    assert cells.analyst and cells.text.endswith(
        "the workbook gives 134.8 for August and 130.3 for October."
    )
    c = compare(typed, q3, "CSC200")
    in_q3 = [m for m in c.months if q3.contains(m.month)]
    august = next(m for m in c.months if m.month.short == "Aug-20")
    assert [(f.value, f.other) for f in cells.facts] == [
        (august.value, 134.8),
        (in_q3[0].value, 130.3),
    ]
    assert [m.workbook for m in in_q3] == [130.3, None, None]


def test_a_workbook_without_phrases_gets_sentences_from_its_titles(example_workbook, tmp_path):
    """Another council's workbook with no phrase column: every headline is made from the title,
    and none keeps the title's own period words ("Monthly", "in month", "(Cumulative)", "year
    to date") beside the sentence's period, nor a second sentence of the title."""
    import re

    import openpyxl

    from csckpi.workbook import read_dataset

    book = openpyxl.load_workbook(example_workbook)
    sheet = book["Indicators"]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_cols(header.index("phrase") + 1)
    path = tmp_path / "no-phrases.xlsx"
    book.save(path)
    data = read_dataset(path)
    assert all(not i.phrase for i in data.indicators)
    paragraphs = narrate(data, Period.of_quarter(2020, 3), summary=True, settings=PLAIN)
    assert len(paragraphs) == len(data.indicators)
    headlines = [s.text for p in paragraphs for s in p.sentences if s.kind == "headline"]
    assert len(headlines) >= 30
    for text in headlines:
        said = text.split(" was ")[0].lower()
        assert not re.search(r"monthly|in month|within the month|cumulative|\(year to date", said)
        assert "excludes transfer" not in said, text
    by_code = {p.code: p.text for p in paragraphs}
    assert by_code["CSC 022"].startswith(
        "The percentage of referrals completed within 1 working day was 75.6% during Q3 2020/21, "
        "with a year to date figure of 77.7%. Both figures are below our target of 90%."
    )
    assert by_code["CSC 036"].startswith(
        "The number of children & families assessments completed was 203 during Q3 2020/21, "
        "with a year to date total of 534."
    )
