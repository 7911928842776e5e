"""Facts -> sentences: the clauses of one indicator's paragraph, filled into its pattern.

Input is a :class:`csckpi.compare.Comparison` (plus, for a cumulative count, last year's count
for the period alone); output is a :class:`Paragraph` of :class:`Sentence` s, each carrying the
:class:`Fact` s it states, so a test or a script can check every number and every relation.
Deterministic and free of I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from csckpi.model import Comparator, Indicator, Measure, Unit, parse_choice
from csckpi.narrate import patterns as pat
from csckpi.narrate import words as w
from csckpi.periods import Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.compare import Comparison


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

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Clause:
    text: str
    facts: tuple[Fact, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)


EMPTY = Clause("")


@dataclass(frozen=True)
class Sentence:
    text: str
    kind: str  # the first placeholder it was built from: headline, standing, last_year, ...
    facts: tuple[Fact, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "facts": [f.as_dict() for f in self.facts]}


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


def _subject(c: Comparison) -> _Subject | None:
    ind = c.indicator
    if c.value is not None:
        if (
            ind.measure is Measure.CUMULATIVE
            and c.flow is not None
            and c.period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
        ):
            return _Subject(c.flow, c.period, Measure.FLOW, False)
        return _Subject(c.value, c.period, ind.measure, False)
    if c.ytd is not None and c.ytd_period is not None and c.ytd_period != c.period:
        return _Subject(c.ytd, c.ytd_period, ind.measure, True)
    return None


def _as(ind: Indicator, measure: Measure) -> Indicator:
    return ind if ind.measure is measure else replace(ind, measure=measure)


# -- clauses -------------------------------------------------------------------------------------


class _Builder:
    """Builds every clause of one comparison once; patterns pick from them."""

    def __init__(
        self, c: Comparison, settings: Settings, last_year_flow: float | None = None
    ) -> None:
        self.c = c
        self.ind = c.indicator
        self.places = c.indicator.places
        self.unit = c.indicator.unit
        self.settings = settings
        self.last_year_flow = last_year_flow if last_year_flow is not None else c.last_year_flow
        self.subject = _subject(c)
        self.phrase = _without_ytd(" ".join(self.ind.phrase.split()), self.subject)
        self._cache: dict[str, Clause] = {}

    # numbers
    def fig(self, value: float) -> str:
        return w.figure(value, self.unit, self.places)

    def polarity(self) -> str:
        return self.ind.polarity.value

    def clause(self, name: str) -> Clause:
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_{name}")()
        return self._cache[name]

    # -- headline --------------------------------------------------------------------------
    def _value(self) -> Clause:
        s = self.subject
        if s is None:
            return EMPTY
        text = self.fig(s.value)
        if self.unit is Unit.RATE and not w.says_per_10000(self.phrase or self.ind.title):
            text += " per 10,000 children aged 0-17"
        c = self.c
        if (
            not s.is_ytd
            and s.value == c.value
            and c.numerator is not None
            and c.denominator is not None
            and self.unit is Unit.PERCENT
        ):
            text += f" ({w.number(c.numerator, 0)} / {w.number(c.denominator, 0)})"
        fact = Fact(
            "ytd" if s.is_ytd else "figure",
            value=s.value,
            shown=self.fig(s.value),
            period=s.period.label,
        )
        return Clause(text, (fact,))

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
        return Clause(w.target_figure(self.c.target, self.unit))

    def _ytd(self) -> Clause:
        c = self.c
        if c.ytd is None:
            return EMPTY
        period = c.ytd_period.label if c.ytd_period else None
        return Clause(self.fig(c.ytd), (Fact("ytd", c.ytd, self.fig(c.ytd), period),))

    def _ytd_clause(self) -> Clause:
        c, s = self.c, self.subject
        # a cumulative count's own value is its year to date; its flow is the headline
        ytd = c.value if self.ind.measure is Measure.CUMULATIVE else c.ytd
        if s is None or s.is_ytd or ytd is None:
            return EMPTY
        if s.period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
            return EMPTY
        if s.measure not in (Measure.FLOW, Measure.RATIO):
            return EMPTY
        if w.shown(ytd, self.places) == w.shown(s.value, self.places):
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
        if self.unit is Unit.RATE and phrase and not w.has_verb(phrase):
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
    def _items(self, with_target: bool, with_benchmarks: bool) -> list[_Item]:
        s, c = self.subject, self.c
        if s is None:
            return []
        items: list[_Item] = []
        pol = self.ind.polarity
        if with_target and c.target is not None:
            rel = w.relation(s.value, c.target, self.places)
            items.append(
                _Item(
                    "target",
                    f"our target of {w.target_figure(c.target, self.unit)}",
                    c.target,
                    w.target_figure(c.target, self.unit),
                    rel,
                    w.better(rel, pol),
                    "",
                    "",
                )
            )
        if with_benchmarks:
            for b in c.benchmarks:
                comparator = b.comparator
                if not isinstance(comparator, Comparator):
                    comparator = parse_choice(Comparator, str(comparator)) or comparator
                label = w.COMPARATOR_LABEL.get(comparator, b.name)  # type: ignore[call-overload]
                rel = w.relation(s.value, b.value, self.places)
                shown = self.fig(b.value)
                items.append(
                    _Item(
                        str(getattr(comparator, "value", comparator)),
                        f"{label} ({shown})",
                        b.value,
                        shown,
                        rel,
                        w.better(rel, pol),
                        b.source or "",
                        b.year or "",
                    )
                )
        return items

    def _standing_from(self, items: list[_Item]) -> Clause:
        s = self.subject
        if s is None or not items:
            return EMPTY
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
                        value=s.value,
                        shown=self.fig(s.value),
                        period=s.period.label,
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
            parts.append(f"{lead} {w.join(names)}")
        if len(parts) == 2:
            judged = {g[0].better for g in groups}
            conj = "but" if {True, False} <= judged else "and"
            comma = "," if len(groups[0]) > 1 else ""
            text = f"{parts[0]}{comma} {conj} {parts[1]}"
        else:
            text = w.join(parts)
        if sources and not per_item:
            source, year = next(iter(sources))
            said = _source_text(source, year)
            if said:
                text += f", as recorded in {said}"
        return Clause(text, tuple(facts))

    def _standing(self) -> Clause:
        return self._standing_from(self._items(True, True))

    def _target_standing(self) -> Clause:
        return self._standing_from(self._items(True, False))

    def _benchmark_standing(self) -> Clause:
        return self._standing_from(self._items(False, True))

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
        now: float,
        then: float,
        period: Period,
        when: str,
        monthly: bool,
    ) -> Clause:
        m = w.movement(now, then, self.unit, self.places, self.settings.thresholds)
        good = w.better(m.relation, self.ind.polarity)
        words = _movement_words(m, good, monthly)
        s = self.subject
        assert s is not None
        if monthly:
            text = f"{words} {self.fig(then)} {when}"
        else:
            text = f"{words} {self._then_text(then)} {when}"
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
        s, c = self.subject, self.c
        if s is None or s.is_ytd:
            return EMPTY
        period = s.period.last_year()
        if s.measure is Measure.FLOW and self.ind.measure is Measure.CUMULATIVE:
            then = self.last_year_flow
        else:
            then = c.last_year
        if then is None:
            return EMPTY
        ind = _as(self.ind, s.measure)
        return self._movement(
            "last year", s.value, then, period, w.when_wording(ind, period), False
        )

    def _previous(self) -> Clause:
        s, c = self.subject, self.c
        if s is None or s.is_ytd or c.previous is None or c.previous_period is None:
            return EMPTY
        if s.measure is Measure.FLOW and self.ind.measure is Measure.CUMULATIVE:
            return EMPTY  # the previous period's own count is not among the facts
        if self.clause("run"):
            return EMPTY  # "for the second consecutive month" says it better
        period = c.previous_period
        if period == s.period.last_year():
            return EMPTY  # a year's period before is last year, said already
        monthly = period.kind is PeriodKind.MONTH
        when = w.when_wording(_as(self.ind, s.measure), period)
        return self._movement("previous", s.value, c.previous, period, when, monthly)

    # -- months and runs -----------------------------------------------------------------
    def _month_values(self) -> list[tuple[Any, float | None]]:
        return [(m.month, m.value) for m in self.c.months]

    def _months(self) -> Clause:
        """The months of the period, as a sentence: `The monthly figures were ...`."""
        period = self.c.period
        if period.kind is PeriodKind.MONTH:
            return EMPTY
        chosen = [(m, v) for m, v in self._month_values() if period.contains(m)]
        present = [(m, v) for m, v in chosen if v is not None]
        if not present:
            return EMPTY
        measure = self.ind.measure
        at = "at the end of " if measure is Measure.CUMULATIVE else "in "
        texts = []
        facts = []
        for i, (month, value) in enumerate(present):
            assert value is not None
            with_year = i == len(present) - 1 or month.year != present[-1][0].year
            texts.append(f"{self.fig(value)} {at}{w.month_name(month, with_year)}")
            facts.append(Fact("months", value, self.fig(value), month.iso))
        if measure is Measure.CUMULATIVE:
            lead = "The year to date stood at"
        elif measure is Measure.SNAPSHOT:
            lead = "The month-end figures were"
        else:
            lead = "The monthly figures were"
        text = f"{lead} {w.join(texts)}"
        gaps = [w.month_name(m, m.year != present[-1][0].year) for m, v in chosen if v is None]
        if gaps:
            text += f" (no figure for {w.join(gaps)})"
        return Clause(text, tuple(facts))

    def _streak(self) -> list[tuple[Any, float]]:
        """The months up to the period's month, latest last, stopping at a gap."""
        period = self.c.period
        if period.kind is not PeriodKind.MONTH or self.subject is None or self.subject.is_ytd:
            return []
        values = [(m, v) for m, v in self._month_values() if m <= period.last]
        out: list[tuple[Any, float]] = []
        for month, value in reversed(values):
            if value is None:
                break
            out.append((month, value))
        return out

    def _run(self) -> Clause:
        streak = self._streak()
        if len(streak) < 2 or self.c.value is None:
            return EMPTY
        now = w.shown(self.c.value, self.places)
        n = 0
        for _month, value in streak:
            if w.shown(value, self.places) != now:
                break
            n += 1
        if n < 2:
            return EMPTY
        words = _run_words(streak, n, "for the {nth} consecutive month")
        shown = self.fig(self.c.value)
        fact = Fact(
            "run", self.c.value, shown, self.c.period.label, relation=w.SAME, count=n, words=words
        )
        return Clause(f"{shown} {words}", (fact,))

    def _target_run(self) -> Clause:
        streak = self._streak()
        target = self.c.target
        if len(streak) < 2 or target is None or self.c.value is None:
            return EMPTY
        rel = w.relation(self.c.value, target, self.places)
        n = 0
        for _month, value in streak:
            if w.relation(value, target, self.places) != rel:
                break
            n += 1
        if n < 2:
            return EMPTY
        good = w.better(rel, self.ind.polarity)
        lead = "on" if rel == w.IN_LINE else _lead(rel, good, True)
        words = f"{lead} target " + _run_words(streak, n, "for the {nth} month running")
        fact = Fact(
            "target run",
            self.c.value,
            self.fig(self.c.value),
            self.c.period.label,
            comparator="target",
            other=target,
            other_shown=w.target_figure(target, self.unit),
            relation=rel,
            better=good,
            polarity=self.polarity(),
            words=words,
            count=n,
        )
        return Clause(words, (fact,))

    # -- notes -----------------------------------------------------------------------------
    def _reported(self) -> Clause:
        c = self.c
        if c.basis != "differs" or c.reported is None or c.value is None:
            return EMPTY
        text = (
            f"The months add up to {self.fig(c.value)}, but the workbook reports "
            f"{self.fig(c.reported)} for {c.period.label}"
        )
        fact = Fact(
            "reported",
            c.value,
            self.fig(c.value),
            c.period.label,
            comparator="reported",
            other=c.reported,
            other_shown=self.fig(c.reported),
        )
        return Clause(text, (fact,))

    def _basis(self) -> Clause:
        """Where the figure is the workbook's own, not computed from the months: say so."""
        c, s = self.c, self.subject
        if s is None or s.is_ytd or c.basis != "reported" or c.value is None:
            return EMPTY
        text = f"This is the figure the workbook reports for {c.period.label}"
        if self.ind.measure is Measure.RATIO and c.period.kind is not PeriodKind.MONTH:
            text += "; the months have no numerators and denominators to compute it from"
        fact = Fact("reported", c.value, self.fig(c.value), c.period.label, comparator="reported")
        return Clause(text, (fact,))

    def _parts(self) -> Clause:
        c, s = self.c, self.subject
        if s is None or s.is_ytd or c.numerator is None:
            return EMPTY
        if self.unit is Unit.PERCENT and c.denominator is not None:
            return EMPTY  # already beside the figure
        if self.unit not in (Unit.PERCENT, Unit.RATE):
            return EMPTY
        shown = w.number(c.numerator, 0)
        if self.unit is Unit.RATE:
            text = f"The rate is worked out from a count of {shown}"
        else:
            text = f"The count behind this percentage is {shown}"
        return Clause(text, (Fact("parts", c.numerator, shown),))

    def _caution(self) -> Clause:
        c, s = self.c, self.subject
        limit = self.settings.small_denominator
        if s is None or s.is_ytd or self.unit is not Unit.PERCENT or c.denominator is None:
            return EMPTY
        if not 0 < c.denominator < limit:
            return EMPTY
        n = w.number(c.denominator, 0)
        step = w.points(100 / c.denominator, Unit.PERCENT, 1)
        noun = "case" if n == "1" else "cases"
        text = (
            f"This percentage rests on only {n} {noun}, so each case moves it by {step}; "
            "read it with care"
        )
        fact = Fact("caution", c.denominator, n, c.period.label, other=limit, relation=w.BELOW)
        return Clause(text, (fact,))

    # -- when there is no figure ---------------------------------------------------------------
    def missing(self) -> list[Sentence]:
        """What to say when the period has no figure: why, and the months it does have."""
        c = self.c
        reason = c.reason or "no figure is reported and none can be computed"
        fact = Fact("missing", period=c.period.label, words=reason)
        out = [
            Sentence(
                f"There is no {c.period.label} figure for {w.subject(self.ind.title)} — {reason}.",
                "missing",
                (fact,),
            )
        ]
        months = self.clause("months")
        if months:
            out.append(Sentence(f"{months.text}.", "months", months.facts))
        return out


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


def _run_words(streak: Sequence[tuple[Any, float]], n: int, pattern: str) -> str:
    """`for the third month running`, or `in every month since April 2020` when the run goes
    back to the start of the financial year (the months before are not among the facts)."""
    first = streak[n - 1][0]
    if n == len(streak) and first.month == 4:
        return f"in every month since {w.month_name(first)}"
    return pattern.format(nth=w.ordinal(n))


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
    if relation == w.IN_LINE:
        return "in line with"
    if with_target or good is not None:
        word = relation
    else:  # polarity none: a difference, not a judgement
        word = "higher than" if relation == w.ABOVE else "lower than"
    return f"positively {word}" if good else word


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
    last_year_flow: float | None = None,
) -> Paragraph:
    """One indicator's paragraph: the Performance Summary's (``summary``) or the fuller
    analysis."""
    settings = settings or Settings()
    builder = _Builder(c, settings, last_year_flow)
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
    said = [builder.clause("standing").text, builder.clause("last_year").text]
    said = [s for s in said if s]
    if not said:
        return f"{head}: no target, benchmark or last year's figure to compare it with."
    return f"{head}: " + "; ".join(said) + "."


def paragraphs(
    comparisons: Sequence[Comparison],
    *,
    summary: bool = False,
    settings: Settings | None = None,
    last_year_flows: dict[str, float] | None = None,
) -> list[Paragraph]:
    flows = last_year_flows or {}
    return [
        paragraph(c, summary=summary, settings=settings, last_year_flow=flows.get(c.key))
        for c in comparisons
    ]


__all__ = [
    "Fact",
    "Paragraph",
    "Sentence",
    "Settings",
    "paragraph",
    "paragraphs",
    "verdict",
]
