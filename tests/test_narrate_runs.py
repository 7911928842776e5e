"""Property: a run of months at the same figure is said exactly when there is one, and with
its true length. The generated series are built to hold runs of every length (0 to 7 months),
so the check meets real runs on most examples rather than almost never."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from properties import examples

from csckpi.compare import Comparison, MonthPoint
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.narrate import paragraph
from csckpi.numbers import round_half_up
from csckpi.periods import Month, Period, fy_months

figure = st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda v: round(v, 3))


@st.composite
def series_with_a_run(draw: st.DrawFn) -> tuple[Comparison, int]:
    """A month's comparison whose last ``run`` months (up to the period) share one figure;
    returns it with the run's true length as shown."""
    unit = draw(st.sampled_from(list(Unit)))
    decimals = draw(st.sampled_from([0, 1, 2]))
    indicator = Indicator(
        code="T 1",
        title="Children seen",
        section="S",
        unit=unit,
        polarity=draw(st.sampled_from(list(Polarity))),
        measure=draw(st.sampled_from([Measure.FLOW, Measure.RATIO, Measure.SNAPSHOT])),
        decimals=decimals,
    )
    end = Month(2020, draw(st.integers(5, 12)))
    year = [m for m in fy_months(2020) if m <= end]
    value = draw(figure)
    run = draw(st.integers(1, min(7, len(year))))
    before = [draw(st.one_of(st.none(), figure)) for _ in year[: len(year) - run]]
    values = [*before, *([value] * run)]
    months = tuple(
        MonthPoint(m, values[i] if i < len(values) else None) for i, m in enumerate(fy_months(2020))
    )
    # The true run, as shown: every month back from the period's that reads as its figure.
    shown = [None if v is None else round_half_up(v, decimals) for v in values]
    true = 0
    for v in reversed(shown):
        if v is None or v != shown[-1]:
            break
        true += 1
    c = Comparison(
        indicator=indicator,
        period=Period.of_month(end),
        value=value,
        basis="computed",
        months=months,
    )
    return c, true


@settings(max_examples=examples(300), deadline=None)
@given(series_with_a_run())
def test_a_run_is_said_exactly_when_there_is_one_and_with_its_length(drawn):
    c, true = drawn
    para = paragraph(c, summary=False)
    runs = [f for s in para.sentences for f in s.facts if f.kind == "run"]
    if true >= 2:
        assert len(runs) == 1, (true, para.text)
        assert runs[0].count == true, (runs[0], true)
        assert runs[0].shown in para.text
    else:
        assert runs == [], (true, para.text)


def test_a_four_month_run_is_said_as_the_fourth_consecutive_month():
    indicator = Indicator(
        code="T 1",
        title="Children seen",
        section="S",
        unit=Unit.PERCENT,
        polarity=Polarity.UP,
        measure=Measure.RATIO,
    )
    values = [70.0, 71.0, 80.0, 80.0, 80.04, 79.96]  # Apr-Sep: 80.0% as shown from June
    months = tuple(
        MonthPoint(m, values[i] if i < len(values) else None) for i, m in enumerate(fy_months(2020))
    )
    c = Comparison(
        indicator=indicator,
        period=Period.of_month(Month(2020, 9)),
        value=79.96,
        basis="computed",
        months=months,
    )
    para = paragraph(c, summary=False)
    runs = [f for s in para.sentences for f in s.facts if f.kind == "run"]
    assert [f.count for f in runs] == [4]
    assert "80.0% for the fourth consecutive month" in para.text
