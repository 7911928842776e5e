"""Facts -> sentences: the performance-analysis paragraphs, written from the data.

``narrate(dataset, period)`` compares every indicator (``csckpi.compare``) and writes a
:class:`Paragraph` per indicator; ``paragraphs(comparisons)`` writes them from comparisons
already made (their facts are made once, however many paragraphs read them: the report's
summary and analysis); ``verdict(comparison)`` is the one line ``csckpi compare`` prints.
Narrate decides no relation: it words the facts (``csckpi.facts``). Deterministic, no I/O.
How sentences are built, and how a user changes them, is in
``docs/narrative.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csckpi.narrate.engine import (
    Audience,
    Fact,
    Paragraph,
    Sentence,
    Settings,
    paragraph,
    paragraphs,
    summary_and_analysis,
    verdict,
)
from csckpi.narrate.messages import KeyMessage, key_messages, notable, short_name
from csckpi.narrate.patterns import PatternError, PatternSet, load_patterns
from csckpi.narrate.words import Thresholds
from csckpi.periods import Month, Period

if TYPE_CHECKING:
    from csckpi.dataset import Dataset
    from csckpi.facts import Comparison
    from csckpi.spc import SpcOptions

#: What the comparisons become before anything is said of them (``--publish``).
Prepare = Callable[[list["Comparison"]], list["Comparison"]]

__all__ = [
    "Audience",
    "Checked",
    "Fact",
    "KeyMessage",
    "Paragraph",
    "PatternError",
    "PatternSet",
    "Sentence",
    "Settings",
    "Summary",
    "Thresholds",
    "check_all",
    "default_period",
    "key_messages",
    "load_patterns",
    "narrate",
    "notable",
    "paragraph",
    "paragraphs",
    "short_name",
    "summarise",
    "summary_and_analysis",
    "title",
    "verdict",
]


def title(period: Period, summary: bool, council: str | None = None) -> str:
    """The heading of the summary or the analysis, as a committee report writes it, in every
    output that prints one (``narrate``, the report): `Darlington Performance Summary: Quarter 3
    2020/21 (October to December 2020)`, `Performance Analysis: April to December 2020`,
    `Performance Summary: December 2020` (the period as :attr:`Period.heading` names it). The
    report leaves the council out: its cover names it."""
    kind = "Performance Summary" if summary else "Performance Analysis"
    head = f"{kind}: {period.heading}"
    return f"{council} {head}" if council else head


def default_period(dataset: Dataset) -> Period:
    """The latest complete quarter: the last quarter whose three months all have figures."""
    from csckpi.errors import PeriodError, no_figures_at_all

    dates = dataset.month_values().get_column("month").unique().to_list()
    months = {Month.from_date(d) for d in dates}
    reported = dataset.reported.get_column("value")
    if not months and reported.null_count() == reported.len():  # nothing at all
        raise no_figures_at_all()
    if not months:
        raise PeriodError(
            "There are no monthly figures, so there is no latest quarter.",
            'Give a period, e.g. --period "Q3 2020/21".',
        )
    month = max(months)
    earliest = min(months)
    while month >= earliest:
        quarter = Period.of_quarter(month.fy, month.quarter)
        if all(m in months for m in quarter.months()):
            return quarter
        month = quarter.first - 1
    raise PeriodError(
        f"No quarter between {earliest} and {max(months)} has figures for all three months.",
        "Give a period, e.g. --period 2020-12.",
    )


@dataclass(frozen=True)
class Summary:
    """The Performance Summary: its key messages, then a paragraph per notable indicator (every
    indicator's with ``everything``), and the indicators left out as having nothing notable."""

    messages: tuple[KeyMessage, ...]
    paragraphs: tuple[Paragraph, ...]
    quiet: tuple[str, ...]  # the codes of the indicators with nothing notable, left out


def summarise(
    dataset: Dataset,
    period: Period,
    keys: Sequence[str] | None = None,
    settings: Settings | None = None,
    everything: bool = False,
    spc: SpcOptions | None = None,
    prepare: Prepare | None = None,
) -> Summary:
    """The key messages (:func:`key_messages`) and the summary paragraphs of ``keys`` (all when
    None): of the notable indicators only, unless ``everything``; each paragraph with the
    service's commentary its period shows. ``spc`` and ``prepare`` as for :func:`narrate`."""
    from dataclasses import replace

    from csckpi.commentary import shown
    from csckpi.compare import compare_many

    settings = settings or Settings()
    wanted = list(keys) if keys is not None else [i.key for i in dataset.indicators]
    comparisons = compare_many(dataset, period, wanted, spc)
    if prepare is not None:
        comparisons = prepare(comparisons)
    messages = key_messages(comparisons, settings)
    kept = [c for c in comparisons if everything or notable(c, settings)]
    quiet = tuple(c.indicator.code for c in comparisons if c not in kept)
    said = paragraphs(kept, summary=True, settings=settings)
    offered = shown(dataset.commentary, period) if prepare is None else {}
    return Summary(
        tuple(messages),
        tuple(replace(p, commentary=offered.get(p.key)) for p in said if p.sentences),
        quiet,
    )


@dataclass(frozen=True)
class Checked:
    """What :func:`check_all` checked: every one agreed with the data."""

    indicators: int
    sentences: int
    messages: int
    facts: int


def check_all(
    dataset: Dataset,
    period: Period,
    keys: Sequence[str] | None = None,
    settings: Settings | None = None,
    spc: SpcOptions | None = None,
) -> Checked:
    """Write the summary and the analysis of ``keys`` (all when None) for the analyst, with the
    key messages, checking every sentence against the data (raises
    :class:`~csckpi.narrate.check.SentenceRefused` naming any that disagree)."""
    from dataclasses import replace

    from csckpi.compare import compare_many

    settings = replace(settings or Settings(), audience=Audience.ANALYST)
    wanted = list(keys) if keys is not None else [i.key for i in dataset.indicators]
    comparisons = compare_many(dataset, period, wanted, spc)
    summary, analysis = summary_and_analysis(comparisons, settings)
    made = [*summary, *analysis]
    messages = key_messages(comparisons, settings)
    sentences = [s for p in made for s in p.sentences]
    facts = sum(len(s.facts) for s in sentences) + sum(len(m.facts) for m in messages)
    return Checked(len(comparisons), len(sentences), len(messages), facts)


def narrate(
    dataset: Dataset,
    period: Period,
    keys: Sequence[str] | None = None,
    summary: bool = False,
    settings: Settings | None = None,
    spc: SpcOptions | None = None,
    prepare: Prepare | None = None,
) -> list[Paragraph]:
    """A paragraph per indicator (``keys``, any spelling; all when None), in the order given,
    each with the service's commentary its period shows (``Paragraph.commentary``). With
    comparisons already made, :func:`paragraphs` writes them from those. ``spc``:
    statistical process control as asked (``spc.options()``), said in its own sentence.
    ``prepare``: what the comparisons become before anything is said of them (``--publish``
    takes the figures it withholds out, and the commentary, which it cannot check)."""
    from dataclasses import replace

    from csckpi.commentary import shown
    from csckpi.compare import compare_many

    wanted = list(keys) if keys is not None else [i.key for i in dataset.indicators]
    comparisons = compare_many(dataset, period, wanted, spc)
    if prepare is not None:
        comparisons = prepare(comparisons)
    written = paragraphs(comparisons, summary=summary, settings=settings)
    offered = shown(dataset.commentary, period) if prepare is None else {}
    return [replace(p, commentary=offered.get(p.key)) for p in written]
