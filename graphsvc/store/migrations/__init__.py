"""Schema migrations of the embedded SQLite store.

Each migration is a numbered SQL file in this directory, ``NNNN_what_it_does.sql``, applied once,
in order, when a store is opened. The version reached is kept twice: one row per applied
migration in ``schema_migrations`` (with the time it was applied) and ``PRAGMA user_version``
(so opening an up-to-date store costs one pragma read, no lock). Migrations run inside one
``BEGIN IMMEDIATE`` transaction, so two processes opening a new file at once cannot both apply
them, and a crash half-way leaves the file as it was.

Some migrations also seed data written in Python: migration 1 fills ``sectors`` from
:func:`graphsvc.model.reference.default_sectors`.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from graphsvc.model.reference import default_sectors

__all__ = ["LATEST_VERSION", "Migration", "apply_migrations", "migrations", "schema_version"]

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change: its version, its name and its SQL statements."""

    version: int
    name: str
    statements: tuple[str, ...]


def _split(sql: str) -> tuple[str, ...]:
    """Cut a script into whole statements (``executescript`` would commit our transaction)."""
    statements: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"unterminated SQL statement in a migration: {buf.strip()[:60]!r}")
    return tuple(statements)


@functools.cache
def migrations() -> tuple[Migration, ...]:
    """Every migration shipped with graphsvc, in version order."""
    found = []
    for entry in resources.files(__name__).iterdir():
        if m := _FILE.match(entry.name):
            found.append(Migration(int(m[1]), m[2], _split(entry.read_text(encoding="utf-8"))))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1, 2, 3, … without gaps: {versions}")
    return tuple(found)


LATEST_VERSION = len(migrations())


def _seed_sectors(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO sectors (code, name_th, name_en) VALUES (?, ?, ?)",
        [(s.code, s.name_th, s.name_en) for s in default_sectors()],
    )


#: Data written in Python right after a migration, in the same transaction.
SEEDS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _seed_sectors}


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version a database file is at (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply_migrations(conn: sqlite3.Connection) -> list[int]:
    """Bring the database to :data:`LATEST_VERSION`; return the versions applied (often none).

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises
    :class:`RuntimeError` if the file comes from a newer graphsvc than this one.
    """
    if schema_version(conn) == LATEST_VERSION:
        return []
    # A migration may replace a table others refer to (create, copy, drop, rename), which the
    # foreign keys would refuse half-way; SQLite's way is to switch them off (only possible
    # outside a transaction) and check them all before committing.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return _apply(conn)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys):d}")


def _apply(conn: sqlite3.Connection) -> list[int]:
    applied: list[int] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)  # again, now that we hold the write lock
        if current > LATEST_VERSION:
            raise RuntimeError(
                f"the store's schema is version {current}, newer than this graphsvc knows "
                f"({LATEST_VERSION}); upgrade graphsvc"
            )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for mig in migrations()[current:]:
            for statement in mig.statements:
                conn.execute(statement)
            if seed := SEEDS.get(mig.version):
                seed(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (mig.version, mig.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            applied.append(mig.version)
        if broken := conn.execute("PRAGMA foreign_key_check").fetchmany(5):
            raise RuntimeError(f"a migration left rows naming missing rows: {broken}")
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION:d}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied
