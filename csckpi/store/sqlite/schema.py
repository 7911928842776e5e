"""The SQLite store's tables, its version, and the migrations from every older version.

The version is kept in ``PRAGMA user_version``. :data:`MIGRATIONS` is the design: one entry
per change of the tables, ``MIGRATIONS[n]`` bringing a store from version n to n + 1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import polars as pl

from csckpi.store.figures import FRAME_SCHEMA
from csckpi.store.sqlite import tables
from csckpi.store.versions import migrate

SCHEMA_VERSION = 8

_SCHEMA = """
CREATE TABLE ingests (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    layout      TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL,
    indicators  INTEGER NOT NULL DEFAULT 0,
    months      INTEGER NOT NULL DEFAULT 0,
    added       INTEGER NOT NULL DEFAULT 0,
    revised     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    kept        INTEGER NOT NULL DEFAULT 0,
    warnings    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ingests_sha256 ON ingests (sha256);

CREATE TABLE indicators (
    key        TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    title      TEXT NOT NULL,
    section    TEXT NOT NULL,
    unit       TEXT NOT NULL,
    polarity   TEXT NOT NULL,
    measure    TEXT NOT NULL,
    target     REAL,
    tolerance  REAL,
    definition TEXT NOT NULL DEFAULT '',
    phrase     TEXT NOT NULL DEFAULT '',
    decimals   INTEGER,
    ord        INTEGER NOT NULL DEFAULT 0,
    ingest_id  INTEGER NOT NULL REFERENCES ingests (id),
    pattern    TEXT NOT NULL DEFAULT '',
    records_measure TEXT NOT NULL DEFAULT '',
    records_cell    TEXT NOT NULL DEFAULT '',
    baseline        TEXT NOT NULL DEFAULT '',
    new_process     TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL DEFAULT ''
);
"""

_CONTEXT_SCHEMA = """
CREATE TABLE contexts (
    ingest_id INTEGER PRIMARY KEY REFERENCES ingests (id),
    council   TEXT
);
CREATE TABLE context_items (
    ingest_id INTEGER NOT NULL REFERENCES ingests (id),
    ord       INTEGER NOT NULL,
    key       TEXT NOT NULL,
    year      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (ingest_id, ord)
);
CREATE TABLE context_population (
    ingest_id  INTEGER NOT NULL REFERENCES ingests (id),
    fy         INTEGER NOT NULL,
    population REAL NOT NULL,
    PRIMARY KEY (ingest_id, fy)
);
"""

_INGEST_FIGURES_SCHEMA = """
CREATE TABLE ingest_figures (
    ingest_id INTEGER PRIMARY KEY REFERENCES ingests (id),
    rows      INTEGER NOT NULL,
    figures   BLOB NOT NULL
);
"""

_SNAPSHOT_SCHEMA = """
CREATE TABLE snapshot (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    ingest_id INTEGER NOT NULL REFERENCES ingests (id),
    figures   BLOB NOT NULL
);
"""

_COMMENTS_SCHEMA = """
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    code       TEXT NOT NULL,
    period     TEXT NOT NULL,
    body       TEXT NOT NULL,
    carry      INTEGER NOT NULL DEFAULT 0,
    author     TEXT NOT NULL DEFAULT '',
    written_at TEXT NOT NULL,
    origin     TEXT NOT NULL,
    ingest_id  INTEGER NOT NULL REFERENCES ingests (id),
    file       TEXT,
    sheet      TEXT,
    cell       TEXT,
    removed    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_slot ON comments (key, period);
"""


def _migrate_0_to_1(con: sqlite3.Connection) -> None:
    """Version 0 (the pre-release store) had no layout column and kept no Context sheet."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(ingests)")}
    if "layout" not in columns:
        con.execute("ALTER TABLE ingests ADD COLUMN layout TEXT NOT NULL DEFAULT ''")
    for statement in _statements(_CONTEXT_SCHEMA):
        con.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def _migrate_1_to_2(con: sqlite3.Connection) -> None:
    """Version 2 keeps a snapshot of the latest figures (the next ingest writes it; until then
    :meth:`SqliteStore.load` folds the ingests' figures)."""
    for statement in _statements(_SNAPSHOT_SCHEMA):
        con.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def _migrate_2_to_3(con: sqlite3.Connection) -> None:
    """Version 3 keeps each indicator's sentence pattern (the Indicators sheet's optional
    ``pattern`` column; empty until the next ingest gives one)."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    if "pattern" not in columns:
        con.execute("ALTER TABLE indicators ADD COLUMN pattern TEXT NOT NULL DEFAULT ''")


def _migrate_3_to_4(con: sqlite3.Connection) -> None:
    """Version 4 keeps each ingest's figures as one compressed frame instead of one row per
    figure: the ``figures`` table's rows become one frame per ingest (in the order they were
    written), the table is dropped, and the snapshot is rebuilt if it is missing or stale."""
    con.execute(_statements(_INGEST_FIGURES_SCHEMA)[0])
    names = ", ".join(FRAME_SCHEMA)
    rows = con.execute(f"SELECT ingest_id, {names} FROM figures ORDER BY ingest_id, id").fetchall()
    table = pl.DataFrame(rows, schema={"ingest_id": pl.Int64(), **FRAME_SCHEMA}, orient="row")
    for (ingest_id,), frame in table.partition_by(
        "ingest_id", as_dict=True, maintain_order=True
    ).items():
        tables.write_ingest_figures(con, frame.drop("ingest_id"), int(ingest_id))
    con.execute("DROP TABLE figures")
    latest = tables.latest_ingest(con)
    if latest is not None and tables.read_snapshot(con, latest) is None:
        tables.write_snapshot(con, tables.current_figures(con), latest)


def _migrate_4_to_5(con: sqlite3.Connection) -> None:
    """Version 5 keeps the analyst's commentary, every version of it (none until the next
    ingest of a workbook with a Commentary sheet, or csckpi comment)."""
    for statement in _statements(_COMMENTS_SCHEMA):
        con.execute(
            statement.replace(" TABLE ", " TABLE IF NOT EXISTS ", 1).replace(
                " INDEX ", " INDEX IF NOT EXISTS ", 1
            )
        )


def _migrate_5_to_6(con: sqlite3.Connection) -> None:
    """Version 6 keeps the Annex A measure each indicator's figures are derived from (the
    Indicators sheet's optional ``records_measure`` column) and its cell; empty until the next
    ingest gives one."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    for name in ("records_measure", "records_cell"):
        if name not in columns:
            con.execute(f"ALTER TABLE indicators ADD COLUMN {name} TEXT NOT NULL DEFAULT ''")


def _migrate_6_to_7(con: sqlite3.Connection) -> None:
    """Version 7 keeps each indicator's control-limit baseline and the months a new process
    starts from (the Indicators sheet's optional ``baseline`` and ``new process from``; empty
    until the next ingest gives them)."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    for name in ("baseline", "new_process"):
        if name not in columns:
            con.execute(f"ALTER TABLE indicators ADD COLUMN {name} TEXT NOT NULL DEFAULT ''")


def _migrate_7_to_8(con: sqlite3.Connection) -> None:
    """Version 8 keeps each indicator's short name (the Indicators sheet's optional ``label``
    column; empty until the next ingest gives one)."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    if "label" not in columns:
        con.execute("ALTER TABLE indicators ADD COLUMN label TEXT NOT NULL DEFAULT ''")


#: MIGRATIONS[n] brings a store from version n to n + 1, inside the caller's transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
    5: _migrate_5_to_6,
    6: _migrate_6_to_7,
    7: _migrate_7_to_8,
}


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def prepare(con: sqlite3.Connection, version: int) -> None:
    """Create the tables in an empty database, or migrate one of ``version`` (in the caller's
    transaction), and set the version."""
    count = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
    if count[0] == 0:
        schema = (
            _SCHEMA + _INGEST_FIGURES_SCHEMA + _CONTEXT_SCHEMA + _SNAPSHOT_SCHEMA + _COMMENTS_SCHEMA
        )
        for statement in _statements(schema):
            con.execute(statement)
    else:
        migrate(con, version, SCHEMA_VERSION, MIGRATIONS)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
