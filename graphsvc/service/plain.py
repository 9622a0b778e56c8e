"""Plain, JSON-ready data from domain objects and analysis results (shared by the API modules)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar

import networkx as nx

from graphsvc.model.records import GraphFilter, Organisation

__all__ = ["ALL", "BETWEENNESS_SAMPLE_K", "BETWEENNESS_SEED", "CachedAnalyses", "clean",
           "organisation_json"]

T = TypeVar("T")

#: Pivots and seed of sampled betweenness on graphs above ``settings.exact_betweenness_max``.
BETWEENNESS_SAMPLE_K = 256
BETWEENNESS_SEED = 42
#: The whole network.
ALL = GraphFilter()


def organisation_json(org: Organisation) -> dict[str, Any]:
    """An :class:`Organisation` as the plain dict of ``schemas.OrganisationOut``."""
    return {
        "org_id": org.org_id, "name": org.name, "name_th": org.name_th, "name_en": org.name_en,
        "sector": org.sector, "province_code": org.province_code, "org_type": org.org_type,
        "aliases": list(org.aliases), "status": org.status,
        "joined_date": org.joined_date.isoformat() if org.joined_date else None,
    }


def clean(value: Any) -> Any:
    """Plain JSON-ready data: NaN/inf → None, numpy scalars → Python, tuples → lists."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value



class CachedAnalyses(Protocol):
    """What the mixins of :class:`graphsvc.service.analyses.Analyses` rely on."""

    revision: int

    def cached(self, name: str, params: Hashable, compute: Callable[[], T]) -> T: ...
    def graph(self, flt: GraphFilter = ALL) -> nx.Graph: ...
    def sectors(self) -> list[Any]: ...
    def summarised(self, flt: GraphFilter = ALL) -> tuple[Any, dict[str, Any]]: ...
