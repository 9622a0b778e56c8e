-- Organisations, events, attendance and collaborations become rowid tables whose keys are kept
-- by a unique index named <table>_key (instead of WITHOUT ROWID tables clustered on the key).
-- A first load into an empty table can then append its rows as they come and build the index
-- once, after the insert (sorting the keys once is much cheaper than keeping a b-tree ordered
-- row by row); the index also serves every upsert (ON CONFLICT) and the foreign keys, as the
-- primary key did. Rows are copied in key order. The store applies this with foreign keys off
-- (the tables are replaced while others refer to them) and checks them before it commits.

CREATE TABLE organisations_0003 (
    org_id        TEXT NOT NULL,
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
);
INSERT INTO organisations_0003 (org_id, name_th, name_en, match_key, sector, province_code,
                                org_type, aliases, status, joined_date, extra)
SELECT org_id, name_th, name_en, match_key, sector, province_code, org_type, aliases, status,
       joined_date, extra
FROM organisations ORDER BY org_id;
DROP TABLE organisations;
ALTER TABLE organisations_0003 RENAME TO organisations;
CREATE UNIQUE INDEX organisations_key ON organisations (org_id);

CREATE TABLE events_0003 (
    event_id       TEXT NOT NULL,
    title_th       TEXT,
    title_en       TEXT,
    event_type     TEXT,
    province_code  TEXT,
    start_date     TEXT,
    fiscal_year_be INTEGER
);
INSERT INTO events_0003 (event_id, title_th, title_en, event_type, province_code, start_date,
                         fiscal_year_be)
SELECT event_id, title_th, title_en, event_type, province_code, start_date, fiscal_year_be
FROM events ORDER BY event_id;
DROP TABLE events;
ALTER TABLE events_0003 RENAME TO events;
CREATE UNIQUE INDEX events_key ON events (event_id);

CREATE TABLE attendance_0003 (
    event_id  TEXT NOT NULL REFERENCES events (event_id),
    org_id    TEXT NOT NULL REFERENCES organisations (org_id),
    role      TEXT,
    delegates INTEGER
);
INSERT INTO attendance_0003 (event_id, org_id, role, delegates)
SELECT event_id, org_id, role, delegates FROM attendance ORDER BY event_id, org_id;
DROP TABLE attendance;
ALTER TABLE attendance_0003 RENAME TO attendance;
CREATE UNIQUE INDEX attendance_key ON attendance (event_id, org_id);

CREATE TABLE collaborations_0003 (
    org_a_id    TEXT NOT NULL REFERENCES organisations (org_id),
    org_b_id    TEXT NOT NULL REFERENCES organisations (org_id),
    collab_type TEXT NOT NULL,
    weight      REAL,
    start_date  TEXT NOT NULL,
    end_date    TEXT
);
INSERT INTO collaborations_0003 (org_a_id, org_b_id, collab_type, weight, start_date, end_date)
SELECT org_a_id, org_b_id, collab_type, weight, start_date, end_date
FROM collaborations ORDER BY org_a_id, org_b_id, collab_type, start_date;
DROP TABLE collaborations;
ALTER TABLE collaborations_0003 RENAME TO collaborations;
CREATE UNIQUE INDEX collaborations_key
    ON collaborations (org_a_id, org_b_id, collab_type, start_date);
