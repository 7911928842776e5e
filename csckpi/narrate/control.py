"""Statistical process control in words: is the period's movement a signal or noise?

One sentence, from the comparison's SPC facts (``Facts.spc``, docs/spc.md): where the period's
last month is part of a signal, what the signal is and what it means ("December 2020 is the
seventh month in a row above the average of 84.1% — a significant improvement"); where it is
not, the normal range the month lies within ("... within the normal range of 78.2% to 91.0%:
common cause variation, not a significant change"); and, only when SPC was asked for, why
there are no limits ("No control limits yet: they need 15 months, there are 9"). Nothing is
decided here: the signal, its months and its judgement are the facts'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csckpi.narrate import words as w
from csckpi.narrate.context import Context
from csckpi.narrate.records import EMPTY, Clause, Fact, Sentence, whole_sentences

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.spc import Limits, Signal, SpcFacts

MEANING = {
    "improvement": "a significant improvement",
    "concern": "a significant deterioration",
    "neither": "a significant change",
}


@dataclass(frozen=True)
class SpcWords:
    """The sentence and what it states (for the paragraph's facts)."""

    text: str
    kind: str  # the rule (`shift`, `trend`, ...), `common cause` or `no limits`
    judgement: str | None  # improvement, concern, neither; None without a signal
    mean: float | None
    lower: float | None
    upper: float | None
    months: int | None  # the signal's months up to the period's last
    reason: str | None


def spc(ctx: Context) -> Clause:
    """The SPC sentence (``{spc}``), with one fact: the rule or `common cause`, the mean and
    limits it was judged by, the signal's judgement and its months in a row."""
    found = sentence(ctx.c, ctx.fig)
    if found is None:
        return EMPTY
    fact = Fact(
        "spc",
        value=found.mean,
        shown=None if found.mean is None else ctx.fig(found.mean),
        relation=found.kind,
        better=None if found.judgement in (None, "neither") else found.judgement == "improvement",
        polarity=ctx.ind.polarity.value,
        words=found.text.removesuffix("."),
        count=found.months,
        reason=found.reason,
    )
    return whole_sentences(Sentence(found.text, "spc", (fact,)))


def sentence(c: Comparison, fig: Callable[[float], str]) -> SpcWords | None:
    """The SPC sentence for ``c`` (``fig`` writes a figure as the paragraph does), or None
    when there is nothing to say."""
    standing = c.facts.spc
    if standing is None:
        return None
    chart = standing.chart
    limits = chart.limits
    if limits is None:
        if not standing.asked or not chart.reason:
            return None
        reason = chart.reason
        text = reason[0].upper() + reason[1:] if reason.startswith("no ") else f"No {reason}"
        return SpcWords(text + ".", "no limits", None, None, None, None, None, reason)
    if chart.latest is None or chart.latest != c.period.last:
        return None  # the period's own month has no figure: nothing to say of it
    month = w.month_name(chart.latest)
    signal = standing.signal
    if signal is None:
        text = (
            f"{month} is within the normal range of {fig(limits.lower)} to "
            f"{fig(limits.upper)} (control limits around the average of {fig(limits.mean)}"
            f"{_worked_out(chart)}): common cause variation, not a significant change."
        )
        return SpcWords(
            text, "common cause", None, limits.mean, limits.lower, limits.upper, None, None
        )
    n = standing.in_a_row or 1
    what = _signal_words(signal, n, limits, fig)
    text = f"{month} {what} — {MEANING[signal.judgement.value]}."
    said = n - 1 if signal.kind.value == "trend" else n  # a trend's months after its first
    return SpcWords(
        text,
        signal.kind.value,
        signal.judgement.value,
        limits.mean,
        limits.lower,
        limits.upper,
        said,
        None,
    )


def _worked_out(chart: SpcFacts) -> str:
    """Where the latest limits come from, when it is not every month: `, worked out from the
    new process of October 2019` (a declared change), `, worked out from April 2019 to March
    2020` (a baseline)."""
    seg = chart.segments[-1]
    if seg.start is None or seg.basis_first is None or seg.basis_last is None:
        return ""
    if (seg.basis_first, seg.basis_last) == (seg.first, seg.last):
        return f", worked out from the new process of {w.month_name(seg.start)}"
    return f", worked out from {w.month_name(seg.basis_first)} to {w.month_name(seg.basis_last)}"


def _signal_words(signal: Signal, n: int, limits: Limits, fig: Callable[[float], str]) -> str:
    high = signal.side.value == "high"
    kind = signal.kind.value
    in_a_row = f"the {w.ordinal(n)} month in a row " if n > 1 else ""
    side = "above" if high else "below"
    if kind == "shift":
        return f"is the {w.ordinal(n)} month in a row {side} the average of {fig(limits.mean)}"
    if kind == "trend":
        way = "higher" if high else "lower"
        # a trend's months count both ends: its first month is where the rise or fall starts
        return f"is the {w.ordinal(n - 1)} month in a row {way} than the month before"
    if kind == "outside limits":
        limit, which = (limits.upper, "upper") if high else (limits.lower, "lower")
        return (
            f"is {in_a_row}{side} the {which} control limit of {fig(limit)} (the average is "
            f"{fig(limits.mean)})"
        )
    # two of three, four of five: the months beyond a sigma line, the latest among them
    sigmas = 2 if kind == "two of three" else 1
    third = (limits.upper - limits.mean) / 3
    line = limits.mean + sigmas * third if high else limits.mean - sigmas * third
    count, window = ("two", "three") if kind == "two of three" else ("four", "five")
    return (
        f"makes {count} or more of the last {window} months {side} {fig(line)} "
        f"({sigmas} sigma {side} the average of {fig(limits.mean)})"
    )
