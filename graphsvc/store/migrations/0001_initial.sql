-- The first schema of the embedded store. Columns follow graphsvc.model.records.TABLES;
-- the store keeps no column that TABLES does not name, except in `meta`.
-- Applied once, inside the same transaction that records it in schema_migrations.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('revision', '0');

-- A rowid table, so `ORDER BY rowid` keeps the order sectors were added in (GOV BIZ EDU …).
CREATE TABLE sectors (
    code    TEXT PRIMARY KEY NOT NULL,
    name_th TEXT,
    name_en TEXT
);

CREATE TABLE organisations (
    org_id        TEXT PRIMARY KEY NOT NULL,
    name_th       TEXT,
    name_en       TEXT,
    match_key     TEXT,
    sector        TEXT,
    province_code TEXT,
    org_type      TEXT,
    aliases       TEXT,
    status        TEXT,
    joined_date   TEXT,
    extra         TEXT
) WITHOUT ROWID;

CREATE TABLE events (
    event_id       TEXT PRIMARY KEY NOT NULL,
    title_th       TEXT,
    title_en       TEXT,
    event_type     TEXT,
    province_code  TEXT,
    start_date     TEXT,
    fiscal_year_be INTEGER
) WITHOUT ROWID;

CREATE TABLE attendance (
    event_id  TEXT NOT NULL REFERENCES events (event_id),
    org_id    TEXT NOT NULL REFERENCES organisations (org_id),
    role      TEXT,
    delegates INTEGER,
    PRIMARY KEY (event_id, org_id)
) WITHOUT ROWID;

CREATE TABLE collaborations (
    org_a_id    TEXT NOT NULL REFERENCES organisations (org_id),
    org_b_id    TEXT NOT NULL REFERENCES organisations (org_id),
    collab_type TEXT NOT NULL,
    weight      REAL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    PRIMARY KEY (org_a_id, org_b_id, collab_type, start_date)
) WITHOUT ROWID;
