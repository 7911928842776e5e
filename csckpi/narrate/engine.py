"""Facts -> sentences: the clauses of one indicator's paragraph, filled into its pattern.

Input is a :class:`csckpi.facts.Comparison`: its figures and its facts, every relation and
judgement already made (``Comparison.facts``: this module decides none, it only words them);
output is a :class:`Paragraph` of :class:`Sentence` s, each carrying the :class:`Fact` s it
states, so a test or a script can check every number and every relation. Deterministic and free
of I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from csckpi import numbers
from csckpi.facts import Figure, is_running_total
from csckpi.model import Indicator, Measure, Relation, Unit
from csckpi.narrate import patterns as pat
from csckpi.narrate import words as w
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.facts import Comparison, MonthPoint, Run
    from csckpi.model import Judged


# -- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One thing a sentence states, with the numbers behind it.

    ``kind``: `figure`, `ytd`, `target`, `benchmark`, `last year`, `previous`, `run`,
    `target run`, `months`, `parts`, `reported`, `caution`, `missing`.
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
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Sentence:
    text: str
    kind: str  # the first placeholder it was built from: headline, standing, last_year, ...
    facts: tuple[Fact, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "facts": [f.as_dict() for f in self.facts]}


@dataclass(frozen=True)
class Clause:
    text: str
    facts: tuple[Fact, ...] = ()
    #: a sentence placeholder that writes more than one sentence gives them here
    sentences: tuple[Sentence, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)


EMPTY = Clause("")


def _sentences(*parts: Sentence) -> Clause:
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

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "title": self.title,
            "section": self.section,
            "period": self.period,
            "text": self.text,
            "sentences": [s.as_dict() for s in self.sentences],
        }


@dataclass(frozen=True)
class Settings:
    """What a user can set: the thresholds, the small-denominator caution, the patterns."""

    thresholds: w.Thresholds = field(default_factory=w.Thresholds)
    small_denominator: int = 10
    patterns: pat.PatternSet = field(default_factory=pat.PatternSet)


# -- the figure the paragraph is about ----------------------------------------------------------


@dataclass(frozen=True)
class _Subject:
    """The figure the headline states and every comparison judges."""

    value: float
    period: Period
    measure: Measure  # how to word its period (a cumulative count's flow reads as a flow)
    is_ytd: bool  # the headline is the year to date because the period has no figure
    figure: Figure  # which of the comparison's figures it is (whose facts judge it)


def _subject(c: Comparison) -> _Subject | None:
    ind = c.indicator
    wording = Measure.SNAPSHOT if is_position(ind) else ind.measure
    if c.value is not None:
        if (
            ind.measure is Measure.CUMULATIVE
            and c.flow is not None
            and c.period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
        ):
            return _Subject(c.flow, c.period, Measure.FLOW, False, Figure.FLOW)
        return _Subject(c.value, c.period, wording, False, Figure.VALUE)
    if c.ytd is not None and c.ytd_period is not None and c.ytd_period != c.period:
        return _Subject(c.ytd, c.ytd_period, wording, True, Figure.YTD)
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


def _as(ind: Indicator, measure: Measure) -> Indicator:
    return ind if ind.measure is measure else replace(ind, measure=measure)


# -- clauses -------------------------------------------------------------------------------------


class _Builder:
    """Builds every clause of one comparison once; patterns pick from them."""

    def __init__(self, c: Comparison, settings: Settings) -> None:
        self.c = c
        self.facts = c.facts
        self.ind = c.indicator
        self.places = c.indicator.places
        self.unit = c.indicator.unit
        self.settings = settings
        self.subject = _subject(c)
        self.phrase = _without_ytd(" ".join(self.ind.phrase.split()), self.subject)
        self._cache: dict[str, Clause] = {}

    # numbers
    def fig(self, value: float) -> str:
        return numbers.figure(value, self.unit, self.places)

    def polarity(self) -> str:
        return self.ind.polarity.value

    def clause(self, name: str) -> Clause:
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_{name}")()
        return self._cache[name]

    def _own_figure(self) -> bool:
        """Whether the headline states the period's own figure (with its parts)."""
        s = self.subject
        return s is not None and not s.is_ytd and s.value == self.c.value

    def _is_none(self) -> bool:
        """A percentage of none, whose phrase can say so: "none (0.0%) of the children ..."."""
        s = self.subject
        return (
            s is not None
            and self.unit is Unit.PERCENT
            and numbers.shown(s.value, self.places) == 0
            and bool(w.none_of(self.phrase))
        )

    # -- headline --------------------------------------------------------------------------
    def _value(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        text = self.fig(s.value)
        if self.unit is Unit.RATE and not w.says_per_10000(self.phrase or self.ind.title):
            text += " per 10,000 children aged 0-17"
        c = self.c
        if self._own_figure() and self.unit is Unit.PERCENT and c.numerator is not None:
            if c.denominator is not None:
                text += f" ({numbers.parts(c.numerator, c.denominator)})"
            elif numbers.shown(s.value, self.places) != 0:
                text += f" ({self._counted(c.numerator)})"
        fact = Fact(
            "ytd" if s.is_ytd else "figure",
            value=s.value,
            shown=self.fig(s.value),
            period=s.period.label,
        )
        return Clause(text, (fact,))

    def _counted(self, count: float) -> str:
        """`20 children` (the phrase's noun), else `20`."""
        shown = numbers.count(count)
        noun = w.counted_noun(self.phrase)
        if not noun:
            return shown
        return f"{shown} {w.singular(noun) if shown == '1' else noun}"

    def _figure(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        return Clause(self.fig(s.value), (Fact("figure", s.value, self.fig(s.value)),))

    def _phrase(self) -> Clause:
        return Clause(self.phrase or w.subject(self.ind.title))

    def _subject(self) -> Clause:
        return Clause(w.subject(self.ind.title))

    def _title(self) -> Clause:
        return Clause(self.ind.title)

    def _code(self) -> Clause:
        return Clause(self.ind.code)

    def _period(self) -> Clause:
        return Clause(self.c.period.label)

    def _period_wording(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        return Clause(w.period_wording(_as(self.ind, s.measure), s.period, phrase=self.phrase))

    def _council(self) -> Clause:
        return Clause(self.c.council or "")

    def _target(self) -> Clause:
        if self.c.target is None:
            return EMPTY
        return Clause(numbers.target(self.c.target, self.unit, self.places))

    def _ytd(self) -> Clause:
        c = self.c
        if c.ytd is None:
            return EMPTY
        period = c.ytd_period.label if c.ytd_period else None
        return Clause(self.fig(c.ytd), (Fact("ytd", c.ytd, self.fig(c.ytd), period),))

    def _ytd_figure(self) -> Figure:
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

    def _ytd_clause(self) -> Clause:
        s, ytd = self.subject, self.stated_ytd()
        if s is None or ytd is None:
            return EMPTY
        noun = "total" if self.unit in (Unit.COUNT, Unit.NUMBER) else "figure"
        shown = self.fig(ytd)
        fact = Fact("ytd", ytd, shown, s.period.ytd().label)
        return Clause(f", with a year to date {noun} of {shown}", (fact,))

    def _headline(self) -> Clause:
        """The figure with its words and period. A year to date leads with its period, as the
        report writes it ("Year to date 92.5% of ..."); every other period follows."""
        s = self.subject
        if s is None:
            return EMPTY
        value, when = self.clause("value"), self.clause("period_wording")
        ytd = self.clause("ytd_clause")
        phrase = self.phrase
        if self._is_none():
            inner = value.text.replace(" (", ", ").removesuffix(")")
            body = f"none ({inner}) {w.none_of(phrase)}"
        elif self.unit is Unit.RATE and phrase and not w.has_verb(phrase):
            who = self.c.council or "the council"
            body = f"{who} had a rate of {value.text} {phrase}"
        elif phrase and (w.has_verb(phrase) or self.unit is Unit.PERCENT):
            body = f"{value.text} {phrase}"
        elif phrase:
            body = f"there were {value.text} {phrase}"
        else:
            body = f"{w.subject(self.ind.title)} was {value.text}"
        leads = _is_year_to_date(s)
        text = f"{when.text}, {body}" if leads else f"{body} {when.text}"
        facts = value.facts if s.is_ytd else value.facts + ytd.facts
        return Clause(w.capitalise(text) + ("" if s.is_ytd else ytd.text), facts)

    # -- standing: target and benchmarks ------------------------------------------------
    def _items(self, with_target: bool, with_benchmarks: bool, figure: Figure) -> list[_Item]:
        """What ``figure`` is judged against (its facts' standing), as the sentence names it."""
        standing = self.facts.standing(figure)
        items: list[_Item] = []
        target = standing.target
        if with_target and target is not None:
            said = numbers.target(target.theirs, self.unit, self.places)
            items.append(
                _Item(
                    "target",
                    f"our target of {said}",
                    target.theirs,
                    said,
                    target.relation,
                    target.better,
                    "",
                    "",
                )
            )
        if with_benchmarks:
            for b in standing.benchmarks:
                label = w.COMPARATOR_LABEL.get(b.comparator, b.name)
                shown = self.fig(b.value)
                items.append(
                    _Item(
                        b.comparator.value,
                        f"{label} ({shown})",
                        b.value,
                        shown,
                        b.relation,
                        b.better,
                        b.source or "",
                        b.year or "",
                    )
                )
        return items

    def _grouped(
        self, items: list[_Item], value: float, period: Period, *, pronoun: bool = False
    ) -> _Standing | None:
        """Items with the same relation said together: `below our target of 90%,
        statistical neighbours (87.7%) and the regional average (88.8%), but positively above
        the national average (83.8%), as recorded in LAIT 2020`. With ``pronoun``, a single
        item is `it` (named already)."""
        if not items:
            return None
        sources = {(i.source, i.year) for i in items if i.key != "target"}
        per_item = len(sources) > 1
        groups: list[list[_Item]] = []
        for item in items:
            for group in groups:
                if group[0].relation == item.relation:
                    group.append(item)
                    break
            else:
                groups.append([item])
        parts: list[str] = []
        facts: list[Fact] = []
        for group in groups:
            lead = _lead(group[0].relation, group[0].better, any(i.key == "target" for i in group))
            names = []
            for item in group:
                name = item.name
                if per_item and item.key != "target" and (item.source or item.year):
                    name = name[:-1] + f", {_source_text(item.source, item.year)})"
                names.append(name)
                facts.append(
                    Fact(
                        "target" if item.key == "target" else "benchmark",
                        value=value,
                        shown=self.fig(value),
                        period=period.label,
                        comparator=item.key,
                        other=item.value,
                        other_shown=item.shown,
                        source=_source_text(item.source, item.year) or None,
                        relation=item.relation,
                        better=item.better,
                        polarity=self.polarity(),
                        words=lead,
                    )
                )
            said = "it" if pronoun and len(items) == 1 else w.join(names)
            parts.append(f"{lead} {said}")
        if len(parts) == 2:
            judged = {g[0].better for g in groups}
            conj = "but" if {True, False} <= judged else "and"
            comma = "," if len(groups[0]) > 1 else ""
            text = f"{parts[0]}{comma} {conj} {parts[1]}"
        else:
            text = w.join(parts)
        if sources and not per_item and not (pronoun and len(items) == 1):
            source, year = next(iter(sources))
            said = _source_text(source, year)
            if said:
                text += f", as recorded in {said}"
        better = groups[0][0].better if len(groups) == 1 else None
        return _Standing(text, tuple(facts), len(groups), better)

    def _split(self) -> tuple[list[_Item], list[_Item], list[_Item]] | None:
        """Where the headline states the period's figure and the year to date and they stand
        differently against the target or a benchmark: (the items both stand alike against,
        the period's figure against the others, the year to date against them); else None."""
        s, ytd = self.subject, self.stated_ytd()
        if s is None or ytd is None:
            return None
        ours = self._items(True, True, s.figure)
        theirs = self._items(True, True, self._ytd_figure())
        differ = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
        if not differ:
            return None
        alike = [a for i, a in enumerate(ours) if i not in differ]
        return alike, [ours[i] for i in differ], [theirs[i] for i in differ]

    def _figure_noun(self) -> str:
        """How a split sentence names the period's own figure: `the quarter`, `the month`."""
        assert self.subject is not None
        return "the month" if self.subject.period.kind is PeriodKind.MONTH else "the quarter"

    def _standing_text(self, split: bool) -> _Standing | None:
        s = self.subject
        if s is None:
            return None
        parts = self._split() if split else None
        if parts is None:
            return self._grouped(self._items(True, True, s.figure), s.value, s.period)
        alike, ours, theirs = parts
        ytd = self.stated_ytd()
        assert ytd is not None
        ytd_period = s.period.ytd()
        mine = self._grouped(ours, s.value, s.period)
        other = self._grouped(theirs, ytd, ytd_period, pronoun=True)
        assert mine is not None and other is not None
        judged = {mine.better, other.better}
        conj = "but" if {True, False} <= judged else "and"
        text = f"{mine.text} for {self._figure_noun()} {conj} {other.text} for the year to date"
        facts = mine.facts + other.facts
        both = self._grouped(alike, s.value, s.period)
        if both is not None:
            text = f"{both.text}; {text}"
            facts = both.facts + facts
        return _Standing(text, facts, 2, None)

    def _standing(self) -> Clause:
        said = self._standing_text(split=True)
        return Clause(said.text, said.facts) if said else EMPTY

    def _plain_standing(self) -> Clause:
        """The period's own figure against the target and benchmarks (the verdict's)."""
        said = self._standing_text(split=False)
        return Clause(said.text, said.facts) if said else EMPTY

    def _target_standing(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        said = self._grouped(self._items(True, False, s.figure), s.value, s.period)
        return Clause(said.text, said.facts) if said else EMPTY

    def _benchmark_standing(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        said = self._grouped(self._items(False, True, s.figure), s.value, s.period)
        return Clause(said.text, said.facts) if said else EMPTY

    # -- the comparisons in one or two sentences ---------------------------------------------
    def _comparison(self) -> Clause:
        return self._compose(with_previous=False)

    def _full_comparison(self) -> Clause:
        return self._compose(with_previous=True)

    def _moves(self, with_previous: bool, joined: bool) -> tuple[str, tuple[Fact, ...]]:
        """Last year and (``with_previous``) the period before as one phrase: `a positive
        increase on the 72.7% as at December 2019, and up from 70.3% as at September 2020`.
        The period before alone is said in full unless ``joined`` to a standing."""
        last = self.clause("last_year")
        previous = self.clause("previous") if with_previous else EMPTY
        short = self.clause("previous_short") if with_previous else EMPTY
        if last and short:
            return f"{last.text}, and {short.text}", last.facts + short.facts
        if last:
            return last.text, last.facts
        if previous:
            chosen = short if joined else previous
            return chosen.text, chosen.facts
        return "", ()

    def _previous_alone(self) -> Clause:
        """The period before in a sentence of its own after a standing ("It is ..."): in full
        for a quarter ("a positive reduction on the 22.3% ..."), short for a month ("up from
        83.7% ...")."""
        c = self.c
        if c.previous_period is not None and c.previous_period.kind is PeriodKind.MONTH:
            return self.clause("previous_short")
        return self.clause("previous")

    def _compose(self, with_previous: bool) -> Clause:
        """Target, benchmarks, last year (and the period before) as the report joins them:
        "This is below our target of 90% but a positive increase on the 77.7% in Q3 2019/20."
        A standing of two groups ("above ... but below ...") keeps its own sentence and the
        movements follow ("It is ..."). Where the period's figure and the year to date stand
        differently against a comparator, each is named."""
        s = self.subject
        if s is None:
            return EMPTY
        split = self._split()
        if split is not None:
            return self._compose_split(split, with_previous)
        standing = self._standing_text(split=False)
        if standing is None:
            text, facts = self._moves(with_previous, joined=False)
            kind = "last_year" if self.clause("last_year") else "previous"
            return _sentences(Sentence(f"This is {text}." if text else "", kind, facts))
        last = self.clause("last_year")
        listed = "," in standing.text  # a list of comparators: one more "and" is too many
        if standing.groups == 1:
            alone = with_previous and listed and bool(last) and bool(self.clause("previous"))
            text, facts = self._moves(with_previous and not alone, joined=True)
            after = self._previous_alone() if alone else EMPTY
            if not text:
                return _sentences(Sentence(f"This is {standing.text}.", "standing", standing.facts))
            judged = {standing.better, _judged(facts)}
            conj = "but" if {True, False} <= judged else "and"
            comma = "," if listed else ""
            return _sentences(
                Sentence(
                    f"This is {standing.text}{comma} {conj} {text}.",
                    "standing",
                    standing.facts + facts,
                ),
                Sentence(f"It is {after.text}." if after else "", "previous", after.facts),
            )
        if last:
            text, facts = self._moves(with_previous, joined=False)
            kind = "last_year"
        else:
            after = self._previous_alone() if with_previous else EMPTY
            text, facts, kind = after.text, after.facts, "previous"
        return _sentences(
            Sentence(f"This is {standing.text}.", "standing", standing.facts),
            Sentence(f"It is {text}." if text else "", kind, facts),
        )

    def _compose_split(
        self,
        split: tuple[list[_Item], list[_Item], list[_Item]],
        with_previous: bool,
    ) -> Clause:
        """ "This is a positive increase on ... . The quarter is positively above our target
        of 95%, the year to date below it." """
        s, ytd = self.subject, self.stated_ytd()
        assert s is not None and ytd is not None
        alike, ours, theirs = split
        text, facts = self._moves(with_previous, joined=False)
        kind = "last_year" if self.clause("last_year") else "previous"
        moves = Sentence(f"This is {text}." if text else "", kind, facts)
        both = self._grouped(alike, s.value, s.period)
        both_sentence = Sentence(
            f"Both figures are {both.text}." if both else "",
            "standing",
            both.facts if both else (),
        )
        mine = self._grouped(ours, s.value, s.period)
        other = self._grouped(theirs, ytd, s.period.ytd(), pronoun=True)
        assert mine is not None and other is not None
        noun = w.capitalise(self._figure_noun())
        apart = Sentence(
            f"{noun} is {mine.text}, the year to date {other.text}.",
            "standing",
            mine.facts + other.facts,
        )
        return _sentences(moves, both_sentence, apart)

    # -- movements ------------------------------------------------------------------------
    def _then_text(self, then: float) -> str:
        shown = self.fig(then)
        if self.unit is Unit.RATE:
            return f"the rate of {shown}"
        if self.unit in (Unit.COUNT, Unit.NUMBER) and self.phrase:
            noun = w.subject_noun(self.phrase)
            return f"the {shown} {noun}" if noun else f"the {shown}"
        return f"the {shown}"

    def _movement(
        self,
        kind: str,
        judged: Judged,
        period: Period,
        when: str,
        style: str,
    ) -> Clause:
        """``style``: `year` (a slight increase on the 280 children ...), `month` (a small
        rise from 287 ...) or `short` (up from 287 ...)."""
        now, then = judged.ours, judged.theirs
        m = w.movement(judged, self.unit, self.places, self.settings.thresholds)
        good = judged.better
        if style == "short":
            words = _short_movement_words(m)
        else:
            words = _movement_words(m, good, style == "month")
        s = self.subject
        assert s is not None
        if style == "year":
            text = f"{words} {self._then_text(then)} {when}"
        else:
            text = f"{words} {self.fig(then)} {when}"
        fact = Fact(
            kind,
            value=now,
            shown=self.fig(now),
            period=s.period.label,
            comparator=kind,
            other=then,
            other_shown=self.fig(then),
            other_period=period.label,
            relation=m.relation,
            degree=m.degree,
            better=good,
            polarity=self.polarity(),
            words=words,
        )
        return Clause(text, (fact,))

    def _last_year(self) -> Clause:
        s = self.subject
        if s is None or s.is_ytd:
            return EMPTY
        period = s.period.last_year()
        # a cumulative count's own count for the period against last year's
        judged = self.facts.last_year_flow if s.figure is Figure.FLOW else self.facts.last_year
        if judged is None:
            return EMPTY
        ind = _as(self.ind, s.measure)
        return self._movement("last year", judged, period, w.when_wording(ind, period), "year")

    def _previous_figure(self) -> tuple[Judged, Period] | None:
        """The figure against the period before's, when a movement on it means something."""
        s, c = self.subject, self.c
        if s is None or s.is_ytd or c.previous_period is None:
            return None
        judged = self.facts.previous
        # A running total only grows: compare the period's own counts (compute gives a
        # cumulative count's previous as that period's flow; a rate's as null), or say nothing.
        if is_running_total(self.ind) and (
            self.unit is not Unit.COUNT or s.measure is not Measure.FLOW
        ):
            return None
        if judged is None or self.facts.run is not None:
            return None  # "for the second consecutive month" says it better
        period = c.previous_period
        if period == s.period.last_year():
            return None  # a year's period before is last year, said already
        return judged, period

    def _previous(self) -> Clause:
        found = self._previous_figure()
        if found is None:
            return EMPTY
        judged, period = found
        s = self.subject
        assert s is not None
        style = "month" if period.kind is PeriodKind.MONTH else "year"
        when = w.when_wording(_as(self.ind, s.measure), period)
        return self._movement("previous", judged, period, when, style)

    def _previous_short(self) -> Clause:
        found = self._previous_figure()
        if found is None:
            return EMPTY
        judged, period = found
        s = self.subject
        assert s is not None
        when = w.when_wording(_as(self.ind, s.measure), period)
        return self._movement("previous", judged, period, when, "short")

    # -- months and runs -----------------------------------------------------------------
    def _wording_measure(self) -> Measure:
        if self.subject is not None:
            return self.subject.measure
        return Measure.SNAPSHOT if is_position(self.ind) else self.ind.measure

    def _months(self) -> Clause:
        """The months of the period, as a sentence: `The monthly figures were ...`."""
        period = self.c.period
        if period.kind is PeriodKind.MONTH:
            return EMPTY
        points = [m for m in self.c.months if period.contains(m.month)]
        present = [m for m in points if m.value is not None]
        if not present:
            return EMPTY
        measure = self.ind.measure
        if measure is Measure.CUMULATIVE and self._wording_measure() is Measure.SNAPSHOT:
            measure = Measure.SNAPSHOT  # a position, worded as one
        at = "at the end of " if measure is Measure.CUMULATIVE else "in "
        last_year = present[-1].month.year
        texts = []
        facts = []
        for i, point in enumerate(present):
            assert point.value is not None
            with_year = i == len(present) - 1 or point.month.year != last_year
            shown = self.fig(point.value)
            texts.append(f"{shown} {at}{w.month_name(point.month, with_year)}")
            facts.append(Fact("months", point.value, shown, point.month.iso))
        if measure is Measure.CUMULATIVE:
            lead = "The year to date stood at"
        elif measure is Measure.SNAPSHOT:
            lead = "The month-end figures were"
        else:
            lead = "The monthly figures were"
        text = f"{lead} {w.join(texts)}"
        gaps = [w.month_name(m.month, m.month.year != last_year) for m in points if m.value is None]
        notes = []
        if gaps:
            notes.append(f"no figure for {w.join(gaps)}")
        own = self._workbook_months(present, last_year)
        if own:
            notes.append(own)
        if notes:
            text += f" ({'; '.join(notes)})"
        return Clause(text, tuple(facts))

    def _workbook_months(self, present: Sequence[MonthPoint], last_year: int) -> str:
        """Where a month's rate is recomputed from its count and differs from the workbook's
        own cell as shown, say once which figure is used and what the workbook gives."""
        differ = [
            (m.month, m.workbook) for m in present if m.workbook is not None and m.value is not None
        ]
        if not differ:
            return ""
        own = w.join(
            [
                f"{self.fig(value)} for {w.month_name(month, month.year != last_year)}"
                for month, value in differ
            ]
        )
        return f"each worked out from the month's count; the workbook gives {own}"

    def _run(self) -> Clause:
        run = self.facts.run
        if run is None or self.c.value is None:
            return EMPTY
        words = _run_words(run, "for the {nth} consecutive month")
        shown = self.fig(self.c.value)
        fact = Fact(
            "run",
            self.c.value,
            shown,
            self.c.period.label,
            relation=w.SAME,
            count=run.months,
            words=words,
        )
        return Clause(f"{shown} {words}", (fact,))

    def _target_lead(self, run: Run) -> str:
        """The words before "target" in a run against it: `below`, `positively above`, `on`."""
        return "on" if run.relation is Relation.IN_LINE else _lead(run.relation, run.better, True)

    def _target_run_fact(self, run: Run, words: str) -> Fact:
        assert self.c.value is not None and self.c.target is not None
        return Fact(
            "target run",
            self.c.value,
            self.fig(self.c.value),
            self.c.period.label,
            comparator="target",
            other=self.c.target,
            other_shown=numbers.target(self.c.target, self.unit, self.places),
            relation=run.relation,
            better=run.better,
            polarity=self.polarity(),
            words=words,
            count=run.months,
        )

    def _target_run(self) -> Clause:
        run = self.facts.target_run
        if run is None:
            return EMPTY
        words = f"{self._target_lead(run)} target " + _run_words(run, "for the {nth} month running")
        return Clause(words, (self._target_run_fact(run, words),))

    def _runs(self) -> Clause:
        """The runs in one sentence, each fact once: "The figure has been 88.2% for the second
        consecutive month, and below target for the fourth month running." """
        run, target = self.facts.run, self.facts.target_run
        if run is None and target is None:
            return EMPTY
        if run is None:
            said = self.clause("target_run")
            return _sentences(
                Sentence(f"The figure has been {said.text}.", "target_run", said.facts)
            )
        same = self.clause("run")
        text = f"The figure has been {same.text}"
        facts = list(same.facts)
        if target is not None and target.months > run.months:
            # a run of the same figure is on the same side of the target (said already by
            # the standing); a longer run against the target is news
            words = f"{self._target_lead(target)} target " + _run_words(
                target, "for the {nth} month running"
            )
            text += f", and {words}"
            facts.append(self._target_run_fact(target, words))
        return _sentences(Sentence(text + ".", "run", tuple(facts)))

    # -- notes -----------------------------------------------------------------------------
    def _when(self) -> str:
        """The period as a note names it: `Q3 2020/21`, `October 2020`, `year to date`."""
        return _note_period(self.c.period)

    def _reported(self) -> Clause:
        c = self.c
        if c.basis != "differs" or c.reported is None or c.value is None:
            return EMPTY
        fact = Fact(
            "reported",
            c.value,
            self.fig(c.value),
            c.period.label,
            comparator="reported",
            other=c.reported,
            other_shown=self.fig(c.reported),
        )
        if self.unit is Unit.RATE and c.numerator is not None:
            base = f"the count of {numbers.count(c.numerator)} and the 0-17 population"
            if c.population is not None:
                base += f" of {numbers.count(c.population)}"
            text = (
                f"The workbook's own figure for {self._when()} is {self.fig(c.reported)}; "
                f"the {self.fig(c.value)} here is worked out from {base}"
            )
        elif self.ind.measure is Measure.FLOW and c.period.kind is not PeriodKind.MONTH:
            text = (
                f"The months add up to {self.fig(c.value)}, but the workbook reports "
                f"{self.fig(c.reported)} for {c.period.label}"
            )
        else:
            text = (
                f"The workbook's own figure for {self._when()} is {self.fig(c.reported)}, "
                f"not the {self.fig(c.value)} its months give"
            )
        return Clause(text, (fact,))

    def _basis(self) -> Clause:
        """Where the figure is the workbook's own, not computed from the months: say so."""
        c, s = self.c, self.subject
        if s is None or s.is_ytd or c.basis != "reported" or c.value is None:
            return EMPTY
        text = f"The {self._when()} figure is the workbook's own"
        if c.period.kind is not PeriodKind.MONTH:
            if self.ind.measure is Measure.RATIO:
                text += ": it cannot be worked out from the monthly percentages"
            elif self.ind.measure.value == "distinct":
                text += ": it counts each one once, however many months they appear in"
        fact = Fact("reported", c.value, self.fig(c.value), c.period.label, comparator="reported")
        return Clause(text, (fact,))

    def _parts(self) -> Clause:
        c, s = self.c, self.subject
        if s is None or s.is_ytd or c.numerator is None or self.unit is not Unit.RATE:
            return EMPTY  # a percentage's parts are beside its figure
        if self.clause("reported"):
            return EMPTY  # said there
        shown = numbers.count(c.numerator)
        text = f"The rate is worked out from a count of {shown}"
        if c.population is not None:
            text += f" and the 0-17 population of {numbers.count(c.population)}"
        return Clause(text, (Fact("parts", c.numerator, shown),))

    def _caution(self) -> Clause:
        c, s = self.c, self.subject
        limit = self.settings.small_denominator
        if s is None or s.is_ytd or self.unit is not Unit.PERCENT or c.denominator is None:
            return EMPTY
        if not 0 < c.denominator < limit:
            return EMPTY
        n = numbers.count(c.denominator)
        step = numbers.points(100 / c.denominator, Unit.PERCENT, 1, long=True)
        noun = "case" if n == "1" else "cases"
        text = (
            f"This percentage rests on only {n} {noun}, so each case moves it by {step}; "
            "read it with care"
        )
        fact = Fact(
            "caution", c.denominator, n, c.period.label, other=limit, relation=Relation.BELOW
        )
        return Clause(text, (fact,))

    # -- when there is no figure ---------------------------------------------------------------
    def missing(self) -> list[Sentence]:
        """What to say when the period has no figure, in plain words (the precise reason is
        the fact's ``reason``), and the months it does have."""
        c = self.c
        reason = c.reason or "no figure is reported and none can be computed"
        fact = Fact("missing", period=c.period.label, reason=reason)
        name = _without_monthly(w.subject(self.ind.title))
        period = c.period
        when = _note_period(period)
        points = [m for m in c.months if period.contains(m.month)]
        have = [m for m in points if m.value is not None]
        gaps = [m.month for m in points if m.value is None]
        if period.kind is PeriodKind.MONTH or not have:
            text = f"The workbook has no {when} figure for {name}."
        elif gaps:
            last_year = points[-1].month.year
            names = w.join([w.month_name(m, m.year != last_year or m == gaps[-1]) for m in gaps])
            text = (
                f"The workbook has no figure for {names}, so there is no {when} figure for {name}."
            )
        else:
            text = f"The workbook gives {name} month by month only, so there is no {when} figure."
        out = [Sentence(w.capitalise(text), "missing", (fact,))]
        months = self.clause("months")
        if months:
            out.append(Sentence(f"{months.text}.", "months", months.facts))
        return out


@dataclass(frozen=True)
class _Standing:
    text: str
    facts: tuple[Fact, ...]
    groups: int
    better: bool | None  # the one group's judgement (None: several, or no judgement)


@dataclass(frozen=True)
class _Item:
    key: str  # target, statistical neighbours, region, england
    name: str
    value: float
    shown: str
    relation: str
    better: bool | None
    source: str
    year: str


def _run_words(run: Run, pattern: str) -> str:
    """`for the third month running`, or `in every month since April 2020` when the run goes
    back to the start of the financial year (the months before are not among the facts)."""
    if run.whole and run.first.month == 4:
        return f"in every month since {w.month_name(run.first)}"
    return pattern.format(nth=w.ordinal(run.months))


def _is_year_to_date(subject: _Subject | None) -> bool:
    """Whether the headline's period is a year to date (said first: "Year to date (...), ...")."""
    if subject is None:
        return False
    if subject.is_ytd or subject.period.kind is PeriodKind.YTD:
        return subject.measure is not Measure.SNAPSHOT
    return subject.measure is Measure.CUMULATIVE and subject.period.kind is not PeriodKind.YEAR


def _without_ytd(phrase: str, subject: _Subject | None) -> str:
    """A phrase ending in "year to date" loses those words when the period wording will say
    them ("... in timescale year to date" + "year to date (April to December 2020)")."""
    if not _is_year_to_date(subject):
        return phrase
    lowered = phrase.lower().rstrip()
    for ending in ("(year to date)", "year to date"):
        if lowered.endswith(ending):
            return phrase[: len(phrase.rstrip()) - len(ending)].rstrip(" ,")
    return phrase


def _lead(relation: str, good: bool | None, with_target: bool) -> str:
    """The words before a group: `positively below`, `higher than`, `in line with`."""
    if relation == Relation.IN_LINE:
        return "in line with"
    if with_target or good is not None:
        word = relation
    else:  # polarity none: a difference, not a judgement
        word = "higher than" if relation == Relation.ABOVE else "lower than"
    return f"positively {word}" if good else word


def _note_period(period: Period) -> str:
    """`Q3 2020/21`, `October 2020`, `year to date` (before "figure")."""
    if period.kind is PeriodKind.MONTH:
        return period.long
    return "year to date" if period.kind is PeriodKind.YTD else period.label


def _without_monthly(name: str) -> str:
    """`the monthly percentage of ... (monthly)` -> `the percentage of ...` (said beside
    "month by month")."""
    name = name.replace(" (monthly)", "").replace(" (Monthly)", "")
    for start in ("the monthly ", "the Monthly "):
        if name.startswith(start):
            name = "the " + name[len(start) :]
    return name


def _short_movement_words(m: w.Movement) -> str:
    """The period before, said after another movement: `up from`, `slightly down from`."""
    if m.relation == w.SAME:
        return "unchanged from"
    if m.comparable:
        return "little changed from"
    way = "up from" if m.relation == w.INCREASE else "down from"
    return f"slightly {way}" if m.slight else way


def _judged(facts: Sequence[Fact]) -> bool | None:
    """The judgement of the first movement among ``facts`` (last year's, else the period
    before's)."""
    for fact in facts:
        if fact.kind in ("last year", "previous"):
            # "little changed" is no contrast with "positively above"
            return None if fact.degree in (w.SAME, "comparable") else fact.better
    return None


def _movement_words(m: w.Movement, good: bool | None, monthly: bool) -> str:
    if m.relation == w.SAME:
        return "unchanged from" if monthly else "the same as"
    if m.comparable:
        return "little changed from" if monthly else "comparable to"
    up = m.relation == w.INCREASE
    if monthly:
        noun = "rise" if up else "drop"
        return f"a small {noun} from" if m.slight else f"a {noun} from"
    if m.slight:
        return f"a slight {'increase' if up else 'decrease'} on"
    if good:
        return "a positive increase on" if up else "a positive reduction on"
    return "an increase on" if up else "a decrease on"


def _source_text(source: str, year: str) -> str:
    source, year = source.strip(), year.strip()
    if source and (not year or year in source):
        return source
    if source:
        return f"{source} for {year}"
    return f"figures for {year}" if year else ""


# -- filling patterns ----------------------------------------------------------------------------


def fill(pattern: str, builder: _Builder) -> list[Sentence]:
    """The sentences of ``pattern`` that the data supports."""
    out: list[Sentence] = []
    for template in pat.sentences(pattern):
        names = pat.placeholders(template)
        clauses = {name: builder.clause(name) for name in names}
        if any(not clauses[n] and not pat.optional(n) for n in names):
            continue
        if len(names) == 1 and template.strip() == f"{{{names[0]}}}.":
            whole = clauses[names[0]].sentences
            if whole:  # a sentence placeholder that wrote its own sentences
                out.extend(whole)
                continue
        text = template.format_map({n: c.text for n, c in clauses.items()})
        text = _tidy(text)
        if not text:
            continue
        facts: list[Fact] = []
        for name in dict.fromkeys(names):
            facts.extend(clauses[name].facts)
        kind = next((n for n in names if not pat.optional(n)), "text")
        out.append(Sentence(text, kind, tuple(facts)))
    return out


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    for before, after in ((" ,", ","), (" .", "."), ("..", ".")):
        text = text.replace(before, after)
    return w.capitalise(text.strip())


def paragraph(
    c: Comparison,
    *,
    summary: bool = False,
    settings: Settings | None = None,
) -> Paragraph:
    """One indicator's paragraph: the Performance Summary's (``summary``) or the fuller
    analysis."""
    settings = settings or Settings()
    builder = _Builder(c, settings)
    ind = c.indicator
    summary_pattern, analysis_pattern = settings.patterns.for_indicator(ind.key, ind.pattern)
    if c.value is None:
        sentences = builder.missing()
        if builder.subject is not None:  # the year to date stands in
            sentences += fill(pat.SUMMARY, builder)
    else:
        chosen = summary_pattern if summary else analysis_pattern
        try:
            sentences = fill(chosen, builder)
        except pat.PatternError as exc:
            raise pat.PatternError(f"{ind.code}: {exc.message}", exc.hint) from None
    return Paragraph(ind.key, ind.code, ind.title, ind.section, c.period.label, tuple(sentences))


def verdict(c: Comparison, settings: Settings | None = None) -> str:
    """One line in words: the figure, where it stands and how it moved on last year."""
    builder = _Builder(c, settings or Settings())
    if builder.subject is None:
        reason = c.reason or "no figure is reported and none can be computed"
        return f"No {c.period.label} figure: {reason}."
    head = f"{builder.clause('figure').text} {builder.clause('period_wording').text}"
    said = [builder.clause("plain_standing").text, builder.clause("last_year").text]
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
    report's summary and analysis read the same facts)."""
    return [paragraph(c, summary=summary, settings=settings) for c in comparisons]


__all__ = [
    "Fact",
    "Paragraph",
    "Sentence",
    "Settings",
    "paragraph",
    "paragraphs",
    "verdict",
]
