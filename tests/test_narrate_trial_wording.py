"""Wording a new user's trial of the example found a committee would edit (issue 16): each
test holds one sentence as the trial read it, and that every sentence still passes the
checker (`narrate --check`)."""

from __future__ import annotations

import pytest
from test_narrate import DEC, PLAIN, comp, ind, text
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.narrate import paragraphs
from csckpi.narrate.check import disagreements
from csckpi.periods import Month, Period

runner = CliRunner()
YTD = Period.of_ytd(2020, Month(2020, 12))


def narrate(workbook, *args: str) -> str:
    result = runner.invoke(app, ["narrate", "-w", str(workbook), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def checked(c) -> str:
    """The analysis paragraph of ``c``, once the checker agrees with every sentence."""
    (made,) = paragraphs([c], settings=PLAIN)
    assert disagreements(made, c) == []
    return made.text


# -- 1. months at one figure are said once -----------------------------------------------------


def test_a_month_list_at_one_figure_is_said_once(example_workbook):
    """CSC 186's year to date listed "0.0% at the end of April, 0.0% at the end of May, ..."
    for nine months; the run is said once, as the month's paragraph says its run."""
    said = narrate(example_workbook, "-p", "2020/21 YTD", "-i", "CSC 186")
    assert (
        "The year to date stood at 0.0% at the end of every month from April to December 2020."
    ) in said
    assert "0.0% at the end of May" not in said
    assert narrate(example_workbook, "-p", "2020/21 YTD", "--check").startswith("Checked")


def test_a_run_inside_a_month_list_is_said_once():
    i = ind(measure="flow")
    c = comp(i, YTD, value=80.0, months=[70.0, 70.0, 70.0, 75.8, 80.0, 80.0, 81.0, 81.0, 82.0])
    assert "The monthly figures were 70.0% in every month from April to June, 75.8% in July, " + (
        "80.0% in both August and September, 81.0% in both October and November, and 82.0% in "
        "December 2020."
    ) in checked(c)


def test_a_run_across_the_new_year_names_both_years():
    i = ind(measure="flow")
    q4 = Period.of_quarter(2020, 4)
    c = comp(i, q4, value=50.0, months=[1.0] * 9 + [50.0, 50.0, 50.0])
    assert "The monthly figures were 50.0% in every month from January to March 2021." in (
        checked(c)
    )
    c = comp(i, YTD, value=50.0, months=[1.0] * 7 + [50.0, 50.0])
    assert "1.0% in every month from April to October, and 50.0% in both November and " + (
        "December 2020."
    ) in checked(c)
    c = comp(i, Period.of_ytd(2020, Month(2021, 1)), value=50.0, months=[1.0] * 8 + [5.0, 5.0])
    assert "1.0% in every month from April to November 2020, and 5.0% in both December 2020 " + (
        "and January 2021."
    ) in checked(c)


def test_months_at_different_figures_are_each_said():
    c = comp(ind(), value=75.6, months=[1, 2, 3, 4, 5, 6, 75.8, 63.6, 88.2])
    assert text(c, summary=False).endswith(
        "The monthly figures were 75.8% in October, 63.6% in November and 88.2% in December 2020."
    )
    q = comp(ind(), value=5.0, months=[1, 2, 3, 4, 5, 6, 5.0, None, 5.0])
    assert "5.0% in October and 5.0% in December 2020 (no figure for November)" in text(
        q, summary=False
    )


@pytest.mark.parametrize("measure", ["cumulative", "snapshot", "flow"])
def test_a_whole_list_at_one_figure_in_each_measures_words(measure):
    opens = {
        "cumulative": "The year to date stood at 0.0% at the end of every month",
        "snapshot": "The month-end figures were 0.0% in every month",
        "flow": "The monthly figures were 0.0% in every month",
    }[measure]
    c = comp(ind(measure=measure, phrase="of visits were late"), value=0.0, months=[0.0] * 9)
    assert f"{opens} from October to December 2020." in checked(c)


# -- 2. after two figures, the next sentence names the one it judges ---------------------------


def test_after_two_figures_both_are_judged_by_name(example_workbook):
    """CSC 022 Q3 2020/21: "75.6% ... with a year to date figure of 77.7%. The figure is below
    our target of 90%." — which figure? Both."""
    said = narrate(example_workbook, "-p", "Q3 2020/21", "-i", "CSC 022")
    assert (
        "75.6% of referrals were completed within 1 working day during Q3 2020/21, with a year "
        "to date figure of 77.7%. Both figures are below our target of 90%."
    ) in said
    assert "The figure is below" not in said
    assert narrate(example_workbook, "-p", "Q3 2020/21", "--check").startswith("Checked")


def test_a_movement_after_two_figures_names_the_periods_own():
    c = comp(ind(target=90), value=75.6, ytd=77.7, last_year=70.0)
    assert checked(c).startswith(
        "75.6% of visits were completed in time during Q3 2020/21, with a year to date figure "
        "of 77.7%. Both figures are below our target of 90%, but the quarter's figure is a "
        "positive increase on the 70.0% in Q3 2019/20."
    )
    alone = comp(ind("count", "down", "flow", phrase="visits were late"), value=30, ytd=121)
    alone = comp(alone.indicator, value=30, ytd=121, last_year=43)
    assert "121. The quarter's figure is a positive reduction on the 43 visits in Q3 2019/20." in (
        checked(alone)
    )


def test_both_facts_are_checked():
    """'Both figures are below our target' states the year to date's standing too: its fact is the
    year to date's, and the checker judges it again."""
    c = comp(ind(target=90), value=75.6, ytd=77.7)
    (made,) = paragraphs([c], settings=PLAIN)
    both = next(s for s in made.sentences if s.text.startswith("Both figures"))
    judged = {(f.value, f.period) for f in both.facts if f.kind == "target"}
    assert judged == {(75.6, "Q3 2020/21"), (77.7, "2020/21 YTD")}


def test_one_figure_or_two_that_stand_apart_keep_their_words():
    one = comp(ind(target=90), value=75.6)
    assert "This is below our target of 90%." in text(one)
    apart = comp(ind(target=76), value=75.6, ytd=77.7)
    assert "The quarter is below our target of 76%, the year to date positively above it." in (
        checked(apart)
    )


# -- 3. a movement on the period before says whether it improved -------------------------------


def test_a_fall_for_a_lower_is_better_figure_is_an_improvement(example_workbook):
    """CSC 026 Dec-20 (lower is better): "None (0.0%) ... the figure is down from 9.1%" beside
    "positively below our target" said the movement without its judgement."""
    said = narrate(example_workbook, "-p", "Dec-20", "-i", "CSC 026")
    assert "an improvement, down from 9.1% in November 2020" in said
    assert narrate(example_workbook, "-p", "Dec-20", "--check").startswith("Checked")


@pytest.mark.parametrize(
    ("polarity", "now", "said"),
    [
        ("down", 4.0, "This is an improvement, down from 9.1% in November 2020."),
        ("up", 14.0, "This is an improvement, up from 9.1% in November 2020."),
        ("down", 14.0, "This is a rise from 9.1% in November 2020."),
        ("none", 4.0, "This is a drop from 9.1% in November 2020."),
        ("down", 9.0, "This is a small drop from 9.1% in November 2020."),
    ],
)
def test_the_month_before_in_full_is_judged_through_the_polarity(polarity, now, said):
    c = comp(ind(polarity=polarity, measure="flow"), DEC, value=now, previous=9.1)
    assert said in checked(c)


@pytest.mark.parametrize(
    ("polarity", "now", "said"),
    [
        ("down", 4.0, "below our target of 5% and an improvement, down from 9.1% in November"),
        ("down", 5.5, "above our target of 5% but an improvement, down from 9.1% in November"),
        ("up", 4.0, "below our target of 5% and down from 9.1% in November"),
    ],
)
def test_the_month_before_after_a_standing_is_judged_through_the_polarity(polarity, now, said):
    c = comp(ind(polarity=polarity, measure="flow", target=5), DEC, value=now, previous=9.1)
    assert said in checked(c)


# -- 4. a RAG change reads cleanly -------------------------------------------------------------


def test_a_rag_change_reads_cleanly(example_workbook):
    """Key message 2 of Q3 2020/21 read "…: now meets the target, at 91.1% against our target
    of 90%, rated green, having been rated red year to date as at September 2020 (81.7%)."."""
    said = narrate(example_workbook, "-p", "Q3 2020/21", "--summary").splitlines()
    assert said[5] == (
        "2. Children in Care who were due a Review Health Check year to date and were completed "
        "and recorded: now meets our target of 90% at 91.1% (green); it was red year to date as "
        "at September 2020 (81.7%)."
    )
    assert said[4] == (
        "1. Children in Care whose reviews had been completed within required timescales: now "
        "below our target of 100% at 99.6% (red); it met the target as at September 2020 "
        "(100.0%)."
    )
