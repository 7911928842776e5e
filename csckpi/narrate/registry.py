"""Every clause a pattern may name: placeholder -> the function that builds it.

A clause is a function ``(Context) -> Clause`` in the module of its family (``headline``,
``standing``, ``movement``, ``comparison``, ``runs``, ``pace``, ``control``, ``notes``,
``benchmarks``). Adding one is that function and one line here; ``csckpi.narrate.patterns``
then accepts ``{name}`` in a pattern, and its error for an unknown placeholder lists it. Names
ending in ``_clause`` may be empty without dropping their sentence. See docs/narrative.md,
"Adding a clause".
"""

from __future__ import annotations

from dataclasses import dataclass

from csckpi.narrate import (
    benchmarks,
    comparison,
    control,
    headline,
    movement,
    notes,
    pace,
    runs,
    standing,
)
from csckpi.narrate.context import Build


@dataclass(frozen=True)
class Placeholder:
    """A clause as a pattern names it: what builds it, and what it holds (for the docs and for
    the error that lists the placeholders)."""

    build: Build
    holds: str
    #: for the analyst only: a sentence that names it is left out of the committee's text
    analyst: bool = False


CLAUSES: dict[str, Placeholder] = {
    # headline: the figure, its words and its period
    "headline": Placeholder(
        headline.headline, "the default first sentence: figure, phrase, period, year to date"
    ),
    "value": Placeholder(
        headline.value, "the figure with its parts: `85.2% (455 / 534)`, `203`, `39.2`"
    ),
    "figure": Placeholder(headline.figure, "the figure alone: `85.2%`"),
    "phrase": Placeholder(headline.phrase, "the indicator's phrase, or words made from its title"),
    "subject": Placeholder(
        headline.subject, "the title as a noun: `the percentage of Care Leavers NEET`"
    ),
    "title": Placeholder(headline.title, "the indicator's title as written"),
    "code": Placeholder(headline.code, "the indicator's code as written"),
    "period": Placeholder(headline.period, "the period's name: `Q3 2020/21`"),
    "period_wording": Placeholder(
        headline.period_wording, "the period as the headline says it: `during Q3 2020/21`"
    ),
    "council": Placeholder(headline.council, "the council's name from the Context sheet"),
    "target": Placeholder(headline.target, "the target: `90%`"),
    "ytd_clause": Placeholder(
        headline.ytd_clause, "`, with a year to date figure of 77.7%` (may be empty)"
    ),
    "ytd": Placeholder(headline.ytd, "the year to date figure: `77.7%`"),
    # comparison: the standing and the movements joined
    "comparison": Placeholder(
        comparison.comparison,
        "a sentence (or two): target, benchmarks and last year joined: `This is "
        "below our target of 90% but a positive increase on the 77.7% in Q3 2019/20`",
    ),
    "full_comparison": Placeholder(
        comparison.full_comparison,
        "the comparison with the period before added: `..., and up from 70.3% "
        "as at September 2020`",
    ),
    # standing: against the target and the benchmarks
    "standing": Placeholder(
        standing.standing, "target and benchmarks, grouped: `below our target of 90%, ...`"
    ),
    "target_note": Placeholder(
        standing.target_note,
        "a sentence: why the figure is not set beside the target, where the target is for "
        "another length of period: `Our target of 160 a month is not compared with this "
        "quarter's figure`",
    ),
    "target_standing": Placeholder(
        standing.target_standing, "the target alone: `below our target of 90%`"
    ),
    "benchmark_standing": Placeholder(
        standing.benchmark_standing,
        "the benchmarks alone: `lower than the regional average (70.0)`",
    ),
    # movement: last year and the period before
    "last_year": Placeholder(
        movement.last_year, "the same period last year: `an increase on the 77.7% in Q3 2019/20`"
    ),
    "previous": Placeholder(
        movement.previous, "the period before: `a small drop from 100.0% in November 2020`"
    ),
    # months and runs
    "run": Placeholder(
        runs.run, "a run of months at the same figure: `100.0% for the second consecutive month`"
    ),
    "target_run": Placeholder(
        runs.target_run, "a run against the target: `above target for the third month running`"
    ),
    "runs": Placeholder(
        runs.runs,
        "a sentence: both runs said once: `The figure has been 100.0% for the second "
        "consecutive month, on target`",
    ),
    "trend": Placeholder(
        runs.trend,
        "a sentence: moves the same way month on month, and a record: `The figure has fallen "
        "for three months in a row and is the lowest since March 2019`",
    ),
    "months": Placeholder(
        runs.months, "a sentence: `The monthly figures were 75.8% in October, ...`"
    ),
    "month_cells": Placeholder(
        runs.month_cells,
        "a sentence: where a month's rate worked out from its count differs from the "
        "workbook's own cell (analyst)",
        analyst=True,
    ),
    # what the rest of the year needs
    "pace": Placeholder(
        pace.pace,
        "a sentence: `To reach our target of 90% by March 2021, 94.6% of the C&F assessments "
        "still to come (about 180, as many as in January to March 2020) must be completed "
        "within 45 working days`",
    ),
    # statistical process control
    "spc": Placeholder(
        control.spc,
        "a sentence: a signal or the normal range (SPC): `December 2020 is the seventh month "
        "in a row above the average of 84.1% — a significant improvement`",
    ),
    # notes
    "reported": Placeholder(
        notes.reported,
        "a sentence: where the workbook's own figure differs from the computed one",
        analyst=True,
    ),
    "basis": Placeholder(
        notes.basis,
        "a sentence: `This is the figure the workbook reports for Q3 2020/21; ...`",
        analyst=True,
    ),
    "parts": Placeholder(
        notes.parts, "a sentence: `The rate is worked out from a count of 88`", analyst=True
    ),
    "caution": Placeholder(
        notes.caution, "a sentence: a warning when a percentage rests on very few cases"
    ),
    # benchmarks: their time, and the rank among councils
    "benchmark_note": Placeholder(
        benchmarks.benchmark_note,
        "a sentence: why the figure is not compared with the benchmarks (a year's against "
        "fewer months; only later years), or that they are out of date",
    ),
    "ranking": Placeholder(
        benchmarks.ranking,
        "a sentence: `Darlington was ranked 34th of 152 councils in 2019/20, second quartile, "
        "where the first is best`",
    ),
}
