"""The PostgreSQL dialect of the server store: :class:`PostgresDialect`, through psycopg 3.

The only module that speaks PostgreSQL's own SQL (advisory locks, ``COPY``, ``set_config``,
``has_table_privilege``) and the only one that imports the driver, which is an optional extra
(``pip install "csckpi[postgres]"``) imported when a ``postgresql://`` store is first used.

Connecting is libpq's: the URL's user, host, port, database and options (``sslmode``,
``sslrootcert``, ``options=-csearch_path=...``, ``service=...`` and the rest are passed through
as written); a password comes from the URL, ``PGPASSWORD``, ``PGPASSFILE`` (default
``~/.pgpass``) or a service file (``PGSERVICEFILE``, ``~/.pg_service.conf``). csckpi never
prints one: messages name the store by :func:`~csckpi.store.locations.masked` and every driver
message has the URL's password taken out.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import polars as pl

from csckpi.errors import StoreError
from csckpi.store.locations import masked, scheme_of
from csckpi.store.server import ServerStore

if TYPE_CHECKING:
    import psycopg

    from csckpi.store.protocol import Store

_HINT = (
    "Check that the server is running and the URL is right; a password comes from the URL, "
    "PGPASSWORD, PGPASSFILE (~/.pgpass) or a service file (see docs/team-store.md)."
)


def open_postgres(location: str, lock_timeout: float) -> Store:
    """The store in the PostgreSQL database at ``location`` (``locations.BACKENDS``)."""
    return ServerStore(location, PostgresDialect(location), lock_timeout=lock_timeout)


#: A password where a URL that urllib cannot split may still hold one: after the user
#: name before the host, or as a ``password=`` option.
_WRITTEN_PASSWORD = re.compile(r"^[^:/]+://[^:@/]*:([^@/]*)@|[?&]password=([^&#]*)", re.I)


def secrets_in(url: str) -> tuple[str, ...]:
    """The passwords written in ``url`` (its user part and any ``password=`` option), which
    no message may show, found even in a URL too broken to parse."""
    found = [p for m in _WRITTEN_PASSWORD.finditer(url) for p in m.groups() if p]
    with contextlib.suppress(ValueError):
        parts = urlsplit(url)
        found += [parts.password or ""]
        found += [v for k, v in parse_qsl(parts.query) if k.lower() == "password"]
    return tuple(sorted({s for p in found for s in (p, unquote(p)) if s}, key=len, reverse=True))


#: The server's word for how bad a message is (`FATAL:  `), which says nothing to a user.
_SEVERITY = re.compile(r"\b(?:FATAL|ERROR|PANIC):\s+")


def _sql(statement: str) -> str:
    """A portable statement (``?`` placeholders) in psycopg's style (``%s``)."""
    return statement.replace("%", "%%").replace("?", "%s")


class PostgresDialect:
    """:class:`csckpi.store.server.dialect.Dialect` for PostgreSQL (tested on 15)."""

    name = "PostgreSQL"
    text = "TEXT"
    blob = "BYTEA"

    def __init__(self, url: str) -> None:
        self._url = url
        self._secrets = secrets_in(url)
        self._location = masked(url)

    def _scrub(self, text: str) -> str:
        """``text`` with the URL shown masked and no password of it anywhere."""
        text = text.replace(self._url, self._location)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def connect(self, url: str, *, read_only: bool) -> psycopg.Connection[Any]:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                f"The store {self._location} is on a PostgreSQL server, and csckpi's "
                "PostgreSQL driver is not installed.",
                'Install it: pip install "csckpi[postgres]".',
            ) from None
        conninfo = "postgresql" + url[len(scheme_of(url)) :]  # libpq wants it in lower case
        extra = {} if "application_name=" in url else {"application_name": "csckpi"}
        try:
            con = psycopg.connect(conninfo, **extra)  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise StoreError(
                f"Cannot connect to the store {self._location}: {self.explain(exc)}.", _HINT
            ) from None
        if read_only:
            con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            con.read_only = True
        return con

    def execute(self, con: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        return con.execute(_sql(sql), tuple(params))

    def execute_many(self, con: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with con.cursor() as cursor:
            cursor.executemany(_sql(sql), [tuple(r) for r in rows])

    def lock(self, con: Any, *, timeout: float, on_wait: Callable[[], None] | None) -> bool:
        """A transaction-scoped advisory lock named for the store's schema (so two stores in
        one database do not wait for each other)."""
        import psycopg

        schema = self.execute(con, "SELECT current_schema()").fetchone()[0] or ""
        digest = hashlib.blake2b(f"csckpi store {schema}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        if self.execute(con, "SELECT pg_try_advisory_xact_lock(?)", (key,)).fetchone()[0]:
            return True
        if on_wait is not None:
            on_wait()
        wait = f"{max(1, round(timeout * 1000))}ms"
        self.execute(con, "SELECT set_config('lock_timeout', ?, true)", (wait,))
        try:
            self.execute(con, "SELECT pg_advisory_xact_lock(?)", (key,))
        except psycopg.errors.LockNotAvailable:
            return False
        self.execute(con, "SELECT set_config('lock_timeout', '0', true)")
        return True

    def copy_in(self, con: Any, table: str, frame: pl.DataFrame) -> None:
        columns = ", ".join(frame.columns)
        with (
            con.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(frame.write_csv(include_header=False).encode("utf-8"))

    def copy_out(
        self, con: Any, sql: str, params: Sequence[Any], schema: dict[str, pl.DataType]
    ) -> pl.DataFrame:
        data = bytearray()
        with (
            con.cursor() as cursor,
            cursor.copy(f"COPY ({_sql(sql)}) TO STDOUT (FORMAT csv)", tuple(params)) as copy,
        ):
            for block in copy:
                data += block
        if not data:
            return pl.DataFrame(schema=schema)
        return pl.read_csv(bytes(data), has_header=False, schema=schema)

    def tables(self, con: Any) -> set[str]:
        rows = self.execute(
            con,
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()",
        ).fetchall()
        return {str(r[0]).lower() for r in rows}

    def missing_privileges(
        self, con: Any, wanted: Sequence[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        if self.execute(con, "SELECT current_schema()").fetchone()[0] is None:
            return [("USAGE", "schema")]  # the URL's search_path names no schema that exists
        missing = []
        for privilege, table in wanted:
            if table == "schema":
                sql = "SELECT coalesce(has_schema_privilege(current_schema(), ?), false)"
                row = self.execute(con, sql, (privilege,)).fetchone()
            else:
                row = self.execute(con, "SELECT has_table_privilege(?, ?)", (table, privilege))
                row = row.fetchone()
            if not row[0]:
                missing.append((privilege, table))
        return missing

    def role(self, con: Any) -> str:
        return str(self.execute(con, "SELECT current_user").fetchone()[0])

    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def explain(self, exc: BaseException) -> str:
        import psycopg

        lines = [_SEVERITY.sub("", line.strip()) for line in str(exc).splitlines()]
        text = "; ".join(line for line in lines if line) or type(exc).__name__
        lost = isinstance(exc, psycopg.errors.AdminShutdown) or (
            isinstance(exc, psycopg.OperationalError) and "connection" not in text.lower()
        )
        if lost:
            text = f"the connection to the server was lost ({text})"
        return self._scrub(text.rstrip(".?"))  # the caller ends the sentence

    def is_privilege_error(self, exc: BaseException) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.InsufficientPrivilege)
