"""Stores: one :class:`GraphStore` protocol, chosen by URL in exactly one factory.

>>> store = open_store("sqlite:///:memory:")
>>> store.kind, store.revision()
('sqlite', 0)
>>> store.close()
"""

from __future__ import annotations

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput
from graphsvc.store.protocol import COUNTED_TABLES, GraphStore, TableChanges, WriteReport

__all__ = ["COUNTED_TABLES", "GraphStore", "TableChanges", "WriteReport", "open_store"]

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def open_store(url: str | None = None, settings: Settings | None = None) -> GraphStore:
    """Open the store a URL names: ``sqlite:///path.db`` or ``neo4j://``/``bolt://…``.

    ``url`` defaults to ``settings.store_url`` (``GRAPHSVC_STORE``, else ``./graphsvc.db``).
    """
    settings = settings or Settings.from_env()
    url = url or settings.store_url
    if url.startswith("sqlite://"):
        from graphsvc.store.sqlite import SQLiteStore

        return SQLiteStore.from_url(url)
    if url.startswith(NEO4J_SCHEMES):
        from graphsvc.store.neo4j import Neo4jStore

        return Neo4jStore.from_url(url, settings)
    raise InvalidInput(
        f"unknown store URL {url.split('://')[0]!r}://…; use sqlite:///path.db, neo4j:// or bolt://",
        [{"setting": "store", "expected": "sqlite:///…, neo4j://…, bolt://…"}],
    )
