"""The store in one SQLite file (standard library :mod:`sqlite3`): :class:`SqliteStore`.

Its tables are listed in :mod:`csckpi.store.sqlite.tables`, their versions in
:mod:`csckpi.store.sqlite.schema`; what an ingest compares and writes, and every read, is the
same for every backend (:mod:`csckpi.store.backend`, :mod:`csckpi.store.ingest`,
:mod:`csckpi.store.figures`).

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
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.catalogue import find_indicator
from csckpi.errors import StoreError
from csckpi.store.backend import Backend
from csckpi.store.protocol import LOCK_TIMEOUT
from csckpi.store.sqlite import tables
from csckpi.store.sqlite.schema import SCHEMA_VERSION, prepare
from csckpi.store.versions import refuse_newer

if TYPE_CHECKING:
    import os

    from csckpi.model import Indicator


class SqliteStore(Backend):
    """A csckpi store in the SQLite file at ``path`` (created by the first successful ingest)."""

    NEW_TARGET = "Give the path of a new file as the target."

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

    @contextlib.contextmanager
    def _tables(self) -> Iterator[tables.Reader]:
        with self._reading() as con:
            yield tables.Reader(con)

    @contextlib.contextmanager
    def _transaction(
        self, on_wait: Callable[[], None] | None, *, dry_run: bool = False
    ) -> Iterator[tables.Writer]:
        """The tables inside ``BEGIN IMMEDIATE`` (:meth:`_writing`); a dry run on a store
        that does not exist yet is made in memory."""
        with self._writing(on_wait, in_memory=dry_run) as con:
            yield tables.Writer(con)

    def _refuse_missing(self) -> None:
        if not self.path.exists():
            raise self._missing()

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling), or a hint at the nearest."""
        return find_indicator(self.catalogue(), code, f"the store {self.path.name}")


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
