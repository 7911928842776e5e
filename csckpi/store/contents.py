"""Everything a store holds, the same for every backend: :class:`Contents`, and
:func:`copy_store`, which moves it from one store to another and checks the copy.

``Store.contents()`` gives a store's every row as frames (``SCHEMAS``); ``Store.receive()``
writes them into an empty store in one transaction. A copy is checked by counting each
table's rows and by a content hash (SHA-256 over every row in a fixed order), read back from
the target after its transaction commits. No SQL here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import polars as pl

from csckpi.errors import StoreError
from csckpi.store.figures import FRAME_SCHEMA, IDENTITY

if TYPE_CHECKING:
    from csckpi.store.protocol import Store

#: Each table of :class:`Contents`: its columns, then the columns that order its rows.
SCHEMAS: dict[str, tuple[dict[str, pl.DataType], tuple[str, ...]]] = {
    "ingests": (
        {
            "id": pl.Int64(),
            "file": pl.String(),
            "sha256": pl.String(),
            "layout": pl.String(),
            "ingested_at": pl.String(),
            "indicators": pl.Int64(),
            "months": pl.Int64(),
            "added": pl.Int64(),
            "revised": pl.Int64(),
            "unchanged": pl.Int64(),
            "kept": pl.Int64(),
            "warnings": pl.Int64(),
        },
        ("id",),
    ),
    "indicators": (
        {
            "key": pl.String(),
            "code": pl.String(),
            "title": pl.String(),
            "section": pl.String(),
            "unit": pl.String(),
            "polarity": pl.String(),
            "measure": pl.String(),
            "target": pl.Float64(),
            "tolerance": pl.Float64(),
            "definition": pl.String(),
            "phrase": pl.String(),
            "decimals": pl.Int64(),
            "order": pl.Int64(),
            "ingest_id": pl.Int64(),
            "pattern": pl.String(),
            "records_measure": pl.String(),
            "records_cell": pl.String(),
            "baseline": pl.String(),
            "new_process": pl.String(),
            "label": pl.String(),
        },
        ("key",),
    ),
    "figures": ({"ingest_id": pl.Int64(), **FRAME_SCHEMA}, ("ingest_id", *IDENTITY)),
    "contexts": ({"ingest_id": pl.Int64(), "council": pl.String()}, ("ingest_id",)),
    "context_items": (
        {
            "ingest_id": pl.Int64(),
            "position": pl.Int64(),
            "key": pl.String(),
            "year": pl.String(),
            "value": pl.String(),
        },
        ("ingest_id", "position"),
    ),
    "context_population": (
        {
            "ingest_id": pl.Int64(),
            "position": pl.Int64(),
            "fy": pl.Int64(),
            "population": pl.Float64(),
        },
        ("ingest_id", "position"),
    ),
    "comments": (
        {
            "id": pl.Int64(),
            "key": pl.String(),
            "code": pl.String(),
            "period": pl.String(),
            "body": pl.String(),
            "carry": pl.Int64(),
            "author": pl.String(),
            "written_at": pl.String(),
            "origin": pl.String(),
            "ingest_id": pl.Int64(),
            "file": pl.String(),
            "sheet": pl.String(),
            "cell": pl.String(),
            "removed": pl.Int64(),
        },
        ("id",),
    ),
}


@dataclass(frozen=True)
class Contents:
    """Every row a store holds, table by table (columns ``SCHEMAS``), in a fixed order."""

    ingests: pl.DataFrame
    indicators: pl.DataFrame
    figures: pl.DataFrame
    contexts: pl.DataFrame
    context_items: pl.DataFrame
    context_population: pl.DataFrame
    comments: pl.DataFrame

    @classmethod
    def of(cls, **frames: pl.DataFrame) -> Contents:
        """Contents from a backend's frames: each cast to its schema and put in order."""
        ordered = {}
        for name, (schema, order) in SCHEMAS.items():
            frame = frames[name].select(list(schema)).cast(schema)  # type: ignore[arg-type]
            ordered[name] = frame.sort(list(order))
        return cls(**ordered)

    def tables(self) -> dict[str, pl.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def counts(self) -> dict[str, int]:
        """Each table's rows."""
        return {name: frame.height for name, frame in self.tables().items()}

    def digest(self) -> str:
        """SHA-256 over every row of every table, in order (equal contents, equal digest)."""
        sha = hashlib.sha256()
        for name, frame in self.tables().items():
            sha.update(f"{name}\n".encode())
            sha.update(frame.write_csv(null_value="\\N", float_precision=None).encode())
        return sha.hexdigest()

    @property
    def empty(self) -> bool:
        return self.ingests.height == 0


def empty_contents() -> Contents:
    return Contents.of(**{name: pl.DataFrame(schema=s) for name, (s, _) in SCHEMAS.items()})


@dataclass(frozen=True)
class CopySummary:
    """What :func:`copy_store` copied, as checked on the target."""

    source: str
    target: str
    counts: dict[str, int]
    digest: str


def copy_store(source: Store, target: Store) -> CopySummary:
    """Copy every ingest, figure, revision, indicator, Context sheet and comment of ``source``
    into the empty store ``target`` (one transaction), then read the target back: its rows
    must count and hash the same, or a :class:`StoreError` says so."""
    contents = source.contents()
    if contents.empty:
        raise StoreError(
            f"The store {source.location} holds nothing yet: there is nothing to copy.",
            "Give the store that holds the figures as the source.",
        )
    target.receive(contents)
    copied = target.contents()
    if copied.counts() != contents.counts() or copied.digest() != contents.digest():
        differ = [n for n, c in contents.counts().items() if copied.counts()[n] != c]
        raise StoreError(
            f"The copy in {target.location} differs from {source.location}"
            + (f" (rows of {', '.join(differ)})." if differ else " (same rows, other values)."),
            "This is a bug in csckpi; please report it. The source is unchanged.",
        )
    return CopySummary(source.location, target.location, contents.counts(), contents.digest())
