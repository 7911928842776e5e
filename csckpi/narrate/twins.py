"""One paragraph where an in-month indicator and its year to date give the same figure.

A workbook often keeps a measure twice: in month (a ratio, e.g. CSC 252a, "visits completed
within 10 working days") and year to date (cumulative, CSC 252b). Where the period's figures
cover the same months — April, whose year to date is April; Q1, whose year to date at June
is Q1; the year at March — both give the same figure, and two paragraphs would say it twice.
They are *twins* when they share a section and a unit, one is a ratio and the other
cumulative, their figures cover the same months and are the same as shown, and the rest of
what their paragraphs say is the same too (target, polarity, benchmarks, last year's figure).
The first (in the workbook's order) keeps its paragraph and says the other is the same; the
other's is left out, and so is its key message. Indicators that merely happen to share a
figure (two snapshots at 100%) are not twins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.facts import Figure
from csckpi.model import Indicator, Measure
from csckpi.narrate.context import subject_of
from csckpi.narrate.records import Fact, Sentence
from csckpi.periods import Month

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.narrate.records import Paragraph


def _covers(c: Comparison) -> tuple[tuple[Month, ...], str] | None:
    """The months the paragraph's figure covers and the figure as shown."""
    s = subject_of(c)
    if s is None:
        return None
    ind = c.indicator
    if s.figure is Figure.YTD or (s.figure is Figure.VALUE and ind.measure is Measure.CUMULATIVE):
        months = tuple(c.period.ytd().months())
    else:
        months = tuple(s.period.months())
    return months, numbers.figure(s.value, ind.unit, ind.places)


def twins(comparisons: Sequence[Comparison]) -> dict[str, Comparison]:
    """Each twin left out (its key) -> the comparison whose paragraph says it too."""
    firsts: dict[tuple[object, ...], Comparison] = {}
    out: dict[str, Comparison] = {}
    paired: set[str] = set()  # a first has one twin at most
    for c in comparisons:
        ind = c.indicator
        if ind.measure not in (Measure.RATIO, Measure.CUMULATIVE):
            continue
        covered = _covers(c)
        if covered is None:
            continue
        # and the rest of what a paragraph says is the same: target, polarity, benchmarks and
        # last year's figure (else the other paragraph has something of its own to say)
        benches = tuple((b.comparator, b.value, b.year) for b in c.benchmarks)
        last = None if c.last_year is None else numbers.shown(c.last_year, ind.places)
        key = (ind.section, ind.unit, *covered, c.target, ind.polarity, benches, last)
        first = firsts.get(key)
        if first is None:
            firsts[key] = c
        elif first.indicator.measure is not ind.measure and first.key not in paired:
            out[c.key] = first
            paired.add(first.key)
    return out


def twin_name(ind: Indicator) -> str:
    """How the paragraph names its twin: what kind of figure it is, its code, and its label
    when the workbook gives one: `the year-to-date figure, CSC 252b`."""
    kind = "year-to-date" if ind.measure is Measure.CUMULATIVE else "in-month"
    label = " ".join(ind.label.split())
    return f"the {kind} figure, {ind.code}" + (f" ({label})" if label else "")


def also(paragraph: Paragraph, twin: Comparison, name: str) -> Paragraph:
    """``paragraph`` with a last sentence naming its twin: `This is also the year-to-date
    figure, CSC 252b.`"""
    from dataclasses import replace

    covered = _covers(twin)
    assert covered is not None
    text = f"This is also {name}."
    fact = Fact(
        "same figure",
        shown=covered[1],
        period=twin.period.label,
        comparator=twin.indicator.code,
        words=text.removesuffix("."),
    )
    said = Sentence(text, "same figure", (fact,))
    return replace(paragraph, sentences=(*paragraph.sentences, said))
