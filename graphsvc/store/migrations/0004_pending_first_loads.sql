-- A first load into an empty table records no key rows in history_<table> at once: while no
-- later write has touched the table, the rows it holds are exactly the rows that load inserted,
-- so one row here stands for all their keys. The next write that touches the table (an upsert
-- or an undo) first copies those keys into history_<table> and deletes this row; until then
-- the history is read from the table itself (graphsvc.store.sqlite_history).

CREATE TABLE history_first_loads (
    tbl      TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
);
