"""The local store: every ingest, every figure and every revision of it, in one SQLite file.

This is the only module that speaks SQL (standard library :mod:`sqlite3`).

What is kept
    ``ingests``     one row per workbook written: file name, SHA-256, layout, time, counts.
    ``indicators``  the catalogue, each definition as of the latest ingest that gave it.
    ``ingest_figures``  the figures each ingest brought, added or revised, as one compressed
                    Arrow frame per ingest (with each figure's sheet and cell): together, every
                    distinct value each figure has had. A figure is identified by
                    (kind, key, period, part, figure): ``kind`` is ``monthly``, ``reported`` or
                    ``benchmark``; for a monthly figure ``period`` is its month (`2020-12`) and
                    ``figure`` is `value`; for a benchmark ``period`` is its year and ``part``
                    its comparator. A figure's current value is the one its latest ingest
                    brought. One frame per ingest rather than one SQL row per figure (store
                    versions up to 3): a first ingest of 87,415 figures is stored in ~0.08 s
                    instead of ~0.5 s, and :meth:`Store.history` filters the frames in polars.
    ``contexts``, ``context_items``, ``context_population``  the Context sheet of each ingest
                    that had one; :meth:`Store.load` uses the latest.
    ``snapshot``    the latest figures as one compressed Arrow frame, written by each ingest
                    in its transaction: :meth:`Store.load` reads it instead of folding every
                    ingest's frame, and the next ingest compares its workbook with it (a polars
                    join), writing only added and revised figures. It is tagged with its ingest:
                    a stale or missing snapshot is never used (the ingests' frames are folded).

Safety
    * An ingest validates first (the reader's problems), then writes everything in one
      ``BEGIN IMMEDIATE`` transaction, or nothing. A failed ingest never touches the file;
      an ingest that fails on a store that did not exist leaves no file behind.
    * The default rollback journal (not WAL) is used, so a process killed mid-ingest leaves a
      hot journal that the next opener rolls back: the previous figures, intact.
    * A second writer waits (``busy_timeout``) and is told so through ``on_wait``.
    * ``PRAGMA user_version`` holds the schema version: a newer store is refused, an older
      one migrated in a transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from csckpi.catalogue import find_indicator
from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.errors import StoreError
from csckpi.model import (
    Context,
    Indicator,
    Measure,
    Polarity,
    Problem,
    Severity,
    Unit,
    normalise_code,
)
from csckpi.periods import Month, Period, PeriodKind, parse_period

if TYPE_CHECKING:
    from collections.abc import Iterable

SCHEMA_VERSION = 4

#: How long a writer waits for another one before giving up (seconds).
LOCK_TIMEOUT = 60.0

#: Test-only hook: when this environment variable names a file, an ingest creates that file
#: once everything is written inside its transaction, then sleeps before committing, so a
#: test can kill the process mid-transaction (or start a second ingest that has to wait).
#: Never set it outside tests.
PAUSE_HOOK = "CSCKPI_TEST_PAUSE_IN_TRANSACTION"

_IDENTITY = ("kind", "key", "period", "part", "figure")
_KIND_ORDER = {"monthly": 0, "reported": 1, "benchmark": 2}


class Outcome(StrEnum):
    WRITTEN = "written"  # the ingest was stored
    DRY_RUN = "dry-run"  # validated and compared; nothing written
    ALREADY = "already"  # the same file (SHA-256) was ingested before; nothing changed
    REFUSED = "refused"  # the workbook has errors (or warnings under --strict); nothing written


class ReadResultLike(Protocol):
    """What :meth:`Store.ingest` needs from ``csckpi.workbook.read``'s result."""

    @property
    def dataset(self) -> Dataset | None: ...
    @property
    def problems(self) -> tuple[Problem, ...]: ...
    @property
    def sha256(self) -> str: ...
    @property
    def layout(self) -> str: ...


@dataclass(frozen=True)
class Change:
    """A figure whose value this ingest revises: what the store held and what it holds now."""

    kind: str
    code: str
    period: str
    part: str
    figure: str
    old: float
    new: float
    sheet: str | None
    cell: str | None

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet or ""

    @property
    def label(self) -> str:
        """`CSC 038 Oct-20 value`, `CSC 036 2017/18 reported`, `CSC 038 england benchmark 2019/20`
        (how the summary names a revised figure)."""
        if self.kind == "monthly":
            year, month = self.period.split("-")
            return f"{self.code} {Month(int(year), int(month)).short} {self.part}"
        if self.kind == "benchmark":
            return " ".join(w for w in (self.code, self.part, "benchmark", self.period) if w)
        extra = (w for w in (self.part, self.figure) if w != "value")
        return " ".join((self.code, self.period, "reported", *extra))

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "period": self.period,
            "part": self.part,
            "figure": self.figure,
            "old": self.old,
            "new": self.new,
            "location": self.location,
        }


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest did (or, for a dry run or a refusal, would have done)."""

    outcome: Outcome
    file: str
    store: str
    sha256: str
    ingest_id: int | None = None  # the new ingest, or the earlier one for ALREADY
    ingested_at: str | None = None  # ISO time, UTC; the earlier one for ALREADY
    indicators: int = 0
    months: int = 0
    first_month: str | None = None  # `2017-04`
    last_month: str | None = None
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    kept: int = 0  # figures in the store that this workbook no longer has: kept, not deleted
    errors: int = 0  # counting warnings when strict
    warnings: int = 0
    strict: bool = False
    changes: tuple[Change, ...] = ()  # every revised figure, old and new value

    @property
    def written(self) -> bool:
        return self.outcome is Outcome.WRITTEN

    @property
    def ok(self) -> bool:
        return self.outcome is not Outcome.REFUSED

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "file": self.file,
            "store": self.store,
            "sha256": self.sha256,
            "ingest_id": self.ingest_id,
            "ingested_at": self.ingested_at,
            "indicators": self.indicators,
            "months": self.months,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "added": self.added,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class Revision:
    """One value a figure has had, and the ingest that brought it."""

    kind: str  # monthly | reported | benchmark
    key: str
    code: str
    period: str  # `2020-10`, `2019/20`, `Q3 2020/21`; a benchmark's year
    part: str  # value | numerator | denominator; a benchmark's comparator
    figure: str  # value | flow
    value: float
    source: str | None
    sheet: str | None
    cell: str | None
    ingest_id: int
    file: str
    ingested_at: str
    current: bool

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    @property
    def period_label(self) -> str:
        """`Oct-20` for a month, else the period as stored."""
        if self.kind == "monthly":
            year, month = self.period.split("-")
            return Month(int(year), int(month)).short
        return self.period

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "period": self.period,
            "part": self.part,
            "figure": self.figure,
            "value": self.value,
            "source": self.source,
            "location": self.location,
            "ingest_id": self.ingest_id,
            "file": self.file,
            "ingested_at": self.ingested_at,
            "current": self.current,
        }


# -- schema --------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE ingests (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    layout      TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL,
    indicators  INTEGER NOT NULL DEFAULT 0,
    months      INTEGER NOT NULL DEFAULT 0,
    added       INTEGER NOT NULL DEFAULT 0,
    revised     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    kept        INTEGER NOT NULL DEFAULT 0,
    warnings    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ingests_sha256 ON ingests (sha256);

CREATE TABLE indicators (
    key        TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    title      TEXT NOT NULL,
    section    TEXT NOT NULL,
    unit       TEXT NOT NULL,
    polarity   TEXT NOT NULL,
    measure    TEXT NOT NULL,
    target     REAL,
    tolerance  REAL,
    definition TEXT NOT NULL DEFAULT '',
    phrase     TEXT NOT NULL DEFAULT '',
    decimals   INTEGER,
    ord        INTEGER NOT NULL DEFAULT 0,
    ingest_id  INTEGER NOT NULL REFERENCES ingests (id),
    pattern    TEXT NOT NULL DEFAULT ''
);
"""

_CONTEXT_SCHEMA = """
CREATE TABLE contexts (
    ingest_id INTEGER PRIMARY KEY REFERENCES ingests (id),
    council   TEXT
);
CREATE TABLE context_items (
    ingest_id INTEGER NOT NULL REFERENCES ingests (id),
    ord       INTEGER NOT NULL,
    key       TEXT NOT NULL,
    year      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (ingest_id, ord)
);
CREATE TABLE context_population (
    ingest_id  INTEGER NOT NULL REFERENCES ingests (id),
    fy         INTEGER NOT NULL,
    population REAL NOT NULL,
    PRIMARY KEY (ingest_id, fy)
);
"""

_INGEST_FIGURES_SCHEMA = """
CREATE TABLE ingest_figures (
    ingest_id INTEGER PRIMARY KEY REFERENCES ingests (id),
    rows      INTEGER NOT NULL,
    figures   BLOB NOT NULL
);
"""

_SNAPSHOT_SCHEMA = """
CREATE TABLE snapshot (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    ingest_id INTEGER NOT NULL REFERENCES ingests (id),
    figures   BLOB NOT NULL
);
"""


def _migrate_0_to_1(con: sqlite3.Connection) -> None:
    """Version 0 (the pre-release store) had no layout column and kept no Context sheet."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(ingests)")}
    if "layout" not in columns:
        con.execute("ALTER TABLE ingests ADD COLUMN layout TEXT NOT NULL DEFAULT ''")
    for statement in _statements(_CONTEXT_SCHEMA):
        con.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def _migrate_1_to_2(con: sqlite3.Connection) -> None:
    """Version 2 keeps a snapshot of the latest figures (the next ingest writes it; until then
    :meth:`Store.load` folds the ingests' figures)."""
    for statement in _statements(_SNAPSHOT_SCHEMA):
        con.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def _migrate_2_to_3(con: sqlite3.Connection) -> None:
    """Version 3 keeps each indicator's sentence pattern (the Indicators sheet's optional
    ``pattern`` column; empty until the next ingest gives one)."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    if "pattern" not in columns:
        con.execute("ALTER TABLE indicators ADD COLUMN pattern TEXT NOT NULL DEFAULT ''")


def _migrate_3_to_4(con: sqlite3.Connection) -> None:
    """Version 4 keeps each ingest's figures as one compressed frame instead of one row per
    figure: the ``figures`` table's rows become one frame per ingest (in the order they were
    written), the table is dropped, and the snapshot is rebuilt if it is missing or stale."""
    con.execute(_statements(_INGEST_FIGURES_SCHEMA)[0])
    names = ", ".join(_FRAME_SCHEMA)
    rows = con.execute(f"SELECT ingest_id, {names} FROM figures ORDER BY ingest_id, id").fetchall()
    table = pl.DataFrame(rows, schema={"ingest_id": pl.Int64(), **_FRAME_SCHEMA}, orient="row")
    for (ingest_id,), frame in table.partition_by(
        "ingest_id", as_dict=True, maintain_order=True
    ).items():
        _write_ingest_figures(con, frame.drop("ingest_id"), int(ingest_id))  # type: ignore[call-overload]
    con.execute("DROP TABLE figures")
    latest = con.execute("SELECT max(id) FROM ingests").fetchone()[0]
    if latest is not None and _read_snapshot(con, latest) is None:
        _write_snapshot(con, _current_figures(con), latest)


#: MIGRATIONS[n] brings a store from version n to n + 1, inside the caller's transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


# -- the store -------------------------------------------------------------------------------


class Store:
    """A csckpi store at ``path`` (created by the first successful ingest)."""

    def __init__(self, path: Path | str, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _a_folder(self) -> StoreError:
        return StoreError(
            f"The store {self.path} is a folder, not a file.",
            f"Give the path of a file in it, e.g. --store {self.path / 'csckpi.db'}.",
        )

    # -- connections ------------------------------------------------------------------------
    def _connect(self, path: Path | str) -> sqlite3.Connection:
        if isinstance(path, Path) and not path.parent.is_dir():
            raise StoreError(
                f"Cannot create the store {self.path}: the folder {path.parent} does not exist.",
                "Create it first, or give another --store PATH.",
            )
        try:
            con = sqlite3.connect(
                path, isolation_level=None, timeout=self.lock_timeout, check_same_thread=True
            )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the store {self.path}: {exc}.") from None
        con.execute("PRAGMA temp_store = MEMORY")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to an existing store, checked and migrated to the current version."""
        if not self.path.exists():
            raise StoreError(
                f"There is no store at {self.path}.",
                "Load a workbook first: csckpi ingest WORKBOOK (or give --store PATH).",
            )
        if self.path.is_dir():
            raise self._a_folder()
        con = self._connect(self.path)
        try:
            version = self._check(con)
            if not con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(
                    f"The store {self.path} holds nothing yet.",
                    "Load a workbook first: csckpi ingest WORKBOOK.",
                )
            if version < SCHEMA_VERSION:
                self._begin(con, None)
                try:
                    self._prepare(con)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            yield con
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The store {self.path} cannot be read: {exc}.") from None
        finally:
            con.close()

    def _check(self, con: sqlite3.Connection) -> int:
        """The store's schema version; refuse a newer store and a file that is no store."""
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a csckpi store ({exc}).",
                "Give another path with --store, or move that file away.",
            ) from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The store {self.path} was written by a newer csckpi (store version {version}; "
                f"this csckpi reads versions up to {SCHEMA_VERSION}).",
                "Upgrade csckpi: pip install --upgrade csckpi.",
            )
        has_figures = {"figures", "ingest_figures"} & tables  # versions 0-3, version 4
        if tables and not ({"ingests", "indicators"} <= tables and has_figures):
            raise StoreError(
                f"{self.path} is an SQLite database but not a csckpi store.",
                "Give another path with --store.",
            )
        return int(version)

    def _prepare(self, con: sqlite3.Connection) -> None:
        """Create the schema in an empty database or migrate an older one (in a transaction)."""
        version = self._check(con)
        tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
        if tables[0] == 0:
            schema = _SCHEMA + _INGEST_FIGURES_SCHEMA + _CONTEXT_SCHEMA + _SNAPSHOT_SCHEMA
            for statement in _statements(schema):
                con.execute(statement)
        else:
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](con)
                version += 1
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _begin(self, con: sqlite3.Connection, on_wait: Callable[[], None] | None) -> None:
        """``BEGIN IMMEDIATE``: take the write lock, waiting (and saying so) if it is held."""
        con.execute("PRAGMA busy_timeout = 0")
        try:
            con.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        finally:  # the commit may still wait for readers to finish: never fail it at once
            con.execute(f"PRAGMA busy_timeout = {int(self.lock_timeout * 1000)}")
        if on_wait is not None:
            on_wait()
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"The store {self.path} is still locked by another csckpi after "
                f"{self.lock_timeout:g} s ({exc}).",
                "Wait for the other ingest to finish, then run this one again.",
            ) from None

    # -- ingest -----------------------------------------------------------------------------
    def ingest(
        self,
        result: ReadResultLike,
        *,
        dry_run: bool = False,
        strict: bool = False,
        file: str | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> IngestSummary:
        """Store a read workbook: everything in one transaction, or nothing.

        Errors in ``result`` (and warnings when ``strict``) refuse the ingest before the store
        is opened. ``dry_run`` compares with the store and rolls back. ``on_wait`` is called
        once if another process holds the store and this one has to wait.
        """
        problems = tuple(result.problems)
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        warnings = len(problems) - errors
        if strict:
            errors, warnings = errors + warnings, 0
        dataset = result.dataset
        source = getattr(result, "source", "") or (dataset.source if dataset is not None else "")
        name = file or Path(source).name or "?"
        base = {
            "file": name,
            "store": str(self.path),
            "sha256": result.sha256,
            "errors": errors,
            "warnings": warnings,
            "strict": strict,
        }
        if dataset is None or errors:
            return IngestSummary(Outcome.REFUSED, **base, **_shape(dataset))  # type: ignore[arg-type]

        incoming = incoming_figures(dataset)
        existed = self.path.exists()
        if existed and self.path.is_dir():
            raise self._a_folder()
        target: Path | str = self.path if existed or not dry_run else ":memory:"
        con = self._connect(target)
        try:
            try:
                self._check(con)
                self._begin(con, on_wait)
                summary = self._ingest_in_tx(
                    con, dataset, incoming, result, base, dry_run=dry_run, warnings=warnings
                )
                if summary.outcome is Outcome.WRITTEN:
                    _pause_for_tests()
                    con.execute("COMMIT")
                else:
                    con.execute("ROLLBACK")
                return summary
            except BaseException:
                if con.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        con.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Nothing was written to {self.path}: {exc}.") from None
        finally:
            con.close()
            if not existed and target != ":memory:":
                _remove_if_unused(self.path)

    def _ingest_in_tx(
        self,
        con: sqlite3.Connection,
        dataset: Dataset,
        incoming: pl.DataFrame,
        result: ReadResultLike,
        base: dict[str, Any],
        *,
        dry_run: bool,
        warnings: int,
    ) -> IngestSummary:
        self._prepare(con)
        shape = _shape(dataset)
        earlier = con.execute(
            "SELECT id, ingested_at FROM ingests WHERE sha256 = ? ORDER BY id LIMIT 1",
            (result.sha256,),
        ).fetchone()
        if earlier is not None:
            return IngestSummary(
                Outcome.ALREADY,
                **base,
                **shape,
                ingest_id=earlier[0],
                ingested_at=earlier[1],
                unchanged=incoming.height,
            )
        previous = con.execute("SELECT max(id) FROM ingests").fetchone()[0]
        before = _read_snapshot(con, previous)
        if before is None:  # a migrated store: no snapshot yet
            before = _current_figures(con)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        ingest_id = con.execute(
            "INSERT INTO ingests (file, sha256, layout, ingested_at, warnings) "
            "VALUES (?, ?, ?, ?, ?)",
            (base["file"], result.sha256, result.layout or "", now, warnings),
        ).lastrowid
        assert ingest_id is not None
        counts, after = _write_figures(con, incoming, ingest_id, before)
        if not dry_run:
            _write_snapshot(con, after, ingest_id)
        _write_indicators(con, dataset.indicators, ingest_id)
        _write_context(con, dataset.context, ingest_id)
        con.execute(
            "UPDATE ingests SET indicators = ?, months = ?, added = ?, revised = ?, "
            "unchanged = ?, kept = ? WHERE id = ?",
            (shape["indicators"], shape["months"], *counts[:4], ingest_id),
        )
        return IngestSummary(
            Outcome.DRY_RUN if dry_run else Outcome.WRITTEN,
            **base,
            **shape,
            ingest_id=None if dry_run else ingest_id,
            ingested_at=None if dry_run else now,
            added=counts[0],
            revised=counts[1],
            unchanged=counts[2],
            kept=counts[3],
            changes=counts[4],
        )

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> Dataset:
        """The latest value of every figure, as the same frames the workbook reader gives."""
        with self._reading() as con:
            indicators = _read_indicators(con)
            latest = con.execute("SELECT max(id) FROM ingests").fetchone()[0]
            frame = _read_snapshot(con, latest)
            if frame is None:
                frame = _current_figures(con)
            context = _read_context(con)
        frame = frame.sort(_IDENTITY)
        kind = pl.col("kind")
        monthly = (
            frame.filter(kind == "monthly")
            .with_columns(month=(pl.col("period") + "-01").str.to_date("%Y-%m-%d"))
            .select(list(monthly_schema()))
            .cast(monthly_schema())
        )
        reported = (
            frame.filter(kind == "reported").select(list(reported_schema())).cast(reported_schema())
        )
        benchmarks = (
            frame.filter(kind == "benchmark")
            .with_columns(
                comparator=pl.col("part"),
                year=pl.when(pl.col("period") == "").then(None).otherwise(pl.col("period")),
            )
            .select(list(benchmark_schema()))
            .cast(benchmark_schema())
        )
        return Dataset(
            indicators=indicators,
            monthly=monthly,
            reported=reported,
            benchmarks=benchmarks,
            context=context,
            source=str(self.path),
        )

    def catalogue(self) -> tuple[Indicator, ...]:
        """Every indicator the store knows, in the workbook's order."""
        with self._reading() as con:
            return _read_indicators(con)

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling), or a hint at the nearest."""
        catalogue = self.catalogue()
        return find_indicator(catalogue, code, f"the store {self.path.name}")

    def history(self, key: str, period: str | Period | None = None) -> list[Revision]:
        """Every value each figure of indicator ``key`` has had, oldest ingest first.

        ``period`` narrows it: a month gives that month's figures and any figure reported for
        that month; a quarter or year gives its months and the figures reported for it.
        """
        frame = self.figures(key)
        if period is not None:
            wanted = period if isinstance(period, Period) else parse_period(period)
            months = [m.iso for m in _months_of(wanted)]
            kind, at = pl.col("kind"), pl.col("period")
            frame = frame.filter(
                ((kind == "monthly") & at.is_in(months))
                | ((kind == "reported") & (at == wanted.key))
                | ((kind == "benchmark") & (at == wanted.label))
            )
        parts = {"value": 0, "numerator": 1, "denominator": 2}
        frame = frame.sort(
            pl.col("kind").replace_strict(_KIND_ORDER, return_dtype=pl.Int8()),
            "period",
            pl.col("part").replace_strict(parts, default=3, return_dtype=pl.Int8()),
            "part",
            "figure",
            "ingest_id",
        )
        return [Revision(*row) for row in frame.select(list(_REVISION_SCHEMA)).iter_rows()]

    def figures(self, key: str | None = None) -> pl.DataFrame:
        """Every value every figure has had (only indicator ``key``'s, in any spelling, if
        given): the figure, its value, source, sheet and cell, the ingest that brought it
        (``ingest_id``, ``file``, ``ingested_at``) and whether it is ``current``, oldest
        ingest first."""
        with self._reading() as con:
            frame = _ingests_figures(con, None if key is None else normalise_code(key))
        latest = pl.col("ingest_id").max().over(list(_IDENTITY))
        return frame.with_columns(current=pl.col("ingest_id") == latest).select(
            list(_REVISION_SCHEMA)
        )

    def ingests(self) -> list[dict[str, object]]:
        """Every ingest, oldest first."""
        with self._reading() as con:
            cursor = con.execute(
                "SELECT id, file, sha256, layout, ingested_at, indicators, months, added, "
                "revised, unchanged, kept, warnings FROM ingests ORDER BY id"
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- helpers ---------------------------------------------------------------------------------


def _months_of(period: Period) -> list[Month]:
    if period.kind is PeriodKind.YTD and period.end is None:
        return Period.of_year(period.fy).months()
    return period.months()


def incoming_figures(dataset: Dataset) -> pl.DataFrame:
    """The dataset's figures in the store's shape; blank values are not figures.

    Raises :class:`StoreError` when two cells give the same figure (the reader reports that
    first; this is a guard, so the store's one-current-value rule can never be broken).
    """
    text = pl.String()
    monthly = dataset.monthly.select(
        pl.lit("monthly").alias("kind"),
        "key",
        "code",
        pl.col("month").dt.strftime("%Y-%m").alias("period"),
        "part",
        pl.lit("value").alias("figure"),
        "value",
        pl.lit(None, dtype=text).alias("source"),
        "sheet",
        "cell",
    )
    reported = dataset.reported.select(
        pl.lit("reported").alias("kind"),
        "key",
        "code",
        "period",
        "part",
        "figure",
        "value",
        pl.lit(None, dtype=text).alias("source"),
        "sheet",
        "cell",
    )
    benchmarks = dataset.benchmarks.select(
        pl.lit("benchmark").alias("kind"),
        "key",
        "code",
        pl.col("year").cast(text).fill_null("").alias("period"),
        pl.col("comparator").alias("part"),
        pl.lit("value").alias("figure"),
        "value",
        pl.col("source").cast(text),
        "sheet",
        "cell",
    )
    frames = [
        f.cast({"value": pl.Float64(), "sheet": text, "cell": text})
        for f in (monthly, reported, benchmarks)
    ]
    incoming = (
        pl.concat(frames, how="vertical")
        .with_columns(pl.col("value").fill_nan(None))
        .filter(pl.col("value").is_not_null())
    )
    duplicated = incoming.filter(pl.struct(_IDENTITY).is_duplicated())
    if duplicated.height:
        first = duplicated.sort(*_IDENTITY).head(2).rows(named=True)
        raise StoreError(
            f"{first[0]['sheet']}!{first[0]['cell']} and {first[1]['sheet']}!{first[1]['cell']} "
            f"both give {first[0]['code']} {first[0]['period']} {first[0]['part']}.",
            "Keep one of them in the workbook.",
        )
    return incoming


def _shape(dataset: Dataset | None) -> dict[str, Any]:
    if dataset is None:
        return {}
    months = dataset.monthly.filter(pl.col("value").is_not_null()).get_column("month").unique()
    return {
        "indicators": len(dataset.indicators),
        "months": months.len(),
        "first_month": months.min().strftime("%Y-%m") if months.len() else None,  # type: ignore[union-attr]
        "last_month": months.max().strftime("%Y-%m") if months.len() else None,  # type: ignore[union-attr]
    }


def _write_figures(
    con: sqlite3.Connection, incoming: pl.DataFrame, ingest_id: int, before: pl.DataFrame
) -> tuple[tuple[int, int, int, int, tuple[Change, ...]], pl.DataFrame]:
    """Compare the workbook's figures with the store's latest and write the new and changed.

    ``before`` is every figure's latest value (the snapshot, or read from ``figures``). A figure
    is revised when its value differs; only added and revised figures are written (as one
    frame), so a month's workbook that repeats ten years of figures costs a join, not ten
    years of figures again.
    Returns ((added, revised, unchanged, kept, the revised figures), the figures after).
    """
    identity = list(_IDENTITY)
    joined = incoming.select(list(_FRAME_SCHEMA)).join(
        before.select(*identity, old=pl.col("value")), on=identity, how="left"
    )
    is_new = pl.col("old").is_null()
    is_revised = pl.col("old").is_not_null() & (pl.col("old") != pl.col("value"))
    revised_rows = joined.filter(is_revised)
    changed = joined.filter(is_new | is_revised).drop("old")
    added, revised = joined.filter(is_new).height, revised_rows.height
    unchanged = incoming.height - added - revised
    kept = before.height - revised - unchanged

    _write_ingest_figures(con, changed, ingest_id)
    order = pl.col("kind").replace_strict(_KIND_ORDER, return_dtype=pl.Int8())
    changes = tuple(
        Change(*row)
        for row in revised_rows.sort(order, "key", "period", "part", "figure")
        .select("kind", "code", "period", "part", "figure", "old", "value", "sheet", "cell")
        .iter_rows()
    )
    after = pl.concat(
        [before.join(changed.select(identity), on=identity, how="anti"), changed],
        how="vertical",
    )
    return (added, revised, unchanged, kept, changes), after


#: A figure as the store keeps it (and as the snapshot frame holds it).
_FRAME_SCHEMA = {
    "kind": pl.String(),
    "key": pl.String(),
    "code": pl.String(),
    "period": pl.String(),
    "part": pl.String(),
    "figure": pl.String(),
    "value": pl.Float64(),
    "source": pl.String(),
    "sheet": pl.String(),
    "cell": pl.String(),
}


#: The columns :meth:`Store.figures` adds to a figure: the ingest that brought the value, and
#: whether it is the figure's current value.
_REVISION_SCHEMA = {
    **_FRAME_SCHEMA,
    "ingest_id": pl.Int64(),
    "file": pl.String(),
    "ingested_at": pl.String(),
    "current": pl.Boolean(),
}


def _encode(frame: pl.DataFrame) -> bytes:
    """A frame of figures as compressed Arrow IPC bytes (how the store keeps frames)."""
    buffer = io.BytesIO()
    frame.select(list(_FRAME_SCHEMA)).cast(_FRAME_SCHEMA).write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def _decode(blob: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(blob))


def _write_ingest_figures(con: sqlite3.Connection, frame: pl.DataFrame, ingest_id: int) -> None:
    """Keep ``frame`` (the figures ingest ``ingest_id`` added or revised) as that ingest's."""
    if frame.height:
        con.execute(
            "INSERT INTO ingest_figures (ingest_id, rows, figures) VALUES (?, ?, ?)",
            (ingest_id, frame.height, _encode(frame)),
        )


def _ingests_figures(con: sqlite3.Connection, key: str | None = None) -> pl.DataFrame:
    """Every figure every ingest brought, oldest ingest first (only indicator ``key``'s if
    given), with the ingest's id, file and time."""
    rows = con.execute(
        "SELECT f.ingest_id, i.file, i.ingested_at, f.figures FROM ingest_figures f "
        "JOIN ingests i ON i.id = f.ingest_id ORDER BY f.ingest_id"
    ).fetchall()
    frames = []
    for ingest_id, file, ingested_at, blob in rows:
        frame = _decode(blob)
        if key is not None:
            frame = frame.filter(pl.col("key") == key)
        frames.append(
            frame.with_columns(
                ingest_id=pl.lit(ingest_id, pl.Int64()),
                file=pl.lit(file, pl.String()),
                ingested_at=pl.lit(ingested_at, pl.String()),
            )
        )
    schema = {k: v for k, v in _REVISION_SCHEMA.items() if k != "current"}
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=schema)


def _current_figures(con: sqlite3.Connection) -> pl.DataFrame:
    """Every figure's latest value, folded from every ingest's frame (the source of truth)."""
    return (
        _ingests_figures(con)
        .unique(list(_IDENTITY), keep="last", maintain_order=True)
        .select(list(_FRAME_SCHEMA))
    )


def _read_snapshot(con: sqlite3.Connection, ingest_id: int | None) -> pl.DataFrame | None:
    """The latest figures as one compressed frame, if it was written by ingest ``ingest_id``.

    The snapshot is a cache of :func:`_current_figures` written in the same transaction as the
    ingest's frame; when it is missing or older, callers fold the ingests' frames instead.
    """
    if ingest_id is None:
        return pl.DataFrame(schema=_FRAME_SCHEMA)
    row = con.execute("SELECT ingest_id, figures FROM snapshot WHERE id = 1").fetchone()
    if row is None or row[0] != ingest_id:
        return None
    return _decode(row[1])


def _write_snapshot(con: sqlite3.Connection, figures: pl.DataFrame, ingest_id: int) -> None:
    """Keep ``figures`` (every figure's latest value) as the snapshot of ingest ``ingest_id``."""
    con.execute(
        "INSERT INTO snapshot (id, ingest_id, figures) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET ingest_id = excluded.ingest_id, "
        "figures = excluded.figures",
        (ingest_id, _encode(figures)),
    )


def _write_indicators(
    con: sqlite3.Connection, indicators: Iterable[Indicator], ingest_id: int
) -> None:
    con.executemany(
        "INSERT INTO indicators (key, code, title, section, unit, polarity, measure, target, "
        "tolerance, definition, phrase, decimals, ord, ingest_id, pattern) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET code = excluded.code, title = excluded.title, "
        "section = excluded.section, unit = excluded.unit, polarity = excluded.polarity, "
        "measure = excluded.measure, target = excluded.target, "
        "tolerance = excluded.tolerance, definition = excluded.definition, "
        "phrase = excluded.phrase, decimals = excluded.decimals, ord = excluded.ord, "
        "ingest_id = excluded.ingest_id, pattern = excluded.pattern",
        [
            (
                i.key,
                i.code,
                i.title,
                i.section,
                i.unit.value,
                i.polarity.value,
                i.measure.value,
                i.target,
                i.tolerance,
                i.definition,
                i.phrase,
                i.decimals,
                i.order,
                ingest_id,
                i.pattern,
            )
            for i in indicators
        ],
    )


def _read_indicators(con: sqlite3.Connection) -> tuple[Indicator, ...]:
    rows = con.execute(
        "SELECT code, title, section, unit, polarity, measure, target, tolerance, definition, "
        "phrase, decimals, ord, pattern FROM indicators ORDER BY ord, key"
    ).fetchall()
    return tuple(
        Indicator(
            code=r[0],
            title=r[1],
            section=r[2],
            unit=Unit(r[3]),
            polarity=Polarity(r[4]),
            measure=Measure(r[5]),
            target=r[6],
            tolerance=r[7],
            definition=r[8],
            phrase=r[9],
            decimals=r[10],
            order=r[11],
            pattern=r[12],
        )
        for r in rows
    )


def _write_context(con: sqlite3.Connection, context: Context, ingest_id: int) -> None:
    """Record the workbook's Context sheet; a workbook without one keeps the previous."""
    if context == Context():
        return
    con.execute(
        "INSERT INTO contexts (ingest_id, council) VALUES (?, ?)", (ingest_id, context.council)
    )
    con.executemany(
        "INSERT INTO context_items (ingest_id, ord, key, year, value) VALUES (?, ?, ?, ?, ?)",
        [(ingest_id, n, k, y, v) for n, (k, y, v) in enumerate(context.items)],
    )
    con.executemany(
        "INSERT INTO context_population (ingest_id, fy, population) VALUES (?, ?, ?)",
        [(ingest_id, fy, p) for fy, p in context.population],
    )


def _read_context(con: sqlite3.Connection) -> Context:
    row = con.execute("SELECT ingest_id, council FROM contexts ORDER BY ingest_id DESC").fetchone()
    if row is None:
        return Context()
    ingest_id, council = row
    items = con.execute(
        "SELECT key, year, value FROM context_items WHERE ingest_id = ? ORDER BY ord",
        (ingest_id,),
    ).fetchall()
    population = con.execute(
        "SELECT fy, population FROM context_population WHERE ingest_id = ? ORDER BY rowid",
        (ingest_id,),
    ).fetchall()
    return Context(
        council=council,
        population=tuple((int(fy), float(p)) for fy, p in population),
        items=tuple((str(k), str(y), str(v)) for k, y, v in items),
    )


def _remove_if_unused(path: Path) -> None:
    """Remove a store file this process created when nothing was ever committed to it.

    SQLite writes nothing to the main file before a commit (a rolled-back spill is truncated
    away), so an empty file means no ingest ever succeeded. It is removed only while this
    process can take the lock itself, so another csckpi that is writing it is left alone.
    """
    try:
        if path.stat().st_size != 0:
            return
    except FileNotFoundError:
        return
    try:
        con = sqlite3.connect(path, isolation_level=None, timeout=0)
    except sqlite3.Error:
        return
    try:
        con.execute("BEGIN EXCLUSIVE")
        if path.stat().st_size == 0:
            for leftover in (path, path.with_name(path.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        con.execute("ROLLBACK")
    except sqlite3.Error:
        return
    finally:
        con.close()


def _pause_for_tests() -> None:
    """The test-only hook (see :data:`PAUSE_HOOK`): announce, then wait inside the transaction.

    It waits ``PAUSE_HOOK_SECONDS`` (default 60), or until the file named by
    ``PAUSE_HOOK_UNTIL`` exists, whichever comes first.
    """
    flag = os.environ.get(PAUSE_HOOK)
    if not flag:
        return
    Path(flag).write_text("in transaction\n", encoding="utf-8")
    deadline = time.monotonic() + float(os.environ.get(PAUSE_HOOK + "_SECONDS", "60"))
    release = os.environ.get(PAUSE_HOOK + "_UNTIL")
    while time.monotonic() < deadline and not (release and Path(release).exists()):
        time.sleep(0.02)
