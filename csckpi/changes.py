"""What is new in the store between two ingests: `csckpi changes`, the first thing an analyst
reads after `csckpi ingest`.

The store keeps every value every figure has had with the ingest that brought it
(:meth:`csckpi.store.Store.figures`), so the store as it stood after any ingest can be folded
back (:func:`state`). :func:`changes` compares two such states: past figures revised (old ->
new, with the cell), months added, other figures added, benchmarks updated, and on the
scorecard (each state's latest month, :func:`csckpi.compute.compute`) every RAG that changed,
every indicator that crossed its target and every new red. No I/O here: the command reads the
store and ``csckpi.render.changes`` writes the result.

Each state is computed with the store's current catalogue and Context sheet (the definitions
and populations as the latest ingest gives them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from csckpi.errors import CsckpiError, StoreError
from csckpi.periods import Month
from csckpi.store.figures import IDENTITY, KIND_ORDER, dataset_of, latest
from csckpi.store.records import Change, benchmark_label, cell_location, figure_names

if TYPE_CHECKING:
    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.store import IngestRow, Store

#: Figure kinds reported as "benchmarks updated" rather than as revised figures.
BENCHMARK_KINDS = ("benchmark", "standing")


class ChangesError(CsckpiError):
    """`--since` / `--between` names no ingest the store holds (exit 2: a usage mistake)."""

    exit_code = 2


@dataclass(frozen=True)
class Span:
    """The two states compared: the store after ingest ``since`` (0: before any ingest) and
    after ingest ``until``, and the ingests between (``since`` excluded)."""

    since: int
    until: int
    ingests: tuple[IngestRow, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "since": self.since,
            "until": self.until,
            "ingests": [
                {"id": i["id"], "file": i["file"], "ingested_at": i["ingested_at"]}
                for i in self.ingests
            ],
        }


def _number(value: float | None, counted: bool) -> float | int | None:
    """A count's whole value as an integer (as every command's JSON writes a count)."""
    if counted and value is not None and float(value).is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class Update:
    """A figure added (``old`` is None) or revised between the two states."""

    kind: str
    code: str
    period: str
    part: str
    figure: str
    old: float | None
    new: float
    source: str | None
    sheet: str | None
    cell: str | None
    ingest_id: int
    counted: bool = False  # it counts things: JSON writes a whole value as an integer

    @property
    def location(self) -> str:
        return cell_location(self.sheet, self.cell)

    @property
    def label(self) -> str:
        """How a summary names the figure (`CSC 038 Oct-20 value`; as ingest names it)."""
        if self.kind in BENCHMARK_KINDS:
            return benchmark_label(self.code, self.part, self.kind, self.period)
        old = 0.0 if self.old is None else self.old
        change = Change(
            self.kind, self.code, self.period, self.part, self.figure, old, self.new, None, None
        )
        return change.label

    def as_dict(self) -> dict[str, object]:
        return figure_names(self) | {
            "old": _number(self.old, self.counted),
            "new": _number(self.new, self.counted),
            "source": self.source,
            "location": self.location,
            "ingest_id": self.ingest_id,
        }


@dataclass(frozen=True)
class MonthAdded:
    """A month the later state holds and the earlier did not: how many indicators have it."""

    month: str  # `2021-01`
    indicators: int
    figures: int

    @property
    def label(self) -> str:
        year, month = self.month.split("-")
        return Month(int(year), int(month)).short

    def as_dict(self) -> dict[str, object]:
        return {"month": self.month, "indicators": self.indicators, "figures": self.figures}


@dataclass(frozen=True)
class RagChange:
    """An indicator whose RAG on the scorecard differs between the two states (each state's
    latest month), with the values and target it was judged on."""

    code: str
    title: str
    unit: str
    decimals: int
    before_period: str | None  # `Dec-20`
    after_period: str | None
    before_value: float | None
    after_value: float | None
    before_target: float | None
    after_target: float | None
    before: str | None  # green | amber | red | None (not judged)
    after: str | None

    @property
    def crossed(self) -> str | None:
        """`met` or `missed` when the indicator crossed its target (green is met), else None."""
        if self.before is None or self.after is None:
            return None
        if (self.before == "green") == (self.after == "green"):
            return None
        return "met" if self.after == "green" else "missed"

    @property
    def new_red(self) -> bool:
        return self.after == "red" and self.before != "red"

    def as_dict(self) -> dict[str, object]:
        counted = self.unit == "count"
        return {
            "code": self.code,
            "title": self.title,
            "before": {
                "period": self.before_period,
                "value": _number(self.before_value, counted),
                "target": _number(self.before_target, counted),
                "rag": self.before,
            },
            "after": {
                "period": self.after_period,
                "value": _number(self.after_value, counted),
                "target": _number(self.after_target, counted),
                "rag": self.after,
            },
            "crossed": self.crossed,
            "new_red": self.new_red,
        }


@dataclass(frozen=True)
class Changes:
    """Everything new between two states of the store (see the module's docstring)."""

    span: Span
    revised: tuple[Update, ...]  # past figures whose value changed (not benchmarks)
    months: tuple[MonthAdded, ...]
    added: tuple[Update, ...]  # figures added outside the new months (not benchmarks)
    benchmarks: tuple[Update, ...]  # benchmark and standing figures added or revised
    rag: tuple[RagChange, ...]
    #: The analyst's commentary written between the two states (removals included).
    commentary: tuple[Comment, ...] = field(default=())

    @property
    def crossed(self) -> tuple[RagChange, ...]:
        return tuple(r for r in self.rag if r.crossed is not None)

    @property
    def new_reds(self) -> tuple[RagChange, ...]:
        return tuple(r for r in self.rag if r.new_red)

    @property
    def empty(self) -> bool:
        return not (
            self.revised
            or self.months
            or self.added
            or self.benchmarks
            or self.rag
            or self.commentary
        )

    def as_dict(self) -> dict[str, object]:
        return {
            **self.span.as_dict(),
            "revised": [u.as_dict() for u in self.revised],
            "months_added": [m.as_dict() for m in self.months],
            "added": [u.as_dict() for u in self.added],
            "benchmarks": [u.as_dict() for u in self.benchmarks],
            "rag": [r.as_dict() for r in self.rag],
            "crossed_target": [r.code for r in self.crossed],
            "new_reds": [r.code for r in self.new_reds],
            "commentary": [c.as_dict() for c in self.commentary],
        }


# -- which two states ----------------------------------------------------------------------------


def span(
    ingests: Sequence[IngestRow], *, since: str | None = None, between: Sequence[str] = ()
) -> Span:
    """The states to compare. Default: before and after the latest ingest. ``since``: an
    ingest number (the store after it) or a date `2021-01-31` (the store before that day).
    ``between``: two ingest numbers or dates (a date: the store at the end of that day)."""
    if not ingests:
        raise StoreError(
            "The store holds no ingest yet.", "Load a workbook first: csckpi ingest WORKBOOK."
        )
    last = ingests[-1]["id"]
    if between:
        first, second = (_at(ingests, text, end_of_day=True) for text in between)
        if first > second:
            first, second = second, first
    elif since is not None:
        first, second = _at(ingests, since, end_of_day=False), last
    else:
        first = ingests[-2]["id"] if len(ingests) > 1 else 0
        second = last
    inside = tuple(i for i in ingests if first < i["id"] <= second)
    return Span(first, second, inside)


def _at(ingests: Sequence[IngestRow], text: str, *, end_of_day: bool) -> int:
    """The ingest a user's ``text`` means: its number, or the last ingest before a date
    (on or before it, with ``end_of_day``); 0 for the empty store before the first."""
    ids = [i["id"] for i in ingests]
    word = text.strip()
    if word.isdigit():
        number = int(word)
        if number not in ids and number != 0:
            raise ChangesError(
                f"The store has no ingest {number}.",
                f"Its ingests are numbered {ids[0]} to {ids[-1]} (0: before the first).",
            )
        return number
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise ChangesError(
            f"{text!r} is neither an ingest number nor a date.",
            "Give an ingest number (e.g. 3) or a date as 2021-01-31.",
        ) from None
    before = [
        i["id"]
        for i in ingests
        if (dt.date.fromisoformat(i["ingested_at"][:10]) <= day)
        if end_of_day or dt.date.fromisoformat(i["ingested_at"][:10]) < day
    ]
    return before[-1] if before else 0


def commentary_between(store: Store, when: Span) -> tuple[Comment, ...]:
    """The commentary written between the two states: what the ingests after ``since``
    brought and what was typed since (``Store.comments(since=)``), up to ingest ``until``."""
    found = store.comments(since=when.since)
    return tuple(c for c in found if c.ingest_id is None or c.ingest_id <= when.until)


# -- what changed ------------------------------------------------------------------------------


def state(figures: pl.DataFrame, ingest_id: int) -> pl.DataFrame:
    """Every figure's value as the store held it after ingest ``ingest_id`` (``Store.figures()``
    rows folded, each with the ingest that brought its value)."""
    upto = figures.filter(pl.col("ingest_id") <= ingest_id).sort("ingest_id")
    return upto.unique(list(IDENTITY), keep="last", maintain_order=True)


def changes(
    figures: pl.DataFrame,
    current: Dataset,
    when: Span,
    commentary: Sequence[Comment] = (),
) -> Changes:
    """What changed between the two states of ``when``: ``figures`` is ``Store.figures()``,
    ``current`` is ``Store.load()`` (its catalogue and Context sheet are used for both
    states), ``commentary`` what the store says was added between them."""
    before, after = state(figures, when.since), state(figures, when.until)
    identity = list(IDENTITY)
    counts = [i.key for i in current.indicators if i.unit.value == "count"]
    counted = (pl.col("kind") != "benchmark") & (
        pl.col("key").is_in(counts) | pl.col("part").is_in(["numerator", "denominator"])
    )
    after = after.with_columns(counted=counted)
    joined = after.join(
        before.select(*identity, old=pl.col("value"), old_source=pl.col("source")),
        on=identity,
        how="left",
    )
    revised = joined.filter(
        pl.col("old").is_not_null()
        & ((pl.col("old") != pl.col("value")) | pl.col("old_source").ne_missing(pl.col("source")))
    )
    added = joined.filter(pl.col("old").is_null())
    is_monthly, is_benchmark = pl.col("kind") == "monthly", pl.col("kind").is_in(BENCHMARK_KINDS)
    held = before.filter(is_monthly).get_column("period").unique()
    new_month = is_monthly & ~pl.col("period").is_in(held.implode())
    months = (
        added.filter(new_month)
        .group_by("period")
        .agg(indicators=pl.col("key").n_unique(), figures=pl.len())
        .sort("period")
    )
    return Changes(
        span=when,
        revised=_updates(revised.filter(~is_benchmark)),
        months=tuple(MonthAdded(*row) for row in months.iter_rows()),
        added=_updates(added.filter(~is_benchmark & ~new_month)),
        benchmarks=_updates(pl.concat([revised, added]).filter(is_benchmark)),
        # From an empty store every RAG would be "new": nothing to compare with, so none.
        rag=() if when.since == 0 else _rag_changes(before, after, current),
        commentary=tuple(commentary),
    )


def _updates(frame: pl.DataFrame) -> tuple[Update, ...]:
    order = pl.col("kind").replace_strict(KIND_ORDER, default=9, return_dtype=pl.Int8())
    rows = frame.sort(order, "key", "period", "part", "figure").select(
        "kind",
        "code",
        "period",
        "part",
        "figure",
        "old",
        "value",
        "source",
        "sheet",
        "cell",
        "ingest_id",
        "counted",
    )
    return tuple(Update(*row) for row in rows.iter_rows())


_SCORE = ("key", "code", "title", "order", "unit", "decimals", "period", "value", "target", "rag")


def _scorecard(figures: pl.DataFrame, current: Dataset) -> pl.DataFrame:
    """The scorecard of a state's latest month (no rows for a state with no month)."""
    from csckpi.compute import compute, latest_month, resolve_period

    dataset = dataset_of(latest(figures), current.indicators, current.context, current.source)
    month = latest_month(dataset)
    if month is None:
        return pl.DataFrame(schema={c: pl.String() for c in _SCORE})
    frame = compute(dataset, resolve_period(dataset, month.iso))
    return frame.select(_SCORE).cast({c: pl.String() for c in ("rag", "period")})


def _rag_changes(
    before: pl.DataFrame, after: pl.DataFrame, current: Dataset
) -> tuple[RagChange, ...]:
    then, now = _scorecard(before, current), _scorecard(after, current)
    keep = ["key", "period", "value", "target", "rag"]
    joined = now.join(
        then.select(keep).rename({c: f"before_{c}" for c in keep if c != "key"}),
        on="key",
        how="left",
    ).filter(pl.col("rag").ne_missing(pl.col("before_rag")))
    rows = joined.sort("order").select(
        "code",
        "title",
        "unit",
        pl.col("decimals").cast(pl.Int64()),
        "before_period",
        "period",
        pl.col("before_value").cast(pl.Float64()),
        pl.col("value").cast(pl.Float64()),
        pl.col("before_target").cast(pl.Float64()),
        pl.col("target").cast(pl.Float64()),
        "before_rag",
        "rag",
    )
    return tuple(RagChange(*row) for row in rows.iter_rows())
