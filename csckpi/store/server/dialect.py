"""What a database server's module provides to the server store: the :class:`Dialect`.

Everything the server store says in SQL is portable (``csckpi.store.server.tables``: standard
types, ``?`` placeholders, no server's own functions); what differs between servers — the
driver, connecting, placeholders, the type of a text column, the write lock, bulk copy in and
out, the catalogue of tables and privileges, and what a driver's error means — is a dialect's.
PostgreSQL's is ``csckpi.store.postgres``; a SQL Server store would be one more module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import polars as pl


class Cursor(Protocol):
    """A DB-API cursor, as far as the server store uses one."""

    description: Any  # the result's columns, each a sequence whose first item is its name

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """A DB-API connection: a transaction is open from the first statement to commit or
    rollback."""

    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


class Dialect(Protocol):
    """One kind of database server."""

    #: How messages name the server: `PostgreSQL`.
    name: str
    #: The column type of any text the store keeps (indexed or not).
    text: str
    #: The column type of bytes (a compressed frame).
    blob: str

    def connect(self, url: str, *, read_only: bool) -> Connection:
        """A connection to the store at ``url`` (a :class:`StoreError` naming the masked URL
        when there is none); ``read_only`` asks for a consistent snapshot that writes
        nothing."""
        ...

    def execute(self, con: Connection, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one portable statement (``?`` placeholders) with its parameters bound."""
        ...

    def execute_many(self, con: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one portable statement once per row of parameters."""
        ...

    def lock(self, con: Connection, *, timeout: float, on_wait: Callable[[], None] | None) -> bool:
        """Take the store's write lock until the transaction ends, calling ``on_wait`` once
        before waiting for another writer; False when it is still held after ``timeout``
        seconds."""
        ...

    def copy_in(self, con: Connection, table: str, frame: pl.DataFrame) -> None:
        """Add ``frame``'s rows to ``table`` (its columns named as the frame's) in bulk."""
        ...

    def copy_out(
        self, con: Connection, sql: str, params: Sequence[Any], schema: dict[str, pl.DataType]
    ) -> pl.DataFrame:
        """The rows of a portable query as a frame of ``schema`` (its columns in order), in
        bulk."""
        ...

    def tables(self, con: Connection) -> set[str]:
        """The names (lower case) of the tables and views in the store's schema."""
        ...

    def missing_privileges(
        self, con: Connection, wanted: Sequence[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """Which of ``wanted`` (privilege, table) the connected role lacks; ("CREATE",
        "schema") for creating tables in the store's schema; [("USAGE", "schema")] when the
        connection has no schema at all (its search path names none that exists)."""
        ...

    def role(self, con: Connection) -> str:
        """The name of the role the connection acts as."""
        ...

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's error classes (what :meth:`explain` explains)."""
        ...

    def explain(self, exc: BaseException) -> str:
        """A driver's error in a few words for a message, with no password in it."""
        ...

    def is_privilege_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` says the role lacks a privilege."""
        ...
