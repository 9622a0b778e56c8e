"""The one narrow interface every store implements, and the types it returns.

Nothing above the store sees ``sqlite3`` or ``neo4j``: stores return domain objects
(:mod:`graphsvc.model.records`), :class:`~graphsvc.model.records.RecordBatch` tables, or the
NetworkX graph of :func:`graphsvc.model.network.build_graph`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from graphsvc.model.records import GraphFilter, Organisation, RecordBatch, Sector
from graphsvc.store.history import RowChange, WriteRecord

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["COUNTED_TABLES", "GraphLoading", "GraphStore", "RowChange", "TableChanges",
           "WriteRecord", "WriteReport"]

#: The tables ``counts()`` reports, in the order of ``graphsvc info``.
COUNTED_TABLES = ("organisations", "events", "attendance", "collaborations")


@dataclass(frozen=True, slots=True)
class TableChanges:
    """What one write did to one table."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True, slots=True)
class WriteReport:
    """The result of :meth:`GraphStore.write_batch`.

    ``revision_after == revision_before`` when nothing changed (idempotent re-ingest), and also
    for a dry run, which computes ``tables`` and then rolls back.
    """

    tables: Mapping[str, TableChanges] = field(default_factory=dict)
    revision_before: int = 0
    revision_after: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(t.inserted or t.updated for t in self.tables.values())


@runtime_checkable
class GraphStore(Protocol):
    """Storage for one partner network. Open with :func:`graphsvc.store.open_store`."""

    kind: str  #: ``"sqlite"`` or ``"neo4j"``
    location: str  #: where it is, with any password removed

    def close(self) -> None: ...

    def check(self) -> None:
        """Raise :class:`~graphsvc.errors.StoreUnavailable` unless the store answers now."""

    def revision(self) -> int:
        """A counter that rises with every write that changes something."""

    def written_at(self) -> str | None:
        """When the last write that changed something committed (ISO 8601 UTC), or ``None``
        for a store never written."""

    def counts(self) -> dict[str, int]:
        """Rows per table of :data:`COUNTED_TABLES`."""

    def write_batch(self, batch: RecordBatch, *, dry_run: bool = False,
                    office: str | None = None, files: Sequence[str] = (),
                    expect_revision: int | None = None) -> WriteReport:
        """Upsert every table of ``batch`` in one transaction: all of it or none of it.

        Rows are matched on their table's key (:data:`graphsvc.model.records.TABLES`); a row
        equal to the stored one counts as unchanged and does not raise the revision. Attendance
        and collaborations may name organisations stored earlier or in this same batch; any other
        id raises :class:`~graphsvc.errors.InvalidInput` and nothing is written.

        A write that changes something is recorded in the same transaction in the history
        (:mod:`graphsvc.store.history`), with ``office`` (who wrote it: a key's name) and
        ``files`` (the names of the files it came from). With ``expect_revision``, the write
        is refused with :class:`~graphsvc.store.history.StoreChanged` (nothing written) unless
        the store is at that revision when the transaction starts: a confirmed preview writes
        exactly what was previewed.
        """

    def history(self, limit: int | None = None) -> list[WriteRecord]:
        """Recorded writes, newest first (at most ``limit``)."""

    def history_rows(self, revision: int) -> list[RowChange]:
        """Every row the write that created ``revision`` changed, before and after.

        :class:`~graphsvc.store.history.UnknownRevision` if no write created it.
        """

    def undo(self, revision: int, *, office: str | None = None) -> WriteRecord:
        """Put back every row the write that created ``revision`` changed, as a new write.

        Returns the new write's record (``undoes == revision``). Raises
        :class:`~graphsvc.errors.InvalidInput` when a later write changed one of those rows, or
        still names an organisation or event the write added, or the write was undone already;
        :class:`~graphsvc.store.history.UnknownRevision` when no write created ``revision``.
        Nothing is written then.
        """

    def read_records(self, flt: GraphFilter | None = None) -> RecordBatch:
        """Every stored record (in the selected part of the network)."""

    def load_graph(self, flt: GraphFilter | None = None, **build_options: Any) -> nx.Graph:
        """The organisation graph of :func:`graphsvc.model.network.build_graph`."""

    def get_organisation(self, org_id: str) -> Organisation:
        """One organisation; :class:`~graphsvc.errors.UnknownOrganisation` if absent."""

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
        """Organisations whose Thai or English name, alias or id contains ``query``.

        Thai queries are matched on the match key (so ``สนง.`` finds ``สำนักงาน``); results are in
        Thai dictionary order of their names.
        """

    def sectors(self) -> list[Sector]:
        """The sector lookup table (the default six plus any ingested)."""


class GraphLoading:
    """The part of the protocol every store shares: filtering and graph building.

    A store provides ``_read_all_records()``; filters and graph building live in the model, so
    every backend gives the same answer for the same records.
    """

    def _read_all_records(self) -> RecordBatch:  # pragma: no cover - implemented by stores
        raise NotImplementedError

    def read_records(self, flt: GraphFilter | None = None) -> RecordBatch:
        if flt is None:  # every record: no need to load the graph stack (an ingest reads so)
            return self._read_all_records()
        from graphsvc.model.network import apply_filter

        return apply_filter(self._read_all_records(), flt)

    def load_graph(self, flt: GraphFilter | None = None, **build_options: Any) -> nx.Graph:
        from graphsvc.model.network import build_graph

        return build_graph(self.read_records(flt), **build_options)
