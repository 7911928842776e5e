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
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, NoReturn

from csckpi.catalogue import find_indicator
from csckpi.commentary import current
from csckpi.errors import StoreError
from csckpi.model import normalise_code
from csckpi.store import figures as frames
from csckpi.store.comments import keep_typed, wanted
from csckpi.store.ingest import Request, pause_for_tests, record
from csckpi.store.locations import masked
from csckpi.store.protocol import LOCK_TIMEOUT
from csckpi.store.records import Outcome
from csckpi.store.server import tables
from csckpi.store.versions import migrate, refuse_newer

if TYPE_CHECKING:
    import polars as pl

    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.model import Indicator
    from csckpi.periods import Period
    from csckpi.store.contents import Contents
    from csckpi.store.records import IngestRow, IngestSummary, ReadResultLike, Revision
    from csckpi.store.server.dialect import Connection, Dialect

#: Tables whose presence without ``store_version`` means another application's database.
_OURS = {"ingests", "figures", "indicators"}


class ServerStore:
    """A csckpi store in a database on a server at ``url`` (its tables created by the first
    successful ingest)."""

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

        Errors in ``result`` (and warnings when ``strict``) refuse the ingest before the server
        is contacted. ``dry_run`` compares with the store and rolls back. ``on_wait`` is called
        once if another csckpi holds the store's write lock and this one has to wait.
        """
        request = Request.of(
            result, store=self.location, file=file, strict=strict, dry_run=dry_run, force=force
        )
        dataset = request.dataset
        if dataset is None:
            return request.summary(Outcome.REFUSED)
        incoming = frames.incoming_figures(dataset)
        with self._writing(on_wait) as con:
            summary = record(tables.Writer(self.dialect, con), request, incoming)
            if summary.outcome is Outcome.WRITTEN:
                pause_for_tests()
                con.commit()
            else:
                con.rollback()
            return summary

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

    # -- copying ----------------------------------------------------------------------------
    def contents(self) -> Contents:
        """Every row the store holds, table by table, in a fixed order."""
        with self._reading() as con:
            return tables.read_contents(self.dialect, con)

    def receive(self, contents: Contents) -> None:
        """Write ``contents`` into this store, which must hold no ingest yet, in one
        transaction."""
        with self._writing(None) as con:
            held = tables.latest_ingest(self.dialect, con)
            if held is not None:
                raise StoreError(
                    f"The store {self.location} already holds {held} "
                    f"ingest{'s' * (held > 1)}: a store is copied into a new one.",
                    "Give an empty database (or schema) as the target.",
                )
            tables.write_contents(self.dialect, con, contents)
            con.commit()

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> Dataset:
        """The latest value of every figure, as the same frames the workbook reader gives."""
        with self._reading() as con:
            indicators = tables.read_indicators(self.dialect, con)
            latest = tables.latest_figures(self.dialect, con)
            context = tables.read_context(self.dialect, con)
            comments = current(tables.read_comments(self.dialect, con))
        dataset = frames.dataset_of(latest, indicators, context, self.location)
        return replace(dataset, commentary=comments)

    def catalogue(self) -> tuple[Indicator, ...]:
        """Every indicator the store knows, in the workbook's order."""
        with self._reading() as con:
            return tables.read_indicators(self.dialect, con)

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling), or a hint at the nearest."""
        return find_indicator(self.catalogue(), code, f"the store {self.location}")

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
            ingested = tables.ingests_figures(
                self.dialect, con, None if key is None else normalise_code(key)
            )
        return frames.with_current(ingested)

    def ingests(self) -> list[IngestRow]:
        """Every ingest, oldest first."""
        with self._reading() as con:
            return tables.read_ingests(self.dialect, con)

    # -- commentary -------------------------------------------------------------------------
    def comments(
        self, key: str | None = None, *, history: bool = False, since: int | None = None
    ) -> list[Comment]:
        """The commentary in force (every version with ``history``; those written after
        ingest ``since``), indicator ``key``'s only if given."""
        with self._reading() as con:
            found = tables.read_comments(self.dialect, con)
        key = None if key is None else normalise_code(key)
        return wanted(found, key, versions=history, since=since)

    def comment(
        self, entry: Comment, *, on_wait: Callable[[], None] | None = None
    ) -> Comment | None:
        """Keep ``entry`` as typed now, in one transaction; the version kept, or None when it
        says what is in force already."""
        with self._writing(on_wait) as con:
            kept = keep_typed(
                tables.Writer(self.dialect, con),
                entry,
                latest_ingest=tables.latest_ingest(self.dialect, con),
                where=self.location,
            )
            if kept is None:
                con.rollback()
            else:
                con.commit()
            return kept
