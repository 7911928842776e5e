"""Rows in and out of the SQLite store's tables: one function per read or write, each a few
SQL statements on a connection the caller holds (and whose transaction it owns).

What is kept
    ``ingests``     one row per workbook written: file name, SHA-256, layout, time, counts.
    ``indicators``  the catalogue, each definition as of the latest ingest that gave it.
    ``ingest_figures``  the figures each ingest brought, added or revised, as one compressed
                    Arrow frame per ingest (with each figure's sheet and cell): together, every
                    distinct value each figure has had. One frame per ingest rather than one
                    SQL row per figure (store versions up to 3): a first ingest of 87,415
                    figures is stored in ~0.08 s instead of ~0.5 s, and
                    :meth:`SqliteStore.history` filters the frames in polars.
    ``contexts``, ``context_items``, ``context_population``  the Context sheet of each ingest
                    that had one; :meth:`SqliteStore.load` uses the latest.
    ``comments``    every version of the analyst's commentary, one row each
                    (:mod:`csckpi.store.comments`), from a Commentary sheet or csckpi comment.
    ``snapshot``    the latest figures as one compressed Arrow frame, written by each ingest
                    in its transaction: :meth:`SqliteStore.load` reads it instead of folding
                    every ingest's frame, and the next ingest compares its workbook with it (a
                    polars join), writing only added and revised figures. It is tagged with its
                    ingest: a stale or missing snapshot is never used (the ingests' frames are
                    folded).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, cast

import polars as pl

from csckpi.model import Context, Indicator
from csckpi.store.comments import COLUMNS as COMMENT_COLUMNS
from csckpi.store.comments import comment_of, row_of
from csckpi.store.contents import SCHEMAS, Contents
from csckpi.store.figures import FRAME_SCHEMA, IDENTITY, INGESTED_SCHEMA, decode, encode, latest
from csckpi.store.records import IngestRow
from csckpi.store.rows import context_of, indicator_of, indicator_row

if TYPE_CHECKING:
    from csckpi.commentary import Comment


def latest_ingest(con: sqlite3.Connection) -> int | None:
    """The newest ingest's id (None in an empty store)."""
    found = con.execute("SELECT max(id) FROM ingests").fetchone()[0]
    return None if found is None else int(found)


def read_ingests(con: sqlite3.Connection) -> list[IngestRow]:
    """Every ingest, oldest first."""
    cursor = con.execute(
        "SELECT id, file, sha256, layout, ingested_at, indicators, months, added, "
        "revised, unchanged, kept, warnings FROM ingests ORDER BY id"
    )
    names = [d[0] for d in cursor.description]
    return [cast(IngestRow, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def write_ingest_figures(con: sqlite3.Connection, frame: pl.DataFrame, ingest_id: int) -> None:
    """Keep ``frame`` (the figures ingest ``ingest_id`` added or revised) as that ingest's."""
    if frame.height:
        con.execute(
            "INSERT INTO ingest_figures (ingest_id, rows, figures) VALUES (?, ?, ?)",
            (ingest_id, frame.height, encode(frame)),
        )


def ingests_figures(con: sqlite3.Connection, key: str | None = None) -> pl.DataFrame:
    """Every figure every ingest brought, oldest ingest first (only indicator ``key``'s if
    given), with the ingest's id, file and time."""
    rows = con.execute(
        "SELECT f.ingest_id, i.file, i.ingested_at, f.figures FROM ingest_figures f "
        "JOIN ingests i ON i.id = f.ingest_id ORDER BY f.ingest_id"
    ).fetchall()
    frames = []
    for ingest_id, file, ingested_at, blob in rows:
        frame = decode(blob)
        if key is not None:
            frame = frame.filter(pl.col("key") == key)
        frames.append(
            frame.with_columns(
                ingest_id=pl.lit(ingest_id, pl.Int64()),
                file=pl.lit(file, pl.String()),
                ingested_at=pl.lit(ingested_at, pl.String()),
            )
        )
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=INGESTED_SCHEMA)


def current_figures(con: sqlite3.Connection) -> pl.DataFrame:
    """Every figure's latest value, folded from every ingest's frame (the source of truth)."""
    return latest(ingests_figures(con))


def read_snapshot(con: sqlite3.Connection, ingest_id: int | None) -> pl.DataFrame | None:
    """The latest figures as one compressed frame, if it was written by ingest ``ingest_id``.

    The snapshot is a cache of :func:`current_figures` written in the same transaction as the
    ingest's frame; when it is missing or older, callers fold the ingests' frames instead.
    """
    if ingest_id is None:
        return pl.DataFrame(schema=FRAME_SCHEMA)
    row = con.execute("SELECT ingest_id, figures FROM snapshot WHERE id = 1").fetchone()
    if row is None or row[0] != ingest_id:
        return None
    return decode(row[1])


def write_snapshot(con: sqlite3.Connection, figures: pl.DataFrame, ingest_id: int) -> None:
    """Keep ``figures`` (every figure's latest value) as the snapshot of ingest ``ingest_id``,
    in the order :meth:`Store.load` gives them: its sort is then one pass over rows already in
    order, where sorting them afresh was most of a load's time."""
    con.execute(
        "INSERT INTO snapshot (id, ingest_id, figures) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET ingest_id = excluded.ingest_id, "
        "figures = excluded.figures",
        (ingest_id, encode(figures.sort(IDENTITY, maintain_order=True))),
    )


def latest_figures(con: sqlite3.Connection) -> pl.DataFrame:
    """Every figure's latest value: the snapshot, or (a migrated store) the frames folded."""
    frame = read_snapshot(con, latest_ingest(con))
    return current_figures(con) if frame is None else frame


def read_indicators(con: sqlite3.Connection) -> tuple[Indicator, ...]:
    rows = con.execute(
        "SELECT code, title, section, unit, polarity, measure, target, tolerance, definition, "
        "phrase, decimals, ord, pattern, records_measure, records_cell, baseline, new_process, "
        "label FROM indicators ORDER BY ord, key"
    ).fetchall()
    return tuple(indicator_of(r) for r in rows)


def read_context(con: sqlite3.Connection) -> Context:
    """The latest ingest's Context sheet (empty when no ingest had one)."""
    row = con.execute("SELECT ingest_id, council FROM contexts ORDER BY ingest_id DESC").fetchone()
    if row is None:
        return Context()
    ingest_id, council = row
    items = con.execute(
        "SELECT key, year, value FROM context_items WHERE ingest_id = ? ORDER BY ord",
        (ingest_id,),
    ).fetchall()
    population = con.execute(
        "SELECT fy, population FROM context_population WHERE ingest_id = ? ORDER BY rowid",
        (ingest_id,),
    ).fetchall()
    return context_of(council, items, population)


_COMMENTS = ", ".join(COMMENT_COLUMNS)


def read_comments(con: sqlite3.Connection) -> list[Comment]:
    """Every version of every comment, oldest first."""
    rows = con.execute(f"SELECT {_COMMENTS} FROM comments ORDER BY id").fetchall()
    return [comment_of(row) for row in rows]


def add_comments(con: sqlite3.Connection, comments: list[Comment]) -> list[Comment]:
    """Keep new versions, numbered after the last; the versions as kept."""
    first = con.execute("SELECT coalesce(max(id), 0) + 1 FROM comments").fetchone()[0]
    rows = [row_of(c, first + n) for n, c in enumerate(comments)]
    places = ", ".join("?" * len(COMMENT_COLUMNS))
    con.executemany(f"INSERT INTO comments ({_COMMENTS}) VALUES ({places})", rows)
    return [comment_of(row) for row in rows]


class Reader:
    """:class:`csckpi.store.backend.Tables`: the store's tables on an open connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def indicators(self) -> tuple[Indicator, ...]:
        return read_indicators(self.con)

    def latest(self) -> pl.DataFrame:
        return latest_figures(self.con)

    def context(self) -> Context:
        return read_context(self.con)

    def comments(self) -> list[Comment]:
        return read_comments(self.con)

    def ingests(self) -> list[IngestRow]:
        return read_ingests(self.con)

    def history(self, key: str | None = None) -> pl.DataFrame:
        return ingests_figures(self.con, key)

    def latest_ingest(self) -> int | None:
        return latest_ingest(self.con)

    def contents(self) -> Contents:
        return read_contents(self.con)


class Writer(Reader):
    """:class:`csckpi.store.backend.Transaction`: an ingest's (or a copy's, or a comment's)
    writes on a connection inside its transaction."""

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def receive(self, contents: Contents) -> None:
        write_contents(self.con, contents)

    def earlier(self, sha256: str) -> tuple[int, str, str] | None:
        row = self.con.execute(
            "SELECT id, ingested_at, file FROM ingests WHERE sha256 = ? ORDER BY id LIMIT 1",
            (sha256,),
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def add_ingest(
        self, *, file: str, sha256: str, layout: str, ingested_at: str, warnings: int
    ) -> int:
        ingest_id = self.con.execute(
            "INSERT INTO ingests (file, sha256, layout, ingested_at, warnings) "
            "VALUES (?, ?, ?, ?, ?)",
            (file, sha256, layout, ingested_at, warnings),
        ).lastrowid
        assert ingest_id is not None
        return ingest_id

    def add_figures(self, ingest_id: int, figures: pl.DataFrame) -> None:
        write_ingest_figures(self.con, figures, ingest_id)

    def keep_latest(self, ingest_id: int, figures: pl.DataFrame) -> None:
        write_snapshot(self.con, figures, ingest_id)

    def add_indicators(self, ingest_id: int, indicators: tuple[Indicator, ...]) -> None:
        self.con.executemany(
            "INSERT INTO indicators (code, title, section, unit, polarity, measure, target, "
            "tolerance, definition, phrase, decimals, ord, pattern, records_measure, "
            "records_cell, baseline, new_process, label, ingest_id, key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET code = excluded.code, title = excluded.title, "
            "section = excluded.section, unit = excluded.unit, polarity = excluded.polarity, "
            "measure = excluded.measure, target = excluded.target, "
            "tolerance = excluded.tolerance, definition = excluded.definition, "
            "phrase = excluded.phrase, decimals = excluded.decimals, ord = excluded.ord, "
            "ingest_id = excluded.ingest_id, pattern = excluded.pattern, "
            "records_measure = excluded.records_measure, records_cell = excluded.records_cell, "
            "baseline = excluded.baseline, new_process = excluded.new_process, "
            "label = excluded.label",
            [(*indicator_row(i), ingest_id, i.key) for i in indicators],
        )

    def add_context(self, ingest_id: int, context: Context) -> None:
        self.con.execute(
            "INSERT INTO contexts (ingest_id, council) VALUES (?, ?)", (ingest_id, context.council)
        )
        self.con.executemany(
            "INSERT INTO context_items (ingest_id, ord, key, year, value) VALUES (?, ?, ?, ?, ?)",
            [(ingest_id, n, k, y, v) for n, (k, y, v) in enumerate(context.items)],
        )
        self.con.executemany(
            "INSERT INTO context_population (ingest_id, fy, population) VALUES (?, ?, ?)",
            [(ingest_id, fy, p) for fy, p in context.population],
        )

    def add_comments(self, comments: list[Comment]) -> list[Comment]:
        return add_comments(self.con, comments)

    def count(
        self,
        ingest_id: int,
        *,
        indicators: int,
        months: int,
        added: int,
        revised: int,
        unchanged: int,
        kept: int,
    ) -> None:
        self.con.execute(
            "UPDATE ingests SET indicators = ?, months = ?, added = ?, revised = ?, "
            "unchanged = ?, kept = ? WHERE id = ?",
            (indicators, months, added, revised, unchanged, kept, ingest_id),
        )


_INDICATOR_COLUMNS = (
    "key, code, title, section, unit, polarity, measure, target, tolerance, definition, "
    "phrase, decimals, ord, ingest_id, pattern, records_measure, records_cell, baseline, "
    "new_process, label"
)


def _frame(con: sqlite3.Connection, table: str, sql: str) -> pl.DataFrame:
    schema = SCHEMAS[table][0]
    return pl.DataFrame(con.execute(sql).fetchall(), schema=schema, orient="row")


def read_contents(con: sqlite3.Connection) -> Contents:
    """Every row the store holds (:class:`Contents`)."""
    population = _frame(
        con,
        "context_population",
        "SELECT ingest_id, 0, fy, population FROM context_population ORDER BY rowid",
    ).with_columns(position=pl.int_range(pl.len()).over("ingest_id"))
    return Contents.of(
        ingests=pl.DataFrame(read_ingests(con), schema=SCHEMAS["ingests"][0]),
        indicators=_frame(con, "indicators", f"SELECT {_INDICATOR_COLUMNS} FROM indicators"),
        figures=ingests_figures(con).drop("file", "ingested_at"),
        contexts=_frame(con, "contexts", "SELECT ingest_id, council FROM contexts"),
        context_items=_frame(
            con, "context_items", "SELECT ingest_id, ord, key, year, value FROM context_items"
        ),
        context_population=population,
        comments=_frame(con, "comments", f"SELECT {_COMMENTS} FROM comments"),
    )


def write_contents(con: sqlite3.Connection, contents: Contents) -> None:
    """Write ``contents`` into an empty store, inside the caller's transaction: the figures as
    one frame per ingest and the snapshot of the latest, as an ingest leaves them."""
    inserts = {
        "ingests": "INSERT INTO ingests (id, file, sha256, layout, ingested_at, indicators, "
        "months, added, revised, unchanged, kept, warnings) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "indicators": f"INSERT INTO indicators ({_INDICATOR_COLUMNS}) "
        f"VALUES ({', '.join('?' * len(_INDICATOR_COLUMNS.split(',')))})",
        "contexts": "INSERT INTO contexts (ingest_id, council) VALUES (?, ?)",
        "context_items": "INSERT INTO context_items (ingest_id, ord, key, year, value) "
        "VALUES (?, ?, ?, ?, ?)",
        "context_population": "INSERT INTO context_population (ingest_id, fy, population) "
        "VALUES (?, ?, ?)",
        "comments": f"INSERT INTO comments ({_COMMENTS}) "
        f"VALUES ({', '.join('?' * len(COMMENT_COLUMNS))})",
    }
    for table, sql in inserts.items():
        frame = getattr(contents, table)
        if table == "context_population":
            frame = frame.drop("position")
        con.executemany(sql, frame.iter_rows())
    figures = contents.figures
    for (ingest_id,), frame in figures.partition_by(
        "ingest_id", as_dict=True, maintain_order=True
    ).items():
        write_ingest_figures(con, frame.drop("ingest_id"), int(ingest_id))
    newest = latest_ingest(con)
    if newest is not None:
        write_snapshot(con, latest(figures.drop("ingest_id")), newest)
