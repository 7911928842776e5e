"""The records narrate writes: a paragraph of sentences, each with the facts it states.

:class:`Fact` is one thing a sentence states, with the numbers behind it (so a test or a script
can check every number and every relation); :class:`Clause` is what one placeholder of a
pattern holds; :class:`Sentence` and :class:`Paragraph` are what a user reads. Plain frozen
data: no I/O, no wording.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from csckpi.numbers import json_number

if TYPE_CHECKING:
    from csckpi.commentary import Shown


class Audience(StrEnum):
    """Who reads the paragraphs. The committee reads what the figures say; the analyst also
    reads where they come from (the workbook's own figures, how a rate is worked out, why a
    period has no figure), which a committee report keeps to an appendix."""

    COMMITTEE = "committee"
    ANALYST = "analyst"


@dataclass(frozen=True)
class Fact:
    """One thing a sentence states, with the numbers behind it.

    ``kind``: `figure`, `ytd`, `target`, `benchmark`, `last year`, `previous`, `run`,
    `target run`, `months`, `parts`, `reported`, `caution`, `missing`, `benchmark note`, `rank`.
    For a comparison, ``value`` is ours and ``other`` theirs; ``relation`` is `above`,
    `below`, `in line` (a standing) or `increase`, `decrease`, `same` (a movement), decided on
    the figures as shown; ``better`` judges it through ``polarity`` (None: no judgement);
    ``words`` are the words the sentence used for it.
    """

    kind: str
    value: float | None = None
    shown: str | None = None
    period: str | None = None
    comparator: str | None = None
    other: float | None = None
    other_shown: str | None = None
    other_period: str | None = None
    source: str | None = None
    relation: str | None = None
    degree: str | None = None
    better: bool | None = None
    polarity: str | None = None
    words: str | None = None
    count: int | None = None
    reason: str | None = None  # `missing`: why there is no figure, precisely

    def as_dict(self) -> dict[str, Any]:
        """Its fields for JSON, one number type per kind of figure: a count (a rank and the
        councils ranked, a numerator, a figure written as a whole number: 284) is an
        integer, as compute writes it; a percentage, rate or average a float (90.0 for 90%)."""
        out = {k: v for k, v in asdict(self).items() if v is not None}
        for number, said in (("value", self.shown), ("other", self.other_shown)):
            if number in out:
                whole = self.kind in _WHOLE or _whole(said)
                out[number] = json_number(out[number], whole=whole)
        return out


#: Facts whose numbers are counts whatever the indicator: a rank (of so many councils), the
#: parts a percentage or rate is worked out from.
_WHOLE = frozenset({"rank", "parts"})


def _whole(said: str | None) -> bool:
    """Whether a figure as a sentence writes it is a count: a whole number, not a percentage
    (`284`, `1,002`; not `90%`, `126.5`)."""
    return said is not None and said.replace(",", "").isdigit()


@dataclass(frozen=True)
class Sentence:
    text: str
    kind: str  # the first placeholder it was built from: headline, standing, last_year, ...
    facts: tuple[Fact, ...] = ()
    #: for the analyst only: provenance, a reconciliation, why there is no figure
    analyst: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.analyst:
            out["analyst"] = True
        return out | {"facts": [f.as_dict() for f in self.facts]}


@dataclass(frozen=True)
class Clause:
    """What one placeholder holds: its words (empty: nothing to say) and the facts they state."""

    text: str
    facts: tuple[Fact, ...] = ()
    #: a sentence placeholder that writes more than one sentence gives them here
    sentences: tuple[Sentence, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)


EMPTY = Clause("")


def whole_sentences(*parts: Sentence) -> Clause:
    """A clause of whole sentences; its text (for a pattern) without the last full stop."""
    chosen = tuple(p for p in parts if p.text)
    if not chosen:
        return EMPTY
    text = " ".join(p.text for p in chosen).removesuffix(".")
    return Clause(text, tuple(f for p in chosen for f in p.facts), chosen)


@dataclass(frozen=True)
class Paragraph:
    key: str
    code: str
    title: str
    section: str
    period: str
    sentences: tuple[Sentence, ...]
    #: the service's own words for the period, printed after the sentences (never in them)
    commentary: Shown | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def for_audience(self, audience: Audience) -> Paragraph:
        """The paragraph as ``audience`` reads it: the committee's without the analyst's
        sentences."""
        if audience is Audience.ANALYST:
            return self
        return replace(self, sentences=tuple(s for s in self.sentences if not s.analyst))

    @property
    def analyst_notes(self) -> tuple[Sentence, ...]:
        """The sentences for the analyst only (a committee report's appendix)."""
        return tuple(s for s in self.sentences if s.analyst)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "title": self.title,
            "section": self.section,
            "period": self.period,
            "text": self.text,
            "sentences": [s.as_dict() for s in self.sentences],
            "commentary": None if self.commentary is None else self.commentary.as_dict(),
        }
