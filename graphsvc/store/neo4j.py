"""The Neo4j store: the deployment backend, chosen by a ``neo4j://`` or ``bolt://`` URL.

>>> target = parse_neo4j_url("bolt://reader:s3cret@db.example:7687/partners")
>>> target.uri, target.user, target.database, target.location
('bolt://db.example:7687', 'reader', 'partners', 'bolt://reader@db.example:7687/partners')

Every statement it sends is in :mod:`graphsvc.store.cypher`, with values bound as parameters.
Reads go through ``driver.execute_query`` (a managed transaction, retried by the driver on
transient errors). A write (:meth:`Neo4jStore.write_batch`) is ONE explicit transaction: the
revision node is locked, every table is sent in ``UNWIND $rows`` batches of
:data:`~graphsvc.store.cypher.DEFAULT_BATCH_SIZE` rows, and the transaction is committed, or
rolled back whole on any error; on a transient error the whole batch is retried a bounded
number of times. Unreachable servers and wrong credentials raise
:class:`~graphsvc.errors.StoreUnavailable` with a one-line message.

One driver per process and server (keyed by URI and user), shared by every store opened on it,
closed when the last of them closes and at interpreter exit.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import neo4j
import pandas as pd
from neo4j import exceptions as neo4j_errors

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput, StoreChanged, StoreUnavailable, UnknownOrganisation
from graphsvc.model.records import ORG_STATUSES, TABLES, Organisation, RecordBatch, Sector
from graphsvc.model.reference import default_sectors
from graphsvc.model.text import match_key, thai_sort_key
from graphsvc.store import neo4j_history
from graphsvc.store.cypher import (
    DEFAULT_BATCH_SIZE,
    SCHEMA_STATEMENTS,
    STATEMENTS,
    PlannedCall,
    check_batch,
    plan_writes,
)
from graphsvc.store.history import RowChange, WriteRecord
from graphsvc.store.protocol import GraphLoading, TableChanges, WriteReport

__all__ = ["Neo4jStore", "Neo4jTarget", "parse_neo4j_url"]

# The driver logs a failed routing lookup at WARNING before raising; with no handler configured,
# logging's last resort would print it to stderr beside our one-line error. The exception
# carries the news; an application that configures logging still sees the record.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True, slots=True)
class Neo4jTarget:
    """Where a Neo4j store is: the URI without credentials, who logs in, which database."""

    uri: str
    user: str
    password: str | None
    database: str | None

    @property
    def location(self) -> str:
        """The URL to show: user, host and database, never the password."""
        scheme, rest = self.uri.split("://", 1)
        db = f"/{self.database}" if self.database else ""
        return f"{scheme}://{self.user}@{rest}{db}"


def parse_neo4j_url(url: str, settings: Settings | None = None) -> Neo4jTarget:
    """Split ``scheme://[user[:password]@]host[:port][/database]``.

    The user, password and database default to ``settings.neo4j_user``,
    ``settings.neo4j_password`` and ``settings.neo4j_database`` (``GRAPHSVC_NEO4J_*``).
    """
    settings = settings or Settings()
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise InvalidInput(f"not a Neo4j URL: {parts.scheme}://…; use neo4j://host:7687 or "
                           "bolt://user:password@host:7687/database")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"bad port in Neo4j URL: {exc}") from None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    uri = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    user = unquote(parts.username) if parts.username else settings.neo4j_user
    password = unquote(parts.password) if parts.password is not None else settings.neo4j_password
    database = unquote(parts.path.strip("/")) or settings.neo4j_database
    return Neo4jTarget(uri, user, password, database)


# --- one driver per process -------------------------------------------------------------------

_DRIVERS: dict[tuple[str, str, str], tuple[neo4j.Driver, int]] = {}
_DRIVERS_LOCK = threading.Lock()


def _driver_key(target: Neo4jTarget) -> tuple[str, str, str]:
    secret = hashlib.sha256((target.password or "").encode()).hexdigest()
    return (target.uri, target.user, secret)


def _acquire_driver(target: Neo4jTarget, connection_timeout: float,
                    retry_seconds: float = 5.0) -> neo4j.Driver:
    key = _driver_key(target)
    with _DRIVERS_LOCK:
        if key in _DRIVERS:
            driver, users = _DRIVERS[key]
            _DRIVERS[key] = (driver, users + 1)
            return driver
        auth = (target.user, target.password) if target.password is not None else None
        try:
            driver = neo4j.GraphDatabase.driver(
                target.uri, auth=auth, connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_seconds, user_agent="graphsvc",
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise InvalidInput(f"bad Neo4j URL {target.location}: {_one_line(exc)}") from None
        _DRIVERS[key] = (driver, 1)
        return driver


def _release_driver(target: Neo4jTarget) -> None:
    key = _driver_key(target)
    with _DRIVERS_LOCK:
        if key not in _DRIVERS:
            return
        driver, users = _DRIVERS[key]
        if users > 1:
            _DRIVERS[key] = (driver, users - 1)
            return
        del _DRIVERS[key]
    driver.close()


@atexit.register
def _close_all_drivers() -> None:
    with _DRIVERS_LOCK:
        drivers = [d for d, _ in _DRIVERS.values()]
        _DRIVERS.clear()
    for driver in drivers:
        driver.close()


# --- errors ------------------------------------------------------------------------------------

def _one_line(exc: BaseException) -> str:
    """The gist of a driver error on one line (the socket error when there is one)."""
    text = " ".join(str(exc).split())
    reason = re.search(r"\(reason (.+?)\)$", text)
    if reason:
        return reason.group(1)
    return text[:300] or type(exc).__name__


_UNAVAILABLE = (neo4j_errors.DriverError, neo4j_errors.DatabaseUnavailable,
                neo4j_errors.TransientError, neo4j_errors.DatabaseError, OSError)


def _translate(exc: Exception, location: str) -> Exception:
    """A driver error as a graphsvc error with a one-line message (or the error itself)."""
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable(f"Neo4j at {location} refused the credentials "
                                "(check the URL or GRAPHSVC_NEO4J_USER/PASSWORD)")
    code = getattr(exc, "code", "") or ""
    if code.endswith("DatabaseNotFound"):
        return StoreUnavailable(f"Neo4j at {location}: no such database")
    if isinstance(exc, neo4j_errors.ConstraintError):
        return InvalidInput(f"Neo4j rejected the write: {_one_line(exc)}")
    if isinstance(exc, _UNAVAILABLE):
        return StoreUnavailable(f"cannot reach Neo4j at {location}: {_one_line(exc)}")
    return exc  # a programming error (e.g. a Cypher syntax error): let it show


def _retryable(exc: BaseException) -> bool:
    check = getattr(exc, "is_retryable", None)
    return bool(check and check()) and not isinstance(exc, neo4j_errors.IncompleteCommit)


# --- the store ---------------------------------------------------------------------------------

class Neo4jStore(GraphLoading):
    """A partner network kept in Neo4j (graph model in :mod:`graphsvc.store.cypher`).

    Parameters
    ----------
    target : Neo4jTarget
        Where to connect (see :func:`parse_neo4j_url`).
    batch_size : int
        Rows per ``UNWIND $rows`` round trip when writing.
    write_attempts : int
        How many times a write batch is tried in all when the server reports a transient error.
    connection_timeout : float
        Seconds to wait for a connection before giving up.
    retry_seconds : float
        How long the driver keeps retrying a read (a managed transaction) after transient
        errors or a lost server before the store reports it unavailable. Kept short so an API
        request gets its 503 in seconds; the driver's own default is 30.
    """

    kind = "neo4j"

    def __init__(self, target: Neo4jTarget, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 write_attempts: int = 3, connection_timeout: float = 10.0,
                 retry_seconds: float = 5.0) -> None:
        if batch_size < 1 or write_attempts < 1:
            raise InvalidInput("batch_size and write_attempts must be at least 1")
        self.target = target
        self.location = target.location
        self.batch_size = batch_size
        self.write_attempts = write_attempts
        #: Round trips sent inside write transactions (:meth:`_send`) since the store opened.
        self.statements_sent = 0
        self._driver: neo4j.Driver | None = _acquire_driver(target, connection_timeout,
                                                            retry_seconds)
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_url(cls, url: str, settings: Settings | None = None, **options: Any) -> Neo4jStore:
        """Open the store a ``neo4j://``, ``neo4j+s://``, ``bolt://`` or ``bolt+s://`` URL names
        (user, password and database not in the URL come from ``settings``, by default the
        ``GRAPHSVC_NEO4J_*`` environment)."""
        return cls(parse_neo4j_url(url, settings or Settings.from_env()), **options)

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.location!r})"

    # --- plumbing ---------------------------------------------------------------------------

    @property
    def driver(self) -> neo4j.Driver:
        if self._driver is None:
            raise StoreUnavailable(f"the Neo4j store {self.location} is closed")
        return self._driver

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            translated = _translate(exc, self.location)
            if translated is exc:
                raise
            raise translated from None

    def _query(self, name: str, *, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        """Run one named statement in a managed transaction; records as plain dicts."""
        statement = STATEMENTS[name]
        if set(params) != set(statement.params):
            raise TypeError(f"{name} takes {statement.params}, not {tuple(params)}")
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        with self._translated():
            records, _, _ = self.driver.execute_query(
                statement.text, params, routing_=routing, database_=self.target.database,
            )
        return [r.data() for r in records]

    def _open(self) -> None:
        with self._translated():
            self.driver.verify_connectivity()
        try:
            for name in SCHEMA_STATEMENTS:
                self._query(name, write=True)
            self._query("initialise", write=True, rows=[
                {"code": s.code, "name_th": s.name_th, "name_en": s.name_en}
                for s in default_sectors()
            ])
        except neo4j_errors.Forbidden:
            pass  # a read-only user: the schema is someone else's to create

    def _send(self, tx: neo4j.Transaction, name: str, params: dict[str, Any]) -> list[dict]:
        """Send one named statement inside the write transaction (one round trip)."""
        self.statements_sent += 1
        return [r.data() for r in tx.run(STATEMENTS[name].text, params)]

    def _run(self, tx: neo4j.Transaction, name: str, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Send one ``UNWIND $rows`` write statement; its ``inserted``/``updated``/``unchanged``
        counts. With :meth:`_send`, the only way a write leaves the process."""
        return {r["change"]: r["n"] for r in self._send(tx, name, {"rows": rows}) if "change" in r}

    # --- GraphStore -------------------------------------------------------------------------

    def close(self) -> None:
        if self._driver is not None:
            self._driver = None
            _release_driver(self.target)

    def check(self) -> None:
        with self._translated():
            self.driver.verify_connectivity()
        self._query("ping")

    def revision(self) -> int:
        return int(self._query("revision")[0]["revision"])

    def written_at(self) -> str | None:
        rows = self._query("written_at")
        return str(rows[0]["written_at"]) if rows and rows[0]["written_at"] else None

    def counts(self) -> dict[str, int]:
        return {k: int(v) for k, v in self._query("counts")[0].items()}

    def write_batch(self, batch: RecordBatch, *, dry_run: bool = False,
                    office: str | None = None, files: Sequence[str] = (),
                    expect_revision: int | None = None) -> WriteReport:
        """Upsert ``batch`` in one transaction (see the protocol and the module docstring).

        The batch is checked first as the SQLite store checks it
        (:func:`~graphsvc.store.cypher.check_batch`); ids it names are looked up inside the
        transaction, before anything is written. A write that changes something is recorded
        as an ``Ingest`` node in the same transaction (:mod:`graphsvc.store.neo4j_history`).
        """
        batch = check_batch(batch, {s.code for s in self.sectors()})
        plan = plan_writes(batch, self.batch_size)
        for attempt in range(1, self.write_attempts + 1):
            try:
                return self._write_once(batch, plan, dry_run, office, tuple(files),
                                        expect_revision)
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
                if attempt < self.write_attempts and _retryable(exc):
                    time.sleep(0.2 * 2**attempt)  # the whole batch again, from a fresh transaction
                    continue
                translated = _translate(exc, self.location)
                if translated is exc:
                    raise
                raise translated from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_once(self, batch: RecordBatch, plan: list[PlannedCall], dry_run: bool,
                    office: str | None = None, files: tuple[str, ...] = (),
                    expect_revision: int | None = None) -> WriteReport:
        totals = {table: {"inserted": 0, "updated": 0, "unchanged": 0}
                  for table in batch.tables()}
        keys = {} if dry_run else neo4j_history.batch_keys(batch)
        with self.driver.session(database=self.target.database) as session:
            tx = session.begin_transaction()
            try:
                before = int(self._send(tx, "lock_revision", {})[0]["revision"])
                if expect_revision is not None and before != expect_revision:
                    raise StoreChanged(expect_revision, before)
                self._check_references(tx, batch)
                old = {t: neo4j_history.read_rows(self._send, tx, t, k, self.batch_size)
                       for t, k in keys.items()}
                for call in plan:
                    for change, n in self._run(tx, call.statement, call.rows).items():
                        totals[call.table][change] += n
                changed = any(t["inserted"] or t["updated"] for t in totals.values())
                after = before
                if changed and not dry_run:
                    new = {t: neo4j_history.read_rows(self._send, tx, t, k, self.batch_size)
                           for t, k in keys.items()}
                    stamp = datetime.now(UTC).isoformat(timespec="seconds")
                    after = int(self._send(tx, "bump_revision",
                                           {"written_at": stamp})[0]["revision"])
                    neo4j_history.record_write(
                        self._send, tx, after, neo4j_history.changes_between(old, new),
                        office=office, files=files, batch_size=self.batch_size)
                if dry_run:
                    tx.rollback()
                else:
                    tx.commit()
            finally:
                tx.close()  # rolls back anything not committed
        return WriteReport(
            tables={t: TableChanges(**c) for t, c in totals.items()},
            revision_before=before, revision_after=after, dry_run=dry_run,
        )

    def history(self, limit: int | None = None) -> list[WriteRecord]:
        rows = self._query("read_ingests", limit=2**62 if limit is None else int(limit))
        return [neo4j_history.to_record(r) for r in rows]

    def history_rows(self, revision: int) -> list[RowChange]:
        return neo4j_history.read_changes(
            self._query("read_ingest", revision=int(revision)),
            self._query("read_ingest_rows", revision=int(revision)), revision)

    def undo(self, revision: int, *, office: str | None = None) -> WriteRecord:
        """Undo the write that created ``revision``, in one transaction (see the protocol)."""
        with self._translated(), self.driver.session(database=self.target.database) as session:
            tx = session.begin_transaction()
            try:
                current = int(self._send(tx, "lock_revision", {})[0]["revision"])
                record = neo4j_history.undo_write(self._send, tx, int(revision), current + 1,
                                                  office=office, batch_size=self.batch_size)
                self._send(tx, "bump_revision",
                           {"written_at": datetime.now(UTC).isoformat(timespec="seconds")})
                tx.commit()
            finally:
                tx.close()
        return record

    def _check_references(self, tx: neo4j.Transaction, batch: RecordBatch) -> None:
        """Raise InvalidInput, before anything is written, for ids neither stored nor in batch."""
        orgs = set(batch.organisations["org_id"])
        events = set(batch.events["event_id"])
        uses = {"attendance": (("event_id", events, "known_events"),
                               ("org_id", orgs, "known_organisations")),
                "collaborations": (("org_a_id", orgs, "known_organisations"),
                                   ("org_b_id", orgs, "known_organisations"))}
        wanted: dict[str, set[str]] = {"known_events": set(), "known_organisations": set()}
        for table, columns in uses.items():
            frame = batch.tables()[table]
            for column, own, statement in columns:
                wanted[statement] |= set(frame[column]) - own
        known = {n: set(self._send(tx, n, {"ids": sorted(ids)})[0]["known"]) if ids else set()
                 for n, ids in wanted.items()}
        details = []
        for table, columns in uses.items():
            frame = batch.tables()[table]
            for pos, row in enumerate(frame.itertuples(index=False), 1):
                for column, own, statement in columns:
                    value = getattr(row, column)
                    if value not in own and value not in known[statement]:
                        what = "organisation" if "org" in column else "event"
                        details.append({"table": table, "row": pos, "column": column,
                                        "value": value, "reason": f"unknown {what}: not stored "
                                        "and not in this batch"})
        if details:
            details.sort(key=lambda d: (d["table"], d["row"]))
            raise InvalidInput(f"{len(details)} row(s) name an unknown organisation or event; "
                               "nothing was written", details[:50])

    def _read_all_records(self) -> RecordBatch:
        frames = {}
        for table, spec in TABLES.items():
            rows = self._query(f"read_{table}")
            frames[table] = pd.DataFrame.from_records(rows, columns=list(spec.columns))
            if not rows:
                frames[table] = frames[table].astype(object)
        return RecordBatch(**frames)

    def get_organisation(self, org_id: str) -> Organisation:
        rows = self._query("get_organisation", org_id=org_id)
        if not rows:
            raise UnknownOrganisation(org_id)
        return Organisation.from_row(rows[0])

    def search_organisations(self, query: str | None = None, *, province: str | None = None,
                             sector: str | None = None, status: str | None = None,
                             limit: int = 50, offset: int = 0) -> list[Organisation]:
        if limit < 0 or offset < 0:
            raise InvalidInput("limit and offset must not be negative",
                               [{"limit": limit, "offset": offset}])
        if status is not None and status not in ORG_STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(ORG_STATUSES)}",
                               [{"column": "status", "value": status}])
        text = (query or "").strip()
        rows = self._query("search_organisations", key=match_key(text) or None,
                           text=text.casefold(), province=province or None,
                           sector=sector or None, status=status)
        orgs = [Organisation.from_row(r) for r in rows]
        orgs.sort(key=lambda o: (thai_sort_key(o.name), o.org_id))
        return orgs[offset:offset + limit]

    def sectors(self) -> list[Sector]:
        """The default six (in their order) merged with the stored sectors (by code after)."""
        stored = {r["code"]: Sector(r["code"], r["name_th"], r["name_en"])
                  for r in self._query("read_sectors")}
        defaults = [stored.pop(s.code, s) for s in default_sectors()]
        return defaults + [stored[c] for c in sorted(stored)]

    def _wipe(self) -> None:
        """Delete graphsvc's nodes and relationships (tests only); other labels are left alone.

        The store is then as a first open leaves it: revision 0 and the default sectors.
        """
        self._query("wipe", write=True)
        self._open()
