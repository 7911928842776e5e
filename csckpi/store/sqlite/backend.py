"""The store in one SQLite file (standard library :mod:`sqlite3`): :class:`SqliteStore`.

Its tables are listed in :mod:`csckpi.store.sqlite.tables`, their versions in
:mod:`csckpi.store.sqlite.schema`; what an ingest compares and writes is the same for every
backend (:mod:`csckpi.store.ingest`, :mod:`csckpi.store.figures`).

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
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.catalogue import find_indicator
from csckpi.commentary import current
from csckpi.errors import StoreError
from csckpi.model import normalise_code
from csckpi.store import figures as frames
from csckpi.store.comments import keep_typed, wanted
from csckpi.store.ingest import Request, pause_for_tests, record
from csckpi.store.protocol import LOCK_TIMEOUT
from csckpi.store.records import Outcome
from csckpi.store.sqlite import tables
from csckpi.store.sqlite.schema import SCHEMA_VERSION, prepare
from csckpi.store.versions import refuse_newer

if TYPE_CHECKING:
    import os

    import polars as pl

    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.model import Indicator
    from csckpi.periods import Period
    from csckpi.store.contents import Contents
    from csckpi.store.records import IngestRow, IngestSummary, ReadResultLike, Revision


class SqliteStore:
    """A csckpi store in the SQLite file at ``path`` (created by the first successful ingest)."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    @property
    def location(self) -> str:
        return str(self.path)

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

    def _missing(self) -> StoreError:
        return StoreError(
            f"There is no store at {self.path}.",
            "Load a workbook first: csckpi ingest WORKBOOK (or give --store PATH).",
        )

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to an existing store, checked and migrated to the current version."""
        if not self.path.exists():
            raise self._missing()
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
            names = {
                row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a csckpi store ({exc}).",
                "Give another path with --store, or move that file away.",
            ) from None
        refuse_newer(str(self.path), version, SCHEMA_VERSION)
        has_figures = {"figures", "ingest_figures"} & names  # versions 0-3, version 4
        if names and not ({"ingests", "indicators"} <= names and has_figures):
            raise StoreError(
                f"{self.path} is an SQLite database but not a csckpi store.",
                "Give another path with --store.",
            )
        return int(version)

    def _prepare(self, con: sqlite3.Connection) -> None:
        """Create the schema in an empty database or migrate an older one (in a transaction)."""
        prepare(con, self._check(con))

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
        force: bool = False,
    ) -> IngestSummary:
        """Store a read workbook: everything in one transaction, or nothing.

        Errors in ``result`` (and warnings when ``strict``) refuse the ingest before the store
        is opened. ``dry_run`` compares with the store and rolls back. ``on_wait`` is called
        once if another process holds the store and this one has to wait.
        """
        request = Request.of(
            result, store=str(self.path), file=file, strict=strict, dry_run=dry_run, force=force
        )
        dataset = request.dataset
        if dataset is None:
            return request.summary(Outcome.REFUSED)

        incoming = frames.incoming_figures(dataset)
        with self._writing(on_wait, in_memory=dry_run) as con:
            summary = record(tables.Writer(con), request, incoming)
            if summary.outcome is Outcome.WRITTEN:
                pause_for_tests()
                con.execute("COMMIT")
            else:
                con.execute("ROLLBACK")
            return summary

    @contextlib.contextmanager
    def _writing(
        self, on_wait: Callable[[], None] | None, *, in_memory: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """A connection inside ``BEGIN IMMEDIATE`` on a checked, prepared store; the caller
        commits. Anything raised rolls back, and a file this created for nothing is removed.
        ``in_memory``: a store that does not exist yet is made in memory (a dry run)."""
        existed = self.path.exists()
        if existed and self.path.is_dir():
            raise self._a_folder()
        target: Path | str = self.path if existed or not in_memory else ":memory:"
        con = self._connect(target)
        try:
            try:
                self._check(con)
                self._begin(con, on_wait)
                self._prepare(con)
                yield con
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

    # -- copying ----------------------------------------------------------------------------
    def contents(self) -> Contents:
        """Every row the store holds, table by table, in a fixed order."""
        with self._reading() as con:
            return tables.read_contents(con)

    def receive(self, contents: Contents) -> None:
        """Write ``contents`` into this store, which must hold no ingest yet, in one
        transaction."""
        with self._writing(None) as con:
            held = tables.latest_ingest(con)
            if held is not None:
                raise StoreError(
                    f"The store {self.path} already holds {held} ingest{'s' * (held > 1)}: "
                    "a store is copied into a new one.",
                    "Give the path of a new file as the target.",
                )
            tables.write_contents(con, contents)
            con.execute("COMMIT")

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> Dataset:
        """The latest value of every figure, as the same frames the workbook reader gives."""
        with self._reading() as con:
            indicators = tables.read_indicators(con)
            latest = tables.latest_figures(con)
            context = tables.read_context(con)
            comments = current(tables.read_comments(con))
        dataset = frames.dataset_of(latest, indicators, context, str(self.path))
        return replace(dataset, commentary=comments)

    def catalogue(self) -> tuple[Indicator, ...]:
        """Every indicator the store knows, in the workbook's order."""
        with self._reading() as con:
            return tables.read_indicators(con)

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling), or a hint at the nearest."""
        return find_indicator(self.catalogue(), code, f"the store {self.path.name}")

    def history(self, key: str, period: str | Period | None = None) -> list[Revision]:
        """Every value each figure of indicator ``key`` has had, oldest ingest first.

        ``period`` narrows it: a month gives that month's figures and any figure reported for
        that month; a quarter or year gives its months and the figures reported for it.
        """
        return frames.revisions(self.figures(key), period)

    def figures(self, key: str | None = None) -> pl.DataFrame:
        """Every value every figure has had (only indicator ``key``'s, in any spelling, if
        given): the figure, its value, source, sheet and cell, the ingest that brought it
        (``ingest_id``, ``file``, ``ingested_at``) and whether it is ``current``, oldest
        ingest first."""
        with self._reading() as con:
            ingested = tables.ingests_figures(con, None if key is None else normalise_code(key))
        return frames.with_current(ingested)

    def ingests(self) -> list[IngestRow]:
        """Every ingest, oldest first."""
        with self._reading() as con:
            return tables.read_ingests(con)

    # -- commentary -------------------------------------------------------------------------
    def comments(
        self, key: str | None = None, *, history: bool = False, since: int | None = None
    ) -> list[Comment]:
        """The commentary in force (every version with ``history``; those written after
        ingest ``since``), indicator ``key``'s only if given."""
        with self._reading() as con:
            found = tables.read_comments(con)
        key = None if key is None else normalise_code(key)
        return wanted(found, key, versions=history, since=since)

    def comment(
        self, entry: Comment, *, on_wait: Callable[[], None] | None = None
    ) -> Comment | None:
        """Keep ``entry`` as typed now, in one transaction; the version kept, or None when it
        says what is in force already."""
        if not self.path.exists():
            raise self._missing()
        with self._writing(on_wait) as con:
            kept = keep_typed(
                tables.Writer(con),
                entry,
                latest_ingest=tables.latest_ingest(con),
                where=str(self.path),
            )
            con.execute("ROLLBACK" if kept is None else "COMMIT")
            return kept


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
