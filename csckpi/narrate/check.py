"""Every sentence checked against the data before it is printed.

The checker does not trust the clauses: for each :class:`Fact` a sentence states it goes back
to the :class:`~csckpi.facts.Comparison` (the figures compute gave) and re-derives

- the **number**: the fact's figure is one of the comparison's (the period's, its year to
  date, last year's, the period before's, a month's, the target, a benchmark), written as
  ``csckpi.numbers`` writes it, and that writing is in the sentence;
- the **relation**: above / below / in line, or increase / decrease / same, and better or worse
  through the polarity, judged again (:func:`csckpi.judgement.judge`) on the two figures;
- the **period label**: the fact's period is the comparison's period, its year to date, or a
  month of its series; last year's and the period before's are the comparison's;
- the **run length**: months in a row at the same figure or on the same side of the target,
  moves in a row the same way, months beaten by a record, counted again from the months.

A disagreement is a :class:`Disagreement` naming the sentence; :func:`refuse` raises
:class:`SentenceRefused` (exit 1) when there is one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.errors import CsckpiError
from csckpi.judgement import judge, rag_of
from csckpi.model import Measure, Relation
from csckpi.narrate.words import numbered, ordinal
from csckpi.periods import Month, Period

if TYPE_CHECKING:
    from csckpi.facts import Comparison
    from csckpi.narrate.messages import KeyMessage
    from csckpi.narrate.records import Fact, Paragraph, Sentence

#: A movement's relation as a standing's.
_MOVED = {"increase": Relation.ABOVE, "decrease": Relation.BELOW, "same": Relation.IN_LINE}
#: Facts whose period is the comparison's own (its period, year to date, last year's or the
#: period before's); a rank's or a benchmark's is the data year of what it was compared with.
_OWN_PERIOD = (
    *("figure", "ytd", "target", "benchmark", "last year", "previous", "run", "target run"),
    "quarter run",
    *("parts", "reported", "caution", "missing", "pace"),
)
#: Facts whose figure is the period's own (or the figure standing in for it).
_OURS = (
    *("figure", "ytd", "target", "benchmark", "last year", "previous", "run", "target run"),
    "quarter run",
)


@dataclass(frozen=True)
class Disagreement:
    code: str
    sentence: str
    problem: str

    def __str__(self) -> str:
        return f'{self.code}: "{self.sentence}" — {self.problem}'


class SentenceRefused(CsckpiError):
    """A sentence states something the data do not say; it is not printed."""


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _months(c: Comparison) -> dict[str, float]:
    points = (*c.history, *c.last_year_months, *c.months)
    return {p.month.iso: p.value for p in points if p.value is not None}


def _labels(c: Comparison) -> set[str]:
    out = {c.period.label}
    for period in (c.ytd_period, c.last_year_period, c.previous_period):
        if period is not None:
            out.add(period.label)
    with contextlib.suppress(CsckpiError):  # a period with no year to date
        out.add(c.period.ytd().label)
    return out


def _ours(c: Comparison) -> list[float]:
    return [v for v in (c.value, c.flow, c.ytd) if v is not None]


class _Checker:
    def __init__(self, c: Comparison) -> None:
        self.c = c
        self.ind = c.indicator
        self.months = _months(c)
        self.labels = _labels(c)

    def fig(self, value: float) -> str:
        return numbers.figure(value, self.ind.unit, self.ind.places)

    def problems(self, sentence: Sentence) -> Iterable[str]:
        for fact in sentence.facts:
            yield from self.fact(fact, sentence.text)

    def fact(self, f: Fact, text: str) -> Iterable[str]:
        c = self.c
        # the period
        known = f.period in self.labels or f.period in self.months
        if f.period is not None and not known and f.kind in _OWN_PERIOD:
            yield f"{f.kind}: the period {f.period} is not {c.period.label}'s"
        # the number, as the sentence writes it
        if f.kind in _OURS and f.value is not None:
            before = (
                c.previous if c.previous_period and f.period == c.previous_period.label else None
            )
            if not any(_close(f.value, v) for v in (*_ours(c), before)):
                yield f"{f.kind}: {f.value} is none of the period's figures"
        if f.kind == "months" and not _close(self.months.get(f.period or ""), f.value):
            yield f"months: {f.value} is not the figure for {f.period}"
        plain = f.kind not in ("parts", "caution")
        if plain and f.shown is not None and f.value is not None and f.shown != self.fig(f.value):
            yield f"{f.kind}: {f.value} is written {self.fig(f.value)}, not {f.shown}"
        said = f.other_shown if f.comparator == "reported" else f.shown  # the workbook's
        if f.kind in ("figure", "ytd", "months", "run") and said and said not in text:
            yield f"{f.kind}: {said} is not in the sentence"
        compared = f.kind in ("benchmark", "last year", "previous")
        if compared and f.other_shown and f.other_shown not in text:
            yield f"{f.kind}: {f.other_shown} is not in the sentence"
        if f.words and f.kind not in ("months",) and f.words not in text:
            yield f"{f.kind}: '{f.words}' is not in the sentence"
        yield from self.other(f)
        yield from self.relation(f)
        yield from self.count(f)
        if f.kind == "rank":
            yield from self.rank(f, text)
        if f.kind == "spc":
            yield from self.spc(f)
        if f.kind == "pace":
            yield from self.pace(f, text)
        if f.kind == "rag":
            yield from self.rag(f)
        if f.kind == "quarter run":
            yield from self.quarters(f)
        if f.kind == "count change":
            yield from self.count_change(f)
        if f.kind == "parts change":
            yield from self.parts_change(f)
        if f.kind == "target note" and (c.target_as_set is None or f.other != c.target_as_set):
            yield f"target note: {f.other} is not the workbook's target ({c.target_as_set})"
        if f.kind == "target note" and c.target is not None and c.value is not None:
            yield "target note: the figure is compared with a target"
        if f.kind == "same figure" and f.shown not in {self.fig(v) for v in _ours(c)}:
            yield f"same figure: {f.shown} is not this paragraph's figure"

    def rag(self, f: Fact) -> Iterable[str]:
        """The period's RAG is compute's; the period before's is judged again from its figure,
        the period's target and tolerance (``judgement.rag_of``), where that target is its."""
        c, before = self.c, self.c.previous_period
        if before is None or f.period != before.label or f.period == c.period.label:
            if c.rag is None or f.relation != c.rag.value:
                yield f"rag: {f.relation} is not the period's RAG ({c.rag})"
            return
        if c.target_year is not None and before.fy != c.period.fy:
            yield f"rag: {before.label} is judged by another year's target"
        ind = self.ind
        found = rag_of(c.previous, c.target, c.tolerance, ind.polarity, ind.places)
        if found is None or f.relation != found.value:
            yield f"rag: {f.relation} is not {before.label}'s RAG ({found})"

    def _quarter(self, end: Month) -> float | None:
        """The quarter ending ``end`` worked out again from its months: a position's last
        month; a flow's three months added up; a ratio's parts added up, as a percentage."""
        points = {p.month: p for p in (self.c.history or self.c.months)}
        if self.ind.measure is Measure.SNAPSHOT:
            return points[end].value if end in points else None
        months = [points.get(end - k) for k in (0, 1, 2)]
        if any(p is None for p in months):
            return None
        if self.ind.measure is Measure.FLOW:
            values = [p.value for p in months if p is not None and p.value is not None]
            return sum(values) if len(values) == 3 else None
        tops = [p.numerator for p in months if p is not None and p.numerator is not None]
        bottoms = [p.denominator for p in months if p is not None and p.denominator is not None]
        if len(tops) != 3 or len(bottoms) != 3 or not sum(bottoms):
            return None
        return 100 * sum(tops) / sum(bottoms)

    def quarters(self, f: Fact) -> Iterable[str]:
        """Quarters in a row on the same side of the target, counted again from each quarter's
        months (a position's quarter is its last month; a flow's and a ratio's their sum);
        the period's own quarter is the period's figure."""
        c = self.c
        if f.other is None or f.count is None:
            yield "quarter run: no target or count"
            return
        end, counted, broken = c.period.last, 0, False
        own = self._quarter(end)
        if own is None or not _close(
            numbers.shown(own, self.ind.places), numbers.shown(c.value, self.ind.places)
        ):
            yield f"quarter run: {c.period.label}'s figure is not its months' ({own})"
            return
        side = judge(own, f.other, self.ind.polarity, self.ind.places)
        while (figure := self._quarter(end)) is not None:
            judged = judge(figure, f.other, self.ind.polarity, self.ind.places)
            if judged.relation is not side.relation:
                broken = True
                break
            counted, end = counted + 1, end - 3
        if counted < f.count:
            yield f"quarter run: {f.count} quarters said, {counted} counted"
        # said as so many in a row, but the quarter before it has no figure (or its year is
        # judged by its own target, which this one's is not): no break is seen
        if f.other_period is None and not broken:
            yield (
                f"quarter run: said as {f.count} in a row, but no break is seen before "
                "it: say since when"
            )
        if f.other_period is not None:
            first = c.period.last - 3 * f.count + 1
            start = Period.of_quarter(first.fy, first.quarter).label
            if f.other_period != start:
                yield f"quarter run: said since {f.other_period}, but it starts at {start}"
            if c.target_year is None and counted != f.count and not broken:
                yield f"quarter run: {f.count} quarters said since {start}, {counted} counted"

    def count_change(self, f: Fact) -> Iterable[str]:
        """A change said as a count: the two figures are the period's and one it is compared
        with, and the count is their difference as shown, the right way."""
        c, places = self.c, self.ind.places
        if f.value is None or f.other is None or f.count is None:
            yield "count change: no figures"
            return
        if not any(_close(f.value, v) for v in _ours(c)):
            yield f"count change: {f.value} is none of the period's figures"
        theirs = (c.last_year, c.last_year_flow, c.previous)
        if not any(_close(f.other, v) for v in theirs):
            yield f"count change: {f.other} is neither last year's figure nor the period before's"
        change = (numbers.shown(f.value, places) or 0) - (numbers.shown(f.other, places) or 0)
        if f.count != abs(round(change)):
            yield f"count change: {f.count} said, {abs(round(change))} worked out"
        way = "increase" if change > 0 else "decrease"
        if f.relation != way:
            yield f"count change: said {f.relation}, but it is an {way}"

    def parts_change(self, f: Fact) -> Iterable[str]:
        """A percentage's numerator changed by a count: each numerator is the sum of its
        period's months' numerators (the period's and last year's or the period before's), and
        the count is their difference, the right way."""
        c = self.c
        periods = {p.label: p for p in (c.period, c.last_year_period, c.previous_period) if p}
        counted: list[float] = []
        for label, said in ((f.period, f.value), (f.other_period, f.other)):
            period = periods.get(label or "")
            points = {p.month: p for p in (c.history or c.months)}
            months = [points.get(m) for m in period.months()] if period else []
            tops = [p.numerator for p in months if p is not None and p.numerator is not None]
            if not months or len(tops) != len(months) or not _close(sum(tops), said):
                yield f"parts change: {said} is not the numerator of {label}"
                return
            counted.append(sum(tops))
        change = counted[0] - counted[1]
        if f.count != abs(change):
            yield f"parts change: {f.count} said, {numbers.count(abs(change))} worked out"
        if f.relation != ("increase" if change > 0 else "decrease"):
            yield f"parts change: said {f.relation}, but the numerator went the other way"

    def pace(self, f: Fact, text: str) -> Iterable[str]:
        """The share (or monthly number) needed worked out again from the year to date's parts,
        the target and the months left; the cases still to come as estimated; reachable or not
        through the polarity; and the best the year can end at in the sentence."""
        c, inputs = self.c, self.c.pace_inputs
        last, fy = c.period.last, c.period.fy
        left, done = Month(fy + 1, 3).index - last.index, last.index - Month(fy, 4).index + 1
        if inputs is None or left <= 0:
            yield "pace: the comparison has nothing to pace"
            return
        up = self.ind.polarity.value == "up"
        if inputs.numerator is None or inputs.denominator is None:  # a count
            target, so_far = c.target_as_set, c.ytd
            if target is None or so_far is None:
                yield "pace: no target for the year, or no count so far"
                return
            needed = (target - so_far) / left
            reachable = up or needed >= 0
        else:
            n, d, target = inputs.numerator, inputs.denominator, c.ytd_target
            if target is None:
                yield "pace: no target for the year to date"
                return
            last_year = inputs.rest_last_year
            rest = last_year if last_year is not None and last_year > 0 else d / done * left
            needed = (target / 100 * (d + rest) - n) / rest * 100
            reachable = needed <= 100 if up else needed >= 0
            if f.count != round(rest):
                yield f"pace: about {f.count} still to come said, {round(rest)} worked out"
            if not reachable:
                best = ((n + rest) if up else n) / (d + rest) * 100
                if f"would end at {self.fig(best)}" not in text:
                    yield f"pace: the year would end at {self.fig(best)}, not as said"
        if not _close(f.value, needed):
            yield f"pace: {f.value} needed said, {needed} worked out"
        if f.other is None or not _close(f.other, target):
            yield f"pace: the target {f.other} is not {target}"
        if f.relation != ("reachable" if reachable else "out of reach"):
            yield f"pace: said {f.relation}, but it is {'' if reachable else 'not '}reachable"

    def rank(self, f: Fact, text: str) -> Iterable[str]:
        """The rank, the number of councils, the year and the quartile are the comparison's
        ranking's, and the sentence writes them."""
        r = self.c.ranking
        if r is None:
            yield "rank: the comparison has no ranking"
            return
        if f.period != r.year.label:
            yield f"rank: the year {f.period} is not the ranking's {r.year.label}"
        if r.rank and (f.value != r.rank or f.other != r.of):
            yield f"rank: {f.value} of {f.other} is not {r.rank} of {r.of}"
        if r.rank and f"{numbered(r.rank)} " not in text:
            yield f"rank: {numbered(r.rank)} is not in the sentence"
        if r.rank and f"of {r.of} " not in text:
            yield f"rank: 'of {r.of}' is not in the sentence"
        quartile = ordinal(r.quartile) if r.rank and r.quartile else None
        if f.degree != quartile:
            yield f"rank: quartile {f.degree} is not {quartile}"

    def spc(self, f: Fact) -> Iterable[str]:
        """The average the month is judged by is the chart's; a signal is among the chart's at
        the period's last month, its months in a row and its judgement counted again from the
        months' figures and the polarity; common cause lies within the limits."""
        standing = self.c.facts.spc
        chart = standing.chart if standing is not None else None
        if chart is None:
            yield "spc: the comparison has no control chart"
            return
        limits, last = chart.limits, self.c.period.last
        if f.relation == "no limits":
            if limits is not None:
                yield "spc: there are limits, but the sentence says there are none"
            return
        values = {m: v for m, v in chart.values}
        if limits is None or chart.latest != last or last not in values:
            yield f"spc: no limits at {last}"
            return
        if not _close(f.value, limits.mean):
            yield f"spc: the average {f.value} is not the chart's {limits.mean}"
        now = values[last]
        if f.relation == "common cause":
            if not limits.contains(now):
                yield f"spc: {now} is outside {limits.lower} to {limits.upper}"
            return
        found = [s for s in chart.signals_at(last) if s.kind.value == f.relation]
        if not found:
            yield f"spc: no {f.relation} signal at {last}"
            return
        signal = found[0]
        high = signal.side.value == "high"
        up = self.ind.polarity.value == "up"
        if f.better is not None and self.ind.polarity.value != "none" and f.better != (high == up):
            yield f"spc: judged {f.better}, but a {signal.side.value} signal is not"
        ordered = [values[m] for m in sorted(values) if m <= last]
        counted = 0
        if f.relation == "shift":
            for v in reversed(ordered):
                if not (v > limits.mean if high else v < limits.mean):
                    break
                counted += 1
        elif f.relation == "trend":  # months each higher (lower) than the month before
            for now_v, before in zip(ordered[::-1], ordered[-2::-1], strict=False):
                if not (now_v > before if high else now_v < before):
                    break
                counted += 1
        else:
            counted = len([m for m in signal.months if m <= last])
        if f.count is not None and counted < f.count:
            yield f"spc: {f.count} months said, {counted} counted"

    def other(self, f: Fact) -> Iterable[str]:
        """The figure compared with is the data's."""
        c = self.c
        wanted: Sequence[float | None] = ()
        if f.kind in ("target", "target run", "quarter run"):
            # the period's target, or the year to date's / a running total's own (scaled to
            # their months where the target is set per month, quarter or year)
            wanted = (c.target, c.ytd_target, c.flow_target)
        elif f.kind == "benchmark":
            wanted = tuple(b.value for b in c.benchmarks)
        elif f.kind == "last year":
            wanted = (c.last_year, c.last_year_flow)
            if c.last_year_period and f.other_period not in (None, c.last_year_period.label):
                yield f"last year: {f.other_period} is not {c.last_year_period.label}"
        elif f.kind == "previous":
            wanted = (c.previous,)
            if c.previous_period and f.other_period not in (None, c.previous_period.label):
                yield f"previous: {f.other_period} is not {c.previous_period.label}"
        if wanted and f.other is not None and not any(_close(f.other, v) for v in wanted):
            yield f"{f.kind}: {f.other} is not the data's {f.kind} ({', '.join(map(str, wanted))})"

    def relation(self, f: Fact) -> Iterable[str]:
        """The relation and the judgement, made again on the two figures."""
        if f.value is None or f.other is None or f.relation is None:
            return
        kinds = ("target", "benchmark", "last year", "previous", "target run", "quarter run")
        if f.kind not in kinds:
            return
        judged = judge(f.value, f.other, self.ind.polarity, self.ind.places)
        said = _MOVED.get(f.relation, f.relation)
        if said != judged.relation:
            yield f"{f.kind}: {f.relation}, but {f.value} is {judged.relation} {f.other}"
        if f.better is not None and f.better != judged.better:
            way = "better" if judged.better else "not better"
            yield f"{f.kind}: judged {f.better}, but {f.value} against {f.other} is {way}"

    def count(self, f: Fact) -> Iterable[str]:
        """Run lengths, trends and records counted again from the months."""
        if f.count is None or f.kind not in ("run", "target run", "trend", "record"):
            return
        series = self._series(within_year=f.kind in ("trend", "record"))
        if not series:
            yield f"{f.kind}: no months to count"
            return
        places, polarity = self.ind.places, self.ind.polarity
        counted = 0
        if f.kind == "run":
            now = numbers.shown(series[-1][1], places)
            for _, v in reversed(series):
                if numbers.shown(v, places) != now:
                    break
                counted += 1
        elif f.kind == "target run":
            assert f.other is not None
            side = judge(series[-1][1], f.other, polarity, places).relation
            for _, v in reversed(series):
                if judge(v, f.other, polarity, places).relation is not side:
                    break
                counted += 1
        elif f.kind == "trend":
            way = _MOVED.get(f.relation or "")
            for (_, now), (_, before) in zip(series[::-1], series[-2::-1], strict=False):
                if judge(now, before, polarity, places).relation is not way:
                    break
                counted += 1
        else:
            way = Relation(f.relation) if f.relation else None
            last = series[-1][1]
            known = [(m, v) for m, v in self._all() if m < series[-1][0]]
            for _, v in reversed(known):
                if judge(last, v, polarity, places).relation is not way:
                    break
                counted += 1
        exact = f.kind in ("run", "target run", "trend")
        if counted < f.count or (exact and counted > f.count):
            yield f"{f.kind}: {f.count} months said, {counted} counted"
        if exact:
            yield from self._since(f, [m for m, _ in series], counted)

    def _since(self, f: Fact, months: Sequence[Month], counted: int) -> Iterable[str]:
        """A run or trend said from its first month (`in every month since April 2020`)
        starts there; one said as so many in a row (`for the third month running`) has a break
        seen before it, not the first month held or a gap, before which it may go on."""
        moves = 1 if f.kind == "trend" else 0  # a trend's months are one more than its moves
        held = len(months) - moves  # how many it could count, back to the first month held
        start = months[-counted - moves].iso if 0 < counted <= held else None
        if f.other_period is not None and f.other_period != start:
            yield f"{f.kind}: said since {f.other_period}, but it starts at {start}"
        if f.other_period is None and counted >= held:
            yield (
                f"{f.kind}: said as {f.count} in a row, but it goes back to the first month "
                f"held ({months[0].iso}): say since when"
            )

    def _points(self, within_year: bool) -> list[tuple[Month, float | None]]:
        """The months to the period's end: across years, but a year to date's from April
        (``within_year``: for a trend or a record, which compare the months' figures)."""
        c = self.c
        yearly = within_year and self.ind.measure is Measure.CUMULATIVE
        start = Month(c.period.fy, 4) if yearly else None
        return [
            (p.month, p.value)
            for p in (c.history or c.months)
            if p.month <= c.period.last and (start is None or p.month >= start)
        ]

    def _all(self) -> list[tuple[Month, float]]:
        """Every month with a figure to the period's end, earliest first (a record's)."""
        return [(m, v) for m, v in self._points(True) if v is not None]

    def _series(self, within_year: bool) -> list[tuple[Month, float]]:
        """The months to the period's end without a gap, earliest first."""
        out: list[tuple[Month, float]] = []
        for month, value in reversed(self._points(within_year)):
            if value is None:
                break
            out.append((month, value))
        return out[::-1]


def disagreements(paragraph: Paragraph, c: Comparison) -> list[Disagreement]:
    """What the paragraph's sentences state that the comparison's data do not say."""
    return Checks(c).disagreements(paragraph)


class Checks:
    """One comparison's checker for several paragraphs of it (a report's summary and
    analysis): a sentence said in both is checked once."""

    def __init__(self, c: Comparison) -> None:
        self._checker = _Checker(c)
        # by its words and its facts (the same records when both paragraphs built the clause
        # once): hashing the facts' fields cost more than checking them again
        self._found: dict[tuple[object, ...], list[str]] = {}
        self._kept: list[Sentence] = []  # the facts of a key stay alive, so its ids stay theirs

    def disagreements(self, paragraph: Paragraph) -> list[Disagreement]:
        """What the paragraph's sentences state that the comparison's data do not say."""
        out = []
        for s in paragraph.sentences:
            key = (s.text, *map(id, s.facts))
            problems = self._found.get(key)
            if problems is None:
                problems = self._found[key] = list(self._checker.problems(s))
                self._kept.append(s)
            out += [Disagreement(paragraph.code, s.text, problem) for problem in problems]
        return out


def message_disagreements(message: KeyMessage, c: Comparison) -> list[Disagreement]:
    """What a key message states that the comparison's data do not say."""
    from csckpi.narrate.records import Sentence

    said = Sentence(message.text, "key message", message.facts)
    return [Disagreement(message.code, said.text, p) for p in _Checker(c).problems(said)]


def refuse(found: Sequence[Disagreement]) -> None:
    """Raise :class:`SentenceRefused` naming every sentence that disagrees with the data."""
    if not found:
        return
    listed = "\n".join(f"  {d}" for d in found)
    raise SentenceRefused(
        f"{len(found)} statement{'s' if len(found) != 1 else ''} disagree with the data, so "
        f"nothing is printed:\n{listed}",
        "This is a fault in csckpi: please report it with the workbook.",
    )
