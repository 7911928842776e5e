"""The store: every ingest, every figure and every revision of it.

Commands and the core reach a store only through :func:`open_store`, and use only what the
:class:`Store` protocol names. The package:

    records     what a store gives back: Outcome, Change, IngestSummary, Revision, IngestRow
    protocol    the Store protocol (the whole public surface) and LOCK_TIMEOUT
    locations   open_store and BACKENDS (URL scheme -> backend; a plain path is SQLite)
    figures     what a figure is; comparing, folding and reading figures (polars, no SQL)
    ingest      an ingest's steps for every backend (Request, record, the Writer it uses)
    sqlite/     the SQLite backend: SqliteStore, its tables and MIGRATIONS

Importing this package is cheap: polars and the backends load when a store is used.
"""

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
    "IngestRow",
    "IngestSummary",
    "Outcome",
    "ReadResultLike",
    "Revision",
    "Store",
    "open_store",
]
