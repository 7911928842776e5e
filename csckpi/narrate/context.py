"""What every clause reads: one comparison, the figure its paragraph is about, and the words
and settings shared by all clauses.

A clause is a function ``(Context) -> Clause`` (``csckpi.narrate.registry`` names them);
:meth:`Context.clause` builds each one once per paragraph, however many others ask for it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from csckpi import numbers
from csckpi.facts import Figure
from csckpi.model import Indicator, Measure, Relation, Unit
from csckpi.narrate import words as w
from csckpi.narrate.records import Clause
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.narrate.engine import Settings

#: A clause: what one placeholder holds, from the context.
Build = Callable[["Context"], Clause]

_T = TypeVar("_T")


@dataclass(frozen=True)
class Subject:
    """The figure the headline states and every comparison judges."""

    value: float
    period: Period
    measure: Measure  # how to word its period (a cumulative count's flow reads as a flow)
    is_ytd: bool  # the headline is the year to date because the period has no figure
    figure: Figure  # which of the comparison's figures it is (whose facts judge it)


def subject_of(c: Comparison) -> Subject | None:
    ind = c.indicator
    wording = Measure.SNAPSHOT if is_position(ind) else ind.measure
    if c.value is not None:
        if (
            ind.measure is Measure.CUMULATIVE
            and c.flow is not None
            and c.period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
        ):
            return Subject(c.flow, c.period, Measure.FLOW, False, Figure.FLOW)
        return Subject(c.value, c.period, wording, False, Figure.VALUE)
    if c.ytd is not None and c.ytd_period is not None and c.ytd_period != c.period:
        return Subject(c.ytd, c.ytd_period, wording, True, Figure.YTD)
    return None


def is_position(ind: Indicator) -> bool:
    """A cumulative percentage that is where things stand at the month's end ("71.1% of
    Children in Care have an up to date Health Check as at December 2020"), not a total over
    the year so far: its phrase is in the present tense (`have`, `are`) and neither its title
    nor its phrase says "year to date" or "cumulative". It is worded as a snapshot."""
    return (
        ind.measure is Measure.CUMULATIVE
        and ind.unit is Unit.PERCENT
        and w.states_a_position(ind.phrase)
        and not w.says_year_to_date(ind.title)
        and not w.says_year_to_date(ind.phrase)
    )


def as_measure(ind: Indicator, measure: Measure) -> Indicator:
    """``ind`` worded as ``measure`` (a cumulative count's flow reads as a flow)."""
    return ind if ind.measure is measure else replace(ind, measure=measure)


class Context:
    """One comparison as the clauses of its paragraph read it (built once per paragraph)."""

    def __init__(self, c: Comparison, settings: Settings, nudge: int = 0) -> None:
        self.c = c
        self.facts = c.facts
        self.ind = c.indicator
        self.places = c.indicator.places
        self.unit = c.indicator.unit
        self.settings = settings
        self.subject = subject_of(c)
        self.phrase = without_ytd(" ".join(self.ind.phrase.split()), self.subject)
        self._made: dict[Build, Clause] = {}
        self._nudge = nudge

    def variant(self, kind: str, options: Sequence[_T | None]) -> _T:
        """One of a clause's equivalent phrasings (``options``, the plain one first; None: not
        fit here). Which is chosen by a stable hash (``zlib.crc32``, the same on every run and
        machine, never Python's ``hash``) of the indicator, the period and ``kind``, so the
        same data give the same words; the plain one when ``Settings.vary`` is off. A
        paragraph that would read like the one before it is ``nudge`` d: each clause takes the
        phrasing after the one drawn."""
        fit = [i for i, option in enumerate(options) if option is not None]
        if not self.settings.vary or len(fit) < 2:
            chosen = options[fit[0]]
        else:
            key = f"{self.ind.key}\x1f{self.c.period.label}\x1f{kind}"
            chosen = options[fit[(draw(key, len(fit)) + self._nudge) % len(fit)]]
        assert chosen is not None
        return chosen

    def clause(self, build: Build) -> Clause:
        """The clause ``build`` makes, made once however many clauses ask for it."""
        if build not in self._made:
            self._made[build] = build(self)
        return self._made[build]

    # numbers
    def fig(self, value: float) -> str:
        return numbers.figure(value, self.unit, self.places)

    def polarity(self) -> str:
        return self.ind.polarity.value

    def own_figure(self) -> bool:
        """Whether the headline states the period's own figure (with its parts)."""
        s = self.subject
        return s is not None and not s.is_ytd and s.value == self.c.value

    def ytd_figure(self) -> Figure:
        """Which figure is the year to date: a cumulative indicator's own value, else its YTD."""
        return Figure.VALUE if self.ind.measure is Measure.CUMULATIVE else Figure.YTD

    def stated_ytd(self) -> float | None:
        """The year to date the headline states beside a month's or a quarter's figure."""
        c, s = self.c, self.subject
        # a cumulative count's own value is its year to date; its flow is the headline
        ytd = c.value if self.ind.measure is Measure.CUMULATIVE else c.ytd
        if s is None or s.is_ytd or ytd is None:
            return None
        if s.period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
            return None
        if s.measure not in (Measure.FLOW, Measure.RATIO) and s.measure.value != "distinct":
            return None
        if numbers.shown(ytd, self.places) == numbers.shown(s.value, self.places):
            return None
        return ytd

    def figure_noun(self) -> str:
        """How a split sentence names the period's own figure: `the quarter`, `the month`."""
        assert self.subject is not None
        return "the month" if self.subject.period.kind is PeriodKind.MONTH else "the quarter"

    def when(self) -> str:
        """The period as a note names it: `Q3 2020/21`, `October 2020`, `year to date`."""
        return note_period(self.c.period)

    def wording_measure(self) -> Measure:
        if self.subject is not None:
            return self.subject.measure
        return Measure.SNAPSHOT if is_position(self.ind) else self.ind.measure


def draw(key: str, count: int) -> int:
    """Which of ``count`` phrasings ``key`` (indicator, period, clause kind) takes:
    its CRC-32 modulo ``count``, the same on every run, machine and Python (``hash`` is
    salted per process)."""
    return zlib.crc32(key.encode("utf-8")) % count


def is_year_to_date(subject: Subject | None) -> bool:
    """Whether the headline's period is a year to date (said first: "Year to date (...), ...")."""
    if subject is None:
        return False
    if subject.is_ytd or subject.period.kind is PeriodKind.YTD:
        return subject.measure is not Measure.SNAPSHOT
    return subject.measure is Measure.CUMULATIVE and subject.period.kind is not PeriodKind.YEAR


def without_ytd(phrase: str, subject: Subject | None) -> str:
    """A phrase ending in "year to date" loses those words when the period wording will say
    them ("... in timescale year to date" + "year to date (April to December 2020)")."""
    if not is_year_to_date(subject):
        return phrase
    lowered = phrase.lower().rstrip()
    for ending in ("(year to date)", "year to date"):
        if lowered.endswith(ending):
            return phrase[: len(phrase.rstrip()) - len(ending)].rstrip(" ,")
    return phrase


def lead(relation: str, good: bool | None, with_target: bool) -> str:
    """The words before a group: `positively below`, `higher than`, `in line with`."""
    if relation == Relation.IN_LINE:
        return "in line with"
    if with_target or good is not None:
        word = relation
    else:  # polarity none: a difference, not a judgement
        word = "higher than" if relation == Relation.ABOVE else "lower than"
    return f"positively {word}" if good else word


def note_period(period: Period) -> str:
    """`Q3 2020/21`, `October 2020`, `year to date` (before "figure")."""
    if period.kind is PeriodKind.MONTH:
        return period.long
    return "year to date" if period.kind is PeriodKind.YTD else period.label
