"""A comparison's cells and relations (`csckpi compare`, `narrate` and `report --publish`).

A :class:`~csckpi.facts.Comparison` shows more than a scorecard row: the financial year's
months and the year before's, the annual trend. :func:`comparisons` checks them all at once
(every comparison's cells in one frame) and gives back the comparisons with each withheld
figure taken out — None, as if the data did not have it — so that every judgement made on
them (``Comparison.facts``, made on first use) is made without it: no sentence, block or
report can state a withheld figure, a change from it, or a difference from which it follows.
The :class:`~csckpi.publish.Publication` says which figures were withheld, for the renderers
to write `c` where they would write the figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

from csckpi.disclosure import THRESHOLD, WITHHELD, Relation, Role, Suppression, Why, suppress
from csckpi.model import Measure, Unit
from csckpi.numbers import Symbol
from csckpi.periods import Month, Period
from csckpi.publish.records import RATE_BASE, Publication

if TYPE_CHECKING:
    from csckpi.facts import Comparison

#: The figures of a comparison, by the attribute that holds them.
FIGURES = (
    "value",
    "numerator",
    "denominator",
    "reported",
    "ytd",
    "flow",
    "last_year",
    "last_year_flow",
    "change",
    "previous",
    "previous_change",
)
_CHANGES = ("change", "previous_change")

Cell = tuple[str, float | None, str, bool]  # cell, value, role, shown
Member = tuple[str, str, bool, str]  # relation, cell, total, kind


def month_name(month: Month) -> str:
    """The figure name of a month's value: `m:2020-10`."""
    return f"m:{month.iso}"


def annual_name(fy: int) -> str:
    """The figure name of a year of the annual trend: `a:2019`."""
    return f"a:{fy}"


class _Builder:
    """One comparison's cells and relations (ids `key|name`)."""

    def __init__(
        self, c: Comparison, parts: Mapping[Month, tuple[float | None, float | None]]
    ) -> None:
        self.c = c
        self.parts = parts
        self.key = c.indicator.key
        self.unit = c.indicator.unit
        self.measure = c.indicator.measure
        self.cells: list[Cell] = []
        self.members: list[Member] = []
        # every month the comparison holds: the history (runs, records), last year, this year
        self.months: dict[Month, float | None] = {
            p.month: p.value for p in (*c.history, *c.last_year_months, *c.months)
        }

    def id(self, name: str) -> str:
        return f"{self.key}|{name}"

    def cell(self, name: str, value: float | None, role: Role, shown: bool = True) -> None:
        self.cells.append((self.id(name), value, role.value, shown))

    def relation(self, name: str, kind: Relation, total: str, parts: Sequence[str]) -> None:
        rid = self.id(f"~{name}")
        self.members.append((rid, self.id(total), True, kind.value))
        self.members += [(rid, self.id(part), False, kind.value) for part in parts]

    def role(self, name: str) -> Role:
        if name in _CHANGES:
            return Role.DERIVED
        if name in ("numerator", "denominator"):
            return Role.COUNT
        return Role.COUNT if self.unit is Unit.COUNT else Role.DERIVED

    def build(self) -> None:
        c = self.c
        for name in FIGURES:
            self.cell(name, getattr(c, name), self.role(name))
        for month, value in self.months.items():
            self.cell(month_name(month), value, self.role("value"))
        for point in c.annual:
            self.cell(annual_name(point.fy), point.value, self.role("value"))
        self._changes()
        self._same()
        self._parts()
        if self.unit is Unit.PERCENT:
            self.relation("percentage", Relation.PERCENTAGE, "value", ("numerator", "denominator"))
            self._rest("", self.c.numerator, self.c.denominator)
            self._month_parts()
        if self.unit is Unit.RATE:
            self._rates()

    def _month_parts(self) -> None:
        """A month's percentage and its counts (never shown): a percentage of a small count
        is withheld."""
        for month, (num, den) in self.parts.items():
            if month not in self.months:
                continue
            for part, value in (("numerator", num), ("denominator", den)):
                self.cell(f"{part}:{month.iso}", value, Role.COUNT, shown=False)
            self.relation(
                f"percentage {month.iso}",
                Relation.PERCENTAGE,
                month_name(month),
                (f"numerator:{month.iso}", f"denominator:{month.iso}"),
            )
            self._rest(f":{month.iso}", num, den)

    def _rest(self, at: str, num: float | None, den: float | None) -> None:
        """The rest of a percentage's denominator, never shown (21 of 22 children visited: 1
        was not), a count like its numerator: a small rest is protected as a small count."""
        rest = None if num is None or den is None else den - num
        self.cell(f"rest{at}", rest, Role.COUNT, shown=False)
        self.relation(
            f"complement{at}",
            Relation.COMPLEMENT,
            f"denominator{at}",
            (f"numerator{at}", f"rest{at}"),
        )

    def _changes(self) -> None:
        c = self.c
        self.relation("change of value", Relation.CHANGE, "change", ("value", "last_year"))
        running = self.measure is Measure.CUMULATIVE and c.flow is not None
        ours = "flow" if running else "value"
        self.relation("change on previous", Relation.CHANGE, "previous_change", (ours, "previous"))

    def _same(self) -> None:
        c = self.c
        if c.basis != "differs" or c.value == c.reported:  # the records give none
            self.relation("reported", Relation.SAME, "reported", ("value",))
        at_end = self.measure in (Measure.SNAPSHOT, Measure.CUMULATIVE)
        for point in c.annual:
            if point.is_ytd:  # the running year to its latest month
                year = [m for m, v in self.months.items() if m.fy == point.fy and v is not None]
                if year and at_end:
                    latest = max(year)
                    self.relation(
                        f"annual {point.fy}",
                        Relation.SAME,
                        annual_name(point.fy),
                        (month_name(latest),),
                    )
                elif year and self.measure is Measure.FLOW:
                    self.relation(
                        f"annual {point.fy}",
                        Relation.PARTS,
                        annual_name(point.fy),
                        [month_name(m) for m in year],
                    )
            elif at_end:
                end = Month(point.fy + 1, 3)
                if end in self.months:
                    self.relation(
                        f"annual {point.fy}",
                        Relation.SAME,
                        annual_name(point.fy),
                        (month_name(end),),
                    )
        if not at_end:
            return
        self.relation("same ytd", Relation.SAME, "ytd", ("value",))
        running = self.measure is Measure.CUMULATIVE and c.flow is not None
        for name, period in (
            ("value", c.period),
            ("last_year", c.last_year_period),
            ("previous", None if running else c.previous_period),
        ):
            last = _last(period)
            if last is not None and last in self.months:
                self.relation(f"{name} end", Relation.SAME, name, (month_name(last),))

    def _sum(self, name: str, total: str, months: list[Month]) -> None:
        if months and all(m in self.months for m in months):
            self.relation(f"sum {name}", Relation.PARTS, total, [month_name(m) for m in months])

    def _parts(self) -> None:
        c = self.c
        if self.measure is Measure.FLOW:
            self._sum("value", "value", c.period.months())
            if c.ytd_period is not None:
                self._sum("ytd", "ytd", c.ytd_period.months())
            if c.last_year_period is not None:
                self._sum("last_year", "last_year", c.last_year_period.months())
            if c.previous_period is not None:
                self._sum("previous", "previous", c.previous_period.months())
            for point in c.annual:
                if not point.is_ytd:
                    self._sum(f"annual {point.fy}", annual_name(point.fy), _year(point.fy))
        elif self.measure is Measure.CUMULATIVE and self.unit is Unit.COUNT:
            # A running total: each month's own count is the difference of two totals.
            for month, total in self.months.items():
                before = month - 1
                if month.date.month == 4:
                    self.cell(f"flow:{month.iso}", total, Role.COUNT, shown=False)
                    self.relation(
                        f"flow {month.iso}",
                        Relation.SAME,
                        month_name(month),
                        (f"flow:{month.iso}",),
                    )
                elif before in self.months:
                    earlier = self.months[before]
                    own = None if total is None or earlier is None else total - earlier
                    self.cell(f"flow:{month.iso}", own, Role.COUNT, shown=False)
                    self.relation(
                        f"flow {month.iso}",
                        Relation.PARTS,
                        month_name(month),
                        (month_name(before), f"flow:{month.iso}"),
                    )
            flows = [f"flow:{m.iso}" for m in c.period.months()]
            if c.flow is not None and all(m in self.months for m in c.period.months()):
                self.relation("flow", Relation.PARTS, "flow", flows)

    def _rates(self) -> None:
        """A rate's count is the rate times the population (published): each rate shown is
        checked through the count it stands for."""
        c = self.c
        pop = c.population
        self.cell("population", pop, Role.PUBLIC)
        figures: list[tuple[str, float | None]] = [
            (name, getattr(c, name)) for name in ("value", "last_year", "previous", "ytd")
        ]
        figures += [(month_name(m), v) for m, v in self.months.items()]
        figures += [(annual_name(p.fy), p.value) for p in c.annual]
        for name, value in figures:
            count = None if value is None or pop is None else value * pop / RATE_BASE
            if name == "value" and c.numerator is not None:
                count = c.numerator
            self.cell(f"count:{name}", count, Role.COUNT, shown=False)
            self.relation(f"rate {name}", Relation.RATE, name, (f"count:{name}", "population"))


def _last(period: Period | None) -> Month | None:
    """A period's last month, or None (a year to date not yet ended)."""
    from csckpi.errors import PeriodError

    if period is None:
        return None
    try:
        return period.last
    except PeriodError:
        return None


def _year(fy: int) -> list[Month]:
    return [Month(fy, 4) + i for i in range(12)]


def _month_parts(
    months: pl.DataFrame | None,
) -> dict[str, dict[Month, tuple[float | None, float | None]]]:
    """key -> month -> (numerator, denominator), from ``monthly_values``' frame."""
    out: dict[str, dict[Month, tuple[float | None, float | None]]] = {}
    if months is None:
        return out
    found = months.filter(pl.col("numerator").is_not_null() | pl.col("denominator").is_not_null())
    for key, month, num, den in found.select(
        "key", "month", "numerator", "denominator"
    ).iter_rows():
        out.setdefault(key, {})[Month.from_date(month)] = (num, den)
    return out


def _frames(
    found: Sequence[Comparison], months: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    cells: list[Cell] = []
    members: list[Member] = []
    parts = _month_parts(months)
    for c in found:  # gathering each comparison's figures; the rule runs over all at once
        b = _Builder(c, parts.get(c.indicator.key, {}))
        b.build()
        cells += b.cells
        members += b.members
    return (
        pl.DataFrame(
            cells,
            schema={"cell": pl.String, "value": pl.Float64, "role": pl.String, "shown": pl.Boolean},
            orient="row",
        ),
        pl.DataFrame(
            members,
            schema={
                "relation": pl.String,
                "cell": pl.String,
                "total": pl.Boolean,
                "kind": pl.String,
            },
            orient="row",
        ),
    )


def _unchecked(found: Sequence[Comparison]) -> dict[str, int]:
    percent = sum(
        1
        for c in found
        if c.indicator.unit is Unit.PERCENT
        and c.value is not None
        and (c.numerator is None or c.denominator is None)
    )
    return (
        {"a percentage the workbook gives without its numerator and denominator": percent}
        if percent
        else {}
    )


def comparisons(
    found: Sequence[Comparison], threshold: int = THRESHOLD, months: pl.DataFrame | None = None
) -> tuple[list[Comparison], Publication]:
    """The comparisons as a published output may show them, and what was withheld.
    ``months``: each month's numerator and denominator (``compute.monthly_values``: key,
    month, numerator, denominator), so that a month's percentage of a small count is
    withheld too."""
    cells, relations = _frames(found, months)
    decided = suppress(cells, relations, threshold)
    withheld: dict[str, set[str]] = {}
    for cell in decided.cells():
        key, name = cell.split("|", 1)
        withheld.setdefault(key, set()).add(name)
    # A running total is compared with the period before by its flow: without the flow,
    # neither the period before nor the change is shown (it would be set against the total).
    extra = []
    for c in found:
        names = withheld.get(c.indicator.key, set())
        if "flow" in names and c.indicator.measure is Measure.CUMULATIVE:
            for name in ("previous", "previous_change"):
                if name not in names and getattr(c, name) is not None:
                    names.add(name)
                    extra.append((f"{c.indicator.key}|{name}", Why.DERIVED.value))
    marks_frame = decided.marks
    if extra:
        more = pl.DataFrame(extra, schema=["cell", "why"], orient="row").with_columns(
            kind=pl.lit(Relation.CHANGE.value), shown=pl.lit(True)
        )
        marks_frame = pl.concat([marks_frame, more.select(marks_frame.columns)])
    decided = Suppression(decided.threshold, marks_frame, _unchecked(found))
    marks = {
        key: {name: Symbol.SUPPRESSED for name in sorted(names)} for key, names in withheld.items()
    }
    shown = [_without(c, withheld.get(c.indicator.key, set())) for c in found]
    return shown, Publication(marks, decided.note(), decided)


def _without(c: Comparison, names: set[str]) -> Comparison:
    """``c`` with the figures ``names`` taken out (None), and its statistical process control
    too where any figure goes (its mean and limits are worked out from the months)."""
    # a month's numerator and denominator are never shown: nothing said reads them (a count
    # of them, a quarter worked out from them), whatever else is withheld
    history = tuple(_points(c.history, names))
    if not names:
        return dataclasses.replace(c, history=history)
    changes: dict[str, object] = {name: None for name in FIGURES if name in names}
    if "value" in names:
        changes["reason"] = WITHHELD
    changes["months"] = tuple(_points(c.months, names))
    changes["last_year_months"] = tuple(_points(c.last_year_months, names))
    changes["history"] = history
    changes["annual"] = tuple(
        p._replace(value=None) if annual_name(p.fy) in names else p for p in c.annual
    )
    changes["spc"] = None
    changes["withheld"] = frozenset(names)
    return dataclasses.replace(c, **changes)  # type: ignore[arg-type]


def _points(points: Sequence, names: set[str]) -> Iterator:  # type: ignore[type-arg]
    for p in points:
        p = p._replace(numerator=None, denominator=None)
        yield p._replace(value=None, workbook=None) if month_name(p.month) in names else p


class Publisher:
    """Takes the figures a published output withholds out of comparisons (a ``prepare`` for
    :func:`csckpi.narrate.narrate` and ``summarise``); after it is called, :attr:`publication`
    says what it withheld."""

    def __init__(self, threshold: int, months: pl.DataFrame | None = None) -> None:
        self.threshold = threshold
        self.months = months
        self.publication: Publication | None = None

    def __call__(self, found: list[Comparison]) -> list[Comparison]:
        shown, self.publication = comparisons(found, self.threshold, self.months)
        return shown
