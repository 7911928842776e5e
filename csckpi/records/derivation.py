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

import polars as pl

from csckpi.model import Context, Indicator, Problem, Unit
from csckpi.records import checks
from csckpi.records.definitions import Definition, Definitions, Target, field_kinds
from csckpi.records.expr import MONTH_END, Scope, add_windows, compile_expression, names, parse
from csckpi.records.lists import BY_NUMBER
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

    def frame(self, extract_only: bool = False) -> pl.DataFrame:
        """month, _month_end (its last day, or the extract date in the extract's month)."""
        months = self.months[-1:] if extract_only else self.months
        return pl.DataFrame({"_month": list(months)}, schema={"_month": pl.Date}).with_columns(
            pl.min_horizontal(pl.col("_month").dt.month_end(), pl.lit(self.as_at)).alias(MONTH_END)
        )


def collect_all(queries: list[pl.LazyFrame]) -> list[pl.DataFrame]:
    """Run a measure's queries together on polars' in-memory engine: on lists of tens of
    thousands of rows the streaming engine (polars 2's default) costs a fifth more CPU."""
    return pl.collect_all(queries, engine="in-memory")


def default_since(as_at: dt.date, months: int = DEFAULT_MONTHS) -> dt.date:
    """The first whole month of the ``months`` before the extract date (31/12/2020 -> July
    2020; 15/01/2021 -> August 2020)."""
    year, month = divmod(as_at.year * 12 + as_at.month - 1 - months, 12)
    day = min(as_at.day, calendar.monthrange(year, month + 1)[1])
    if day == 1:
        return dt.date(year, month + 1, 1)
    year, month = divmod(year * 12 + month + 1, 12)
    return dt.date(year, month + 1, 1)


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
    frames: list[pl.DataFrame] = []
    exclusions: list[Exclusion] = []
    skipped: list[Skipped] = []
    notes: list[str] = []
    for target in chosen:
        definition = target.definition
        data = records.get(definition.list)
        missing = _missing(records, data, definition, by)
        if missing:
            skipped.append(Skipped(target.code, missing))
            continue
        assert data is not None
        placing = placing_query(checked[definition.list], definition, window)
        query, note = _figures(target, data, placing.rows, window, population, list(by))
        figures, *counts = collect_all([query, placing.left_out, placing.gaps, placing.before])
        left_out, before = _counted(*counts)
        exclusions.extend(
            Exclusion(target.code, definition.list, reason, count) for reason, count in left_out
        )
        if before:
            notes.append(
                f"{target.code}: {definition.annex.rows(before)} dated before "
                f"{window.since:%B %Y} are outside the months derived"
            )
        frames.append(figures)
        if note:
            notes.append(note)
    figures = pl.concat(frames, how="vertical") if frames else _empty(list(by))
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
class Placing:
    """A measure's rows as lazy queries: ``rows`` (each usable row in the month(s) it counts
    in, with `_in`, in the measure, and `_num`, in the numerator), and the counts of the rows
    left out (`_why`, `len`) and of those dated before the first month (`before`). Collected
    together, so the work they share is done once."""

    rows: pl.LazyFrame
    left_out: pl.LazyFrame
    gaps: pl.LazyFrame
    before: pl.LazyFrame


@dataclass(frozen=True)
class Placed:
    rows: pl.DataFrame
    left_out: tuple[tuple[str, int], ...]
    before: int


def place(data: ListData, frame: pl.DataFrame, d: Definition, window: Window) -> Placed:
    """The rows a measure counts, collected (for the rows behind a figure)."""
    placing = placing_query(frame, d, window)
    rows, *counts = collect_all([placing.rows, placing.left_out, placing.gaps, placing.before])
    left_out, before = _counted(*counts)
    return Placed(rows, left_out, before)


def _counted(
    left_out: pl.DataFrame, gaps: pl.DataFrame, before: pl.DataFrame
) -> tuple[tuple[tuple[str, int], ...], int]:
    reasons = [*left_out.iter_rows(), *gaps.iter_rows()]
    return tuple((str(why), int(n)) for why, n in reasons), int(before.item())


def placing_query(frame: pl.DataFrame, d: Definition, window: Window) -> Placing:
    annex = d.annex
    kinds = {k: v for k, v in field_kinds(annex).items() if k in frame.columns}
    scope = Scope(kinds, window.holidays, window.as_at, annex.identifier)
    where = _raw(d.where, scope)
    numerator = _raw(d.numerator, scope)
    used = set(d.fields())
    rules = checks.reasons(annex, frame, used)
    for field_id in d.placing[:1]:
        label = annex.field(field_id).label  # type: ignore[union-attr]
        rules.append((pl.col(field_id).is_null(), f"without {checks.article(label)}"))
    why = pl.lit(None, dtype=pl.String)
    for flag, reason in reversed(rules):
        why = pl.when(flag).then(pl.lit(reason)).otherwise(why)
    base = frame.lazy().with_columns(_why=why)
    left_out = base.filter(pl.col("_why").is_not_null()).group_by("_why", maintain_order=True).len()
    valid = add_windows(base.filter(pl.col("_why").is_null()).drop("_why"), scope)
    placed, before = _months(valid, d, window)
    placed = placed.with_columns(
        _w=where if where is not None else pl.lit(True),
        _num=numerator if numerator is not None else pl.lit(True),
    )
    unknown = pl.col("_w").is_null() | (pl.col("_w") & pl.col("_num").is_null())
    gaps = (
        placed.filter(unknown)
        .select("_row", _why=_blank_reason(d, list(kinds)))
        .unique(["_row", "_why"], maintain_order=True)
        .group_by("_why", maintain_order=True)
        .len()
    )
    rows = placed.filter(~unknown.fill_null(True)).with_columns(
        pl.col("_w").fill_null(False).alias("_in"), pl.col("_num").fill_null(False)
    )
    return Placing(rows.drop("_w"), left_out, gaps, before)


def _raw(text: str, scope: Scope) -> pl.Expr | None:
    """The expression with blanks kept (null = "cannot tell"), not yet false."""
    return compile_expression(text, scope, keep_blanks=True) if text else None


def _blank_reason(d: Definition, columns: list[str]) -> pl.Expr:
    """Why a row's where/numerator is blank: the first blank field the expressions name."""
    annex = d.annex
    named = names(parse(d.where)) if d.where else set()
    named |= names(parse(d.numerator)) if d.numerator else set()
    reason = pl.lit("with a blank the measure needs")
    for field in reversed(annex.fields):
        if field.id in named and field.id in columns:
            reason = (
                pl.when(pl.col(field.id).is_null())
                .then(pl.lit(f"with a blank {field.label}"))
                .otherwise(reason)
            )
    return reason


def _months(
    valid: pl.LazyFrame, d: Definition, window: Window
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Each row in the month(s) it counts in (`_month`, `_month_end`), and how many rows are
    dated before the first month."""
    if d.date:
        placed = valid.with_columns(_month=pl.col(d.date).dt.truncate("1mo"))
        before = placed.select((pl.col("_month") < window.since).sum().alias("before"))
        placed = placed.filter(pl.col("_month") >= window.since).with_columns(
            pl.min_horizontal(pl.col("_month").dt.month_end(), pl.lit(window.as_at)).alias(
                MONTH_END
            )
        )
        return placed, before
    placed = valid.join(window.frame(extract_only=d.at_extract).lazy(), how="cross")
    if d.open:
        start, end = d.open
        placed = placed.filter(
            (pl.col(start) <= pl.col(MONTH_END))
            & (pl.col(end).is_null() | (pl.col(end) > pl.col(MONTH_END)))
        )
    return placed, pl.LazyFrame({"before": [0]})


def _figures(
    target: Target,
    data: ListData,
    rows: pl.LazyFrame,
    window: Window,
    population: Context | None,
    by: list[str],
) -> tuple[pl.LazyFrame, str]:
    d = target.definition
    keys = ["_month", *by]
    if d.count == "children":
        ident = pl.col(d.annex.identifier)
        aggregates = [
            ident.filter(pl.col("_in")).n_unique().alias("_den"),
            ident.filter(pl.col("_in") & pl.col("_num")).n_unique().alias("_nu"),
        ]
    else:
        aggregates = [
            pl.col("_in").sum().alias("_den"),
            (pl.col("_in") & pl.col("_num")).sum().alias("_nu"),
        ]
    counts = rows.group_by(keys).agg(aggregates)
    months = list(window.months[-1:] if d.at_extract else window.months)
    grid = pl.LazyFrame({"_month": months}, schema={"_month": pl.Date})
    if by:
        grid = grid.join(rows.filter(pl.col("_in")).select(by).unique(), how="cross")
    counts = grid.join(counts, on=keys, how="left").with_columns(
        pl.col("_den").fill_null(0).cast(pl.Int64), pl.col("_nu").fill_null(0).cast(pl.Int64)
    )
    note = ""
    if target.ytd:
        counts, note = _year_to_date(counts, target, window, by)
    return _parts(counts, target, data, months, population, by), note


def _fy(month: pl.Expr) -> pl.Expr:
    return month.dt.year() - (month.dt.month() < 4).cast(pl.Int32)


def _year_to_date(
    counts: pl.LazyFrame, target: Target, window: Window, by: list[str]
) -> tuple[pl.LazyFrame, str]:
    counts = counts.with_columns(_fy=_fy(pl.col("_month"))).sort("_month")
    counts = counts.with_columns(
        pl.col("_den").cum_sum().over(["_fy", *by]),
        pl.col("_nu").cum_sum().over(["_fy", *by]),
    )
    partial = [m for m in window.months if dt.date(m.year - (m.month < 4), 4, 1) < window.since]
    note = ""
    if partial:
        note = (
            f"{target.code} is a year to date: it needs every month from April; the extract "
            f"starts in {window.since:%B %Y}, so {partial[0]:%B %Y} to {partial[-1]:%B %Y} are "
            "not derived"
        )
    april = pl.date(pl.col("_fy"), 4, 1)
    return counts.filter(april >= window.since).drop("_fy"), note


def _parts(
    counts: pl.LazyFrame,
    target: Target,
    data: ListData,
    months: list[dt.date],
    population: Context | None,
    by: list[str],
) -> pl.LazyFrame:
    d = target.definition
    counted = pl.col("_den").cast(pl.Float64)
    if d.unit is Unit.PERCENT:
        parts = {
            "numerator": pl.col("_nu").cast(pl.Float64),
            "denominator": counted,
            "value": pl.when(pl.col("_den") > 0).then(pl.col("_nu") * 100.0 / pl.col("_den")),
        }
    elif d.unit is Unit.RATE:
        fys = sorted({m.year - (m.month < 4) for m in months})
        people = [population.population_for(fy) if population else None for fy in fys]
        pop = pl.LazyFrame(
            {"_fy": fys, "_pop": people}, schema={"_fy": pl.Int32, "_pop": pl.Float64}
        )
        counts = counts.with_columns(_fy=_fy(pl.col("_month"))).join(pop, on="_fy", how="left")
        parts = {
            "numerator": counted,
            "value": pl.when(pl.col("_pop") > 0).then(counted / pl.col("_pop") * 10_000.0),
        }
    else:
        parts = {"value": counted}
    wide = counts.select("_month", *by, pl.col("_den").alias("rows"), **parts)
    long = wide.unpivot(
        index=["_month", *by, "rows"], on=list(parts), variable_name="part", value_name="_v"
    )
    return (
        long.filter(pl.col("_v").is_not_null())
        .select(
            pl.lit(target.key).alias("key"),
            pl.lit(target.code).alias("code"),
            pl.col("_month").alias("month"),
            "part",
            pl.col("_v").cast(pl.Float64).alias("value"),
            pl.lit(d.list, dtype=pl.Int64).alias("list"),
            pl.lit(data.sheet).alias("sheet"),
            pl.col("rows").cast(pl.Int64),
            *by,
        )
        .sort(["month", *by, "part"])
    )


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
