"""The server store's tables, in portable SQL: plain relational tables a BI tool can read.

Every statement here is standard SQL with ``?`` placeholders: standard types (INTEGER,
SMALLINT, DOUBLE PRECISION; text columns of the dialect's type), no server's own functions,
no column named by a reserved word (so ``indicator`` not ``key``, ``workbook`` not ``file``,
``is_current`` not ``current``), ids given by the store itself (under its write lock) rather
than by an identity column. Bulk rows go through the dialect's ``copy_in`` / ``copy_out``.

What is kept (docs/team-store.md describes each column)
    ``store_version``  one row: the tables' version (:data:`SCHEMA_VERSION`).
    ``ingests``     one row per workbook written: workbook, SHA-256, layout, time, counts.
    ``indicators``  the catalogue, each definition as of the latest ingest that gave it.
    ``figures``     every value every figure has had: one row per figure an ingest added or
                    revised, with its sheet and cell; ``is_current`` is 1 on its latest value.
    ``contexts``, ``context_items``, ``context_population``  each ingest's Context sheet.
    ``snapshot``    csckpi's own cache (not for BI tools): the latest figures as one compressed
                    Arrow frame, written by each ingest in its transaction and tagged with it,
                    so ``load()`` reads one value instead of every current row; a stale or
                    missing one is never used (the current rows are read instead).
    ``current_figures``  a view: every figure's latest value with its indicator's title and
                    the ingest (workbook, time) that brought it.
    ``comments``    every version of the analyst's commentary (:mod:`csckpi.store.comments`).
    ``current_comments``  a view: the comment in force for each indicator and period.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl

from csckpi.model import Context, Indicator
from csckpi.store.comments import COLUMNS as COMMENT_COLUMNS
from csckpi.store.comments import comment_of, row_of
from csckpi.store.contents import SCHEMAS, Contents
from csckpi.store.figures import FRAME_SCHEMA, IDENTITY, INGESTED_SCHEMA, decode, encode, latest
from csckpi.store.records import IngestRow
from csckpi.store.rows import context_of, indicator_of, indicator_row
from csckpi.store.server.ddl import COMMENTS_SCHEMA as _COMMENTS_SCHEMA
from csckpi.store.server.ddl import SCHEMA as _SCHEMA
from csckpi.store.server.ddl import SNAPSHOT as _SNAPSHOT

if TYPE_CHECKING:
    from csckpi.commentary import Comment
    from csckpi.store.server.dialect import Connection, Dialect

SCHEMA_VERSION = 6

#: The store's tables and views, in the order they are created.
TABLES = (
    "store_version",
    "ingests",
    "indicators",
    "figures",
    "contexts",
    "context_items",
    "context_population",
    "snapshot",
    "current_figures",
    "comments",
    "current_comments",
)


def _migrate_1_to_2(dialect: Dialect, con: Connection) -> None:
    """Version 2 keeps a snapshot of the latest figures (the next ingest writes it; until then
    the current rows are read). Version 1's figures keep their primary key and index: new
    stores have none, which makes each ingest's bulk copy several times faster."""
    dialect.execute(con, _SNAPSHOT.strip().replace("{blob}", dialect.blob))


def _migrate_2_to_3(dialect: Dialect, con: Connection) -> None:
    """Version 3 keeps the analyst's commentary (none until an ingest or csckpi comment)."""
    for statement in _statements(_COMMENTS_SCHEMA, dialect):
        dialect.execute(con, statement)


def _migrate_3_to_4(dialect: Dialect, con: Connection) -> None:
    """Version 4 keeps each indicator's Annex A measure and its cell (empty until an ingest)."""
    found = dialect.execute(con, "SELECT * FROM indicators WHERE 1 = 0").description or ()
    for name in {"records_measure", "records_cell"} - {d[0] for d in found}:
        add = f"ALTER TABLE indicators ADD COLUMN {name} {dialect.text} NOT NULL DEFAULT ''"
        dialect.execute(con, add)


def _migrate_4_to_5(dialect: Dialect, con: Connection) -> None:
    """Version 5 keeps each indicator's control-limit baseline and the months a new process
    starts from (empty until the next ingest gives them); a column already there is kept."""
    found = dialect.execute(con, "SELECT * FROM indicators WHERE 1 = 0").description or ()
    for name in ("baseline", "new_process"):
        if name not in {d[0] for d in found}:
            add = f"ALTER TABLE indicators ADD COLUMN {name} {dialect.text} NOT NULL DEFAULT ''"
            dialect.execute(con, add)


def _migrate_5_to_6(dialect: Dialect, con: Connection) -> None:
    """Version 6 keeps each indicator's short name (empty until an ingest gives one)."""
    found = dialect.execute(con, "SELECT * FROM indicators WHERE 1 = 0").description or ()
    if "label" not in {d[0] for d in found}:
        add = f"ALTER TABLE indicators ADD COLUMN label {dialect.text} NOT NULL DEFAULT ''"
        dialect.execute(con, add)


#: MIGRATIONS[n] brings a store from version n to n + 1, inside the caller's transaction.
MIGRATIONS: dict[int, Callable[[Dialect, Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
    5: _migrate_5_to_6,
}

#: Each writing step's privileges on each table (what an ingest needs of the role).
WRITES = (
    ("INSERT", "ingests"),
    ("UPDATE", "ingests"),
    ("INSERT", "indicators"),
    ("UPDATE", "indicators"),
    ("INSERT", "figures"),
    ("UPDATE", "figures"),
    ("INSERT", "contexts"),
    ("INSERT", "context_items"),
    ("INSERT", "context_population"),
    ("INSERT", "snapshot"),
    ("DELETE", "snapshot"),
    ("INSERT", "comments"),
)

#: A figure as the ``figures`` table names its columns.
_FRAME = {("indicator" if k == "key" else k): v for k, v in FRAME_SCHEMA.items()}
_FIGURE_COLUMNS = "kind, indicator, code, period, part, figure, value, source, sheet, cell"
_INGEST_COLUMNS = (
    "id, workbook, sha256, layout, ingested_at, indicators, months, added, revised, "
    "unchanged, kept, warnings"
)
_INDICATOR_COLUMNS = (
    "code, title, section, unit, polarity, measure, target, tolerance, definition, phrase, "
    "decimals, position, pattern, records_measure, records_cell, baseline, new_process, label"
)


def _statements(script: str, dialect: Dialect) -> list[str]:
    script = script.replace("{text}", dialect.text).replace("{blob}", dialect.blob)
    return [s.strip() for s in script.split(";") if s.strip()]


def statements(dialect: Dialect) -> list[str]:
    """The statements that create the tables, in the dialect's text and bytes types."""
    return _statements(_SCHEMA + _COMMENTS_SCHEMA, dialect)


def create(dialect: Dialect, con: Connection) -> None:
    """Create every table in an empty schema and record the version (in the caller's
    transaction)."""
    for statement in statements(dialect):
        dialect.execute(con, statement)
    dialect.execute(con, "INSERT INTO store_version (version) VALUES (?)", (SCHEMA_VERSION,))


def version(dialect: Dialect, con: Connection) -> int:
    row = dialect.execute(con, "SELECT version FROM store_version").fetchone()
    return 0 if row is None else int(row[0])


def set_version(dialect: Dialect, con: Connection, number: int) -> None:
    dialect.execute(con, "UPDATE store_version SET version = ?", (number,))


def latest_ingest(dialect: Dialect, con: Connection) -> int | None:
    found = dialect.execute(con, "SELECT max(id) FROM ingests").fetchone()[0]
    return None if found is None else int(found)


def read_ingests(dialect: Dialect, con: Connection) -> list[IngestRow]:
    rows = dialect.execute(con, f"SELECT {_INGEST_COLUMNS} FROM ingests ORDER BY id").fetchall()
    names = list(IngestRow.__annotations__)
    return [IngestRow(**dict(zip(names, row, strict=True))) for row in rows]  # type: ignore[typeddict-item]


def read_snapshot(dialect: Dialect, con: Connection, ingest_id: int | None) -> pl.DataFrame | None:
    """The latest figures as one compressed frame, if ingest ``ingest_id`` wrote it."""
    if ingest_id is None:
        return pl.DataFrame(schema=FRAME_SCHEMA)
    row = dialect.execute(con, "SELECT ingest, figures FROM snapshot").fetchone()
    if row is None or row[0] != ingest_id:
        return None
    return decode(bytes(row[1]))


def write_snapshot(
    dialect: Dialect, con: Connection, figures: pl.DataFrame, ingest_id: int
) -> None:
    """Keep ``figures`` (every figure's latest value) as the snapshot of ingest ``ingest_id``."""
    dialect.execute(con, "DELETE FROM snapshot")
    dialect.execute(
        con, "INSERT INTO snapshot (ingest, figures) VALUES (?, ?)", (ingest_id, encode(figures))
    )


def latest_figures(dialect: Dialect, con: Connection) -> pl.DataFrame:
    """Every figure's latest value: the snapshot, or (stale or missing) the current rows."""
    frame = read_snapshot(dialect, con, latest_ingest(dialect, con))
    return current_figures(dialect, con) if frame is None else frame


def current_figures(dialect: Dialect, con: Connection) -> pl.DataFrame:
    """Every figure's latest value (``FRAME_SCHEMA``), read from the current rows."""
    frame = dialect.copy_out(
        con, f"SELECT {_FIGURE_COLUMNS} FROM figures WHERE is_current = 1", (), _FRAME
    )
    return frame.rename({"indicator": "key"})


def ingests_figures(dialect: Dialect, con: Connection, key: str | None = None) -> pl.DataFrame:
    """Every figure every ingest brought (``INGESTED_SCHEMA``; indicator ``key``'s only if
    given), oldest ingest first."""
    schema = {**_FRAME, "ingest": pl.Int64(), "workbook": pl.String(), "ingested_at": pl.String()}
    columns = ", ".join(f"f.{c}" for c in _FRAME)
    sql = (
        f"SELECT {columns}, f.ingest, g.workbook, g.ingested_at FROM figures f "
        "JOIN ingests g ON g.id = f.ingest"
    )
    params: tuple[Any, ...] = ()
    if key is not None:
        sql, params = sql + " WHERE f.indicator = ?", (key,)
    frame = dialect.copy_out(con, sql, params, schema)
    return (
        frame.rename({"indicator": "key", "ingest": "ingest_id", "workbook": "file"})
        .sort(["ingest_id", *IDENTITY])
        .select(list(INGESTED_SCHEMA))
    )


def read_indicators(dialect: Dialect, con: Connection) -> tuple[Indicator, ...]:
    rows = dialect.execute(
        con, f"SELECT {_INDICATOR_COLUMNS}, indicator FROM indicators"
    ).fetchall()
    return tuple(indicator_of(r) for r in sorted(rows, key=lambda r: (r[11], r[18])))


def read_context(dialect: Dialect, con: Connection) -> Context:
    """The latest ingest's Context sheet (empty when no ingest had one)."""
    row = dialect.execute(
        con,
        "SELECT ingest, council FROM contexts WHERE ingest = (SELECT max(ingest) FROM contexts)",
    ).fetchone()
    if row is None:
        return Context()
    ingest_id, council = row
    items = dialect.execute(
        con,
        "SELECT item, year, value FROM context_items WHERE ingest = ? ORDER BY position",
        (ingest_id,),
    ).fetchall()
    population = dialect.execute(
        con,
        "SELECT fy, population FROM context_population WHERE ingest = ? ORDER BY position",
        (ingest_id,),
    ).fetchall()
    return context_of(council, items, population)


_COMMENT_NAMES = {"key": "indicator", "ingest_id": "ingest", "file": "workbook"}
_COMMENTS = ", ".join(_COMMENT_NAMES.get(c, c) for c in COMMENT_COLUMNS)


def read_comments(dialect: Dialect, con: Connection) -> list[Comment]:
    """Every version of every comment, oldest first."""
    rows = dialect.execute(con, f"SELECT {_COMMENTS} FROM comments ORDER BY id").fetchall()
    return [comment_of(row) for row in rows]


def add_comments(dialect: Dialect, con: Connection, comments: list[Comment]) -> list[Comment]:
    """Keep new versions, numbered after the last (under the write lock); them as kept."""
    first = dialect.execute(con, "SELECT max(id) FROM comments").fetchone()[0] or 0
    rows = [row_of(c, first + 1 + n) for n, c in enumerate(comments)]
    if rows:
        places = ", ".join("?" * len(COMMENT_COLUMNS))
        dialect.execute_many(con, f"INSERT INTO comments ({_COMMENTS}) VALUES ({places})", rows)
    return [comment_of(row) for row in rows]


class Reader:
    """:class:`csckpi.store.backend.Tables` in portable SQL, on an open connection."""

    def __init__(self, dialect: Dialect, con: Connection) -> None:
        self.dialect, self.con = dialect, con

    def indicators(self) -> tuple[Indicator, ...]:
        return read_indicators(self.dialect, self.con)

    def latest(self) -> pl.DataFrame:
        return latest_figures(self.dialect, self.con)

    def context(self) -> Context:
        return read_context(self.dialect, self.con)

    def comments(self) -> list[Comment]:
        return read_comments(self.dialect, self.con)

    def ingests(self) -> list[IngestRow]:
        return read_ingests(self.dialect, self.con)

    def history(self, key: str | None = None) -> pl.DataFrame:
        return ingests_figures(self.dialect, self.con, key)

    def latest_ingest(self) -> int | None:
        return latest_ingest(self.dialect, self.con)

    def contents(self) -> Contents:
        return read_contents(self.dialect, self.con)


class Writer(Reader):
    """:class:`csckpi.store.backend.Transaction` in portable SQL, inside the transaction (the
    caller holds the write lock, so ids are given as the next number)."""

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.dialect.execute(self.con, sql, params)

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        self.con.rollback()

    def receive(self, contents: Contents) -> None:
        write_contents(self.dialect, self.con, contents)

    def earlier(self, sha256: str) -> tuple[int, str, str] | None:
        row = self._run(
            "SELECT id, ingested_at, workbook FROM ingests WHERE id = "
            "(SELECT min(id) FROM ingests WHERE sha256 = ?)",
            (sha256,),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), str(row[2]))

    def add_ingest(
        self, *, file: str, sha256: str, layout: str, ingested_at: str, warnings: int
    ) -> int:
        ingest_id = (latest_ingest(self.dialect, self.con) or 0) + 1
        self._run(
            f"INSERT INTO ingests ({_INGEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, ?)",
            (ingest_id, file, sha256, layout, ingested_at, warnings),
        )
        return ingest_id

    def add_figures(self, ingest_id: int, figures: pl.DataFrame) -> None:
        """The ingest's added and revised figures become current; the values they replace
        are kept, no longer current."""
        if not figures.height:
            return
        rows = figures.select(list(FRAME_SCHEMA)).rename({"key": "indicator"})
        self.dialect.copy_in(
            self.con,
            "figures",
            rows.with_columns(
                ingest=pl.lit(ingest_id, pl.Int64()), is_current=pl.lit(1, pl.Int16())
            ),
        )
        self._run(
            "UPDATE figures SET is_current = 0 WHERE is_current = 1 AND ingest < ? AND EXISTS ("
            "SELECT 1 FROM figures n WHERE n.ingest = ? AND n.kind = figures.kind "
            "AND n.indicator = figures.indicator AND n.period = figures.period "
            "AND n.part = figures.part AND n.figure = figures.figure)",
            (ingest_id, ingest_id),
        )

    def keep_latest(self, ingest_id: int, figures: pl.DataFrame) -> None:
        """The snapshot ``load()`` reads (``is_current`` is kept by :meth:`add_figures`)."""
        write_snapshot(self.dialect, self.con, figures, ingest_id)

    def add_indicators(self, ingest_id: int, indicators: tuple[Indicator, ...]) -> None:
        known = {r[0] for r in self._run("SELECT indicator FROM indicators").fetchall()}
        rows = [(*indicator_row(i), ingest_id, i.key) for i in indicators]
        updated = [r for r in rows if r[-1] in known]
        if updated:
            self.dialect.execute_many(
                self.con,
                "UPDATE indicators SET code = ?, title = ?, section = ?, unit = ?, "
                "polarity = ?, measure = ?, target = ?, tolerance = ?, definition = ?, "
                "phrase = ?, decimals = ?, position = ?, pattern = ?, records_measure = ?, "
                "records_cell = ?, baseline = ?, new_process = ?, label = ?, ingest = ? "
                "WHERE indicator = ?",
                updated,
            )
        added = [r for r in rows if r[-1] not in known]
        if added:
            self.dialect.execute_many(
                self.con,
                f"INSERT INTO indicators ({_INDICATOR_COLUMNS}, ingest, indicator) "
                f"VALUES ({', '.join('?' * len(rows[0]))})",
                added,
            )

    def add_context(self, ingest_id: int, context: Context) -> None:
        self._run(
            "INSERT INTO contexts (ingest, council) VALUES (?, ?)", (ingest_id, context.council)
        )
        if context.items:
            self.dialect.execute_many(
                self.con,
                "INSERT INTO context_items (ingest, position, item, year, value) "
                "VALUES (?, ?, ?, ?, ?)",
                [(ingest_id, n, k, y, v) for n, (k, y, v) in enumerate(context.items)],
            )
        if context.population:
            self.dialect.execute_many(
                self.con,
                "INSERT INTO context_population (ingest, position, fy, population) "
                "VALUES (?, ?, ?, ?)",
                [(ingest_id, n, fy, p) for n, (fy, p) in enumerate(context.population)],
            )

    def add_comments(self, comments: list[Comment]) -> list[Comment]:
        return add_comments(self.dialect, self.con, comments)

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
        self._run(
            "UPDATE ingests SET indicators = ?, months = ?, added = ?, revised = ?, "
            "unchanged = ?, kept = ? WHERE id = ?",
            (indicators, months, added, revised, unchanged, kept, ingest_id),
        )


#: Each table of :class:`Contents` as the server names it and its columns.
_CONTENTS = {
    "ingests": ("ingests", {"workbook": "file"}),
    "indicators": ("indicators", {"indicator": "key", "position": "order", "ingest": "ingest_id"}),
    "contexts": ("contexts", {"ingest": "ingest_id"}),
    "context_items": ("context_items", {"ingest": "ingest_id", "item": "key"}),
    "context_population": ("context_population", {"ingest": "ingest_id"}),
    "comments": ("comments", {theirs: ours for ours, theirs in _COMMENT_NAMES.items()}),
}


def _server_names(table: str) -> dict[str, str]:
    """Contents' column -> the server table's column."""
    return {ours: theirs for theirs, ours in _CONTENTS[table][1].items()}


def read_contents(dialect: Dialect, con: Connection) -> Contents:
    """Every row the store holds (:class:`Contents`), each table in one bulk copy."""
    frames = {}
    for name, (table, renames) in _CONTENTS.items():
        schema = SCHEMAS[name][0]
        names = _server_names(name)
        columns = [names.get(c, c) for c in schema]
        server_schema = {names.get(c, c): t for c, t in schema.items()}
        frame = dialect.copy_out(
            con, f"SELECT {', '.join(columns)} FROM {table}", (), server_schema
        )
        frames[name] = frame.rename(renames)
    figures = ingests_figures(dialect, con).drop("file", "ingested_at")
    return Contents.of(figures=figures, **frames)


def write_contents(dialect: Dialect, con: Connection, contents: Contents) -> None:
    """Write ``contents`` into an empty store, inside the caller's transaction (each table in
    one bulk copy; ``is_current`` set on each figure's latest value)."""
    for name, (table, _) in _CONTENTS.items():
        frame = getattr(contents, name)
        if frame.height:
            dialect.copy_in(con, table, frame.rename(_server_names(name)))
    figures = contents.figures
    if figures.height:
        newest = pl.col("ingest_id") == pl.col("ingest_id").max().over(list(IDENTITY))
        dialect.copy_in(
            con,
            "figures",
            figures.with_columns(is_current=newest.cast(pl.Int16())).rename(
                {"key": "indicator", "ingest_id": "ingest"}
            ),
        )
        newest_ingest = latest_ingest(dialect, con)
        if newest_ingest is not None:
            write_snapshot(dialect, con, latest(figures.drop("ingest_id")), newest_ingest)
