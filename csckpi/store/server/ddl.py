"""The server store's tables as portable SQL text (csckpi.store.server.tables runs it):
``{text}`` and ``{blob}`` stand for the dialect's column types."""

__all__ = ["COMMENTS_SCHEMA", "SCHEMA", "SNAPSHOT"]

#: A new store's tables and views (its comments' are COMMENTS_SCHEMA).
SCHEMA = """
CREATE TABLE store_version (
    version     INTEGER NOT NULL
);
CREATE TABLE ingests (
    id          INTEGER NOT NULL PRIMARY KEY,
    workbook    {text} NOT NULL,
    sha256      {text} NOT NULL,
    layout      {text} NOT NULL,
    ingested_at {text} NOT NULL,
    indicators  INTEGER NOT NULL,
    months      INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    revised     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    kept        INTEGER NOT NULL,
    warnings    INTEGER NOT NULL
);
CREATE INDEX ingests_sha256 ON ingests (sha256);
CREATE TABLE indicators (
    indicator   {text} NOT NULL PRIMARY KEY,
    code        {text} NOT NULL,
    title       {text} NOT NULL,
    section     {text} NOT NULL,
    unit        {text} NOT NULL,
    polarity    {text} NOT NULL,
    measure     {text} NOT NULL,
    target      DOUBLE PRECISION,
    tolerance   DOUBLE PRECISION,
    definition  {text} NOT NULL,
    phrase      {text} NOT NULL,
    decimals    INTEGER,
    position    INTEGER NOT NULL,
    ingest      INTEGER NOT NULL REFERENCES ingests (id),
    pattern     {text} NOT NULL,
    records_measure {text} NOT NULL DEFAULT '',
    records_cell    {text} NOT NULL DEFAULT '',
    baseline        {text} NOT NULL DEFAULT '',
    new_process     {text} NOT NULL DEFAULT '',
    label           {text} NOT NULL DEFAULT ''
);
CREATE TABLE figures (
    ingest      INTEGER NOT NULL,
    kind        {text} NOT NULL,
    indicator   {text} NOT NULL,
    code        {text} NOT NULL,
    period      {text} NOT NULL,
    part        {text} NOT NULL,
    figure      {text} NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    source      {text},
    sheet       {text},
    cell        {text},
    is_current  SMALLINT NOT NULL
);
CREATE TABLE contexts (
    ingest      INTEGER NOT NULL PRIMARY KEY REFERENCES ingests (id),
    council     {text}
);
CREATE TABLE context_items (
    ingest      INTEGER NOT NULL REFERENCES ingests (id),
    position    INTEGER NOT NULL,
    item        {text} NOT NULL,
    year        {text} NOT NULL,
    value       {text} NOT NULL,
    PRIMARY KEY (ingest, position)
);
CREATE TABLE context_population (
    ingest      INTEGER NOT NULL REFERENCES ingests (id),
    position    INTEGER NOT NULL,
    fy          INTEGER NOT NULL,
    population  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (ingest, position)
);
CREATE TABLE snapshot (
    ingest      INTEGER NOT NULL,
    figures     {blob} NOT NULL
);
CREATE VIEW current_figures AS
    SELECT f.indicator, f.code, i.title, f.kind, f.period, f.part, f.figure, f.value,
           f.source, f.sheet, f.cell, f.ingest, g.workbook, g.ingested_at
    FROM figures f
    JOIN ingests g ON g.id = f.ingest
    LEFT JOIN indicators i ON i.indicator = f.indicator
    WHERE f.is_current = 1;
"""

#: Version 2: the snapshot table, for a store made by version 1.
SNAPSHOT = """
CREATE TABLE snapshot (
    ingest      INTEGER NOT NULL,
    figures     {blob} NOT NULL
)
"""

#: Version 3: the analyst's commentary, every version of it, and the view of those in force.
COMMENTS_SCHEMA = """
CREATE TABLE comments (
    id          INTEGER NOT NULL PRIMARY KEY,
    indicator   {text} NOT NULL,
    code        {text} NOT NULL,
    period      {text} NOT NULL,
    body        {text} NOT NULL,
    carry       SMALLINT NOT NULL,
    author      {text} NOT NULL,
    written_at  {text} NOT NULL,
    origin      {text} NOT NULL,
    ingest      INTEGER NOT NULL REFERENCES ingests (id),
    workbook    {text},
    sheet       {text},
    cell        {text},
    removed     SMALLINT NOT NULL
);
CREATE INDEX comments_slot ON comments (indicator, period);
CREATE VIEW current_comments AS
    SELECT c.indicator, c.code, c.period, c.body, c.carry, c.author, c.written_at, c.origin,
           c.ingest, c.workbook, c.sheet, c.cell, c.id
    FROM comments c
    WHERE c.removed = 0
      AND c.id = (SELECT max(m.id) FROM comments m
                  WHERE m.indicator = c.indicator AND m.period = c.period)
"""
