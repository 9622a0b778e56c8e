"""Plain, JSON-ready data from domain objects and analysis results (shared by every surface)."""

from __future__ import annotations

import math
from typing import Any

from graphsvc.model.records import GraphFilter, Organisation

__all__ = ["ALL", "clean", "organisation_json"]

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
