"""Records + definitions -> monthly figures, the problems found, and what was left out.

    records = read_records(path, definitions.needs())
    derived = derive(records, definitions, as_at=date(2021, 1, 15))
    derived.figures      # key, code, month, part, value, list, sheet, rows: counts only
    derived.problems     # each bad cell or row, with its Sheet!Cell
    derived.exclusions   # "12 assessments without a ... left out of CSC 038", per measure

For each target: the list's rows are checked (duplicates, blanks, dates after the extract, dates
in the wrong order: :mod:`csckpi.records.checks`); the rows a measure cannot use are left out
and counted with the reason; the rest are placed in months (by an event date, or at each
month's end while open, or at the extract date), filtered by ``where``, counted (``numerator``
for a percentage), and turned into the parts the store keeps: ``value``, ``numerator``,
``denominator``. Months with no rows are zeros, not gaps. ``rows`` says how many list rows each
figure was counted from. Nothing in the figures identifies a child.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from csckpi.model import Context, Indicator, Problem, Unit
from csckpi.records import checks
from csckpi.records.definitions import Definition, Definitions, Target
from csckpi.records.expr import MONTH_END
from csckpi.records.lists import BY_NUMBER
from csckpi.records.query import blank_reason, collect_all, count_all, placing
from csckpi.records.read import ListData, Records
from csckpi.records.workdays import bank_holidays

#: Months derived by default: Annex A's lists cover the six months before the inspection.
DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class Exclusion:
    """Rows of a list a measure could not use, and why (counted, never silently dropped)."""

    code: str
    list: int
    reason: str  # words after the list's noun: "without a child unique ID"
    rows: int

    @property
    def message(self) -> str:
        return f"{BY_NUMBER[self.list].rows(self.rows)} {self.reason} left out of {self.code}"


@dataclass(frozen=True)
class Skipped:
    """A target that could not be derived at all (its list or a column is missing)."""

    code: str
    reason: str


@dataclass(frozen=True)
class Derived:
    figures: pl.DataFrame  # key, code, month, part, value, list, sheet, rows (+ the `by` fields)
    problems: tuple[Problem, ...]
    exclusions: tuple[Exclusion, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    months: tuple[dt.date, ...]
    as_at: dt.date
    source: str
    sha256: str
    indicators: tuple[Indicator, ...]  # one per target, for a catalogue that lacks them


@dataclass(frozen=True)
class Window:
    """The months derived and the date each is counted at."""

    as_at: dt.date
    months: tuple[dt.date, ...]
    holidays: tuple[dt.date, ...]

    @property
    def since(self) -> dt.date:
        return self.months[0]

    @cached_property
    def months_frame(self) -> pl.DataFrame:
        """_month, _month_end (its last day, or the extract date in the extract's month)."""
        ends = [min(month_end(m), self.as_at) for m in self.months]
        return pl.DataFrame(
            {"_month": self.months, MONTH_END: ends},
            schema={"_month": pl.Date, MONTH_END: pl.Date},
        )

    @cached_property
    def last_frame(self) -> pl.DataFrame:
        """The extract's month alone, as :attr:`months_frame`."""
        return self.months_frame.tail(1)


def default_since(as_at: dt.date, months: int = DEFAULT_MONTHS) -> dt.date:
    """The first whole month of the ``months`` before the extract date (31/12/2020 -> July
    2020; 15/01/2021 -> August 2020)."""
    year, month = divmod(as_at.year * 12 + as_at.month - 1 - months, 12)
    day = min(as_at.day, calendar.monthrange(year, month + 1)[1])
    if day == 1:
        return dt.date(year, month + 1, 1)
    year, month = divmod(year * 12 + month + 1, 12)
    return dt.date(year, month + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_range(since: dt.date, as_at: dt.date) -> tuple[dt.date, ...]:
    first = since.year * 12 + since.month - 1
    last = as_at.year * 12 + as_at.month - 1
    return tuple(dt.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1))


def make_window(records: Records, as_at: dt.date, since: dt.date | None = None) -> Window:
    since = (since or default_since(as_at)).replace(day=1)
    if since > as_at:
        raise ValueError(f"since ({since}) is after the extract date ({as_at})")
    first_year = since.year - 3
    for data in records.lists.values():
        for name, dtype in data.frame.schema.items():
            if dtype == pl.Date and not name.startswith("_"):
                earliest = data.frame.get_column(name).min()
                if isinstance(earliest, dt.date) and earliest.year > 1950:
                    first_year = min(first_year, earliest.year)
    return Window(as_at, month_range(since, as_at), bank_holidays(first_year, as_at.year + 1))


def derive(
    records: Records,
    definitions: Definitions,
    *,
    as_at: dt.date,
    since: dt.date | None = None,
    population: Context | None = None,
    by: Sequence[str] = (),
    targets: Iterable[Target] | None = None,
) -> Derived:
    """Every target's monthly figures from ``since`` (default: the six whole months before
    ``as_at``) to the extract date's month; ``by`` adds a breakdown (``("team",)``)."""
    window = make_window(records, as_at, since)
    chosen = tuple(definitions.targets if targets is None else targets)
    problems = list(records.problems)
    checked: dict[int, pl.DataFrame] = {}
    for number in sorted({t.definition.list for t in chosen}):
        data = records.get(number)
        if data is not None:
            checked[number], found = checks.check_list(data, as_at)
            problems.extend(found)
    exclusions: list[Exclusion] = []
    skipped: list[Skipped] = []
    notes: list[str] = []
    derived: list[Target] = []
    for target in chosen:
        missing = _missing(records, records.get(target.definition.list), target.definition, by)
        if missing:
            skipped.append(Skipped(target.code, missing))
        else:
            derived.append(target)
    figures = _empty(list(by))
    if derived:
        sheets = {n: data.sheet for n, data in records.lists.items()}
        counting = count_all(checked, sheets, derived, window, population, by)
        figures, left_out, gaps, before = collect_all(counting.queries)
        reasons: dict[int, list[tuple[str, int]]] = {}
        for chain, why, count in left_out.iter_rows():
            reasons.setdefault(chain, []).append((why, count))
        blanks: dict[int, list[tuple[int, int]]] = {}
        for n, field, count in gaps.iter_rows():
            blanks.setdefault(n, []).append((field, count))
        early = {int(n): int(count) for n, count in before.row(0, named=True).items()}
        for target in derived:
            d = target.definition
            n = counting.count[d]
            exclusions.extend(
                Exclusion(target.code, d.list, why, count)
                for why, count in reasons.get(counting.chain[d], ())
            )
            exclusions.extend(
                Exclusion(target.code, d.list, blank_reason(d, field), count)
                for field, count in blanks.get(n, ())
            )
            if early.get(n):
                notes.append(
                    f"{target.code}: {d.annex.rows(early[n])} dated before "
                    f"{window.since:%B %Y} are outside the months derived"
                )
            if target.ytd:
                notes.extend(_year_to_date(target, window))
            if d.unit is Unit.RATE:
                notes.extend(_no_population(target, window, population))
    return Derived(
        figures=figures,
        problems=tuple(sorted(problems)),
        exclusions=tuple(exclusions),
        skipped=tuple(skipped),
        notes=tuple(notes),
        months=window.months,
        as_at=as_at,
        source=records.source,
        sha256=records.sha256,
        indicators=tuple(t.indicator(i) for i, t in enumerate(chosen)),
    )


def _no_population(target: Target, window: Window, population: Context | None) -> list[str]:
    """A rate per 10,000 without the 0-17 population of a year derived: only its count is
    stored for those months, and compute has no rate to show, so the ingest says so."""
    years = sorted({m.year - (m.month < 4) for m in window.months})
    lacking = [y for y in years if population is None or population.population_for(y) is None]
    if not lacking:
        return []
    said = ", ".join(f"{y}/{(y + 1) % 100:02d}" for y in lacking)
    return [
        f"{target.code}: a rate per 10,000 children needs the 0-17 population of {said} (the "
        "workbook's Context sheet), which the store has not got: only the counts are stored, "
        "and compute shows no rate (ingest the workbook, then the extract again)"
    ]


def _missing(records: Records, data: ListData | None, d: Definition, by: Sequence[str]) -> str:
    annex = d.annex
    if data is None:
        where = records.sheets.get(annex.number)
        if where:
            return f"{annex.title} ('{where}') could not be read (see its problems)"
        return f"the extract has no {annex.title} ({annex.name})"
    for field_id in sorted(d.fields() | set(by)):
        field = annex.field(field_id)
        if field is None:
            return f"{annex.title} has no field '{field_id}'"
        if field_id not in data.columns:
            return f"{annex.title} ('{data.sheet}') has no column \"{field.heading}\""
        if field_id not in data.frame.columns:
            raise ValueError(f"{field_id} of {annex.title} was not read: pass it to read_records")
    return ""


@dataclass(frozen=True)
class Placed:
    rows: pl.DataFrame
    left_out: tuple[tuple[str, int], ...]
    before: int


def place(data: ListData, frame: pl.DataFrame, d: Definition, window: Window) -> Placed:
    """The rows a measure counts, collected (for the rows behind a figure)."""
    found = placing(frame, d, window)
    rows, left_out, gaps, before = collect_all(
        [found.rows, found.left_out, found.gaps, found.before]
    )
    reasons = [*left_out.iter_rows(), *((blank_reason(d, g), n) for g, n in gaps.iter_rows())]
    return Placed(rows, tuple((str(why), int(n)) for why, n in reasons), int(before.item()))


def _year_to_date(target: Target, window: Window) -> list[str]:
    """Why the months of a year to date before its first April are not derived."""
    partial = [m for m in window.months if dt.date(m.year - (m.month < 4), 4, 1) < window.since]
    if not partial:
        return []
    april = dt.date(partial[0].year - (partial[0].month < 4), 4, 1)
    return [
        f"{target.code} is a year to date: it needs every month from April; the months derived "
        f"start in {window.since:%B %Y}, so {partial[0]:%B %Y} to {partial[-1]:%B %Y} are not "
        f"derived (--since {april:%b-%y} derives them, if the extract goes back that far)"
    ]


def _empty(by: list[str]) -> pl.DataFrame:
    schema = {
        "key": pl.String,
        "code": pl.String,
        "month": pl.Date,
        "part": pl.String,
        "value": pl.Float64,
        "list": pl.Int64,
        "sheet": pl.String,
        "rows": pl.Int64,
        **{field: pl.String for field in by},
    }
    return pl.DataFrame(schema=schema)
