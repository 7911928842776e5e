"""What every backend's store does the same way once its tables are open: :class:`Backend`.

A backend (:class:`~csckpi.store.sqlite.SqliteStore`, :class:`~csckpi.store.server.ServerStore`)
says how it connects, checks, migrates, locks and fails, and gives its tables on a connection
as :class:`Tables` (for reading) or :class:`Transaction` (inside its write transaction, holding
the write lock). Everything the :class:`~csckpi.store.protocol.Store` protocol asks beyond that
— reading the catalogue, figures, ingests and commentary, an ingest, a typed comment, receiving
a copy — is here once.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, Protocol

from csckpi.commentary import current
from csckpi.errors import StoreError
from csckpi.model import normalise_code
from csckpi.store import figures as frames
from csckpi.store.comments import keep_typed, wanted
from csckpi.store.ingest import Request, Writer, pause_for_tests, record
from csckpi.store.records import Outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    import polars as pl

    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.model import Context, Indicator
    from csckpi.periods import Period
    from csckpi.store.contents import Contents
    from csckpi.store.records import IngestRow, IngestSummary, ReadResultLike, Revision


class Tables(Protocol):
    """A backend's tables on one open connection (its ``tables.Reader``)."""

    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in the workbook's order."""
        ...

    def latest(self) -> pl.DataFrame:
        """Every figure's latest value (``figures.FRAME_SCHEMA``)."""
        ...

    def context(self) -> Context:
        """The latest ingest's Context sheet (empty when no ingest had one)."""
        ...

    def comments(self) -> list[Comment]:
        """Every version of every comment, oldest first."""
        ...

    def ingests(self) -> list[IngestRow]:
        """Every ingest, oldest first."""
        ...

    def history(self, key: str | None = None) -> pl.DataFrame:
        """Every figure every ingest brought (``figures.INGESTED_SCHEMA``; indicator ``key``'s
        only, if given), oldest ingest first."""
        ...

    def latest_ingest(self) -> int | None:
        """The newest ingest's id (None in an empty store)."""
        ...

    def contents(self) -> Contents:
        """Every row the store holds."""
        ...


class Transaction(Tables, Writer, Protocol):
    """A backend's tables inside its write transaction (its ``tables.Writer``): the reads,
    an ingest's writes, and the end of the transaction."""

    def receive(self, contents: Contents) -> None:
        """Write ``contents`` into the (empty) store."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class Backend:
    """The :class:`~csckpi.store.protocol.Store` methods every backend shares; a backend
    gives :attr:`location`, :meth:`_tables`, :meth:`_transaction` and :meth:`resolve`."""

    #: How a copy's refusal of a target that holds ingests says what to give instead.
    NEW_TARGET: ClassVar[str] = "Give a new store as the target."

    @property
    def location(self) -> str:
        raise NotImplementedError

    def _tables(self) -> AbstractContextManager[Tables]:
        """The tables of an existing store of this version, for reading."""
        raise NotImplementedError

    def _transaction(
        self, on_wait: Callable[[], None] | None, *, dry_run: bool = False
    ) -> AbstractContextManager[Transaction]:
        """The tables inside a write transaction on a checked, prepared store (created if
        need be), holding the write lock (``on_wait`` called once if it has to wait); the
        caller commits, and anything raised rolls back. ``dry_run``: it will be rolled back."""
        raise NotImplementedError

    def _refuse_missing(self) -> None:
        """Before a comment: a backend that can tell at once that its store does not exist
        says so here (a comment is never the first thing written)."""

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
        once if another csckpi holds the store's write lock and this one has to wait.
        """
        request = Request.of(
            result, store=self.location, file=file, strict=strict, dry_run=dry_run, force=force
        )
        dataset = request.dataset
        if dataset is None:
            return request.summary(Outcome.REFUSED)
        incoming = frames.incoming_figures(dataset)
        with self._transaction(on_wait, dry_run=dry_run) as writer:
            summary = record(writer, request, incoming)
            if summary.outcome is Outcome.WRITTEN:
                pause_for_tests()
                writer.commit()
            else:
                writer.rollback()
            return summary

    # -- copying ----------------------------------------------------------------------------
    def contents(self) -> Contents:
        """Every row the store holds, table by table, in a fixed order."""
        with self._tables() as tables:
            return tables.contents()

    def receive(self, contents: Contents) -> None:
        """Write ``contents`` into this store, which must hold no ingest yet, in one
        transaction."""
        with self._transaction(None) as writer:
            held = writer.latest_ingest()
            if held is not None:
                raise StoreError(
                    f"The store {self.location} already holds {held} "
                    f"ingest{'s' * (held > 1)}: a store is copied into a new one.",
                    self.NEW_TARGET,
                )
            writer.receive(contents)
            writer.commit()

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> Dataset:
        """The latest value of every figure, as the same frames the workbook reader gives."""
        with self._tables() as tables:
            indicators = tables.indicators()
            latest = tables.latest()
            context = tables.context()
            comments = current(tables.comments())
        dataset = frames.dataset_of(latest, indicators, context, self.location)
        return replace(dataset, commentary=comments)

    def catalogue(self) -> tuple[Indicator, ...]:
        """Every indicator the store knows, in the workbook's order."""
        with self._tables() as tables:
            return tables.indicators()

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
        with self._tables() as tables:
            ingested = tables.history(None if key is None else normalise_code(key))
        return frames.with_current(ingested)

    def ingests(self) -> list[IngestRow]:
        """Every ingest, oldest first."""
        with self._tables() as tables:
            return tables.ingests()

    # -- commentary -------------------------------------------------------------------------
    def comments(
        self, key: str | None = None, *, history: bool = False, since: int | None = None
    ) -> list[Comment]:
        """The commentary in force (every version with ``history``; those written after
        ingest ``since``), indicator ``key``'s only if given."""
        with self._tables() as tables:
            found = tables.comments()
        key = None if key is None else normalise_code(key)
        return wanted(found, key, versions=history, since=since)

    def comment(
        self, entry: Comment, *, on_wait: Callable[[], None] | None = None
    ) -> Comment | None:
        """Keep ``entry`` as typed now, in one transaction; the version kept, or None when it
        says what is in force already."""
        self._refuse_missing()
        with self._transaction(on_wait) as writer:
            kept = keep_typed(
                writer, entry, latest_ingest=writer.latest_ingest(), where=self.location
            )
            if kept is None:
                writer.rollback()
            else:
                writer.commit()
            return kept
