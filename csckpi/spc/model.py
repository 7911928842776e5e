"""The vocabulary of statistical process control: closed choices and frozen records.

Nothing here imports polars, so renderers and the CLI can name an icon without loading it.
The rules and why each choice was made are in docs/spc.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from csckpi.errors import CsckpiError
from csckpi.model import MIN_BASELINE_MONTHS, Polarity
from csckpi.numbers import round_half_up
from csckpi.periods import Month


class SpcError(CsckpiError):
    """SPC settings, a baseline or a declared change that cannot be used as given."""


class Side(StrEnum):
    """Which way a pattern points: above the mean, above a limit or rising (high), or the
    opposite (low). Polarity turns it into a judgement."""

    HIGH = "high"
    LOW = "low"

    @property
    def sign(self) -> int:
        return 1 if self is Side.HIGH else -1


class Judgement(StrEnum):
    """What a signal means for the indicator, through its polarity."""

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"  # polarity none: a change, not a judgement


class RuleKind(StrEnum):
    """The tests for special cause variation a profile can use (docs/spc.md)."""

    OUTSIDE = "outside limits"  # a point beyond a process limit
    SHIFT = "shift"  # a run of points on one side of the mean
    TREND = "trend"  # a run of points each higher (or each lower) than the one before
    TWO_OF_THREE = "two of three"  # two of three points beyond the same 2-sigma line
    FOUR_OF_FIVE = "four of five"  # four of five points beyond the same 1-sigma line


class Variation(StrEnum):
    """The variation icon: what the latest month says about the process."""

    COMMON_CAUSE = "common cause"
    IMPROVEMENT = "special cause improvement"
    CONCERN = "special cause concern"
    NEITHER = "special cause"  # polarity none: high or low, with no judgement


class Assurance(StrEnum):
    """The assurance icon: can the process be relied on to meet its target?"""

    PASSING = "consistently passing"  # the target lies beyond the limit on the bad side
    FAILING = "consistently failing"  # the target lies beyond the limit on the good side
    HIT_AND_MISS = "hit and miss"  # the target lies between the limits


def judge(side: Side, polarity: Polarity) -> Judgement:
    """A high or low signal judged through polarity (the scalar twin of the frame's rule)."""
    if polarity is Polarity.NONE:
        return Judgement.NEITHER
    good = Side.HIGH if polarity is Polarity.UP else Side.LOW
    return Judgement.IMPROVEMENT if side is good else Judgement.CONCERN


# -- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One test of a profile.

    ``length``: points in a run (shift, trend) or in the window (two of three: 3).
    ``count``: points of the window beyond the line (two of three: 2).
    ``sigmas``: the line those points lie beyond (2: the 2-sigma line).
    ``same_side``: every point of the window on that side of the mean, not just ``count``.
    ``inside_limits``: count only points between the line and the process limit.
    """

    kind: RuleKind
    length: int = 0
    count: int = 0
    sigmas: int = 0
    same_side: bool = True
    inside_limits: bool = False

    @property
    def describe(self) -> str:
        """The rule in words, for docs and errors."""
        if self.kind is RuleKind.OUTSIDE:
            return "a point outside the process limits"
        if self.kind is RuleKind.SHIFT:
            return f"{self.length} or more points in a row on one side of the mean"
        if self.kind is RuleKind.TREND:
            return f"{self.length} or more points in a row each higher (or each lower)"
        line = f"{self.sigmas}-sigma line"
        where = (
            f"between the {line} and the limit" if self.inside_limits else f"beyond the same {line}"
        )
        text = f"{self.count} of {self.length} points in a row {where}"
        if self.same_side:
            text += f", all {self.length} on that side of the mean"
        return text


@dataclass(frozen=True)
class Profile:
    """A named rule set, its source, and its rules in order of precedence: when one month
    is part of several patterns, the first rule listed decides its colour and icon."""

    name: str
    title: str
    source: str
    rules: tuple[Rule, ...]

    def rule(self, kind: RuleKind) -> Rule | None:
        return next((r for r in self.rules if r.kind is kind), None)


@dataclass(frozen=True)
class SpcSettings:
    """How limits and signals are worked out. Build it with ``spc.settings(...)``, which
    checks what a user may change."""

    profile: Profile
    min_points: int = 15  # points under one set of limits, else no limits and no signals
    min_baseline: int = MIN_BASELINE_MONTHS  # points a declared baseline needs


@dataclass(frozen=True)
class Change:
    """A new process from ``start``: limits are worked out again from there, from the months
    ``start`` to ``baseline_end`` when a baseline is given (else from every month of the
    segment), and apply until the next change. ``key`` None: every indicator."""

    start: Month
    baseline_end: Month | None = None
    key: str | None = None

    @property
    def label(self) -> str:
        if self.baseline_end is None:
            return f"from {self.start}"
        return f"{self.start}..{self.baseline_end}"


@dataclass(frozen=True)
class SpcOptions:
    """What a command was asked for, in one record every command shares (``spc.options``):
    the rule set and its lengths, and a baseline for every indicator. ``settings`` None: no
    SPC at all (``--spc-rules none``). ``asked``: the user named an SPC option, so sentences
    and the report also say why an indicator has no limits ("no control limits yet: ...")."""

    settings: SpcSettings | None
    baseline: Change | None = None
    asked: bool = False

    @property
    def enabled(self) -> bool:
        return self.settings is not None

    @property
    def changes(self) -> tuple[Change, ...]:
        return () if self.baseline is None else (self.baseline,)


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """An XmR chart's lines: centre = mean; process limits = mean ± 2.66 x mean moving range;
    the 2-sigma lines two thirds of the way out."""

    mean: float
    moving_range: float  # the mean moving range, mR-bar
    lower: float
    upper: float
    lower_2sigma: float
    upper_2sigma: float

    def contains(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class Segment:
    """Months under one set of limits: the whole series, or from a declared change."""

    index: int  # 0 for the first
    first: Month  # first month with a value
    last: Month
    points: int  # months with a value
    missing: int  # months between first and last with no value
    start: Month | None  # the declared change it begins at (None: the start of the series)
    basis_first: Month | None  # the months the limits come from (the baseline)
    basis_last: Month | None
    basis_points: int
    limits: Limits | None
    reason: str | None  # why there are no limits


@dataclass(frozen=True)
class Signal:
    """One pattern of special cause variation: a rule, its side, and the months in it
    (for two of three, the months beyond the line)."""

    kind: RuleKind
    side: Side
    judgement: Judgement
    months: tuple[Month, ...]
    segment: int

    @property
    def first(self) -> Month:
        return self.months[0]

    @property
    def last(self) -> Month:
        return self.months[-1]


@dataclass(frozen=True)
class SpcFacts:
    """Statistical process control for one indicator: what compare, narrate and the report
    read. ``variation`` and ``assurance`` are None when there are no limits for the latest
    month (``reason`` says why); ``assurance`` also when there is no target or polarity none.
    """

    key: str
    polarity: Polarity
    profile: str
    target: float | None
    latest: Month | None
    segments: tuple[Segment, ...]
    signals: tuple[Signal, ...]
    variation: Variation | None
    variation_side: Side | None  # the side of the signal that decided the icon
    variation_rule: RuleKind | None  # the rule that decided it
    conflict: bool  # the latest month is in both an improvement and a concern pattern
    assurance: Assurance | None
    reason: str | None
    values: tuple[tuple[Month, float], ...] = ()  # the months judged, with a value, in order

    @property
    def limits(self) -> Limits | None:
        """The limits the latest month is judged by."""
        return self.segments[-1].limits if self.segments else None

    def signals_at(self, month: Month) -> tuple[Signal, ...]:
        return tuple(s for s in self.signals if month in s.months)

    def segment_of(self, month: Month) -> Segment | None:
        """The segment whose limits ``month`` is judged by."""
        found = [s for s in self.segments if s.first <= month]
        return found[-1] if found else None

    def as_dict(self, places: int | None = None) -> dict[str, Any]:
        """Plain values for JSON (``csckpi compare``): months as ``2020-04``, the lines of each
        segment unrounded, or with ``places`` rounded half up to one place more than the
        indicator's figures (a limit between two figures as shown), every signal with its
        months."""

        def r(value: float | None) -> float | None:
            if value is None or places is None:
                return value
            return round_half_up(value, places + 1)

        def month(value: Month | None) -> str | None:
            return None if value is None else value.iso

        segments = []
        for seg in self.segments:
            lines = seg.limits
            segments.append(
                {
                    "segment": seg.index,
                    "start": month(seg.start),
                    "first": month(seg.first),
                    "last": month(seg.last),
                    "points": seg.points,
                    "missing": seg.missing,
                    "baseline": None
                    if seg.basis_first is None or seg.start is None
                    else {"first": month(seg.basis_first), "last": month(seg.basis_last)},
                    "mean": r(lines.mean) if lines else None,
                    "lower": r(lines.lower) if lines else None,
                    "upper": r(lines.upper) if lines else None,
                    "lower_2sigma": r(lines.lower_2sigma) if lines else None,
                    "upper_2sigma": r(lines.upper_2sigma) if lines else None,
                    "moving_range": r(lines.moving_range) if lines else None,
                    "reason": seg.reason,
                }
            )
        return {
            "rules": self.profile,
            "latest": month(self.latest),
            "variation": None if self.variation is None else self.variation.value,
            "variation_side": None if self.variation_side is None else self.variation_side.value,
            "variation_rule": None if self.variation_rule is None else self.variation_rule.value,
            "conflict": self.conflict,
            "assurance": None if self.assurance is None else self.assurance.value,
            "reason": self.reason,
            "segments": segments,
            "signals": [
                {
                    "rule": s.kind.value,
                    "side": s.side.value,
                    "judgement": s.judgement.value,
                    "segment": s.segment,
                    "first": s.first.iso,
                    "last": s.last.iso,
                    "months": [m.iso for m in s.months],
                }
                for s in self.signals
            ],
        }
