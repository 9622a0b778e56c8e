"""Domain model: records, reference data (sectors, provinces), Thai text and date rules, graphs."""

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
