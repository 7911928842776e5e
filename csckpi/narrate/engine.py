"""Facts -> sentences: an indicator's pattern filled from the clause registry.

Input is a :class:`csckpi.facts.Comparison`: its figures and its facts, every relation and
judgement already made (``Comparison.facts``: narrate decides none, it only words them);
output is a :class:`Paragraph` of :class:`Sentence` s, each carrying the :class:`Fact` s it
states, so a test or a script can check every number and every relation. Each placeholder of
a pattern is a clause (``csckpi.narrate.registry``), built once per paragraph. Deterministic
and free of I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from csckpi.narrate import patterns as pat
from csckpi.narrate import words as w
from csckpi.narrate.check import Checks, Disagreement, refuse
from csckpi.narrate.context import Context
from csckpi.narrate.headline import figure, period_wording
from csckpi.narrate.movement import last_year
from csckpi.narrate.notes import missing
from csckpi.narrate.records import Audience, Clause, Fact, Paragraph, Sentence
from csckpi.narrate.registry import CLAUSES
from csckpi.narrate.standing import plain_standing
from csckpi.narrate.twins import also, twin_name, twins

if TYPE_CHECKING:
    from csckpi.facts import Comparison


#: A summary paragraph says at most this many sentences to the committee (its comparison of
#: the period's figure and the year to date with the target, when they stand apart, excepted).
SUMMARY_SENTENCES = 3


@dataclass(frozen=True)
class Settings:
    """What a user can set: the thresholds, the small-denominator caution, the patterns, and
    who reads the paragraphs (the committee's leave out the analyst's notes)."""

    thresholds: w.Thresholds = field(default_factory=w.Thresholds)
    small_denominator: int = 10
    patterns: pat.PatternSet = field(default_factory=pat.PatternSet)
    audience: Audience = Audience.ANALYST
    #: vary the phrasing deterministically (docs/narrative.md, "Phrasing"); off (`--plain`):
    #: the same words for the same kind of sentence every month, for a diff month to month
    vary: bool = True


def fill(pattern: str, ctx: Context) -> list[Sentence]:
    """The sentences of ``pattern`` that the data supports."""
    out: list[Sentence] = []
    for template in pat.sentences(pattern):
        names = pat.placeholders(template)
        clauses: dict[str, Clause] = {name: ctx.clause(CLAUSES[name].build) for name in names}
        if any(not clauses[n] and not pat.optional(n) for n in names):
            continue
        analyst = any(CLAUSES[n].analyst for n in names)
        if len(names) == 1 and template.strip() == f"{{{names[0]}}}.":
            whole = clauses[names[0]].sentences
            if whole:  # a sentence placeholder that wrote its own sentences
                out.extend(replace(s, analyst=True) if analyst else s for s in whole)
                continue
        text = template.format_map({n: c.text for n, c in clauses.items()})
        text = _tidy(text)
        if not text:
            continue
        facts: list[Fact] = []
        for name in dict.fromkeys(names):
            facts.extend(clauses[name].facts)
        kind = next((n for n in names if not pat.optional(n)), "text")
        out.append(Sentence(text, kind, tuple(facts), analyst))
    return out


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    for before, after in ((" ,", ","), (" .", "."), ("..", ".")):
        text = text.replace(before, after)
    return w.capitalise(text.strip())


#: What a summary keeps first: the figure, then its standing and movements.
_KEPT = ("headline", "standing", "last_year", "previous", "target_run")


def _at_most(sentences: list[Sentence], most: int) -> list[Sentence]:
    """The committee's summary: the headline and its comparison always (one to three
    sentences), then others in order while there is room for ``most``."""
    kept = [s for s in sentences if s.kind in _KEPT]
    room = max(0, most - len(kept))
    extra = [s for s in sentences if s.kind not in _KEPT][:room]
    return [s for s in sentences if any(s is k for k in (*kept, *extra))]


def paragraph(
    c: Comparison,
    *,
    summary: bool = False,
    settings: Settings | None = None,
    context: Context | None = None,
    nudge: int = 0,
) -> Paragraph:
    """One indicator's paragraph: the Performance Summary's (``summary``) or the fuller
    analysis. ``context``: ``c``'s, already made for another of its paragraphs (its clauses
    are built once for both). ``nudge``: another draw of the phrasings (:func:`paragraphs`
    nudges a paragraph that would take the shape of the one before it)."""
    settings = settings or Settings()
    ctx = context or Context(c, settings, nudge)
    ind = c.indicator
    summary_pattern, analysis_pattern = settings.patterns.for_indicator(ind.key, ind.pattern)
    if c.value is None:
        said = missing(ctx)
        notes = [s for s in said if s.analyst]
        sentences = notes
        if ctx.subject is not None:  # the year to date stands in, ahead of the months
            sentences += fill(pat.SUMMARY, ctx)
        sentences += [s for s in said if not s.analyst]
        if c.ranking is not None and not any(s.kind == "ranking" for s in sentences):
            sentences += fill("{ranking}.", ctx)  # the council's rank, ours or not
    else:
        chosen = summary_pattern if summary else analysis_pattern
        try:
            sentences = fill(chosen, ctx)
        except pat.PatternError as exc:
            raise pat.PatternError(f"{ind.code}: {exc.message}", exc.hint) from None
    if summary and settings.audience is Audience.COMMITTEE:
        sentences = _at_most(sentences, SUMMARY_SENTENCES)
    made = Paragraph(ind.key, ind.code, ind.title, ind.section, c.period.label, tuple(sentences))
    made = made.for_audience(settings.audience)
    return replace(made, sentences=_not_twice(made.sentences))


def _not_twice(sentences: tuple[Sentence, ...]) -> tuple[Sentence, ...]:
    """No two sentences in a row open "This is" or "The figure": the second says "It"
    ("This is a rise from 0.0% in July 2020. It is the third consecutive monthly increase.";
    "The figure is below our target of 90%. It has been below target for ...")."""
    out: list[Sentence] = []
    for s in sentences:
        for opening in _OPENINGS:
            if out and out[-1].text.startswith(opening) and s.text.startswith(opening):
                s = replace(s, text=_PRONOUN[opening] + s.text.removeprefix(opening))
        out.append(s)
    return tuple(out)


#: An opening said again in the next sentence, and the pronoun said instead.
_PRONOUN = {"This is ": "It is ", "The figure ": "It "}
_OPENINGS = tuple(_PRONOUN)


#: How many draws of the phrasings a paragraph may take to differ from the one before it.
_NUDGES = 4


Shape = tuple[tuple[str, str], ...]


def shape(p: Paragraph) -> Shape:
    """A paragraph's shape: the kind of each sentence and its first two words, a figure as
    `#` (`("headline", "# of"), ("standing", "This is")`). Neighbouring paragraphs of varied
    phrasing do not share one."""
    return tuple((s.kind, " ".join(_word(t) for t in s.text.split()[:2])) for s in p.sentences)


def _alike(one: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]) -> bool:
    """Two paragraphs read alike: the same shape, or the same opening words that are not a
    figure ("As at December 2020, ..." twice; "85.2% of ..." after "71.1% of ..." is the
    plain way to open, and stays)."""
    if one == other:
        return True
    return bool(one and other) and one[0] == other[0] and not one[0][1].startswith("#")


def _steered(
    made: Paragraph,
    draw: Callable[[int], Paragraph],
    before: Shape,
    read: Audience,
    used: Counter[str],
) -> Paragraph:
    """``made``, or another draw of its phrasings (``draw(1)`` ...) where it would read like
    the paragraph before it or open a sentence the way a third of those before it open; a
    draw that only avoids the first where none avoids both, else ``made``."""

    def alike(p: Paragraph) -> bool:
        return _alike(shape(p.for_audience(read)), before)

    def worn(p: Paragraph) -> bool:
        return alike(p) or _overused(p.for_audience(read), used)

    if not worn(made):
        return made
    drawn = [draw(k) for k in range(1, _NUDGES)]
    return next(
        (p for p in drawn if not worn(p)),
        next((p for p in [made, *drawn] if not alike(p)), made),
    )


def _openings(p: Paragraph) -> list[str]:
    """How the sentences after a paragraph's headline open (their first two words)."""
    return [" ".join(_word(t) for t in s.text.split()[:2]) for s in p.sentences[1:]]


def _overused(p: Paragraph, used: Counter[str]) -> bool:
    """The paragraph opens a sentence the way a third or more of those before it open
    ("This is ..."), once there are enough of them to tell."""
    total = used.total()
    return total >= 6 and any(used[o] * 3 >= total for o in _openings(p))


def _word(token: str) -> str:
    return "#" if any(ch.isdigit() for ch in token) else token


def verdict(c: Comparison, settings: Settings | None = None) -> str:
    """One line in words: the figure, where it stands and how it moved on last year; in the
    plain phrasing always (one line per block of `compare`, read beside the figures)."""
    ctx = Context(c, replace(settings or Settings(), vary=False))
    if ctx.subject is None:
        reason = c.reason or "no figure is reported and none can be computed"
        return f"No {c.period.label} figure: {reason}."
    head = f"{ctx.clause(figure).text} {ctx.clause(period_wording).text}"
    said = [ctx.clause(plain_standing).text, ctx.clause(last_year).text]
    said = [s for s in said if s]
    if not said:
        return f"{head}: no target, benchmark or last year's figure to compare it with."
    return f"{head}: " + "; ".join(said) + "."


def paragraphs(
    comparisons: Sequence[Comparison],
    *,
    summary: bool = False,
    settings: Settings | None = None,
) -> list[Paragraph]:
    """A paragraph per comparison, in order, from its facts (built once per comparison, so a
    report's summary and analysis read the same facts). Every sentence is checked against the
    data first (``csckpi.narrate.check``): any that disagrees raises
    :class:`~csckpi.narrate.check.SentenceRefused` naming it, and nothing is returned."""
    return _written(comparisons, (summary,), settings)[0]


def summary_and_analysis(
    comparisons: Sequence[Comparison], settings: Settings | None = None
) -> tuple[list[Paragraph], list[Paragraph]]:
    """``paragraphs(comparisons, summary=True)`` and ``paragraphs(comparisons)``, made
    together: each comparison's clauses are built once for both, and a sentence both say is
    checked once. Raises as :func:`paragraphs` does, the summary's disagreements first."""
    summary, analysis = _written(comparisons, (True, False), settings)
    return summary, analysis


def _written(
    comparisons: Sequence[Comparison], kinds: Sequence[bool], settings: Settings | None
) -> list[list[Paragraph]]:
    """For each of ``kinds`` (summary or not), a paragraph per comparison, checked."""
    settings = settings or Settings()
    # checked before the audience drops the analyst's notes: every sentence made is checked
    everything = replace(settings, audience=Audience.ANALYST)
    out: list[list[Paragraph]] = [[] for _ in kinds]
    found: list[list[Disagreement]] = [[] for _ in kinds]
    openings: list[Counter[str]] = [Counter() for _ in kinds]  # sentences after the headline
    left_out = twins(comparisons)  # a twin's figure is said in its first's paragraph
    named = {first.key: twin for twin, first in left_out.items()}
    by_key = {c.key: c for c in comparisons}
    for c in comparisons:
        if c.key in left_out:
            continue
        checks = Checks(c)
        contexts: dict[int, Context] = {}  # by nudge: built once for both kinds

        def written(
            nudge: int, summary: bool, c: Comparison = c, contexts: dict[int, Context] = contexts
        ) -> Paragraph:
            if nudge not in contexts:
                contexts[nudge] = Context(c, everything, nudge)
            made = paragraph(c, summary=summary, settings=everything, context=contexts[nudge])
            if c.key in named and made.sentences:
                twin = by_key[named[c.key]]
                made = also(made, twin, twin_name(twin.indicator))
            return made

        for n, summary in enumerate(kinds):
            made = written(0, summary)
            if out[n] and settings.vary:  # not the shape of the paragraph before, where it can
                made = _steered(
                    made,
                    lambda k, summary=summary: written(k, summary),  # type: ignore[misc]
                    shape(out[n][-1]),
                    settings.audience,
                    openings[n],
                )
            found[n] += checks.disagreements(made)
            out[n].append(made.for_audience(settings.audience))
            openings[n].update(_openings(out[n][-1]))
    for each in found:
        refuse(each)
    return out


__all__ = [
    "Audience",
    "Fact",
    "Paragraph",
    "Sentence",
    "Settings",
    "fill",
    "paragraph",
    "paragraphs",
    "shape",
    "summary_and_analysis",
    "verdict",
]
