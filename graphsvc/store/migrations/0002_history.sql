-- The history of writes (graphsvc history / undo): one row per write that changed something,
-- keyed by the revision it created; and, per table, the rows each write changed: a row it
-- changed or deleted as it was before it (side 'b', column for column), a row it inserted by
-- its key alone (side 'i'). What a write left is what the next write of the same row found
-- (its 'b' image; none after an 'i'), or the row as stored now. The columns have no declared
-- type, so every value is kept exactly as the table held it. Each table is one b-tree ordered
-- by (revision, key): a write's rows are appended in key order.

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
    side     TEXT NOT NULL CHECK (side IN ('b', 'i')),
    code, name_th, name_en,
    PRIMARY KEY (revision, code)
) WITHOUT ROWID;

CREATE TABLE history_organisations (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'i')),
    org_id, name_th, name_en, match_key, sector, province_code, org_type, aliases, status,
    joined_date, extra,
    PRIMARY KEY (revision, org_id)
) WITHOUT ROWID;

CREATE TABLE history_events (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'i')),
    event_id, title_th, title_en, event_type, province_code, start_date, fiscal_year_be,
    PRIMARY KEY (revision, event_id)
) WITHOUT ROWID;

CREATE TABLE history_attendance (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'i')),
    event_id, org_id, role, delegates,
    PRIMARY KEY (revision, event_id, org_id)
) WITHOUT ROWID;

CREATE TABLE history_collaborations (
    revision INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('b', 'i')),
    org_a_id, org_b_id, collab_type, weight, start_date, end_date,
    PRIMARY KEY (revision, org_a_id, org_b_id, collab_type, start_date)
) WITHOUT ROWID;
