"""The embedded store: one SQLite file (the default backend).

Open it with :func:`graphsvc.store.open_store` (``sqlite:///graphsvc.db``,
``sqlite:////abs/path.db`` or ``sqlite:///:memory:``) or :meth:`SQLiteStore.from_url`.

- The file is in WAL mode with ``synchronous=NORMAL``, ``foreign_keys=ON`` and a busy timeout;
  the schema migrations of :mod:`graphsvc.store.migrations` are applied when it is opened.
- Threads: every thread gets a connection of its own (``threading.local``), so FastAPI's thread
  pool can read while one writer writes; each read of several tables runs in one read
  transaction, so it sees one consistent snapshot (WAL readers never wait for the writer).
  A ``:memory:`` database exists only inside its connection, so there one connection is shared
  by all threads and a lock serialises its use.
- :meth:`SQLiteStore.write_batch` is one ``BEGIN IMMEDIATE`` transaction; each table is
  written by :func:`graphsvc.store.sqlite_write.write_table`: bulk loaded into a TEMP staging
  table keyed like the real one (``executemany``; a duplicate key fails there), checked with
  set-based SQL, then merged with one ``INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE <a column
  differs>`` (an empty table takes the rows directly and builds its unique key index after
  them, one sort instead of a b-tree kept in order row by row). Inserted rows are the growth of the
  table, updated rows the rest of ``changes()``, unchanged rows the remainder. The ``revision``
  in ``meta`` rises by one only when something changed.
- No ``sqlite3`` exception leaves this module: database errors become
  :class:`~graphsvc.errors.StoreUnavailable`, bad batches :class:`~graphsvc.errors.InvalidInput`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from graphsvc.errors import (
    GraphsvcError,
    InvalidInput,
    StoreChanged,
    StoreUnavailable,
    UnknownOrganisation,
)
from graphsvc.model.records import (
    ORG_STATUSES,
    TABLES,
    GraphFilter,
    Organisation,
    RecordBatch,
    Sector,
)
from graphsvc.model.text import match_key, thai_sort_key
from graphsvc.store import sqlite_history
from graphsvc.store.history import RowChange, WriteRecord
from graphsvc.store.migrations import apply_migrations
from graphsvc.store.protocol import COUNTED_TABLES, GraphLoading, TableChanges, WriteReport

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "SQLiteStore"]

DEFAULT_BUSY_TIMEOUT_MS = 10_000
_ORG_COLUMNS = TABLES["organisations"].columns
_F = TypeVar("_F", bound=Callable[..., Any])


def _casefold(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


def _translating(method: _F) -> _F:
    """Turn ``sqlite3`` errors raised inside a store method into :class:`StoreUnavailable`."""

    @functools.wraps(method)
    def wrapper(self: SQLiteStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except GraphsvcError:
            raise
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc

    return wrapper  # type: ignore[return-value]


class SQLiteStore(GraphLoading):
    """A partner network in one SQLite file (see the module docstring for its guarantees).

    Parameters
    ----------
    path : str or os.PathLike
        The database file (created if absent), or ``":memory:"``.
    busy_timeout_ms : int
        How long a write waits for another process's write to finish before giving up with
        :class:`~graphsvc.errors.StoreUnavailable`.
    """

    kind = "sqlite"

    def __init__(self, path: str | os.PathLike[str], *,
                 busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self.memory = str(path) == ":memory:"
        self.location = ":memory:" if self.memory else os.path.abspath(os.fspath(path))
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._shared: sqlite3.Connection | None = None
        try:
            conn = self._connect()
            apply_migrations(conn)
        except (sqlite3.Error, RuntimeError) as exc:
            self.close()
            raise self._unavailable(exc) from exc
        self._shared = conn if self.memory else None
        if not self.memory:
            self._local.conn, self._local.ident = conn, self._identity()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> SQLiteStore:
        """Open ``sqlite:///relative.db``, ``sqlite:////absolute/path.db`` or ``sqlite:///:memory:``."""
        prefix = "sqlite:///"
        path = url[len(prefix):] if url.startswith(prefix) else ""
        if not path or "?" in path:
            raise InvalidInput(
                f"cannot read the SQLite store URL {url!r}; use sqlite:///relative/path.db, "
                "sqlite:////absolute/path.db or sqlite:///:memory:",
                [{"setting": "store", "value": url, "reason": "not a sqlite:/// URL with a path"}],
            )
        return cls(path, **options)

    # -- connections ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.location, timeout=self.busy_timeout_ms / 1000,
                               isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms):d}")
            if not self.memory:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode})")
            for pragma in ("foreign_keys = ON", "synchronous = NORMAL", "temp_store = MEMORY",
                           "cache_size = -65536"):
                conn.execute(f"PRAGMA {pragma}")
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            conn.create_function("match_key", 1, lambda s: match_key(s) if s else "",
                                 deterministic=True)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
        return conn

    @contextlib.contextmanager
    def _use(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (the shared one, under the lock, for ``:memory:``)."""
        if self._closed:
            raise StoreUnavailable(f"the SQLite store {self.location} is closed")
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        ident = self._identity()
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "ident", None) != ident:
            self._drop(conn)  # the file was replaced: never read or write the old one
            conn = None
        if conn is None:
            conn = self._connect()
            self._local.conn, self._local.ident = conn, ident
        yield conn

    def _identity(self) -> tuple[int, int]:
        """The file's (device, inode) now. An open connection would go on reading and writing a
        file that was deleted, moved away or replaced, so each use checks it is still the one
        at ``location``; :class:`StoreUnavailable` if nothing (or no regular file) is there."""
        try:
            st = os.stat(self.location)
        except OSError as exc:
            raise StoreUnavailable(
                f"SQLite store {self.location}: the file is gone",
                [{"store": "sqlite", "location": self.location, "reason": str(exc)}],
            ) from None
        if not stat.S_ISREG(st.st_mode):
            raise StoreUnavailable(
                f"SQLite store {self.location}: not a file",
                [{"store": "sqlite", "location": self.location, "reason": "not a regular file"}],
            )
        return st.st_dev, st.st_ino

    def _drop(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        self._local.conn = None
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        with self._use() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        text = str(exc)
        if "locked" in text or "busy" in text:
            why = "another process is writing to it; try again when it has finished"
        elif "unable to open" in text:
            why = "the file cannot be opened (does its directory exist, may we write there?)"
        elif "not a database" in text:
            why = "the file is not a SQLite database"
        else:
            why = text
        return StoreUnavailable(
            f"SQLite store {self.location}: {why}",
            [{"store": "sqlite", "location": self.location, "reason": text}],
        )

    def close(self) -> None:
        """Close every connection this store opened. Idempotent."""
        self._closed = True
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.location!r})"

    # -- state ---------------------------------------------------------------------------

    @_translating
    def check(self) -> None:
        """Raise :class:`StoreUnavailable` unless the file is there and readable now.

        Opens a fresh read-only connection (an open one would still read a deleted file).
        """
        if self.memory:
            with self._use() as conn:
                conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
            return
        if self._closed:
            raise StoreUnavailable(f"the SQLite store {self.location} is closed")
        if not os.path.isfile(self.location):
            raise StoreUnavailable(
                f"SQLite store {self.location}: the file is gone",
                [{"store": "sqlite", "location": self.location, "reason": "file not found"}],
            )
        uri = f"file:{quote(self.location)}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=1.0)
        try:
            conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        finally:
            conn.close()

    @_translating
    def revision(self) -> int:
        with self._use() as conn:
            return _revision(conn)

    @_translating
    def written_at(self) -> str | None:
        with self._use() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'written_at'").fetchone()
        return row[0] if row else None

    @_translating
    def counts(self) -> dict[str, int]:
        with self._snapshot() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in COUNTED_TABLES}

    # -- writing -------------------------------------------------------------------------

    @_translating
    def write_batch(self, batch: RecordBatch, *, dry_run: bool = False,
                    office: str | None = None, files: Sequence[str] = (),
                    expect_revision: int | None = None) -> WriteReport:
        """Upsert every table of ``batch`` in one transaction (see the protocol and module docs).

        A write that changes something is recorded in the history (with ``office`` and
        ``files``) in the same transaction (:mod:`graphsvc.store.sqlite_history`).

        Raises
        ------
        InvalidInput
            With details ``{"table", "row", "column", "value", "reason"}`` (``row`` is the
            1-based position in the batch table) for a missing column or required value, a key
            given twice with different data, an undirected tie not written ``org_a_id <
            org_b_id``, an unknown status or sector, or an id that names no stored or batched
            organisation or event. Nothing is written then.
        """
        tables = batch.tables()
        with self._use() as conn:
            # write_table checks references itself, set-wise (see sqlite_write); the
            # per-row foreign-key checks would repeat it. The pragma only works outside a
            # transaction, so it is switched here and back after COMMIT or ROLLBACK.
            conn.execute("PRAGMA foreign_keys = OFF")
            try:
                after, before, changes = self._write_tables(
                    conn, tables, dry_run, office, tuple(files), expect_revision,
                    self._checked_revision(batch))
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA foreign_keys = ON")
        return WriteReport(tables=changes, revision_before=before, revision_after=after,
                           dry_run=dry_run)

    def _checked_revision(self, batch: RecordBatch) -> int | None:
        """The revision of this store against which the ingest pipeline found every reference
        of ``batch`` (see :class:`RecordBatch`), if it did."""
        mark = batch.references_checked
        if mark is None or mark[0] != f"{self.kind}:{self.location}":
            return None
        return mark[1]

    @staticmethod
    def _write_tables(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame],
                      dry_run: bool, office: str | None = None, files: tuple[str, ...] = (),
                      expect_revision: int | None = None, checked_at: int | None = None
                      ) -> tuple[int, int, dict[str, TableChanges]]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK``) writing every table.

        ``checked_at``: the revision at which the ingest pipeline checked the batch's
        references; if the store is still there, a first load skips its own reference check.
        """
        from graphsvc.store.sqlite_write import FreshRows, fresh_rows, write_table  # pandas

        conn.execute("BEGIN IMMEDIATE")
        try:
            before = _revision(conn)
            if expect_revision is not None and before != expect_revision:
                raise StoreChanged(expect_revision, before)
            changes = {name: TableChanges() for name in tables}
            capture = sqlite_history.Capture(conn, before + 1)
            todo = [(n, f) for n, f in tables.items() if f is not None and len(f)]
            ready: dict[str, FreshRows] = {}  # the next table's rows, made ready meanwhile

            def make_ready(name: str, frame: pd.DataFrame) -> None:
                ready[name] = fresh_rows(name, frame)

            for i, (name, frame) in enumerate(todo):
                then = todo[i + 1] if i + 1 < len(todo) else None
                if then is not None and conn.execute(
                        f"SELECT 1 FROM main.{then[0]} LIMIT 1").fetchone() is not None:
                    then = None  # not a first load: it goes the long way
                changes[name] = write_table(
                    conn, name, frame, None if dry_run else capture,
                    references_checked=checked_at == before, ready=ready.pop(name, None),
                    meanwhile=None if then is None else functools.partial(make_ready, *then))
            changed = any(c.inserted or c.updated for c in changes.values())
            after = before + 1 if changed and not dry_run else before
            if after != before:
                conn.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (str(after),))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_at', ?)",
                             (_now_iso(),))
                capture.record(office=office, files=files)
                conn.execute("COMMIT")
            else:
                conn.execute("ROLLBACK")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return after, before, changes

    # -- history -------------------------------------------------------------------------

    @_translating
    def history(self, limit: int | None = None) -> list[WriteRecord]:
        with self._snapshot() as conn:
            return sqlite_history.read_history(conn, limit)

    @_translating
    def history_rows(self, revision: int) -> list[RowChange]:
        with self._snapshot() as conn:
            return sqlite_history.read_changes(conn, revision)

    @_translating
    def undo(self, revision: int, *, office: str | None = None) -> WriteRecord:
        """Undo the write that created ``revision`` as a new write (see the protocol)."""
        with self._use() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                new_revision = _revision(conn) + 1
                record = sqlite_history.undo_write(conn, revision, new_revision, office=office)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'revision'",
                             (str(new_revision),))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_at', ?)",
                             (_now_iso(),))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return record

    # -- reading -------------------------------------------------------------------------

    @_translating
    def _read_all_records(self) -> RecordBatch:
        import pandas as pd

        frames: dict[str, pd.DataFrame] = {}
        with self._snapshot() as conn:
            for name, spec in TABLES.items():
                order = "rowid" if name == "sectors" else ", ".join(spec.key)
                rows = conn.execute(
                    f"SELECT {', '.join(spec.columns)} FROM {name} ORDER BY {order}"
                ).fetchall()
                frames[name] = pd.DataFrame.from_records(rows, columns=list(spec.columns))
                if not rows:
                    frames[name] = frames[name].astype(object)
        return RecordBatch(**frames)

    @_translating
    def load_graph(self, flt: GraphFilter | None = None, **build_options: Any) -> nx.Graph:
        """The graph of :func:`graphsvc.model.network.build_graph`, built from the rows
        themselves (no DataFrames: the same graph, without importing pandas)."""
        from graphsvc.model import projection

        # The dates are read only to filter by fiscal year (GraphRows.filtered), and the events
        # only to filter at all; otherwise NULL and nothing: the graph needs neither.
        dated = flt is not None and (flt.fy_from is not None or flt.fy_to is not None)
        collab_columns = [c if dated or c not in ("start_date", "end_date") else "NULL"
                          for c in projection.COLLAB_COLUMNS]
        tables = (("organisations", projection.ORG_COLUMNS),
                  ("collaborations", collab_columns),
                  ("events", projection.EVENT_COLUMNS if flt is not None else ()),
                  ("attendance", projection.ATTENDANCE_COLUMNS))
        read: dict[str, list] = {}
        with self._snapshot() as conn:  # one read transaction: one consistent snapshot
            for name, columns in tables:
                order = ", ".join(TABLES[name].key)
                read[name] = conn.execute(
                    f"SELECT {', '.join(columns)} FROM {name} ORDER BY {order}"
                ).fetchall() if columns else []
        rows = projection.GraphRows(read["organisations"], read["collaborations"],
                                    read["events"], read["attendance"])
        return projection.build_graph_rows(rows.filtered(flt), **build_options)

    @_translating
    def get_organisation(self, org_id: str) -> Organisation:
        with self._use() as conn:
            cur = conn.execute(
                f"SELECT {', '.join(_ORG_COLUMNS)} FROM organisations WHERE org_id = ?", (org_id,)
            )
            row = cur.fetchone()
        if row is None:
            raise UnknownOrganisation(org_id)
        return Organisation.from_row(dict(zip(_ORG_COLUMNS, row, strict=True)))

    @_translating
    def search_organisations(
        self,
        query: str | None = None,
        *,
        province: str | None = None,
        sector: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Organisation]:
        """Organisations whose match key contains the query's match key, or whose casefolded
        English name, aliases or id contain the casefolded query; in Thai dictionary order."""
        if limit < 0 or offset < 0:
            raise InvalidInput("limit and offset must not be negative",
                               [{"limit": limit, "offset": offset}])
        if status is not None and status not in ORG_STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(ORG_STATUSES)}",
                               [{"column": "status", "value": status}])
        where, params = ["1"], []
        if province:
            where.append("province_code = ?")
            params.append(province)
        if sector:
            where.append("sector = ?")
            params.append(sector)
        if status:
            where.append("coalesce(nullif(status, ''), 'member') = ?")
            params.append(status)
        text = (query or "").strip()
        if text:
            fold = text.casefold()
            # An ASCII query is matched on SQLite's lower() (ASCII folding, no Python call per
            # row); any other query on Python's str.casefold.
            low = "lower" if fold.isascii() else "casefold"
            alternatives = [f"instr({low}(name_en), ?) > 0", f"instr({low}(aliases), ?) > 0",
                            f"instr({low}(org_id), ?) > 0"]
            params += [fold, fold, fold]
            if key := match_key(text):
                alternatives.append(
                    "instr(coalesce(match_key, match_key(coalesce(name_th, name_en))), ?) > 0"
                )
                params.append(key)
            where.append("(" + " OR ".join(alternatives) + ")")
        with self._snapshot() as conn:
            names = conn.execute(
                "SELECT org_id, coalesce(nullif(name_th, ''), nullif(name_en, ''), org_id)"
                f" FROM organisations WHERE {' AND '.join(where)}", params
            ).fetchall()
            names.sort(key=lambda r: (thai_sort_key(r[1]), r[0]))
            page = [org_id for org_id, _ in names[offset:offset + limit]]
            rows = {}
            for start in range(0, len(page), 500):
                chunk = page[start:start + 500]
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT {', '.join(_ORG_COLUMNS)} FROM organisations"
                    f" WHERE org_id IN ({marks})", chunk
                ):
                    rows[row[0]] = dict(zip(_ORG_COLUMNS, row, strict=True))
        return [Organisation.from_row(rows[org_id]) for org_id in page]

    @_translating
    def sectors(self) -> list[Sector]:
        with self._use() as conn:
            rows = conn.execute("SELECT code, name_th, name_en FROM sectors ORDER BY rowid")
            return [Sector(code, name_th or "", name_en or "") for code, name_th, name_en in rows]


def _now_iso() -> str:
    """The current UTC time to the second, ISO 8601 (``2026-11-26T08:00:00+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _revision(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])
