"""The store's whole public surface: what every command and the core may ask of a store.

A backend (the SQLite file today) implements :class:`Store`; callers get one from
:func:`csckpi.store.open_store` and use nothing else. Every backend gives the same guarantees
(docs/store-safety.md): an ingest is all or nothing; every value a figure has had is kept with
its ingest and ``Sheet!Cell``; a second writer waits and says so through ``on_wait``; a store
written by a newer csckpi is refused and an older one migrated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    import polars as pl

    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.model import Indicator
    from csckpi.periods import Period
    from csckpi.store.contents import Contents
    from csckpi.store.records import IngestRow, IngestSummary, ReadResultLike, Revision

#: How long a writer waits for another one before giving up (seconds).
LOCK_TIMEOUT = 60.0


class Store(Protocol):
    """A csckpi store: every ingest, every figure and every revision of it."""

    @property
    def location(self) -> str:
        """How messages name the store: its path as given, or a URL with no password in it."""
        ...

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
        is opened. ``dry_run`` compares with the store and writes nothing. ``file`` names the
        workbook in the summary (default: its source's file name). ``on_wait`` is called once
        if another process holds the store and this one has to wait. A workbook that would
        move the store backwards (older than it, or setting figures back to values a later
        ingest revised) is refused (outcome ``stale``) unless ``force``.
        """
        ...

    def load(self) -> Dataset:
        """The latest value of every figure, as the same frames the workbook reader gives."""
        ...

    def catalogue(self) -> tuple[Indicator, ...]:
        """Every indicator the store knows, in the workbook's order."""
        ...

    def resolve(self, code: str) -> Indicator:
        """The indicator a user means by ``code`` (any spelling); ``UnknownIndicator`` names
        the nearest codes."""
        ...

    def history(self, key: str, period: str | Period | None = None) -> list[Revision]:
        """Every value each figure of indicator ``key`` has had, oldest ingest first; a month,
        quarter or year ``period`` narrows it to that period's figures."""
        ...

    def figures(self, key: str | None = None) -> pl.DataFrame:
        """Every value every figure has had (indicator ``key``'s only, if given), with the
        ingest that brought it and whether it is ``current``; columns
        ``csckpi.store.figures.REVISION_SCHEMA``."""
        ...

    def ingests(self) -> list[IngestRow]:
        """Every ingest, oldest first."""
        ...

    def contents(self) -> Contents:
        """Every row the store holds, table by table, in a fixed order (what ``store copy``
        moves and checks)."""
        ...

    def receive(self, contents: Contents) -> None:
        """Write ``contents`` into this store, which must hold no ingest yet, in one
        transaction (created if need be), or nothing."""
        ...

    def comments(
        self, key: str | None = None, *, history: bool = False, since: int | None = None
    ) -> list[Comment]:
        """The commentary in force, in the order written (indicator ``key``'s only, if
        given); with ``history``, every version ever written, removals included, oldest
        first; with ``since`` (an ingest's id), every version written after that ingest:
        those later ingests brought and those typed since (each with its time)."""
        ...

    def comment(
        self, entry: Comment, *, on_wait: Callable[[], None] | None = None
    ) -> Comment | None:
        """Keep ``entry`` (a comment, or a removal: ``removed``) as typed now, with the
        latest ingest, in one transaction; the version kept, or None when it says what is in
        force already. Removing a comment that is not there is a ``StoreError``."""
        ...
