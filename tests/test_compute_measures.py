"""The measure table (csckpi/compute/measures.py): each kind of measure, three months in, the
period's figures out; and the table's own shape (every measure has a rule, every reason words).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from csckpi.compute import MEASURES, figures, measure_rule
from csckpi.compute.measures import having, per_measure
from csckpi.compute.reasons import WORDS, Why
from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.model import Context, Indicator, Measure, Polarity, Unit
from csckpi.periods import Month, Period

Q3 = Period.of_quarter(2020, 3)  # Oct-Dec 2020
DEC = Period.of_month(Month(2020, 12))


def months(**columns: list) -> pl.DataFrame:
    """A literal frame of months: ``month`` (text such as `2020-10`) and parts as columns."""
    dates = [dt.date.fromisoformat(f"{m}-01") for m in columns.pop("month")]
    return pl.DataFrame({"month": dates, **columns})


def dataset(measure: str, frame: pl.DataFrame, unit: str = "count") -> Dataset:
    """One indicator ``X`` of ``measure`` whose months are ``frame`` (one column per part)."""
    parts = [c for c in frame.columns if c != "month"]
    long = (
        frame.unpivot(index="month", on=parts, variable_name="part", value_name="figure")
        .filter(pl.col("figure").is_not_null())
        .with_columns(
            value=pl.col("figure"),
            key=pl.lit("X"),
            code=pl.lit("X"),
            sheet=pl.lit("Monthly"),
            cell=pl.lit(""),
        )
        .select(list(monthly_schema()))
        .cast(monthly_schema())
    )
    indicator = Indicator(
        code="X",
        title="X",
        section="S",
        unit=Unit(unit),
        polarity=Polarity.UP,
        measure=Measure(measure),
        order=1,
    )
    return Dataset(
        indicators=(indicator,),
        monthly=long,
        reported=pl.DataFrame(schema=reported_schema()),
        benchmarks=pl.DataFrame(schema=benchmark_schema()),
        context=Context(),
    )


def figures_of(ds: Dataset, *periods: Period) -> list[dict]:
    fields = ["period", "value", "basis", "numerator", "denominator", "flow", "reason"]
    return figures(ds, periods).sort("pid").select(fields).to_dicts()


def test_flow_sums_its_months_and_a_month_is_itself():
    ds = dataset("flow", months(month=["2020-10", "2020-11", "2020-12"], value=[4.0, 5.0, 6.0]))
    assert figures_of(ds, Q3, DEC) == [
        dict(
            period="Q3 2020/21",
            value=15.0,
            basis="computed",
            numerator=None,
            denominator=None,
            flow=None,
            reason=None,
        ),
        dict(
            period="Dec-20",
            value=6.0,
            basis="month",
            numerator=None,
            denominator=None,
            flow=None,
            reason=None,
        ),
    ]


def test_flow_with_a_month_missing_has_no_total_and_names_the_month():
    ds = dataset("flow", months(month=["2020-10", "2020-11", "2020-12"], value=[4.0, None, 6.0]))
    (q3,) = figures_of(ds, Q3)
    assert (q3["value"], q3["basis"]) == (None, "none")
    assert q3["reason"] == (
        "no figure for Nov-20, so the Q3 2020/21 total is incomplete, "
        "and no Q3 2020/21 figure is reported"
    )


def test_ratio_pools_its_parts_and_never_averages_percentages():
    frame = months(
        month=["2020-10", "2020-11", "2020-12"],
        value=[100.0, 90.0, 10.0],
        numerator=[1.0, 9.0, 10.0],
        denominator=[1.0, 10.0, 100.0],
    )
    q3, dec = figures_of(dataset("ratio", frame, "percent"), Q3, DEC)
    assert q3["value"] == pytest.approx(20 / 111 * 100)  # the mean of the months would be 66.7
    assert (q3["basis"], q3["numerator"], q3["denominator"]) == ("computed", 20.0, 111.0)
    assert (dec["value"], dec["basis"], dec["numerator"], dec["denominator"]) == (
        10.0,
        "computed",
        10.0,
        100.0,
    )


def test_ratio_without_its_parts_has_no_quarter_but_keeps_its_month():
    frame = months(month=["2020-10", "2020-11", "2020-12"], value=[75.8, 63.6, 88.2])
    q3, dec = figures_of(dataset("ratio", frame, "percent"), Q3, DEC)
    assert (q3["value"], q3["reason"]) == (
        None,
        "percentages cannot be averaged over months, not every month of Q3 2020/21 has its "
        "numerator and denominator, and no Q3 2020/21 figure is reported",
    )
    assert (dec["value"], dec["basis"], dec["reason"]) == (88.2, "month", None)


def test_snapshot_is_its_last_month():
    frame = months(month=["2020-10", "2020-11", "2020-12"], value=[292.0, 287.0, 284.0])
    q3, dec = figures_of(dataset("snapshot", frame), Q3, DEC)
    assert (q3["value"], q3["basis"], q3["flow"]) == (284.0, "month", None)
    assert (dec["value"], dec["basis"]) == (284.0, "month")


def test_snapshot_without_its_last_month_says_so():
    frame = months(month=["2020-10", "2020-11", "2020-12"], value=[292.0, 287.0, None])
    (q3,) = figures_of(dataset("snapshot", frame), Q3)
    assert (q3["value"], q3["reason"]) == (
        None,
        "no figure for Dec-20, and no Q3 2020/21 figure is reported",
    )


def test_cumulative_is_its_last_month_and_its_flow_the_rise_in_the_period():
    frame = months(month=["2020-09", "2020-11", "2020-12"], value=[331.0, 453.0, 534.0])
    q3, dec = figures_of(dataset("cumulative", frame), Q3, DEC)
    assert (q3["value"], q3["basis"], q3["flow"]) == (534.0, "month", 534.0 - 331.0)
    assert (dec["value"], dec["flow"]) == (534.0, 534.0 - 453.0)


def test_a_cumulative_percentage_has_no_flow():
    frame = months(month=["2020-09", "2020-11", "2020-12"], value=[80.0, 82.0, 84.0])
    (q3,) = figures_of(dataset("cumulative", frame, "percent"), Q3)
    assert (q3["value"], q3["flow"]) == (84.0, None)


def test_distinct_is_never_summed_over_months():
    frame = months(month=["2020-10", "2020-11", "2020-12"], value=[10.0, 8.0, 7.0])
    q3, dec = figures_of(dataset("distinct", frame), Q3, DEC)
    assert (q3["value"], q3["basis"], q3["flow"]) == (None, "none", None)
    assert q3["reason"] == (
        "a distinct count (each person counted once) cannot be added up over months, "
        "and no Q3 2020/21 figure is reported"
    )
    assert (dec["value"], dec["basis"]) == (7.0, "month")


# -- the table itself ------------------------------------------------------------------------


def test_every_measure_has_a_rule_and_every_reason_has_words():
    assert set(MEASURES) == set(Measure)
    assert all(measure_rule(m.value) is MEASURES[m] for m in Measure)
    assert set(WORDS) == set(Why)


@pytest.mark.parametrize(
    ("measure", "at_end", "summable", "running_total", "pooled", "has_flow"),
    [
        ("flow", False, True, False, False, False),
        ("ratio", False, False, False, True, False),
        ("snapshot", True, False, False, False, False),
        ("cumulative", True, False, True, False, True),
        ("distinct", False, False, False, False, False),
    ],
)
def test_the_properties_of_each_measure(measure, at_end, summable, running_total, pooled, has_flow):
    r = measure_rule(measure)
    assert (r.at_end, r.summable, r.running_total, r.pooled, r.flow is not None) == (
        at_end,
        summable,
        running_total,
        pooled,
        has_flow,
    )


def test_per_measure_and_having_choose_by_each_rows_measure():
    frame = pl.DataFrame({"measure": [m.value for m in Measure]})
    chosen = frame.select(
        name=per_measure(lambda r: pl.lit(r.measure.value.upper())),
        at_end=having(lambda r: r.at_end),
    )
    assert chosen.get_column("name").to_list() == [m.value.upper() for m in Measure]
    assert chosen.get_column("at_end").to_list() == [MEASURES[m].at_end for m in Measure]


@pytest.mark.parametrize(
    ("measure", "unit", "running", "compared_by"),
    [
        ("cumulative", Unit.COUNT, True, "flow"),  # 203 in Q3 on 189 in Q2, not 534 on 331
        ("cumulative", Unit.RATE, True, None),  # a rate's flow is not known
        ("cumulative", Unit.PERCENT, True, "value"),  # a percentage to date can fall
        ("cumulative", Unit.COUNT, False, "value"),  # a year to date against last year's
        ("flow", Unit.COUNT, True, "value"),
        ("snapshot", Unit.RATE, True, "value"),
    ],
)
def test_what_each_measure_compares_with_the_period_before(measure, unit, running, compared_by):
    assert measure_rule(measure).previous(unit, running) == compared_by
