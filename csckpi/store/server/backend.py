"""A store on a database server: :class:`ServerStore`, the same for every server, speaking
portable SQL (``tables``) through the server's :class:`~csckpi.store.server.dialect.Dialect`.

Safety (the same guarantees as the SQLite file; docs/team-store.md)
    * An ingest validates first (the reader's problems), then takes the store's write lock and
      writes everything in one transaction, or nothing: the server rolls back a transaction
      whose connection is lost, so a killed csckpi or a dropped network leaves the store as
      it was.
    * A second writer waits for the lock and is told so through ``on_wait``; readers never
      wait (each reads one consistent snapshot).
    * ``store_version`` holds the tables' version: a newer store is refused, an older one
      migrated under the write lock.
    * A role that may not write is told which privilege it lacks before anything is done.
    * Messages name the store by its URL with the password masked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, NoReturn

from csckpi.catalogue import find_indicator
from csckpi.errors import StoreError
from csckpi.store.backend import Backend
from csckpi.store.locations import masked
from csckpi.store.protocol import LOCK_TIMEOUT
from csckpi.store.server import tables
from csckpi.store.versions import migrate, refuse_newer

if TYPE_CHECKING:
    from csckpi.model import Indicator
    from csckpi.store.server.dialect import Connection, Dialect

#: Tables whose presence without ``store_version`` means another application's database.
_OURS = {"ingests", "figures", "indicators"}


class ServerStore(Backend):
    """A csckpi store in a database on a server at ``url`` (its tables created by the first
    successful ingest)."""

    NEW_TARGET = "Give an empty database (or schema) as the target."

    def __init__(self, url: str, dialect: Dialect, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.url = url
        self.dialect = dialect
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"ServerStore({masked(self.url)!r})"

    @property
    def location(self) -> str:
        return masked(self.url)

    # -- connections ------------------------------------------------------------------------
    def _failed(self, exc: BaseException, doing: str) -> NoReturn:
        """A driver's error as a message that names the store and never its password."""
        reason = self.dialect.explain(exc)
        if self.dialect.is_privilege_error(exc):
            raise StoreError(
                f"{doing} {self.location}: {reason}.",
                "Ask the database's owner for the privilege; docs/team-store.md gives the SQL "
                "for a role that may ingest and one that may only read.",
            ) from None
        raise StoreError(f"{doing} {self.location}: {reason}.") from None

    def _lock(self, con: Connection, on_wait: Callable[[], None] | None) -> None:
        """Take the store's write lock, or say who holds it after ``lock_timeout``."""
        if not self.dialect.lock(con, timeout=self.lock_timeout, on_wait=on_wait):
            raise StoreError(
                f"The store {self.location} is still locked by another csckpi after "
                f"{self.lock_timeout:g} s.",
                "Wait for the other ingest to finish, then run this one again.",
            )

    def _version(self, con: Connection) -> int | None:
        """The store's version; None for an empty schema. Refuse a newer store, and tables
        of another application."""
        names = self.dialect.tables(con)
        if "store_version" not in names:
            if names & _OURS:
                found = ", ".join(sorted(names & _OURS))
                raise StoreError(
                    f"The database at {self.location} has tables named {found} that are not a "
                    "csckpi store.",
                    "Give another database (or schema) in the URL.",
                )
            return None
        version = tables.version(self.dialect, con)
        refuse_newer(self.location, version, tables.SCHEMA_VERSION)
        return version

    def _prepare(self, con: Connection, version: int | None) -> None:
        """Create the tables in an empty schema or migrate older ones (under the lock)."""
        if version is None:
            tables.create(self.dialect, con)
        elif version < tables.SCHEMA_VERSION:
            steps = {n: partial(step, self.dialect) for n, step in tables.MIGRATIONS.items()}
            migrate(con, version, tables.SCHEMA_VERSION, steps)
            tables.set_version(self.dialect, con, tables.SCHEMA_VERSION)

    def _writable(self, con: Connection, version: int | None) -> None:
        """Say which privilege the role lacks before an ingest does anything."""
        wanted = [("CREATE", "schema")] if version is None else list(tables.WRITES)
        missing = self.dialect.missing_privileges(con, wanted)
        if not missing:
            return
        if missing == [("USAGE", "schema")]:
            raise self._no_schema("Nothing was written to")
        first, more = missing[0], len(missing) - 1
        what = (
            "create tables in its schema"
            if first[1] == "schema"
            else (f"{first[0]} on the table {first[1]}")
        )
        also = f" (and {more} more privilege{'s' * (more > 1)})" if more else ""
        raise StoreError(
            f"Nothing was written to {self.location}: the role {self.dialect.role(con)} may not "
            f"write to it; it lacks the privilege {what}{also}.",
            "Use a role that may write; docs/team-store.md gives the SQL for both roles. "
            "A read-only role can compute, compare, narrate and report.",
        )

    def _no_schema(self, doing: str) -> StoreError:
        return StoreError(
            f"{doing} {self.location}: the schema its URL names (in options=-csearch_path=...) "
            "does not exist, or the role may not use it.",
            "Create it first (CREATE SCHEMA csckpi; docs/team-store.md), or fix the URL.",
        )

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read-only connection to an existing store of this version (an older one is
        migrated first, under the write lock), reading one consistent snapshot."""
        con = self.dialect.connect(self.url, read_only=True)
        try:
            version = self._version(con)
            if version is not None and version < tables.SCHEMA_VERSION:
                con.close()
                self._migrate()
                con = self.dialect.connect(self.url, read_only=True)
                version = self._version(con)
            if version is None:
                if self.dialect.missing_privileges(con, []) == [("USAGE", "schema")]:
                    raise self._no_schema("Cannot read the store")
                raise StoreError(
                    f"The store {self.location} holds nothing yet.",
                    f"Load a workbook first: csckpi ingest WORKBOOK --store {self.location}.",
                )
            yield con
        except self.dialect.errors() as exc:
            self._failed(exc, "Cannot read the store")
        finally:
            with contextlib.suppress(*self.dialect.errors()):
                con.rollback()
            con.close()

    def _migrate(self) -> None:
        """Bring an older store up to this version, under the write lock."""
        con = self.dialect.connect(self.url, read_only=False)
        try:
            self._lock(con, None)
            self._prepare(con, self._version(con))  # another csckpi may have done it meanwhile
            con.commit()
        except self.dialect.errors() as exc:
            self._failed(exc, "Cannot bring up to date the store")
        finally:
            with contextlib.suppress(*self.dialect.errors()):
                con.rollback()
            con.close()

    @contextlib.contextmanager
    def _writing(self, on_wait: Callable[[], None] | None) -> Iterator[Connection]:
        """A connection holding the write lock on a checked, prepared store, inside its
        transaction; the caller commits. Anything raised rolls back."""
        con = self.dialect.connect(self.url, read_only=False)
        try:
            version = self._version(con)
            self._writable(con, version)
            self._lock(con, on_wait)
            self._prepare(con, self._version(con))  # as the writer before this one left it
            yield con
        except self.dialect.errors() as exc:
            self._failed(exc, "Nothing was written to")
        finally:
            with contextlib.suppress(*self.dialect.errors()):
                con.rollback()
            con.close()

    @contextlib.contextmanager
    def _tables(self) -> Iterator[tables.Reader]:
        with self._reading() as con:
            yield tables.Reader(self.dialect, con)

    @contextlib.contextmanager
    def _transaction(
        self, on_wait: Callable[[], None] | None, *, dry_run: bool = False
    ) -> Iterator[tables.Writer]:
        """The tables inside the write transaction (:meth:`_writing`); a dry run is the same
        transaction, rolled back."""
        with self._writing(on_wait) as con:
            yield tables.Writer(self.dialect, con)

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling), or a hint at the nearest."""
        return find_indicator(self.catalogue(), code, f"the store {self.location}")
