"""The store: every ingest, every figure and every revision of it.

Commands and the core reach a store only through :func:`open_store`, and use only what the
:class:`Store` protocol names. The package:

    contents    every row of a store (Contents) and copy_store, checked by counts and a hash
    records     what a store gives back: Outcome, Change, IngestSummary, Revision, IngestRow
    protocol    the Store protocol (the whole public surface) and LOCK_TIMEOUT
    locations   open_store and BACKENDS (URL scheme -> backend; a plain path is SQLite)
    figures     what a figure is; comparing, folding and reading figures (polars, no SQL)
    ingest      an ingest's steps for every backend (Request, record, the Writer it uses)
    rows        an indicator's and a Context sheet's row, the same for every backend
    backend     Backend: the Store methods every backend shares, over its Tables
    versions    newer stores refused, older ones migrated (every backend)
    sqlite/     the SQLite backend: SqliteStore, its tables and MIGRATIONS
    server/     a store on a database server in portable SQL: ServerStore, its tables
    postgres    PostgreSQL's dialect of the server store (psycopg 3)

Importing this package is cheap: polars and the backends load when a store is used.
"""

from typing import Any

from csckpi.store.locations import BACKENDS, open_store
from csckpi.store.protocol import LOCK_TIMEOUT, Store
from csckpi.store.records import (
    Change,
    IngestRow,
    IngestSummary,
    Outcome,
    ReadResultLike,
    Revision,
)

__all__ = [
    "BACKENDS",
    "LOCK_TIMEOUT",
    "Change",
    "Contents",
    "CopySummary",
    "IngestRow",
    "IngestSummary",
    "Outcome",
    "ReadResultLike",
    "Revision",
    "Store",
    "copy_store",
    "open_store",
]

#: Loaded when first asked for (they need polars): ``from csckpi.store import copy_store``.
_LAZY = {"Contents", "CopySummary", "copy_store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from csckpi.store import contents

        return getattr(contents, name)
    raise AttributeError(f"module 'csckpi.store' has no attribute {name!r}")
