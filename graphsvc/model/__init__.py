"""Domain model: records, reference data (sectors, provinces), Thai text and date rules, graphs.

The names below are loaded on first use (PEP 562), so importing one small module of the model
(a filter, a date rule) does not import networkx and pandas for the graph builder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from graphsvc.model.dates import ParsedDate, fiscal_year_be, fiscal_year_bounds, parse_date
    from graphsvc.model.network import apply_filter, bipartite_graph, build_graph
    from graphsvc.model.records import (
        COLLAB_TYPES,
        ORG_STATUSES,
        TABLES,
        Attendance,
        Collaboration,
        Event,
        GraphFilter,
        Organisation,
        RecordBatch,
        Sector,
        TableSpec,
    )
    from graphsvc.model.reference import Province, default_sectors, province, provinces
    from graphsvc.model.text import display_name, match_key, sort_thai, thai_sort_key

_WHERE = {
    "dates": ("ParsedDate", "fiscal_year_be", "fiscal_year_bounds", "parse_date"),
    "network": ("apply_filter", "bipartite_graph", "build_graph"),
    "records": ("COLLAB_TYPES", "ORG_STATUSES", "TABLES", "Attendance", "Collaboration", "Event",
                "GraphFilter", "Organisation", "RecordBatch", "Sector", "TableSpec"),
    "reference": ("Province", "default_sectors", "province", "provinces"),
    "text": ("display_name", "match_key", "sort_thai", "thai_sort_key"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "COLLAB_TYPES",
    "ORG_STATUSES",
    "TABLES",
    "Attendance",
    "Collaboration",
    "Event",
    "GraphFilter",
    "Organisation",
    "ParsedDate",
    "Province",
    "RecordBatch",
    "Sector",
    "TableSpec",
    "apply_filter",
    "bipartite_graph",
    "build_graph",
    "default_sectors",
    "display_name",
    "fiscal_year_be",
    "fiscal_year_bounds",
    "match_key",
    "parse_date",
    "province",
    "provinces",
    "sort_thai",
    "thai_sort_key",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'graphsvc.model' has no attribute {name!r}")
    return getattr(importlib.import_module(f"graphsvc.model.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
