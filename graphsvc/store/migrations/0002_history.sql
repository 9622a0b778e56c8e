-- The history of writes (graphsvc history / undo): one row per write that changed something,
-- keyed by the revision it created; and, per table, the rows each write changed, as they were
-- before it (side 'b') and after it (side 'a'), column for column. The image columns have no
-- declared type, so every value is kept exactly as the table held it. Each image table is one
-- b-tree ordered by (revision, key, side): a write's rows are appended in key order.

CREATE TABLE ingests (
    revision  INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    office    TEXT,
    files     TEXT NOT NULL,
    counts    TEXT NOT NULL,
    undoes    INTEGER,
    undone_by INTEGER
);

CREATE TABLE history_sectors (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'a')),
    code, name_th, name_en,
    PRIMARY KEY (revision, code, side)
) WITHOUT ROWID;

CREATE TABLE history_organisations (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'a')),
    org_id, name_th, name_en, match_key, sector, province_code, org_type, aliases, status,
    joined_date, extra,
    PRIMARY KEY (revision, org_id, side)
) WITHOUT ROWID;

CREATE TABLE history_events (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'a')),
    event_id, title_th, title_en, event_type, province_code, start_date, fiscal_year_be,
    PRIMARY KEY (revision, event_id, side)
) WITHOUT ROWID;

CREATE TABLE history_attendance (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'a')),
    event_id, org_id, role, delegates,
    PRIMARY KEY (revision, event_id, org_id, side)
) WITHOUT ROWID;

CREATE TABLE history_collaborations (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'a')),
    org_a_id, org_b_id, collab_type, weight, start_date, end_date,
    PRIMARY KEY (revision, org_a_id, org_b_id, collab_type, start_date, side)
) WITHOUT ROWID;
