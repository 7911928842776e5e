"""Two ingest checks on hand-made workbooks: a ratio's reported period figure against the
months it is pooled from (csckpi/workbook/pooled.py), and a rate per 10,000 against its count
and the Context population (csckpi/workbook/population.py). Each: a case that warns, one that
does not, and the boundary of rounding. (The wording of each kind is in docs/bad-input.md,
from tests/test_bad_input.py; the example's own warnings in tests/test_bad_input_trial.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workbook_factory import base, write

from csckpi.cli import app
from csckpi.model import Problem
from csckpi.workbook import read

OCT_TO_DEC = [dt.datetime(2020, month, 1) for month in (10, 11, 12)]
JUL_TO_DEC = [dt.datetime(2020, month, 1) for month in range(7, 13)]


def _problems(path: Path, kind: str) -> list[Problem]:
    result = read(path)
    assert result.dataset is not None
    return [p for p in result.problems if p.kind == kind]


# -- a ratio's period figure against its months ------------------------------------------------
def _quarter(tmp_path: Path, months: list[float], quarter: float) -> Path:
    """CSC 022 (a ratio) with Oct-20 to Dec-20 and its reported Q3 2020/21 figure."""
    sheets = base()
    sheets["Monthly"] = [["code", "part", *OCT_TO_DEC], ["CSC 022", "value", *months]]
    sheets["Periods"] = [["code", "period", "value"], ["CSC 022", "Q3 2020/21", quarter]]
    return write(tmp_path / "book.xlsx", sheets)


def test_a_quarter_outside_its_months_warns_at_its_cell(tmp_path: Path) -> None:
    (problem,) = _problems(_quarter(tmp_path, [87.5, 100, 100], 80), "period-not-pooled")
    assert problem.location == "Periods!C2"
    assert problem.message.startswith("80.0% for CSC 022 in Q3 2020/21 lies outside its months")
    assert "(Oct-20 to Dec-20: 87.5% to 100.0%)" in problem.message
    assert problem.message.endswith("check it")


def test_a_quarter_its_months_can_pool_to_says_nothing(tmp_path: Path) -> None:
    assert _problems(_quarter(tmp_path, [87.5, 100, 100], 95), "period-not-pooled") == []


@pytest.mark.parametrize(
    ("quarter", "warns"),
    [
        (90.1, False),  # 90.05 pooled from three months of 90.05 (each written 90.0)
        (89.9, False),  # 89.95 likewise
        (90.2, True),  # no month can be over 90.05
        (89.8, True),
    ],
)
def test_a_quarter_one_place_off_its_months_agrees_within_rounding(
    tmp_path: Path, quarter: float, warns: bool
) -> None:
    found = _problems(_quarter(tmp_path, [90.0, 90.0, 90.0], quarter), "period-not-pooled")
    assert bool(found) is warns


@pytest.mark.parametrize(
    ("quarter", "warns"),
    [
        # 80 to 100 over three months: near 80.0, December held under a quarter of an average
        # month's cases (under 1/12 of the three): (81.5 - 80 + 0.1) / 20 = 0.08
        (81.5, True),
        (81.6, False),  # (81.6 - 80 + 0.1) / 20 = 0.085, over 1/12
    ],
)
def test_a_quarter_at_the_edge_of_its_months(tmp_path: Path, quarter: float, warns: bool) -> None:
    found = _problems(_quarter(tmp_path, [80.0, 90.0, 100.0], quarter), "period-not-pooled")
    assert bool(found) is warns
    if warns:
        assert (
            "pooled from them it comes to 81.5% only if Dec-20 (100.0%) held under 8% of the "
            "cases — check it" in found[0].message
        )


def test_a_running_years_figure_that_is_its_last_month_says_so(tmp_path: Path) -> None:
    sheets = base()
    april = [dt.datetime(2020, month, 1) for month in range(4, 13)]
    months = [80, 90, 100, 90, 95, 90, 95, 90, 100]
    sheets["Monthly"] = [["code", "part", *april], ["CSC 022", "value", *months]]
    sheets["Periods"] = [["code", "period", "value"], ["CSC 022", "2020/21", 100]]
    (problem,) = _problems(write(tmp_path / "book.xlsx", sheets), "period-not-pooled")
    assert problem.message.endswith("; it is Dec-20's own figure, not the year so far — check it")


def test_a_running_years_figure_not_its_last_month_is_a_part_year_figure(tmp_path: Path) -> None:
    sheets = base()
    april = [dt.datetime(2020, month, 1) for month in range(4, 13)]
    months = [80, 90, 100, 90, 95, 90, 95, 90, 90]
    sheets["Monthly"] = [["code", "part", *april], ["CSC 022", "value", *months]]
    sheets["Periods"] = [["code", "period", "value"], ["CSC 022", "2020/21", 100]]
    (problem,) = _problems(write(tmp_path / "book.xlsx", sheets), "period-not-pooled")
    assert problem.message.endswith(
        "— check it (a part-year figure: 2020/21 is still running at Dec-20)"
    ), problem.message


def test_only_ratios_are_checked(tmp_path: Path) -> None:
    """CSC 038 is cumulative: its year is its last month, not pooled."""
    sheets = base()
    sheets["Monthly"] = [["code", "part", *OCT_TO_DEC], ["CSC 038", "value", 60, 70, 80]]
    sheets["Periods"] = [["code", "period", "value"], ["CSC 038", "Q3 2020/21", 99]]
    assert _problems(write(tmp_path / "book.xlsx", sheets), "period-not-pooled") == []


# -- a rate per 10,000 against its count and the population ---------------------------------
def _rates(
    tmp_path: Path,
    counts: list[float],
    rates: list[float],
    population: float | None,
    *,
    own: bool = False,
    both: bool = False,
    denominators: list[float] | None = None,
    year: str = "2020/21",
    section: str = "Children in care",
) -> Path:
    """CSC 200 (a rate per 10,000, snapshot) from Jul-20, in ``section``, with its counts as
    CSC 201's months (or, with ``own``, as its own numerator row; with ``both`` too, as both),
    and the population of ``year``. CSC 201 is in Children in care."""
    sheets = base()
    sheets["Indicators"].append(
        ["CSC 200", "Children in care per 10,000", section, "rate", "none", "snapshot"]
    )
    monthly: list[list[object]] = [["code", "part", *JUL_TO_DEC]]
    if own:
        monthly.append(["CSC 200", "numerator", *counts])
    if not own or both:
        monthly.append(["CSC 201", "value", *counts])
    monthly.append(["CSC 200", "value", *rates])
    if denominators:
        monthly.append(["CSC 200", "denominator", *denominators])
    sheets["Monthly"] = monthly
    if population is not None:
        sheets["Context"] = [["key", "value", "year"], ["population_0_17", population, year]]
    return write(tmp_path / "book.xlsx", sheets)


#: The example's children in care from Jul-20 and their rates, as the published report has them.
COUNTS = [302, 303, 302, 292, 287, 284]
RATES = [134.5, 134.9, 134.5, 130.0, 127.8, 126.5]


@pytest.mark.parametrize("own", [False, True], ids=["count indicator", "own numerator"])
def test_a_population_the_rates_were_not_worked_out_from_warns_at_its_cell(
    tmp_path: Path, own: bool
) -> None:
    path = _rates(tmp_path, COUNTS, RATES, 22_450, own=own)
    (problem,) = _problems(path, "population-not-the-rates")
    assert problem.location == "Context!B2"
    assert problem.message == (
        "the rates per 10,000 on Monthly for 2020/21 were worked out from a population of "
        "22,453 to 22,459, not 22,450: worked out again from 22,450, CSC 200's Oct-20 is 130.1 "
        "where Monthly!F3 says 130.0 — give the population the rates came from"
    )
    assert _problems(path, "rate-not-its-count") == []


@pytest.mark.parametrize("population", [22_453, 22_455, 22_459])
def test_a_population_the_rates_were_worked_out_from_says_nothing(
    tmp_path: Path, population: int
) -> None:
    result = read(_rates(tmp_path, COUNTS, RATES, population))
    assert result.problems == ()


@pytest.mark.parametrize(
    ("population", "warns"),
    [
        # the rates pin 22,452.9 to 22,459.5: a whole population within half of them agrees
        (22_452, True),
        (22_453, False),
        (22_459, False),
        (22_460, True),
    ],
)
def test_a_population_at_the_edge_of_the_rates(
    tmp_path: Path, population: float, warns: bool
) -> None:
    found = _problems(_rates(tmp_path, COUNTS, RATES, population), "population-not-the-rates")
    assert bool(found) is warns


def test_an_earlier_years_population_used_for_a_later_year_says_so(tmp_path: Path) -> None:
    path = _rates(tmp_path, COUNTS, RATES, 22_000, year="2019/20")
    (problem,) = _problems(path, "population-not-the-rates")
    assert problem.location == "Context!B2"
    assert problem.message.endswith(
        "— it is 2019/20's, used for 2020/21 too: give 2020/21 its own population, the one "
        "its rates came from"
    )
    assert "for 2020/21 were worked out from a population of 22,453 to 22,459, not 22,000" in (
        problem.message
    )


def test_a_count_typed_over_warns_at_the_rate_naming_the_count(tmp_path: Path) -> None:
    """The new-user trial: CSC 201's Dec-20 changed from 284 to 286, CSC 200's rate not."""
    counts = [*COUNTS[:-1], 286]
    (problem,) = _problems(_rates(tmp_path, counts, RATES, 22_455), "rate-not-its-count")
    assert problem.location == "Monthly!H3"
    assert problem.message == (
        "CSC 200's Dec-20 rate, 126.5 per 10,000, does not go with CSC 201's Dec-20 count, 286 "
        "(Monthly!H2): in CSC 200's other months of 2020/21, CSC 201's counts give its rates "
        "from a population of 22,453 to 22,461, by which 286 would be 127.3 to 127.4 per "
        "10,000 and 126.5 would be 284 — check both figures"
    )
    assert _problems(_rates(tmp_path, counts, RATES, 22_455), "population-not-the-rates") == []


def test_an_own_numerator_typed_over_says_its_numerator(tmp_path: Path) -> None:
    counts = [*COUNTS[:-1], 286]
    (problem,) = _problems(_rates(tmp_path, counts, RATES, None, own=True), "rate-not-its-count")
    assert problem.location == "Monthly!H3"
    assert (
        "does not go with its numerator, 286 (Monthly!H2): in its other months of 2020/21, "
        "the numerators give its rates from a population of 22,453 to 22,461" in problem.message
    )


def test_a_rate_typed_over_is_said_once(tmp_path: Path) -> None:
    """Off both its own numerator and CSC 201's count: one warning, naming its numerator."""
    rates = [*RATES[:-1], 128.0]
    path = _rates(tmp_path, COUNTS, rates, 22_455, own=True, both=True)
    (problem,) = _problems(path, "rate-not-its-count")
    assert problem.location == "Monthly!H4"
    assert problem.message.startswith(
        "CSC 200's Dec-20 rate, 128.0 per 10,000, does not go with its numerator, 284 (Monthly!H2)"
    )
    assert "by which 284 would be 126.4 to 126.5 per 10,000" in problem.message


@pytest.mark.parametrize(
    ("rate", "warns"),
    [
        # 1,001 among 40,000 is 250.25 per 10,000 exactly: written 250.3 (half up) or 250.2
        # (half to even), both within its rounding; 250.1 is not
        (250.3, False),
        (250.2, False),
        (250.1, True),
        (250.4, True),
    ],
)
def test_a_rate_exactly_halfway_agrees_either_way(tmp_path: Path, rate: float, warns: bool) -> None:
    counts = [1000, 1001, 1003, 1005]
    rates = [250.0, rate, 250.8, 251.3]  # the others 250.0, 250.75 and 251.25 written half up
    path = _rates(tmp_path, [*counts, None, None], [*rates, None, None], 40_000)
    assert bool(_problems(path, "rate-not-its-count")) is warns
    assert _problems(path, "population-not-the-rates") == []


def test_a_count_in_another_section_is_not_linked(tmp_path: Path) -> None:
    """A rate is paired with the counts of its own section only (a workbook of 1,200
    indicators would otherwise pair each rate with every count of its measure): the count
    typed over that warns in the rate's section says nothing from another."""
    counts = [*COUNTS[:-1], 286]
    assert _problems(_rates(tmp_path, counts, RATES, 22_455), "rate-not-its-count") != []
    other = _rates(tmp_path, counts, RATES, 22_455, section="Placements")
    assert _problems(other, "rate-not-its-count") == []


def test_a_count_that_is_not_the_rates_is_not_linked(tmp_path: Path) -> None:
    """A snapshot count whose months give the rate from no one population is another count:
    nothing is said of it."""
    path = _rates(tmp_path, [88, 104, 103, 95, 99, 97], RATES, 22_450)
    assert read(path).problems == ()


def test_a_rate_with_its_own_denominator_is_not_checked(tmp_path: Path) -> None:
    path = _rates(tmp_path, COUNTS, RATES, 22_450, own=True, denominators=[22_450] * 6)
    assert read(path).problems == ()


def test_the_warnings_are_counted_in_the_ingest_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _rates(tmp_path, [*COUNTS[:-1], 286], RATES, 22_450)
    result = CliRunner().invoke(app, ["ingest", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Warnings    2" in result.output
    assert "Context!B2: the rates per 10,000" in result.output
    assert "Monthly!H3: CSC 200's Dec-20 rate" in result.output
