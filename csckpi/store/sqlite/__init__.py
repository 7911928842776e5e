"""The store in one SQLite file: the backend for a ``--store`` that is a path.

``backend`` holds :class:`SqliteStore` (connections, locking, transactions), ``tables`` the
SQL of each read and write, ``schema`` the tables, their version and :data:`MIGRATIONS`.
"""

from csckpi.store.sqlite.backend import SqliteStore
from csckpi.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SqliteStore"]
