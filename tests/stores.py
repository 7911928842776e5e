"""A store for a test on every backend: the ``place`` fixture (conftest.py) gives one of these.

A :class:`Place` says where a test's store is (``location``, what ``--store`` takes), how
messages name it, and what it holds (``state()``: every byte of the SQLite file, every row of
every PostgreSQL table), so one test checks both backends. The PostgreSQL stores live on the
server named by ``CSCKPI_TEST_POSTGRES`` (``bash .ci/postgres start`` starts a throwaway one),
each test in a new schema of its own, dropped afterwards. Without a server those tests are
skipped with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

POSTGRES = "CSCKPI_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str:
    """The test server's URL (a role that may create schemas and roles): skip without one,
    fail under CI."""
    url = os.environ.get(POSTGRES, "")
    reason = ""
    if not url:
        reason = f"no PostgreSQL server: set {POSTGRES} (bash .ci/postgres start prints one)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            reason = 'the PostgreSQL driver is not installed: pip install -e ".[test]"'
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the PostgreSQL store, but {reason}")
        pytest.skip(reason)
    return url


def with_option(url: str, name: str, value: str) -> str:
    """``url`` with one more query option."""
    return f"{url}{'&' if '?' in url else '?'}{name}={quote(value, safe='')}"


class Place:
    """A test's store on one backend."""

    backend: str
    location: str

    @property
    def shown(self) -> str:
        """How messages name the store."""
        from csckpi.store.locations import masked

        return masked(self.location)

    def state(self) -> Any:
        """Everything the store holds (None when it does not exist)."""
        raise NotImplementedError

    def exists(self) -> bool:
        return self.state() is not None

    def set_version(self, version: int) -> None:
        raise NotImplementedError

    def execute(self, statement: str) -> None:
        """One SQL statement both backends understand, on the store's tables."""
        raise NotImplementedError

    def sibling(self, name: str) -> Place:
        """Another store beside this one, not created yet."""
        raise NotImplementedError

    def driver_error(self) -> BaseException:
        """An error the backend's driver raises (as a failing disk or server would)."""
        raise NotImplementedError

    #: The class whose writes an ingest makes inside its transaction.
    writer = ""


class SqlitePlace(Place):
    backend = "sqlite"
    writer = "csckpi.store.sqlite.tables.Writer"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)

    @property
    def name(self) -> str:
        return self.path.name

    def state(self) -> Any:
        if not self.path.exists():
            return None
        return hashlib.sha256(self.path.read_bytes()).hexdigest(), sorted(
            p.name for p in self.path.parent.iterdir() if p.name.startswith(self.path.name)
        )

    def set_version(self, version: int) -> None:
        import sqlite3

        con = sqlite3.connect(self.path)
        con.execute(f"PRAGMA user_version = {version}")
        con.close()

    def execute(self, statement: str) -> None:
        import sqlite3

        con = sqlite3.connect(self.path)
        con.execute(statement)
        con.commit()
        con.close()

    def sibling(self, name: str) -> Place:
        return SqlitePlace(self.path.with_name(name + ".db"))

    def driver_error(self) -> BaseException:
        import sqlite3

        return sqlite3.OperationalError("disk I/O error")


class PostgresPlace(Place):
    backend = "postgres"
    writer = "csckpi.store.server.tables.Writer"

    def __init__(self, admin: str, schema: str, con: Any = None) -> None:
        import psycopg

        self.admin, self.schema = admin, schema
        self.con = con or psycopg.connect(admin, autocommit=True)
        self.con.execute(f'CREATE SCHEMA "{schema}"')
        self.con.execute(f'SET search_path TO "{schema}"')
        self.location = with_option(admin, "options", f"-csearch_path={schema}")

    @property
    def name(self) -> str:
        return self.shown

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """One statement in the store's schema, as the server's owner; its rows."""
        self.con.execute(f'SET search_path TO "{self.schema}"')
        cursor = self.con.execute(statement, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []

    def tables(self) -> list[str]:
        return [
            r[0]
            for r in self.run(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' ORDER BY table_name",
                (self.schema,),
            )
        ]

    def state(self) -> Any:
        names = self.tables()
        if not names:
            return None
        return [(t, sorted(self.run(f'SELECT * FROM "{t}"'), key=repr)) for t in names]

    def set_version(self, version: int) -> None:
        self.run("UPDATE store_version SET version = %s", (version,))

    def execute(self, statement: str) -> None:
        self.run(statement)

    def sibling(self, name: str) -> Place:
        other = PostgresPlace(self.admin, f"{self.schema}_{name}", self.con)  # dropped with this
        self.con.execute(f'SET search_path TO "{self.schema}"')
        return other

    def drop(self, *, close: bool = True) -> None:
        """Drop the schema (and its siblings'); ``close=False`` keeps the admin connection
        open for the next place that shares it."""
        rows = self.run(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (self.schema + "%",)
        )
        for (schema,) in rows:
            self.run(f'DROP SCHEMA "{schema}" CASCADE')
        if close:
            self.con.close()

    def driver_error(self) -> BaseException:
        import psycopg

        return psycopg.OperationalError("could not write to file: No space left on device")


def make_place(backend: str, tmp_path: Path) -> Place:
    if backend == "sqlite":
        return SqlitePlace(tmp_path / "csckpi.db")
    return PostgresPlace(postgres_url(), "t" + uuid.uuid4().hex[:12])
