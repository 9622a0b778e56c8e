-- The history of writes (graphsvc history / undo): one row per write that changed something,
-- keyed by the revision it created, and every row it changed, before and after, as JSON.

CREATE TABLE ingests (
    revision  INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    office    TEXT,
    files     TEXT NOT NULL,
    counts    TEXT NOT NULL,
    undoes    INTEGER,
    undone_by INTEGER
);

CREATE TABLE ingest_rows (
    revision INTEGER NOT NULL REFERENCES ingests (revision),
    seq      INTEGER NOT NULL,
    tbl      TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    before   TEXT,
    after    TEXT,
    PRIMARY KEY (revision, seq)
) WITHOUT ROWID;

CREATE INDEX ingest_rows_by_key ON ingest_rows (tbl, row_key, revision);
